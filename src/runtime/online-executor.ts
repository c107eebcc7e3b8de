import type { Connection } from '../dialect/connection.ts'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { compileOnline, runCheck } from './compile-online.ts'

/**
 * Runs operations on a live connection, inside the step's transaction, remembering the last
 * statement sent so that a failure can be reported with the statement that caused it.
 *
 * With `deferLast`, the last plain statement is held back instead of sent: it goes to the server
 * with whatever comes next — the next statement's turn, or the step's bookkeeping and COMMIT,
 * which the runner sends in the same round trip (see {@link takeDeferred}). A step of one
 * statement then costs one round trip instead of two; nothing changes in order or atomicity.
 */
export class OnlineExecutor implements OpExecutor {
  /** The statement most recently sent (or held back) for the database. */
  lastStatement: string | undefined
  private deferred: string | undefined

  constructor(
    private readonly connection: Connection,
    private readonly ddl: DdlCompiler,
    private readonly deferLast = false,
  ) {}

  async run(op: MigrationOp): Promise<void> {
    // Compiling may read the database: what was held back runs first.
    await this.flush()
    const statements = await compileOnline(this.ddl, op, this.connection, { transactional: true })
    for (const statement of statements) {
      await this.flush()
      this.lastStatement = statement.sql
      const { failsOnRows } = statement
      if (failsOnRows !== undefined) await runCheck(this.connection, { ...statement, failsOnRows })
      // Without parameters the simple protocol is used, so one execute() may hold a script.
      else if (statement.params.length === 0 && this.deferLast) this.deferred = statement.sql
      else if (statement.params.length === 0) await this.connection.execute(statement.sql)
      else await this.connection.query(statement.sql, statement.params)
    }
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    await this.flush()
    this.lastStatement = sql
    return (await this.connection.query<Row>(sql, params)).rows
  }

  /** The statement held back, now the caller's to send (first in its script); undefined if none. */
  takeDeferred(): string | undefined {
    const sql = this.deferred
    this.deferred = undefined
    return sql
  }

  private async flush(): Promise<void> {
    const sql = this.takeDeferred()
    if (sql !== undefined) await this.connection.execute(sql)
  }
}
