import type { Connection } from '../dialect/connection.ts'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { compileOnline, runCheck } from './compile-online.ts'

/**
 * Runs operations on a live connection, inside the step's transaction, remembering the last
 * statement sent so that a failure can be reported with the statement that caused it.
 *
 * With `deferLast`, the last plain statement (no parameters, no check of rows) is held back
 * instead of sent: it goes to the server with whatever comes next — the next statement's turn, or
 * the step's bookkeeping and COMMIT, which the runner sends in the same round trip (see
 * {@link takeDeferred}). A step of one statement then costs one round trip instead of two;
 * nothing changes in order or atomicity, and one statement of the step at most travels in a
 * script, so that a failure names the statement that caused it. The runner may also hand the
 * executor a {@link prefix}: the committing script of earlier steps, which travels with this
 * step's first statement.
 */
export class OnlineExecutor implements OpExecutor {
  /** The statement most recently sent (or held back) for the database. */
  lastStatement: string | undefined
  /** Held back: earlier steps' committing script, and this step's own statements. */
  private head: string | undefined
  private own: string | undefined

  /**
   * @param onFlush called after held-back statements reached the database and succeeded: the
   *   earlier steps in a prefix are committed then
   */
  constructor(
    private readonly connection: Connection,
    private readonly ddl: DdlCompiler,
    private readonly deferLast = false,
    private readonly onFlush?: () => Promise<void>,
  ) {}

  /** Statements to send first, with this step's (a script committing earlier steps). */
  prefix(sql: string): void {
    this.head = sql
  }

  async run(op: MigrationOp): Promise<void> {
    // Compiling may read the database: what was held back runs first.
    if (this.ddl.needsDatabase?.(op) === true) await this.flush()
    const statements = await compileOnline(this.ddl, op, this.connection, { transactional: true })
    for (const statement of statements) {
      const { failsOnRows } = statement
      // Without parameters the simple protocol is used, so one execute() may hold a script.
      const plain = failsOnRows === undefined && statement.params.length === 0
      if (plain && this.deferLast) {
        // One of the step's statements at a time: a failure names the statement that caused it.
        if (this.own !== undefined) await this.flush()
        this.lastStatement = statement.sql
        this.own = statement.sql
        continue
      }
      await this.flush()
      this.lastStatement = statement.sql
      if (failsOnRows !== undefined) await runCheck(this.connection, { ...statement, failsOnRows })
      else if (statement.params.length === 0) await this.connection.execute(statement.sql)
      else await this.connection.query(statement.sql, statement.params)
    }
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    await this.flush()
    this.lastStatement = sql
    return (await this.connection.query<Row>(sql, params)).rows
  }

  /** What was held back (prefix included), now the caller's to send; undefined if none. */
  takeDeferred(): string | undefined {
    const sql = this.head === undefined ? this.own : join(this.head, this.own)
    this.head = undefined
    return sql
  }

  /**
   * The prefix, if it was never sent: after a failure in this step's own code, the earlier steps
   * must still be committed, as they would have been before this step began.
   */
  takePrefix(): string | undefined {
    const sql = this.head
    this.head = undefined
    return sql
  }

  /** This step's own statements among what was held back, for a failure report. */
  ownDeferred(): string | undefined {
    return this.own
  }

  private async flush(): Promise<void> {
    const sql = this.takeDeferred()
    if (sql === undefined) return
    await this.connection.execute(sql)
    this.own = undefined
    await this.onFlush?.()
  }
}

function join(before: string | undefined, sql: string | undefined): string | undefined {
  if (sql === undefined) return before
  return before === undefined ? sql : `${before};\n${sql}`
}
