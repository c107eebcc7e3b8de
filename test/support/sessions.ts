import pg from 'pg'
import type { TestDatabase } from './databases.ts'

/** Polls `check` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** A server session as the tests look for them. */
export interface Activity {
  readonly pid: number
  readonly application_name: string
  readonly state: string | null
  readonly query: string
}

/** Sessions on the test database whose application_name is LIKE `pattern`. */
export function sessionsLike(db: TestDatabase, pattern: string): Promise<Activity[]> {
  return db.query<Activity>(
    `SELECT pid, application_name, state, query FROM pg_stat_activity
      WHERE datname = current_database() AND application_name LIKE $1 ORDER BY pid`,
    [pattern],
  )
}

/** Ends a server session as an administrator would. */
export async function terminate(db: TestDatabase, pid: number): Promise<void> {
  await db.query('SELECT pg_terminate_backend($1)', [pid])
}

/**
 * A session the test keeps open on the database (a blocker, an application), with its own pid.
 * Remember to `close()` it.
 */
export async function openSession(
  url: string,
  applicationName = 'test session',
): Promise<{
  readonly client: pg.Client
  readonly pid: number
  close(): Promise<void>
}> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName })
  await client.connect()
  client.on('error', () => undefined)
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid)
  return { client, pid, close: () => client.end().catch(() => undefined) }
}
