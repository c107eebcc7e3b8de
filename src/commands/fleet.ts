import { availableParallelism } from 'node:os'
import { UsageError } from '../aludel-error.ts'
import type { FleetTarget } from '../config/aludel-config.ts'
import { ConfigError } from '../config/config-errors.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import { SessionPool } from '../dialect/session-pool.ts'
import type { RunResult } from '../runtime/migration-runner.ts'
import { LockLostError, MigrationFailedError } from '../runtime/runtime-errors.ts'
import { type CommandOptions, scriptsOf } from './command-context.ts'

/** A target chosen by `--target`/`--all-targets`, with the configuration that reaches it. */
export interface SelectedTarget {
  readonly name: string
  readonly config: ResolvedConfig
}

/** How one target fared in a fleet run. */
export interface TargetOutcome {
  readonly target: string
  /** `skipped`: not started, because an earlier target failed (`failFast`, or a canary). */
  readonly result: 'ok' | 'failed' | 'skipped'
  /** The revisions before and after; undefined when the run did not get that far. */
  readonly from: readonly string[] | undefined
  readonly to: readonly string[] | undefined
  readonly steps: number
  readonly durationMs: number
  /** The one-line reason of a failure. */
  readonly error?: string
}

/** Every target's outcome, in the order the config lists the targets, and the counts. */
export interface FleetResult {
  readonly targets: readonly TargetOutcome[]
  readonly ok: number
  readonly failed: number
  readonly skipped: number
}

export interface FleetOptions {
  /** How many targets run at once. Default: the CPU count, at most 8. */
  readonly concurrency?: number
  /** Stop starting targets after the first failure; the rest are reported `skipped`. */
  readonly failFast?: boolean
  /** Run this many targets first, and the others only if none of them failed. */
  readonly canary?: number
  /** Called as each target starts, for progress output. */
  readonly onStart?: (target: string) => void
  /** Called as each target finishes, for progress output. */
  readonly onOutcome?: (outcome: TargetOutcome) => void
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
/** Schemas are written into the session's `search_path` bare: plain lower-case names only. */
const SCHEMA = /^[a-z_][a-z0-9_$]*$/

/**
 * The targets `patterns` select (`*` matches any run of characters, `?` one; `['*']` is every
 * target), each with the configuration for it: its URL (or the config's), and for a schema
 * target that schema as the home of aludel's tables and as the sessions' `search_path`.
 *
 * @throws ConfigError when the config's `targets` are missing or malformed; UsageError when a
 *   pattern selects nothing
 */
export async function selectTargets(
  config: ResolvedConfig,
  patterns: readonly string[],
): Promise<readonly SelectedTarget[]> {
  const targets = await loadTargets(config)
  for (const pattern of patterns) {
    const match = globPattern(pattern)
    if (!targets.some((t) => match.test(t.name))) {
      const names = targets.map((t) => t.name)
      throw new UsageError(
        `--target ${pattern} matches none of the ${names.length} targets (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
        'UNKNOWN_TARGET',
      )
    }
  }
  const matchers = patterns.map(globPattern)
  return targets
    .filter((t) => matchers.some((m) => m.test(t.name)))
    .map((t) => ({ name: t.name, config: targetConfig(config, t) }))
}

/** What the targets of a fleet run share: command options for each target's command. */
export type FleetShared = Required<Pick<CommandOptions, 'sessions'>> &
  Pick<CommandOptions, 'scripts'>

/** How one target fared under {@link runEach}: the value its command returned, or why not. */
export interface EachOutcome<T> {
  readonly target: string
  readonly result: 'ok' | 'failed' | 'skipped'
  readonly value: T | undefined
  readonly durationMs: number
  readonly error?: string
  /** The error itself, when the target failed. */
  readonly cause?: unknown
}

/**
 * Runs `body` on every target, `concurrency` at a time, each on its own: a failure is recorded
 * and the others go on (unless `failFast`). With `canary`, the first that many targets run first,
 * and the rest only when none of them failed. Outcomes come back in the targets' order.
 * `body` gets what the targets share, to pass on to the command as its options: a
 * {@link SessionPool} (targets on one server share its sessions, at most two per running target)
 * and the migrations folder, read once.
 */
export async function runEach<T>(
  targets: readonly SelectedTarget[],
  body: (config: ResolvedConfig, target: string, shared: FleetShared) => Promise<T>,
  options: FleetOptions & { readonly onEach?: (outcome: EachOutcome<T>) => void } = {},
): Promise<readonly EachOutcome<T>[]> {
  const concurrency = options.concurrency ?? Math.min(8, availableParallelism())
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(`--concurrency must be a whole number of at least 1, not ${concurrency}`)
  }
  const canary = options.canary ?? 0
  if (!Number.isInteger(canary) || canary < 0) {
    throw new UsageError(`--canary must be a whole number of targets, not ${canary}`)
  }
  const outcomes: EachOutcome<T>[] = new Array(targets.length)
  const first = targets[0]
  const shared: FleetShared = {
    // Two sessions per running target (the lock's and the work's): a target never waits for one.
    sessions: new SessionPool(2 * concurrency),
    // Read once: every target gets the same migrations, even if a file changes meanwhile.
    ...(first === undefined ? {} : { scripts: scriptsOf(first.config) }),
  }
  let stop = false
  const wave = async (from: number, to: number, failFast: boolean) => {
    let next = from
    const worker = async () => {
      for (;;) {
        const i = next++
        const target = targets[i]
        if (i >= to || target === undefined) return
        const started = performance.now()
        let outcome: EachOutcome<T>
        if (stop) {
          outcome = { target: target.name, result: 'skipped', value: undefined, durationMs: 0 }
        } else {
          options.onStart?.(target.name)
          try {
            const value = await body(target.config, target.name, shared)
            outcome = {
              target: target.name,
              result: 'ok',
              value,
              durationMs: performance.now() - started,
            }
          } catch (error) {
            stop ||= failFast
            outcome = {
              target: target.name,
              result: 'failed',
              value: undefined,
              durationMs: performance.now() - started,
              error: error instanceof Error ? error.message : String(error),
              cause: error,
            }
          }
        }
        outcomes[i] = outcome
        options.onEach?.(outcome)
      }
    }
    await Promise.all(Array.from({ length: Math.max(0, Math.min(concurrency, to - from)) }, worker))
  }
  const canaries = Math.min(canary, targets.length)
  try {
    await wave(0, canaries, true)
    await wave(canaries, targets.length, options.failFast === true)
  } finally {
    await shared.sessions.close()
  }
  return outcomes
}

/** What a fleet run reports of each target: a migration run's result, or a stamp's. */
export type FleetStep = Pick<RunResult, 'currentBefore' | 'currentAfter'> & {
  readonly steps?: RunResult['steps']
}

/**
 * {@link runEach} for `upgrade`, `downgrade` and `stamp`: each target's revisions before and
 * after and its number of steps, and the counts.
 */
export async function runFleet(
  targets: readonly SelectedTarget[],
  body: (config: ResolvedConfig, target: string, shared: FleetShared) => Promise<FleetStep>,
  options: FleetOptions = {},
): Promise<FleetResult> {
  const describe = (o: EachOutcome<FleetStep>): TargetOutcome => {
    // A failed migration, or a run that lost its lock, says where the target started and where
    // it stands: its last good step.
    const failed =
      o.cause instanceof MigrationFailedError ||
      (o.cause instanceof LockLostError && o.cause.currentBefore !== undefined)
        ? o.cause
        : undefined
    return {
      target: o.target,
      result: o.result,
      from: o.value?.currentBefore ?? failed?.currentBefore,
      to: o.value?.currentAfter ?? failed?.currentAfter,
      steps: o.value?.steps?.length ?? failed?.applied ?? 0,
      durationMs: o.durationMs,
      ...(o.error === undefined ? {} : { error: o.error }),
    }
  }
  const outcomes = (
    await runEach(targets, body, {
      ...options,
      onEach: (o) => options.onOutcome?.(describe(o)),
    })
  ).map(describe)
  const count = (result: TargetOutcome['result']) =>
    outcomes.filter((o) => o.result === result).length
  return { targets: outcomes, ok: count('ok'), failed: count('failed'), skipped: count('skipped') }
}

async function loadTargets(config: ResolvedConfig): Promise<readonly FleetTarget[]> {
  const where = config.configFile ?? 'the configuration'
  if (config.targets === undefined) {
    throw new ConfigError(
      `${where} lists no targets; add targets: [{ name: 'eu-1', url: '...' }] (or a function returning them) to use --target`,
    )
  }
  let listed: unknown
  try {
    listed = typeof config.targets === 'function' ? await config.targets() : config.targets
  } catch (error) {
    throw new ConfigError(
      `${where}: targets() failed: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (!Array.isArray(listed)) {
    throw new ConfigError(`${where}: targets must be a list of { name, url?, schema? }`)
  }
  const seen = new Set<string>()
  return listed.map((item: unknown, i): FleetTarget => {
    const target = item as Partial<Record<keyof FleetTarget, unknown>> | null
    const name = target?.name
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new ConfigError(
        `${where}: target ${i + 1} needs a name of letters, digits, '.', '_' and '-' (got ${JSON.stringify(name)})`,
      )
    }
    if (seen.has(name)) throw new ConfigError(`${where}: two targets are named ${name}`)
    seen.add(name)
    const { url, schema } = target ?? {}
    if (url !== undefined && (typeof url !== 'string' || url.trim() === '')) {
      throw new ConfigError(`${where}: target ${name}: url must be a database URL`)
    }
    if (schema !== undefined && (typeof schema !== 'string' || !SCHEMA.test(schema))) {
      throw new ConfigError(
        `${where}: target ${name}: schema must be a plain lower-case name such as tenant_42`,
      )
    }
    if (url === undefined && config.url === undefined) {
      throw new ConfigError(`${where}: target ${name} has no url, and the config has none either`)
    }
    return {
      name,
      ...(url === undefined ? {} : { url }),
      ...(schema === undefined ? {} : { schema }),
    }
  })
}

/** The configuration that reaches `target`; see {@link selectTargets}. */
function targetConfig(config: ResolvedConfig, target: FleetTarget): ResolvedConfig {
  const url = target.url ?? config.url
  const migrationUrl = target.url ?? config.migrationUrl
  if (target.schema === undefined) return { ...config, url, migrationUrl }
  return {
    ...config,
    url: withSearchPath(url!, target),
    migrationUrl: withSearchPath(migrationUrl!, target),
    versionTableSchema: target.schema,
    targetSchema: target.schema,
  }
}

/**
 * `url` with the server setting `search_path` for its sessions (libpq's `options` parameter,
 * which node-postgres passes on), so that a tenant's migrations find its tables unqualified.
 */
function withSearchPath(url: string, target: FleetTarget): string {
  if (!/^postgres(?:ql)?:/i.test(url)) {
    throw new ConfigError(
      `target ${target.name}: a schema target needs a postgres:// URL (one schema per tenant is PostgreSQL's); give each tenant its own database on other engines`,
    )
  }
  const parsed = new URL(url)
  if (parsed.searchParams.has('options')) {
    throw new ConfigError(
      `target ${target.name}: the URL sets options already; a schema target sets search_path through them`,
    )
  }
  parsed.searchParams.set('options', `-c search_path=${target.schema}`)
  return parsed.toString()
}

/** A `--target` pattern as a regular expression over the whole name. */
function globPattern(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`)
}
