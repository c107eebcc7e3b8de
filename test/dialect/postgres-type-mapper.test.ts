import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOperationError } from '../../src/dialect/invalid-operation-error.ts'
import { PostgresTypeMapper } from '../../src/dialect/postgres/postgres-type-mapper.ts'
import type { ColumnDefault, ColumnType } from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import { lit, sql, T } from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'

/** The dialects whose spelling every case gives; adding one fails to compile until each has it. */
type Dialects = 'postgres'

const mapper = new PostgresTypeMapper()

interface TypeCase {
  readonly type: ColumnType
  readonly sql: Readonly<Record<Dialects, string>>
  /** What PostgreSQL's format_type() prints, when it is not the spelling itself. */
  readonly formatType?: string
}

const typeCases: readonly TypeCase[] = [
  { type: T.smallint, sql: { postgres: 'smallint' } },
  { type: T.integer, sql: { postgres: 'integer' } },
  { type: T.bigint, sql: { postgres: 'bigint' } },
  { type: T.real, sql: { postgres: 'real' } },
  { type: T.double, sql: { postgres: 'double precision' } },
  { type: T.numeric(), sql: { postgres: 'numeric' } },
  { type: T.numeric(10), sql: { postgres: 'numeric(10,0)' } },
  { type: T.numeric(12, 4), sql: { postgres: 'numeric(12,4)' } },
  { type: T.text, sql: { postgres: 'text' } },
  { type: T.varchar(), sql: { postgres: 'character varying' } },
  { type: T.varchar(40), sql: { postgres: 'character varying(40)' } },
  { type: T.char(), sql: { postgres: 'character(1)' } },
  { type: T.char(5), sql: { postgres: 'character(5)' } },
  { type: T.boolean, sql: { postgres: 'boolean' } },
  { type: T.date, sql: { postgres: 'date' } },
  { type: T.time(false), sql: { postgres: 'time without time zone' } },
  { type: T.time(false, 3), sql: { postgres: 'time(3) without time zone' } },
  { type: T.time(true), sql: { postgres: 'time with time zone' } },
  { type: T.time(true, 6), sql: { postgres: 'time(6) with time zone' } },
  { type: T.timestamp(false), sql: { postgres: 'timestamp without time zone' } },
  { type: T.timestamp(false, 0), sql: { postgres: 'timestamp(0) without time zone' } },
  { type: T.timestamp(true), sql: { postgres: 'timestamp with time zone' } },
  { type: T.timestamp(true, 3), sql: { postgres: 'timestamp(3) with time zone' } },
  { type: T.interval, sql: { postgres: 'interval' } },
  { type: T.uuid, sql: { postgres: 'uuid' } },
  { type: T.json, sql: { postgres: 'json' } },
  { type: T.jsonb, sql: { postgres: 'jsonb' } },
  { type: T.bytea, sql: { postgres: 'bytea' } },
  { type: T.enum('kind', 'types'), sql: { postgres: 'types.kind' } },
  { type: T.enum('Kind', 'types'), sql: { postgres: 'types."Kind"' } },
  { type: T.array(T.text), sql: { postgres: 'text[]' } },
  { type: T.array(T.array(T.integer)), sql: { postgres: 'integer[][]' }, formatType: 'integer[]' },
  { type: T.array(T.varchar(10)), sql: { postgres: 'character varying(10)[]' } },
  { type: T.array(T.timestamp(true, 3)), sql: { postgres: 'timestamp(3) with time zone[]' } },
  { type: T.array(T.time(false, 2)), sql: { postgres: 'time(2) without time zone[]' } },
  { type: T.array(T.double), sql: { postgres: 'double precision[]' } },
  { type: T.array(T.enum('Kind', 'types')), sql: { postgres: 'types."Kind"[]' } },
  { type: T.custom('tsvector'), sql: { postgres: 'tsvector' } },
  { type: T.custom('bit varying(8)'), sql: { postgres: 'bit varying(8)' } },
  { type: T.array(T.custom('inet')), sql: { postgres: 'inet[]' } },
]

interface DefaultCase {
  readonly name: string
  readonly type: ColumnType
  readonly value: ColumnDefault
  readonly sql: Readonly<Record<Dialects, string>>
  /** The default value as PostgreSQL prints it (`::text`, TimeZone UTC); null for SQL NULL. */
  readonly text: string | null
}

const when = new Date('2024-02-29T23:59:58.5Z')

const defaultCases: readonly DefaultCase[] = [
  { name: 'true', type: T.boolean, value: lit(true), sql: { postgres: 'true' }, text: 'true' },
  { name: 'false', type: T.boolean, value: lit(false), sql: { postgres: 'false' }, text: 'false' },
  { name: 'integer', type: T.integer, value: lit(42), sql: { postgres: '42' }, text: '42' },
  { name: 'negative', type: T.smallint, value: lit(-7), sql: { postgres: '-7' }, text: '-7' },
  { name: 'fraction', type: T.double, value: lit(1.5), sql: { postgres: '1.5' }, text: '1.5' },
  { name: 'real', type: T.real, value: lit(0.1), sql: { postgres: '0.1' }, text: '0.1' },
  {
    name: 'exponent',
    type: T.numeric(),
    value: lit(1e21),
    sql: { postgres: '1e+21' },
    text: '1000000000000000000000',
  },
  { name: 'NaN', type: T.double, value: lit(Number.NaN), sql: { postgres: "'NaN'" }, text: 'NaN' },
  {
    name: 'Infinity',
    type: T.double,
    value: lit(Number.POSITIVE_INFINITY),
    sql: { postgres: "'Infinity'" },
    text: 'Infinity',
  },
  {
    name: 'bigint',
    type: T.bigint,
    value: lit(9223372036854775807n),
    sql: { postgres: '9223372036854775807' },
    text: '9223372036854775807',
  },
  {
    name: 'string with quotes and backslashes',
    type: T.text,
    value: lit("it's a \\ back'slash\n"),
    sql: { postgres: "E'it''s a \\\\ back''slash\n'" },
    text: "it's a \\ back'slash\n",
  },
  {
    name: 'varchar',
    type: T.varchar(10),
    value: lit('short'),
    sql: { postgres: "'short'" },
    text: 'short',
  },
  { name: 'empty string', type: T.text, value: lit(''), sql: { postgres: "''" }, text: '' },
  {
    name: 'uuid',
    type: T.uuid,
    value: lit('6f1c2b84-9d3e-4c52-9b7a-1e2f3a4b5c6d'),
    sql: { postgres: "'6f1c2b84-9d3e-4c52-9b7a-1e2f3a4b5c6d'" },
    text: '6f1c2b84-9d3e-4c52-9b7a-1e2f3a4b5c6d',
  },
  {
    name: 'interval',
    type: T.interval,
    value: lit('1 hour 30 minutes'),
    sql: { postgres: "'1 hour 30 minutes'" },
    text: '01:30:00',
  },
  {
    name: 'enum',
    type: T.enum('Kind', 'types'),
    value: lit("it's"),
    sql: { postgres: "'it''s'" },
    text: "it's",
  },
  {
    name: 'Date as date',
    type: T.date,
    value: lit(when),
    sql: { postgres: "'2024-02-29'" },
    text: '2024-02-29',
  },
  {
    name: 'Date as time',
    type: T.time(false, 3),
    value: lit(when),
    sql: { postgres: "'23:59:58.500'" },
    text: '23:59:58.5',
  },
  {
    name: 'Date as time with time zone',
    type: T.time(true),
    value: lit(when),
    sql: { postgres: "'23:59:58.500+00'" },
    text: '23:59:58.5+00',
  },
  {
    name: 'Date as timestamp',
    type: T.timestamp(false),
    value: lit(when),
    sql: { postgres: "'2024-02-29T23:59:58.500'" },
    text: '2024-02-29 23:59:58.5',
  },
  {
    name: 'Date as timestamp with time zone',
    type: T.timestamp(true, 3),
    value: lit(when),
    sql: { postgres: "'2024-02-29T23:59:58.500Z'" },
    text: '2024-02-29 23:59:58.5+00',
  },
  {
    name: 'Date as text',
    type: T.text,
    value: lit(when),
    sql: { postgres: "'2024-02-29T23:59:58.500Z'" },
    text: '2024-02-29T23:59:58.500Z',
  },
  {
    name: 'bytes',
    type: T.bytea,
    value: lit(new Uint8Array([0, 1, 0xfe, 0xff])),
    sql: { postgres: "E'\\\\x0001feff'::bytea" },
    text: '\\x0001feff',
  },
  {
    name: 'no bytes',
    type: T.bytea,
    value: lit(new Uint8Array([])),
    sql: { postgres: "E'\\\\x'::bytea" },
    text: '\\x',
  },
  {
    name: 'json object',
    type: T.json,
    value: lit({ "it's": 'a "b" \\ c', n: [1, null] }),
    sql: { postgres: `E'{"it''s":"a \\\\"b\\\\" \\\\\\\\ c","n":[1,null]}'` },
    text: `{"it's":"a \\"b\\" \\\\ c","n":[1,null]}`,
  },
  {
    name: 'jsonb object with a bigint',
    type: T.jsonb,
    value: lit({ big: 12345678901234567890n }),
    sql: { postgres: `'{"big":12345678901234567890}'` },
    text: '{"big": 12345678901234567890}',
  },
  {
    name: 'jsonb array',
    type: T.jsonb,
    value: lit([1, 'a']),
    sql: { postgres: `'[1,"a"]'` },
    text: '[1, "a"]',
  },
  {
    name: 'jsonb string',
    type: T.jsonb,
    value: lit('{}'),
    sql: { postgres: `'"{}"'` },
    text: '"{}"',
  },
  { name: 'jsonb number', type: T.jsonb, value: lit(3), sql: { postgres: "'3'" }, text: '3' },
  {
    name: 'jsonb boolean',
    type: T.jsonb,
    value: lit(false),
    sql: { postgres: "'false'" },
    text: 'false',
  },
  {
    name: 'text array',
    type: T.array(T.text),
    value: lit(['a', 'b c', 'd"e', 'f\\g', '{h,i}', '', 'NULL', null]),
    sql: { postgres: `E'{"a","b c","d\\\\"e","f\\\\\\\\g","{h,i}","","NULL",NULL}'` },
    text: '{a,"b c","d\\"e","f\\\\g","{h,i}","","NULL",NULL}',
  },
  {
    name: 'integer array',
    type: T.array(T.integer),
    value: lit([1, -2, 3]),
    sql: { postgres: `'{"1","-2","3"}'` },
    text: '{1,-2,3}',
  },
  {
    name: 'two-dimensional array',
    type: T.array(T.array(T.integer)),
    value: lit([[1], [2]]),
    sql: { postgres: `'{{"1"},{"2"}}'` },
    text: '{{1},{2}}',
  },
  {
    name: 'boolean array',
    type: T.array(T.boolean),
    value: lit([true, false]),
    sql: { postgres: `'{"true","false"}'` },
    text: '{t,f}',
  },
  {
    name: 'date array',
    type: T.array(T.date),
    value: lit([when]),
    sql: { postgres: `'{"2024-02-29"}'` },
    text: '{2024-02-29}',
  },
  {
    name: 'jsonb array column',
    type: T.array(T.jsonb),
    value: lit([{ a: 'b' }, [1], 'x']),
    sql: { postgres: `E'{"{\\\\"a\\\\":\\\\"b\\\\"}","[1]","\\\\"x\\\\""}'` },
    text: '{"{\\"a\\": \\"b\\"}",[1],"\\"x\\""}',
  },
  {
    name: 'bytea array',
    type: T.array(T.bytea),
    value: lit([new Uint8Array([0xab])]),
    sql: { postgres: `E'{"\\\\\\\\xab"}'` },
    text: '{"\\\\xab"}',
  },
  {
    name: 'enum array',
    type: T.array(T.enum('Kind', 'types')),
    value: lit(["it's", 'plain']),
    sql: { postgres: `'{"it''s","plain"}'` },
    text: `{it's,plain}`,
  },
  {
    name: 'numeric array with a bigint',
    type: T.array(T.numeric()),
    value: lit([12345678901234567890n, 0.5]),
    sql: { postgres: `'{"12345678901234567890","0.5"}'` },
    text: '{12345678901234567890,0.5}',
  },
  {
    name: 'empty array',
    type: T.array(T.text),
    value: lit([]),
    sql: { postgres: "'{}'" },
    text: '{}',
  },
  {
    name: 'array as written',
    type: T.array(T.integer),
    value: lit('{4,5}'),
    sql: { postgres: "'{4,5}'" },
    text: '{4,5}',
  },
  {
    name: 'object in a text column',
    type: T.text,
    value: lit({ a: 1 }),
    sql: { postgres: `'{"a":1}'` },
    text: '{"a":1}',
  },
  { name: 'null', type: T.text, value: lit(null), sql: { postgres: 'NULL' }, text: null },
  { name: 'null json', type: T.jsonb, value: lit(null), sql: { postgres: 'NULL' }, text: null },
  {
    name: 'sql',
    type: T.text,
    value: sql("'a' || 'b'"),
    sql: { postgres: "'a' || 'b'" },
    text: 'ab',
  },
  {
    name: 'sql function',
    type: T.date,
    value: sql("date '2020-01-01' + 1"),
    sql: { postgres: "date '2020-01-01' + 1" },
    text: '2020-01-02',
  },
]

describe('PostgreSQL type mapper', () => {
  it.each(typeCases)('spells $sql.postgres', ({ type, sql: expected }) => {
    expect(mapper.sqlType(type)).toBe(expected.postgres)
  })

  it('spells serial types', () => {
    expect(mapper.sqlType(T.smallint, { serial: true })).toBe('smallserial')
    expect(mapper.sqlType(T.integer, { serial: true })).toBe('serial')
    expect(mapper.sqlType(T.bigint, { serial: true })).toBe('bigserial')
    expect(mapper.sqlType(T.bigint, { serial: false })).toBe('bigint')
  })

  it.each(defaultCases)('renders the default $name', ({ type, value, sql: expected }) => {
    expect(mapper.sqlDefault(value, type)).toBe(expected.postgres)
  })

  it('renders literals by their JavaScript type when the column type is unknown', () => {
    const render = (value: Parameters<typeof lit>[0]) => mapper.sqlDefault(lit(value), undefined)
    expect(render("it's")).toBe("'it''s'")
    expect(render(when)).toBe("'2024-02-29T23:59:58.500Z'")
    expect(render(['a', null])).toBe(`'{"a",NULL}'`)
    expect(render({ a: [1] })).toBe(`'{"a":[1]}'`)
    expect(render(new Uint8Array([1]))).toBe("E'\\\\x01'::bytea")
    expect(render(-0.5)).toBe('-0.5')
    expect(render(null)).toBe('NULL')
  })

  it('refuses what PostgreSQL has no spelling for, in one line', () => {
    const attempts: readonly [() => unknown, string][] = [
      [
        () => mapper.sqlType(T.text, { serial: true }),
        'serial needs a smallint, integer or bigint column, not text; use an identity column or a default instead',
      ],
      [
        () => mapper.sqlType(T.numeric(undefined, 2)),
        'numeric with scale 2 needs a precision too, e.g. numeric(12,2)',
      ],
      [() => mapper.sqlType(T.varchar(2.5)), 'varchar length must be an integer, not 2.5'],
      [
        () => mapper.sqlType(T.timestamp(true, Number.NaN)),
        'timestamp precision must be an integer, not NaN',
      ],
      [() => mapper.sqlType(T.custom(' ')), 'a custom column type needs its SQL spelling, not ""'],
    ]
    for (const [attempt, message] of attempts) {
      expect(attempt).toThrow(InvalidOperationError)
      expect(attempt).toThrow(message)
    }
    const error = (() => {
      try {
        mapper.sqlType(T.date, { serial: true })
      } catch (e) {
        return e as InvalidOperationError
      }
    })()
    expect(error?.code).toBe('INVALID_OPERATION')
    expect(error?.category).toBe('usage')
  })
})

describe.each(backends())('PostgreSQL types and defaults on $backend', ({ backend, skip }) => {
  let s: DialectSession | undefined

  beforeAll(async () => {
    if (skip) return
    s = await openSession(backend)
    await s.connection.execute(`SET TimeZone = 'UTC'; CREATE SCHEMA types;
      CREATE TYPE types.kind AS ENUM ('a'); CREATE TYPE types."Kind" AS ENUM ('it''s', 'plain')`)
  })

  afterAll(async () => {
    await s?.close()
  })

  it.skipIf(skip)('format_type() prints each type as the mapper spells it', async () => {
    const columns = typeCases.map((c, i) => `c${i} ${mapper.sqlType(c.type)}`).join(', ')
    await s!.connection.execute(`CREATE TABLE type_check (${columns})`)
    const rows = await s!.rows<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'type_check'::regclass AND attnum > 0 ORDER BY attnum`,
    )
    expect(rows.map((r) => r.type)).toEqual(typeCases.map((c) => c.formatType ?? c.sql.postgres))
  })

  it.skipIf(skip)('each default, stored and read back, is the value meant', async () => {
    const columns = defaultCases
      .map(
        (c, i) => `c${i} ${mapper.sqlType(c.type)} DEFAULT ${mapper.sqlDefault(c.value, c.type)}`,
      )
      .join(', ')
    await s!.connection.execute(`CREATE TABLE default_check (${columns})`)
    await s!.connection.execute('INSERT INTO default_check DEFAULT VALUES')
    const [row] = await s!.rows<Record<string, string | null>>(
      `SELECT ${defaultCases.map((_, i) => `c${i}::text AS c${i}`).join(', ')} FROM default_check`,
    )
    expect(row).toEqual(Object.fromEntries(defaultCases.map((c, i) => [`c${i}`, c.text])))
  })
})
