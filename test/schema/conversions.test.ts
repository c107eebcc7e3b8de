import { describe, expect, it } from 'vitest'
import {
  check,
  dbSchema,
  defineSchema,
  enumsOfTable,
  enumType,
  foreignKey,
  index,
  integer,
  jsonb,
  primaryKey,
  sql,
  table,
  text,
  timestamptz,
  toColumnDef,
  toTableDef,
  unique,
  uuid,
  varchar,
} from '../../src/schema/index.ts'
import {
  columnDef,
  columnElement,
  expectPlainData,
  identity,
  indexDef,
  tableDef,
} from './helpers.ts'
import { users } from './tutorial-models.ts'

describe('toColumnDef (for op.addColumn)', () => {
  it('converts a bare column with the name it is given', () => {
    expect(toColumnDef(text(), { table: 'users', name: 'nickname' })).toStrictEqual({
      column: columnDef('nickname', { kind: 'text' }),
      primaryKey: undefined,
      foreignKeys: [],
      uniques: [],
      checks: [],
      indexes: [],
      enums: [],
    })
  })

  it('returns the constraints the modifiers imply, named by the convention for that table', () => {
    const mood = enumType('mood', ['sad', 'happy'], { schema: 'app' })
    const result = toColumnDef(
      integer('owner_id')
        .notNull()
        .references('auth.accounts', 'id', { onDelete: 'cascade' })
        .index()
        .check('owner_positive', (c) => sql`${c} > 0`)
        .comment('Who owns it'),
      { table: 'items', schema: 'app' },
    )
    expect(result).toStrictEqual({
      column: columnDef(
        'owner_id',
        { kind: 'integer' },
        { nullable: false, comment: 'Who owns it' },
      ),
      primaryKey: undefined,
      foreignKeys: [
        {
          name: 'fk_items_owner_id_accounts',
          columns: ['owner_id'],
          referencedSchema: 'auth',
          referencedTable: 'accounts',
          referencedColumns: ['id'],
          onDelete: 'cascade',
          onUpdate: undefined,
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
      uniques: [],
      checks: [{ name: 'ck_items_owner_positive', expression: 'owner_id > 0' }],
      indexes: [indexDef('ix_items_owner_id', [columnElement('owner_id')])],
      enums: [],
    })
    const withEnum = toColumnDef(mood().notNull().default('sad').unique(), {
      table: 'people',
      name: 'mood',
      namingConvention: { uq: '%(table_name)s_%(column_0_name)s_key' },
    })
    expect(withEnum.enums).toStrictEqual([
      { schema: 'app', name: 'mood', values: ['sad', 'happy'] },
    ])
    expect(withEnum.uniques).toStrictEqual([
      { name: 'people_mood_key', columns: ['mood'], nullsNotDistinct: false },
    ])
    expect(withEnum.column.default).toStrictEqual({ kind: 'literal', value: 'sad' })
  })

  it('resolves callback references through the referenced table, and keeps a primary key', () => {
    const result = toColumnDef(
      uuid()
        .primaryKey()
        .references(() => users.id),
      {
        table: 'profiles',
        name: 'user_id',
      },
    )
    expect(result.primaryKey).toStrictEqual({ name: 'pk_profiles', columns: ['user_id'] })
    expect(result.foreignKeys[0]?.referencedTable).toBe('users')
    expect(result.column.identity).toBeUndefined()
    expectPlainData(result)
  })

  it('accepts the same name on the builder and in the options', () => {
    expect(toColumnDef(text('a'), { table: 't', name: 'a' }).column.name).toBe('a')
  })
})

describe('toTableDef (for op.createTable)', () => {
  it('converts a table on its own, without a model', () => {
    expect(toTableDef(users).name).toBe('users')
    const sessions = dbSchema('auth').table('sessions', {
      id: integer().primaryKey().identity({ always: true }),
      userId: integer('user_id').references(() => users.id),
    })
    expect(toTableDef(sessions)).toStrictEqual(
      tableDef(
        'sessions',
        [
          columnDef(
            'id',
            { kind: 'integer' },
            { nullable: false, identity: identity({ always: true }) },
          ),
          columnDef('user_id', { kind: 'integer' }),
        ],
        {
          schema: 'auth',
          primaryKey: { name: 'pk_sessions', columns: ['id'] },
          foreignKeys: [
            {
              name: 'fk_sessions_user_id_users',
              columns: ['user_id'],
              referencedSchema: undefined,
              referencedTable: 'users',
              referencedColumns: ['id'],
              onDelete: undefined,
              onUpdate: undefined,
              deferrable: false,
              initiallyDeferred: false,
            },
          ],
        },
      ),
    )
  })
})

describe('enumsOfTable (for op.createTable)', () => {
  it('lists the enums the columns use, once each, as plain data', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const role = dbSchema('auth').enumType('role', ['member'])
    const people = table('people', {
      id: integer(),
      mood: mood(),
      moods: mood('past_moods').array(),
      role: role().notNull(),
    })
    expect(enumsOfTable(people)).toStrictEqual([
      { schema: undefined, name: 'mood', values: ['sad', 'happy'] },
      { schema: 'auth', name: 'role', values: ['member'] },
    ])
    expectPlainData(enumsOfTable(people))
    expect(enumsOfTable(users)).toStrictEqual([])
  })
})

describe('snapshots', () => {
  /** A table with one of everything, its extras listed in the given order. */
  function kitchenSink(reverse: boolean) {
    const accounts = table(
      'accounts',
      { id: uuid().primaryKey(), region: text().notNull() },
      (t) => [unique().on(t.id, t.region)],
    )
    const status = enumType('status', ['draft', 'live'])
    const orders = table(
      'orders',
      {
        id: integer().notNull(),
        region: text().notNull(),
        accountId: uuid('account_id').references(() => accounts.id),
        status: status().notNull().default('draft'),
        code: varchar(12).unique(),
        data: jsonb().default({ a: [1, { b: null }] }),
        createdAt: timestamptz('created_at').notNull().default(sql`now()`),
        note: text().index().comment('free text'),
      },
      {
        comment: 'Orders',
        extras: (t) => {
          const extras = [
            primaryKey({ columns: [t.id, t.region] }),
            foreignKey({
              columns: [t.accountId, t.region],
              foreignColumns: [accounts.id, accounts.region],
              // The column-level reference would get the same conventional name.
              name: 'fk_orders_account_region',
            }),
            index().on(t.createdAt.desc()).where(sql`${t.status} = ${'live'}`),
            index('ix_orders_data').on(t.data).using('gin'),
            check('code_upper', sql`${t.code} = upper(${t.code})`),
            unique().on(t.accountId, t.code).nullsNotDistinct(),
          ]
          return reverse ? extras.reverse() : extras
        },
      },
    )
    return defineSchema({ orders, accounts })
  }

  it('do not depend on the order extras are declared in, and are plain data', () => {
    const forward = kitchenSink(false).snapshot()
    expect(kitchenSink(true).snapshot()).toStrictEqual(forward)
    expectPlainData(forward)
    const orders = forward.tables[1]!
    expect(orders.name).toBe('orders')
    expect({
      pk: orders.primaryKey?.name,
      fk: orders.foreignKeys.map((x) => x.name),
      uq: orders.uniques.map((x) => x.name),
      ck: orders.checks.map((x) => x.name),
      ix: orders.indexes.map((x) => x.name),
    }).toStrictEqual({
      pk: 'pk_orders',
      fk: ['fk_orders_account_id_accounts', 'fk_orders_account_region'],
      uq: ['uq_orders_account_id', 'uq_orders_code'],
      ck: ['ck_orders_code_upper'],
      ix: ['ix_orders_created_at', 'ix_orders_data', 'ix_orders_note'],
    })
    expect(orders.indexes[0]).toStrictEqual(
      indexDef('ix_orders_created_at', [columnElement('created_at', { order: 'desc' })], {
        where: "status = 'live'",
      }),
    )
    expect(forward.enums).toStrictEqual([
      { schema: undefined, name: 'status', values: ['draft', 'live'] },
    ])
  })

  it('survive a JSON round trip when their defaults are JSON values', () => {
    const snapshot = kitchenSink(false).snapshot()
    expect(JSON.parse(JSON.stringify(snapshot))).toStrictEqual(
      JSON.parse(JSON.stringify(kitchenSink(true).snapshot())),
    )
    expect(snapshot.tables[1]?.columns.find((c) => c.name === 'data')?.default).toStrictEqual({
      kind: 'literal',
      value: { a: [1, { b: null }] },
    })
  })
})
