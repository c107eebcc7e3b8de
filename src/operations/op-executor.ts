import type { MigrationOp } from './migration-op.ts'

/**
 * Where operations go: the online executor runs them on a connection, the offline executor writes
 * them as SQL text. The {@link Operations} facade builds ops and hands them to one of these.
 */
export interface OpExecutor {
  /** Carries out one operation. */
  run(op: MigrationOp): Promise<void>
  /** Runs a query and returns its rows (online only). */
  query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]>
}
