import { describe, expect, it } from 'vitest'
import { describeOp } from '../../src/autogenerate/describe-change.ts'
import {
  ConcurrentlyInTransactionError,
  enumType,
  IrreversibleOperationError,
  integer,
  type MigrationOp,
  Operations,
  reverse,
  sql,
  table,
  text,
  varchar,
} from '../../src/index.ts'
import type { OpExecutor } from '../../src/operations/op-executor.ts'

function recorder(transactional = true): { op: Operations; ops: MigrationOp[] } {
  const ops: MigrationOp[] = []
  const executor: OpExecutor = {
    run: async (op) => {
      ops.push(op)
    },
    query: async () => [],
  }
  return { op: new Operations(executor, { transactional }), ops }
}

describe('the op facade builds operation objects', () => {
  it('addColumn adds the column, then what its modifiers imply', async () => {
    const { op, ops } = recorder()
    await op.addColumn('items', 'owner_id', integer().notNull().references('users', 'id').index())
    expect(ops.map((o) => o.kind)).toEqual(['addColumn', 'createForeignKey', 'createIndex'])
    expect(ops[1]).toMatchObject({
      kind: 'createForeignKey',
      table: 'items',
      foreignKey: {
        name: 'fk_items_owner_id_users',
        columns: ['owner_id'],
        referencedTable: 'users',
      },
    })
    expect(ops[2]).toMatchObject({ index: { name: 'ix_items_owner_id', unique: false } })
  })

  it('createTable carries the whole table definition with conventional names', async () => {
    const { op, ops } = recorder()
    await op.createTable(
      table('users', {
        id: integer().primaryKey().identity(),
        email: varchar(255).notNull().unique(),
      }),
    )
    expect(ops).toEqual([
      {
        kind: 'createTable',
        ifNotExists: false,
        table: expect.objectContaining({
          name: 'users',
          primaryKey: { name: 'pk_users', columns: ['id'] },
          uniques: [{ name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false }],
        }),
      },
    ])
  })

  it('alterColumn records what it changes and what it replaces', async () => {
    const { op, ops } = recorder()
    await op.alterColumn('users', 'email', {
      type: text(),
      existingType: varchar(255),
      nullable: true,
      existingNullable: false,
      default: sql`'x'`,
      existingDefault: null,
      rename: 'mail',
    })
    expect(ops[0]).toEqual({
      kind: 'alterColumn',
      schema: undefined,
      table: 'users',
      column: 'email',
      changes: {
        type: { to: { kind: 'text' }, from: { kind: 'varchar', length: 255 } },
        nullable: { to: true, from: false },
        default: { to: { kind: 'sql', sql: "'x'" }, from: null },
        name: { to: 'mail', from: 'email' },
      },
    })
    expect(reverse(ops[0]!)).toEqual([
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'users',
        column: 'mail',
        changes: {
          type: { to: { kind: 'varchar', length: 255 }, from: { kind: 'text' } },
          nullable: { to: false, from: true },
          default: { to: null, from: { kind: 'sql', sql: "'x'" } },
          name: { to: 'email', from: 'mail' },
        },
      },
    ])
  })

  it('bulkInsert with a table definition maps property keys to column names', async () => {
    const { op, ops } = recorder()
    const people = table('people', { id: integer().primaryKey(), fullName: text('full_name') })
    await op.bulkInsert(people, [{ id: 1, fullName: 'Ada' }, { id: 2 }], { batchSize: 100 })
    expect(ops[0]).toEqual({
      kind: 'bulkInsert',
      schema: undefined,
      table: 'people',
      columns: ['id', 'full_name'],
      rows: [
        [1, 'Ada'],
        [2, null],
      ],
      batchSize: 100,
    })
  })

  it('bulkInsert refuses rows that are not objects keyed by column', async () => {
    const { op, ops } = recorder()
    await expect(
      op.bulkInsert('people', [{ id: 1 }, [2, 'Bo'] as unknown as Record<string, unknown>]),
    ).rejects.toThrow(
      "op.bulkInsert('people') row 2 is an array; give each row as an object keyed by column, like { id: 1, name: 'admin' }",
    )
    expect(ops).toEqual([])
  })

  it('alterColumn refuses an option it does not have', async () => {
    const { op, ops } = recorder()
    await expect(
      op.alterColumn('users', 'fullname', { name: 'full_name' } as never),
    ).rejects.toThrow(
      "op.alterColumn('users', 'fullname') has no option 'name' (a new name is given as rename: '...'); the options are schema, type, using,",
    )
    expect(ops).toEqual([])
  })

  it('createEnum and dropEnum accept an enumType declaration', async () => {
    const { op, ops } = recorder()
    const mood = enumType('mood', ['sad', 'happy'] as const, { schema: 'app' })
    await op.createEnum(mood)
    await op.dropEnum(mood)
    expect(ops[0]).toEqual({
      kind: 'createEnum',
      enum: { schema: 'app', name: 'mood', values: ['sad', 'happy'] },
      ifNotExists: false,
    })
    expect(reverse(ops[1]!)).toEqual([ops[0]])
  })
})

describe('op.batch groups changes to one table', () => {
  it('records the same operations as the methods of op, in order, as one operation', async () => {
    const alone = recorder()
    await alone.op.addColumn('items', 'owner_id', integer().references('users', 'id'), {
      schema: 'shop',
    })
    await alone.op.alterColumn('items', 'price', {
      schema: 'shop',
      type: integer(),
      existingType: text(),
      default: 0,
    })
    await alone.op.dropColumn('items', 'legacy', { schema: 'shop', definition: text() })
    await alone.op.createIndex('ix_items_title', 'items', ['title'], {
      schema: 'shop',
      unique: true,
    })
    await alone.op.dropIndex('ix_items_old', { schema: 'shop', table: 'items' })
    await alone.op.createForeignKey('fk_items_team', 'items', 'teams', ['team_id'], ['id'], {
      sourceSchema: 'shop',
      onDelete: 'cascade',
    })
    await alone.op.createUniqueConstraint('uq_items_sku', 'items', ['sku'], { schema: 'shop' })
    await alone.op.createCheckConstraint('ck_items_price', 'items', 'price >= 0', {
      schema: 'shop',
    })
    await alone.op.createPrimaryKey('pk_items', 'items', ['id'], { schema: 'shop' })
    await alone.op.dropConstraint('ck_items_old', 'items', { schema: 'shop' })

    const { op, ops } = recorder()
    await op.batch(
      'items',
      (batch) => {
        batch.addColumn('owner_id', integer().references('users', 'id'))
        batch.alterColumn('price', { type: integer(), existingType: text(), default: 0 })
        batch.dropColumn('legacy', { definition: text() })
        batch.createIndex('ix_items_title', ['title'], { unique: true })
        batch.dropIndex('ix_items_old')
        batch.createForeignKey('fk_items_team', 'teams', ['team_id'], ['id'], {
          onDelete: 'cascade',
        })
        batch.createUniqueConstraint('uq_items_sku', ['sku'])
        batch.createCheckConstraint('ck_items_price', 'price >= 0')
        batch.createPrimaryKey('pk_items', ['id'])
        batch.dropConstraint('ck_items_old')
      },
      { schema: 'shop' },
    )
    expect(ops).toEqual([
      { kind: 'batchAlterTable', schema: 'shop', table: 'items', ops: alone.ops },
    ])
  })

  it('reverses to one batch of the reversed changes, in reverse order', async () => {
    const { op, ops } = recorder()
    await op.batch('items', async (batch) => {
      batch.addColumn('note', text())
      batch.alterColumn('code', { rename: 'sku' })
    })
    expect(reverse(ops[0]!)).toEqual([
      {
        kind: 'batchAlterTable',
        schema: undefined,
        table: 'items',
        ops: [
          {
            kind: 'alterColumn',
            schema: undefined,
            table: 'items',
            column: 'sku',
            changes: { name: { to: 'code', from: 'sku' } },
          },
          {
            kind: 'dropColumn',
            schema: undefined,
            table: 'items',
            column: 'note',
            ifExists: false,
            cascade: false,
            definition: expect.objectContaining({ name: 'note' }),
          },
        ],
      },
    ])
    expect(describeOp(ops[0]!)).toBe(
      'batch of 2 changes to items: add column items.note (text); alter column items.code: rename to sku',
    )
    const { op: lossy, ops: lost } = recorder()
    await lossy.batch('items', (batch) => batch.dropColumn('note'))
    expect(() => reverse(lost[0]!)).toThrow(IrreversibleOperationError)
  })

  it('refuses a misspelt option at once, as op.alterColumn does', async () => {
    const { op } = recorder()
    await expect(
      op.batch('items', (batch) => batch.alterColumn('price', { name: 'cost' } as never)),
    ).rejects.toThrow("op.alterColumn('items', 'price') has no option 'name'")
  })
})

describe('the steps of a change that must not block a live database', () => {
  it('validateConstraint records the constraint, and reverses to nothing', async () => {
    const { op, ops } = recorder()
    await op.validateConstraint('items', 'fk_items_owner', { schema: 'shop' })
    expect(ops).toEqual([
      { kind: 'validateConstraint', schema: 'shop', table: 'items', name: 'fk_items_owner' },
    ])
    expect(reverse(ops[0]!)).toEqual([])
  })

  it('createUniqueConstraint adopts an index with usingIndex', async () => {
    const { op, ops } = recorder()
    await op.createUniqueConstraint('uq_users_email', 'users', ['email'], {
      usingIndex: 'ix_users_email',
    })
    await op.createUniqueConstraint('uq_users_name', 'users', ['name'])
    expect(ops).toEqual([
      {
        kind: 'createUniqueConstraint',
        schema: undefined,
        table: 'users',
        unique: { name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false },
        usingIndex: 'ix_users_email',
      },
      // Without it, no usingIndex key at all: operations written before it stay equal.
      {
        kind: 'createUniqueConstraint',
        schema: undefined,
        table: 'users',
        unique: { name: 'uq_users_name', columns: ['name'], nullsNotDistinct: false },
      },
    ])
  })

  it('a concurrent index step tolerating a rerun reverses to one that tolerates it too', async () => {
    const { op, ops } = recorder(false)
    await op.createIndex('ix_a', 'a', ['x'], { concurrently: true, ifNotExists: true })
    expect(reverse(ops[0]!)).toMatchObject([
      { kind: 'dropIndex', concurrently: true, ifExists: true },
    ])
    expect(reverse(reverse(ops[0]!)[0]!)).toEqual([ops[0]])
  })

  it('a constraint dropped with notValid comes back not valid', async () => {
    const { op, ops } = recorder()
    await op.dropConstraint('ck_a_x_not_null', 'a', {
      definition: {
        type: 'check',
        definition: { name: 'ck_a_x_not_null', expression: 'x IS NOT NULL' },
        notValid: true,
      },
    })
    expect(reverse(ops[0]!)).toMatchObject([{ kind: 'createCheckConstraint', notValid: true }])
  })
})

describe('CONCURRENTLY needs a migration without a transaction', () => {
  it('is refused in a transactional migration, before anything runs', async () => {
    const { op, ops } = recorder(true)
    await expect(op.createIndex('ix_a', 'a', ['x'], { concurrently: true })).rejects.toThrow(
      ConcurrentlyInTransactionError,
    )
    await expect(op.dropIndex('ix_a', { concurrently: true })).rejects.toThrow(
      "op.dropIndex('ix_a', { concurrently: true }) cannot run inside a transaction, and this migration runs in one; add `export const transactional = false` to the migration",
    )
    expect(ops).toEqual([])
  })

  it('is accepted in a non-transactional one', async () => {
    const { op, ops } = recorder(false)
    await op.createIndex('ix_a', 'a', ['x'], { concurrently: true })
    expect(ops).toMatchObject([{ kind: 'createIndex', concurrently: true }])
  })
})

describe('reverse refuses operations that lose information', () => {
  it.each([
    [
      'raw SQL',
      (op: Operations) => op.execute('UPDATE x SET y = 1'),
      /raw SQL has no known inverse/,
    ],
    [
      'a drop without its definition',
      (op: Operations) => op.dropColumn('users', 'email'),
      /dropColumn without|pass the column definition/,
    ],
    [
      'a table drop by name',
      (op: Operations) => op.dropTable('users'),
      /pass the table definition/,
    ],
    [
      'an added enum value',
      (op: Operations) => op.addEnumValue('mood', 'meh'),
      /PostgreSQL cannot remove a value from an enum/,
    ],
    [
      'an alter without the old value',
      (op: Operations) => op.alterColumn('users', 'email', { nullable: true }),
      /pass existingNullable/,
    ],
    [
      'inserted rows',
      (op: Operations) => op.bulkInsert('t', [{ a: 1 }]),
      /write the DELETE by hand/,
    ],
    [
      'a comment without the previous one',
      (op: Operations) => op.createTableComment('t', 'x'),
      /existingComment/,
    ],
  ])('%s', async (_, build, message) => {
    const { op, ops } = recorder()
    await build(op)
    expect(() => reverse(ops[0]!)).toThrow(IrreversibleOperationError)
    expect(() => reverse(ops[0]!)).toThrow(message)
  })
})
