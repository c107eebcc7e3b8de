import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import type {
  CheckDef,
  ColumnDefault,
  IndexDef,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import {
  column,
  index,
  lit,
  NO_SCHEMA_OBJECTS,
  sql,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'
import { buildOps, model } from './postgres-introspector-fixtures.ts'

/**
 * `normalize()` on real databases: models rewritten in PostgreSQL's spelling compare equal to
 * what introspection reads from a database built from them, and the database is left alone.
 */

/** What normalization may change, table by table: defaults, checks, index elements, predicates. */
function expressions(snapshot: SchemaSnapshot) {
  const key = (t: TableDef) => JSON.stringify([t.schema ?? '', t.name])
  const tables = [...snapshot.tables].sort((a, b) => (key(a) < key(b) ? -1 : 1))
  return tables.map((t) => ({
    table: [t.schema, t.name],
    defaults: t.columns.map((c): [string, ColumnDefault | undefined] => [c.name, c.default]),
    checks: t.checks.map((c): [string | undefined, string] => [c.name, c.expression]),
    indexes: t.indexes.map((x) => ({ name: x.name, elements: x.elements, where: x.where })),
  }))
}

/** Everything normalization must not change. */
function structure(snapshot: SchemaSnapshot) {
  return {
    enums: snapshot.enums,
    tables: snapshot.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => ({ ...c, default: c.default === undefined })),
      checks: t.checks.map((c) => c.name),
      indexes: t.indexes.map((x) => ({ ...x, elements: x.elements.length, where: undefined })),
    })),
  }
}

/** Catalog facts that normalization must leave as they were, read on the session itself. */
async function catalogState(s: DialectSession) {
  const texts = async (text: string) => (await s.rows<{ t: string }>(text)).map((r) => r.t)
  return {
    relations: await texts(
      `SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS t FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND n.nspname NOT LIKE 'pg\\_%temp\\_%' ORDER BY 1`,
    ),
    types: await texts(
      `SELECT n.nspname || '.' || t.typname || ':' || COALESCE(
                (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), '') AS t
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1`,
    ),
    schemas: await texts(
      `SELECT nspname::text AS t FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%temp\\_%' ORDER BY 1`,
    ),
    // SAVEPOINT works only inside a transaction block (manual, SAVEPOINT).
    inTransaction: await s.connection.execute('SAVEPOINT aludel_probe').then(
      async () => {
        await s.connection.execute('ROLLBACK')
        return true
      },
      () => false,
    ),
  }
}

/** A connection that counts round trips. */
function counting(connection: Connection) {
  const stats = { roundTrips: 0 }
  const wrapped: Connection = {
    query: (text, params) => {
      stats.roundTrips++
      return connection.query(text, params)
    },
    execute: (text) => {
      stats.roundTrips++
      return connection.execute(text)
    },
    queryScript: (text) => {
      stats.roundTrips++
      return connection.queryScript(text)
    },
    lostReason: () => connection.lostReason(),
    close: () => connection.close(),
  }
  return { connection: wrapped, stats }
}

function only(snapshot: SchemaSnapshot, name: string): TableDef {
  const found = snapshot.tables.find((t) => t.name === name)
  if (found === undefined) throw new Error(`no table ${name}`)
  return found
}

/** The literal spellings the brief asks about, each on a column of its own. */
const spellings: SchemaSnapshot = {
  enums: [{ schema: undefined, name: 'feeling', values: ['sad', 'ok'] }],
  ...NO_SCHEMA_OBJECTS,
  tables: [
    table('spellings', {
      columns: [
        column('flag', T.boolean, { default: lit(true) }),
        column('note', T.text, { default: lit('x') }),
        column('code', T.varchar(10), { default: lit('x') }),
        column('created', T.timestamp(true), { default: sql('CURRENT_TIMESTAMP') }),
        column('touched', T.timestamp(true), { default: sql('now()') }),
        column('at_local', T.timestamp(false), { default: sql('now()') }),
        column('settings', T.jsonb, { default: lit({ z: 1, a: { b: [1, 'two'] } }) }),
        column('raw_json', T.json, { default: lit({ z: 1, a: 2 }) }),
        column('mood', T.enum('feeling'), { default: lit('ok') }),
        column('tags', T.array(T.text), { default: lit(['a', 'b c']) }),
        column('ints', T.array(T.integer), { default: lit([1, 2]) }),
        column('empty', T.array(T.varchar(5)), { default: lit([]) }),
        column('price', T.numeric(10, 2), { default: lit('9.99') }),
        column('count', T.integer, { default: lit(0) }),
        column('negative', T.integer, { default: lit(-1) }),
        column('big', T.bigint, { default: lit(12n) }),
        column('day', T.date, { default: lit(new Date('2024-02-03T00:00:00Z')) }),
        column('uid', T.uuid, { default: sql('gen_random_uuid()') }),
        column('nothing', T.text, { default: lit(null) }),
        column('null_sql', T.integer, { default: sql('NULL') }),
        column('email', T.text),
        column('qty', T.integer, { default: sql('(1 + 2)') }),
      ],
      checks: [
        { name: 'price_positive', expression: 'price > 0' },
        { name: 'qty_small', expression: '(qty < 100) and (qty > -1)' },
      ],
      indexes: [
        index('spellings_lower_email', [{ expression: 'lower(email)' }], {
          where: 'email IS NOT NULL',
        }),
        index('spellings_ordering', [
          { column: 'qty', order: 'asc', nulls: 'last' },
          { column: 'price', order: 'desc', nulls: 'first' },
          { column: 'note', opclass: 'text_ops' },
          { column: 'code', opclass: 'varchar_pattern_ops' },
        ]),
        index('spellings_parenthesised', [{ expression: 'email' }, { expression: '(qty + 1)' }]),
      ],
    }),
  ],
}

describe.each(backends())('normalize on $backend', ({ backend, skip }) => {
  let s: DialectSession | undefined

  beforeAll(async () => {
    if (skip) return
    s = await openSession(backend)
  })

  afterAll(async () => {
    await s?.close()
  })

  it.skipIf(skip)(
    'makes models compare equal to the database built from them, before and after',
    async () => {
      const introspector = s!.dialect.introspector
      // Before: no schema, enum or table of the model exists yet.
      const before = await introspector.normalize(s!.connection, model)
      expect(structure(before)).toStrictEqual(structure(model))
      for (const op of buildOps(model)) await s!.run(op)
      const live = await introspector.introspect(s!.connection)
      const after = await introspector.normalize(s!.connection, model)
      expect(expressions(before)).toStrictEqual(expressions(live))
      expect(expressions(after)).toStrictEqual(expressions(live))
      // Only char() and numeric(12) still differ, which are types, not expressions.
      const differing = after.tables.flatMap((t, i) =>
        t.columns.flatMap((c, k) => {
          const other = live.tables[i]?.columns[k]
          return JSON.stringify(c) === JSON.stringify(other) ? [] : [`${t.name}.${c.name}`]
        }),
      )
      expect(differing).toStrictEqual(['users.exact', 'users.flag'])
      // Normalizing what introspection read changes nothing.
      expect(await introspector.normalize(s!.connection, live)).toStrictEqual(live)
    },
  )

  it.skipIf(skip)('spells defaults, checks and index SQL as PostgreSQL prints them', async () => {
    const normalized = await s!.dialect.introspector.normalize(s!.connection, spellings)
    const t = only(normalized, 'spellings')
    expect(Object.fromEntries(t.columns.map((c) => [c.name, c.default]))).toStrictEqual({
      flag: sql('true'),
      note: sql("'x'::text"),
      code: sql("'x'::character varying"),
      created: sql('CURRENT_TIMESTAMP'),
      touched: sql('now()'),
      at_local: sql('now()'),
      settings: sql(`'{"a": {"b": [1, "two"]}, "z": 1}'::jsonb`),
      raw_json: sql(`'{"z":1,"a":2}'::json`),
      mood: sql("'ok'::feeling"),
      tags: sql(`'{a,"b c"}'::text[]`),
      ints: sql("'{1,2}'::integer[]"),
      empty: sql("'{}'::character varying[]"),
      // A number with a point reads as numeric by itself; '0' would need its cast (ruleutils.c).
      price: sql('9.99'),
      count: sql('0'),
      negative: sql("'-1'::integer"),
      big: sql('12'),
      day: sql("'2024-02-03'::date"),
      uid: sql('gen_random_uuid()'),
      // PostgreSQL stores no default for NULL (manual, CREATE TABLE: DEFAULT).
      nothing: undefined,
      null_sql: undefined,
      email: undefined,
      qty: sql('(1 + 2)'),
    })
    expect(t.checks).toStrictEqual<CheckDef[]>([
      { name: 'price_positive', expression: 'price > 0::numeric' },
      { name: 'qty_small', expression: "qty < 100 AND qty > '-1'::integer" },
    ])
    expect(t.indexes).toStrictEqual<IndexDef[]>([
      index('spellings_lower_email', [{ expression: 'lower(email)' }], {
        where: 'email IS NOT NULL',
      }),
      // Default orderings and default operator classes are left out, as introspection reads.
      index('spellings_ordering', [
        'qty',
        { column: 'price', order: 'desc' },
        'note',
        { column: 'code', opclass: 'varchar_pattern_ops' },
      ]),
      // A parenthesised column is the column itself (manual, CREATE INDEX).
      index('spellings_parenthesised', ['email', { expression: 'qty + 1' }]),
    ])
    // And the same is what introspection reads once the table exists.
    await s!.run({ kind: 'createEnum', enum: spellings.enums[0]!, ifNotExists: false })
    await s!.run({ kind: 'createTable', table: spellings.tables[0]!, ifNotExists: false })
    const live = only(await s!.dialect.introspector.introspect(s!.connection), 'spellings')
    expect(expressions({ tables: [t], enums: [], ...NO_SCHEMA_OBJECTS })).toStrictEqual(
      expressions({ tables: [live], enums: [], ...NO_SCHEMA_OBJECTS }),
    )
  })

  it.skipIf(skip)('leaves the database and the session as they were', async () => {
    const db = await openSession(backend)
    try {
      await db.connection.execute(
        `CREATE SCHEMA app; CREATE TYPE app.role AS ENUM ('member'); CREATE TYPE mood AS ENUM ('sad')`,
      )
      const before = await catalogState(db)
      expect(before.inTransaction).toBe(false)
      // The model's enums lack values the database has not got yet: they are stood in for.
      const normalized = await db.dialect.introspector.normalize(db.connection, model)
      expect(only(normalized, 'accounts').columns[2]?.default).toStrictEqual(
        sql("'member'::app.role"),
      )
      expect(only(normalized, 'users').columns.find((c) => c.name === 'feeling')?.default).toEqual(
        sql("'ok'::mood"),
      )
      expect(await catalogState(db)).toStrictEqual(before)
      // A failing script (the slow path) leaves nothing behind either.
      await db.dialect.introspector.normalize(db.connection, {
        enums: [],
        ...NO_SCHEMA_OBJECTS,
        tables: [
          table('broken', {
            columns: [column('n', T.bigint, { default: sql("nextval('no_such_seq')") })],
          }),
        ],
      })
      expect(await catalogState(db)).toStrictEqual(before)
    } finally {
      await db.close()
    }
  })

  it.skipIf(skip)(
    'keeps the model spelling of what PostgreSQL refuses, and only that',
    async () => {
      const snapshot: SchemaSnapshot = {
        enums: [],
        ...NO_SCHEMA_OBJECTS,
        tables: [
          table('orders', {
            columns: [
              column('id', T.bigint, { default: sql("nextval('orders_id_seq')") }),
              column('email', T.text, { default: lit('x') }),
              column('code', T.custom('no_such_type'), { default: lit('abc') }),
              column('total', T.numeric(10, 2), { default: lit('0') }),
              column('owner', T.custom('no_such_type')),
            ],
            checks: [
              { name: 'email_valid', expression: 'is_valid_email(email)' },
              { name: 'total_positive', expression: 'total > 0' },
              { name: 'owner_set', expression: 'owner IS NOT NULL' },
            ],
            indexes: [
              index('orders_lower_email', [{ expression: 'lower(email)' }]),
              index('orders_bad', [{ expression: 'no_such_function(email)' }]),
              index('orders_owner', [{ column: 'owner' }], { where: 'total > 1' }),
            ],
          }),
        ],
      }
      const db = await openSession(backend)
      try {
        const round = counting(db.connection)
        const normalized = await db.dialect.introspector.normalize(round.connection, snapshot)
        const t = only(normalized, 'orders')
        expect(t.columns.map((c) => c.default)).toStrictEqual([
          sql("nextval('orders_id_seq')"),
          sql("'x'::text"),
          // A literal PostgreSQL could not try is rendered as a migration would write it.
          sql("'abc'"),
          sql("'0'::numeric"),
          undefined,
        ])
        expect(t.checks).toStrictEqual([
          { name: 'email_valid', expression: 'is_valid_email(email)' },
          { name: 'total_positive', expression: 'total > 0::numeric' },
          { name: 'owner_set', expression: 'owner IS NOT NULL' },
        ])
        expect(t.indexes).toStrictEqual([
          index('orders_lower_email', [{ expression: 'lower(email)' }]),
          index('orders_bad', [{ expression: 'no_such_function(email)' }]),
          index('orders_owner', ['owner'], { where: 'total > 1' }),
        ])
        // BEGIN + script (fails), ROLLBACK, BEGIN + guarded script, the failures, the server
        // version (once per session), tables, columns, constraints, indexes, operator classes,
        // ROLLBACK.
        expect(round.stats.roundTrips).toBe(11)
      } finally {
        await db.close()
      }
    },
  )

  it.skipIf(skip)('handles hostile names and types in other schemas', async () => {
    const schema = 'Sch"ema; 日本'
    const enumName = 'Mood "🐘"'
    const hostile: SchemaSnapshot = {
      enums: [{ schema, name: enumName, values: ["it's", 'ok'] }],
      ...NO_SCHEMA_OBJECTS,
      tables: [
        table('Order "Items"; --', {
          schema,
          columns: [
            column('select', T.text, { default: lit("it's") }),
            column('we"ird', T.enum(enumName, schema), { default: lit("it's") }),
            column('café', T.array(T.enum(enumName, schema)), { default: lit(['ok']) }),
            column('MixedCase', T.integer, { default: lit(1) }),
          ],
          checks: [{ name: 'ck "q"', expression: `"MixedCase" > 0 AND "select" <> 'it''s'` }],
          indexes: [
            index('ix "q"', [{ expression: 'lower("select")' }], {
              where: `"we""ird" = 'ok'`,
              include: ['café'],
            }),
          ],
        }),
        // A second table with the same name in the default schema, and the same index name.
        table('Order "Items"; --', {
          columns: [column('select', T.varchar(3), { default: lit('a') })],
          indexes: [index('ix "q"', [{ expression: 'lower("select")' }])],
        }),
      ],
    }
    const db = await openSession(backend)
    try {
      const normalized = await db.dialect.introspector.normalize(db.connection, hostile)
      const [other, plain] = normalized.tables
      const enumSql = `"Sch""ema; 日本"."Mood ""🐘"""`
      expect(other?.columns.map((c) => c.default)).toStrictEqual([
        sql("'it''s'::text"),
        sql(`'it''s'::${enumSql}`),
        sql(`'{ok}'::${enumSql}[]`),
        sql('1'),
      ])
      expect(other?.checks).toStrictEqual([
        { name: 'ck "q"', expression: `"MixedCase" > 0 AND "select" <> 'it''s'::text` },
      ])
      expect(other?.indexes[0]).toStrictEqual(
        index('ix "q"', [{ expression: 'lower("select")' }], {
          where: `"we""ird" = 'ok'::${enumSql}`,
          include: ['café'],
        }),
      )
      expect(plain?.columns[0]?.default).toStrictEqual(sql("'a'::character varying"))
      expect(plain?.indexes[0]?.elements[0]?.expression).toBe('lower("select"::text)')

      // Built for real, the database reads the same.
      await db.run({ kind: 'createSchema', name: schema, ifNotExists: false })
      await db.run({ kind: 'createEnum', enum: hostile.enums[0]!, ifNotExists: false })
      for (const t of hostile.tables)
        await db.run({ kind: 'createTable', table: t, ifNotExists: false })
      const live = await db.dialect.introspector.introspect(db.connection)
      expect(expressions(normalized)).toStrictEqual(expressions(live))
    } finally {
      await db.close()
    }
  })

  it.skipIf(skip)('asks nothing of the database when there is nothing to spell', async () => {
    const bare: SchemaSnapshot = {
      enums: [],
      ...NO_SCHEMA_OBJECTS,
      tables: [
        table('bare', {
          columns: [
            column('id', T.integer, {
              nullable: false,
              identity: { always: true, start: undefined, increment: undefined },
            }),
            column('n', T.integer, { nullable: false, serial: true }),
            column('name', T.text),
          ],
          primaryKey: { name: 'bare_pkey', columns: ['id'] },
          indexes: [index('bare_name', ['name', { column: 'n', order: 'desc' }])],
        }),
      ],
    }
    const round = counting(s!.connection)
    const normalized = await s!.dialect.introspector.normalize(round.connection, bare)
    expect(normalized).toBe(bare)
    expect(round.stats.roundTrips).toBe(0)
    expect(
      await s!.dialect.introspector.normalize(round.connection, {
        tables: [],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      }),
    ).toStrictEqual({ tables: [], enums: [], ...NO_SCHEMA_OBJECTS })
    expect(round.stats.roundTrips).toBe(0)
  })

  it.skipIf(skip)('takes the same round trips for 3 tables as for 300', async () => {
    const tables = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        table(`t${i}`, {
          columns: [
            column('id', T.integer, { default: lit(i) }),
            column('email', T.varchar(100 + (i % 7)), { default: lit(`e${i}`) }),
            column(`c${i}`, T.integer),
          ],
          checks: [{ name: `ck${i}`, expression: `c${i} > ${i}` }],
          indexes: [index(`ix${i}`, [{ expression: 'lower(email)' }], { where: `c${i} < ${i}` })],
        }),
      )
    const small = counting(s!.connection)
    const few = await s!.dialect.introspector.normalize(small.connection, {
      tables: tables(3),
      enums: [],
      ...NO_SCHEMA_OBJECTS,
    })
    const large = counting(s!.connection)
    const many = await s!.dialect.introspector.normalize(large.connection, {
      tables: tables(300),
      enums: [],
      ...NO_SCHEMA_OBJECTS,
    })
    expect(large.stats).toStrictEqual(small.stats)
    // BEGIN + script, the server version, tables, columns, constraints, indexes, operator
    // classes, ROLLBACK: the fast path, whatever the number of tables.
    expect(large.stats.roundTrips).toBe(8)
    expect(few.tables[2]).toStrictEqual(many.tables[2])
    expect(many.tables[299]).toStrictEqual(
      table('t299', {
        columns: [
          column('id', T.integer, { default: sql('299') }),
          column('email', T.varchar(105), { default: sql("'e299'::character varying") }),
          column('c299', T.integer),
        ],
        checks: [{ name: 'ck299', expression: 'c299 > 299' }],
        indexes: [index('ix299', [{ expression: 'lower(email::text)' }], { where: 'c299 < 299' })],
      }),
    )
  })
})
