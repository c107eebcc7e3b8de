import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  boolean,
  index,
  integer,
  numeric,
  sql,
  table,
  text,
  timestamptz,
  varchar,
} from '../../src/index.ts'
import type { Operations } from '../../src/operations/operations.ts'
import { reverseAll } from '../../src/operations/reverse.ts'
import { catalogSnapshot } from '../support/catalog.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { runOps, withOps } from './op-session.ts'

/** A base schema every round trip starts from. */
async function base(op: Operations): Promise<void> {
  await op.createSchema('shop')
  await op.createEnum('status', ['draft', 'live'], { schema: 'shop' })
  await op.createTable(
    table('users', {
      id: integer().primaryKey().identity(),
      email: varchar(255).notNull().unique(),
      fullname: text(),
    }),
  )
  await op.createTable(
    table(
      'items',
      {
        id: integer().primaryKey(),
        title: text().notNull(),
        price: integer(),
        ownerId: integer('owner_id'),
      },
      { schema: 'shop', comment: 'things for sale' },
    ),
  )
  await op.createIndex('ix_users_fullname', 'users', ['fullname'])
}

/** Every reversible operation, each with the arguments that make it reversible. */
const steps: Record<string, (op: Operations) => Promise<void>> = {
  createSchema: (op) => op.createSchema('extra'),
  createTable: (op) =>
    op.createTable(
      table(
        'orders',
        {
          id: integer().primaryKey().identity({ always: true, start: 100 }),
          userId: integer('user_id').notNull().references('users', 'id', { onDelete: 'cascade' }),
          total: numeric(12, 2).notNull().default('0').check('positive_total', sql`total >= 0`),
          placedAt: timestamptz('placed_at').notNull().default(sql`now()`),
          note: text().comment('free text'),
        },
        (t) => [index('ix_orders_user_placed').on(t.userId, t.placedAt.desc())],
      ),
    ),
  renameTable: (op) => op.renameTable('users', 'members'),
  addColumn: (op) => op.addColumn('users', 'is_active', boolean().notNull().default(true).index()),
  addColumnWithReference: (op) =>
    op.addColumn('items', 'buyer_id', integer().references('users', 'id'), { schema: 'shop' }),
  alterColumnType: (op) =>
    op.alterColumn('items', 'price', {
      schema: 'shop',
      type: numeric(10, 2),
      using: 'price::numeric(10,2)',
      existingType: integer(),
      existingUsing: 'price::integer',
    }),
  alterColumnNullableDefaultComment: (op) =>
    op.alterColumn('users', 'fullname', {
      nullable: false,
      existingNullable: true,
      default: 'anonymous',
      existingDefault: null,
      comment: 'display name',
      existingComment: null,
    }),
  alterColumnRename: (op) => op.alterColumn('users', 'fullname', { rename: 'full_name' }),
  createIndex: (op) =>
    op.createIndex('ix_users_email_lower', 'users', [sql`lower(email)`], {
      unique: true,
      where: 'fullname IS NOT NULL',
    }),
  createIndexConcurrently: (op) =>
    op.createIndex('ix_items_title', 'items', ['title'], {
      schema: 'shop',
      concurrently: true,
      include: ['price'],
    }),
  createForeignKey: (op) =>
    op.createForeignKey('fk_items_owner', 'items', 'users', ['owner_id'], ['id'], {
      sourceSchema: 'shop',
      onDelete: 'set null',
      deferrable: true,
      initiallyDeferred: true,
    }),
  createUniqueConstraint: (op) =>
    op.createUniqueConstraint('uq_items_title', 'items', ['title'], { schema: 'shop' }),
  createCheckConstraint: (op) =>
    op.createCheckConstraint('ck_items_price', 'items', 'price > 0', { schema: 'shop' }),
  createPrimaryKey: async (op) => {
    await op.createTable(table('tags', { name: text().notNull() }))
    await op.createPrimaryKey('pk_tags', 'tags', ['name'])
  },
  createEnum: (op) => op.createEnum('mood', ['sad', 'ok', 'happy']),
  renameEnumValue: (op) => op.renameEnumValue('status', 'live', 'published', { schema: 'shop' }),
  createTableComment: (op) =>
    op.createTableComment('items', 'goods', { schema: 'shop', existingComment: 'things for sale' }),
  createTableCommentFirst: (op) =>
    op.createTableComment('users', 'people', { existingComment: null }),
  dropTableComment: (op) =>
    op.dropTableComment('items', { schema: 'shop', existingComment: 'things for sale' }),
  dropTable: (op) =>
    op.dropTable(
      table(
        'items',
        {
          id: integer().primaryKey(),
          title: text().notNull(),
          price: integer(),
          ownerId: integer('owner_id'),
        },
        { schema: 'shop', comment: 'things for sale' },
      ),
    ),
  // A column that no index or constraint uses: those would go with it and not come back.
  dropColumn: (op) => op.dropColumn('items', 'price', { schema: 'shop', definition: integer() }),
  dropIndex: async (op) => {
    await op.dropIndex('ix_users_fullname', {
      table: 'users',
      definition: {
        name: 'ix_users_fullname',
        elements: [
          {
            column: 'fullname',
            expression: undefined,
            order: undefined,
            nulls: undefined,
            opclass: undefined,
          },
        ],
        unique: false,
        method: undefined,
        where: undefined,
        include: [],
      },
    })
  },
  dropConstraint: (op) =>
    op.dropConstraint('uq_users_email', 'users', {
      definition: {
        type: 'unique',
        definition: { name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false },
      },
    }),
  dropEnum: (op) => op.dropEnum('status', { schema: 'shop', values: ['draft', 'live'] }),
  batchAlterTable: (op) =>
    op.batch(
      'items',
      (batch) => {
        batch.addColumn('sku', varchar(20))
        batch.alterColumn('price', { type: numeric(10, 2), existingType: integer() })
        batch.createUniqueConstraint('uq_items_sku', ['sku'])
        batch.alterColumn('title', { rename: 'name' })
      },
      { schema: 'shop' },
    ),
}

describe.each(backends())('every reversible op round-trips on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
    // One PGlite start per test instead of six: the operations and the snapshots share it.
    await db.hold()
    await withOps(db, base)
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip).each(Object.entries(steps))('%s, then its reverse', async (_, step) => {
    const before = await catalogSnapshot(db)
    const ops = await withOps(db, step)
    const during = await catalogSnapshot(db)
    expect(during, 'the step changed something').not.toEqual(before)
    await runOps(db, reverseAll(ops))
    expect(await catalogSnapshot(db)).toEqual(before)
  })
})
