import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { PGlite } from '@electric-sql/pglite'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { inject } from 'vitest'

/** The four databases every test runs against, as DATABASE_URL chooses them. */
export type BackendName = 'pglite' | 'postgres' | 'sqlite' | 'mysql'

export interface Backend {
  readonly name: BackendName
  /** Why this backend's tests are skipped here; undefined when they run. */
  readonly skip: string | undefined
}

/** PGlite and SQLite always; the servers when they are reachable (global-setup.ts decides). */
export function backends(): readonly Backend[] {
  return [
    { name: 'pglite', skip: undefined },
    { name: 'postgres', skip: inject('postgres').skip },
    { name: 'sqlite', skip: undefined },
    { name: 'mysql', skip: inject('mysql').skip },
  ]
}

/** A fresh, empty database of its own for one test file. */
export interface TestDatabase {
  readonly backend: BackendName
  /** What DATABASE_URL would be. */
  readonly url: string
  /**
   * Runs SQL beside the application, for assertions and for setting up odd states; parameters
   * are written `?`. On PGlite it opens the folder for the duration of the call, so call it only
   * while no app has it open.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  drop(): Promise<void>
}

export function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  switch (backend) {
    case 'pglite':
      return createPglite()
    case 'postgres':
      return createOnPostgres()
    case 'sqlite':
      return createSqlite()
    case 'mysql':
      return createOnMysql()
  }
}

/** `?` placeholders as PostgreSQL numbers them. */
function numbered(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

async function createPglite(): Promise<TestDatabase> {
  const parent = await mkdtemp(join(tmpdir(), 'fastify-app-test-'))
  const dir = join(parent, 'db')
  await cp(inject('pgliteTemplate'), dir, { recursive: true })
  return {
    backend: 'pglite',
    url: `pglite:${dir}`,
    async query<Row>(sql: string, params: unknown[] = []) {
      // A small buffer pool: PostgreSQL zeroes it at every start, and 128 MB made each of these
      // short-lived opens take a second.
      const db = await PGlite.create(dir, {
        startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB'],
      })
      try {
        return (await db.query<Row>(numbered(sql), params)).rows
      } finally {
        await db.close()
      }
    },
    drop: () => rm(parent, { recursive: true, force: true }),
  }
}

async function createOnPostgres(): Promise<TestDatabase> {
  const admin = inject('postgres').url
  const name = `fastify_app_test_${randomBytes(6).toString('hex')}`
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    backend: 'postgres',
    url: url.toString(),
    query: async <Row>(sql: string, params: unknown[] = []) =>
      (await withClient(url.toString(), (client) => client.query(numbered(sql), params)))
        .rows as Row[],
    // FORCE (PostgreSQL 13+) ends sessions a failed test may have left open.
    drop: async () => {
      await withClient(admin, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      )
    },
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

async function createSqlite(): Promise<TestDatabase> {
  const parent = await mkdtemp(join(tmpdir(), 'fastify-app-test-'))
  const file = join(parent, 'app.db')
  return {
    backend: 'sqlite',
    url: `sqlite:${file}`,
    async query<Row>(sql: string, params: unknown[] = []) {
      const db = new DatabaseSync(file, { timeout: 5_000 })
      try {
        const statement = db.prepare(sql)
        const values = params as (string | number | null)[]
        if (statement.columns().length === 0) {
          statement.run(...values)
          return []
        }
        // node:sqlite's rows have no prototype; plain objects compare and print as expected.
        return statement.all(...values).map((row) => ({ ...row }) as Row)
      } finally {
        db.close()
      }
    },
    drop: () => rm(parent, { recursive: true, force: true }),
  }
}

async function createOnMysql(): Promise<TestDatabase> {
  const admin = inject('mysql').url
  const name = `aludel_ex_${randomBytes(6).toString('hex')}`
  const run = async <Row>(url: string, sql: string, params: unknown[] = []) => {
    const connection = await mysql.createConnection({ uri: url })
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
  return {
    backend: 'mysql',
    url: url.toString(),
    query: <Row>(sql: string, params: unknown[] = []) => run<Row>(url.toString(), sql, params),
    drop: async () => {
      await run(admin, `DROP DATABASE IF EXISTS ${name}`)
    },
  }
}
