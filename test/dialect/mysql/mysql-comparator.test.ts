import { describe, expect, it } from 'vitest'
import { InvalidOperationError } from '../../../src/dialect/invalid-operation-error.ts'
import {
  mysqlComparator as c,
  canonicalTypeSql,
} from '../../../src/dialect/mysql/mysql-comparator.ts'
import type { ColumnType } from '../../../src/schema/schema-snapshot.ts'
import { lit, sql, T } from '../../support/snapshot-literals.ts'

/** The MySQL comparator's rules, without a server. */

describe('typesEquivalent', () => {
  const same: readonly [ColumnType, ColumnType][] = [
    [T.integer, T.custom('int(11)')],
    [T.integer, T.custom('INTEGER')],
    [T.bigint, T.custom('bigint(20)')],
    [T.smallint, T.custom('smallint(6)')],
    [T.uuid, T.char(36)],
    [T.json, T.jsonb],
    [T.jsonb, T.custom('json')],
    [T.numeric(), T.numeric(65, 30)],
    [T.numeric(10, 2), T.custom('DECIMAL(10, 2)')],
    [T.numeric(10), T.custom('numeric(10,0)')],
    [T.real, T.custom('float')],
    [T.double, T.custom('double precision')],
    [T.boolean, T.custom('tinyint(1)')],
    [T.boolean, T.custom('bool')],
    [T.text, T.custom('TEXT')],
    [T.varchar(20), T.custom('character varying(20)')],
    [T.char(), T.char(1)],
    [T.timestamp(false), T.custom('datetime')],
    [T.timestamp(false, 0), T.timestamp(false)],
    [T.timestamp(true, 3), T.custom('timestamp(3)')],
    [T.time(false, 2), T.custom('time(2)')],
    [T.bytea, T.custom('longblob')],
  ]
  it.each(same)('%j is %j', (a, b) => {
    expect(c.typesEquivalent(a, b)).toBe(true)
    expect(c.typesEquivalent(b, a)).toBe(true)
  })

  const different: readonly [ColumnType, ColumnType][] = [
    [T.integer, T.bigint],
    [T.integer, T.custom('int(10) unsigned')],
    [T.boolean, T.custom('tinyint(4)')],
    [T.text, T.custom('longtext')],
    [T.varchar(20), T.varchar(21)],
    [T.timestamp(false), T.timestamp(true)],
    [T.timestamp(false, 3), T.timestamp(false, 6)],
    [T.real, T.double],
    [T.numeric(), T.custom('decimal')],
  ]
  it.each(different)('%j is not %j', (a, b) => {
    expect(c.typesEquivalent(a, b)).toBe(false)
  })

  it('folds display widths but keeps unsigned and zerofill', () => {
    expect(canonicalTypeSql('INT(10) UNSIGNED ZEROFILL')).toBe('int unsigned zerofill')
    expect(canonicalTypeSql('tinyint(1) unsigned')).toBe('tinyint unsigned')
  })
})

describe('typeChangeWarning', () => {
  it('says nothing for a longer varchar that keeps its length prefix', () => {
    expect(c.typeChangeWarning('t.a', T.varchar(20), T.varchar(50))).toBeUndefined()
    expect(c.typeChangeWarning('t.a', T.integer, T.custom('int(11)'))).toBeUndefined()
  })

  it('warns that widening copies the table', () => {
    expect(c.typeChangeWarning('t.a', T.integer, T.bigint)).toMatch(
      /^widens t\.a from int to bigint: .*copies the whole table/,
    )
  })

  it('warns that narrowing fails or truncates', () => {
    expect(c.typeChangeWarning('t.a', T.text, T.varchar(10))).toMatch(/^narrows .*strict mode/)
    expect(c.typeChangeWarning('t.a', T.numeric(10, 2), T.numeric(8, 2))).toMatch(/^narrows/)
  })

  it('warns that other changes convert each value', () => {
    expect(c.typeChangeWarning('t.a', T.text, T.integer)).toMatch(
      /^changes t\.a from text to int: MySQL converts/,
    )
  })
})

describe('defaultsEquivalent', () => {
  const same = [
    [lit('abc'), sql("'abc'")],
    [lit("it's"), sql("'it\\'s'")],
    [lit('a\\b'), sql("'a\\\\b'")],
    [lit(true), sql('1')],
    [lit(false), sql('0')],
    [sql('TRUE'), sql('1')],
    [lit(1.5), sql('1.50')],
    [lit(5), sql("'5'")],
    [lit(-3), sql('-3')],
    [sql('CURRENT_TIMESTAMP'), sql('current_timestamp()')],
    [sql('now()'), sql('current_timestamp()')],
    [sql('CURRENT_TIMESTAMP(3)'), sql('current_timestamp(3)')],
    [sql('(uuid())'), sql('uuid()')],
    [sql('1 + 2'), sql('(1 + 2)')],
    [lit(null), undefined],
    [sql('NULL'), undefined],
    [lit(new Date('2024-01-01T10:00:00Z')), sql("'2024-01-01 10:00:00'")],
    [lit({ a: 1 }), sql('\'{"a":1}\'')],
    [sql("_utf8mb4'abc'"), sql("'abc'")],
    [lit(new Uint8Array([0, 255])), sql("X'00ff'")],
  ] as const
  it.each(same)('%j is %j', (model, database) => {
    expect(c.defaultsEquivalent(model, database)).toBe(true)
  })

  const different = [
    [lit('abc'), sql("'abd'")],
    [lit(1), sql('2')],
    [lit('NULL'), undefined],
    [sql('CURRENT_TIMESTAMP(3)'), sql('current_timestamp()')],
    [lit(0), undefined],
  ] as const
  it.each(different)('%j is not %j', (model, database) => {
    expect(c.defaultsEquivalent(model, database)).toBe(false)
  })
})

describe('sqlEquivalent', () => {
  const same = [
    ['age > 0', '`age` > 0'],
    ['"fullName" <> \'\'', "`fullname` <> ''"],
    ['AGE > 0 AND age < 200', '(`age` > 0) and (`age` < 200)'],
    ['((age > 0))', '`age` > 0'],
    ['a > 0 OR b > 0 AND c > 0', '((`a` > 0) or ((`b` > 0) and (`c` > 0)))'],
    ['a != b', '`a` <> `b`'],
    ['NOT (a > 0)', 'not `a` > 0'],
    ['length(name) > 2', 'octet_length(`name`) > 2'.replace('octet_length', 'length')],
    ["status IN ('a', 'b')", "`status` in ('a','b')"],
    ['(a + 1) > b', '`a` + 1 > `b`'],
    ["x = _utf8mb4'a'", "`x` = 'a'"],
  ] as const
  it.each(same)('%s is %s', (a, b) => {
    expect(c.sqlEquivalent(a, b)).toBe(true)
  })

  const different = [
    ['a > 0', 'a >= 0'],
    ['(a + 1) * 2 > 0', 'a + 1 * 2 > 0'],
    ['a > 0 AND (b > 0 OR c > 0)', 'a > 0 AND b > 0 OR c > 0'],
    ["x = 'A'", "x = 'a'"],
    ['NOT (a > 0 AND b > 0)', 'NOT a > 0 AND b > 0'],
  ] as const
  it.each(different)('%s is not %s', (a, b) => {
    expect(c.sqlEquivalent(a, b)).toBe(false)
  })

  it('compares undefined only with undefined', () => {
    expect(c.sqlEquivalent(undefined, undefined)).toBe(true)
    expect(c.sqlEquivalent('a', undefined)).toBe(false)
  })
})

describe('names', () => {
  it('lists names with their qualifiers, in any quoting', () => {
    expect(c.namesIn('SELECT `f`.title, "x" FROM app.films f')).toEqual([
      { name: 'SELECT', qualifier: undefined },
      { name: 'f', qualifier: undefined },
      { name: 'title', qualifier: 'f' },
      { name: 'x', qualifier: undefined },
      { name: 'FROM', qualifier: undefined },
      { name: 'app', qualifier: undefined },
      { name: 'films', qualifier: 'app' },
      { name: 'f', qualifier: undefined },
    ])
  })

  it('renames columns in any case and quoting, but not functions', () => {
    expect(
      c.renameSqlIdentifiers('`Age` > 0 AND "age" < age(1)', new Map([['age', 'years of age']])),
    ).toBe('`years of age` > 0 AND `years of age` < age(1)')
  })

  it('renames a relation in a query, not a column of the same name', () => {
    expect(
      c.renameRelationInQuery(
        'SELECT films.films FROM films JOIN db.films',
        'db',
        'films',
        'movies',
      ),
    ).toBe('SELECT movies.films FROM movies JOIN db.movies')
  })

  it('leaves defaults alone on renaming a sequence: MySQL has none', () => {
    expect(c.renameSequenceInDefault('nextval(s)', undefined, 's', 't')).toBe('nextval(s)')
  })
})

describe('hints', () => {
  const column = { schema: undefined, table: 'order', column: 'id' }

  it('changes a generator with ALTER TABLE ... MODIFY', () => {
    expect(c.hints.describeGenerator({ kind: 'serial' })).toBe('AUTO_INCREMENT')
    expect(
      c.hints.changeGenerator(column, { kind: 'none', hasDefault: false }, { kind: 'serial' }),
    ).toEqual([
      'ALTER TABLE `order` MODIFY id /* its type */ NOT NULL AUTO_INCREMENT /* the column must be a key */',
    ])
    expect(c.hints.changeGeneration(column, 'a + 1', undefined)).toBe(
      'ALTER TABLE `order` MODIFY id /* its type */ GENERATED ALWAYS AS (a + 1) STORED',
    )
  })

  it('refuses what MySQL does not have', () => {
    expect(() => c.hints.restartSequence({} as never)).toThrow(InvalidOperationError)
    expect(() => c.hints.rebuildDomain(undefined, 'd', 't', T.text)).toThrow(
      /^MySQL has no domains$/,
    )
    expect(() => c.hints.updateExtension('x', '1')).toThrow(/MySQL has no extensions/)
    expect(() => c.hints.alterCompositeType({} as never, {} as never)).toThrow(/composite types/)
    expect(() => c.hints.rebuildEnum([], { schema: undefined, name: 'x' }, 'y')).toThrow(
      /enum types/,
    )
  })
})
