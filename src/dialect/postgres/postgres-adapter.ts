import { createHash, randomBytes } from 'node:crypto'
import type { Connection } from '../connection.ts'
import type {
  DialectAdapter,
  InvalidIndex,
  LockHolder,
  LockOptions,
  MigrationLock,
  SessionActivity,
  VersionTableNames,
  WorkSessionSettings,
} from '../dialect.ts'
import { DatabaseError, TransactionPoolerError } from '../dialect-errors.ts'
import { LockTimeoutError } from '../lock-timeout-error.ts'
import { progressTableSql, type VersionTableSpelling, versionTablesSql } from '../version-tables.ts'
import { blockingSessions, invalidIndexes, taggedSessions } from './postgres-activity.ts'
import type { PostgresDdlCompiler } from './postgres-ddl-compiler.ts'
import { quoteString } from './postgres-quoting.ts'

/**
 * PostgreSQL's capabilities and runtime pieces. DDL is transactional. The migration lock is an
 * advisory lock (manual, 9.28.10 "Advisory Lock Functions"), held in one of two ways:
 *
 * - with a separate lock session (a server), as a *transaction-level* lock in a transaction that
 *   the lock session keeps open for the whole run. An open transaction pins its server session even
 *   behind a pooler, the lock cannot be taken twice by one server session reused by another client,
 *   and it vanishes the moment that transaction ends — when the holder dies, is terminated, or
 *   loses its network. The work session proves before each COMMIT that this very transaction still
 *   holds it (`guardSql`, see {@link runTokenHeld});
 * - with a single session (PGlite), as a session-level lock on that session.
 *
 * A transaction that has only taken an advisory lock has no transaction id and no snapshot, so the
 * idle lock session holds back neither VACUUM nor `CREATE INDEX CONCURRENTLY`.
 */
export class PostgresAdapter implements DialectAdapter {
  readonly supportsTransactionalDdl = true
  readonly supportsSeparateLockSession: boolean
  readonly lintRules = true
  readonly beginSql = 'BEGIN'
  // Transaction-local, set right after the BEGIN of the next step's transaction. A step whose
  // statements come in a later script starts at that script's receipt, which is later.
  readonly stepStartSql = "SELECT set_config('aludel.step_start', clock_timestamp()::text, true)"
  readonly commitSql = 'COMMIT'
  readonly rollbackSql = 'ROLLBACK'
  /** How PostgreSQL spells the columns of aludel's tables. */
  private readonly spelling: VersionTableSpelling

  /**
   * @param where the database as messages name it (a redacted URL)
   */
  constructor(
    private readonly ddl: PostgresDdlCompiler,
    separateLockSession: boolean,
    private readonly where: string,
  ) {
    this.supportsSeparateLockSession = separateLockSession
    this.spelling = {
      quoteIdentifier: (name) => ddl.quoteIdentifier(name),
      quoteQualified: (schema, name) => ddl.quoteQualified(schema, name),
      ledgerKey: 'id bigserial PRIMARY KEY',
      timestamp: 'timestamptz',
      currentUser: 'current_user',
    }
  }

  async acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock> {
    const key = advisoryKey(names)
    return this.supportsSeparateLockSession
      ? this.acquireTransactionLock(connection, key, options)
      : this.acquireSessionLock(connection, key, options)
  }

  private async acquireTransactionLock(
    connection: Connection,
    key: AdvisoryKey,
    options: LockOptions,
  ): Promise<MigrationLock> {
    // The lock session idles in its transaction for the whole run: no server timeout may end it.
    // Besides the project's key it takes a key of its own, new for every run: see runTokenHeld.
    const attempt = async () => {
      for (;;) {
        const token = randomBytes(8).readBigInt64BE(0)
        const [row] = await connection.queryScript<{
          locked: boolean
          token: boolean
          pid: number
          probe: string | null
        }>(
          `BEGIN;
SET LOCAL idle_in_transaction_session_timeout = 0;
SET LOCAL statement_timeout = 0;
SELECT pg_try_advisory_xact_lock(${key.sql}) AS locked, pg_try_advisory_xact_lock(${token}::bigint) AS token,
       pg_backend_pid() AS pid, current_setting('aludel.probe', true) AS probe`,
        )
        if (row?.locked && row.token) return { ...row, token }
        await connection.execute('ROLLBACK')
        // A random 64-bit key already held elsewhere: another is drawn.
        if (row?.locked) continue
        return row === undefined ? undefined : { ...row, token }
      }
    }
    const started = performance.now()
    let row = await attempt()
    // The lock session never marks itself: any mark it sees was set by another client's session
    // — this run's work session, a concurrent run's, or an earlier run's left on a pooled server
    // session.
    if (options.probe !== undefined && row?.probe) {
      if (row.locked) await connection.execute('ROLLBACK')
      throw new TransactionPoolerError(this.where)
    }
    if (!row?.locked) {
      const holder = await this.lockHolder(connection, key)
      options.onWait(holder)
      // The wait polls in short transactions instead of blocking in one: a transaction waiting
      // for the lock would hold a snapshot, and the holder's CREATE INDEX CONCURRENTLY waits for
      // every transaction older than its own snapshot (manual, CREATE INDEX, "Building Indexes
      // Concurrently") — the two would wait for each other.
      while (!row?.locked) {
        const left = options.timeoutMs - (performance.now() - started)
        if (left <= 0) {
          throw new LockTimeoutError(
            options.timeoutMs,
            (await this.lockHolder(connection, key)) ?? holder,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, left)))
        row = await attempt()
      }
    }
    const pid = Number(row.pid)
    return {
      holderId: pid,
      guardSql: lockGuard(runTokenHeld(row.token), options.probe),
      // Ending the transaction is what releases a transaction-level lock.
      release: () => connection.execute('ROLLBACK'),
    }
  }

  private async acquireSessionLock(
    connection: Connection,
    key: AdvisoryKey,
    options: LockOptions,
  ): Promise<MigrationLock> {
    const [tried] = await connection.queryScript<{ locked: boolean; pid: number }>(
      `SELECT pg_try_advisory_lock(${key.sql}) AS locked, pg_backend_pid() AS pid`,
    )
    if (!tried?.locked) {
      const holder = await this.lockHolder(connection, key)
      options.onWait(holder)
      await connection.execute(`SET lock_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`)
      try {
        await connection.query(`SELECT pg_advisory_lock(${key.sql})`)
      } catch (error) {
        if (this.isLockTimeoutError(error)) {
          throw new LockTimeoutError(
            options.timeoutMs,
            holder ?? (await this.lockHolder(connection, key)),
          )
        }
        throw error
      } finally {
        await connection.execute('RESET lock_timeout').catch(() => undefined)
      }
    }
    return {
      holderId: tried === undefined ? undefined : Number(tried.pid),
      guardSql: lockGuard(lockRowExists(`pid = pg_backend_pid() AND ${key.match}`)),
      release: async () => {
        await connection.query(`SELECT pg_advisory_unlock(${key.sql})`)
      },
    }
  }

  isLockLostError(error: unknown): boolean {
    return (
      error instanceof DatabaseError &&
      (error.sqlState === LOCK_LOST_STATE || error.sqlState === POOLED_STATE)
    )
  }

  lockLossCause(error: unknown): string | undefined {
    if (!(error instanceof DatabaseError) || error.sqlState !== POOLED_STATE) return undefined
    return "a statement reached a server session other than this run's: a connection pooler in transaction mode shares server sessions between clients; give migrations a direct connection to the server with `migrationUrl` in aludel.config.ts (or --url)"
  }

  probeSql(probe: string): string {
    return `SELECT set_config('aludel.probe', ${quoteString(probe)}, false)`
  }

  async prepareWorkSession(
    connection: Connection,
    settings: WorkSessionSettings,
  ): Promise<number | undefined> {
    // Settings a server may not know (idle_session_timeout and client_connection_check_interval
    // arrived in PostgreSQL 14; the latter needs kernel support PGlite lacks) are set one by one,
    // each ignored where it is refused: they protect, the run does not depend on them.
    const optional: readonly (readonly [string, string])[] = [
      ['idle_session_timeout', '0'],
      // The server polls the client's socket while a statement runs and stops the statement when
      // the client is gone: a killed deploy does not leave an index build running (manual, 20.3.2).
      ['client_connection_check_interval', String(CLIENT_CHECK_INTERVAL_MS)],
      // A silent network loss is noticed by the server within about a minute.
      ['tcp_keepalives_idle', '30'],
      ['tcp_keepalives_interval', '10'],
      ['tcp_keepalives_count', '3'],
    ]
    const rows = await connection.queryScript<{ pid: number; probe: string | null }>(
      [
        `SET application_name = ${quoteString(settings.applicationName.slice(0, 63))}`,
        'SET idle_in_transaction_session_timeout = 0',
        this.timeoutsSql(
          {
            lockTimeoutMs: settings.lockTimeoutMs,
            ...(settings.statementTimeoutMs === undefined
              ? {}
              : { statementTimeoutMs: settings.statementTimeoutMs }),
          },
          false,
        ),
        `DO $aludel_settings$BEGIN
${optional.map(([name, value]) => `  BEGIN PERFORM set_config(${quoteString(name)}, ${quoteString(value)}, false); EXCEPTION WHEN OTHERS THEN NULL; END;`).join('\n')}
END$aludel_settings$`,
        "SELECT pg_backend_pid() AS pid, current_setting('aludel.probe', true) AS probe",
      ].join(';\n'),
    )
    // The mark set before the lock was taken must still be there: behind a pooler in transaction
    // mode this statement may have gone to another server session.
    if (settings.probe !== undefined && rows[0]?.probe !== settings.probe) {
      throw new TransactionPoolerError(this.where)
    }
    return rows[0] === undefined ? undefined : Number(rows[0].pid)
  }

  timeoutsSql(
    timeouts: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number | null },
    local: boolean,
  ): string {
    const set = local ? 'SET LOCAL' : 'SET'
    const parts: string[] = []
    if (timeouts.lockTimeoutMs !== undefined) {
      parts.push(`${set} lock_timeout = ${Math.round(timeouts.lockTimeoutMs)}`)
    }
    if (timeouts.statementTimeoutMs === null) parts.push(`${set} statement_timeout TO DEFAULT`)
    else if (timeouts.statementTimeoutMs !== undefined) {
      parts.push(`${set} statement_timeout = ${Math.round(timeouts.statementTimeoutMs)}`)
    }
    return parts.join(';\n')
  }

  isLockTimeoutError(error: unknown): boolean {
    return error instanceof DatabaseError && error.sqlState === '55P03'
  }

  isTransactionBlockError(error: unknown): boolean {
    return error instanceof DatabaseError && error.sqlState === '25001'
  }

  blockers(observer: Connection, pid: number): Promise<readonly SessionActivity[]> {
    return blockingSessions(observer, pid)
  }

  workSessions(
    connection: Connection,
    tag: string,
    exclude: readonly number[],
  ): Promise<readonly SessionActivity[]> {
    return taggedSessions(connection, tag, exclude)
  }

  stopSessionSql(pid: number): string {
    return `SELECT pg_cancel_backend(${Math.trunc(pid)})`
  }

  invalidIndexes(connection: Connection): Promise<readonly InvalidIndex[]> {
    return invalidIndexes(connection)
  }

  private async lockHolder(
    connection: Connection,
    key: AdvisoryKey,
  ): Promise<LockHolder | undefined> {
    try {
      // pg_stat_activity is read once per transaction and then served from a snapshot (manual,
      // 28.2.2): the lock session may be inside one, so the snapshot is cleared first.
      const [row] = await connection.queryScript<{
        pid: number
        application_name: string | null
        usename: string | null
        client_addr: string | null
        backend_start: Date | null
      }>(
        `SELECT pg_stat_clear_snapshot();
SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.backend_start
  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND ${key.match}
 LIMIT 1`,
      )
      if (!row) return undefined
      return {
        pid: row.pid,
        application: row.application_name ?? undefined,
        user: row.usename ?? undefined,
        clientAddress: row.client_addr ?? undefined,
        since: row.backend_start ?? undefined,
      }
    } catch {
      // Seeing other sessions needs privileges some roles lack; the wait itself still works.
      return undefined
    }
  }

  versionSummarySql(names: VersionTableNames): string {
    const version = this.ddl.quoteQualified(names.schema, names.versionTable)
    const ledger = this.ddl.quoteQualified(names.schema, names.ledgerTable)
    // COLLATE "C" sorts by byte, which is how aludel sorts revision ids on its side.
    return `SELECT (SELECT string_agg(version_num, ',' ORDER BY version_num COLLATE "C") FROM ${version}) AS heads,
  (SELECT md5(string_agg(l.revision || ':' || coalesce(l.checksum, ''), E'\\n' ORDER BY l.revision COLLATE "C"))
     FROM ${ledger} l JOIN (SELECT revision, max(id) AS id FROM ${ledger} GROUP BY revision) m ON m.id = l.id
    WHERE l.direction IN ('upgrade', 'stamp', 'rehash')) AS digest`
  }

  createVersionTablesSql(names: VersionTableNames): readonly string[] {
    const q = this.ddl
    return [
      ...(names.schema === undefined
        ? []
        : [`CREATE SCHEMA IF NOT EXISTS ${q.quoteIdentifier(names.schema)}`]),
      ...versionTablesSql(names, this.spelling),
    ]
  }

  timedLedgerSql(
    startedAt: string,
    jsMs: number,
  ): { readonly finishedAt: string; readonly durationMs: string } {
    // statement_timestamp() is when the server received the script (manual, 9.9.5), also for its
    // later statements; clock_timestamp() is the present. A step that shares its script with
    // earlier ones starts at the mark the previous step's commit set (stepStartSql).
    // greatest() passes over a NULL: no mark (or an empty one) leaves the script's arrival.
    const start = `greatest(statement_timestamp(), nullif(current_setting('aludel.step_start', true), '')::timestamptz)`
    const ms = `(${Number(jsMs.toFixed(3))} + extract(epoch FROM clock_timestamp() - ${start}) * 1000)`
    return {
      finishedAt: `(CAST(${startedAt} AS timestamptz) + ${ms} * interval '1 millisecond')`,
      durationMs: `CAST(round(${ms}) AS integer)`,
    }
  }

  versionTablesPresentSql(names: VersionTableNames): string {
    // to_regclass resolves a name as a statement would (search_path included) and says NULL
    // instead of failing.
    const regclass = (table: string) =>
      `pg_catalog.to_regclass(${quoteString(this.ddl.quoteQualified(names.schema, table))}) IS NOT NULL`
    return `SELECT ${regclass(names.versionTable)} AS version, ${regclass(names.progressTable)} AS progress`
  }

  createProgressTableSql(names: VersionTableNames): string {
    return progressTableSql(names, this.spelling)
  }

  isMissingTableError(error: unknown): boolean {
    return (
      error instanceof DatabaseError && (error.sqlState === '42P01' || error.sqlState === '3F000')
    )
  }

  hintFor(error: unknown): string | undefined {
    if (!(error instanceof DatabaseError)) return undefined
    if (error.sqlState === '25001') {
      return 'this statement cannot run in a transaction: add `export const transactional = false` to the migration'
    }
    // PGlite ships contrib extensions as separate imports (@electric-sql/pglite/contrib/*) that
    // must be given to it when it starts; its URL names those aludel's driver loads.
    if (error.sqlState === '0A000' && /^extension .* is not available/.test(error.message)) {
      return 'the database cannot install this extension (SELECT name FROM pg_available_extensions lists those it can); an embedded PGlite database loads the contrib extensions its URL names, e.g. pglite:./data?extensions=citext,pg_trgm'
    }
    return undefined
  }

  returningRows(sql: string): string {
    return `${sql} RETURNING 1 AS touched`
  }

  guardOneRow(sql: string): string | undefined {
    if (sql.includes(GUARD_TAG)) return undefined
    // An anonymous PL/pgSQL block: plain SQL cannot raise an error of its own.
    return `DO ${GUARD_TAG}DECLARE n bigint; BEGIN ${sql}; GET DIAGNOSTICS n = ROW_COUNT; IF n <> 1 THEN RAISE EXCEPTION 'aludel: % version rows matched, expected 1', n USING ERRCODE = '${ONE_ROW_GUARD_STATE}'; END IF; END${GUARD_TAG}`
  }

  isOneRowGuardError(error: unknown): boolean {
    return error instanceof DatabaseError && error.sqlState === ONE_ROW_GUARD_STATE
  }
}

/** The SQLSTATE of a failed one-row guard: class `AL` is aludel's own, unused by PostgreSQL. */
const ONE_ROW_GUARD_STATE = 'AL001'
/** The dollar-quote tag of a guard's body; a statement containing it is not guarded. */
const GUARD_TAG = '$aludel_guard$'

/** The SQLSTATE of a lock guard that found the lock gone. */
const LOCK_LOST_STATE = 'AL002'
/** Raised by the guard when a statement reached a server session the run did not prepare. */
const POOLED_STATE = 'AL003'

/** How often a runner waiting for the migration lock tries again. */
const LOCK_POLL_MS = 100

/** How often the server checks that a migration's client is still there while a statement runs. */
const CLIENT_CHECK_INTERVAL_MS = 2000

/** An advisory-lock key: as the functions take it, and as `pg_locks` shows it. */
interface AdvisoryKey {
  /** The bigint argument of `pg_advisory_lock`. */
  readonly sql: string
  /** A condition on `pg_locks` columns matching this key in the current database. */
  readonly match: string
}

/**
 * A stable 64-bit advisory-lock key per version table, so two projects sharing a database do not
 * block each other. A bigint key shows in `pg_locks` as classid = high 32 bits, objid = low 32
 * bits, objsubid = 1.
 */
function advisoryKey(names: VersionTableNames): AdvisoryKey {
  const digest = createHash('sha256')
    .update(`aludel:${names.schema ?? ''}.${names.versionTable}`)
    .digest()
  const key = digest.readBigInt64BE(0)
  const unsigned = BigInt.asUintN(64, key)
  return {
    sql: `${key}::bigint`,
    match: `locktype = 'advisory' AND granted AND objsubid = 1 AND classid = ${unsigned >> 32n}::oid AND objid = ${unsigned & 0xffffffffn}::oid AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`,
  }
}

/**
 * A PL/pgSQL condition, true while the lock session's transaction that took the lock is still
 * open — and with it the transaction-level lock, which nothing but its transaction's end releases.
 *
 * In that transaction the lock session also took `token`, a random key no other run knows, so the
 * token is held exactly as long as the migration lock. Asking the lock manager for a shared lock
 * on it answers without waiting: refused while the lock session's transaction holds the token,
 * granted once that transaction has ended, however it ended (terminated, timed out, network gone,
 * rolled back). A granted lock is no harm: the guard then raises, and the work transaction's
 * rollback releases it. This reads no view: `pg_locks` copies the whole lock table and
 * `pg_stat_get_activity` the status of every backend, each several times the cost of the step's
 * own bookkeeping, paid at every commit (twenty thousand times by a fleet run of a thousand
 * tenants), and the latter depends on `track_activities`.
 */
function runTokenHeld(token: bigint): string {
  return `NOT pg_catalog.pg_try_advisory_xact_lock_shared(${token}::bigint)`
}

/** A PL/pgSQL condition, true while a `pg_locks` row matches `condition`. */
function lockRowExists(condition: string): string {
  return `EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE ${condition})`
}

/**
 * The guard sent with every commit: a DO block raising {@link LOCK_LOST_STATE} unless `held` is
 * true. With a `probe`, it also checks that the statement reached the server session the work
 * session marked: behind a pooler in transaction mode a later transaction may land on another
 * server session (without the run's settings), and a pooler that happened to hand out the same
 * session while the run started would otherwise go unnoticed.
 */
function lockGuard(held: string, probe?: string): string {
  const sameSession =
    probe === undefined
      ? ''
      : `IF current_setting('aludel.probe', true) IS DISTINCT FROM ${quoteString(probe)} THEN RAISE EXCEPTION 'aludel: the statement reached another server session' USING ERRCODE = '${POOLED_STATE}'; END IF; `
  return `DO $aludel_lock$BEGIN ${sameSession}IF NOT (${held}) THEN RAISE EXCEPTION 'aludel: the migration lock is no longer held by this run' USING ERRCODE = '${LOCK_LOST_STATE}'; END IF; END$aludel_lock$`
}
