import { createHash, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Connection } from '../dialect/connection.ts'
import type { Dialect, MigrationLock, SessionActivity } from '../dialect/dialect.ts'
import { sleep } from './lock-retry.ts'
import type { RunEventListener } from './run-events.ts'
import { StaleWorkSessionError } from './runtime-errors.ts'
import type { RuntimeSettings } from './runtime-settings.ts'

/** The sessions of a run that holds the migration lock. */
export interface RunSession {
  /** The session that runs migrations and writes the version table. */
  readonly work: Connection
  readonly lock: MigrationLock
  /** The work session's server id (backend pid), when the database has one. */
  readonly workPid: number | undefined
  /** A second session that can watch the work session: the lock session, where there is one. */
  readonly observer: Connection | undefined
  /** Why the lock was lost, once its session has ended; undefined while it holds. */
  lockLostReason(): string | undefined
  /** Releases the lock and closes the sessions, whatever state they are in. */
  close(): Promise<void>
}

/** How often the run looks again at sessions left by an earlier run while it waits for them. */
const STALE_POLL_MS = 250

/**
 * Opens a run's sessions and takes the migration lock:
 *
 * 1. a lock session and a work session connect side by side (one session where the database has
 *    only one, as PGlite);
 * 2. the work session marks itself with a random probe, and the lock session takes the lock: if it
 *    can see the probe, a pooler shares server sessions between clients, and the run stops before
 *    anything happens (see `LockOptions.probe`);
 * 3. once the lock is held, the work session is renamed as the run's work session and given its
 *    timeouts, and the run waits for any work session of an earlier run that is still there — a
 *    killed deploy's index build, or a run whose lock was lost — so that two runs never work at once.
 */
export async function openRunSession(
  dialect: Dialect,
  settings: RuntimeSettings,
  command: string,
  onEvent: RunEventListener,
): Promise<RunSession> {
  const { driver, adapter } = dialect
  const tag = lockTag(settings)
  const name = runSessionName(command, tag, false)
  const separate = adapter.supportsSeparateLockSession
  const opened = await Promise.allSettled(
    separate ? [driver.connect(name), driver.connect(name)] : [driver.connect(name)],
  )
  const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
  const closeAll = () => Promise.all(sessions.map((s) => s.close())).then(() => undefined)
  const failed = opened.find((o) => o.status === 'rejected')
  if (failed !== undefined) {
    await closeAll()
    throw failed.reason
  }
  const lockSession = sessions[0]!
  const work = sessions[1] ?? lockSession
  let lock: MigrationLock | undefined
  try {
    const probe = separate ? randomUUID() : undefined
    if (probe !== undefined) await work.execute(adapter.probeSql(probe))
    const waitStart = performance.now()
    let waited = false
    lock = await adapter.acquireLock(lockSession, settings.names, {
      timeoutMs: settings.lockWaitTimeout,
      probe,
      onWait: (holder) => {
        waited = true
        onEvent({ type: 'lock-wait', holder, timeoutMs: settings.lockWaitTimeout })
      },
    })
    if (waited) onEvent({ type: 'lock-acquired', waitedMs: performance.now() - waitStart })
    const workPid = await adapter.prepareWorkSession(work, {
      lockTimeoutMs: settings.lockTimeout,
      statementTimeoutMs: settings.statementTimeout,
      applicationName: runSessionName(command, tag, true),
      probe,
    })
    if (separate) {
      await waitForStaleSessions(dialect, work, tag, [lock.holderId, workPid], settings, onEvent)
    }
    const held = lock
    return {
      work,
      lock: held,
      workPid,
      observer: separate ? lockSession : undefined,
      lockLostReason: () => lockSession.lostReason(),
      close: async () => {
        // Ending the session would release the lock too; releasing first keeps the order clear.
        await held.release().catch(() => undefined)
        await closeAll()
      },
    }
  } catch (error) {
    await lock?.release().catch(() => undefined)
    await closeAll()
    throw error
  }
}

/**
 * Waits, up to the lock wait timeout, until no work session of another run is left. Such a session
 * belongs to a run that died (its statement goes on until the server notices the client is gone)
 * or lost its lock (it stops at its next commit).
 *
 * @throws StaleWorkSessionError when they are still there at the end
 */
async function waitForStaleSessions(
  dialect: Dialect,
  connection: Connection,
  tag: string,
  own: readonly (number | undefined)[],
  settings: RuntimeSettings,
  onEvent: RunEventListener,
): Promise<void> {
  const { adapter } = dialect
  if (adapter.workSessions === undefined) return
  const exclude = own.filter((pid): pid is number => pid !== undefined)
  const started = performance.now()
  let reported = false
  for (;;) {
    const stale: readonly SessionActivity[] = await adapter.workSessions(connection, tag, exclude)
    if (stale.length === 0) return
    const waited = performance.now() - started
    if (waited >= settings.lockWaitTimeout) {
      throw new StaleWorkSessionError(
        stale,
        waited,
        stale.map((s) => adapter.stopSessionSql?.(s.pid) ?? `pid ${s.pid}`),
      )
    }
    if (!reported) {
      onEvent({ type: 'session-wait', sessions: stale, timeoutMs: settings.lockWaitTimeout })
      reported = true
    }
    await sleep(STALE_POLL_MS)
  }
}

/**
 * A short tag of the version table a run works on, in its session names: runs of two projects
 * sharing a database (two version tables) do not wait for each other.
 */
export function lockTag(settings: Pick<RuntimeSettings, 'names'>): string {
  const { schema, versionTable } = settings.names
  return createHash('sha256')
    .update(`aludel:${schema ?? ''}.${versionTable}`)
    .digest('hex')
    .slice(0, 6)
}

/**
 * The name a run's sessions show in the server's activity view, so that a waiting runner can say
 * who holds the lock and a later run can recognize work left behind:
 * `aludel upgrade [1a2b3c] (pid 4242 on web-1)`, and `... [1a2b3c] work (...)` for the session
 * that does the work once the lock is held.
 */
export function runSessionName(command: string, tag: string, work: boolean): string {
  return `aludel ${command} [${tag}]${work ? ' work' : ''} (pid ${process.pid} on ${hostname()})`.slice(
    0,
    63,
  )
}
