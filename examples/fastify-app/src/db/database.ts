/**
 * The one module that knows which database engine the service runs on. Everything else — the
 * routes, the health check, the start-up check — goes through what `openDatabase` returns:
 * Kysely typed by the models, `insertId` for the one query shape the engines disagree on, and
 * the session aludel may borrow.
 */
import { mkdir } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { PGlite } from '@electric-sql/pglite'
import { type BorrowedSession, type Engine, lockPgliteFolder, type QueryableSession } from 'aludel'
import {
  CompiledQuery,
  type InsertQueryBuilder,
  type InsertResult,
  Kysely,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely'
import mysql from 'mysql2'
import pg from 'pg'
import { NodeSqliteDatabase } from './node-sqlite.ts'
import { PglitePool } from './pglite-pool.ts'
import type { Database } from './schema.ts'

/** Where the database lives, read from DATABASE_URL as aludel reads it. */
export type DatabaseLocation =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'mysql'; readonly url: string }

/** What the routes query through. */
export interface Queries {
  /** Typed by the models: a misspelt column is a compile error. */
  readonly db: Kysely<Database>
  /**
   * Runs an INSERT of one row and answers the new row's id: with RETURNING on PostgreSQL and
   * SQLite, from the driver's insert id on MySQL, which has no RETURNING.
   */
  insertId<T extends keyof Database>(
    insert: InsertQueryBuilder<Database, T, InsertResult>,
  ): Promise<number>
}

/** The application's handle on its database. */
export interface AppDatabase extends Queries {
  readonly location: DatabaseLocation
  readonly engine: Engine
  /**
   * What aludel's `currentRevision` and `assertAtHead` read through instead of opening a session
   * of their own: the application's pool (PostgreSQL, PGlite) or SQLite connection. Undefined on
   * MySQL, where aludel takes only a URL and opens its own session.
   */
  readonly aludelSession: BorrowedSession | undefined
  /** Waits for queries in flight, then closes the pool (and PGlite or the SQLite file). */
  close(): Promise<void>
}

const URL_FORMS =
  'postgres://user@host:5432/db, mysql://user@host:3306/db, sqlite:./app.db or pglite:./folder'

/**
 * Reads a database URL the way aludel does, so the application opens exactly the database that
 * `aludel upgrade` migrated. File paths (`pglite:DIR`, `sqlite:FILE`) are resolved against `root`,
 * the folder of aludel.config.ts, not the current directory.
 */
export function locateDatabase(url: string, root: string): DatabaseLocation {
  const text = url.trim()
  if (/^postgres(ql)?:\/\//i.test(text)) return { kind: 'postgres', url: text }
  if (/^(mysql|mariadb):\/\//i.test(text)) return { kind: 'mysql', url: text }
  const file = /^(pglite|sqlite):(?:\/\/)?(.+)$/i.exec(text)
  if (file === null) {
    throw new Error(`DATABASE_URL must be ${URL_FORMS} (got a URL with another scheme)`)
  }
  const kind = file[1]!.toLowerCase() as 'pglite' | 'sqlite'
  const path = file[2]!
  if (['memory', ':memory:', 'memory://'].includes(path)) {
    // aludel and the application would each get their own, separate, empty database.
    throw new Error(
      `DATABASE_URL=${kind}:${path} cannot be migrated by aludel and then served; use a file such as ${kind === 'pglite' ? 'pglite:./.data' : 'sqlite:./app.db'}`,
    )
  }
  const absolute = isAbsolute(path) ? path : resolve(root, path)
  return kind === 'pglite' ? { kind, dataDir: absolute } : { kind, file: absolute }
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
  const onIdleError = options.onIdleError ?? (() => {})
  switch (location.kind) {
    case 'postgres':
      return openPostgres(location, onIdleError)
    case 'pglite':
      return openPglite(location)
    case 'sqlite':
      return openSqlite(location)
    case 'mysql':
      return openMysql(location, onIdleError)
  }
}

function openPostgres(
  location: Extract<DatabaseLocation, { kind: 'postgres' }>,
  onIdleError: (error: Error) => void,
): AppDatabase {
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
  pool.on('error', onIdleError)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return withKysely(location, 'postgresql', db, kyselySession(db), () => db.destroy())
}

async function openPglite(
  location: Extract<DatabaseLocation, { kind: 'pglite' }>,
): Promise<AppDatabase> {
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
  // aludel reads the version table through the app's own session: the folder is this process's.
  return withKysely(location, 'postgresql', db, kyselySession(db), async () => {
    try {
      await db.destroy()
      await pglite.close()
    } finally {
      lock.release()
    }
  })
}

function openSqlite(location: Extract<DatabaseLocation, { kind: 'sqlite' }>): AppDatabase {
  // node:sqlite enforces foreign keys by default (SQLite itself does not): ON DELETE CASCADE and
  // the owner check depend on it. A write waits up to 5 s for another connection's (an `aludel`
  // command's) write lock instead of failing at once.
  const sync = new DatabaseSync(location.file, {
    enableForeignKeyConstraints: true,
    timeout: 5_000,
  })
  // Write-ahead logging: readers do not wait for the writer, nor the writer for readers.
  sync.exec('PRAGMA journal_mode = WAL')
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new NodeSqliteDatabase(sync) }),
  })
  return withKysely(location, 'sqlite', db, sync, () => db.destroy())
}

/** `?ssl=` as aludel reads it: `true` verified TLS, `insecure` unverified TLS, else none. */
function tls(ssl: string | null): { rejectUnauthorized: boolean } | undefined {
  if (ssl === 'true') return { rejectUnauthorized: true }
  return ssl === 'insecure' ? { rejectUnauthorized: false } : undefined
}

function openMysql(
  location: Extract<DatabaseLocation, { kind: 'mysql' }>,
  onIdleError: (error: Error) => void,
): AppDatabase {
  const url = new URL(location.url)
  const pool = mysql.createPool({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    // The parameters aludel reads from a mysql:// URL that matter to a client too.
    socketPath: url.searchParams.get('socket') ?? undefined,
    ssl: tls(url.searchParams.get('ssl')),
    connectionLimit: 10,
    connectTimeout: 5_000,
    charset: 'utf8mb4',
    // Times cross the wire in UTC (and each session's time_zone is set to match, below), so a
    // `timestamp` column reads back as the instant it was written on any server and host.
    timezone: 'Z',
    // MySQL's BOOLEAN is tinyint(1): read it as the boolean the models promise.
    typeCast: (field, next) => {
      if (field.type !== 'TINY' || field.length !== 1) return next()
      const value = field.string()
      return value === null ? null : value === '1'
    },
  })
  pool.on('connection', (connection) => connection.on('error', onIdleError))
  const db = new Kysely<Database>({
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"))
      },
    }),
  })
  return withKysely(location, 'mysql', db, undefined, () => db.destroy())
}

function withKysely(
  location: DatabaseLocation,
  engine: Engine,
  db: Kysely<Database>,
  aludelSession: BorrowedSession | undefined,
  close: () => Promise<void>,
): AppDatabase {
  return {
    location,
    engine,
    db,
    aludelSession,
    close,
    async insertId(insert) {
      if (engine === 'mysql') {
        const { insertId } = await insert.executeTakeFirstOrThrow()
        if (insertId === undefined) throw new Error('MySQL reported no insert id')
        return Number(insertId)
      }
      const row = await insert.returning(sql<number>`id`.as('id')).executeTakeFirstOrThrow()
      return row.id
    },
  }
}

/**
 * The application's Kysely instance as a session aludel can query: each query borrows a pooled
 * connection (with PGlite, the single session, in turn with requests) and gives it back.
 */
function kyselySession(db: Kysely<Database>): QueryableSession {
  return {
    async query(text, params = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, params))
      return { rows: result.rows }
    },
  }
}
