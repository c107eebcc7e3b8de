import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseUrl } from '../database-url.ts'
import type { Dialect } from '../dialect.ts'
import { serverScratchDatabase } from '../server-scratch-database.ts'
import type { SessionPool } from '../session-pool.ts'
import { PgliteDriver } from './pglite-driver.ts'
import { PostgresAdapter } from './postgres-adapter.ts'
import { borrowedDriver } from './postgres-borrowed-session.ts'
import { postgresComparator } from './postgres-comparator.ts'
import { PostgresDdlCompiler } from './postgres-ddl-compiler.ts'
import { PostgresDriver } from './postgres-driver.ts'
import { PostgresIntrospector } from './postgres-introspector.ts'
import { PostgresLockTracer } from './postgres-lock-tracer.ts'
import { PostgresTypeMapper } from './postgres-type-mapper.ts'

/**
 * PostgreSQL over node-postgres: a server, one session per role (lock, migrations); with `pool`,
 * sessions shared with the other targets of a fleet run.
 */
export function createPostgresDialect(url: DatabaseUrl, pool?: SessionPool): Dialect {
  const types = new PostgresTypeMapper()
  const ddl = new PostgresDdlCompiler(types)
  const driver = new PostgresDriver(url, pool)
  return {
    name: 'postgresql',
    engine: 'postgresql',
    driver,
    adapter: new PostgresAdapter(ddl, true, url.redacted),
    ddl,
    types,
    introspector: new PostgresIntrospector(),
    comparator: postgresComparator,
    lockTracer: new PostgresLockTracer(),
    borrow: borrowedDriver,
    // Needs the CREATEDB privilege; `WITH (FORCE)` (PostgreSQL 13+) ends leftover sessions.
    createScratchDatabase: () =>
      serverScratchDatabase(url, driver, {
        createSql: (name) => `CREATE DATABASE ${ddl.quoteIdentifier(name)}`,
        dropSql: (name) => `DROP DATABASE IF EXISTS ${ddl.quoteIdentifier(name)} WITH (FORCE)`,
      }),
  }
}

/** PostgreSQL in-process through PGlite: the same SQL, a single session. */
export function createPgliteDialect(url: DatabaseUrl): Dialect {
  const types = new PostgresTypeMapper()
  const ddl = new PostgresDdlCompiler(types)
  return {
    name: 'pglite',
    engine: 'postgresql',
    driver: new PgliteDriver(url),
    adapter: new PostgresAdapter(ddl, false, url.redacted),
    ddl,
    types,
    introspector: new PostgresIntrospector(),
    comparator: postgresComparator,
    lockTracer: new PostgresLockTracer(),
    borrow: borrowedDriver,
    createScratchDatabase: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'aludel-scratch-'))
      return {
        url: `pglite:${join(dir, 'db')}`,
        drop: () => rm(dir, { recursive: true, force: true }),
      }
    },
  }
}
