import { UsageError } from '../aludel-error.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { openDialect } from '../dialect/open-dialect.ts'
import { collectMigration, type MigrationSource } from '../lint/collect-migrations.ts'
import { failsAt, groupWorstFirst, lintCollected } from '../lint/lint-engine.ts'
import type { LintFinding, Severity } from '../lint/lint-types.ts'
import { loadSqlParser } from '../lint/parse-sql.ts'
import type { ModelNames } from '../lint/statement-rules.ts'
import { traceFindings } from '../lint/trace-findings.ts'
import { traceMigrations } from '../lint/trace-migrations.ts'
import type { MigrationTrace, RelationSize } from '../lint/trace-types.ts'
import { loadMigration } from '../runtime/load-migration.ts'
import { MigrationRunner, sessionName } from '../runtime/migration-runner.ts'
import { splitRange } from '../script/parse-target.ts'
import type { MigrationStep } from '../script/revision-map.ts'
import type { Script, ScriptDirectory } from '../script/script-directory.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  settingsOf,
  withDatabase,
} from './command-context.ts'
import { loadModels } from './load-models.ts'
import { withOfflineDialect } from './offline-sql.ts'

/** Which migrations {@link lint} checks. */
export type LintSelection =
  /** The migrations `upgrade head` would apply to the configured database. */
  | { readonly kind: 'pending' }
  /** Every migration file. */
  | { readonly kind: 'all' }
  /** `FROM:TO` (no database needed) or a bare `TO`: what `upgrade TO` would apply. */
  | { readonly kind: 'target'; readonly target: string }

/** Options of {@link lint}. */
export interface LintOptions extends Pick<CommandOptions, 'sessions' | 'scripts'> {
  /**
   * Default: the pending migrations when a database is configured, every file otherwise.
   */
  readonly selection?: LintSelection
  /**
   * Also apply the migrations on a scratch database one statement at a time and measure what
   * each statement locks, rewrites and scans (`--trace`). Default: false.
   */
  readonly trace?: boolean
  /** The scratch database for the trace; default: a new database on the configured server, or PGlite in memory. */
  readonly scratchUrl?: string
}

/** One migration lint looked at. */
export interface LintedMigration {
  readonly revision: string
  readonly file: string
  readonly transactional: boolean
  readonly statements: number
}

/** What {@link lint} found. */
export interface LintResult {
  /** The migrations checked, in the order they apply. */
  readonly migrations: readonly LintedMigration[]
  /** Findings grouped by migration, worst first. */
  readonly findings: readonly LintFinding[]
  /** The measured trace, with `--trace`. */
  readonly traces: readonly MigrationTrace[] | undefined
  /** Sizes of the traced tables in the configured database, when one was readable. */
  readonly sizes: readonly RelationSize[]
}

/**
 * Checks migrations for statements that lock, rewrite or scan a busy table, or break running
 * code: by rule, from the statements each migration's `upgrade` produces (no database needed),
 * and with `trace`, measured on a scratch database and joined with the sizes of the affected
 * tables in the configured one.
 *
 * @example
 * const { findings } = await lint(config, { selection: { kind: 'all' } })
 */
export async function lint(config: ConfigInput, options: LintOptions = {}): Promise<LintResult> {
  const resolved = configOf(config)
  const unsupported = await lintUnsupported(resolved)
  if (unsupported !== undefined) throw new UsageError(unsupported, 'LINT_UNSUPPORTED')
  const selection: LintSelection =
    options.selection ?? (resolved.url === undefined ? { kind: 'all' } : { kind: 'pending' })
  const readsState =
    selection.kind === 'pending' || (selection.kind === 'target' && !selection.target.includes(':'))
  // The configured database is opened once, for all lint needs from it: where it stands, a
  // scratch database beside it, and the sizes of the traced tables (one start on PGlite).
  const tracesWithSizes = options.trace === true && resolved.url !== undefined
  return readsState || tracesWithSizes
    ? withDatabase(resolved, (dialect) => lintWith(resolved, selection, options, dialect), options)
    : lintWith(resolved, selection, options, undefined)
}

/**
 * Why the configured database's migrations cannot be linted, or undefined when they can: the
 * rules describe PostgreSQL's locks, rewrites and scans.
 */
export async function lintUnsupported(config: ResolvedConfig): Promise<string | undefined> {
  return withOfflineDialect(config, async (dialect) =>
    dialect.adapter.lintRules
      ? undefined
      : `aludel lint checks what PostgreSQL's DDL locks, rewrites and scans; it has no rules for ${dialect.name} databases`,
  )
}

async function lintWith(
  resolved: ResolvedConfig,
  selection: LintSelection,
  options: LintOptions,
  database: Dialect | undefined,
): Promise<LintResult> {
  const scripts = scriptsOf(resolved, options)
  const { path, range } = await selectSteps(resolved, scripts, selection, database)
  const inRange = new Set(range.map((s) => s.node.revision))
  const [sources, models] = await Promise.all([
    loadSources(path),
    modelNames(resolved),
    loadSqlParser(),
  ])
  const collected = await withOfflineDialect(resolved, async (dialect) =>
    Promise.all(sources.map((source) => collectMigration(source, dialect.ddl))),
  )
  const reported = collected.filter((m) => inRange.has(m.revision))
  let findings = lintCollected(collected, {
    ...(models === undefined ? {} : { models }),
    report: (r) => inRange.has(r),
  })
  let traces: readonly MigrationTrace[] | undefined
  let sizes: readonly RelationSize[] = []
  if (options.trace === true && range.length > 0) {
    const first = range[0]!
    const measured = await traceOnScratch(
      resolved,
      scripts,
      first.from,
      sources.filter((s) => inRange.has(s.revision)),
      options.scratchUrl,
      database,
    )
    traces = measured
    sizes = database === undefined ? [] : await readSizes(database, measured)
    findings = groupWorstFirst(traceFindings(findings, reported, measured, sizes))
  }
  return {
    migrations: reported.map((m) => ({
      revision: m.revision,
      file: m.source,
      transactional: m.transactional,
      statements: m.statements.length,
    })),
    findings,
    traces,
    sizes,
  }
}

/** True when a result should fail at `failOn` (default `error`): one finding counts. */
export function lintFails(result: LintResult, failOn: Severity = 'error'): boolean {
  return result.findings.some((f) => failsAt(f, failOn))
}

/**
 * The steps to read (from base to the end of the range, so that lint knows what exists) and the
 * steps to report on.
 */
async function selectSteps(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  selection: LintSelection,
  database: Dialect | undefined,
): Promise<{ path: readonly MigrationStep<Script>[]; range: readonly MigrationStep<Script>[] }> {
  const { map } = scripts
  let from: readonly string[]
  let to: string
  if (selection.kind === 'all') {
    from = []
    to = 'heads'
  } else if (selection.kind === 'target' && selection.target.includes(':')) {
    const range = splitRange(selection.target)
    from = range.from === '' || range.from === 'base' ? [] : map.resolve(range.from).revisions
    to = range.to === '' ? 'heads' : range.to
  } else {
    to = selection.kind === 'target' ? selection.target : 'heads'
    // lint() opens the database whenever the selection reads where it stands.
    const runner = new MigrationRunner(database!, scripts, settingsOf(config))
    from = (await runner.readState()).heads
  }
  const target = map.resolve(to, from)
  const range = map.planUpgrade(from, target, to)
  const path = map.planUpgrade([], { revisions: [...new Set([...target.revisions, ...from])] }, to)
  return { path, range }
}

async function loadSources(
  steps: readonly MigrationStep<Script>[],
): Promise<readonly MigrationSource[]> {
  return Promise.all(
    steps.map(async (step) => {
      const { module } = await loadMigration(step.node)
      return {
        revision: step.node.revision,
        source: step.node.source,
        path: step.node.path,
        transactional: step.node.transactional,
        upgrade: (op) => module.upgrade(op),
        lintExport: (module as unknown as Record<string, unknown>).lint,
      }
    }),
  )
}

/** The table and column names of the models, when the configuration names a models module. */
async function modelNames(config: ResolvedConfig): Promise<ModelNames | undefined> {
  if (config.schemaModule === undefined) return undefined
  const snapshot = await loadModels(config)
  const tables = new Set<string>()
  const columns = new Set<string>()
  for (const table of snapshot.tables) {
    const key = `${table.schema ?? 'public'}.${table.name}`
    tables.add(key)
    for (const column of table.columns) columns.add(`${key}.${column.name}`)
  }
  return { tables, columns }
}

/**
 * Builds the schema the range expects on a scratch database (by running the earlier migrations),
 * then traces the range one statement at a time. The scratch database is dropped afterwards.
 */
async function traceOnScratch(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  from: readonly string[],
  sources: readonly MigrationSource[],
  scratchUrl: string | undefined,
  database: Dialect | undefined,
): Promise<readonly MigrationTrace[]> {
  const scratch = await createScratch(database, scratchUrl)
  try {
    const dialect = await openDialect(scratch.url, config.root)
    try {
      if (from.length > 0) {
        const runner = new MigrationRunner(
          dialect,
          scripts,
          settingsOf({ ...config, url: scratch.url }),
        )
        await runner.run('upgrade', from.join(','), (current) =>
          scripts.map.planUpgrade(current, { revisions: from }, from.join(',')),
        )
      }
      return await traceMigrations(dialect, sources)
    } finally {
      await dialect.driver.close()
    }
  } finally {
    await scratch.drop()
  }
}

/** `--scratch-url`, else a new database beside the configured one, else PGlite in memory. */
async function createScratch(
  database: Dialect | undefined,
  scratchUrl: string | undefined,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (scratchUrl !== undefined) return { url: scratchUrl, drop: async () => {} }
  if (database === undefined) return { url: 'pglite:memory', drop: async () => {} }
  return database.createScratchDatabase()
}

/** Sizes of every table the trace saw locked, rewritten or scanned, read from the configured database. */
async function readSizes(
  database: Dialect,
  traces: readonly MigrationTrace[],
): Promise<readonly RelationSize[]> {
  const relations = new Set<string>()
  for (const trace of traces) {
    for (const statement of trace.statements) {
      for (const lock of statement.locks) relations.add(lock.table)
      for (const name of statement.rewritten) relations.add(name)
      for (const scan of statement.scanned) relations.add(scan.table)
    }
  }
  const tracer = database.lockTracer
  if (relations.size === 0 || tracer === undefined) return []
  const connection = await database.driver.connect(sessionName('lint'))
  try {
    return await tracer.relationSizes(connection, [...relations])
  } finally {
    await connection.close()
  }
}
