import { UsageError } from '../aludel-error.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { openDialect } from '../dialect/open-dialect.ts'
import { MigrationRunner } from '../runtime/migration-runner.ts'
import { renderOfflineScript } from '../runtime/offline-script.ts'
import type { RunEventListener } from '../runtime/run-events.ts'
import { ChecksumMismatchError } from '../runtime/runtime-errors.ts'
import { parseTarget, splitRange } from '../script/parse-target.ts'
import type { MigrationStep, RevisionMap } from '../script/revision-map.ts'
import type { Script, ScriptDirectory } from '../script/script-directory.ts'
import { InvalidTargetError } from '../script/script-errors.ts'
import { shortenInput } from '../util/shorten-input.ts'
import { type ConfigInput, configOf, scriptsOf, settingsOf } from './command-context.ts'

/** Where an offline plan starts and where it goes. */
interface OfflinePlan {
  readonly from: readonly string[]
  readonly to: string
}

/** Options of {@link upgradeSql} and {@link downgradeSql}. */
export interface OfflineSqlOptions {
  /**
   * Receives warnings: with a bare target, applied migrations whose files were edited (an upgrade
   * refuses instead when `checksums` is `'error'`).
   */
  readonly onEvent?: RunEventListener
}

/**
 * Writes the SQL that `upgrade` would run, without running it. `target` is `FROM:TO` (no database
 * needed, e.g. `base:head`, `ae10:head`) or just `TO`, in which case the database is read once to
 * learn where it stands, and its applied files are checked for edits as `upgrade` checks them.
 *
 * @example process.stdout.write(await upgradeSql(config, 'base:head'))
 * @throws InvalidTargetError when the range goes down (`head:base`: use downgradeSql);
 *   ChecksumMismatchError when an applied file was edited and `checksums` is `'error'`
 */
export async function upgradeSql(
  config: ConfigInput,
  target: string,
  options: OfflineSqlOptions = {},
): Promise<string> {
  return offlineScript(config, 'upgrade', target, 'head', options)
}

/**
 * Writes the SQL that `downgrade` would run, without running it. `target` is `FROM:TO` (e.g.
 * `head:base`) or just `TO`, read against the database's current revision.
 *
 * @throws InvalidTargetError when the range goes up (`base:head`: use upgradeSql)
 */
export async function downgradeSql(
  config: ConfigInput,
  target: string,
  options: OfflineSqlOptions = {},
): Promise<string> {
  return offlineScript(config, 'downgrade', target, 'base', options)
}

async function offlineScript(
  config: ConfigInput,
  direction: 'upgrade' | 'downgrade',
  target: string,
  defaultTo: string,
  options: OfflineSqlOptions,
): Promise<string> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  return withOfflineDialect(resolved, async (dialect) => {
    // As online: an edited file stops an upgrade under `checksums: 'error'`; a downgrade warns.
    const checkEdits =
      direction === 'downgrade' && resolved.checksums === 'error' ? 'warn' : resolved.checksums
    const plan = await offlinePlan(resolved, scripts, dialect, target, defaultTo, {
      checkEdits,
      onEvent: options.onEvent,
    })
    const steps = planInDirection(scripts.map, direction, plan, target)
    return renderOfflineScript(dialect, settingsOf(resolved), steps, `${direction} ${target}`, {
      ...(resolved.targetSchema === undefined ? {} : { searchPath: resolved.targetSchema }),
    })
  })
}

/**
 * The steps from `plan.from` to `plan.to` in `direction`. A range that goes the other way
 * (`upgrade head:base`) is refused: planned as asked, it would be an empty script that looks
 * like success.
 */
function planInDirection(
  map: RevisionMap<Script>,
  direction: 'upgrade' | 'downgrade',
  plan: OfflinePlan,
  target: string,
): readonly MigrationStep<Script>[] {
  const stepsTo = (way: 'upgrade' | 'downgrade') => {
    const to = map.resolve(plan.to, plan.from)
    return way === 'upgrade'
      ? map.planUpgrade(plan.from, to, target)
      : map.planDowngrade(plan.from, to, target)
  }
  const other = direction === 'upgrade' ? 'downgrade' : 'upgrade'
  const goesTheOtherWay = () => {
    try {
      return stepsTo(other).length > 0
    } catch {
      return false
    }
  }
  try {
    const steps = stepsTo(direction)
    if (steps.length > 0 || !goesTheOtherWay()) return steps
  } catch (error) {
    if (!(error instanceof InvalidTargetError) || !goesTheOtherWay()) throw error
  }
  const [from, to] = direction === 'upgrade' ? ['down', 'up'] : ['up', 'down']
  throw new InvalidTargetError(
    target,
    `it leads ${from}, and ${direction} only goes ${to}; write \`aludel ${other} ${shortenInput(target)} --sql\``,
    'WRONG_DIRECTION',
  )
}

/** How {@link offlinePlan} treats edited files when it reads the database. */
interface PlanChecks {
  /** `error`: refuse; `warn`: report through `onEvent`; `off`: do not look. */
  readonly checkEdits: 'error' | 'warn' | 'off'
  readonly onEvent?: RunEventListener | undefined
}

/**
 * Resolves `FROM:TO` statically, or reads the database for a bare `TO`; then the applied files
 * are checked for edits as `checks` says (by default they are not: `stamp` runs no file).
 */
export async function offlinePlan(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  dialect: Dialect,
  target: string,
  defaultTo: string,
  checks: PlanChecks = { checkEdits: 'off' },
): Promise<OfflinePlan> {
  if (target.includes(':')) {
    const { from, to } = splitRange(target)
    const fromHeads = from === '' || from === 'base' ? [] : scripts.map.resolve(from).revisions
    return { from: fromHeads, to: to === '' ? defaultTo : to }
  }
  if (config.url === undefined) {
    throw new UsageError(
      `--sql with a bare target reads the database to learn where it stands, and none is configured; give a range such as base:${shortenInput(target)}, or set DATABASE_URL`,
      'NO_DATABASE_URL',
    )
  }
  // Resolve what can be checked without the database first: a typo should not need a connection.
  // (A target relative to the database, +N or LABEL@-N, can only be checked against it.)
  if (parseTarget(target).kind !== 'current') scripts.map.resolve(target)
  const runner = new MigrationRunner(dialect, scripts, settingsOf(config))
  const state = await runner.readState()
  const edited = checks.checkEdits === 'off' ? [] : runner.editedMigrations(state)
  if (edited.length > 0) {
    const error = new ChecksumMismatchError(edited)
    if (checks.checkEdits === 'error') throw error
    checks.onEvent?.({ type: 'warning', code: error.code, message: error.message })
  }
  return { from: state.heads, to: target }
}

/**
 * Opens the configured dialect for writing SQL. No session is opened unless the plan needs to
 * read the database; with no URL configured, PostgreSQL is assumed.
 */
export async function withOfflineDialect<T>(
  config: ResolvedConfig,
  body: (dialect: Dialect) => Promise<T>,
): Promise<T> {
  const dialect = await openDialect(config.url ?? 'postgres://localhost/offline', config.root)
  try {
    return await body(dialect)
  } finally {
    await dialect.driver.close()
  }
}
