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
    // The proof asks the lock manager about the run's own key: it reads no view of the server.
    expect(lock.guardSql).not.toMatch(/pg_locks|pg_stat/)
    expect(await guardedCommit(work, lock)).toBeUndefined()
    // Proving the lock takes nothing: a second proof in the same transaction still passes.
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await work.execute('BEGIN; SELECT count(*) FROM pg_stat_activity')
    await endLockSession(lockPid)
    const error = await guardedCommit(work, lock)
    expect(dialect!.adapter.isLockLostError(error)).toBe(true)
    expect(String(error)).toContain('the migration lock is no longer held by this run')
  })

  it('fails once the lock session has ended the transaction that held the lock', async () => {
    const { lockSession, work, lock } = await held()
    expect(await guardedCommit(work, lock)).toBeUndefined()
    // Same backend, idle: the transaction-level locks went with its transaction.
    await lockSession.execute('ROLLBACK')
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
    // Same backend, a later transaction: the lock went with the first one.
    await lockSession.execute('BEGIN; SELECT 1')
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
  })

  it('fails when another run took the lock after this run lost it', async () => {
    const { work, lock, lockPid } = await held()
    await endLockSession(lockPid)
    // A second runner takes the project's lock at once: the key is held again, but not by us.
    const secondSession = await dialect!.driver.connect('guard test second lock')
    const second = await dialect!.adapter.acquireLock(secondSession, NAMES, {
      timeoutMs: 5000,
      onWait: () => undefined,
      probe: undefined,
    })
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
    expect(await guardedCommit(work, second)).toBeUndefined()
    // The failed proof left nothing held: the second run's proof still passes afterwards, and
    // the second run's lock is released by its own session as before.
    await second.release()
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, second))).toBe(true)
  })

  it('proves the lock whatever the server tracks of its sessions', async () => {
    // An operator turned activity tracking off before the run, or turns it off during it.
    const { lockSession, work, lock, lockPid } = await held('SET track_activities = off')
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await lockSession.execute('SET track_activities = on; SELECT 1')
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await lockSession.execute('SET track_activities = off; SELECT 1')
    expect(await guardedCommit(work, lock)).toBeUndefined()
    await endLockSession(lockPid)
    expect(dialect!.adapter.isLockLostError(await guardedCommit(work, lock))).toBe(true)
  })
})
