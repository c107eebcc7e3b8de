import { isDeepStrictEqual } from 'node:util'
import { isAludelError, UsageError } from '../aludel-error.ts'
import { compareSchemas } from '../autogenerate/compare-schemas.ts'
import { describeResult } from '../autogenerate/describe-change.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Comparator } from '../dialect/comparator.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { openDialect } from '../dialect/open-dialect.ts'
import { failsAt } from '../lint/lint-engine.ts'
import { MigrationRunner, sessionName } from '../runtime/migration-runner.ts'
import type { SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { ScriptDirectory } from '../script/script-directory.ts'
import {
  type ConfigInput,
  configOf,
  scriptsOf,
  settingsOf,
  withDatabase,
} from './command-context.ts'
import { compareWithDatabase, introspectOptions } from './diff-database.ts'
import { lint, lintUnsupported } from './lint.ts'
import { loadModels } from './load-models.ts'

/** One check of the migration test kit. */
export interface MigrationCheck {
  readonly name: string
  readonly ok: boolean
  /** The revision the check is about, when there is one. */
  readonly revision: string | undefined
  /** Why it failed (one line), or what it covered. */
  readonly detail: string
}

/** What the migration test kit found. */
export interface MigrationTestResult {
  readonly ok: boolean
  readonly checks: readonly MigrationCheck[]
}

/** Options of {@link testMigrations}. */
export interface MigrationTestOptions {
  /** Called as each check finishes (the CLI prints a line per check). */
  readonly onCheck?: (check: MigrationCheck) => void
  /** Use this database instead of creating a scratch one; it must be empty. */
  readonly scratchUrl?: string
  /** Skip comparing the migrated schema with the models (no `schema` configured). */
  readonly skipModels?: boolean
  /** Skip `aludel lint` over every migration (by rule). Default: false. */
  readonly skipLint?: boolean
}

/**
 * The migration test kit, built in (what Python teams assemble from pytest-alembic): the graph has
 * one head; `aludel lint` finds no error in any migration; every migration applies from base to head on a scratch database; the migrated schema
 * matches the models (autogenerate would find nothing); and the stairway — each revision
 * upgraded, downgraded and upgraded again — leaves the schema after each downgrade exactly as it
 * was before the upgrade. The scratch database is created next to the configured one (a new
 * database on the same server, or a temporary PGlite folder) and dropped afterwards.
 *
 * @example
 * const { ok, checks } = await testMigrations(config)
 */
export async function testMigrations(
  config: ConfigInput,
  options: MigrationTestOptions = {},
): Promise<MigrationTestResult> {
  const resolved = configOf(config)
  if (options.skipModels !== true && resolved.schemaModule === undefined) {
    // Said before any check runs: a kit that prints "ok" and then stops on usage is confusing.
    throw new UsageError(
      "no models configured, so the models check cannot run: set `schema: './src/db/schema.ts'` in aludel.config.ts, or pass --skip-models (API: skipModels: true)",
      'NO_MODELS',
    )
  }
  const scripts = scriptsOf(resolved)
  const checks: MigrationCheck[] = []
  const record = (check: MigrationCheck): boolean => {
    checks.push(check)
    options.onCheck?.(check)
    return check.ok
  }
  const done = () => ({ ok: checks.every((c) => c.ok), checks })

  const heads = scripts.map.heads
  if (
    !record({
      name: 'single head',
      ok: heads.length === 1,
      revision: heads.length === 1 ? heads[0] : undefined,
      detail:
        heads.length === 1
          ? `head is ${heads[0]}`
          : heads.length === 0
            ? 'there are no migrations'
            : `${heads.length} heads (${heads.join(', ')}); join them with \`aludel merge heads -m MSG\``,
    })
  ) {
    return done()
  }
  const lintSkipped = options.skipLint === true ? undefined : await lintUnsupported(resolved)
  if (lintSkipped !== undefined)
    record({ name: 'lint', ok: true, revision: undefined, detail: `skipped: ${lintSkipped}` })
  else if (options.skipLint !== true) {
    const linted = await lint(resolved, { selection: { kind: 'all' } })
    const failing = linted.findings.filter((f) => failsAt(f, 'error'))
    const first = failing[0]
    record({
      name: 'lint',
      ok: first === undefined,
      revision: first?.revision,
      detail:
        first === undefined
          ? `${linted.migrations.length} migration${linted.migrations.length === 1 ? '' : 's'} checked, no error`
          : `${failing.length} error${failing.length === 1 ? '' : 's'}, first: ${first.file}${first.line === undefined ? '' : `:${first.line}`} ${first.rule}: ${first.message}; run \`aludel lint --all\` for the details, or accept a finding with \`export const lint = { allow: { '${first.rule}': 'why' } }\``,
    })
  }
  const models = options.skipModels ? undefined : await loadModels(resolved)

  const run = async (scratch: ResolvedConfig, dialect: Dialect) => {
    const runner = new MigrationRunner(dialect, scripts, settingsOf(scratch))
    const snapshot = () => introspect(scratch, dialect)

    // 1. base -> head
    try {
      const result = await runner.run('upgrade', 'head', (current) =>
        scripts.map.planUpgrade(current, scripts.map.resolve('head'), 'head'),
      )
      record({
        name: 'upgrade base -> head',
        ok: true,
        revision: undefined,
        detail: `${result.steps.length} migration${result.steps.length === 1 ? '' : 's'} applied to a scratch database`,
      })
    } catch (error) {
      record(failure('upgrade base -> head', error))
      return
    }

    // 2. models == migrated schema
    if (models !== undefined) {
      const connection = await dialect.driver.connect(sessionName('test'))
      try {
        const diff = await compareWithDatabase(scratch, dialect, connection, models)
        const differences = describeResult(diff.result)
        record({
          name: 'models match the migrated schema',
          ok: differences.length === 0,
          revision: heads[0],
          detail:
            differences.length === 0
              ? 'autogenerate finds nothing to do'
              : `the models differ from what the migrations build (${differences.join('; ')}); write a migration with \`aludel revision --autogenerate -m MSG\``,
        })
      } finally {
        await connection.close()
      }
    }

    // 3. the stairway, from base again
    try {
      await runner.run('downgrade', 'base', (current) =>
        scripts.map.planDowngrade(current, scripts.map.resolve('base'), 'base'),
      )
    } catch (error) {
      record(failure('downgrade head -> base', error))
      return
    }
    for (const revision of scripts.map.order) {
      const name = `stairway ${revision}`
      const step = (direction: 'upgrade' | 'downgrade') =>
        runner.run(direction, revision, (current) =>
          scripts.map.planStep(current, revision, direction),
        )
      try {
        const before = await snapshot()
        await step('upgrade')
        const up = await snapshot()
        await step('downgrade')
        const after = await snapshot()
        if (!sameSchema(after, before)) {
          record({
            name,
            ok: false,
            revision,
            detail: `downgrade does not undo upgrade of ${describe(scripts, revision)}: ${differences(before, after, dialect.comparator)}`,
          })
          return
        }
        await step('upgrade')
        if (!sameSchema(await snapshot(), up)) {
          record({
            name,
            ok: false,
            revision,
            detail: `upgrading ${describe(scripts, revision)} a second time builds a different schema`,
          })
          return
        }
        record({ name, ok: true, revision, detail: 'up, down, up' })
      } catch (error) {
        record(failure(name, error, revision))
        return
      }
    }
  }

  await withDatabase(resolved, async (dialect) => {
    const scratch =
      options.scratchUrl === undefined
        ? await dialect.createScratchDatabase()
        : { url: options.scratchUrl, drop: async () => {} }
    try {
      const scratchConfig: ResolvedConfig = { ...resolved, url: scratch.url }
      const scratchDialect = await openDialect(scratch.url, resolved.root)
      try {
        await run(scratchConfig, scratchDialect)
      } finally {
        await scratchDialect.driver.close()
      }
    } finally {
      await scratch.drop()
    }
  })
  return done()
}

async function introspect(config: ResolvedConfig, dialect: Dialect): Promise<SchemaSnapshot> {
  const connection = await dialect.driver.connect(sessionName('test'))
  try {
    return await dialect.introspector.introspect(connection, introspectOptions(config))
  } finally {
    await connection.close()
  }
}

/**
 * Equal schemas, column order aside: a column a downgrade adds back always lands last, which no
 * migration can avoid and no query notices.
 */
function sameSchema(a: SchemaSnapshot, b: SchemaSnapshot): boolean {
  return isDeepStrictEqual(columnsByName(a), columnsByName(b))
}

function columnsByName(snapshot: SchemaSnapshot): SchemaSnapshot {
  return {
    ...snapshot,
    tables: snapshot.tables.map((t) => ({
      ...t,
      columns: [...t.columns].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    })),
  }
}

function failure(name: string, error: unknown, revision?: string): MigrationCheck {
  const message = error instanceof Error ? error.message : String(error)
  return {
    name,
    ok: false,
    revision:
      revision ??
      (isAludelError(error) && 'revision' in error ? String(error.revision) : undefined),
    detail: message,
  }
}

/** What differs between two snapshots of the same database, as the first few changes. */
function differences(
  before: SchemaSnapshot,
  after: SchemaSnapshot,
  comparator: Comparator,
): string {
  const lines = describeResult(compareSchemas({ models: before, database: after }, { comparator }))
  if (lines.length === 0) {
    return `the schemas differ at ${firstDifference(columnsByName(before), columnsByName(after)) ?? 'an unknown place'}`
  }
  const shown = lines.slice(0, 3).join('; ')
  return lines.length > 3 ? `${shown} (and ${lines.length - 3} more)` : shown
}

function describe(scripts: ScriptDirectory, revision: string): string {
  const script = scripts.map.get(revision)
  return script.message ? `${revision} (${script.message})` : revision
}

/**
 * Where two plain values first differ, as a readable path (`users.columns.email.comment`): list
 * items with a `name` are keyed by it, tables by their qualified name.
 */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (item: unknown, index: number): string => {
      if (typeof item === 'object' && item !== null && 'name' in item) {
        const named = item as { name: unknown; schema?: unknown }
        return typeof named.schema === 'string'
          ? `${named.schema}.${String(named.name)}`
          : String(named.name)
      }
      return String(index)
    }
    const left = new Map(a.map((item, i) => [key(item, i), item]))
    const right = new Map(b.map((item, i) => [key(item, i), item]))
    for (const k of new Set([...left.keys(), ...right.keys()])) {
      const where = path === '' ? k : `${path}.${k}`
      if (!left.has(k) || !right.has(k))
        return `${where} (${left.has(k) ? 'missing after' : 'added'})`
      const found = firstDifference(left.get(k), right.get(k), where)
      if (found !== undefined) return found
    }
    return path
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const record = (v: object) => v as Record<string, unknown>
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      // `tables` is left out of paths: `users.columns.email` reads better than `tables.users...`.
      const next = k === 'tables' ? path : path === '' ? k : `${path}.${k}`
      const found = firstDifference(record(a)[k], record(b)[k], next)
      if (found !== undefined) return found
    }
  }
  return `${path} (${JSON.stringify(a)} then ${JSON.stringify(b)})`
}
