import { AludelError } from '../aludel-error.ts'
import type { Connection } from '../dialect/connection.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { DatabaseError } from '../dialect/dialect-errors.ts'
import type {
  CatalogSnapshot,
  LockTracer,
  SeenWait,
  TraceScope,
  WatchedStatement,
} from '../dialect/lock-tracer.ts'
import { Operations } from '../operations/operations.ts'
import type { MigrationSource } from './collect-migrations.ts'
import type { OpStatement } from './op-statements.ts'
import { loadSqlParser } from './parse-sql.ts'
import { TraceExecutor } from './trace-executor.ts'
import type { MigrationTrace, StatementTrace } from './trace-types.ts'

/** A lock wait seen while a statement ran outside a transaction. */
export interface TraceWait extends SeenWait {
  readonly revision: string
  /** The statement's index within its migration. */
  readonly index: number
  readonly sql: string
}

/** Options of {@link traceMigrations}. */
export interface TraceOptions {
  /**
   * Milliseconds a statement may wait for a lock before it fails (default 5 000): on a scratch
   * database nothing should hold one for long, and a wait must not hang the trace forever.
   */
  readonly lockTimeoutMs?: number
  /**
   * Tables left out of traces, as `name` (current schema) or `schema.name`. Default: aludel's
   * own tables under their default names.
   */
  readonly excludeTables?: readonly string[]
  /** Told of each lock wait the watching session sees, once it is recorded. */
  readonly onWait?: (wait: TraceWait) => Promise<void> | void
}

/** The dialect has no way to read what a statement locked. */
export class TraceUnsupportedError extends AludelError {
  readonly code = 'TRACE_UNSUPPORTED'
  readonly category = 'usage' as const
}

const DEFAULT_LOCK_TIMEOUT_MS = 5_000
/** aludel's version, ledger and progress tables under the default `versionTable` name. */
const DEFAULT_EXCLUDED = ['aludel_version', 'aludel_version_ledger', 'aludel_version_progress']

/** The sessions and settings one trace runs with. */
interface TraceRun {
  readonly dialect: Dialect
  readonly tracer: LockTracer
  readonly work: Connection
  /** Opened when the first statement must run outside a transaction, where there is a second. */
  observer: Connection | undefined
  readonly scope: TraceScope
  readonly onWait: TraceOptions['onWait']
  /**
   * The snapshot taken after the last statement of the open transaction, when nothing has run on
   * the session since: it is the next statement's "before", which halves the catalog reads.
   */
  latest: CatalogSnapshot | undefined
}

/**
 * Applies `migrations` in order on a scratch database (already migrated to the state before the
 * first one) and records, from the catalog, what each statement did: a transactional migration
 * runs in one transaction and each statement is traced inside it; a `transactional = false` one
 * runs each statement in a transaction of its own (what autocommit gives one statement), and a
 * statement that refuses a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`) outside any,
 * watched from a second session where the database has one. Each migration commits, so later
 * ones build on it; the first failure ends the trace. The caller closes `dialect.driver`.
 *
 * @throws TraceUnsupportedError when the dialect cannot trace
 */
export async function traceMigrations(
  dialect: Dialect,
  migrations: readonly MigrationSource[],
  options: TraceOptions = {},
): Promise<readonly MigrationTrace[]> {
  const tracer = dialect.lockTracer
  if (tracer === undefined) {
    throw new TraceUnsupportedError(
      `${dialect.name} databases cannot be traced; lint without --trace`,
    )
  }
  await loadSqlParser()
  const work = await dialect.driver.connect('aludel lint --trace')
  const run: TraceRun = {
    dialect,
    tracer,
    work,
    observer: undefined,
    latest: undefined,
    scope: { excludeTables: options.excludeTables ?? DEFAULT_EXCLUDED },
    onWait: options.onWait,
  }
  try {
    await work.execute(
      dialect.adapter.timeoutsSql(
        { lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS },
        false,
      ),
    )
    const traces: MigrationTrace[] = []
    for (const migration of migrations) {
      const trace = await traceMigration(run, migration)
      traces.push(trace)
      if (trace.error !== undefined) break
    }
    return traces
  } finally {
    await run.observer?.close()
    await work.close()
  }
}

async function traceMigration(run: TraceRun, migration: MigrationSource): Promise<MigrationTrace> {
  const { adapter } = run.dialect
  const statements: StatementTrace[] = []
  let failure: { readonly index: number; readonly sql: string; readonly error: unknown } | undefined
  let next = 0
  run.latest = undefined
  const forget = () => {
    run.latest = undefined
  }
  const executor = new TraceExecutor(
    run.work,
    run.dialect.ddl,
    async (statement) => {
      const index = next++
      try {
        statements.push(
          migration.transactional
            ? await traceInTransaction(run, statement, index)
            : await traceOnItsOwn(run, migration.revision, statement, index),
        )
      } catch (error) {
        failure ??= { index, sql: statement.sql, error }
        throw error
      }
    },
    forget,
  )
  let open = false
  try {
    if (migration.transactional) {
      await run.work.execute(adapter.beginSql)
      open = true
    }
    await migration.upgrade(new Operations(executor, { transactional: migration.transactional }))
    // An upgrade that caught a failed statement and went on must not be reported as traced.
    if (failure !== undefined) throw failure.error
    if (open) await run.work.execute(adapter.commitSql)
    open = false
    return { revision: migration.revision, statements, error: undefined }
  } catch (error) {
    if (open) await run.work.execute(adapter.rollbackSql).catch(() => undefined)
    const reason = describeError(failure?.error ?? error)
    return {
      revision: migration.revision,
      statements,
      error:
        failure === undefined
          ? `upgrade() failed: ${reason}`
          : `statement ${failure.index} (${shortened(failure.sql)}) failed: ${reason}`,
    }
  }
}

/** Runs one statement inside the open transaction, between two snapshots of the same session. */
async function traceInTransaction(
  run: TraceRun,
  statement: OpStatement,
  index: number,
): Promise<StatementTrace> {
  const before = run.latest ?? (await run.tracer.snapshot(run.work, run.scope))
  run.latest = undefined
  const t0 = performance.now()
  await send(run.work, statement)
  const durationMs = performance.now() - t0
  const after = await run.tracer.snapshot(run.work, run.scope)
  run.latest = after
  return {
    index,
    sql: statement.sql,
    mode: 'transaction',
    ...run.tracer.effects(before, after, true),
    waits: [],
    notes: [],
    durationMs,
  }
}

/**
 * A statement of a `transactional = false` migration. Alone in a transaction it locks what
 * autocommit would have it lock, so it is traced in one; one that refuses to run in a
 * transaction block (SQLSTATE 25001, raised before it does anything) runs outside, as the
 * runtime runs it.
 */
async function traceOnItsOwn(
  run: TraceRun,
  revision: string,
  statement: OpStatement,
  index: number,
): Promise<StatementTrace> {
  const { adapter } = run.dialect
  await run.work.execute(adapter.beginSql)
  try {
    const trace = await traceInTransaction(run, statement, index)
    await run.work.execute(adapter.commitSql)
    // Counters and locks start afresh in the next transaction: its "before" is read anew.
    run.latest = undefined
    return trace
  } catch (error) {
    run.latest = undefined
    await run.work.execute(adapter.rollbackSql).catch(() => undefined)
    if (!adapter.isTransactionBlockError(error)) throw error
  }
  return traceOutsideTransaction(run, revision, statement, index)
}

/**
 * Runs a statement outside any transaction. Its locks are released when it ends, so only a second
 * session watching it while it runs can see them; created, dropped and rewritten relations still
 * show in the catalog afterwards. Scan counters are per transaction and cannot be compared across
 * two (manual, 28.2.2 "Viewing Statistics").
 */
async function traceOutsideTransaction(
  run: TraceRun,
  revision: string,
  statement: OpStatement,
  index: number,
): Promise<StatementTrace> {
  const notes = ['full scans are counted only for statements that run inside a transaction']
  // A database whose migration lock can live on a session of its own has sessions to spare;
  // PGlite has a single one.
  if (run.observer === undefined && run.dialect.adapter.supportsSeparateLockSession) {
    run.observer = await run.dialect.driver.connect('aludel lint --trace (watching)')
  }
  const before = await run.tracer.snapshot(run.work, run.scope)
  const t0 = performance.now()
  const running = send(run.work, statement)
  let watched: WatchedStatement | undefined
  if (run.observer !== undefined) {
    const onWait = run.onWait
    try {
      watched = await run.tracer.watch(
        run.observer,
        before,
        running,
        onWait && ((wait) => onWait({ ...wait, revision, index, sql: statement.sql })),
      )
    } catch (error) {
      await running.catch(() => undefined)
      throw error
    }
  }
  await running
  const durationMs = performance.now() - t0
  const after = await run.tracer.snapshot(run.work, run.scope)
  if (watched === undefined) {
    notes.unshift(
      'ran outside a transaction on a database with a single session: no other session could watch its locks and waits, which ended with it',
    )
  } else if (watched.looks === 0) {
    notes.unshift('ended before the watching session could look at its locks')
  }
  return {
    index,
    sql: statement.sql,
    mode: watched === undefined ? 'unwatched' : 'watched',
    ...run.tracer.effects(before, after, false),
    locks: watched?.locks ?? [],
    waits: watched?.waits ?? [],
    notes,
    durationMs,
  }
}

/** Runs one statement: with the simple protocol when it has no parameters, as the runtime does. */
async function send(connection: Connection, statement: OpStatement): Promise<void> {
  if (statement.params.length === 0) await connection.execute(statement.sql)
  else await connection.query(statement.sql, statement.params)
}

function describeError(error: unknown): string {
  if (error instanceof DatabaseError) {
    return `${error.message}${error.sqlState === undefined ? '' : ` (SQLSTATE ${error.sqlState})`}`
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}

function shortened(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat
}
