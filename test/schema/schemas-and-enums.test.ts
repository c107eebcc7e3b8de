import { describe, expect, it } from 'vitest'
import {
  dbSchema,
  defineSchema,
  enumType,
  foreignKey,
  integer,
  table,
  text,
  uuid,
} from '../../src/schema/index.ts'
import { NO_SCHEMA_OBJECTS } from '../support/snapshot-literals.ts'
import { columnDef, identity, tableDef, thrown } from './helpers.ts'

describe('two schemas', () => {
  const auth = dbSchema('auth')
  const role = auth.enumType('role', ['member', 'admin'])
  const accounts = auth.table(
    'accounts',
    { id: uuid().primaryKey(), role: role().notNull().default('member') },
    { comment: 'Who may sign in' },
  )
  const mood = enumType('mood', ['sad', 'ok', 'happy'])
  const profiles = table('profiles', {
    id: integer().primaryKey().identity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    mood: mood(),
  })
  const audit = auth.table('audit', { accountId: uuid('account_id'), note: text() }, (t) => [
    foreignKey({ columns: [t.accountId], foreignTable: 'auth.accounts', foreignColumns: ['id'] }),
  ])

  it('place tables and enums in their schema; the snapshot sorts by schema, then name', () => {
    const snapshot = defineSchema({ profiles, accounts, audit }).snapshot()
    expect(snapshot.tables.map((t) => [t.schema, t.name])).toStrictEqual([
      [undefined, 'profiles'],
      ['auth', 'accounts'],
      ['auth', 'audit'],
    ])
    expect(snapshot.tables[1]).toStrictEqual(
      tableDef(
        'accounts',
        [
          columnDef('id', { kind: 'uuid' }, { nullable: false }),
          columnDef(
            'role',
            { kind: 'enum', name: 'role', schema: 'auth' },
            { nullable: false, default: { kind: 'literal', value: 'member' } },
          ),
        ],
        {
          schema: 'auth',
          primaryKey: { name: 'pk_accounts', columns: ['id'] },
          comment: 'Who may sign in',
        },
      ),
    )
    expect(snapshot.tables[0]?.columns[0]).toStrictEqual(
      columnDef('id', { kind: 'integer' }, { nullable: false, identity: identity() }),
    )
    expect(snapshot.tables[0]?.foreignKeys).toStrictEqual([
      {
        name: 'fk_profiles_account_id_accounts',
        columns: ['account_id'],
        referencedSchema: 'auth',
        referencedTable: 'accounts',
        referencedColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: undefined,
        deferrable: false,
        initiallyDeferred: false,
      },
    ])
    expect(snapshot.tables[2]?.foreignKeys[0]?.referencedSchema).toBe('auth')
    // Enums used by columns are collected without being listed.
    expect(snapshot.enums).toStrictEqual([
      { schema: undefined, name: 'mood', values: ['sad', 'ok', 'happy'] },
      { schema: 'auth', name: 'role', values: ['member', 'admin'] },
    ])
  })

  it("treat dbSchema('public') as the default schema", () => {
    const pub = dbSchema('public')
    expect(pub.name).toBeUndefined()
    const t = pub.table('t', { id: integer() })
    const e = pub.enumType('e', ['x'])
    expect(defineSchema({ t, e }).snapshot()).toStrictEqual({
      tables: [tableDef('t', [columnDef('id', { kind: 'integer' })])],
      enums: [{ schema: undefined, name: 'e', values: ['x'] }],
      ...NO_SCHEMA_OBJECTS,
    })
  })

  it('allow one table name in two schemas', () => {
    const a = table('events', { id: integer() })
    const b = dbSchema('archive').table('events', { id: integer() })
    expect(
      defineSchema({ a, b })
        .snapshot()
        .tables.map((t) => `${t.schema ?? ''}.${t.name}`),
    ).toStrictEqual(['.events', 'archive.events'])
  })
})

describe('enums', () => {
  it('are collected once however many columns use them, listed or not, arrays included', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const unused = enumType('unused', ['x'])
    const a = table('a', { m: mood(), ms: mood().array() })
    const b = table('b', { m: mood('current_mood') })
    const snapshot = defineSchema({ a, b, mood, unused }).snapshot()
    expect(snapshot.enums).toStrictEqual([
      { schema: undefined, name: 'mood', values: ['sad', 'happy'] },
      { schema: undefined, name: 'unused', values: ['x'] },
    ])
  })

  it('declared twice with the same values are one enum', () => {
    const one = enumType('mood', ['sad', 'happy'])
    const two = enumType('mood', ['sad', 'happy'])
    const t = table('t', { a: one(), b: two() })
    expect(defineSchema({ t }).snapshot().enums).toHaveLength(1)
  })

  it('reject a second declaration with other values', () => {
    const one = enumType('mood', ['sad', 'happy'])
    const two = enumType('mood', ['happy', 'sad'])
    const t = table('t', { a: one(), b: two() })
    thrown(() => defineSchema({ t }).snapshot(), 'DUPLICATE_ENUM')
  })

  it('keep values in declaration order, frozen', () => {
    const size = enumType('size', ['small', 'medium', 'large'])
    expect(size.values).toStrictEqual(['small', 'medium', 'large'])
    expect(Object.isFrozen(size.values)).toBe(true)
  })
})

describe('defineSchema', () => {
  it('skips values that are neither tables nor enums, so a module namespace can be passed', () => {
    const users = table('users', { id: integer() })
    const namespace = { users, helper: () => 1, LIMIT: 10, alias: users }
    const model = defineSchema(namespace)
    expect(model.tables).toStrictEqual([users])
    expect(model.snapshot().tables).toHaveLength(1)
  })
})
