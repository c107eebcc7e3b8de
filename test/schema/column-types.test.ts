import { describe, expect, it } from 'vitest'
import {
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  customType,
  date,
  doublePrecision,
  enumType,
  integer,
  interval,
  json,
  jsonb,
  numeric,
  real,
  serial,
  smallint,
  table,
  text,
  time,
  timestamp,
  timestamptz,
  toTableDef,
  uuid,
  varchar,
} from '../../src/schema/index.ts'
import type { ColumnType } from '../../src/schema/schema-snapshot.ts'
import { columnDef, thrown } from './helpers.ts'

/** The ColumnType of each column of a one-table model, by database name. */
function types(columns: Parameters<typeof table>[1]): Record<string, ColumnType> {
  const def = toTableDef(table('t', columns))
  return Object.fromEntries(def.columns.map((column) => [column.name, column.type]))
}

describe('column types', () => {
  it('map every type function to its ColumnType, every field present', () => {
    const mood = enumType('mood', ['sad', 'ok', 'happy'])
    const role = enumType('role', ['member', 'admin'], { schema: 'auth' })
    const tsvector = customType<string>('tsvector')
    expect(
      types({
        a_smallint: smallint(),
        a_integer: integer(),
        a_bigint: bigint(),
        a_real: real(),
        a_double: doublePrecision(),
        a_numeric: numeric(),
        a_numeric_p: numeric(10),
        a_numeric_ps: numeric(10, 2),
        a_text: text(),
        a_varchar: varchar(),
        a_varchar_n: varchar(255),
        a_char: char(),
        a_char_n: char(2),
        a_boolean: boolean(),
        a_date: date(),
        a_time: time(),
        a_timetz: time({ precision: 3, withTimezone: true }),
        a_timestamp: timestamp(),
        a_timestamp_p: timestamp({ precision: 0 }),
        a_timestamp_tz: timestamp({ withTimezone: true }),
        a_timestamptz: timestamptz(),
        a_timestamptz_p: timestamptz({ precision: 3 }),
        a_timestamptz_off: timestamptz({ withTimezone: false }),
        a_interval: interval(),
        a_uuid: uuid(),
        a_json: json(),
        a_jsonb: jsonb(),
        a_bytea: bytea(),
        a_enum: mood(),
        a_enum_schema: role(),
        a_custom: tsvector(),
        a_array: integer().array(),
        a_array_2d: text().array().array(),
      }),
    ).toStrictEqual({
      a_smallint: { kind: 'smallint' },
      a_integer: { kind: 'integer' },
      a_bigint: { kind: 'bigint' },
      a_real: { kind: 'real' },
      a_double: { kind: 'double' },
      a_numeric: { kind: 'numeric', precision: undefined, scale: undefined },
      a_numeric_p: { kind: 'numeric', precision: 10, scale: undefined },
      a_numeric_ps: { kind: 'numeric', precision: 10, scale: 2 },
      a_text: { kind: 'text' },
      a_varchar: { kind: 'varchar', length: undefined },
      a_varchar_n: { kind: 'varchar', length: 255 },
      a_char: { kind: 'char', length: undefined },
      a_char_n: { kind: 'char', length: 2 },
      a_boolean: { kind: 'boolean' },
      a_date: { kind: 'date' },
      a_time: { kind: 'time', withTimezone: false, precision: undefined },
      a_timetz: { kind: 'time', withTimezone: true, precision: 3 },
      a_timestamp: { kind: 'timestamp', withTimezone: false, precision: undefined },
      a_timestamp_p: { kind: 'timestamp', withTimezone: false, precision: 0 },
      a_timestamp_tz: { kind: 'timestamp', withTimezone: true, precision: undefined },
      a_timestamptz: { kind: 'timestamp', withTimezone: true, precision: undefined },
      a_timestamptz_p: { kind: 'timestamp', withTimezone: true, precision: 3 },
      a_timestamptz_off: { kind: 'timestamp', withTimezone: false, precision: undefined },
      a_interval: { kind: 'interval' },
      a_uuid: { kind: 'uuid' },
      a_json: { kind: 'json' },
      a_jsonb: { kind: 'jsonb' },
      a_bytea: { kind: 'bytea' },
      a_enum: { kind: 'enum', name: 'mood', schema: undefined },
      a_enum_schema: { kind: 'enum', name: 'role', schema: 'auth' },
      a_custom: { kind: 'custom', sql: 'tsvector' },
      a_array: { kind: 'array', element: { kind: 'integer' } },
      a_array_2d: { kind: 'array', element: { kind: 'array', element: { kind: 'text' } } },
    })
  })

  it('take the database name as an optional first argument, else the property key', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const citext = customType<string>('citext')
    const def = toTableDef(
      table('t', {
        a: smallint('s'),
        b: integer('i'),
        c: bigint('bi'),
        d: bigint('bi_n', { mode: 'number' }),
        e: real('r'),
        f: doublePrecision('dp'),
        g: numeric('price', 10, 2),
        h: text('tx'),
        i: varchar('title', 200),
        j: char('cc', 2),
        k: boolean('flag'),
        l: date('day'),
        m: time('at', { precision: 0 }),
        n: timestamp('ts', { precision: 6 }),
        o: timestamptz('created_at'),
        p: interval('span'),
        q: uuid('uid'),
        r: json('doc'),
        s: jsonb('docb'),
        t: bytea('bin'),
        u: mood('current_mood'),
        v: citext('email'),
        w: serial('sid'),
        x: bigserial('bsid', { mode: 'bigint' }),
        y: varchar('plain'),
        z: numeric('amount'),
      }),
    )
    expect(def.columns.map((c) => c.name)).toStrictEqual([
      's',
      'i',
      'bi',
      'bi_n',
      'r',
      'dp',
      'price',
      'tx',
      'title',
      'cc',
      'flag',
      'day',
      'at',
      'ts',
      'created_at',
      'span',
      'uid',
      'doc',
      'docb',
      'bin',
      'current_mood',
      'email',
      'sid',
      'bsid',
      'plain',
      'amount',
    ])
    const byName = Object.fromEntries(def.columns.map((c) => [c.name, c.type]))
    expect(byName.price).toStrictEqual({ kind: 'numeric', precision: 10, scale: 2 })
    expect(byName.title).toStrictEqual({ kind: 'varchar', length: 200 })
    expect(byName.plain).toStrictEqual({ kind: 'varchar', length: undefined })
    expect(byName.at).toStrictEqual({ kind: 'time', withTimezone: false, precision: 0 })
  })

  it('make serial and bigserial integer columns with serial set, not null, no default', () => {
    const def = toTableDef(
      table('t', { a: serial(), b: bigserial(), c: bigserial({ mode: 'number' }) }),
    )
    expect(def.columns).toStrictEqual([
      columnDef('a', { kind: 'integer' }, { nullable: false, serial: true }),
      columnDef('b', { kind: 'bigint' }, { nullable: false, serial: true }),
      columnDef('c', { kind: 'bigint' }, { nullable: false, serial: true }),
    ])
  })

  it('give bigint the same database type in every mode', () => {
    const def = toTableDef(
      table('t', {
        a: bigint(),
        b: bigint({ mode: 'string' }),
        c: bigint({ mode: 'number' }),
        d: bigint({ mode: 'bigint' }),
      }),
    )
    expect(def.columns.map((c) => c.type)).toStrictEqual([
      { kind: 'bigint' },
      { kind: 'bigint' },
      { kind: 'bigint' },
      { kind: 'bigint' },
    ])
  })

  it('expose an enum type as an EnumDef and a custom type as its spelling', () => {
    const mood = enumType('mood', ['sad', 'ok', 'happy'] as const)
    expect(mood.name).toBe('mood')
    expect(mood.schema).toBeUndefined()
    expect(mood.values).toStrictEqual(['sad', 'ok', 'happy'])
    expect(customType('geometry(Point, 4326)').sql).toBe('geometry(Point, 4326)')
  })

  it('reject type arguments PostgreSQL would reject', () => {
    thrown(() => varchar(0), 'INVALID_ARGUMENT')
    thrown(() => varchar('title', 1.5), 'INVALID_ARGUMENT')
    thrown(() => char(-1), 'INVALID_ARGUMENT')
    thrown(() => numeric(0), 'INVALID_ARGUMENT')
    thrown(() => numeric(1001), 'INVALID_ARGUMENT')
    thrown(() => numeric(10, 1001), 'INVALID_ARGUMENT')
    thrown(() => numeric('p', undefined, 2), 'INVALID_ARGUMENT')
    thrown(() => time({ precision: 7 }), 'INVALID_ARGUMENT')
    thrown(() => timestamptz({ precision: -1 }), 'INVALID_ARGUMENT')
    // @ts-expect-error: not a mode
    thrown(() => bigint({ mode: 'float' }), 'INVALID_ARGUMENT')
    thrown(() => customType(' '), 'INVALID_ARGUMENT')
    thrown(() => text(''), 'INVALID_NAME')
  })

  it('accept a negative numeric scale (PostgreSQL 15+)', () => {
    expect(types({ n: numeric(5, -2) }).n).toStrictEqual({
      kind: 'numeric',
      precision: 5,
      scale: -2,
    })
  })
})
