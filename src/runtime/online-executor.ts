import type { Connection } from '../dialect/connection.ts'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'

/**
 * Runs operations on a live connection, remembering the last statement sent so that a failure can
 * be reported with the statement that caused it.
 */
export class OnlineExecutor implements OpExecutor {
  /** The statement most recently sent to the database. */
  lastStatement: string | undefined

  constructor(
    private readonly connection: Connection,
    private readonly ddl: DdlCompiler,
  ) {}

  async run(op: MigrationOp): Promise<void> {
    for (const statement of this.ddl.compile(op)) {
      this.lastStatement = statement.sql
      // Without parameters the simple protocol is used, so one execute() may hold a whole script.
      if (statement.params.length === 0) await this.connection.execute(statement.sql)
      else await this.connection.query(statement.sql, statement.params)
    }
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    this.lastStatement = sql
    return (await this.connection.query<Row>(sql, params)).rows
  }
}
