import { afterAll, beforeAll, expect } from 'vitest'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import type { MigrationSource } from '../../src/lint/collect-migrations.ts'
import { traceMigrations } from '../../src/lint/trace-migrations.ts'
import type { Operations } from '../../src/operations/operations.ts'
import { type Backend, createDatabase, type TestDatabase } from '../support/databases.ts'
import { FIXTURE_SQL } from './trace-reference-cases.ts'

/** A migration built in the test: `upgrade` runs `sql` (a script of statements) with `op.execute`. */
export function sqlMigration(revision: string, sql: string, transactional = true): MigrationSource {
  return codeMigration(revision, (op) => op.execute(sql), transactional)
}

/** A migration built in the test whose `upgrade` is `upgrade`. */
export function codeMigration(
  revision: string,
  upgrade: (op: Operations) => Promise<void>,
  transactional = true,
): MigrationSource {
  return {
    revision,
    source: `${revision}_traced.ts`,
    path: `/migrations/${revision}_traced.ts`,
    transactional,
    upgrade,
    lintExport: undefined,
  }
}

/**
 * One database on `backend` for the tests of the enclosing `describe`, created before them and
 * dropped after them (nothing is done when `skip` says the backend is absent).
 */
export function useTraceDatabase(backend: Backend, skip: string | undefined): () => Dialect {
  let db: TestDatabase | undefined
  let dialect: Dialect | undefined
  beforeAll(async () => {
    if (skip) return
    db = await createDatabase(backend)
    dialect = await openDialect(db.url, '/')
  })
  afterAll(async () => {
    await dialect?.driver.close()
    await db?.drop()
  })
  return () => dialect!
}

/** Makes the fixture anew with a migration, `setup` appended to it. */
export async function buildFixture(dialect: Dialect, setup?: string): Promise<void> {
  const sql = setup === undefined ? FIXTURE_SQL : `${FIXTURE_SQL};\n${setup}`
  const [built] = await traceMigrations(dialect, [sqlMigration('fixture', sql)])
  expect(built?.error).toBeUndefined()
}
