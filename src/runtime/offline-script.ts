import type { Dialect } from '../dialect/dialect.ts'
import { Operations } from '../operations/operations.ts'
import type { MigrationStep } from '../script/revision-map.ts'
import type { Script } from '../script/script-directory.ts'
import { whoAmI } from '../util/who-am-i.ts'
import { toolVersion } from '../version.ts'
import { loadMigration } from './load-migration.ts'
import { OfflineExecutor } from './offline-executor.ts'
import type { RuntimeSettings } from './runtime-settings.ts'
import { runsInTransaction } from './step-transaction.ts'
import { VersionStore } from './version-store.ts'

/** Labels a step the way the online runner reports it: `<base>` for no revision. */
export function describeRevisions(revisions: readonly string[]): string {
  return revisions.length === 0 ? '<base>' : revisions.join(', ')
}

/**
 * Writes a plan as a SQL script instead of running it (`--sql`): each step is preceded by
 * `-- Running upgrade FROM -> TO, message`, wrapped in `BEGIN;`/`COMMIT;` where it would run in a
 * transaction, and followed by its version-table and ledger statements, so that a DBA who runs the
 * script leaves the database exactly as `aludel upgrade` would. `searchPath`: the schema of a
 * schema target, which the script makes the session's `search_path` first.
 */
export async function renderOfflineScript(
  dialect: Dialect,
  settings: RuntimeSettings,
  steps: readonly MigrationStep<Script>[],
  title: string,
  options: { readonly searchPath?: string } = {},
): Promise<string> {
  const runId = `offline-${new Date().toISOString()}`
  const runBy = `${whoAmI()} (offline script)`
  const store = new VersionStore(dialect, settings.names)
  const { adapter } = dialect
  const out: string[] = [`-- aludel ${toolVersion()}: ${title}`, '']
  // The same timeouts as an online run: a statement that cannot get its lock soon fails instead
  // of queueing every later query on its table behind it.
  const session = {
    lockTimeoutMs: settings.lockTimeout,
    ...(settings.statementTimeout === undefined
      ? {}
      : { statementTimeoutMs: settings.statementTimeout }),
  }
  let stepLockTimeout = settings.lockTimeout
  const executor = new OfflineExecutor(dialect.ddl, out, {
    before: () => adapter.timeoutsSql({ lockTimeoutMs: 0 }, false),
    after: () => adapter.timeoutsSql({ lockTimeoutMs: stepLockTimeout }, false),
  })
  if (adapter.scriptModeSql !== undefined) executor.write(adapter.scriptModeSql)
  executor.write(adapter.timeoutsSql(session, false))
  // A tenant's schema (a schema target, PostgreSQL only): its migrations name their tables
  // unqualified, as an online run finds them through the session's search_path.
  if (options.searchPath !== undefined) {
    executor.write(`SET search_path = ${dialect.ddl.quoteIdentifier(options.searchPath)}`)
  }
  for (const sql of store.createTablesSql()) executor.write(sql)
  const { beginSql, commitSql } = adapter
  let inTransaction = false
  for (const step of steps) {
    const { module, settings: own } = await loadMigration(step.node)
    const transactional = runsInTransaction(step, adapter)
    const overrides = {
      ...(own.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: own.lockTimeoutMs }),
      ...(own.statementTimeoutMs === undefined
        ? {}
        : { statementTimeoutMs: own.statementTimeoutMs }),
    }
    if (inTransaction && !transactional) {
      executor.write(commitSql)
      inTransaction = false
    }
    out.push('')
    out.push(
      `-- Running ${step.direction} ${describeRevisions(step.from)} -> ${describeRevisions(step.to)}${step.node.message ? `, ${step.node.message}` : ''}`,
    )
    if (transactional && !inTransaction) {
      executor.write(beginSql)
      inTransaction = true
    }
    const ownSql = adapter.timeoutsSql(overrides, transactional)
    if (ownSql !== '') executor.write(ownSql)
    stepLockTimeout = own.lockTimeoutMs ?? settings.lockTimeout
    await module[step.direction](
      new Operations(executor, { transactional, engine: dialect.engine }),
    )
    if (ownSql !== '' && !transactional) executor.write(adapter.timeoutsSql(session, false))
    if (!transactional) {
      out.push('-- bookkeeping for the non-transactional step above')
      executor.write(beginSql)
      inTransaction = true
    }
    for (const statement of store.changeStatements(step.changes)) executor.write(statement)
    executor.write(
      store.ledgerStatement([
        {
          runId,
          revision: step.node.revision,
          direction: step.direction,
          from: step.from,
          to: step.to,
          message: step.node.message,
          checksum: step.node.checksum,
          startedAt: undefined,
          finishedAt: undefined,
          durationMs: undefined,
          runBy,
          toolVersion: toolVersion(),
        },
      ]),
    )
    if (settings.transactionPerMigration || !transactional) {
      executor.write(commitSql)
      inTransaction = false
    }
  }
  if (inTransaction) executor.write(commitSql)
  out.push('')
  return out.join('\n')
}
