import { mkdir } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { lockPgliteFolder } from 'aludel'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PglitePool } from './pglite-pool.ts'
import type { Database } from './schema.ts'

/** Where the database lives: a PostgreSQL server, or an embedded PGlite folder. */
export type DatabaseLocation =
  | { readonly kind: 'server'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string }

/** The application's handle on its database. */
export interface AppDatabase {
  readonly location: DatabaseLocation
  /** Typed by the models: a misspelt column is a compile error. */
  readonly db: Kysely<Database>
  /** Waits for queries in flight, then closes the pool (and PGlite). */
  close(): Promise<void>
}

/**
 * Reads a database URL the way aludel does, so the application opens exactly the database that
 * `aludel upgrade` migrated: `postgres://` and `postgresql://` name a server, `pglite:DIR` a
 * folder resolved against `root` (the folder of aludel.config.ts, not the current directory).
 */
export function locateDatabase(url: string, root: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'server', url }
  const dir = /^pglite:(?:\/\/)?(.+)$/i.exec(url.trim())?.[1]
  if (dir === undefined) {
    throw new Error(
      `DATABASE_URL must be postgres://user@host:5432/db or pglite:./folder (got a URL with another scheme)`,
    )
  }
  if (dir === 'memory' || dir === ':memory:' || dir === 'memory://') {
    // aludel and the application would each get their own, separate, empty database.
    throw new Error(
      'DATABASE_URL=pglite:memory cannot be migrated by aludel and then served; use a folder such as pglite:./.data',
    )
  }
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : resolve(root, dir) }
}

/**
 * Opens the pool the application queries through. Kysely takes a connection from it for each
 * query, or for the whole of a `db.transaction()`, and gives it back right after; requests never
 * hold one while they do something else.
 */
export async function openDatabase(
  location: DatabaseLocation,
  options: { readonly onIdleError?: (error: Error) => void } = {},
): Promise<AppDatabase> {
  if (location.kind === 'server') {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 10,
      // Visible in pg_stat_activity, so a DBA can tell this service's sessions from others.
      application_name: 'aludel-example-fastify-app',
      connectionTimeoutMillis: 5_000,
    })
    // An idle client whose server connection drops (a restart, a failover) emits 'error' on the
    // pool; unhandled, that would crash the process. The pool discards the client and the next
    // query gets a fresh connection, so reporting it is enough.
    pool.on('error', options.onIdleError ?? (() => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { location, db, close: () => db.destroy() }
  }
  await mkdir(location.dataDir, { recursive: true })
  // PGlite does not guard its folder: claim it, so that `aludel upgrade` run meanwhile (or a
  // second copy of the app) is refused instead of writing over this process's pages.
  const lock = lockPgliteFolder(location.dataDir)
  const pglite = await PGlite.create(location.dataDir).catch((error: unknown) => {
    lock.release()
    throw error
  })
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new PglitePool(pglite) }),
  })
  return {
    location,
    db,
    close: async () => {
      try {
        await db.destroy()
        await pglite.close()
      } finally {
        lock.release()
      }
    },
  }
}
