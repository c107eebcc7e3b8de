// Compile-time assertions: `npm run typecheck` checks them; at run time expectTypeOf does nothing.
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AnyTable,
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  customType,
  type DatabaseOf,
  date,
  dbSchema,
  type defineSchema,
  doublePrecision,
  enumType,
  type Generated,
  type GeneratedAlways,
  type InsertOf,
  integer,
  interval,
  json,
  jsonb,
  type KyselyColumnType,
  numeric,
  type RowOf,
  real,
  serial,
  smallint,
  sql,
  type Table,
  type TableColumn,
  table,
  text,
  time,
  timestamp,
  timestamptz,
  uuid,
  varchar,
} from '../../src/schema/index.ts'
import { type items, type model, users } from './tutorial-models.ts'

type Mood = 'sad' | 'ok' | 'happy'
const mood = enumType('mood', ['sad', 'ok', 'happy'])
const tsvector = customType<string>('tsvector')

interface Settings {
  readonly theme: 'dark' | 'light'
  readonly fontSize?: number
}

const everything = table('everything', {
  aSmallint: smallint().notNull(),
  aInteger: integer().notNull(),
  aBigint: bigint().notNull(),
  aBigintString: bigint({ mode: 'string' }).notNull(),
  aBigintNumber: bigint({ mode: 'number' }).notNull(),
  aBigintBigint: bigint('a_bigint_bigint', { mode: 'bigint' }).notNull(),
  aSerial: serial(),
  aBigserial: bigserial(),
  aBigserialNumber: bigserial({ mode: 'number' }),
  aNumeric: numeric(10, 2).notNull(),
  aReal: real().notNull(),
  aDouble: doublePrecision().notNull(),
  aText: text().notNull(),
  aVarchar: varchar(10).notNull(),
  aChar: char(2).notNull(),
  aBoolean: boolean().notNull(),
  aDate: date().notNull(),
  aTime: time().notNull(),
  aTimestamp: timestamp().notNull(),
  aTimestamptz: timestamptz().notNull(),
  aInterval: interval().notNull(),
  aUuid: uuid().notNull(),
  aJson: json().notNull(),
  aJsonb: jsonb<Settings>().notNull(),
  aJsonNamed: json('a_json_named').$type<Settings>(),
  aBytea: bytea().notNull(),
  aEnum: mood().notNull(),
  aCustom: tsvector().notNull(),
  aArray: integer().array().notNull(),
  aArray2d: text().notNull().array().array(),
  aEnumArray: mood('moods').array(),
  aNullable: text(),
})

describe('RowOf', () => {
  it('types the tutorial user exactly, with TypeScript keys', () => {
    expectTypeOf<RowOf<typeof users>>().toEqualTypeOf<{
      id: number
      email: string
      hashedPassword: string
      isActive: boolean
    }>()
    expectTypeOf<RowOf<typeof items>>().toEqualTypeOf<{
      id: number
      title: string
      description: string | null
      ownerId: number | null
    }>()
  })

  it('types every column type, nullable columns with | null', () => {
    expectTypeOf<RowOf<typeof everything>>().toEqualTypeOf<{
      aSmallint: number
      aInteger: number
      aBigint: string
      aBigintString: string
      aBigintNumber: number
      aBigintBigint: bigint
      aSerial: number
      aBigserial: string
      aBigserialNumber: number
      aNumeric: string
      aReal: number
      aDouble: number
      aText: string
      aVarchar: string
      aChar: string
      aBoolean: boolean
      aDate: string
      aTime: string
      aTimestamp: Date
      aTimestamptz: Date
      aInterval: string
      aUuid: string
      aJson: unknown
      aJsonb: Settings
      aJsonNamed: Settings | null
      aBytea: Uint8Array
      aEnum: Mood
      aCustom: string
      aArray: number[]
      aArray2d: string[][]
      aEnumArray: Mood[] | null
      aNullable: string | null
    }>()
  })

  it('follows modifiers: identity, primary key and serial are not null; $type narrows', () => {
    const t = table('t', {
      a: integer().identity(),
      b: text().primaryKey(),
      c: text().default('x'),
      d: text().notNull().$type<'draft' | 'live'>(),
      e: uuid().references(() => users.id),
    })
    expectTypeOf<RowOf<typeof t>>().toEqualTypeOf<{
      a: number
      b: string
      c: string | null
      d: 'draft' | 'live'
      e: string | null
    }>()
  })
})

describe('InsertOf', () => {
  it('makes identity and default columns of the tutorial user optional', () => {
    expectTypeOf<InsertOf<typeof users>>().toEqualTypeOf<{
      email: string
      hashedPassword: string
      id?: number
      isActive?: boolean
    }>()
  })

  it('makes every nullable, defaulted, identity or serial column optional, and only those', () => {
    const t = table('t', {
      required: text().notNull(),
      nullable: text(),
      defaulted: boolean().notNull().default(false),
      sqlDefault: timestamptz().notNull().default(sql`now()`),
      byDefault: integer().identity(),
      always: bigint({ mode: 'number' }).identity({ always: true }),
      serialId: serial(),
      tags: text().array().notNull().default([]),
      feeling: mood().notNull(),
    })
    expectTypeOf<InsertOf<typeof t>>().toEqualTypeOf<{
      required: string
      feeling: Mood
      nullable?: string | null
      defaulted?: boolean
      sqlDefault?: Date
      byDefault?: number
      always?: number
      serialId?: number
      tags?: string[]
    }>()
  })
})

describe('DatabaseOf', () => {
  it('keys tables by name and columns by database name, in Kysely column types', () => {
    expectTypeOf<DatabaseOf<typeof model>>().toEqualTypeOf<{
      users: {
        id: Generated<number>
        email: string
        hashed_password: string
        is_active: Generated<boolean>
      }
      items: {
        id: Generated<number>
        title: string
        description: string | null
        owner_id: number | null
      }
    }>()
  })

  it('accepts a record of tables, ignores enums and other values, qualifies other schemas', () => {
    const auth = dbSchema('auth')
    const role = auth.enumType('role', ['member', 'admin'])
    const accounts = auth.table('accounts', {
      id: uuid().primaryKey().default(sql`gen_random_uuid()`),
      role: role().notNull(),
      seq: integer('seq_no').identity({ always: true }),
      legacyId: serial('legacy_id'),
      roles: role('extra_roles').array(),
      createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    })
    const publicToo = dbSchema('public').table('plain', { id: integer() })
    type Db = DatabaseOf<{
      accounts: typeof accounts
      role: typeof role
      publicToo: typeof publicToo
      n: number
    }>
    expectTypeOf<Db>().toEqualTypeOf<{
      'auth.accounts': {
        id: Generated<string>
        role: 'member' | 'admin'
        seq_no: GeneratedAlways<number>
        legacy_id: Generated<number>
        extra_roles: ('member' | 'admin')[] | null
        created_at: Generated<Date>
      }
      plain: { id: number | null }
    }>()
    expectTypeOf<
      DatabaseOf<ReturnType<typeof defineSchema<{ accounts: typeof accounts }>>>
    >().toEqualTypeOf<Pick<Db, 'auth.accounts'>>()
  })

  it("reproduces Kysely's ColumnType, Generated and GeneratedAlways structurally", () => {
    // Kysely's definitions, copied: what Kysely's Selectable/Insertable/Updateable look for.
    type ColumnType<S, I = S, U = S> = {
      readonly __select__: S
      readonly __insert__: I
      readonly __update__: U
    }
    expectTypeOf<KyselyColumnType<number, string, boolean>>().toEqualTypeOf<
      ColumnType<number, string, boolean>
    >()
    expectTypeOf<Generated<number>>().toEqualTypeOf<
      ColumnType<number, number | undefined, number>
    >()
    expectTypeOf<GeneratedAlways<number>>().toEqualTypeOf<ColumnType<number, never, never>>()
    // Kysely's SelectType/InsertType extraction works on aludel's columns.
    type SelectType<T> = T extends ColumnType<infer S, unknown, unknown> ? S : T
    type InsertType<T> = T extends ColumnType<unknown, infer I, unknown> ? I : T
    type UsersDb = DatabaseOf<typeof model>['users']
    expectTypeOf<SelectType<UsersDb['is_active']>>().toEqualTypeOf<boolean>()
    expectTypeOf<InsertType<UsersDb['is_active']>>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<SelectType<UsersDb['email']>>().toEqualTypeOf<string>()
  })
})

describe('table objects', () => {
  it('expose columns as typed properties, and every table is a Table and an AnyTable', () => {
    expectTypeOf(users.email).toExtend<TableColumn>()
    expectTypeOf(users).toExtend<Table>()
    expectTypeOf(users).toExtend<AnyTable>()
    // @ts-expect-error no such column
    users.password
    // @ts-expect-error RowOf uses TypeScript keys, not database names
    expectTypeOf<RowOf<typeof users>>().toHaveProperty('hashed_password')
  })

  it('reject modifiers that cannot apply at compile time', () => {
    // @ts-expect-error a text column cannot be an identity
    expectTypeOf(() => text().identity()).toBeFunction()
    // @ts-expect-error the default must have the column's type
    expectTypeOf(() => integer().default('1')).toBeFunction()
    // @ts-expect-error an enum default must be one of its values
    expectTypeOf(() => mood().default('angry')).toBeFunction()
    // @ts-expect-error json<T>() takes no name: write json('name').$type<T>()
    expectTypeOf(() => json<Settings>('settings')).toBeFunction()
    // @ts-expect-error the array default must be an array
    expectTypeOf(() => integer().array().default(1)).toBeFunction()
    expectTypeOf(() => integer().array().default([1, 2])).toBeFunction()
  })
})
