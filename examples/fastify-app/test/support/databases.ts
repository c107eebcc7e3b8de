import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { inject } from 'vitest'

/** The two databases every test runs against. */
export type BackendName = 'pglite' | 'postgres'

export interface Backend {
  readonly name: BackendName
  /** Why this backend's tests are skipped here; undefined when they run. */
  readonly skip: string | undefined
}

/** PGlite always; the PostgreSQL server when it is reachable (global-setup.ts decides). */
export function backends(): readonly Backend[] {
  return [
    { name: 'pglite', skip: undefined },
    { name: 'postgres', skip: inject('postgres').skip },
  ]
}

/** A fresh, empty database of its own for one test file. */
export interface TestDatabase {
  readonly backend: BackendName
  /** What DATABASE_URL would be. */
  readonly url: string
  /**
   * Runs SQL beside the application, for assertions and for setting up odd states. On PGlite
   * it opens the folder for the duration of the call, so call it only while no app has it open.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  drop(): Promise<void>
}

export function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  return backend === 'pglite' ? createPglite() : createOnServer()
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
        return (await db.query<Row>(sql, params)).rows
      } finally {
        await db.close()
      }
    },
    drop: () => rm(parent, { recursive: true, force: true }),
  }
}

async function createOnServer(): Promise<TestDatabase> {
  const admin = inject('postgres').url
  const name = `fastify_app_test_${randomBytes(6).toString('hex')}`
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    backend: 'postgres',
    url: url.toString(),
    query: async <Row>(sql: string, params: unknown[] = []) =>
      (await withClient(url.toString(), (client) => client.query(sql, params))).rows as Row[],
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
