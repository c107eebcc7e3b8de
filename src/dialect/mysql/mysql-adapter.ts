import { createHash } from 'node:crypto'
import type { Connection } from '../connection.ts'
import type {
  DialectAdapter,
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
import { type MysqlServer, mysqlErrno } from './mysql-driver.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './mysql-quoting.ts'

/** The CHECK constraint a guard trips when this run no longer holds the migration lock. */
const LOCK_LOST = 'aludel_lock_lost'

/** The CHECK constraint a version-table change trips when it touched no row, or several. */
const ROW_CONFLICT = 'aludel_version_conflict'

/** The largest timeout MySQL takes, in seconds (one year): "wait forever". */
const FOREVER_S = 31_536_000

/** MySQL's error numbers (manual, "Server Error Message Reference"). */
const ER_LOCK_WAIT_TIMEOUT = 1205
const ER_LOCK_NOWAIT = 3572
const ER_NO_SUCH_TABLE = 1146
const ER_ALTER_OPERATION_NOT_SUPPORTED = 1845
const ER_ALTER_OPERATION_NOT_SUPPORTED_REASON = 1846
const ER_BLOB_KEY_WITHOUT_LENGTH = 1170
const ER_DROP_INDEX_FK = 1553

/**
 * MySQL's and MariaDB's capabilities and runtime pieces. Every DDL statement commits on its own
 * (manual, 15.3.3 "Statements That Cause an Implicit Commit"), so no migration runs in a
 * transaction there: each statement is applied and recorded one by one, and a failure reports
 * exactly what was applied.
 *
 * The migration lock is a named lock (`GET_LOCK`, manual 14.14 "Locking Functions") held by a
 * session of its own for the whole run: the server frees it the moment that session ends, by a
 * crash, a kill or a lost network. The work session proves it is still held before each statement
 * and bookkeeping commit (`guardSql`): the lock's holder must be the lock session's connection id,
 * else a CHECK constraint on a temporary table fails (plain SQL has no other way to raise an error
 * on MySQL). The work session takes a second named lock of its own, so that a later run waits for
 * a killed run's statement that the server is still executing.
 */
export class MysqlAdapter implements DialectAdapter {
  readonly supportsTransactionalDdl = false
  readonly supportsSeparateLockSession = true
  /**
   * An offline script is written without a session to ask, for MySQL's default mode, where a
   * backslash in a string is an escape; a server whose `sql_mode` holds `NO_BACKSLASH_ESCAPES`
   * would read the expressions of its DDL (a default of `'a\\b'`) otherwise. Data is written in
   * hex, which no mode reads differently. The setting lasts as long as the script's session.
   */
  readonly scriptModeSql =
    "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))"
  readonly lintRules = false
  readonly beginSql = 'START TRANSACTION'
  readonly commitSql = 'COMMIT'
  readonly rollbackSql = 'ROLLBACK'

  /** @param server what the driver learned of the server (MariaDB or MySQL) */
  constructor(private readonly server: MysqlServer) {}

  async acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock> {
    // The lock session idles for the whole run: the server's idle timeout must not end it.
    await connection.execute(`SET SESSION wait_timeout = ${FOREVER_S}`)
    const [me] = (
      await connection.query<{ id: number | string; db: string | null; probe: string | null }>(
        'SELECT CONNECTION_ID() AS id, DATABASE() AS db, @aludel_probe AS probe',
      )
    ).rows
    // The lock session never sets the probe: seeing one means a proxy shares server sessions.
    if (options.probe !== undefined && me?.probe)
      throw new TransactionPoolerError('the database URL')
    const id = Number(me?.id)
    const name = lockName(me?.db ?? '', names)
    const take = async (seconds: number) =>
      Number(
        (
          await connection.query<{ got: number | null }>('SELECT GET_LOCK(?, ?) AS got', [
            name,
            seconds,
          ])
        ).rows[0]?.got,
      ) === 1
    if (!(await take(0))) {
      const holder = await lockHolder(connection, name)
      options.onWait(holder)
      // GET_LOCK waits on the server: no polling, and the waiter is first in line.
      const seconds = options.timeoutMs / 1000
      if (!(await take(Math.min(seconds, FOREVER_S)))) {
        throw new LockTimeoutError(
          options.timeoutMs,
          (await lockHolder(connection, name)) ?? holder,
        )
      }
    }
    return {
      holderId: id,
      // The table is created by prepareWorkSession, on the session the guard runs on.
      guardSql: `INSERT INTO aludel_lock_guard SELECT IS_USED_LOCK(${quoteString(name)}) <=> ${id};
DELETE FROM aludel_lock_guard`,
      release: async () => {
        await connection.query('SELECT RELEASE_LOCK(?)', [name])
      },
    }
  }

  /** `sql` followed by a check of its row count, on the work session's guard table. */
  guardOneRow(sql: string): string {
    return `${sql};
INSERT INTO aludel_row_guard SELECT ROW_COUNT();
DELETE FROM aludel_row_guard`
  }

  isOneRowGuardError(error: unknown): boolean {
    return error instanceof DatabaseError && error.message.includes(ROW_CONFLICT)
  }

  isLockLostError(error: unknown): boolean {
    return error instanceof DatabaseError && error.message.includes(LOCK_LOST)
  }

  lockLossCause(): string | undefined {
    return undefined
  }

  probeSql(probe: string): string {
    return `SET @aludel_probe = ${quoteString(probe)}`
  }

  async prepareWorkSession(
    connection: Connection,
    settings: WorkSessionSettings,
  ): Promise<number | undefined> {
    const timeouts = this.timeoutsSql(
      {
        lockTimeoutMs: settings.lockTimeoutMs,
        statementTimeoutMs: settings.statementTimeoutMs ?? null,
      },
      false,
    )
    // The temporary tables whose CHECKs raise the guards' errors: private to this session, and
    // created once for it (CREATE TEMPORARY TABLE does not commit a transaction).
    await connection.execute(`SET SESSION wait_timeout = ${FOREVER_S};
${timeouts};
CREATE TEMPORARY TABLE IF NOT EXISTS aludel_lock_guard (held int, CONSTRAINT ${LOCK_LOST} CHECK (held = 1));
CREATE TEMPORARY TABLE IF NOT EXISTS aludel_row_guard (touched int, CONSTRAINT ${ROW_CONFLICT} CHECK (touched = 1))`)
    const [row] = (
      await connection.query<{ id: number | string; probe: string | null; work: number | null }>(
        `SELECT CONNECTION_ID() AS id, @aludel_probe AS probe, GET_LOCK(${WORK_LOCK}, 0) AS work`,
        [runTag(settings.applicationName)],
      )
    ).rows
    // The mark must still be there: a proxy that moved this client to another server session
    // would leave the run's session settings and work lock behind.
    if (settings.probe !== undefined && row?.probe !== settings.probe) {
      throw new TransactionPoolerError('the database URL')
    }
    return Number(row?.id)
  }

  /**
   * Timeouts in whole seconds, as MySQL takes them: `lock_wait_timeout` (metadata locks, which
   * every ALTER TABLE waits for) and `innodb_lock_wait_timeout` (row locks), both raising error
   * 1205; a statement timeout is MariaDB's `max_statement_time`, or MySQL's
   * `max_execution_time` (which stops only SELECTs). MySQL has no transaction-local settings:
   * `local` ones are set for the session, and every step here runs outside a transaction anyway.
   */
  timeoutsSql(
    timeouts: { readonly lockTimeoutMs?: number; readonly statementTimeoutMs?: number | null },
    _local: boolean,
  ): string {
    const out: string[] = []
    if (timeouts.lockTimeoutMs !== undefined) {
      const s = seconds(timeouts.lockTimeoutMs)
      out.push(
        `SET SESSION lock_wait_timeout = ${s}, innodb_lock_wait_timeout = ${Math.min(s, 1_073_741_824)}`,
      )
    }
    if (timeouts.statementTimeoutMs !== undefined) {
      const ms = timeouts.statementTimeoutMs
      out.push(
        this.server.mariadb
          ? `SET SESSION max_statement_time = ${ms === null ? 'DEFAULT' : ms / 1000}`
          : `SET SESSION max_execution_time = ${ms === null ? 'DEFAULT' : Math.round(ms)}`,
      )
    }
    return out.join(';\n')
  }

  isLockTimeoutError(error: unknown): boolean {
    const errno = mysqlErrno(error)
    return errno === ER_LOCK_WAIT_TIMEOUT || errno === ER_LOCK_NOWAIT
  }

  isTransactionBlockError(): boolean {
    // Nothing refuses to run in a transaction: every step here runs outside one.
    return false
  }

  async workSessions(
    connection: Connection,
    tag: string,
    exclude: readonly number[],
  ): Promise<readonly SessionActivity[]> {
    const [row] = (
      await connection.query<{ got: number | null; holder: number | string | null }>(
        `SELECT GET_LOCK(${WORK_LOCK}, 0) AS got, IS_USED_LOCK(${WORK_LOCK}) AS holder`,
        [tag, tag],
      )
    ).rows
    if (Number(row?.got) === 1 || row?.holder === null || row?.holder === undefined) return []
    const holder = Number(row.holder)
    if (exclude.includes(holder)) return []
    const activity = await processActivity(connection, holder)
    return [
      activity ?? {
        pid: holder,
        application: 'aludel work session of an earlier run',
        user: undefined,
        state: undefined,
        since: undefined,
        query: undefined,
      },
    ]
  }

  stopSessionSql(pid: number): string {
    return `KILL ${Math.trunc(pid)}`
  }

  /**
   * The version rows and the digest of the applied checksums in one row. GROUP_CONCAT stops at
   * `group_concat_max_len` (1,024 bytes by default on MySQL), so the statement raises it for
   * itself (MariaDB's `SET STATEMENT`, MySQL's `SET_VAR` hint); the separator is a newline
   * written as itself, which no SQL mode reads otherwise; ids sort by byte, as aludel sorts them.
   */
  versionSummarySql(names: VersionTableNames): string {
    const version = quoteQualified(names.schema, names.versionTable)
    const ledger = quoteQualified(names.schema, names.ledgerTable)
    const select = `SELECT ${this.server.mariadb ? '' : '/*+ SET_VAR(group_concat_max_len = 1073741824) */ '}(SELECT GROUP_CONCAT(version_num ORDER BY CAST(version_num AS BINARY) SEPARATOR ',') FROM ${version}) AS heads,
  (SELECT MD5(GROUP_CONCAT(CONCAT(l.revision, ':', COALESCE(l.checksum, '')) ORDER BY CAST(l.revision AS BINARY) SEPARATOR '
'))
     FROM ${ledger} l JOIN (SELECT revision, max(id) AS id FROM ${ledger} GROUP BY revision) m ON m.id = l.id
    WHERE l.direction IN ('upgrade', 'stamp', 'rehash')) AS digest`
    return this.server.mariadb
      ? `SET STATEMENT group_concat_max_len = 1073741824 FOR ${select}`
      : select
  }

  createVersionTablesSql(names: VersionTableNames): readonly string[] {
    return versionTablesSql(names, MYSQL_SPELLING)
  }

  createProgressTableSql(names: VersionTableNames): string {
    return progressTableSql(names, MYSQL_SPELLING)
  }

  isMissingTableError(error: unknown): boolean {
    return mysqlErrno(error) === ER_NO_SUCH_TABLE
  }

  hintFor(error: unknown): string | undefined {
    switch (mysqlErrno(error)) {
      case ER_LOCK_WAIT_TIMEOUT:
      case ER_LOCK_NOWAIT:
        return 'another session held a lock on the table for longer than lockTimeout (often a transaction left open after touching it); find it with SHOW PROCESSLIST, or raise lockTimeout'
      case ER_ALTER_OPERATION_NOT_SUPPORTED:
      case ER_ALTER_OPERATION_NOT_SUPPORTED_REASON:
        return 'the server can make this change only by copying the table, which blocks writes to it until the copy ends; run it in a quiet hour with op.execute and ALGORITHM=COPY, use an online schema change tool for a big table, or add ?onlineDdl=off to the URL to let the server choose'
      case ER_DROP_INDEX_FK:
        return 'MySQL keeps an index on the columns of every foreign key: create another index on them first, or drop the foreign key in the same migration before the index'
      case ER_BLOB_KEY_WITHOUT_LENGTH:
        return 'MySQL indexes a text or blob column only by a prefix: index a varchar column instead'
      default:
        return undefined
    }
  }
}

/**
 * The lock's name: named locks are server-wide, so it covers the database and the version table.
 * A hash keeps it within the 64 characters GET_LOCK takes.
 */
function lockName(database: string, names: VersionTableNames): string {
  const key = `${database}\u0000${names.schema ?? ''}\u0000${names.versionTable}`
  return `aludel:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`
}

/**
 * The work session's lock name, from the run's tag (a parameter) and the session's database:
 * named locks are server-wide, and runs on two databases of one server must not wait for each
 * other.
 */
const WORK_LOCK = "CONCAT('aludel-work:', LEFT(SHA2(CONCAT(DATABASE(), CHAR(0), ?), 256), 40))"

/** The run's tag, from a session name (`aludel upgrade [1a2b3c] work (...)`). */
function runTag(sessionName: string): string {
  return /\[([0-9a-f]+)\]/.exec(sessionName)?.[1] ?? ''
}

async function lockHolder(connection: Connection, name: string): Promise<LockHolder | undefined> {
  const holder = (
    await connection.query<{ id: number | string | null }>('SELECT IS_USED_LOCK(?) AS id', [name])
  ).rows[0]?.id
  if (holder === null || holder === undefined) return undefined
  const activity = await processActivity(connection, Number(holder))
  return {
    pid: Number(holder),
    application: activity?.application,
    user: activity?.user,
    clientAddress: undefined,
    since: activity?.since,
  }
}

/** A server session as the process list shows it; undefined when it is gone or not visible. */
async function processActivity(
  connection: Connection,
  id: number,
): Promise<SessionActivity | undefined> {
  const { rows } = await connection.query<{
    user: string | null
    host: string | null
    command: string | null
    time: number | string | null
    info: string | null
  }>(
    'SELECT USER AS user, HOST AS host, COMMAND AS command, TIME AS time, INFO AS info FROM information_schema.PROCESSLIST WHERE ID = ?',
    [id],
  )
  const row = rows[0]
  if (row === undefined) return undefined
  return {
    pid: id,
    application: `connection ${id}${row.host ? ` from ${row.host}` : ''}`,
    user: row.user ?? undefined,
    state: row.command?.toLowerCase() ?? undefined,
    since: row.time === null ? undefined : new Date(Date.now() - Number(row.time) * 1000),
    query: row.info?.replace(/\s+/g, ' ').slice(0, 200) ?? undefined,
  }
}

/** Milliseconds as MySQL's whole seconds, at least one; 0 (wait forever) as a year. */
function seconds(ms: number): number {
  return ms === 0 ? FOREVER_S : Math.min(FOREVER_S, Math.max(1, Math.ceil(ms / 1000)))
}

/** How MySQL spells the columns of aludel's tables. */
const MYSQL_SPELLING: VersionTableSpelling = {
  quoteIdentifier,
  quoteQualified,
  ledgerKey: 'id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY',
  timestamp: 'datetime(6)',
  currentUser: '(CURRENT_USER())',
  // Revision ids are short; an index covers at most 3,072 bytes of a row's key.
  keyText: 'varchar(255)',
}
