import type { Connection } from '../../src/dialect/connection.ts'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import { type Backend, createDatabase, type TestDatabase } from '../support/databases.ts'

/**
 * A fresh database with one aludel session on it, for running compiled operations for real.
 * Assertions go through the same session: a PGlite folder can be opened by one instance only.
 */
export interface DialectSession {
  readonly backend: Backend
  readonly dialect: Dialect
  readonly connection: Connection
  /** Compiles `op` and runs its statements one by one, outside any transaction. */
  run(op: MigrationOp): Promise<void>
  /** Runs a query on the session and returns its rows. */
  rows<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>
  close(): Promise<void>
}

/** Opens a session on a new database of `backend`. */
export async function openSession(backend: Backend): Promise<DialectSession> {
  const db: TestDatabase = await createDatabase(backend)
  const dialect = await openDialect(db.url, '/')
  const connection = await dialect.driver.connect('test')
  return {
    backend,
    dialect,
    connection,
    async run(op) {
      // The way the online executor runs them: the simple protocol without parameters (so that
      // CONCURRENTLY and DO blocks run as sent), the extended protocol with them.
      for (const statement of dialect.ddl.compile(op)) {
        if (statement.params.length === 0) await connection.execute(statement.sql)
        else await connection.query(statement.sql, statement.params)
      }
    },
    async rows<Row>(sql: string, params: readonly unknown[] = []) {
      return [...(await connection.query<Row>(sql, params)).rows]
    },
    async close() {
      await connection.close()
      await dialect.driver.close()
      await db.drop()
    },
  }
}
