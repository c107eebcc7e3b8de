import { describe, expect, it } from 'vitest'
import { canonicalSql, sqlEquivalent } from '../../src/autogenerate/canonical-sql.ts'
import {
  canonicalColumnType,
  typesEquivalent,
} from '../../src/autogenerate/column-type-equivalence.ts'
import { defaultsEquivalent, isNullDefault } from '../../src/autogenerate/default-equivalence.ts'
import { describeColumnType } from '../../src/autogenerate/describe-column-type.ts'
import { matchByName } from '../../src/autogenerate/match-by-name.ts'
import { compareKeys } from '../../src/autogenerate/planned-change.ts'
import { renameSqlIdentifiers } from '../../src/autogenerate/rename-sql-identifiers.ts'
import { tokenizeSql } from '../../src/autogenerate/sql-tokens.ts'
import { orderTables } from '../../src/autogenerate/table-order.ts'
import { typeConversion } from '../../src/autogenerate/type-change-warning.ts'
import type { CheckDef } from '../../src/schema/schema-snapshot.ts'
import { check, lit, sql, T } from '../support/snapshot-literals.ts'

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

describe('matchByName', () => {
  const model = (...checks: CheckDef[]) => checks.map((def) => ({ def, norm: def }))
  const equal = (a: CheckDef, b: CheckDef) => sqlEquivalent(a.expression, b.expression)

  it('pairs by name, then unnamed objects by definition', () => {
    const result = matchByName(
      model(
        check('a', 'x > 0'),
        check('b', 'x > 1'),
        check(undefined, 'x > 2'),
        check('d', 'x > 3'),
      ),
      [check('a', '(x > 0)'), check('b', 'x > 9'), check('c', 'x > 2'), check(undefined, 'x > 5')],
      equal,
    )
    expect(result.unchanged.map((p) => [p.model.def.name, p.database.name])).toEqual([
      ['a', 'a'],
      [undefined, 'c'],
    ])
    expect(result.changed.map((p) => p.database.name)).toEqual(['b'])
    expect(result.added.map((m) => m.def.name)).toEqual(['d'])
    expect(result.removed).toEqual([check(undefined, 'x > 5')])
  })

  it('does not pair two named objects by definition', () => {
    const result = matchByName(model(check('a', 'x > 0')), [check('b', 'x > 0')], equal)
    expect(result.added).toHaveLength(1)
    expect(result.removed).toHaveLength(1)
  })
})

describe('orderTables', () => {
  const edge = (from: string, to: string) => ({ from, to, payload: `${from}->${to}` })

  it('puts referenced tables first, ties by id', () => {
    expect(orderTables(['c', 'b', 'a'], [edge('a', 'c')])).toEqual({
      order: ['b', 'c', 'a'],
      deferred: [],
    })
  })

  it('ignores self references and edges to tables outside the set', () => {
    expect(orderTables(['a'], [edge('a', 'a'), edge('a', 'z')])).toEqual({
      order: ['a'],
      deferred: [],
    })
  })

  it('defers one edge per cycle, from the smallest table of the cycle', () => {
    const result = orderTables(
      ['a', 'b', 'c', 'd'],
      [edge('a', 'b'), edge('b', 'a'), edge('c', 'd'), edge('d', 'c'), edge('c', 'a')],
    )
    expect(result.deferred.map((e) => e.payload)).toEqual(['a->b', 'c->d'])
    expect(result.order).toEqual(['a', 'b', 'c', 'd'])
  })

  it('breaks a cycle that depends on another cycle only after the first', () => {
    // b <-> c depends on a; a <-> d is the closed cycle to break first.
    const result = orderTables(
      ['a', 'b', 'c', 'd'],
      [edge('b', 'c'), edge('c', 'b'), edge('b', 'a'), edge('a', 'd'), edge('d', 'a')],
    )
    expect(result.deferred.map((e) => e.payload)).toEqual(['a->d', 'b->c'])
    expect(result.order).toEqual(['a', 'd', 'b', 'c'])
  })
})

describe('compareKeys', () => {
  it('orders element by element, numbers before strings, shorter first', () => {
    const keys = [['b'], ['a', 2], ['a', 'x'], ['a', 10], ['a'], [1]]
    expect([...keys].sort(compareKeys)).toEqual([
      [1],
      ['a'],
      ['a', 2],
      ['a', 10],
      ['a', 'x'],
      ['b'],
    ])
  })
})
