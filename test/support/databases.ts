import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { inject } from 'vitest'
import { PGLITE_SERVER_SETTINGS } from '../../src/dialect/postgres/pglite-driver.ts'

/** A fresh, empty database on one backend, with a way to inspect it and to throw it away. */
export interface TestDatabase {
  readonly backend: Backend
  /** The URL aludel is given. */
  readonly url: string
  /** Runs SQL outside aludel (for assertions). Opens and closes its own session. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  /** Runs several queries in one session: on PGlite, one start of the backend instead of many. */
  inspect<T>(body: (query: Query) => Promise<T>): Promise<T>
  /**
   * On PGlite, keeps the folder open in this process until `release()`: `query`, `inspect` and
   * {@link held} share one instance instead of starting the backend each time. Only for tests
   * that give aludel that instance (see test/operations/op-session.ts), never its URL meanwhile.
   */
  hold(): Promise<void>
  release(): Promise<void>
  /** The instance `hold()` opened, if any. */
  held(): PGlite | undefined
  drop(): Promise<void>
}

/** A query on a session that `inspect` holds open. */
export type Query = <Row = Record<string, unknown>>(
  sql: string,
  params?: unknown[],
) => Promise<Row[]>

/** The backends every runtime test runs on. */
export type Backend = 'pglite' | 'postgres'

/** The backends available here, each with a reason when it is not. */
export function backends(): readonly { backend: Backend; skip: string | undefined }[] {
  return [
    { backend: 'pglite', skip: undefined },
    {
      backend: 'postgres',
      skip: inject('postgresUrl') === '' ? 'PostgreSQL server unreachable' : undefined,
    },
  ]
}

/** Creates a fresh database on `backend`. */
export async function createDatabase(backend: Backend): Promise<TestDatabase> {
  return backend === 'pglite' ? createPglite() : createPostgres()
}

async function createPglite(): Promise<TestDatabase> {
  const home = mkdtempSync(join(tmpdir(), 'aludel-pglite-'))
  const dir = join(home, 'db')
  // Copying a template folder takes milliseconds; initdb takes seconds.
  cpSync(inject('pgliteTemplate'), dir, { recursive: true })
  let held: PGlite | undefined
  const inspect = async <T>(body: (query: Query) => Promise<T>): Promise<T> => {
    const db = held ?? (await openPglite(dir))
    try {
      return await body(async (sql, params = []) => (await db.query(sql, params)).rows as never)
    } finally {
      if (db !== held) await db.close()
    }
  }
  const release = async () => {
    await held?.close()
    held = undefined
  }
  return {
    backend: 'pglite',
    url: `pglite:${dir}`,
    query: (sql, params = []) => inspect((query) => query(sql, params)),
    inspect,
    hold: async () => {
      held ??= await openPglite(dir)
    },
    release,
    held: () => held,
    drop: async () => {
      await release()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

async function createPostgres(): Promise<TestDatabase> {
  const admin = inject('postgresUrl')
  const name = `aludel_t_${randomBytes(5).toString('hex')}`
  await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`))
  const url = new URL(admin)
  url.pathname = `/${name}`
  const dbUrl = url.toString()
  return {
    backend: 'postgres',
    url: dbUrl,
    query: <Row>(sql: string, params: unknown[] = []) =>
      withClient(dbUrl, async (c) => (await c.query(sql, params)).rows as Row[]),
    inspect: (body) =>
      withClient(dbUrl, (c) => body(async (sql, params = []) => (await c.query(sql, params)).rows)),
    // A server has sessions to spare: nothing to hold.
    hold: async () => {},
    release: async () => {},
    held: () => undefined,
    drop: () =>
      withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  }
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await body(client)
  } finally {
    await client.end()
  }
}

/** Opens a PGlite folder with the settings aludel itself uses (a quick start-up). */
export async function openPglite(dir?: string): Promise<PGlite> {
  const db = new PGlite(dir, {
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SERVER_SETTINGS],
  })
  await db.waitReady
  return db
}

/** The backends the conformance suite runs on: every dialect aludel has. */
export type ConformanceBackend = Backend | 'sqlite' | 'mariadb'

/** A fresh database of any dialect: its URL, plain queries for assertions, and its removal. */
export interface ConformanceDatabase {
  readonly backend: ConformanceBackend
  readonly url: string
  /** Runs one statement outside aludel (placeholders as the backend spells them). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  drop(): Promise<void>
}

/** The conformance suite's backends, each with a reason when it is not available here. */
export function conformanceBackends(): readonly {
  backend: ConformanceBackend
  skip: string | undefined
}[] {
  return [
    ...backends(),
    { backend: 'sqlite', skip: undefined },
    {
      backend: 'mariadb',
      skip: inject('mysqlUrl') === '' ? 'MariaDB server unreachable' : undefined,
    },
  ]
}

/** Creates a fresh database on any backend of the conformance suite. */
export async function createConformanceDatabase(
  backend: ConformanceBackend,
): Promise<ConformanceDatabase> {
  if (backend === 'mariadb') return createMariadb()
  if (backend !== 'sqlite') return createDatabase(backend)
  const home = mkdtempSync(join(tmpdir(), 'aludel-sqlite-'))
  const file = join(home, 'app.db')
  const { DatabaseSync } = await import('node:sqlite')
  return {
    backend,
    url: `sqlite:${file}`,
    query: async <Row>(sql: string, params: unknown[] = []) => {
      const db = new DatabaseSync(file, { timeout: 5000 })
      try {
        const statement = db.prepare(sql)
        const values = params as never[]
        if (statement.columns().length > 0) return statement.all(...values) as Row[]
        statement.run(...values)
        return []
      } finally {
        db.close()
      }
    },
    drop: async () => rmSync(home, { recursive: true, force: true }),
  }
}

/** A fresh database on the MariaDB server, dropped by `drop()`. */
export async function createMariadb(): Promise<ConformanceDatabase> {
  const admin = inject('mysqlUrl')
  const name = `aludel_t_${randomBytes(5).toString('hex')}`
  const mysql = (await import('mysql2/promise')).default
  const run = async <Row>(url: string, sql: string, params: unknown[] = []) => {
    const connection = await mysql.createConnection({ uri: url, multipleStatements: true })
    try {
      const [rows] = await connection.query(sql, params)
      return (Array.isArray(rows) ? rows : []) as Row[]
    } finally {
      await connection.end()
    }
  }
  await run(admin, `CREATE DATABASE ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  const dbUrl = url.toString()
  return {
    backend: 'mariadb',
    url: dbUrl,
    query: <Row>(sql: string, params: unknown[] = []) => run<Row>(dbUrl, sql, params),
    drop: async () => {
      await run(admin, `DROP DATABASE IF EXISTS ${name}`)
    },
  }
}

/** The names of the tables of a conformance database whose names match `like` (SQL LIKE). */
export async function tableNames(db: ConformanceDatabase, like: string): Promise<string[]> {
  const sql: Record<ConformanceBackend, string> = {
    pglite: 'SELECT tablename AS name FROM pg_tables WHERE tablename LIKE $1 ORDER BY 1',
    postgres: 'SELECT tablename AS name FROM pg_tables WHERE tablename LIKE $1 ORDER BY 1',
    sqlite:
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE ? ESCAPE '\\' ORDER BY 1",
    mariadb:
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME LIKE ? ORDER BY 1",
  }
  return (await db.query<{ name: string }>(sql[db.backend], [like])).map((r) => r.name)
}
