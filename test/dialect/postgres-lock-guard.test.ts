import { afterEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import type { Dialect, MigrationLock } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { terminate, waitUntil } from '../support/sessions.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

const NAMES = {
  schema: undefined,
  versionTable: 'aludel_version',
  ledgerTable: 'aludel_version_ledger',
  progressTable: 'aludel_version_progress',
  lockTable: 'aludel_version_lock',
} as const

/**
 * The statement every commit carries (`MigrationLock.guardSql`), tried against the real server:
 * it must pass while the lock session's transaction holds the lock, and fail — in the work
 * session, before the lock session's own client has noticed anything — once it does not.
 */
describe.skipIf(postgres.skip)('the commit guard of the migration lock (PostgreSQL)', () => {
  let db: TestDatabase | undefined
  let dialect: Dialect | undefined
  afterEach(async () => {
    await dialect?.driver.close()
    await db?.drop()
    dialect = undefined
    db = undefined
  })

  /** A lock session holding the lock, a work session, and the guard the lock hands out. */
  async function held(lockSessionSetup?: string): Promise<{
    lockSession: Connection
    work: Connection
    lock: MigrationLock
    lockPid: number
  }> {
    db = await createDatabase('postgres')
    dialect = await openDialect(db.url, '/')
    const lockSession = await dialect.driver.connect('guard test lock')
    const work = await dialect.driver.connect('guard test work')
    if (lockSessionSetup !== undefined) await lockSession.execute(lockSessionSetup)
    const lock = await dialect.adapter.acquireLock(lockSession, NAMES, {
      timeoutMs: 5000,
      onWait: () => undefined,
      probe: undefined,
    })
    return { lockSession, work, lock, lockPid: lock.holderId! }
  }

  /** Terminates the lock session and waits until its backend is gone (and the lock with it). */
  async function endLockSession(pid: number): Promise<void> {
    await terminate(db!, pid)
    await waitUntil('the lock session to end', async () => {
      const rows = await db!.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])
      return rows.length === 0 ? true : undefined
    })
  }

  /** Runs the guard and a commit in one transaction on `work`; the error, if it failed. */
  async function guardedCommit(work: Connection, lock: MigrationLock): Promise<unknown> {
    try {
      await work.execute(`BEGIN;\n${lock.guardSql};\nCOMMIT`)
      return undefined
    } catch (error) {
      await work.execute('ROLLBACK').catch(() => undefined)
      return error
    }
  }

  it('passes while the lock is held, fails once the lock session is terminated', async () => {
    const { work, lock, lockPid } = await held()
    // The cheap proof is in use: a row of the activity view, not a scan of the lock table.
    expect(lock.guardSql).toContain('pg_stat_get_activity')
    expect(await guardedCommit(work, lock)).toBeUndefined()
    // A migration that read the activity view earlier in its transaction cached a snapshot of it;
    // the guard still sees the present.
    await work.execute('BEGIN; SELECT count(*) FROM pg_stat_activity')
    await endLockSession(lockPid)
    const error = await guardedCommit(work, lock)
    expect(dialect!.adapter.isLockLostError(error)).toBe(true)
    expect(String(error)).toContain('the migration lock is no longer held by this run')
  })

  it('fails once the lock session has ended the transaction that held the lock', async () => {
    const { lockSession, work, lock } = await held()
    expect(await guardedCommit(work, lock)).toBeUndefined()
    // Same backend, idle: no start time, and no lock row either.
    await lockSession.execute('ROLLBACK')
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
    // Same backend, a later transaction: the lock went with the first one.
    await lockSession.execute('BEGIN; SELECT 1')
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
  })

  it('still proves the lock when the server stops tracking activity during the run', async () => {
    const { lockSession, work, lock, lockPid } = await held()
    expect(lock.guardSql).toContain('pg_stat_get_activity')
    // An operator turns tracking off: the lock session's next statement clears its start time.
    await lockSession.execute('SET track_activities = off; SELECT 1')
    const [row] = await db!.query<{ xact_start: unknown }>(
      'SELECT xact_start FROM pg_stat_activity WHERE pid = $1',
      [lockPid],
    )
    expect(row).toEqual({ xact_start: null })
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await endLockSession(lockPid)
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
  })

  it('proves the lock from pg_locks where the server does not track activity', async () => {
    const { work, lock, lockPid } = await held('SET track_activities = off')
    expect(lock.guardSql).not.toContain('pg_stat_get_activity')
    expect(lock.guardSql).toContain('pg_locks')
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await endLockSession(lockPid)
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
  })
})
