import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Connection } from '../connection.ts'
import type {
  DialectAdapter,
  LockHolder,
  LockOptions,
  MigrationLock,
  VersionTableNames,
  WorkSessionSettings,
} from '../dialect.ts'
import { DatabaseError } from '../dialect-errors.ts'
import { LockTimeoutError } from '../lock-timeout-error.ts'
import { progressTableSql, type VersionTableSpelling, versionTablesSql } from '../version-tables.ts'
import { DEFAULT_BUSY_TIMEOUT_MS, sqliteResultCode } from './sqlite-driver.ts'
import { quote } from './sqlite-expression.ts'
import { quoteIdentifier, quoteQualified } from './sqlite-quoting.ts'

/** SQLite's primary result codes that mean "another connection holds the lock" (BUSY, LOCKED). */
const BUSY_CODES: ReadonlySet<number> = new Set([5, 6])

/** How often a runner waiting for the migration lock looks again. */
const LOCK_POLL_MS = 100

/** The CHECK constraint a guard trips when this run's lock row is gone. */
const LOCK_LOST = 'aludel_lock_lost'

/** SQLite's busy timeout is an int; "wait forever" is the largest one. */
const FOREVER_MS = 2_147_483_647

/**
 * SQLite's capabilities and runtime pieces. DDL is transactional, except that `PRAGMA
 * foreign_keys` has no effect inside a transaction and VACUUM refuses to run in one. Each step
 * begins with `BEGIN IMMEDIATE`, which takes the write lock at once: a deferred transaction that
 * first reads and then writes can fail with SQLITE_BUSY halfway instead of waiting.
 *
 * SQLite has no lock that outlives a transaction, so the migration lock is a row the database
 * file itself carries (`<versionTable>_lock`): inserting it is atomic, and a second runner waits
 * while it exists. A holder killed with `kill -9` leaves its row behind; a runner on the same
 * machine sees that the holder's process is gone and takes the lock over, saying so. Every COMMIT
 * carries a guard that fails unless this run's row is still there (a CHECK constraint on a
 * temporary table, the one way plain SQL can raise an error), so a step never commits after its
 * lock was taken away.
 */
export class SqliteAdapter implements DialectAdapter {
  readonly supportsTransactionalDdl = true
  readonly supportsSeparateLockSession = false
  readonly lintRules = false
  readonly beginSql = 'BEGIN IMMEDIATE'
  readonly commitSql = 'COMMIT'
  readonly rollbackSql = 'ROLLBACK'

  async acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock> {
    const table = quoteQualified(names.schema, names.lockTable)
    // Every try writes, and another connection's write transaction makes a write wait: each try
    // waits briefly, so that the wait as a whole follows lockWaitTimeout.
    await connection.execute(`PRAGMA busy_timeout = ${LOCK_POLL_MS}`)
    const setup = `CREATE TABLE IF NOT EXISTS ${table} (
    id integer PRIMARY KEY CHECK (id = 1),
    token text NOT NULL,
    pid integer NOT NULL,
    host text NOT NULL,
    holder text NOT NULL,
    since text NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS aludel_lock_guard (held integer CONSTRAINT ${LOCK_LOST} CHECK (held = 1))`
    const token = randomUUID()
    const started = performance.now()
    let reported = false
    const holder = `aludel (pid ${process.pid} on ${hostname()})`
    for (;;) {
      let held: HeldLock | undefined = WRITING
      try {
        await connection.execute(setup)
        const inserted = await connection.query(
          `INSERT INTO ${table} (id, token, pid, host, holder, since) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING`,
          [token, process.pid, hostname(), holder, new Date().toISOString()],
        )
        if (inserted.affectedRows === 1) break
        held = await readHolder(connection, table)
      } catch (error) {
        // Another connection is writing (a step of the holder's run): the lock is taken.
        if (!this.isLockTimeoutError(error)) throw error
      }
      if (held !== undefined && held.host === hostname() && !processAlive(held.pid)) {
        // The holder died without releasing it (kill -9, a crash): its process is gone, so
        // nothing of its run can still be working. Take the row over, atomically.
        await connection.query(`DELETE FROM ${table} WHERE id = 1 AND token = ?1`, [held.token])
        continue
      }
      const waited = performance.now() - started
      if (waited >= options.timeoutMs) {
        await connection.execute(`PRAGMA busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`)
        throw new LockTimeoutError(options.timeoutMs, held?.holder)
      }
      if (!reported) {
        options.onWait(held?.holder)
        reported = true
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS))
    }
    return {
      holderId: undefined,
      guardSql: `INSERT INTO temp.aludel_lock_guard SELECT count(*) FROM ${table} WHERE id = 1 AND token = ${quote(token)};
DELETE FROM temp.aludel_lock_guard`,
      release: async () => {
        await connection.query(`DELETE FROM ${table} WHERE id = 1 AND token = ?1`, [token])
      },
    }
  }

  isLockLostError(error: unknown): boolean {
    return error instanceof DatabaseError && error.message.includes(LOCK_LOST)
  }

  lockLossCause(): string | undefined {
    return 'the lock row of this run was deleted by someone else'
  }

  probeSql(): string {
    // One connection per run: there is no second session a pooler could confuse with it.
    return 'SELECT 1'
  }

  async prepareWorkSession(
    connection: Connection,
    settings: WorkSessionSettings,
  ): Promise<number | undefined> {
    await connection.execute(this.timeoutsSql({ lockTimeoutMs: settings.lockTimeoutMs }, false))
    return undefined
  }

  /**
   * The lock timeout as SQLite's busy timeout: how long a statement waits for another
   * connection's write lock. SQLite has no statement timeout, and a busy timeout belongs to the
   * connection, not a transaction.
   */
  timeoutsSql(timeouts: { readonly lockTimeoutMs?: number }, _local: boolean): string {
    if (timeouts.lockTimeoutMs === undefined) return ''
    const ms = timeouts.lockTimeoutMs === 0 ? FOREVER_MS : Math.round(timeouts.lockTimeoutMs)
    return `PRAGMA busy_timeout = ${Math.min(ms, FOREVER_MS)}`
  }

  isLockTimeoutError(error: unknown): boolean {
    const code = sqliteResultCode(error)
    return code !== undefined && BUSY_CODES.has(code)
  }

  isTransactionBlockError(error: unknown): boolean {
    return (
      error instanceof DatabaseError && /cannot .* from within a transaction/i.test(error.message)
    )
  }

  createVersionTablesSql(names: VersionTableNames): readonly string[] {
    return versionTablesSql(names, SQLITE_SPELLING)
  }

  createProgressTableSql(names: VersionTableNames): string {
    return progressTableSql(names, SQLITE_SPELLING)
  }

  isMissingTableError(error: unknown): boolean {
    return error instanceof DatabaseError && /^no such table\b/.test(error.message)
  }

  hintFor(error: unknown): string | undefined {
    if (this.isTransactionBlockError(error)) {
      return 'this statement cannot run in a transaction: add `export const transactional = false` to the migration'
    }
    if (this.isLockTimeoutError(error)) {
      return 'another connection held the database file locked for longer than lockTimeout; close it or raise lockTimeout'
    }
    return undefined
  }
}

/** What holds the database when a write could not even start: a transaction of someone else. */
const WRITING: HeldLock = {
  token: '',
  pid: -1,
  host: '',
  holder: {
    pid: undefined,
    application: 'another connection writing to the database file',
    user: undefined,
    clientAddress: undefined,
    since: undefined,
  },
}

interface HeldLock {
  readonly token: string
  readonly pid: number
  readonly host: string
  readonly holder: LockHolder
}

async function readHolder(connection: Connection, table: string): Promise<HeldLock | undefined> {
  const { rows } = await connection.query<{
    token: string
    pid: number
    host: string
    holder: string
    since: string
  }>(`SELECT token, pid, host, holder, since FROM ${table} WHERE id = 1`)
  const row = rows[0]
  if (row === undefined) return undefined
  return {
    token: row.token,
    pid: Number(row.pid),
    host: row.host,
    holder: {
      // A process id, not a server backend's: it is part of the description instead.
      pid: undefined,
      application: row.holder,
      user: undefined,
      clientAddress: undefined,
      since: new Date(row.since),
    },
  }
}

/** Whether a process of this machine is alive (signal 0 only asks). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** How SQLite spells the columns of aludel's tables. */
const SQLITE_SPELLING: VersionTableSpelling = {
  quoteIdentifier,
  quoteQualified,
  ledgerKey: 'id integer PRIMARY KEY AUTOINCREMENT',
  // Times are ISO 8601 text, which SQLite's date functions read and which sorts in time order.
  timestamp: 'text',
  currentUser: "''",
}
