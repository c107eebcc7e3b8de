import { describe, expect, it } from 'vitest'
import { splitStatements, tokenize } from '../../../src/dialect/mysql/mysql-sql-tokens.ts'

/** MySQL's lexer, and the statement splitter the MySQL driver runs scripts with. */

const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.value])

describe('tokenize', () => {
  it('reads names, strings, numbers, bytes and operators', () => {
    expect(kinds("`a``b` = 'it''s \\'x\\' \\n' AND \"q\"\"r\" <=> 1.5e3 OR x'0A' != 0x1f")).toEqual(
      [
        ['name', 'a`b'],
        ['other', '='],
        ['string', "it's 'x' \n"],
        ['word', 'AND'],
        ['double', 'q"r'],
        ['other', '<=>'],
        ['number', '1.5e3'],
        ['word', 'OR'],
        ['hex', '0a'],
        ['other', '!='],
        ['hex', '1f'],
      ],
    )
  })

  it("reads a model's escape string E'...' as the text it means", () => {
    expect(kinds("p <> E'C:\\\\temp' AND q = e'it''s'")).toEqual([
      ['word', 'p'],
      ['other', '<>'],
      ['string', 'C:\\temp'],
      ['word', 'AND'],
      ['word', 'q'],
      ['other', '='],
      ['string', "it's"],
    ])
  })

  it('skips the three kinds of comments, and reads --1 as two minus signs', () => {
    expect(kinds('a # one\n/* two; */ b -- three\nc--1')).toEqual([
      ['word', 'a'],
      ['word', 'b'],
      ['word', 'c'],
      ['other', '-'],
      ['other', '-'],
      ['number', '1'],
    ])
  })

  it('reads names that start with digits, introducers, variables and bit strings', () => {
    expect(kinds("1st_place _utf8mb4'x' @@sql_mode @v b'0000000101' N'é' héllo")).toEqual([
      ['word', '1st_place'],
      ['word', '_utf8mb4'],
      ['string', 'x'],
      ['variable', '@@sql_mode'],
      ['variable', '@v'],
      ['hex', '0005'],
      ['string', 'é'],
      ['word', 'héllo'],
    ])
  })

  it('keeps offsets that slice back to the text', () => {
    const sql = "SELECT `x` FROM t WHERE y = 'a;b'"
    for (const token of tokenize(sql)) expect(sql.slice(token.start, token.end)).toBe(token.text)
  })
})

describe('splitStatements', () => {
  it('splits at semicolons outside strings, names and comments, dropping empty statements', () => {
    expect(
      splitStatements(
        'CREATE TABLE `a;b` (x text DEFAULT \'c;d\'); -- note; here\nINSERT INTO t VALUES ("e;f") ;; /* only a comment; */ ;',
      ),
    ).toEqual([
      "CREATE TABLE `a;b` (x text DEFAULT 'c;d')",
      '-- note; here\nINSERT INTO t VALUES ("e;f")',
    ])
  })

  it('keeps a statement without a final semicolon', () => {
    expect(splitStatements('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2'])
  })

  it('keeps the BEGIN ... END body of a trigger or procedure as one statement', () => {
    const trigger = `CREATE DEFINER = \`root\`@\`localhost\` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW
BEGIN
  IF NEW.x < 0 THEN SET NEW.x = 0; END IF;
  SET NEW.y = CASE WHEN NEW.x > 1 THEN 'big' ELSE 'small' END;
  label: LOOP LEAVE label; END LOOP label;
  BEGIN SET @a = 1; END;
END`
    const procedure = `CREATE PROCEDURE p() BEGIN
  CASE @x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE;
  WHILE @x > 0 DO SET @x = @x - 1; END WHILE;
  REPEAT SET @x = @x + 1; UNTIL @x > 3 END REPEAT;
END`
    expect(splitStatements(`${trigger};\n${procedure};\nSELECT 3;`)).toEqual([
      trigger,
      procedure,
      'SELECT 3',
    ])
  })

  it('splits a transaction script whose BEGIN starts a transaction', () => {
    expect(splitStatements('BEGIN; UPDATE t SET x = 1; COMMIT;')).toEqual([
      'BEGIN',
      'UPDATE t SET x = 1',
      'COMMIT',
    ])
  })

  it('keeps a MariaDB BEGIN NOT ATOMIC block whole', () => {
    const block = 'BEGIN NOT ATOMIC DECLARE x INT DEFAULT 1; SELECT x; END'
    expect(splitStatements(`${block}; SELECT 2`)).toEqual([block, 'SELECT 2'])
  })
})
