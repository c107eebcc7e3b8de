import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { inject } from 'vitest'

/** A fresh, empty database on one backend, with a way to inspect it and to throw it away. */
export interface TestDatabase {
  readonly backend: Backend
  /** The URL aludel is given. */
  readonly url: string
  /** Runs SQL outside aludel (for assertions). Opens and closes its own session. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  drop(): Promise<void>
}

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
  const dir = join(mkdtempSync(join(tmpdir(), 'aludel-pglite-')), 'db')
  // Copying a template folder takes milliseconds; initdb takes seconds.
  cpSync(inject('pgliteTemplate'), dir, { recursive: true })
  return {
    backend: 'pglite',
    url: `pglite:${dir}`,
    async query<Row>(sql: string, params: unknown[] = []) {
      const db = new PGlite(dir)
      try {
        return (await db.query<Row>(sql, params)).rows
      } finally {
        await db.close()
      }
    },
    async drop() {},
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
