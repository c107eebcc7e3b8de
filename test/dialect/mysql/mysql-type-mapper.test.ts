import { describe, expect, it } from 'vitest'
import { InvalidOperationError } from '../../../src/dialect/invalid-operation-error.ts'
import { MysqlTypeMapper, mysqlLiteral } from '../../../src/dialect/mysql/mysql-type-mapper.ts'
import type { ColumnType } from '../../../src/schema/schema-snapshot.ts'
import { lit, sql, T } from '../../support/snapshot-literals.ts'

/** How the MySQL dialect spells types and defaults (the DDL compiler relies on these). */

const types = new MysqlTypeMapper()

describe('sqlType', () => {
  const spelled: readonly [ColumnType, string][] = [
    [T.smallint, 'smallint'],
    [T.integer, 'int'],
    [T.bigint, 'bigint'],
    [T.real, 'float'],
    [T.double, 'double'],
    [T.text, 'text'],
    [T.boolean, 'tinyint(1)'],
    [T.date, 'date'],
    [T.time(false), 'time'],
    [T.time(false, 3), 'time(3)'],
    [T.timestamp(false), 'datetime'],
    [T.timestamp(false, 6), 'datetime(6)'],
    [T.timestamp(true), 'timestamp'],
    [T.timestamp(true, 3), 'timestamp(3)'],
    [T.uuid, 'char(36)'],
    [T.json, 'json'],
    [T.jsonb, 'json'],
    [T.bytea, 'longblob'],
    [T.numeric(10, 2), 'decimal(10,2)'],
    [T.numeric(10), 'decimal(10,0)'],
    [T.numeric(), 'decimal(65,30)'],
    [T.varchar(255), 'varchar(255)'],
    [T.char(3), 'char(3)'],
    [T.custom("enum('a','b')"), "enum('a','b')"],
  ]
  it.each(spelled)('%j is %s', (type, text) => {
    expect(types.sqlType(type)).toBe(text)
  })

  it('gives the integer type itself for serial, which AUTO_INCREMENT makes counting', () => {
    expect(types.sqlType(T.integer, { serial: true })).toBe('int')
    expect(types.sqlType(T.bigint, { serial: true })).toBe('bigint')
    expect(() => types.sqlType(T.text, { serial: true })).toThrow(/serial needs an integer column/)
  })

  it('refuses what MySQL cannot hold, saying what to use', () => {
    expect(() => types.sqlType(T.varchar())).toThrow(
      'MySQL needs a length for varchar; write varchar(255) or use text()',
    )
    for (const type of [T.interval, T.array(T.text), T.enum('mood')]) {
      expect(() => types.sqlType(type)).toThrow(InvalidOperationError)
    }
    expect(() => types.sqlType(T.enum('mood'))).toThrow(/named enum types \(mood\); use custom/)
  })
})

describe('sqlDefault', () => {
  it('renders literals for the column type', () => {
    expect(types.sqlDefault(lit(true), T.boolean)).toBe('1')
    expect(types.sqlDefault(lit(false), undefined)).toBe('0')
    expect(types.sqlDefault(lit("it's"), T.varchar(10))).toBe("'it''s'")
    expect(types.sqlDefault(lit('a\\b'), T.varchar(10))).toBe("_utf8mb4 X'615c62'")
    expect(types.sqlDefault(lit(12.5), T.numeric(5, 2))).toBe('12.5')
    expect(types.sqlDefault(lit(10n), T.bigint)).toBe('10')
    expect(types.sqlDefault(lit(null), T.integer)).toBe('NULL')
    const at = new Date('2024-02-03T04:05:06.789Z')
    expect(types.sqlDefault(lit(at), T.timestamp(false, 3))).toBe("'2024-02-03 04:05:06.789000'")
    expect(types.sqlDefault(lit(at), T.timestamp(true))).toBe("'2024-02-03 04:05:06.789000'")
    expect(types.sqlDefault(lit(at), T.date)).toBe("'2024-02-03'")
    expect(types.sqlDefault(lit(new Uint8Array([1, 171])), T.custom('varbinary(4)'))).toBe(
      "X'01ab'",
    )
  })

  it('puts defaults of text, blob and json columns in parentheses', () => {
    expect(types.sqlDefault(lit({ a: 1 }), T.json)).toBe('(\'{"a":1}\')')
    expect(types.sqlDefault(lit([1, 'x']), T.jsonb)).toBe('(\'[1,"x"]\')')
    expect(types.sqlDefault(lit('hi'), T.text)).toBe("('hi')")
    expect(types.sqlDefault(lit(new Uint8Array([0])), T.bytea)).toBe("(X'00')")
    expect(types.sqlDefault(sql("'hi'"), T.custom('mediumtext'))).toBe("('hi')")
  })

  it('writes keywords and literals bare, other SQL in parentheses', () => {
    expect(types.sqlDefault(sql('CURRENT_TIMESTAMP'), T.timestamp(true))).toBe('CURRENT_TIMESTAMP')
    expect(types.sqlDefault(sql('CURRENT_TIMESTAMP(3)'), T.timestamp(false, 3))).toBe(
      'CURRENT_TIMESTAMP(3)',
    )
    expect(types.sqlDefault(sql('now()'), undefined)).toBe('now()')
    expect(types.sqlDefault(sql('-1.5'), T.double)).toBe('-1.5')
    expect(types.sqlDefault(sql("'x'"), T.varchar(3))).toBe("'x'")
    expect(types.sqlDefault(sql('NULL'), T.integer)).toBe('NULL')
    expect(types.sqlDefault(sql('TRUE'), T.boolean)).toBe('TRUE')
    expect(types.sqlDefault(sql('uuid()'), T.uuid)).toBe('(uuid())')
    expect(types.sqlDefault(sql('(1 + 2)'), T.integer)).toBe('(1 + 2)')
    expect(types.sqlDefault(sql('(1) + (2)'), T.integer)).toBe('((1) + (2))')
    expect(types.sqlDefault(sql('CURRENT_DATE'), T.date)).toBe('(CURRENT_DATE)')
  })

  it('refuses numbers MySQL cannot store', () => {
    expect(() => mysqlLiteral(Number.NaN, T.double)).toThrow(/MySQL cannot store NaN/)
  })
})
