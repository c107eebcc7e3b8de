import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import mysql from 'mysql2/promise'
import pg from 'pg'
import type { TestProject } from 'vitest/node'

/** The server the PostgreSQL variants use; override with ALUDEL_TEST_POSTGRES_URL. */
const POSTGRES_URL =
  process.env.ALUDEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The server the MySQL variants use (MariaDB here); override with ALUDEL_TEST_MYSQL_URL. */
const MYSQL_URL = process.env.ALUDEL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/**
 * Runs once before all test files: checks that aludel is built, prepares an empty PGlite folder
 * that tests copy (copying takes milliseconds, initdb seconds) and finds out whether the
 * PostgreSQL and MySQL servers are there.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  requireBuiltAludel()
  const template = join(tmpdir(), `fastify-app-test-template-${process.getuid?.() ?? 0}`)
  if (!existsSync(join(template, 'PG_VERSION'))) {
    rmSync(template, { recursive: true, force: true })
    mkdirSync(template, { recursive: true })
    const db = await PGlite.create(template)
    await db.close()
  }
  // Everything else a test, the app or aludel puts in the temporary directory (aludel's cache of
  // an empty PGlite cluster among it) goes under one folder for the run, removed at the end: the
  // test workers and the processes they start inherit TMPDIR.
  const runTmp = mkdtempSync(join(tmpdir(), 'fastify-app-test-run-'))
  process.env.TMPDIR = runTmp
  project.provide('pgliteTemplate', template)
  const [postgres, mysqlServer] = await Promise.all([probePostgres(), probeMysql()])
  project.provide('postgres', postgres)
  project.provide('mysql', mysqlServer)
  return () => rmSync(runTmp, { recursive: true, force: true })
}

/** This workspace imports aludel from the repository's dist/; say so if it is missing. */
function requireBuiltAludel(): void {
  const require = createRequire(import.meta.url)
  const entry = join(require.resolve('aludel/package.json'), '..', 'dist', 'index.js')
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: run \`npm run build\` at the repository root first`)
  }
}

interface Server {
  url: string
  skip: string | undefined
}

async function probePostgres(): Promise<Server> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return { url: POSTGRES_URL, skip: undefined }
  } catch (error) {
    return unreachable('PostgreSQL', POSTGRES_URL, error)
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function probeMysql(): Promise<Server> {
  try {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 })
    try {
      await connection.query('SELECT 1')
    } finally {
      await connection.end()
    }
    return { url: MYSQL_URL, skip: undefined }
  } catch (error) {
    return unreachable('MySQL', MYSQL_URL, error)
  }
}

function unreachable(server: string, url: string, error: unknown): Server {
  const reason = `${server} at ${redact(url)} is unreachable (${String(error)})`
  // CI sets this: there, a missing server is a broken environment, not a reason to skip.
  if (process.env.ALUDEL_REQUIRE_SERVERS === '1') {
    throw new Error(`${reason}, and ALUDEL_REQUIRE_SERVERS=1 forbids skipping`)
  }
  console.warn(`\n[fastify-app tests] skipping the ${server} variants: ${reason}\n`)
  return { url, skip: reason }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgres: { url: string; skip: string | undefined }
    mysql: { url: string; skip: string | undefined }
  }
}
