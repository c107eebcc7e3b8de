import { describe, expect, it } from 'vitest'
import {
  check,
  customType,
  dbSchema,
  defineSchema,
  enumType,
  foreignKey,
  index,
  integer,
  numeric,
  primaryKey,
  serial,
  sql,
  table,
  text,
  toColumnDef,
  toIndexDef,
  toTableDef,
  unique,
  uuid,
} from '../../src/schema/index.ts'
import { thrown } from './helpers.ts'

describe('validation', () => {
  it('DUPLICATE_COLUMN: two columns with one database name', () => {
    const e = thrown(() => table('t', { a: text('x'), b: integer('x') }), 'DUPLICATE_COLUMN')
    expect(e.message).toBe(
      'table t has two columns named x (properties a and b); give one of them another name',
    )
    expect(e.table).toBe('t')
    expect(e.column).toBe('x')
    thrown(() => table('t', { email: text(), other: text('email') }), 'DUPLICATE_COLUMN')
  })

  it('IDENTITY_NOT_INTEGER: identity on a column that is not smallint, integer or bigint', () => {
    // @ts-expect-error identity() is only offered on integer columns
    const e = thrown(() => text('code').identity(), 'IDENTITY_NOT_INTEGER')
    expect(e.message).toContain('not text')
    expect(e.column).toBe('code')
    // @ts-expect-error
    thrown(() => numeric(10).identity(), 'IDENTITY_NOT_INTEGER')
    // @ts-expect-error an array of integers is not an integer
    thrown(() => integer().array().identity(), 'IDENTITY_NOT_INTEGER')
    // @ts-expect-error
    thrown(() => customType<number>('int4')().identity(), 'IDENTITY_NOT_INTEGER')
  })

  it('IDENTITY_WITH_DEFAULT: identity together with a default or serial', () => {
    // @ts-expect-error the column already has a default
    thrown(() => integer().default(1).identity(), 'IDENTITY_WITH_DEFAULT')
    // @ts-expect-error the column is already an identity
    thrown(() => integer().identity().default(1), 'IDENTITY_WITH_DEFAULT')
    // @ts-expect-error serial has its sequence as default
    thrown(() => serial().identity(), 'IDENTITY_WITH_DEFAULT')
    // @ts-expect-error
    thrown(() => integer().default(sql`1`).identity(), 'IDENTITY_WITH_DEFAULT')
  })

  it('SERIAL_WITH_DEFAULT: a default on a serial column', () => {
    // @ts-expect-error serial has its sequence as default
    thrown(() => serial('n').default(1), 'SERIAL_WITH_DEFAULT')
  })

  it('DUPLICATE_PRIMARY_KEY: a primary key on columns and at table level, or twice', () => {
    const both = table('t', { a: integer().primaryKey(), b: integer() }, (t) => [
      primaryKey({ columns: [t.a, t.b] }),
    ])
    const e = thrown(() => toTableDef(both), 'DUPLICATE_PRIMARY_KEY')
    expect(e.message).toBe(
      'table t declares its primary key both on columns (a) and with primaryKey(); keep one of them',
    )
    const twice = table('t', { a: integer(), b: integer() }, (t) => [
      primaryKey({ columns: [t.a] }),
      primaryKey({ columns: [t.b] }),
    ])
    thrown(() => toTableDef(twice), 'DUPLICATE_PRIMARY_KEY')
  })

  it('UNRESOLVED_REFERENCE: a callback that throws or returns no table column', () => {
    const early = table('early', {
      ownerId: integer('owner_id').references(() => late.id),
    })
    const e = thrown(() => toTableDef(early), 'UNRESOLVED_REFERENCE')
    expect(e.message).toContain("Cannot access 'late' before initialization")
    expect(e.cause).toBeInstanceOf(ReferenceError)
    expect(e.column).toBe('owner_id')
    const late = table('late', { id: integer().primaryKey() })

    const misspelled = table('m', {
      // @ts-expect-error a property the table does not have
      ownerId: integer().references(() => late.idd),
    })
    expect(thrown(() => toTableDef(misspelled), 'UNRESOLVED_REFERENCE').message).toContain(
      'undefined (a misspelled column?)',
    )
    const unbound = table('u', {
      ownerId: integer().references(() => integer() as never),
    })
    expect(thrown(() => toTableDef(unbound), 'UNRESOLVED_REFERENCE').message).toContain(
      'a column builder that belongs to no table',
    )
  })

  it('UNRESOLVED_REFERENCE: in a model, a reference outside the model or to a missing column', () => {
    const users = table('users', { id: integer().primaryKey() })
    const items = table('items', { ownerId: integer('owner_id').references(() => users.id) })
    const e = thrown(() => defineSchema({ items }).snapshot(), 'UNRESOLVED_REFERENCE')
    expect(e.message).toBe(
      'items.owner_id references users.id, but table users is not in the model; add it to defineSchema({ ... })',
    )
    expect(defineSchema({ items, users }).snapshot().tables).toHaveLength(2)

    const byName = table('items', { ownerId: integer('owner_id').references('people', 'id') })
    thrown(() => defineSchema({ byName, users }).snapshot(), 'UNRESOLVED_REFERENCE')
    const wrongColumn = table('items', { ownerId: integer('owner_id').references('users', 'uid') })
    const e2 = thrown(() => defineSchema({ wrongColumn, users }).snapshot(), 'UNRESOLVED_REFERENCE')
    expect(e2.message).toContain('table users has no such column')
    const wrongSchema = table('items', {
      ownerId: integer('owner_id').references('auth.users', 'id'),
    })
    thrown(() => defineSchema({ wrongSchema, users }).snapshot(), 'UNRESOLVED_REFERENCE')
    const composite = table('c', { a: integer() }, (t) => [
      foreignKey({ columns: [t.a], foreignTable: 'nowhere', foreignColumns: ['id'] }),
    ])
    thrown(() => defineSchema({ composite }).snapshot(), 'UNRESOLVED_REFERENCE')
    // Without a model, names are taken as written: a migration may reference any table.
    expect(toTableDef(byName).foreignKeys[0]?.referencedTable).toBe('people')
  })

  it('UNKNOWN_COLUMN: extras naming a column the table does not have', () => {
    const other = table('other', { id: integer() })
    const byString = table('t', { a: integer() }, () => [index().on('b')])
    expect(thrown(() => toTableDef(byString), 'UNKNOWN_COLUMN').message).toContain(
      'names column b, which table t does not have',
    )
    const foreign = table('t', { a: integer() }, () => [unique().on(other.id)])
    expect(thrown(() => toTableDef(foreign), 'UNKNOWN_COLUMN').message).toContain(
      'a column of another table',
    )
    const included = table('t', { a: integer() }, (t) => [index().on(t.a).include('zz')])
    thrown(() => toTableDef(included), 'UNKNOWN_COLUMN')
    const pk = table('t', { a: integer() }, () => [primaryKey({ columns: ['nope'] })])
    thrown(() => toTableDef(pk), 'UNKNOWN_COLUMN')
    const fk = table('t', { a: integer() }, () => [
      foreignKey({ columns: ['nope'], foreignColumns: [other.id] }),
    ])
    thrown(() => toTableDef(fk), 'UNKNOWN_COLUMN')
    thrown(() => toIndexDef(index().on(other.id), { table: 't' }), 'UNKNOWN_COLUMN')
  })

  it('EMPTY_INDEX: an index with no elements', () => {
    const none = table('t', { a: integer() }, () => [index('ix_nothing')])
    const e = thrown(() => toTableDef(none), 'EMPTY_INDEX')
    expect(e.message).toBe(
      'index ix_nothing on t has no columns or expressions; list them with .on(...)',
    )
    const emptyOn = table('t', { a: integer() }, () => [index().on()])
    thrown(() => toTableDef(emptyOn), 'EMPTY_INDEX')
    thrown(() => toIndexDef(index(), { table: 't' }), 'EMPTY_INDEX')
  })

  it('EMPTY_CONSTRAINT: unique, primary key or foreign key with no columns', () => {
    const users = table('users', { id: integer() })
    for (const extra of [
      unique(),
      primaryKey({ columns: [] }),
      foreignKey({ columns: [], foreignColumns: [] }),
      foreignKey({ columns: [], foreignColumns: [users.id] }),
    ]) {
      thrown(() => toTableDef(table('t', { a: integer() }, () => [extra])), 'EMPTY_CONSTRAINT')
    }
  })

  it('INVALID_ENUM: no values, an empty value, a duplicate, a value too long', () => {
    expect(thrown(() => enumType('mood', []), 'INVALID_ENUM').message).toBe(
      "enum mood has no values; list at least one, like enumType('mood', ['sad', 'happy'])",
    )
    thrown(() => enumType('mood', ['sad', '']), 'INVALID_ENUM')
    expect(thrown(() => enumType('mood', ['sad', 'ok', 'sad']), 'INVALID_ENUM').message).toBe(
      "enum mood lists 'sad' twice; remove the duplicate",
    )
    thrown(() => enumType('mood', ['x'.repeat(64)]), 'INVALID_ENUM')
    thrown(() => enumType('mood', [1 as unknown as string]), 'INVALID_ENUM')
    thrown(() => dbSchema('auth').enumType('role', ['a', 'a']), 'INVALID_ENUM')
  })

  it('DUPLICATE_TABLE and DUPLICATE_ENUM: two declarations of one name in a model', () => {
    const a = table('users', { id: integer() })
    const b = table('users', { id: integer() })
    expect(thrown(() => defineSchema({ a, b }), 'DUPLICATE_TABLE').message).toBe(
      'the model holds two different tables named users; rename one, or put it in another schema',
    )
    const one = enumType('mood', ['a'])
    const two = enumType('mood', ['b'])
    thrown(() => defineSchema({ one, two }).snapshot(), 'DUPLICATE_ENUM')
  })

  it('DUPLICATE_NAME: two constraints or relations that would get one name', () => {
    const twice = table('t', { a: integer(), b: integer() }, (t) => [
      index('ix_same').on(t.a),
      index('ix_same').on(t.b),
    ])
    expect(thrown(() => toTableDef(twice), 'DUPLICATE_NAME').message).toBe(
      'table t has two constraints or indexes named ix_same; name one of them explicitly',
    )
    // The same column-level index declared twice (by column and by extras) clashes too.
    const repeated = table('t', { a: integer().index() }, (t) => [index().on(t.a)])
    thrown(() => toTableDef(repeated), 'DUPLICATE_NAME')
    // Index names are per schema: two tables cannot both have ix_shared.
    const x = table('x', { a: integer() }, (t) => [index('ix_shared').on(t.a)])
    const y = table('y', { a: integer() }, (t) => [index('ix_shared').on(t.a)])
    thrown(() => defineSchema({ x, y }).snapshot(), 'DUPLICATE_NAME')
    const z = dbSchema('other').table('z', { a: integer() }, (t) => [index('ix_shared').on(t.a)])
    expect(defineSchema({ x, z }).snapshot().tables).toHaveLength(2)
    // An index named like a table, and an enum named like a table.
    const clash = table('u', { a: integer() }, (t) => [index('x').on(t.a)])
    thrown(() => defineSchema({ x, clash }).snapshot(), 'DUPLICATE_NAME')
    const xEnum = enumType('x', ['a'])
    thrown(() => defineSchema({ x, xEnum }).snapshot(), 'DUPLICATE_NAME')
  })

  it('NAME_TOO_LONG: an explicit name over 63 bytes', () => {
    const long = 'n'.repeat(64)
    expect(thrown(() => table(long, { a: integer() }), 'NAME_TOO_LONG').message).toBe(
      `table name '${long}' is 64 bytes; PostgreSQL keeps only 63, so shorten it`,
    )
    thrown(() => table('t', { a: integer(long) }), 'NAME_TOO_LONG')
    thrown(() => table('t', { [long]: integer() }), 'NAME_TOO_LONG')
    thrown(() => table('t', { a: integer() }, { schema: long }), 'NAME_TOO_LONG')
    thrown(() => enumType(long, ['a']), 'NAME_TOO_LONG')
    thrown(() => toTableDef(table('t', { a: integer().index(long) })), 'NAME_TOO_LONG')
    thrown(() => toTableDef(table('t', { a: integer().unique(long) })), 'NAME_TOO_LONG')
    // 32 two-byte characters are 64 bytes.
    thrown(() => table('é'.repeat(32), { a: integer() }), 'NAME_TOO_LONG')
    expect(() => table('é'.repeat(31), { a: integer() })).not.toThrow()
  })

  it('INVALID_NAME: empty names', () => {
    thrown(() => table('', { a: integer() }), 'INVALID_NAME')
    thrown(() => integer(''), 'INVALID_NAME')
    thrown(() => table('t', { a: integer() }, { schema: '' }), 'INVALID_NAME')
    thrown(() => check('', sql`true`), 'INVALID_NAME')
    thrown(() => integer().check('', sql`true`), 'INVALID_NAME')
    thrown(
      () => integer().references(() => table('u', { id: integer() }).id, { name: '' }),
      'INVALID_NAME',
    )
  })

  it('INVALID_NAMING_CONVENTION: unknown tokens, and tokens a constraint cannot fill', () => {
    const t = table('t', { a: integer().unique(), b: integer().index() }, () => [
      index().on(sql`now()`),
    ])
    expect(
      thrown(
        () => toTableDef(t, { namingConvention: { ix: 'ix_%(column_name)s' } }),
        'INVALID_NAMING_CONVENTION',
      ).message,
    ).toContain('unknown token %(column_name)s')
    thrown(() => defineSchema({ t }, { namingConvention: { pk: '' } }), 'INVALID_NAMING_CONVENTION')
    thrown(
      () => toTableDef(t, { namingConvention: { uq: 'uq_%(column_1_name)s' } }),
      'INVALID_NAMING_CONVENTION',
    )
    thrown(
      () => toTableDef(t, { namingConvention: { uq: 'uq_%(referred_table_name)s' } }),
      'INVALID_NAMING_CONVENTION',
    )
    // The expression index names no column, so the default ix convention cannot name it.
    const e = thrown(() => toTableDef(t), 'INVALID_NAMING_CONVENTION')
    expect(e.message).toBe(
      "cannot name an index on table t with 'ix_%(column_0_label)s': %(column_0_label)s needs a column, and it has none (an expression without columns?); give it a name",
    )
    const pk = table('p', { a: integer().primaryKey() })
    thrown(
      () => toTableDef(pk, { namingConvention: { pk: 'pk_%(constraint_name)s' } }),
      'INVALID_NAMING_CONVENTION',
    )
  })

  it('UNNAMED_COLUMN: a builder without a name where one is needed', () => {
    thrown(() => toColumnDef(text(), { table: 'users' }), 'UNNAMED_COLUMN')
    const bare = text()
    const t = table('t', { a: integer().check('bad', sql`${bare} > 0`) })
    expect(thrown(() => toTableDef(t), 'UNNAMED_COLUMN').message).toContain('t.a: an sql fragment')
  })

  it('INVALID_FOREIGN_KEY: mismatched column counts, or foreign columns of several tables', () => {
    const a = table('a', { id: integer(), x: integer() })
    const b = table('b', { id: integer() })
    const counts = table('t', { p: integer(), q: integer() }, (t) => [
      foreignKey({ columns: [t.p, t.q], foreignColumns: [a.id] }),
    ])
    expect(thrown(() => toTableDef(counts), 'INVALID_FOREIGN_KEY').message).toContain(
      'has 2 columns but 1 foreign columns',
    )
    const several = table('t', { p: integer(), q: integer() }, (t) => [
      foreignKey({ columns: [t.p, t.q], foreignColumns: [a.id, b.id] }),
    ])
    thrown(() => toTableDef(several), 'INVALID_FOREIGN_KEY')
  })

  it('INVALID_DEFAULT: a value that is not of the column type or not plain data', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    // @ts-expect-error not a value of the enum
    expect(thrown(() => mood().default('angry'), 'INVALID_DEFAULT').message).toBe(
      '.default("angry") is not a value of enum mood (sad, happy)',
    )
    // @ts-expect-error undefined is not a default
    thrown(() => text().default(undefined), 'INVALID_DEFAULT')
    thrown(
      () =>
        text()
          .$type<unknown>()
          .default(() => 1),
      'INVALID_DEFAULT',
    )
    thrown(
      () =>
        text()
          .$type<unknown>()
          .default({ f: () => 1 }),
      'INVALID_DEFAULT',
    )
  })

  it('INVALID_ARGUMENT: bad builder arguments and bad extras', () => {
    thrown(
      // @ts-expect-error not a referential action
      () => integer().references('users', 'id', { onDelete: 'CASCADE' }),
      'INVALID_ARGUMENT',
    )
    thrown(
      () => integer().references('users', 'id', { deferrable: false, initiallyDeferred: true }),
      'INVALID_ARGUMENT',
    )
    // @ts-expect-error the column name is missing
    thrown(() => integer().references('users'), 'INVALID_ARGUMENT')
    thrown(() => integer().identity({ start: 1.5 }), 'INVALID_ARGUMENT')
    thrown(() => integer().identity({ increment: 0 }), 'INVALID_ARGUMENT')
    // @ts-expect-error array() must come before default()
    thrown(() => integer().default(1).array(), 'INVALID_ARGUMENT')
    // @ts-expect-error not a column builder
    thrown(() => table('t', { a: 'text' }), 'INVALID_ARGUMENT')
    // @ts-expect-error not a fragment
    thrown(() => index().where('a > 0'), 'INVALID_ARGUMENT')
    thrown(() => index().using(' '), 'INVALID_ARGUMENT')
    thrown(() => table('t', { a: integer() }).a.opclass(''), 'INVALID_ARGUMENT')
    // @ts-expect-error not a fragment
    thrown(() => check('c', 'a > 0'), 'INVALID_ARGUMENT')
    // @ts-expect-error not an index target
    thrown(() => index().on(42), 'INVALID_ARGUMENT')
    thrown(() => toTableDef({} as never), 'INVALID_ARGUMENT')
    thrown(() => toColumnDef('text' as never, { table: 't' }), 'INVALID_ARGUMENT')
    thrown(() => toColumnDef(text('a'), { table: 't', name: 'b' }), 'INVALID_ARGUMENT')
    thrown(() => toIndexDef(index().on('a')), 'INVALID_ARGUMENT')
    thrown(() => defineSchema(null as never), 'INVALID_ARGUMENT')
    const notArray = table('t', { a: integer() }, (() => index().on('a')) as never)
    thrown(() => toTableDef(notArray), 'INVALID_ARGUMENT')
    const garbage = table('t', { a: integer() }, () => [{ kind: 'trigger' } as never])
    thrown(() => toTableDef(garbage), 'INVALID_ARGUMENT')
    const throwing = table('t', { a: integer() }, () => {
      throw new TypeError('boom')
    })
    const e = thrown(() => toTableDef(throwing), 'INVALID_ARGUMENT')
    expect(e.message).toBe('the extras of table t threw (boom); fix the callback')
    expect(e.cause).toBeInstanceOf(TypeError)
    const badCheck = table('t', { a: integer().check('c', (() => 'a > 0') as never) })
    thrown(() => toTableDef(badCheck), 'INVALID_ARGUMENT')
    thrown(
      () => uuid().references(() => table('u', { id: uuid() }).id, { onUpdate: 'drop' as never }),
      'INVALID_ARGUMENT',
    )
  })
})
