import type { StampResult } from '../runtime/migration-runner.ts'
import { diffHeads } from '../runtime/migration-runner.ts'
import { stampEntries } from '../runtime/stamp-entries.ts'
import { VersionStore } from '../runtime/version-store.ts'
import { whoAmI } from '../util/who-am-i.ts'
import { toolVersion } from '../version.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  settingsOf,
  withRunner,
} from './command-context.ts'
import { offlinePlan, withOfflineDialect } from './offline-sql.ts'

/** Options of {@link stamp}. */
export interface StampOptions extends CommandOptions {
  /** Discard the version table's rows first, even revisions no file defines. */
  readonly purge?: boolean
}

/**
 * Marks the database as being at `target` without running any migration: the target and its
 * ancestors count as applied, anything built above it does not. Use it to adopt aludel on a
 * database whose schema already exists, or to repair the version table.
 *
 * @example await stamp(config, 'head')
 */
export async function stamp(
  config: ConfigInput,
  target: string,
  options: StampOptions = {},
): Promise<StampResult> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved, options)
  const map = scripts.map
  return withRunner(
    resolved,
    scripts,
    options,
    (runner) =>
      runner.stamp(target, options.purge ?? false, (heads) =>
        map.planStamp(heads, map.resolve(target, heads), target),
      ),
    'migrate',
  )
}

/** Writes the SQL that {@link stamp} would run (`FROM:TO`, or `TO` read against the database). */
export async function stampSql(
  config: ConfigInput,
  target: string,
  options: { readonly purge?: boolean } = {},
): Promise<string> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const map = scripts.map
  return withOfflineDialect(resolved, async (dialect) => {
    const plan = await offlinePlan(resolved, scripts, dialect, target, 'head')
    const start = options.purge ? [] : plan.from
    const { currentAfter } = map.planStamp(start, map.resolve(plan.to, start), target)
    const store = new VersionStore(dialect, settingsOf(resolved).names)
    const write = (sql: string, params: readonly unknown[] = []) => {
      const text = dialect.ddl.inlineParams(sql, params).trim()
      return text.endsWith(';') ? text : `${text};`
    }
    const lines = [`-- aludel ${toolVersion()}: stamp ${target}`, '']
    for (const sql of store.createTablesSql()) lines.push(write(sql))
    lines.push('', dialect.adapter.beginSql + ';')
    if (options.purge) lines.push(write(store.purgeStatement().sql))
    for (const s of store.changeStatements(diffHeads(start, currentAfter))) {
      lines.push(write(s.sql, s.params))
    }
    const entries = stampEntries(map, start, currentAfter, {
      runId: `offline-${new Date().toISOString()}`,
      runBy: `${whoAmI()} (offline script)`,
      at: undefined,
    })
    if (entries.length > 0) {
      const ledger = store.ledgerStatement(entries)
      lines.push(write(ledger.sql, ledger.params))
    }
    lines.push(dialect.adapter.commitSql + ';', '')
    return lines.join('\n')
  })
}
