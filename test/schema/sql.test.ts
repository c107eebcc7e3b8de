import { describe, expect, it } from 'vitest'
import {
  dbSchema,
  enumType,
  integer,
  quoteIdentifier,
  sql,
  table,
  text,
} from '../../src/schema/index.ts'
import { nameKey } from '../../src/schema/quote-identifier.ts'
import { thrown } from './helpers.ts'

describe('quoteIdentifier', () => {
  it('leaves lower-case plain names that are not keywords bare', () => {
    for (const name of ['email', 'hashed_password', '_private', 'col$1', 'name', 'users2']) {
      expect(quoteIdentifier(name)).toBe(name)
    }
  })

  it('quotes upper case, odd characters, leading digits and keywords, doubling inner quotes', () => {
    expect(quoteIdentifier('isActive')).toBe('"isActive"')
    expect(quoteIdentifier('Users')).toBe('"Users"')
    expect(quoteIdentifier('first name')).toBe('"first name"')
    expect(quoteIdentifier('1st')).toBe('"1st"')
    expect(quoteIdentifier('naïve')).toBe('"naïve"')
    expect(quoteIdentifier('say"hi')).toBe('"say""hi"')
    for (const keyword of ['user', 'order', 'select', 'table', 'check', 'default', 'primary']) {
      expect(quoteIdentifier(keyword)).toBe(`"${keyword}"`)
    }
  })

  it('quotes words that only some engine reserves, since a model serves every engine', () => {
    // key and range: MySQL and MariaDB; transaction and nothing: SQLite; rank: MySQL 8.
    for (const word of ['key', 'range', 'index', 'transaction', 'nothing', 'rank']) {
      expect(quoteIdentifier(word)).toBe(`"${word}"`)
    }
  })
})

describe('nameKey', () => {
  it('lets the model spelling and an engine spelling of one name meet, and no others', () => {
    expect(nameKey('auth."key"')).toBe(nameKey('auth.key'))
    expect(nameKey(' "order_no_seq" ')).toBe('order_no_seq')
    expect(nameKey('"Role"')).toBe('"role"')
    expect(nameKey('"Role"')).not.toBe(nameKey('role'))
    expect(nameKey('nextval(\'"key"\'::regclass)')).toBe("nextval('key'::regclass)")
  })
})

describe('sql', () => {
  const people = table('people', {
    id: integer().primaryKey(),
    firstName: text('firstName'),
    user: text(),
    email: text(),
  })

  it('renders table columns as their database names, quoted only when needed', () => {
    expect(sql`lower(${people.email})`.toSql()).toBe('lower(email)')
    expect(sql`${people.firstName} || ${people.user}`.toSql()).toBe('"firstName" || "user"')
  })

  it('records the columns it names, in order', () => {
    expect(sql`${people.user} = ${people.email} AND ${people.id} > ${0}`.columns()).toStrictEqual([
      'user',
      'email',
      'id',
    ])
  })

  it('renders a named builder by its name, tables and enum types by their qualified names', () => {
    const auth = dbSchema('auth')
    const role = auth.enumType('Role', ['member'])
    const mood = enumType('mood', ['ok'])
    const sessions = auth.table('sessions', { id: integer() })
    expect(sql`${text('Title')} <> ''`.toSql()).toBe(`"Title" <> ''`)
    expect(sql`SELECT 1 FROM ${people}, ${sessions}`.toSql()).toBe(
      'SELECT 1 FROM people, auth.sessions',
    )
    expect(sql`'member'::${role}, 'ok'::${mood}`.toSql()).toBe(`'member'::auth."Role", 'ok'::mood`)
  })

  it('renders other values as SQL literals', () => {
    expect(sql`${"it's"}`.toSql()).toBe(`'it''s'`)
    expect(sql`${42}, ${-1.5}, ${Number.NaN}, ${Number.POSITIVE_INFINITY}`.toSql()).toBe(
      `42, -1.5, 'NaN', 'Infinity'`,
    )
    expect(sql`${12345678901234567890n}`.toSql()).toBe('12345678901234567890')
    expect(sql`${true} AND ${false}`.toSql()).toBe('true AND false')
    expect(sql`${null}`.toSql()).toBe('NULL')
    expect(sql`${new Date('2024-01-02T03:04:05.000Z')}`.toSql()).toBe(`'2024-01-02T03:04:05.000Z'`)
    // Text with a backslash is an escape string: the same under either standard_conforming_strings.
    expect(sql`${new Uint8Array([0, 255])}`.toSql()).toBe(`E'\\\\x00ff'`)
    expect(sql`${['a', 'b"c', null, ['d']]}`.toSql()).toBe(`E'{"a","b\\\\"c",NULL,{"d"}}'`)
    expect(sql`${{ theme: "it's" }}`.toSql()).toBe(`'{"theme":"it''s"}'`)
  })

  it('inlines nested fragments and sql.raw text verbatim', () => {
    const predicate = sql`${people.email} IS NOT NULL`
    expect(sql`WHERE ${predicate} AND ${sql.raw('1 = 1')}`.toSql()).toBe(
      'WHERE email IS NOT NULL AND 1 = 1',
    )
    expect(sql`${predicate}`.columns()).toStrictEqual(['email'])
    expect(sql.raw("status = 'active'").toSql()).toBe("status = 'active'")
  })

  it('refuses values that are mistakes and builders without a name', () => {
    thrown(() => sql`${undefined}`.toSql(), 'INVALID_ARGUMENT')
    thrown(() => sql`${() => 1}`.toSql(), 'INVALID_ARGUMENT')
    thrown(() => sql`${Symbol('x')}`.toSql(), 'INVALID_ARGUMENT')
    thrown(() => sql`${text()} <> ''`.toSql(), 'UNNAMED_COLUMN')
  })

  it('keeps its parts frozen', () => {
    const fragment = sql`a = ${1}`
    expect(Object.isFrozen(fragment.strings)).toBe(true)
    expect(Object.isFrozen(fragment.values)).toBe(true)
  })
})
