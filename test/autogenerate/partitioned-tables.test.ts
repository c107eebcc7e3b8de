import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { describeResult } from '../../src/autogenerate/describe-change.ts'
import { tableId } from '../../src/autogenerate/object-keys.ts'
import { splitSafeMigration } from '../../src/autogenerate/safe-migration.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import {
  checkModels,
  defineSchema,
  downgrade,
  integer,
  partition,
  partitionBy,
  primaryKey,
  reverseAll,
  SchemaModelError,
  table,
  text,
  upgrade,
} from '../../src/index.ts'
import type { SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import { fullCatalog } from '../support/full-catalog.ts'
import { NO_SCHEMA_OBJECTS } from '../support/snapshot-literals.ts'
import { applyOps } from './apply-ops.ts'
import { compareSchemas } from './compare-helpers.ts'
import { migratedTo, stairway } from './partition-support.ts'
import { PAYMENT } from './render-partition-cases.ts'
import { freshDatabases, modelProject } from './schema-objects-support.ts'

/**
 * Partitioned tables and their partitions, end to end: the DSL, autogenerate (create, a changed
 * bound detached and attached again, comments, drop), `check`, `pull`, and every downgrade
 * restoring the catalog exactly — on PGlite and on the PostgreSQL server.
 */

const IMPORTS =
  "import { defineSchema, index, integer, numeric, partition, partitionBy, primaryKey, sql, table, text, timestamptz } from 'aludel'\n"

/** Payments partitioned by month, the parent's index created on every partition. */
const PAYMENT_MODEL = `${IMPORTS}
export const payment = table('payment', {
  paymentId: integer('payment_id').notNull(),
  customerId: integer('customer_id').notNull(),
  amount: numeric(5, 2).notNull(),
  paymentDate: timestamptz('payment_date').notNull(),
}, {
  comment: 'Payments, one partition per month',
  extras: (t) => [
    primaryKey({ columns: [t.paymentDate, t.paymentId] }),
    index('payment_customer_idx').on(t.customerId),
    partitionBy('range', t.paymentDate),
  ],
})
`

const V1 = `${PAYMENT_MODEL}
export const january = partition('payment_p2022_01', payment, { from: '2022-01-01', to: '2022-02-01' }, { comment: 'January 2022' })
export const february = partition('payment_p2022_02', payment, { from: '2022-02-01', to: '2022-03-01' })
export const rest = partition('payment_default', payment, 'default')
export const schema = defineSchema({ payment, january, february, rest })
`

/**
 * A month added, February's bound changed (detached and attached again), a comment changed, the
 * default partition dropped; a list-partitioned table with a partition in another schema and a
 * hash-partitioned one on an expression.
 */
const V2 = `${PAYMENT_MODEL}
export const january = partition('payment_p2022_01', payment, { from: '2022-01-01', to: '2022-02-01' }, { comment: 'January' })
export const february = partition('payment_p2022_02', payment, { from: '2022-02-01', to: '2022-02-15' })
export const march = partition('payment_p2022_03', payment, { from: '2022-03-01', to: '2022-04-01' })
export const store = table('store', {
  id: integer().notNull(),
  country: text().notNull(),
}, (t) => [primaryKey({ columns: [t.id, t.country] }), partitionBy('list', t.country)])
export const storeEu = partition('store_eu', store, { in: ['de', 'fr', 'it'] })
export const storeArchive = partition('store_other', store, 'default', { schema: 'archive', comment: 'Everything else' })
export const visit = table('visit', {
  id: integer().notNull(),
  page: text().notNull(),
}, (t) => [partitionBy('hash', sql\`lower(\${t.page})\`)])
export const visit0 = partition('visit_h0', visit, { modulus: 2, remainder: 0 })
export const visit1 = partition('visit_h1', visit, { modulus: 2, remainder: 1 })
export const schema = defineSchema({ payment, january, february, march, store, storeEu, storeArchive, visit, visit0, visit1 })
`

describe.each(backends())('partitioned tables on $backend', ({ backend, skip }) => {
  const database = freshDatabases(backend)

  it.skipIf(skip)(
    'stairway: create, change bounds and comments, drop; each downgrade restores the catalog',
    async () => {
      const db = await database()
      const { migrations, catalogs } = await stairway(db, [V1, V2])
      expect(migrations[0]).toContain(
        "await op.createPartition('payment_p2022_02', 'payment', { from: '2022-02-01', to: '2022-03-01' })",
      )
      expect(migrations[1]).toContain("await op.detachPartition('payment_p2022_02', 'payment'")
      expect(migrations[1]).toContain("await op.attachPartition('payment_p2022_02', 'payment'")
      expect(migrations[1]).toContain("await op.dropPartition('payment_default', 'payment'")
      expect(migrations[1]).toContain("await op.createSchema('archive'")
      // The partitions are tables with the parent's index, but models know them as partitions.
      expect(catalogs[1]!.partitions).toEqual([
        'public.payment RANGE (payment_date)',
        'public.payment_default of payment DEFAULT',
        "public.payment_p2022_01 of payment FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')",
        "public.payment_p2022_02 of payment FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00')",
      ])
      expect(catalogs[2]!.partitions).toContain('public.visit HASH (lower(page))')
      expect(catalogs[2]!.partitions).toContain('archive.store_other of store DEFAULT')
      expect(catalogs[2]!.indexes.filter((i) => i.includes('customer_id'))).toHaveLength(4)
    },
  )

  it.skipIf(skip)(
    'introspection reads partitions with their parent only, and pull writes them back',
    async () => {
      const source = await database()
      const { models, config } = await migratedTo(source, V2)

      const dialect = await openDialect(source.url, '/')
      const connection = await dialect.driver.connect('test')
      let live: SchemaSnapshot
      try {
        live = await dialect.introspector.introspect(connection, {
          excludeTables: ['aludel_version', 'aludel_version_ledger', 'aludel_version_progress'],
        })
      } finally {
        await connection.close()
      }
      // No partition is a table of its own, and the parent's index is reported once.
      expect(live.tables.map((t) => t.name)).toEqual(['payment', 'store', 'visit'])
      const payment = live.tables[0]!
      expect(payment.indexes.map((i) => i.name)).toEqual(['payment_customer_idx'])
      expect(payment.partitions?.map((p) => p.name)).toEqual([
        'payment_p2022_01',
        'payment_p2022_02',
        'payment_p2022_03',
      ])

      const pulled = await models.pulled(config)
      expect(pulled).toContain("partitionBy('range', t.paymentDate)")
      expect(pulled).toContain(
        "export const storeOther = partition('store_other', store, 'default', {\n  schema: 'archive',\n  comment: 'Everything else',\n})",
      )
      expect(pulled).toContain("partitionBy('hash', sql`lower(page)`)")
      expect((await checkModels(models.useModels(pulled))).differences).toEqual([])

      const target = await database()
      const copy = modelProject(target)
      const copyConfig = copy.useModels(pulled)
      await copy.generate(copyConfig, 'from pull')
      await upgrade(copyConfig, 'head')
      expect(await fullCatalog(target)).toEqual(await fullCatalog(source))
    },
  )

  it.skipIf(skip)(
    'a renamed partition is asked about; answered, it is renamed with its rows, and back',
    async () => {
      const db = await database()
      const { models } = await migratedTo(db, V1)
      await db.query(
        "INSERT INTO payment VALUES (1, 7, 9.99, '2022-01-15'), (2, 7, 4.5, '2022-02-03')",
      )
      const renamed = V1.replace("partition('payment_p2022_01'", "partition('payment_2022_01'")
      const config = models.useModels(renamed)
      expect((await checkModels(config)).differences).toContain(
        'partition payment_p2022_01 is gone and payment_2022_01 is new: a rename, or a drop and an add?',
      )
      const script = await models.generate(
        config,
        'rename january',
        new Map([['payment_p2022_01', 'payment_2022_01']]),
      )
      const text = readFileSync(script.path, 'utf8')
      expect(text).toContain("await op.renameTable('payment_p2022_01', 'payment_2022_01')")
      expect(text).not.toMatch(/dropPartition|createPartition/)
      await upgrade(config, 'head')
      expect((await checkModels(config)).differences).toEqual([])
      expect(await db.query('SELECT payment_id FROM payment_2022_01')).toEqual([{ payment_id: 1 }])
      await downgrade(config, '-1')
      expect(await db.query('SELECT payment_id FROM payment_p2022_01')).toEqual([{ payment_id: 1 }])
    },
  )

  it.skipIf(skip)('a changed partition key is a manual step, never a silent rebuild', async () => {
    const db = await database()
    const { models } = await migratedTo(db, V1)
    const changed = models.useModels(
      V1.replace("partitionBy('range', t.paymentDate)", "partitionBy('hash', t.paymentId)")
        .replace(/export const (january|february|rest) = .*\n/g, '')
        .replace('defineSchema({ payment, january, february, rest })', 'defineSchema({ payment })'),
    )
    const { differences } = await checkModels(changed)
    expect(differences).toEqual([
      'manual step: payment: the database table is partitioned by range (payment_date), the models declare it partitioned by hash (payment_id); PostgreSQL cannot change how a table is partitioned, so create the new table, move the rows and swap the names by hand',
    ])
  })
})

describe('partitions in the DSL and in pure comparisons', () => {
  const payment = table('payment', { id: integer().notNull(), at: text().notNull() }, (t) => [
    primaryKey({ columns: [t.at, t.id] }),
    partitionBy('range', t.at),
  ])

  it('collects partitions with their parent, sorted, and refuses what PostgreSQL would', () => {
    const b = partition('b', payment, { from: 'b', to: 'c' })
    const a = partition('a', payment, { from: ['a'], to: ['b'] }, { schema: 'old' })
    const snapshot = defineSchema({ payment, b, a }).snapshot()
    expect(snapshot.tables[0]!.partitions).toEqual([
      {
        schema: undefined,
        name: 'b',
        bound: { kind: 'range', from: ["'b'"], to: ["'c'"] },
        comment: undefined,
      },
      {
        schema: 'old',
        name: 'a',
        bound: { kind: 'range', from: ["'a'"], to: ["'b'"] },
        comment: undefined,
      },
    ])
    const plain = table('plain', { id: integer() })
    expect(() => defineSchema({ plain, p: partition('p', plain, 'default') }).snapshot()).toThrow(
      'table plain has partitions (p) but no partition key; add partitionBy(...) to its extras',
    )
    expect(() => defineSchema({ b }).snapshot()).toThrow(SchemaModelError)
    expect(() => partition('h', payment, { modulus: 4, remainder: 4 })).toThrow(
      'partition h has hash remainder 4; use a whole number from 0 to 3',
    )
    expect(() => partitionBy('range')).toThrow('needs at least one column or expression')
    expect(() =>
      defineSchema({ payment, x: partition('payment', payment, 'default') }).snapshot(),
    ).toThrow('partition payment has the name of another table or partition of the model')
  })

  it('plans partitions after their parent and drops them before it, reversibly (op simulator)', () => {
    const empty: SchemaSnapshot = { tables: [], enums: [], ...NO_SCHEMA_OBJECTS }
    const models: SchemaSnapshot = {
      ...empty,
      tables: [
        {
          ...PAYMENT,
          partitions: [
            { schema: undefined, name: 'p1', bound: { kind: 'default' }, comment: 'rest' },
            {
              schema: undefined,
              name: 'p2',
              bound: { kind: 'list', values: ['1'] },
              comment: undefined,
            },
          ],
        },
      ],
    }
    const up = compareSchemas({ models, database: empty })
    expect(describeResult(up)).toEqual([
      'add table payment (5 columns)',
      'add partition p1 of payment DEFAULT',
      'add partition p2 of payment IN (1)',
    ])
    const ops = up.changes.map((c) => c.op)
    expect(applyOps(empty, ops)).toEqual(models)
    expect(applyOps(models, reverseAll(ops))).toEqual(empty)

    const changed: SchemaSnapshot = {
      ...models,
      tables: [
        {
          ...models.tables[0]!,
          partitions: [
            {
              schema: undefined,
              name: 'p2',
              bound: { kind: 'list', values: ['2'] },
              comment: 'two',
            },
          ],
        },
      ],
    }
    const change = compareSchemas({ models: changed, database: models })
    expect(describeResult(change)).toEqual([
      'detach partition p2 from payment',
      'attach p2 to payment as partition IN (2)',
      'set the comment of table p2',
      'drop partition p1 of payment',
    ])
    const changeOps = change.changes.map((c) => c.op)
    expect(applyOps(models, changeOps)).toEqual(changed)
    expect(applyOps(changed, reverseAll(changeOps))).toEqual(models)
  })

  it('keeps the plain forms on partitioned tables under safeMigrations', () => {
    const table = 'payment'
    const ops = [
      {
        kind: 'createIndex',
        schema: undefined,
        table,
        index: {
          name: 'ix',
          elements: [],
          unique: false,
          method: undefined,
          where: undefined,
          include: [],
        },
        concurrently: false,
        ifNotExists: false,
      },
      {
        kind: 'createForeignKey',
        schema: undefined,
        table,
        foreignKey: {
          name: 'fk',
          columns: ['customer_id'],
          referencedSchema: undefined,
          referencedTable: 'customer',
          referencedColumns: ['id'],
          onDelete: undefined,
          onUpdate: undefined,
          deferrable: false,
          initiallyDeferred: false,
        },
        notValid: false,
      },
    ] as const
    const result = {
      changes: ops.map((op) => ({ op, warning: undefined })),
      manual: [],
      questions: [],
    }
    const plain = splitSafeMigration(result, {
      partitionedTables: new Set([tableId(undefined, table)]),
    })
    expect(plain.concurrent).toEqual([])
    expect(plain.transactional.changes.map((c) => c.op)).toEqual(ops)
    // The same table, not partitioned, gets the concurrent forms.
    expect(splitSafeMigration(result).concurrent.map((c) => c.op.kind)).toEqual([
      'createIndex',
      'validateConstraint',
    ])
  })
})
