import { UsageError } from '../aludel-error.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { openDialect } from '../dialect/open-dialect.ts'
import { MigrationRunner } from '../runtime/migration-runner.ts'
import { renderOfflineScript } from '../runtime/offline-script.ts'
import { splitRange } from '../script/parse-target.ts'
import type { ScriptDirectory } from '../script/script-directory.ts'
import { type ConfigInput, configOf, scriptsOf, settingsOf } from './command-context.ts'

/** Where an offline plan starts and where it goes. */
interface OfflinePlan {
  readonly from: readonly string[]
  readonly to: string
}

/**
 * Writes the SQL that `upgrade` would run, without running it. `target` is `FROM:TO` (no database
 * needed, e.g. `base:head`, `ae10:head`) or just `TO`, in which case the database is read once to
 * learn where it stands.
 *
 * @example process.stdout.write(await upgradeSql(config, 'base:head'))
 */
export async function upgradeSql(config: ConfigInput, target: string): Promise<string> {
  return offlineScript(config, 'upgrade', target, 'head')
}

/**
 * Writes the SQL that `downgrade` would run, without running it. `target` is `FROM:TO` (e.g.
 * `head:base`) or just `TO`, read against the database's current revision.
 */
export async function downgradeSql(config: ConfigInput, target: string): Promise<string> {
  return offlineScript(config, 'downgrade', target, 'base')
}

async function offlineScript(
  config: ConfigInput,
  direction: 'upgrade' | 'downgrade',
  target: string,
  defaultTo: string,
): Promise<string> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const map = scripts.map
  return withOfflineDialect(resolved, async (dialect) => {
    const plan = await offlinePlan(resolved, scripts, dialect, target, defaultTo)
    const resolvedTo = map.resolve(plan.to, plan.from)
    const steps =
      direction === 'upgrade'
        ? map.planUpgrade(plan.from, resolvedTo, target)
        : map.planDowngrade(plan.from, resolvedTo, target)
    return renderOfflineScript(dialect, settingsOf(resolved), steps, `${direction} ${target}`)
  })
}

/** Resolves `FROM:TO` statically, or reads the database for a bare `TO`. */
export async function offlinePlan(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  dialect: Dialect,
  target: string,
  defaultTo: string,
): Promise<OfflinePlan> {
  if (target.includes(':')) {
    const { from, to } = splitRange(target)
    const fromHeads = from === '' || from === 'base' ? [] : scripts.map.resolve(from).revisions
    return { from: fromHeads, to: to === '' ? defaultTo : to }
  }
  if (config.url === undefined) {
    throw new UsageError(
      `--sql with a bare target reads the database to learn where it stands, and none is configured; give a range such as base:${target}, or set DATABASE_URL`,
      'NO_DATABASE_URL',
    )
  }
  // Resolve what can be checked without the database first: a typo should not need a connection.
  if (!/^[+-]\d|@[+-]\d/.test(target)) scripts.map.resolve(target)
  const runner = new MigrationRunner(dialect, scripts, settingsOf(config))
  const state = await runner.readState()
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
