import { describe, expect, it } from 'vitest'
import { mysqlExpression } from '../../src/dialect/mysql/mysql-expression.ts'
import { sqliteExpression } from '../../src/dialect/sqlite/sqlite-expression.ts'
import { sql } from '../../src/schema/index.ts'

/**
 * A model's SQL, written once in the model notation, as each non-PostgreSQL compiler writes it:
 * the same text, names and backslashes included, in the engine's own spelling.
 */
const model = sql`"Key" <> ${'C:\\temp'} AND note = ${"it's"} AND tab = ${'a\tb'}`.toSql()

describe('model expressions', () => {
  it('are written in the model notation', () => {
    expect(model).toBe(`"Key" <> E'C:\\\\temp' AND note = 'it''s' AND tab = 'a\tb'`)
  })

  it('reach SQLite as plain strings of the same text', () => {
    expect(sqliteExpression(model)).toBe(`"Key" <> 'C:\\temp' AND note = 'it''s' AND tab = 'a\tb'`)
    expect(sqliteExpression(`x = E'\\n' || e'\\\\' || E'q''s'`)).toBe(`x = '\n' || '\\' || 'q''s'`)
    // A word ending in e before a string is not an escape string; no E at all is left alone.
    expect(sqliteExpression(`name'x'`)).toBe(`name'x'`)
    expect(sqliteExpression(`a = 'b\\c'`)).toBe(`a = 'b\\c'`)
  })

  it("reach MySQL with backticked names and backslashes spelled for the session's sql_mode", () => {
    expect(mysqlExpression(model, { backslashEscapes: true })).toBe(
      "`Key` <> 'C:\\\\temp' AND note = 'it''s' AND tab = 'a\tb'",
    )
    expect(mysqlExpression(model, { backslashEscapes: false })).toBe(
      "`Key` <> 'C:\\temp' AND note = 'it''s' AND tab = 'a\tb'",
    )
  })
})
