import type { Connection } from '../dialect/connection.ts'
import type { CompiledStatement, Dialect } from '../dialect/dialect.ts'
import { DatabaseError } from '../dialect/dialect-errors.ts'
import type { CreateIndexOp, MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { sha256 } from '../util/sha256.ts'
import { compileOnline, runCheck, shortened } from './compile-online.ts'
import { sleep } from './lock-retry.ts'
import { ResumeConflictError } from './runtime-errors.ts'
import type { StatementProgress, VersionStore } from './version-store.ts'

/** The step a {@link ProgressExecutor} runs, and what an earlier, interrupted try of it applied. */
export interface ProgressStep {
  readonly revision: string
  readonly direction: 'upgrade' | 'downgrade'
  readonly file: string
  /** Checksum of the file now. */
  readonly checksum: string
  /** Statements an earlier try applied and recorded, in order. */
  readonly recorded: readonly StatementProgress[]
  /** The step's lock timeout, in force on the session while it runs. */
  readonly lockTimeoutMs: number
  /** How often a statement that gave up waiting for a lock is tried, and the pause before each. */
  readonly retry: { readonly attempts: number; readonly delayMs: (attempt: number) => number }
  /** Told before a statement is tried again. */
  readonly onRetry: (attempt: number, delayMs: number) => void
}

/**
 * Runs a `transactional = false` migration one statement at a time and records each statement
 * that completes, so that an interrupted step can say exactly what it applied and resume where it
 * stopped.
 *
 * A statement normally travels in one script with its own progress row and the lock guard: the
 * three run as one implicit transaction, so the statement is applied and recorded together, and
 * commits only if the run provably still holds the migration lock when it ends. Statements that refuse to run in a
 * transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`) run alone right after a guard, and are
 * recorded just after they complete; such statements should be idempotent (`IF NOT EXISTS`), as a
 * crash between the two leaves one applied but unrecorded.
 *
 * On a resumed run, the statements that were recorded are not run again: each is compared with the
 * statement the migration produces now, and a difference stops the run.
 */
export class ProgressExecutor implements OpExecutor {
  /** The statement most recently sent to the database. */
  lastStatement: string | undefined
  /** Statements applied by this try (skipped ones not counted). */
  applied = 0
  /** Statements skipped because an earlier try applied them. */
  skipped = 0
  /** Set when a statement ran alone but its progress row could not be written. */
  unrecorded: { readonly seq: number; readonly statement: string } | undefined
  /** A statement gave up waiting for a lock as often as the step's retries allow. */
  retriesSpent = false
  private seq = 0
  private readonly done: string[] = []

  constructor(
    private readonly connection: Connection,
    private readonly dialect: Dialect,
    private readonly store: VersionStore,
    private readonly guardSql: string,
    private readonly runId: string,
    private readonly step: ProgressStep,
    private readonly onWarning: (code: string, message: string) => void,
    /** Creates the progress table unless it exists: called before the first statement applies. */
    private readonly ensureProgressTable: () => Promise<void>,
  ) {}

  /** Shortened texts of the statements applied so far, this try's and earlier ones'. */
  get appliedStatements(): readonly string[] {
    return [...this.step.recorded.map((r) => r.statement), ...this.done]
  }

  async run(op: MigrationOp): Promise<void> {
    const alone = op.kind === 'createIndex' || op.kind === 'dropIndex' ? op.concurrently : false
    if (op.kind === 'createIndex' && op.concurrently) await this.dropInvalidLeftover(op)
    const statements = await compileOnline(this.dialect.ddl, op, this.connection, {
      transactional: false,
    })
    for (const statement of statements) {
      const { failsOnRows } = statement
      // A check reads: like a query, it is not progress, and runs again on a resumed try.
      if (failsOnRows !== undefined) {
        this.lastStatement = statement.sql
        await runCheck(this.connection, { ...statement, failsOnRows })
      } else await this.apply(statement, alone)
    }
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    // Reads are not progress: they run again on a resumed try.
    this.lastStatement = sql
    return (await this.connection.query<Row>(sql, params)).rows
  }

  private async apply(statement: CompiledStatement, alone: boolean): Promise<void> {
    const seq = ++this.seq
    const text = this.dialect.ddl.inlineParams(statement.sql, statement.params).trim()
    const hash = sha256(text)
    const earlier = this.step.recorded[seq - 1]
    if (earlier !== undefined) {
      if (earlier.hash !== hash) {
        throw new ResumeConflictError(
          `${this.step.file} was interrupted after ${this.step.recorded.length} applied statement${this.step.recorded.length === 1 ? '' : 's'}, and statement ${seq} is not the one that ran (it ran \`${earlier.statement}\`, the file now gives \`${shortened(text)}\`); restore the file as it was, or undo what those statements did by hand and forget them with ${this.store.clearProgressScript(this.step.revision)}`,
        )
      }
      this.skipped++
      return
    }
    await this.ensureProgressTable()
    const record = this.store.progressScript(
      {
        revision: this.step.revision,
        direction: this.step.direction,
        seq,
        hash,
        statement: shortened(text),
        checksum: this.step.checksum,
      },
      this.runId,
    )
    this.lastStatement = text
    if (!alone) {
      try {
        // Where DDL is transactional, the guard comes last, right before the implicit COMMIT: if
        // the lock was lost while the statement ran, statement and record are rolled back
        // together. Where each statement commits on its own (MySQL), nothing can be rolled back,
        // so the guard comes first: no statement starts without the lock, and one that ran is
        // recorded. A newline after the statement: it may end in a `--` comment.
        await this.withRetries(() =>
          this.connection.execute(
            this.dialect.adapter.supportsTransactionalDdl
              ? `${text}\n;\n${record};\n${this.guardSql}`
              : `${this.guardSql};\n${text}\n;\n${record}`,
          ),
        )
        this.applied++
        this.done.push(shortened(text))
        return
      } catch (error) {
        if (!this.dialect.adapter.isTransactionBlockError(error)) throw naming(error, text)
        // It must run outside any transaction block: alone, as below.
      }
    }
    // Such statements (CONCURRENTLY) wait for other transactions while holding only a lock that
    // blocks no reads or writes, so their waits are harmless — and a concurrent build cut short
    // by lock_timeout leaves an invalid index behind. They run without a lock timeout.
    const { adapter } = this.dialect
    const restore = adapter.timeoutsSql({ lockTimeoutMs: this.step.lockTimeoutMs }, false)
    await this.connection.execute(
      `${this.guardSql};\n${adapter.timeoutsSql({ lockTimeoutMs: 0 }, false)}`,
    )
    try {
      await this.connection.execute(text)
    } catch (error) {
      await this.connection.execute(restore).catch(() => undefined)
      throw naming(error, text)
    }
    this.applied++
    this.done.push(shortened(text))
    try {
      await this.connection.execute(`${restore};\n${record};\n${this.guardSql}`)
    } catch (error) {
      this.unrecorded = { seq, statement: shortened(text) }
      throw error
    }
  }

  /**
   * Runs a statement (with its record and guard), trying it again after a pause when it gave up
   * waiting for a lock: such a statement did nothing (on PostgreSQL its implicit transaction rolled
   * back; on MySQL the wait comes before the change), so only it is tried again, not the
   * statements of the step before it, which are applied and recorded.
   */
  private async withRetries(send: () => Promise<void>): Promise<void> {
    const { retry } = this.step
    for (let attempt = 1; ; attempt++) {
      try {
        await send()
        return
      } catch (error) {
        if (!this.dialect.adapter.isLockTimeoutError(error)) throw error
        if (attempt >= retry.attempts) {
          this.retriesSpent = retry.attempts > 1
          throw error
        }
        const delayMs = retry.delayMs(attempt)
        this.step.onRetry(attempt, delayMs)
        await sleep(delayMs)
      }
    }
  }

  /**
   * An index build that failed or was interrupted while `CONCURRENTLY` leaves an invalid index
   * behind; `CREATE INDEX` would then fail ("already exists") or, with `IF NOT EXISTS`, silently
   * keep the unusable one. It is dropped (concurrently) so that the build starts over.
   */
  private async dropInvalidLeftover(op: CreateIndexOp): Promise<void> {
    const invalid = await this.dialect.adapter.invalidIndexes?.(this.connection)
    const leftover = invalid?.find(
      (i) =>
        i.name === op.index.name &&
        (op.schema === undefined ? i.inCurrentSchema : i.schema === op.schema),
    )
    if (leftover === undefined) return
    this.onWarning(
      'INVALID_INDEX_REBUILT',
      `index ${leftover.schema}.${leftover.name} on ${leftover.table} was left invalid by an earlier concurrent build that failed or was interrupted; dropping it to build it again`,
    )
    this.lastStatement = leftover.dropSql
    await this.connection.execute(leftover.dropSql)
  }
}

/**
 * A database error of a script that carried `statement` and its bookkeeping, as the error of the
 * statement alone: what the user wrote is what the report must quote.
 */
function naming(error: unknown, statement: string): unknown {
  if (!(error instanceof DatabaseError)) return error
  return new DatabaseError(
    error.message,
    error.sqlState,
    shortened(statement),
    error.detail,
    error.hint,
    { cause: error.cause ?? error },
  )
}
