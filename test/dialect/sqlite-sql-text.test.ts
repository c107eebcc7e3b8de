import { describe, expect, it } from 'vitest'
import { splitStatements } from '../../src/dialect/sqlite/sqlite-driver.ts'
import { inlineSqliteParams } from '../../src/dialect/sqlite/sqlite-quoting.ts'

describe('SQLite script text', () => {
  it('splits at semicolons outside strings, names, comments and trigger bodies', () => {
    expect(
      splitStatements(`INSERT INTO t VALUES ('a;b'); -- c;d
CREATE TRIGGER "x;y" AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN 1 THEN 2 END; END;
/* e; */ SELECT 1`),
    ).toEqual([
      "INSERT INTO t VALUES ('a;b')",
      '-- c;d\nCREATE TRIGGER "x;y" AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN 1 THEN 2 END; END',
      '/* e; */ SELECT 1',
    ])
  })

  it('inlines ? and ?NNN parameters, leaving a ? in strings, names and comments alone', () => {
    expect(inlineSqliteParams(`SELECT '?', "a?", ?2, ?, ?1 -- ?`, ['one', "it's", 3])).toBe(
      `SELECT '?', "a?", 'it''s', 3, 'one' -- ?`,
    )
    expect(() => inlineSqliteParams('SELECT ?3', [1])).toThrow(
      'the statement names parameter 3 but 1 was given',
    )
  })
})
