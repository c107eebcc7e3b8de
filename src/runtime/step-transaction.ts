import type { DialectAdapter } from '../dialect/dialect.ts'
import type { MigrationStep } from '../script/revision-map.ts'
import type { Script } from '../script/script-directory.ts'

/**
 * Whether a step runs inside a transaction that a failure rolls back. Only when the migration
 * allows it (`transactional`, the default) and the database can roll DDL back: where each DDL
 * statement commits on its own (MySQL), a transaction would promise a rollback that cannot
 * happen, so every step runs statement by statement, each recorded as it completes, and a
 * failure reports exactly what was applied.
 */
export function runsInTransaction(
  step: MigrationStep<Script>,
  adapter: Pick<DialectAdapter, 'supportsTransactionalDdl'>,
): boolean {
  return step.node.transactional && adapter.supportsTransactionalDdl
}
