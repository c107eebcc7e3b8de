import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import type { SchemaSnapshot, TableDef } from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import {
  column,
  element,
  foreignKey,
  index,
  NO_SCHEMA_OBJECTS,
  sequenceDef,
  sql,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'
import { buildOps, model } from './postgres-introspector-fixtures.ts'

/**
 * `introspect()` on real databases: a schema built from DSL models with aludel's own compiler,
 * and one written in plain SQL the way other tools write it, read back field by field.
 */

const identity = (always: boolean, start?: number, increment?: number) => ({
  always,
  start,
  increment,
})

/** The rich model of the fixtures, as PostgreSQL reports it once built. */
const expectedFromModel: SchemaSnapshot = {
  tables: [
    table('plain', {
      columns: [column('a', T.text), column('b', T.integer, { nullable: false })],
    }),
    table('users', {
      columns: [
        column('id', T.integer, { nullable: false, identity: identity(true, 100, 5) }),
        column('email', T.varchar(255), { nullable: false }),
        column('name', T.text, { default: sql("'it''s'::text"), comment: 'display name' }),
        column('active', T.boolean, { nullable: false, default: sql('true') }),
        column('score', T.numeric(10, 2), { default: sql("'0'::numeric") }),
        column('amount', T.numeric(), { default: sql('12.5') }),
        // numeric(12) is numeric(12,0): PostgreSQL stores the scale (manual, 8.1.2).
        column('exact', T.numeric(12, 0)),
        column('ratio', T.real, { default: sql('1.5') }),
        column('weight', T.double, { default: sql("'-2'::integer") }),
        column('small', T.smallint, { default: sql("'-1'::integer") }),
        column('code', T.char(3), { default: sql("'abc'::bpchar") }),
        // A bare char is character(1) (manual, 8.3).
        column('flag', T.char(1)),
        column('nick', T.varchar(), { default: sql("'x'::character varying") }),
        column('born', T.date, { default: sql('CURRENT_DATE') }),
        column('wakes', T.time(false, 3), { default: sql("'07:30:00'::time without time zone") }),
        column('wakes_tz', T.time(true)),
        column('created_at', T.timestamp(true, 3), { nullable: false, default: sql('now()') }),
        column('updated_at', T.timestamp(false), { default: sql('CURRENT_TIMESTAMP') }),
        column('local_at', T.timestamp(false, 0)),
        column('span', T.interval, { default: sql("'1 day'::interval") }),
        column('uid', T.uuid, { default: sql('gen_random_uuid()') }),
        // json keeps the text as written; jsonb prints its own canonical form.
        column('doc', T.json, { default: sql(`'{"b":1,"a":[true,null]}'::json`) }),
        column('data', T.jsonb, { default: sql(`'{"a": [true, null], "b": 1}'::jsonb`) }),
        column('bin', T.bytea, { default: sql("'\\x0102ff'::bytea") }),
        column('feeling', T.enum('mood'), { default: sql("'ok'::mood") }),
        column('moods', T.array(T.enum('mood')), { default: sql("'{sad,happy}'::mood[]") }),
        column('tags', T.array(T.text), {
          nullable: false,
          default: sql(`'{a,"b c",it''s}'::text[]`),
        }),
        column('matrix', T.array(T.array(T.integer))),
        column('search', T.custom('tsvector')),
        column('big', T.bigint, { default: sql("'9007199254740993'::bigint") }),
        column('account_tenant', T.integer),
        column('account_id', T.bigint),
      ],
      primaryKey: { name: 'pk_users', columns: ['id'] },
      foreignKeys: [
        foreignKey('users_account_fkey', ['account_tenant', 'account_id'], 'accounts', [
          'tenant_id',
          'id',
        ]),
      ].map((fk) => ({
        ...fk,
        referencedSchema: 'app',
        onDelete: 'set null' as const,
        onUpdate: 'cascade' as const,
        deferrable: true,
        initiallyDeferred: true,
      })),
      uniques: [{ name: 'users_email_key', columns: ['email'], nullsNotDistinct: true }],
      checks: [
        { name: 'ck_users_name_not_empty', expression: "name <> ''::text" },
        { name: 'ck_users_score_positive', expression: 'score >= 0::numeric' },
      ],
      indexes: [
        index(
          'ix_users_cover',
          [
            { column: 'created_at', order: 'desc' },
            { column: 'name', nulls: 'first' },
          ],
          {
            include: ['email', 'nick'],
          },
        ),
        index('ix_users_created_brin', ['created_at'], { method: 'brin' }),
        index('ix_users_expr', [
          { expression: 'score * 2::numeric' },
          { expression: "COALESCE(nick, ''::character varying)", order: 'desc', nulls: 'last' },
          'id',
        ]),
        index('ix_users_lower_email', [{ expression: 'lower(email::text)' }], {
          unique: true,
          where: 'active',
        }),
        index('ix_users_name_pattern', [{ column: 'name', opclass: 'text_pattern_ops' }], {
          where: 'name IS NOT NULL',
        }),
        index('ix_users_search', ['search'], { method: 'gin' }),
        index('ix_users_search_gist', ['search'], { method: 'gist' }),
        index('ix_users_tags', ['tags'], { method: 'gin' }),
        index('ix_users_uid_hash', ['uid'], { method: 'hash' }),
      ],
    }),
    table('accounts', {
      schema: 'app',
      columns: [
        column('tenant_id', T.integer, { nullable: false }),
        column('id', T.bigint, { nullable: false }),
        column('role', T.enum('role', 'app'), {
          nullable: false,
          default: sql("'member'::app.role"),
        }),
        column('roles', T.array(T.enum('role', 'app')), {
          default: sql("'{member,admin}'::app.role[]"),
        }),
        column('handle', T.varchar(40), { nullable: false }),
      ],
      primaryKey: { name: 'pk_accounts', columns: ['tenant_id', 'id'] },
      uniques: [{ name: 'handle', columns: ['tenant_id', 'handle'], nullsNotDistinct: false }],
      comment: 'tenant accounts',
    }),
    table('events', {
      schema: 'audit',
      columns: [
        // Serial columns: the owned sequence's nextval() is the serial itself, not a default.
        column('id', T.bigint, { nullable: false, serial: true }),
        column('seq', T.integer, { nullable: false, serial: true }),
        column('user_id', T.integer, { nullable: false }),
        column('kind', T.enum('mood'), { nullable: false }),
        column('at', T.timestamp(true), { nullable: false, default: sql('now()') }),
        column('counter', T.integer, { nullable: false, identity: identity(false) }),
        column('countdown', T.bigint, { nullable: false, identity: identity(false, -10, -2) }),
      ],
      primaryKey: { name: 'pk_events', columns: ['id'] },
      foreignKeys: [
        foreignKey('fk_events_user_id_users', ['user_id'], 'users', ['id'], {
          onDelete: 'cascade',
        }),
      ],
      uniques: [{ name: 'uq_events_user_id', columns: ['user_id', 'at'], nullsNotDistinct: false }],
      indexes: [index('ix_events_user_id', ['user_id', { column: 'at', order: 'desc' }])],
      comment: "audit trail: it's append-only",
    }),
  ],
  enums: [
    { schema: undefined, name: 'mood', values: ['sad', 'ok', 'happy'] },
    { schema: 'app', name: 'role', values: ['member', 'admin', 'owner'] },
  ],
  ...NO_SCHEMA_OBJECTS,
}

/**
 * A schema written by hand, as psql users, ORMs and other migration tools write it: SERIAL,
 * inline constraints named by PostgreSQL, a sequence default that no column owns, a generated
 * column, a domain, partitions, an exclusion constraint, and types the DSL has no function for.
 */
const rawSchema = `
CREATE SCHEMA billing;
CREATE TYPE billing.plan AS ENUM ('free', 'pro', 'team');
CREATE DOMAIN billing.amount AS numeric(12,2) CHECK (VALUE >= 0);
CREATE TABLE customers (
  id SERIAL PRIMARY KEY,
  email VARCHAR(200) NOT NULL UNIQUE,
  name TEXT,
  plan billing.plan NOT NULL DEFAULT 'free',
  balance NUMERIC(12, 2) DEFAULT 0 CHECK (balance >= 0),
  created TIMESTAMP WITH TIME ZONE DEFAULT now(),
  tags VARCHAR(20)[] DEFAULT '{}',
  code CHARACTER(5),
  flags BIT(3),
  span INTERVAL DAY TO SECOND,
  at_tz TIMETZ(2),
  rounded NUMERIC(5, -2),
  small SMALLSERIAL,
  UNIQUE NULLS NOT DISTINCT (name, plan)
);
COMMENT ON TABLE customers IS 'people who pay';
COMMENT ON COLUMN customers.email IS 'login';
CREATE INDEX customers_name_pattern ON customers (name text_pattern_ops) INCLUDE (email);
CREATE SEQUENCE invoice_numbers START 1000;
CREATE TABLE billing.invoices (
  customer_id INTEGER REFERENCES customers ON DELETE CASCADE DEFERRABLE,
  number BIGINT DEFAULT nextval('invoice_numbers'),
  issued DATE NOT NULL DEFAULT CURRENT_DATE,
  total DOUBLE PRECISION,
  tax DOUBLE PRECISION GENERATED ALWAYS AS (total * 0.2) STORED,
  net billing.amount,
  id BIGINT GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 10),
  PRIMARY KEY (customer_id, number),
  CONSTRAINT total_positive CHECK (total > 0)
);
CREATE INDEX ON billing.invoices (issued DESC NULLS LAST);
CREATE UNIQUE INDEX invoices_number_text ON billing.invoices ((number::text), (issued + 1))
  WHERE total IS NOT NULL;
ALTER TABLE customers ADD CONSTRAINT name_length CHECK (length(name) < 100) NOT VALID;
CREATE TABLE billing."Line Items" (id SERIAL PRIMARY KEY, "Qty" int CHECK ("Qty" > 0));
CREATE TABLE rooms (id int, area box, EXCLUDE USING gist (area WITH &&));
CREATE TABLE readings (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE readings_2024 PARTITION OF readings
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`

const expectedFromRaw: SchemaSnapshot = {
  tables: [
    table('customers', {
      columns: [
        column('id', T.integer, { nullable: false, serial: true }),
        column('email', T.varchar(200), { nullable: false, comment: 'login' }),
        column('name', T.text),
        column('plan', T.enum('plan', 'billing'), {
          nullable: false,
          default: sql("'free'::billing.plan"),
        }),
        column('balance', T.numeric(12, 2), { default: sql('0') }),
        column('created', T.timestamp(true), { default: sql('now()') }),
        column('tags', T.array(T.varchar(20)), {
          default: sql("'{}'::character varying[]"),
        }),
        column('code', T.char(5)),
        column('flags', T.custom('bit(3)')),
        column('span', T.custom('interval day to second')),
        column('at_tz', T.time(true, 2)),
        // PostgreSQL 15 allows a negative scale (manual, 8.1.2).
        column('rounded', T.numeric(5, -2)),
        column('small', T.smallint, { nullable: false, serial: true }),
      ],
      primaryKey: { name: 'customers_pkey', columns: ['id'] },
      uniques: [
        { name: 'customers_email_key', columns: ['email'], nullsNotDistinct: false },
        { name: 'customers_name_plan_key', columns: ['name', 'plan'], nullsNotDistinct: true },
      ],
      checks: [
        { name: 'customers_balance_check', expression: 'balance >= 0::numeric' },
        // NOT VALID is a state of the constraint, not part of its expression.
        { name: 'name_length', expression: 'length(name) < 100' },
      ],
      indexes: [
        index('customers_name_pattern', [{ column: 'name', opclass: 'text_pattern_ops' }], {
          include: ['email'],
        }),
      ],
      comment: 'people who pay',
    }),
    // The partitioned table is read with its partition, which is no table of its own.
    table('readings', {
      columns: [column('id', T.bigint), column('at', T.timestamp(true), { nullable: false })],
      partitionBy: { strategy: 'range', elements: ['at'] },
      partitions: [
        {
          schema: undefined,
          name: 'readings_2024',
          bound: {
            kind: 'range',
            from: ["'2024-01-01 00:00:00+00'"],
            to: ["'2025-01-01 00:00:00+00'"],
          },
          comment: undefined,
        },
      ],
    }),
    // The exclusion constraint's index belongs to the constraint: it is no index of its own.
    table('rooms', {
      columns: [column('id', T.integer), column('area', T.custom('box'))],
      exclusions: [
        {
          name: 'rooms_area_excl',
          elements: [{ ...element('area'), operator: '&&' }],
          method: 'gist',
          where: undefined,
          include: [],
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
    }),
    // A serial column whose sequence needs quoting and its schema.
    table('Line Items', {
      schema: 'billing',
      columns: [
        column('id', T.integer, { nullable: false, serial: true }),
        column('Qty', T.integer),
      ],
      primaryKey: { name: 'Line Items_pkey', columns: ['id'] },
      checks: [{ name: 'Line Items_Qty_check', expression: '"Qty" > 0' }],
    }),
    table('invoices', {
      schema: 'billing',
      columns: [
        column('customer_id', T.integer, { nullable: false }),
        // A sequence no column owns: its nextval() is an ordinary default.
        column('number', T.bigint, {
          nullable: false,
          default: sql("nextval('invoice_numbers'::regclass)"),
        }),
        column('issued', T.date, { nullable: false, default: sql('CURRENT_DATE') }),
        column('total', T.double),
        // A generated column's expression is no default.
        column('tax', T.double, { generated: '(total * (0.2)::double precision)' }),
        column('net', T.custom('billing.amount')),
        column('id', T.bigint, { nullable: false, identity: identity(false, 10, 10) }),
      ],
      primaryKey: { name: 'invoices_pkey', columns: ['customer_id', 'number'] },
      foreignKeys: [
        foreignKey('invoices_customer_id_fkey', ['customer_id'], 'customers', ['id'], {
          onDelete: 'cascade',
          deferrable: true,
        }),
      ],
      checks: [{ name: 'total_positive', expression: 'total > 0::double precision' }],
      indexes: [
        index('invoices_issued_idx', [{ column: 'issued', order: 'desc', nulls: 'last' }]),
        index(
          'invoices_number_text',
          [{ expression: 'number::text' }, { expression: 'issued + 1' }],
          { unique: true, where: 'total IS NOT NULL' },
        ),
      ],
    }),
  ],
  enums: [{ schema: 'billing', name: 'plan', values: ['free', 'pro', 'team'] }],
  ...NO_SCHEMA_OBJECTS,
  domains: [
    {
      schema: 'billing',
      name: 'amount',
      type: T.numeric(12, 2),
      default: undefined,
      notNull: false,
      checks: [{ name: 'amount_check', expression: 'VALUE >= 0::numeric' }],
    },
  ],
  sequences: [sequenceDef('invoice_numbers', { start: 1000 })],
}

/** A connection that counts statements and notices any that overlap. */
function counting(connection: Connection) {
  const stats = { queries: 0, scripts: 0, overlapped: false }
  let running = 0
  const track = async <T>(body: () => Promise<T>): Promise<T> => {
    if (running > 0) stats.overlapped = true
    running++
    try {
      return await body()
    } finally {
      running--
    }
  }
  const wrapped: Connection = {
    query: (text, params) => {
      stats.queries++
      return track(() => connection.query(text, params))
    },
    execute: (text) => {
      stats.scripts++
      return track(() => connection.execute(text))
    },
    queryScript: (text) => {
      stats.scripts++
      return track(() => connection.queryScript(text))
    },
    lostReason: () => connection.lostReason(),
    close: () => connection.close(),
  }
  return { connection: wrapped, stats }
}

/** `count` more tables of 3 columns, a key, an index and a foreign key each. */
function manyTables(count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `CREATE TABLE bulk_${i} (id int PRIMARY KEY, ref int REFERENCES plain_keys, note text DEFAULT 'n${i}');
       CREATE INDEX ON bulk_${i} (lower(note));`,
  ).join('\n')
}

function tableNamed(snapshot: SchemaSnapshot, schema: string | undefined, name: string): TableDef {
  const found = snapshot.tables.find((t) => t.schema === schema && t.name === name)
  if (found === undefined) throw new Error(`no table ${schema ?? ''}.${name}`)
  return found
}

describe.each(backends())('introspect on $backend', ({ backend, skip }) => {
  let s: DialectSession | undefined

  beforeAll(async () => {
    if (skip) return
    s = await openSession(backend)
    for (const op of buildOps(model)) await s.run(op)
  })

  afterAll(async () => {
    await s?.close()
  })

  it.skipIf(skip)('reads a schema built from DSL models exactly, field by field', async () => {
    const read = await s!.dialect.introspector.introspect(s!.connection)
    expect(read.enums).toStrictEqual(expectedFromModel.enums)
    expect(read.tables.map((t) => [t.schema, t.name])).toStrictEqual(
      expectedFromModel.tables.map((t) => [t.schema, t.name]),
    )
    for (const [i, expected] of expectedFromModel.tables.entries()) {
      const actual = read.tables[i]!
      // Column by column first, so that a failure names the column.
      for (const [k, c] of expected.columns.entries()) {
        expect({ table: expected.name, ...actual.columns[k] }).toStrictEqual({
          table: expected.name,
          ...c,
        })
      }
      expect(actual).toStrictEqual(expected)
    }
    expect(read).toStrictEqual(expectedFromModel)
  })

  it.skipIf(skip)('agrees with the model on everything but spelling', async () => {
    // Names, column order, types (but char() and numeric(12)), keys and indexes are as modelled.
    const read = await s!.dialect.introspector.introspect(s!.connection)
    const shape = (snapshot: SchemaSnapshot) =>
      snapshot.tables.map((t) => ({
        table: [t.schema, t.name, t.comment],
        columns: t.columns.map((c) => [c.name, c.nullable, c.identity, c.serial, c.comment]),
        primaryKey: t.primaryKey,
        foreignKeys: t.foreignKeys,
        uniques: t.uniques,
        checks: t.checks.map((c) => c.name),
        indexes: t.indexes.map((x) => [x.name, x.unique, x.method, x.include, x.elements.length]),
      }))
    expect(shape(read)).toStrictEqual(shape(model))
    expect(read.enums).toStrictEqual(model.enums)
  })

  it.skipIf(skip)('reads a schema written in plain SQL, with PostgreSQL-chosen names', async () => {
    const raw = await openSession(backend)
    try {
      await raw.connection.execute(rawSchema)
      const read = await raw.dialect.introspector.introspect(raw.connection)
      expect(read).toStrictEqual(expectedFromRaw)
      // What introspection reads is already in PostgreSQL's spelling.
      expect(await raw.dialect.introspector.normalize(raw.connection, read)).toStrictEqual(read)
    } finally {
      await raw.close()
    }
  })

  it.skipIf(skip)("skips generated columns' expressions, stored or virtual", async () => {
    const db = await openSession(backend)
    try {
      // PostgreSQL 18 (PGlite) adds virtual generated columns, its default kind.
      const virtual = backend === 'pglite' ? ', c int GENERATED ALWAYS AS (a * 3)' : ''
      await db.connection.execute(
        `CREATE TABLE g (a int DEFAULT 1, b int GENERATED ALWAYS AS (a * 2) STORED${virtual})`,
      )
      const read = await db.dialect.introspector.introspect(db.connection)
      expect(read.tables[0]?.columns.map((c) => [c.name, c.default])).toStrictEqual([
        ['a', sql('1')],
        ['b', undefined],
        ...(backend === 'pglite' ? [['c', undefined]] : []),
      ])
    } finally {
      await db.close()
    }
  })

  it.skipIf(skip)('never reports NOT NULL constraints as constraints', async () => {
    const notNull = await s!.rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'n'`,
    )
    // PostgreSQL 18 (PGlite) records them in pg_constraint; older servers do not.
    if (backend === 'pglite') expect(notNull[0]!.n).toBeGreaterThan(0)
    const read = await s!.dialect.introspector.introspect(s!.connection)
    const constraintNames = read.tables.flatMap((t) => [
      ...t.checks.map((c) => c.name),
      ...t.uniques.map((u) => u.name),
      ...t.foreignKeys.map((f) => f.name),
    ])
    expect(constraintNames.filter((name) => name?.endsWith('_not_null'))).toStrictEqual([])
    expect(read.tables.flatMap((t) => t.checks)).toHaveLength(2)
  })

  it.skipIf(skip)('honours schemas, excludeTables and defaultSchema', async () => {
    const introspector = s!.dialect.introspector
    const only = await introspector.introspect(s!.connection, { schemas: ['app'] })
    expect(only.tables.map((t) => [t.schema, t.name])).toStrictEqual([['app', 'accounts']])
    expect(only.enums.map((e) => [e.schema, e.name])).toStrictEqual([['app', 'role']])

    const excluded = await introspector.introspect(s!.connection, {
      excludeTables: ['plain', 'audit.events', 'app.nonexistent'],
    })
    expect(excluded.tables.map((t) => [t.schema, t.name])).toStrictEqual([
      [undefined, 'users'],
      ['app', 'accounts'],
    ])
    // A foreign key to an excluded table is still reported.
    const audit = await introspector.introspect(s!.connection, {
      schemas: ['audit'],
      excludeTables: ['events'],
    })
    expect(audit.tables.map((t) => t.name)).toStrictEqual(['events'])
    const publicExcluded = await introspector.introspect(s!.connection, {
      excludeTables: ['public.users', 'events'],
    })
    expect(publicExcluded.tables.map((t) => [t.schema, t.name])).toStrictEqual([
      [undefined, 'plain'],
      ['app', 'accounts'],
      ['audit', 'events'],
    ])
    expect(tableNamed(publicExcluded, 'audit', 'events').foreignKeys[0]?.referencedTable).toBe(
      'users',
    )

    // With `app` as the default schema, public objects are qualified and app's are not.
    const fromApp = await introspector.introspect(s!.connection, { defaultSchema: 'app' })
    expect(fromApp.tables.map((t) => [t.schema, t.name])).toStrictEqual([
      [undefined, 'accounts'],
      ['audit', 'events'],
      ['public', 'plain'],
      ['public', 'users'],
    ])
    expect(fromApp.enums.map((e) => [e.schema, e.name])).toStrictEqual([
      [undefined, 'role'],
      ['public', 'mood'],
    ])
    const users = tableNamed(fromApp, 'public', 'users')
    expect(users.foreignKeys[0]?.referencedSchema).toBeUndefined()
    expect(users.columns.find((c) => c.name === 'feeling')?.type).toStrictEqual(
      T.enum('mood', 'public'),
    )
    expect(tableNamed(fromApp, 'audit', 'events').foreignKeys[0]?.referencedSchema).toBe('public')
    expect(tableNamed(fromApp, undefined, 'accounts').columns[2]?.type).toStrictEqual(
      T.enum('role'),
    )

    const none = await introspector.introspect(s!.connection, { schemas: ['no_such_schema'] })
    expect(none).toStrictEqual({ tables: [], enums: [], ...NO_SCHEMA_OBJECTS })
  })

  it.skipIf(skip)(
    'uses a fixed number of queries, one at a time, whatever the number of tables',
    async () => {
      const other = await openSession(backend)
      try {
        await other.connection.execute('CREATE TABLE plain_keys (id int PRIMARY KEY)')
        await other.connection.execute(manyTables(3))
        const small = counting(other.connection)
        const few = await other.dialect.introspector.introspect(small.connection)
        await other.connection.execute(manyTables(120).replaceAll('bulk_', 'more_'))
        const large = counting(other.connection)
        const many = await other.dialect.introspector.introspect(large.connection)
        expect(few.tables).toHaveLength(4)
        expect(many.tables).toHaveLength(124)
        expect(large.stats).toStrictEqual(small.stats)
        // One query per kind of object (tables, columns, constraints, indexes, operator classes,
        // enums, exclusion constraints, partitioning, sequences, views, ...), never per table.
        expect(large.stats.queries).toBeLessThanOrEqual(15)
        expect(large.stats.overlapped).toBe(false)
        expect(tableNamed(many, undefined, 'more_7')).toStrictEqual(
          table('more_7', {
            columns: [
              column('id', T.integer, { nullable: false }),
              column('ref', T.integer),
              column('note', T.text, { default: sql("'n7'::text") }),
            ],
            primaryKey: { name: 'more_7_pkey', columns: ['id'] },
            foreignKeys: [foreignKey('more_7_ref_fkey', ['ref'], 'plain_keys', ['id'])],
            indexes: [index('more_7_lower_idx', [{ expression: 'lower(note)' }])],
          }),
        )
      } finally {
        await other.close()
      }
    },
  )

  it.skipIf(skip)('reads an empty database as an empty snapshot', async () => {
    const empty = await openSession(backend)
    try {
      expect(await empty.dialect.introspector.introspect(empty.connection)).toStrictEqual({
        tables: [],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      })
    } finally {
      await empty.close()
    }
  })
})
