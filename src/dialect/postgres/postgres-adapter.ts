import { createHash } from 'node:crypto'
import type { Connection } from '../connection.ts'
import type {
  DialectAdapter,
  LockHolder,
  LockOptions,
  MigrationLock,
  VersionTableNames,
} from '../dialect.ts'
import { DatabaseError } from '../dialect-errors.ts'
import { LockTimeoutError } from '../lock-timeout-error.ts'
import type { PostgresDdlCompiler } from './postgres-ddl-compiler.ts'

/**
 * PostgreSQL's capabilities and runtime pieces. DDL is transactional, and the migration lock is a
 * session-level advisory lock (manual, 9.28.10 "Advisory Lock Functions"): it survives the
 * commits of the migrations it protects and vanishes if the holder's session dies, so a crashed
 * deploy never leaves a stale lock behind.
 */
export class PostgresAdapter implements DialectAdapter {
  readonly supportsTransactionalDdl = true
  readonly supportsSeparateLockSession: boolean
  readonly beginSql = 'BEGIN'
  readonly commitSql = 'COMMIT'
  readonly rollbackSql = 'ROLLBACK'

  constructor(
    private readonly ddl: PostgresDdlCompiler,
    separateLockSession: boolean,
  ) {
    this.supportsSeparateLockSession = separateLockSession
  }

  async acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock> {
    const key = advisoryKey(names)
    const tried = await connection.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [key.toString()],
    )
    if (!tried.rows[0]?.locked) {
      const holder = await this.lockHolder(connection, key)
      options.onWait(holder)
      // A blocking wait wakes the moment the holder lets go; lock_timeout bounds it, and applies
      // to advisory locks like any other heavyweight lock (manual, 20.11 "lock_timeout").
      await connection.execute(`SET lock_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`)
      try {
        await connection.query('SELECT pg_advisory_lock($1::bigint)', [key.toString()])
      } catch (error) {
        if (error instanceof DatabaseError && error.sqlState === '55P03') {
          throw new LockTimeoutError(
            options.timeoutMs,
            holder ?? (await this.lockHolder(connection, key)),
          )
        }
        throw error
      } finally {
        await connection.execute('SET lock_timeout = 0').catch(() => undefined)
      }
    }
    return {
      release: async () => {
        await connection.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()])
      },
    }
  }

  private async lockHolder(connection: Connection, key: bigint): Promise<LockHolder | undefined> {
    // A bigint advisory key is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    const unsigned = BigInt.asUintN(64, key)
    const high = (unsigned >> 32n).toString()
    const low = (unsigned & 0xffffffffn).toString()
    try {
      const result = await connection.query<{
        pid: number
        application_name: string | null
        usename: string | null
        client_addr: string | null
        backend_start: Date | null
      }>(
        `SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.backend_start
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          LIMIT 1`,
        [high, low],
      )
      const row = result.rows[0]
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
    const version = q.quoteQualified(names.schema, names.versionTable)
    const ledger = q.quoteQualified(names.schema, names.ledgerTable)
    const statements: string[] = []
    if (names.schema !== undefined) {
      statements.push(`CREATE SCHEMA IF NOT EXISTS ${q.quoteIdentifier(names.schema)}`)
    }
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${version} (
    version_num text NOT NULL,
    CONSTRAINT ${q.quoteIdentifier(`${names.versionTable}_pkc`)} PRIMARY KEY (version_num)
)`,
      `CREATE TABLE IF NOT EXISTS ${ledger} (
    id bigserial PRIMARY KEY,
    run_id text NOT NULL,
    revision text NOT NULL,
    direction text NOT NULL,
    from_revisions text NOT NULL,
    to_revisions text NOT NULL,
    message text NOT NULL,
    checksum text,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    duration_ms integer,
    run_by text NOT NULL,
    db_user text NOT NULL DEFAULT current_user,
    tool_version text NOT NULL
)`,
      `CREATE INDEX IF NOT EXISTS ${q.quoteIdentifier(`ix_${names.ledgerTable}_revision`)} ON ${ledger} (revision, id)`,
    )
    return statements
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
    if (error.sqlState === '55P03') {
      return 'a lock was not granted in time: another session is using the table; retry when it is quiet'
    }
    return undefined
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

/** A stable 64-bit advisory-lock key per version table, so two projects sharing a database do not block each other. */
function advisoryKey(names: VersionTableNames): bigint {
  const digest = createHash('sha256')
    .update(`aludel:${names.schema ?? ''}.${names.versionTable}`)
    .digest()
  return digest.readBigInt64BE(0)
}
