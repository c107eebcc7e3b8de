import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import {
  assertAtHead,
  currentRevision,
  downgrade,
  NotAtHeadError,
  upgrade,
} from '../../src/index.ts'
import { conformanceBackends, createConformanceDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * An application's own session, given to aludel: an in-memory SQLite database exists only inside
 * its connection, so migrating and checking it must go through that connection.
 */
function writeAccounts(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'accounts',
    extra: "import { serial, table, text } from 'aludel'",
    upgrade:
      "await op.createTable(table('accounts', { id: serial().primaryKey(), name: text().notNull() }))",
    downgrade: "await op.dropTable('accounts')",
  })
}

describe('an application-held session', () => {
  it('migrates and checks an in-memory SQLite database through its one connection', async () => {
    const project = createProject('sqlite::memory:')
    writeAccounts(project)
    const db = new DatabaseSync(':memory:')
    try {
      await expect(assertAtHead(project.config, { connection: db })).rejects.toThrow(NotAtHeadError)
      const up = await upgrade(project.config, 'head', { connection: db })
      expect(up.steps.map((s) => s.revision)).toEqual(['aaaaaa'])
      await assertAtHead(project.config, { connection: db })
      db.exec("INSERT INTO accounts (name) VALUES ('Ann')")
      expect(db.prepare('SELECT name FROM accounts').all()).toEqual([{ name: 'Ann' }])
      expect((await currentRevision(project.config, { connection: db })).atHead).toBe(true)
      await downgrade(project.config, 'base', { connection: db })
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'accounts'").all()).toEqual([])
    } finally {
      // aludel never closes a session it was given: it is still open here.
      expect(db.isOpen).toBe(true)
      db.close()
    }
  })

  it('of the wrong kind is refused in one line that says which kind the URL takes', async () => {
    const sqlite = createProject('sqlite::memory:')
    await expect(
      currentRevision(sqlite.config, { connection: { query: async () => ({ rows: [] }) } }),
    ).rejects.toThrow(
      "the connection given to aludel is not a node:sqlite DatabaseSync, which a sqlite: URL takes (import { DatabaseSync } from 'node:sqlite')",
    )
    const pglite = createProject('pglite:memory')
    const db = new DatabaseSync(':memory:')
    try {
      await expect(currentRevision(pglite.config, { connection: db })).rejects.toThrow(
        'the connection given to aludel has no query(): a postgres: or pglite: URL takes a node-postgres Client or Pool, or a PGlite instance',
      )
    } finally {
      db.close()
    }
  })

  const postgres = conformanceBackends().find((b) => b.backend === 'postgres')!
  it.skipIf(postgres.skip)(
    'on a PostgreSQL server, reads through it but migrates on sessions of its own',
    async () => {
      const db = await createConformanceDatabase('postgres')
      const project = createProject(db.url)
      writeAccounts(project)
      const refused = await upgrade(project.config, 'head', {
        connection: { query: async () => ({ rows: [] }) },
      })
        .catch((e: unknown) => e)
        .finally(() => db.drop())
      expect((refused as Error).message).toBe(
        'migrations on a database server open their own sessions (one holds the migration lock while another works); call without `connection`',
      )
    },
  )
})

const mariadb = conformanceBackends().find((b) => b.backend === 'mariadb')!

describe.skipIf(mariadb.skip)('an application-held mysql2 session', () => {
  it('is read through for current and assertAtHead, and left open', async () => {
    const db = await createConformanceDatabase('mariadb')
    const mysql = await import('mysql2')
    const project = createProject(db.url)
    writeAccounts(project)
    // The callback API's pool, as many applications hold it, and the promise API's connection.
    const pool = mysql.createPool({ uri: db.url, connectionLimit: 2 })
    const promiseApi = (await import('mysql2/promise')).default
    const connection = await promiseApi.createConnection({ uri: db.url })
    try {
      await expect(assertAtHead(project.config, { connection: pool })).rejects.toThrow(
        NotAtHeadError,
      )
      await upgrade(project.config, 'head')
      await assertAtHead(project.config, { connection: pool })
      expect((await currentRevision(project.config, { connection })).atHead).toBe(true)
      // Both are still open: aludel never closes what it was given.
      expect(await connection.query('SELECT 1 AS one')).toEqual([[{ one: 1 }], expect.anything()])
      await expect(
        currentRevision(project.config, { connection: { query: () => 1 } as never }),
      ).rejects.toThrow(
        "the connection given to aludel is not a mysql2 connection or pool, which a mysql: URL takes (import mysql from 'mysql2/promise')",
      )
    } finally {
      await connection.end()
      await new Promise((resolve) => pool.end(resolve))
      await db.drop()
    }
  })
})
