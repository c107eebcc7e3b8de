import { describe, expect, it } from 'vitest'
import { canonicalSql, sqlEquivalent } from '../../src/dialect/postgres/postgres-canonical-sql.ts'
import {
  defaultsEquivalent,
  isNullDefault,
} from '../../src/dialect/postgres/postgres-default-equivalence.ts'
import { describeColumnType } from '../../src/dialect/postgres/postgres-describe-column-type.ts'
import { renameSqlIdentifiers } from '../../src/dialect/postgres/postgres-rename-sql-identifiers.ts'
import { tokenizeSql } from '../../src/dialect/postgres/postgres-sql-tokens.ts'
import { typeConversion } from '../../src/dialect/postgres/postgres-type-change-warning.ts'
import {
  canonicalColumnType,
  typesEquivalent,
} from '../../src/dialect/postgres/postgres-type-equivalence.ts'
import { lit, sql, T } from '../support/snapshot-literals.ts'

describe('tokenizeSql', () => {
  const texts = (s: string) => tokenizeSql(s).map((t) => `${t.kind}:${t.text}`)

  it('splits strings, quoted names, numbers, words, operators and punctuation', () => {
    expect(texts(`"Col"::text || 'it''s' >= 1.5e3, $1 .5`)).toEqual([
      'quoted:"Col"',
      'operator:::',
      'word:text',
      'operator:||',
      "string:'it''s'",
      'operator:>=',
      'number:1.5e3',
      'punctuation:,',
      'param:$1',
      'number:.5',
    ])
  })

  it('reads E-strings with backslash escapes and dollar-quoted strings as one token', () => {
    expect(texts(`E'a\\'b' || $x$it's$x$ || $$q$$`)).toEqual([
      "string:E'a\\'b'",
      'operator:||',
      "string:$x$it's$x$",
      'operator:||',
      'string:$$q$$',
    ])
  })

  it('drops whitespace and comments and keeps a cast apart from other operators', () => {
    expect(texts('a -- note\n /* c */ b)::int')).toEqual([
      'word:a',
      'word:b',
      'punctuation:)',
      'operator:::',
      'word:int',
    ])
  })

  it('runs an unterminated quote to the end instead of throwing', () => {
    expect(texts("'open")).toEqual(["string:'open"])
  })
})

describe('canonicalSql', () => {
  it.each([
    ['(price > 0)', 'price>0'],
    ['((a + b))', 'A + B'],
    ['lower("email")', 'LOWER(email)'],
    ["'x'::text", "'x' :: TEXT"],
    ['now()', 'now ( ) -- the time'],
  ])('%s = %s', (a, b) => {
    expect(canonicalSql(a)).toBe(canonicalSql(b))
  })

  it.each([
    ["'A'", "'a'"],
    ['"Email"', 'email'],
    ['"user"', 'user'],
    ['(a) + (b)', 'a + b'],
  ])('%s <> %s', (a, b) => {
    expect(canonicalSql(a)).not.toBe(canonicalSql(b))
  })

  it('keeps inner parentheses that do not enclose everything', () => {
    expect(canonicalSql('(a) OR (b)')).toBe('( a ) or ( b )')
  })

  it('compares optional expressions', () => {
    expect(sqlEquivalent(undefined, undefined)).toBe(true)
    expect(sqlEquivalent('a', undefined)).toBe(false)
    expect(sqlEquivalent('(a)', 'A')).toBe(true)
  })
})

describe('renameSqlIdentifiers', () => {
  const renames = new Map([
    ['fullname', 'full_name'],
    ['Old', 'New Name'],
  ])

  it('renames column references, quoting where needed', () => {
    expect(renameSqlIdentifiers('FullName IS NOT NULL AND "Old" > 0', renames)).toBe(
      'full_name IS NOT NULL AND "New Name" > 0',
    )
  })

  it('leaves strings, function names, type names and other identifiers alone', () => {
    expect(renameSqlIdentifiers("fullname(x) || 'fullname' || y::fullname || old", renames)).toBe(
      "fullname(x) || 'fullname' || y::fullname || old",
    )
  })

  it('returns the text unchanged without renames', () => {
    expect(renameSqlIdentifiers('a  +  b', new Map())).toBe('a  +  b')
  })
})

describe('typesEquivalent', () => {
  it('resolves custom spellings to built-in types', () => {
    expect(canonicalColumnType(T.custom(' Character  Varying ( 30 ) [] '))).toEqual(
      T.array(T.varchar(30)),
    )
    expect(canonicalColumnType(T.custom('timetz(2)'))).toEqual(T.time(true, 2))
    expect(canonicalColumnType(T.custom('geometry(Point, 4326)'))).toEqual(
      T.custom('geometry(point,4326)'),
    )
  })

  it('fills in defaults of modifiers', () => {
    expect(canonicalColumnType(T.numeric(8))).toEqual(T.numeric(8, 0))
    expect(canonicalColumnType(T.timestamp(true))).toEqual(T.timestamp(true, 6))
    expect(canonicalColumnType(T.char())).toEqual(T.char(1))
  })

  it('tells different enums, arrays and custom types apart', () => {
    expect(typesEquivalent(T.enum('a'), T.enum('b'))).toBe(false)
    expect(typesEquivalent(T.enum('a', 's'), T.enum('a'))).toBe(false)
    expect(typesEquivalent(T.array(T.text), T.array(T.varchar()))).toBe(false)
    expect(typesEquivalent(T.custom('citext'), T.text)).toBe(false)
    expect(typesEquivalent(T.custom('decimal(10,2) with time zone'), T.numeric(10, 2))).toBe(false)
  })
})

describe('typeConversion', () => {
  it.each([
    [T.integer, T.integer, 'same'],
    [T.smallint, T.bigint, 'widening'],
    [T.bigint, T.smallint, 'narrowing'],
    [T.integer, T.double, 'widening'],
    [T.integer, T.real, 'narrowing'],
    [T.bigint, T.numeric(19), 'widening'],
    [T.bigint, T.numeric(10), 'narrowing'],
    [T.numeric(), T.numeric(10, 2), 'narrowing'],
    [T.numeric(10, 2), T.numeric(), 'widening'],
    [T.numeric(10, 2), T.integer, 'narrowing'],
    [T.real, T.integer, 'narrowing'],
    [T.char(5), T.varchar(5), 'widening'],
    [T.text, T.varchar(), 'widening'],
    [T.integer, T.varchar(5), 'narrowing'],
    [T.enum('mood'), T.text, 'widening'],
    [T.time(false, 3), T.time(false), 'widening'],
    [T.time(false), T.time(true), 'timezone'],
    [T.date, T.timestamp(false), 'widening'],
    [T.date, T.timestamp(true), 'timezone'],
    [T.timestamp(false), T.date, 'narrowing'],
    [T.jsonb, T.json, 'widening'],
    [T.text, T.uuid, 'cast'],
    [T.boolean, T.integer, 'cast'],
    [T.array(T.text), T.array(T.integer), 'cast'],
  ] as const)('%j -> %j is %s', (from, to, expected) => {
    expect(typeConversion(from, to)).toBe(expected)
  })
})

describe('describeColumnType', () => {
  it.each([
    [T.double, 'double precision'],
    [T.numeric(), 'numeric'],
    [T.numeric(5), 'numeric(5)'],
    [T.numeric(5, 1), 'numeric(5,1)'],
    [T.varchar(), 'varchar'],
    [T.time(true, 3), 'time(3) with time zone'],
    [T.timestamp(false), 'timestamp'],
    [T.enum('kind', 'auth'), 'auth.kind'],
    [T.array(T.enum('mood')), 'mood[]'],
    [T.custom('citext'), 'citext'],
  ])('%j is %s', (type, text) => {
    expect(describeColumnType(type)).toBe(text)
  })
})

describe('defaultsEquivalent', () => {
  it('knows the spellings of "no default"', () => {
    expect(isNullDefault(undefined)).toBe(true)
    expect(isNullDefault(lit(null))).toBe(true)
    expect(isNullDefault(sql('NULL'))).toBe(true)
    expect(isNullDefault(sql('(NULL::character varying)'))).toBe(true)
    expect(isNullDefault(sql("'NULL'::text"))).toBe(false)
  })

  it.each([
    [lit(false), sql("'f'::boolean")],
    [lit(true), sql('true')],
    [lit(3), sql("'3'::smallint")],
    [lit(0.25), sql('0.25')],
    [
      lit(new Date('2024-05-06T07:08:09.000Z')),
      sql("'2024-05-06T07:08:09.000Z'::timestamp with time zone"),
    ],
    [lit({ b: 2, a: 1 }), sql(`'{"a": 1, "b": 2}'::jsonb`)],
    [lit(['a', 'b']), lit(['a', 'b'])],
    [sql("'x'::text"), lit('x')],
  ])('%j = %j', (a, b) => {
    expect(defaultsEquivalent(a, b)).toBe(true)
  })

  it.each([
    [lit(true), sql('false')],
    [lit(1), sql('true')],
    [lit('x'), sql('x')],
    [lit({ a: 1 }), sql(`'{"a": 2}'::jsonb`)],
    [lit({ a: 1 }), sql("'not json'::jsonb")],
    [lit(new Date(0)), sql("'soon'::date")],
    [lit(1), undefined],
    [lit(['a']), lit(['a', 'b'])],
    [lit(new Uint8Array([1])), sql("'\\x02'::bytea")],
  ])('%j <> %j', (a, b) => {
    expect(defaultsEquivalent(a, b)).toBe(false)
  })
})
