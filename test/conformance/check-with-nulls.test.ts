import { afterEach, describe, expect, it } from 'vitest'
import { downgrade, upgrade } from '../../src/index.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * A CHECK accepts a row that makes it NULL, on every engine — also when it is added to a table
 * that already holds such rows (SQLite 3.53 refuses that in place, so aludel rebuilds the table
 * there).
 */
describe.each(conformanceBackends())(
  'a check added over NULLs on $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    it.skipIf(skip)('accepts the NULL rows, refuses a bad one, and is dropped again', async () => {
      db = await createConformanceDatabase(backend)
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        message: 'stock',
        extra: "import { integer, table } from 'aludel'",
        upgrade: `await op.createTable(table('stock', { id: integer().primaryKey(), qty: integer() }))
  await op.bulkInsert('stock', [{ id: 1, qty: 3 }, { id: 2, qty: null }])`,
        downgrade: "await op.dropTable('stock')",
      })
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        message: 'positive',
        upgrade: "await op.createCheckConstraint('ck_stock_qty', 'stock', 'qty > 0')",
        downgrade: "await op.dropConstraint('ck_stock_qty', 'stock')",
      })
      await upgrade(project.config, 'head')
      await db.query('INSERT INTO stock (id, qty) VALUES (3, NULL)')
      await expect(db.query('INSERT INTO stock (id, qty) VALUES (4, -1)')).rejects.toThrow()
      expect(await db.query('SELECT id FROM stock ORDER BY id')).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
      ])
      await downgrade(project.config, 'aaaaaa')
      await db.query('INSERT INTO stock (id, qty) VALUES (4, -1)')
    })
  },
)
