import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TestProject } from 'vitest/node'
import { emptyClusterCache } from '../../src/dialect/postgres/pglite-empty-cluster.ts'

const repo = resolve(import.meta.dirname, '../..')

/**
 * Runs once before the suite: makes sure `dist/` is current (CLI tests spawn `bin/aludel.js`),
 * prepares a PGlite template folder that tests copy instead of running initdb each time, and
 * finds out whether the PostgreSQL server is there.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  // Every temporary folder a test makes (projects, PGlite databases, scratch folders, the CLI's
  // own) goes under one folder for the run, removed at the end: the test workers inherit TMPDIR.
  const runTmp = mkdtempSync(join(tmpdir(), 'aludel-test-run-'))
  // Servers a test starts under another user (PgBouncer refuses root) must reach their folders.
  chmodSync(runTmp, 0o755)
  process.env.TMPDIR = runTmp
  if (isStale(join(repo, 'src'), join(repo, 'dist', 'index.js'))) {
    // The same build as `npm run build`.
    execFileSync(process.execPath, [join(repo, 'scripts', 'build.ts')], {
      cwd: repo,
      stdio: 'pipe',
    })
  }
  const template = join(repo, 'node_modules', '.cache', 'aludel-test', 'pglite-template')
  if (!existsSync(join(template, 'PG_VERSION'))) {
    rmSync(template, { recursive: true, force: true })
    mkdirSync(template, { recursive: true })
    const { PGlite } = await import('@electric-sql/pglite')
    const db = new PGlite(template)
    await db.waitReady
    await db.close()
  }
  // aludel's own cache of an empty cluster for new PGlite folders (made the same way as the
  // template) lives in the temporary directory, new for each run: seeding it spares the first
  // command on a new folder an initdb.
  // (Vitest runs this file where `import.meta.resolve` is missing: the entry aludel resolves.)
  const pgliteEntry = pathToFileURL(
    join(repo, 'node_modules', '@electric-sql', 'pglite', 'dist', 'index.js'),
  ).href
  cpSync(template, emptyClusterCache(pgliteEntry), { recursive: true })
  project.provide('pgliteTemplate', template)
  project.provide('postgresUrl', await findPostgres())
  project.provide('mysqlUrl', await findMysql())
  return () => rmSync(runTmp, { recursive: true, force: true })
}

async function findPostgres(): Promise<string> {
  const url = process.env.ALUDEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return url
  } catch (error) {
    if (process.env.ALUDEL_REQUIRE_SERVERS === '1') {
      throw new Error(
        `PostgreSQL is required (ALUDEL_REQUIRE_SERVERS=1) but ${url} is unreachable: ${String(error)}`,
      )
    }
    console.warn(
      `\n[aludel tests] skipping PostgreSQL server tests: ${url} is unreachable (${String(error)})\n`,
    )
    return ''
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function findMysql(): Promise<string> {
  const url = process.env.ALUDEL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
  const mysql = (await import('mysql2/promise')).default
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 3000 })
    await connection.query('SELECT 1')
    await connection.end()
    return url
  } catch (error) {
    if (process.env.ALUDEL_REQUIRE_SERVERS === '1') {
      throw new Error(
        `MariaDB is required (ALUDEL_REQUIRE_SERVERS=1) but ${url} is unreachable: ${String(error)}`,
      )
    }
    console.warn(
      `\n[aludel tests] skipping MariaDB tests: ${url} is unreachable (${String(error)})\n`,
    )
    return ''
  }
}

function isStale(srcDir: string, built: string): boolean {
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    )
  return newest(srcDir) > builtAt
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresUrl: string
    /** The MariaDB (or MySQL) server's URL, or '' when it is unreachable. */
    mysqlUrl: string
  }
}
