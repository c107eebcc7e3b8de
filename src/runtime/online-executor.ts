import type { Connection } from '../dialect/connection.ts'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { compileOnline, runCheck } from './compile-online.ts'

/**
 * Runs operations on a live connection, inside the step's transaction, remembering the last
 * statement sent so that a failure can be reported with the statement that caused it.
 */
export class OnlineExecutor implements OpExecutor {
  /** The statement most recently sent to the database. */
  lastStatement: string | undefined

  constructor(
    private readonly connection: Connection,
    private readonly ddl: DdlCompiler,
  ) {}

  async run(op: MigrationOp): Promise<void> {
    const statements = await compileOnline(this.ddl, op, this.connection, { transactional: true })
    for (const statement of statements) {
      this.lastStatement = statement.sql
      const { failsOnRows } = statement
      if (failsOnRows !== undefined) await runCheck(this.connection, { ...statement, failsOnRows })
      // Without parameters the simple protocol is used, so one execute() may hold a whole script.
      else if (statement.params.length === 0) await this.connection.execute(statement.sql)
      else await this.connection.query(statement.sql, statement.params)
    }
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    this.lastStatement = sql
    return (await this.connection.query<Row>(sql, params)).rows
  }
}
