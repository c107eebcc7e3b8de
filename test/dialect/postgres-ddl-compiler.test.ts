import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOperationError } from '../../src/dialect/invalid-operation-error.ts'
import { PostgresDdlCompiler } from '../../src/dialect/postgres/postgres-ddl-compiler.ts'
import type { MigrationOp, MigrationOpKind } from '../../src/operations/migration-op.ts'
import type {
  ColumnDef,
  IndexElement,
  LiteralValue,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import {
  column,
  element,
  foreignKey,
  index,
  lit,
  sql,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'
import { CODE_OBJECT_DDL_CASES } from './postgres-code-object-ddl-cases.ts'
import { PARTITION_DDL_CASES } from './postgres-partition-ddl-cases.ts'
import { SCHEMA_OBJECT_DDL_CASES } from './postgres-schema-object-ddl-cases.ts'

/**
 * Every operation kind and option, compiled to its expected SQL and then run, in order, against
 * PGlite and the PostgreSQL server, with its effect checked in the catalogs. The cases form one
 * script: each runs on the state the earlier ones left.
 */

/** The dialects whose SQL every case spells out; adding one fails to compile until each has it. */
type Dialects = 'postgres'

interface Case {
  readonly name: string
  readonly op: MigrationOp
  readonly sql: Readonly<Record<Dialects, readonly string[]>>
  /** Checks the effect in the database after the op ran. */
  readonly check?: (s: DialectSession) => Promise<void>
}

const compiler = new PostgresDdlCompiler()

// ---------------------------------------------------------------------------------------------
// app.users: one column per type and literal-default kind.

const when = new Date('2024-05-06T07:08:09.123Z')

const userColumns: readonly ColumnDef[] = [
  column('id', T.bigint, {
    nullable: false,
    identity: { always: true, start: 100, increment: 10 },
    comment: 'Surrogate key',
  }),
  column('legacy', T.integer, { nullable: false, serial: true }),
  column('email', T.varchar(255), { nullable: false, comment: "Login; it's unique" }),
  column('name', T.text, { default: lit('anonymous') }),
  column('level', T.text, { default: lit('low') }),
  column('active', T.boolean, { nullable: false, default: lit(true) }),
  column('score', T.numeric(10, 2), { default: lit(0) }),
  column('ratio', T.double, { default: lit(1.5) }),
  column('small', T.smallint, { default: lit(-1) }),
  column('big', T.bigint, { default: lit(9007199254740993n) }),
  column('weight', T.real, { default: lit(Number.NaN) }),
  column('amount', T.numeric(12)),
  column('total', T.numeric(), { default: lit(Number.NEGATIVE_INFINITY) }),
  column('created', T.timestamp(true, 3), { nullable: false, default: sql('now()') }),
  column('updated', T.timestamp(false), { default: lit(when) }),
  column('seen', T.timestamp(true), { default: lit(when) }),
  column('birthday', T.date, { default: lit(new Date('2000-01-02T00:00:00Z')) }),
  column('wake', T.time(false, 0), { default: lit(new Date('1970-01-01T07:30:00Z')) }),
  column('alarm', T.time(true), { default: lit(new Date('1970-01-01T06:00:00Z')) }),
  column('tags', T.array(T.text), { default: lit(['a', 'b"c', null]) }),
  column('matrix', T.array(T.array(T.integer)), {
    default: lit([
      [1, 2],
      [3, 4],
    ]),
  }),
  column('prefs', T.jsonb, { nullable: false, default: lit({ theme: 'dark', n: 1 }) }),
  column('history', T.json, { default: lit([1, 'two']) }),
  column('label', T.jsonb, { default: lit("it's") }),
  column('avatar', T.bytea, { default: lit(new Uint8Array([0xde, 0xad, 0xbe, 0xef])) }),
  column('mood', T.enum('mood', 'app'), { default: lit('ok') }),
  column('moods', T.array(T.enum('mood', 'app')), { default: lit(['sad', 'happy']) }),
  column('status', T.enum('status'), { default: lit('active') }),
  column('uid', T.uuid, { nullable: false, default: sql('gen_random_uuid()') }),
  column('span', T.interval, { default: lit('1 day') }),
  column('code', T.char(3)),
  column('initial', T.char()),
  column('note', T.varchar()),
  column('search', T.custom('tsvector')),
  column('nothing', T.text, { default: lit(null) }),
  column('dates', T.array(T.date), { default: lit([new Date('2000-01-02T00:00:00Z')]) }),
  column('docs', T.array(T.jsonb), { default: lit([{ a: 1 }, [1, 2]]) }),
  column('stamps', T.array(T.timestamp(true, 3))),
  column('short', T.array(T.varchar(20))),
  column('blobs', T.array(T.bytea), { default: lit([new Uint8Array([1])]) }),
]

const users: TableDef = table('users', {
  schema: 'app',
  columns: userColumns,
  primaryKey: { name: 'users_pkey', columns: ['id'] },
  uniques: [{ name: 'users_email_key', columns: ['email'], nullsNotDistinct: false }],
  checks: [{ name: 'users_score_check', expression: 'score >= 0' }],
  indexes: [index('ix_users_name', ['name'])],
  comment: 'Registered users',
})

/** Each column's definition as written in CREATE TABLE. */
const userColumnSql = [
  'id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) NOT NULL',
  'legacy serial NOT NULL',
  'email character varying(255) NOT NULL',
  "name text DEFAULT 'anonymous'",
  "level text DEFAULT 'low'",
  'active boolean DEFAULT true NOT NULL',
  'score numeric(10,2) DEFAULT 0',
  'ratio double precision DEFAULT 1.5',
  'small smallint DEFAULT -1',
  'big bigint DEFAULT 9007199254740993',
  "weight real DEFAULT 'NaN'",
  'amount numeric(12,0)',
  "total numeric DEFAULT '-Infinity'",
  'created timestamp(3) with time zone DEFAULT now() NOT NULL',
  "updated timestamp without time zone DEFAULT '2024-05-06T07:08:09.123'",
  "seen timestamp with time zone DEFAULT '2024-05-06T07:08:09.123Z'",
  "birthday date DEFAULT '2000-01-02'",
  "wake time(0) without time zone DEFAULT '07:30:00.000'",
  "alarm time with time zone DEFAULT '06:00:00.000+00'",
  `tags text[] DEFAULT E'{"a","b\\\\"c",NULL}'`,
  `matrix integer[][] DEFAULT '{{"1","2"},{"3","4"}}'`,
  `prefs jsonb DEFAULT '{"theme":"dark","n":1}' NOT NULL`,
  `history json DEFAULT '[1,"two"]'`,
  `label jsonb DEFAULT '"it''s"'`,
  "avatar bytea DEFAULT E'\\\\xdeadbeef'::bytea",
  "mood app.mood DEFAULT 'ok'",
  `moods app.mood[] DEFAULT '{"sad","happy"}'`,
  "status status DEFAULT 'active'",
  'uid uuid DEFAULT gen_random_uuid() NOT NULL',
  "span interval DEFAULT '1 day'",
  'code character(3)',
  'initial character(1)',
  'note character varying',
  'search tsvector',
  'nothing text DEFAULT NULL',
  `dates date[] DEFAULT '{"2000-01-02"}'`,
  `docs jsonb[] DEFAULT E'{"{\\\\"a\\\\":1}","[1,2]"}'`,
  'stamps timestamp(3) with time zone[]',
  'short character varying(20)[]',
  `blobs bytea[] DEFAULT E'{"\\\\\\\\x01"}'`,
]

/** The default row's values as PostgreSQL prints them (`::text`, TimeZone UTC). */
const userDefaultsAsText: Readonly<Record<string, string | null>> = {
  id: '100',
  legacy: '1',
  email: 'a@example.com',
  name: 'anonymous',
  level: 'low',
  active: 'true',
  score: '0.00',
  ratio: '1.5',
  small: '-1',
  big: '9007199254740993',
  weight: 'NaN',
  amount: null,
  total: '-Infinity',
  updated: '2024-05-06 07:08:09.123',
  seen: '2024-05-06 07:08:09.123+00',
  birthday: '2000-01-02',
  wake: '07:30:00',
  alarm: '06:00:00+00',
  tags: '{a,"b\\"c",NULL}',
  matrix: '{{1,2},{3,4}}',
  prefs: '{"n": 1, "theme": "dark"}',
  history: '[1,"two"]',
  label: '"it\'s"',
  avatar: '\\xdeadbeef',
  mood: 'ok',
  moods: '{sad,happy}',
  status: 'active',
  span: '1 day',
  code: null,
  initial: null,
  note: null,
  search: null,
  nothing: null,
  dates: '{2000-01-02}',
  docs: '{"{\\"a\\": 1}","[1, 2]"}',
  stamps: null,
  short: null,
  blobs: '{"\\\\x01"}',
}

// ---------------------------------------------------------------------------------------------
// app.order_items: composite key, unnamed constraints, a deferrable foreign key, IF NOT EXISTS.

const orderItems: TableDef = table('order_items', {
  schema: 'app',
  columns: [
    column('order_id', T.integer, { nullable: false }),
    column('line', T.integer, {
      nullable: false,
      identity: { always: false, start: undefined, increment: undefined },
    }),
    column('user_id', T.bigint),
    column('sku', T.text),
    column('variant', T.text),
    column('qty', T.integer, { nullable: false, default: lit(1), comment: 'How many; at least 1' }),
    column('attrs', T.jsonb),
  ],
  primaryKey: { name: undefined, columns: ['order_id', 'line'] },
  foreignKeys: [
    foreignKey('fk_items_user', ['user_id'], 'users', ['id'], {
      referencedSchema: 'app',
      onDelete: 'cascade',
      onUpdate: 'no action',
      deferrable: true,
      initiallyDeferred: true,
    }),
  ],
  uniques: [{ name: undefined, columns: ['sku', 'variant'], nullsNotDistinct: true }],
  checks: [{ name: undefined, expression: 'qty > 0' }],
  indexes: [
    index('ix_items_attrs', [{ column: 'attrs', opclass: 'jsonb_path_ops' }], { method: 'gin' }),
  ],
})

const orderItemsSql = [
  `CREATE TABLE IF NOT EXISTS app.order_items (
    order_id integer NOT NULL,
    line integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    user_id bigint,
    sku text,
    variant text,
    qty integer DEFAULT 1 NOT NULL,
    attrs jsonb,
    PRIMARY KEY (order_id, line),
    CONSTRAINT fk_items_user FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,
    UNIQUE NULLS NOT DISTINCT (sku, variant),
    CHECK (qty > 0)
)`,
  'CREATE INDEX IF NOT EXISTS ix_items_attrs ON app.order_items USING gin (attrs jsonb_path_ops)',
  "COMMENT ON COLUMN app.order_items.qty IS 'How many; at least 1'",
]

// ---------------------------------------------------------------------------------------------
// Catalog readers.

interface ColumnInfo {
  readonly type: string
  readonly notNull: boolean
  readonly default: string | null
  readonly identity: string
  readonly comment: string | null
}

async function columnsOf(s: DialectSession, relation: string): Promise<Record<string, ColumnInfo>> {
  const rows = await s.rows<{
    name: string
    type: string
    not_null: boolean
    default: string | null
    identity: string
    comment: string | null
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity,
            col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [relation],
  )
  return Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        type: r.type,
        notNull: r.not_null,
        default: r.default,
        identity: r.identity,
        comment: r.comment,
      },
    ]),
  )
}

/** Table constraints (not the NOT NULL entries PostgreSQL 18 also lists) by name. */
async function constraintsOf(s: DialectSession, relation: string): Promise<Record<string, string>> {
  const rows = await s.rows<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'f', 'u', 'c') ORDER BY conname`,
    [relation],
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.def]))
}

async function indexesOf(s: DialectSession, relation: string): Promise<Record<string, string>> {
  const rows = await s.rows<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass ORDER BY c.relname`,
    [relation],
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.def]))
}

async function enumValues(s: DialectSession, type: string): Promise<string[]> {
  const rows = await s.rows<{ label: string }>(
    'SELECT enumlabel AS label FROM pg_enum WHERE enumtypid = $1::regtype ORDER BY enumsortorder',
    [type],
  )
  return rows.map((r) => r.label)
}

async function tableComment(s: DialectSession, relation: string): Promise<string | null> {
  const rows = await s.rows<{ comment: string | null }>(
    "SELECT obj_description($1::regclass, 'pg_class') AS comment",
    [relation],
  )
  return rows[0]?.comment ?? null
}

async function exists(s: DialectSession, kind: 'regclass' | 'regtype', name: string) {
  const rows = await s.rows<{ found: string | null }>(`SELECT to_${kind}($1)::text AS found`, [
    name,
  ])
  return rows[0]?.found !== null
}

/** Every value of `columns` as text, in `order`. */
async function textRows(
  s: DialectSession,
  relation: string,
  columns: readonly string[],
  order: string,
): Promise<Record<string, string | null>[]> {
  const list = columns
    .map((c) => `${compiler.quoteIdentifier(c)}::text AS ${compiler.quoteIdentifier(c)}`)
    .join(', ')
  return s.rows(`SELECT ${list} FROM ${relation} ORDER BY ${order}`)
}

const bigInsertRows = 65_536

function placeholders(rows: number): string {
  return Array.from({ length: rows }, (_, i) => `($${i + 1})`).join(', ')
}

// ---------------------------------------------------------------------------------------------
// The script.

const cases: readonly Case[] = [
  {
    name: 'createSchema',
    op: { kind: 'createSchema', name: 'app', ifNotExists: false },
    sql: { postgres: ['CREATE SCHEMA app'] },
  },
  {
    name: 'createSchema ifNotExists (exists: skipped)',
    op: { kind: 'createSchema', name: 'app', ifNotExists: true },
    sql: { postgres: ['CREATE SCHEMA IF NOT EXISTS app'] },
  },
  {
    name: 'createSchema for a plain drop later',
    op: { kind: 'createSchema', name: 'archive', ifNotExists: false },
    sql: { postgres: ['CREATE SCHEMA archive'] },
  },
  {
    name: 'createEnum, schema-qualified',
    op: {
      kind: 'createEnum',
      enum: { schema: 'app', name: 'mood', values: ['sad', 'ok', 'happy'] },
      ifNotExists: false,
    },
    sql: { postgres: ["CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy')"] },
    check: async (s) => expect(await enumValues(s, 'app.mood')).toEqual(['sad', 'ok', 'happy']),
  },
  {
    name: 'createEnum ifNotExists (exists: the DO block ignores duplicate_object)',
    op: {
      kind: 'createEnum',
      enum: { schema: 'app', name: 'mood', values: ['other'] },
      ifNotExists: true,
    },
    sql: {
      postgres: [
        `DO $aludel$
BEGIN
    CREATE TYPE app.mood AS ENUM ('other');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$aludel$`,
      ],
    },
    check: async (s) => expect(await enumValues(s, 'app.mood')).toEqual(['sad', 'ok', 'happy']),
  },
  {
    name: 'createEnum ifNotExists (new: created)',
    op: {
      kind: 'createEnum',
      enum: { schema: 'app', name: 'priority', values: ['low', 'high'] },
      ifNotExists: true,
    },
    sql: {
      postgres: [
        `DO $aludel$
BEGIN
    CREATE TYPE app.priority AS ENUM ('low', 'high');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$aludel$`,
      ],
    },
    check: async (s) => expect(await enumValues(s, 'app.priority')).toEqual(['low', 'high']),
  },
  {
    name: 'createEnum in the default schema',
    op: {
      kind: 'createEnum',
      enum: { schema: undefined, name: 'status', values: ['active', 'archived'] },
      ifNotExists: false,
    },
    sql: { postgres: ["CREATE TYPE status AS ENUM ('active', 'archived')"] },
  },
  {
    name: 'createTable with every type, literal default, identity, serial, comments',
    op: { kind: 'createTable', table: users, ifNotExists: false },
    sql: {
      postgres: [
        `CREATE TABLE app.users (\n${[
          ...userColumnSql,
          'CONSTRAINT users_pkey PRIMARY KEY (id)',
          'CONSTRAINT users_email_key UNIQUE (email)',
          'CONSTRAINT users_score_check CHECK (score >= 0)',
        ]
          .map((line) => `    ${line}`)
          .join(',\n')}\n)`,
        'CREATE INDEX ix_users_name ON app.users (name)',
        "COMMENT ON TABLE app.users IS 'Registered users'",
        "COMMENT ON COLUMN app.users.id IS 'Surrogate key'",
        "COMMENT ON COLUMN app.users.email IS 'Login; it''s unique'",
      ],
    },
    check: async (s) => {
      const columns = await columnsOf(s, 'app.users')
      // The mapper's spelling is format_type()'s, except for what PostgreSQL does not keep:
      // serial is an integer with a sequence, and array dimensions are not recorded.
      for (const c of userColumns) {
        const expected = c.serial ? 'integer' : compiler.types.sqlType(c.type).replace('[][]', '[]')
        expect(columns[c.name]?.type, c.name).toBe(expected)
        expect(columns[c.name]?.notNull, c.name).toBe(!c.nullable)
      }
      expect(columns.id?.identity).toBe('a')
      expect(columns.legacy?.default).toBe("nextval('app.users_legacy_seq'::regclass)")
      expect(columns.id?.comment).toBe('Surrogate key')
      expect(columns.email?.comment).toBe("Login; it's unique")
      expect(await tableComment(s, 'app.users')).toBe('Registered users')
      expect(
        await s.rows(
          `SELECT seqstart::int AS start, seqincrement::int AS increment FROM pg_sequence
            WHERE seqrelid = pg_get_serial_sequence('app.users', 'id')::regclass`,
        ),
      ).toEqual([{ start: 100, increment: 10 }])
      expect(await constraintsOf(s, 'app.users')).toEqual({
        users_email_key: 'UNIQUE (email)',
        users_pkey: 'PRIMARY KEY (id)',
        users_score_check: 'CHECK ((score >= (0)::numeric))',
      })
      expect(await indexesOf(s, 'app.users')).toEqual({
        ix_users_name: 'CREATE INDEX ix_users_name ON app.users USING btree (name)',
        users_email_key: 'CREATE UNIQUE INDEX users_email_key ON app.users USING btree (email)',
        users_pkey: 'CREATE UNIQUE INDEX users_pkey ON app.users USING btree (id)',
      })
      // The defaults, as values: one row of nothing but defaults.
      await s.connection.execute("INSERT INTO app.users (email) VALUES ('a@example.com')")
      const names = Object.keys(userDefaultsAsText)
      expect(await textRows(s, 'app.users', names, 'id')).toEqual([userDefaultsAsText])
    },
  },
  {
    name: 'createTable ifNotExists: composite key, unnamed constraints, deferrable foreign key',
    op: { kind: 'createTable', table: orderItems, ifNotExists: true },
    sql: { postgres: orderItemsSql },
    check: async (s) => {
      expect(await constraintsOf(s, 'app.order_items')).toEqual({
        fk_items_user:
          'FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
        order_items_pkey: 'PRIMARY KEY (order_id, line)',
        order_items_qty_check: 'CHECK ((qty > 0))',
        order_items_sku_variant_key: 'UNIQUE NULLS NOT DISTINCT (sku, variant)',
      })
      expect((await indexesOf(s, 'app.order_items')).ix_items_attrs).toBe(
        'CREATE INDEX ix_items_attrs ON app.order_items USING gin (attrs jsonb_path_ops)',
      )
      const columns = await columnsOf(s, 'app.order_items')
      expect(columns.line?.identity).toBe('d')
      expect(columns.qty?.comment).toBe('How many; at least 1')
    },
  },
  {
    name: 'createTable ifNotExists again (exists: every statement is harmless)',
    op: { kind: 'createTable', table: orderItems, ifNotExists: true },
    sql: { postgres: orderItemsSql },
  },
  {
    name: 'createTable without columns',
    op: { kind: 'createTable', table: table('empty'), ifNotExists: false },
    sql: { postgres: ['CREATE TABLE empty ()'] },
    check: async (s) => expect(await exists(s, 'regclass', 'empty')).toBe(true),
  },
  {
    name: 'createTable in the default schema',
    op: {
      kind: 'createTable',
      table: table('scratch', {
        columns: [
          column('a', T.integer, { nullable: false }),
          column('b', T.text, { nullable: false }),
        ],
      }),
      ifNotExists: false,
    },
    sql: { postgres: ['CREATE TABLE scratch (\n    a integer NOT NULL,\n    b text NOT NULL\n)'] },
  },
  {
    name: 'renameTable',
    op: { kind: 'renameTable', schema: undefined, from: 'scratch', to: 'scratch2' },
    sql: { postgres: ['ALTER TABLE scratch RENAME TO scratch2'] },
    check: async (s) => {
      expect(await exists(s, 'regclass', 'scratch')).toBe(false)
      expect(await exists(s, 'regclass', 'scratch2')).toBe(true)
    },
  },
  {
    name: 'createPrimaryKey, unnamed and composite',
    op: {
      kind: 'createPrimaryKey',
      schema: undefined,
      table: 'scratch2',
      primaryKey: { name: undefined, columns: ['a', 'b'] },
    },
    sql: { postgres: ['ALTER TABLE scratch2 ADD PRIMARY KEY (a, b)'] },
    check: async (s) =>
      expect(await constraintsOf(s, 'scratch2')).toEqual({ scratch2_pkey: 'PRIMARY KEY (a, b)' }),
  },
  {
    name: 'addColumn with a default and a comment',
    op: {
      kind: 'addColumn',
      schema: 'app',
      table: 'users',
      column: column('nickname', T.varchar(50), { default: lit('x'), comment: 'Shown to others' }),
      ifNotExists: false,
    },
    sql: {
      postgres: [
        "ALTER TABLE app.users ADD COLUMN nickname character varying(50) DEFAULT 'x'",
        "COMMENT ON COLUMN app.users.nickname IS 'Shown to others'",
      ],
    },
    check: async (s) => {
      const { nickname } = await columnsOf(s, 'app.users')
      expect(nickname).toEqual({
        type: 'character varying(50)',
        notNull: false,
        default: "'x'::character varying",
        identity: '',
        comment: 'Shown to others',
      })
    },
  },
  {
    name: 'addColumn ifNotExists (exists: skipped)',
    op: {
      kind: 'addColumn',
      schema: 'app',
      table: 'users',
      column: column('email', T.text),
      ifNotExists: true,
    },
    sql: { postgres: ['ALTER TABLE app.users ADD COLUMN IF NOT EXISTS email text'] },
    check: async (s) =>
      expect((await columnsOf(s, 'app.users')).email?.type).toBe('character varying(255)'),
  },
  {
    name: 'addColumn serial',
    op: {
      kind: 'addColumn',
      schema: 'app',
      table: 'users',
      column: column('seq', T.bigint, { nullable: false, serial: true }),
      ifNotExists: false,
    },
    sql: { postgres: ['ALTER TABLE app.users ADD COLUMN seq bigserial NOT NULL'] },
    check: async (s) => {
      const { seq } = await columnsOf(s, 'app.users')
      expect(seq?.type).toBe('bigint')
      expect(seq?.default).toBe("nextval('app.users_seq_seq'::regclass)")
    },
  },
  {
    name: 'addColumn identity with a start',
    op: {
      kind: 'addColumn',
      schema: 'app',
      table: 'users',
      column: column('ticket', T.integer, {
        nullable: false,
        identity: { always: false, start: 5, increment: undefined },
      }),
      ifNotExists: false,
    },
    sql: {
      postgres: [
        'ALTER TABLE app.users ADD COLUMN ticket integer GENERATED BY DEFAULT AS IDENTITY (START WITH 5) NOT NULL',
      ],
    },
    check: async (s) => {
      expect((await columnsOf(s, 'app.users')).ticket?.identity).toBe('d')
      expect(await s.rows('SELECT ticket FROM app.users')).toEqual([{ ticket: 5 }])
    },
  },
  {
    name: 'alterColumn type',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'small',
      changes: { type: { to: T.integer } },
    },
    sql: { postgres: ['ALTER TABLE app.users ALTER COLUMN small TYPE integer'] },
    check: async (s) => expect((await columnsOf(s, 'app.users')).small?.type).toBe('integer'),
  },
  {
    name: 'alterColumn type with using, nullability and default in one statement',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'level',
      changes: {
        type: { to: T.integer, using: 'length(level)' },
        nullable: { to: false },
        default: { to: lit(1) },
      },
    },
    sql: {
      postgres: [
        `ALTER TABLE app.users
    ALTER COLUMN level DROP DEFAULT,
    ALTER COLUMN level TYPE integer USING length(level),
    ALTER COLUMN level SET NOT NULL,
    ALTER COLUMN level SET DEFAULT 1`,
      ],
    },
    check: async (s) => {
      const { level } = await columnsOf(s, 'app.users')
      expect(level).toMatchObject({ type: 'integer', notNull: true, default: '1' })
      expect(await s.rows('SELECT level FROM app.users')).toEqual([{ level: 3 }])
    },
  },
  {
    name: 'alterColumn default alone (type unknown)',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'tags',
      changes: { default: { to: lit(['x', 'y']) } },
    },
    sql: { postgres: [`ALTER TABLE app.users ALTER COLUMN tags SET DEFAULT '{"x","y"}'`] },
    check: async (s) =>
      expect((await columnsOf(s, 'app.users')).tags?.default).toBe(`'{x,y}'::text[]`),
  },
  {
    name: 'alterColumn drop not null and drop default',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'active',
      changes: { nullable: { to: true }, default: { to: null } },
    },
    sql: {
      postgres: [
        `ALTER TABLE app.users
    ALTER COLUMN active DROP NOT NULL,
    ALTER COLUMN active DROP DEFAULT`,
      ],
    },
    check: async (s) =>
      expect((await columnsOf(s, 'app.users')).active).toMatchObject({
        notNull: false,
        default: null,
      }),
  },
  {
    name: 'alterColumn type, comment and rename: the rename comes last',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'nickname',
      changes: { type: { to: T.text }, comment: { to: 'Display name' }, name: { to: 'handle' } },
    },
    sql: {
      postgres: [
        'ALTER TABLE app.users ALTER COLUMN nickname TYPE text',
        "COMMENT ON COLUMN app.users.nickname IS 'Display name'",
        'ALTER TABLE app.users RENAME COLUMN nickname TO handle',
      ],
    },
    check: async (s) => {
      const columns = await columnsOf(s, 'app.users')
      expect(columns.nickname).toBeUndefined()
      expect(columns.handle).toMatchObject({ type: 'text', comment: 'Display name' })
    },
  },
  {
    name: 'alterColumn removes a comment',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'users',
      column: 'handle',
      changes: { comment: { to: null } },
    },
    sql: { postgres: ['COMMENT ON COLUMN app.users.handle IS NULL'] },
    check: async (s) => expect((await columnsOf(s, 'app.users')).handle?.comment).toBeNull(),
  },
  {
    name: 'createIndex unique, concurrently, if not exists, method, opclass, order, include, where',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'users',
      index: index(
        'ix_users_email',
        [{ column: 'email', opclass: 'varchar_pattern_ops', order: 'desc', nulls: 'last' }],
        { unique: true, method: 'btree', include: ['name'], where: 'active' },
      ),
      concurrently: true,
      ifNotExists: true,
    },
    sql: {
      postgres: [
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON app.users USING btree (email varchar_pattern_ops DESC NULLS LAST) INCLUDE (name) WHERE active',
      ],
    },
    check: async (s) =>
      expect((await indexesOf(s, 'app.users')).ix_users_email).toBe(
        'CREATE UNIQUE INDEX ix_users_email ON app.users USING btree (email varchar_pattern_ops DESC NULLS LAST) INCLUDE (name) WHERE active',
      ),
  },
  {
    name: 'createIndex on an expression and a descending column',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'users',
      index: index('ix_users_lower_name', [
        { expression: 'lower(name)' },
        { column: 'id', order: 'desc' },
      ]),
      concurrently: false,
      ifNotExists: false,
    },
    sql: { postgres: ['CREATE INDEX ix_users_lower_name ON app.users ((lower(name)), id DESC)'] },
    check: async (s) =>
      expect((await indexesOf(s, 'app.users')).ix_users_lower_name).toBe(
        'CREATE INDEX ix_users_lower_name ON app.users USING btree (lower(name), id DESC)',
      ),
  },
  {
    name: 'createIndex on an expression with an opclass, ASC NULLS LAST',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'users',
      index: index('ix_users_name_pattern', [
        { expression: 'lower(name)', opclass: 'text_pattern_ops', order: 'asc', nulls: 'last' },
      ]),
      concurrently: false,
      ifNotExists: false,
    },
    sql: {
      postgres: [
        'CREATE INDEX ix_users_name_pattern ON app.users ((lower(name)) text_pattern_ops ASC NULLS LAST)',
      ],
    },
    check: async (s) =>
      expect((await indexesOf(s, 'app.users')).ix_users_name_pattern).toBe(
        'CREATE INDEX ix_users_name_pattern ON app.users USING btree (lower(name) text_pattern_ops)',
      ),
  },
  {
    name: 'createIndex using brin',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'users',
      index: index('ix_users_created', ['created'], { method: 'brin' }),
      concurrently: false,
      ifNotExists: false,
    },
    sql: { postgres: ['CREATE INDEX ix_users_created ON app.users USING brin (created)'] },
    check: async (s) =>
      expect((await indexesOf(s, 'app.users')).ix_users_created).toBe(
        'CREATE INDEX ix_users_created ON app.users USING brin (created)',
      ),
  },
  {
    name: 'createIndex concurrently using gin, partial',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'users',
      index: index('ix_users_prefs', ['prefs'], { method: 'gin', where: "prefs ? 'theme'" }),
      concurrently: true,
      ifNotExists: false,
    },
    sql: {
      postgres: [
        "CREATE INDEX CONCURRENTLY ix_users_prefs ON app.users USING gin (prefs) WHERE prefs ? 'theme'",
      ],
    },
    check: async (s) =>
      expect((await indexesOf(s, 'app.users')).ix_users_prefs).toBe(
        "CREATE INDEX ix_users_prefs ON app.users USING gin (prefs) WHERE (prefs ? 'theme'::text)",
      ),
  },
  {
    name: 'dropIndex concurrently if exists',
    op: {
      kind: 'dropIndex',
      schema: 'app',
      name: 'ix_users_email',
      table: 'users',
      concurrently: true,
      ifExists: true,
      definition: undefined,
    },
    sql: { postgres: ['DROP INDEX CONCURRENTLY IF EXISTS app.ix_users_email'] },
    check: async (s) => expect(await exists(s, 'regclass', 'app.ix_users_email')).toBe(false),
  },
  {
    name: 'dropIndex',
    op: {
      kind: 'dropIndex',
      schema: 'app',
      name: 'ix_users_created',
      table: undefined,
      concurrently: false,
      ifExists: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP INDEX app.ix_users_created'] },
    check: async (s) => expect(await exists(s, 'regclass', 'app.ix_users_created')).toBe(false),
  },
  {
    name: 'dropIndex if exists (missing: skipped)',
    op: {
      kind: 'dropIndex',
      schema: 'app',
      name: 'no_such_index',
      table: undefined,
      concurrently: false,
      ifExists: true,
      definition: undefined,
    },
    sql: { postgres: ['DROP INDEX IF EXISTS app.no_such_index'] },
  },
  {
    name: 'createTable without constraints, to add them one by one',
    op: {
      kind: 'createTable',
      table: table('teams', {
        schema: 'app',
        columns: [
          column('id', T.integer, { nullable: false }),
          column('code', T.text, { nullable: false }),
          column('parent', T.integer),
        ],
      }),
      ifNotExists: false,
    },
    sql: {
      postgres: [
        'CREATE TABLE app.teams (\n    id integer NOT NULL,\n    code text NOT NULL,\n    parent integer\n)',
      ],
    },
  },
  {
    name: 'createPrimaryKey, named',
    op: {
      kind: 'createPrimaryKey',
      schema: 'app',
      table: 'teams',
      primaryKey: { name: 'teams_pkey', columns: ['id'] },
    },
    sql: { postgres: ['ALTER TABLE app.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id)'] },
  },
  {
    name: 'createUniqueConstraint, unnamed',
    op: {
      kind: 'createUniqueConstraint',
      schema: 'app',
      table: 'teams',
      unique: { name: undefined, columns: ['code'], nullsNotDistinct: false },
    },
    sql: { postgres: ['ALTER TABLE app.teams ADD UNIQUE (code)'] },
  },
  {
    name: 'createUniqueConstraint, named, nulls not distinct',
    op: {
      kind: 'createUniqueConstraint',
      schema: 'app',
      table: 'teams',
      unique: { name: 'uq_teams_code_parent', columns: ['code', 'parent'], nullsNotDistinct: true },
    },
    sql: {
      postgres: [
        'ALTER TABLE app.teams ADD CONSTRAINT uq_teams_code_parent UNIQUE NULLS NOT DISTINCT (code, parent)',
      ],
    },
  },
  {
    name: 'createCheckConstraint, named, not valid',
    op: {
      kind: 'createCheckConstraint',
      schema: 'app',
      table: 'teams',
      check: { name: 'ck_teams_code', expression: "code <> ''" },
      notValid: true,
    },
    sql: {
      postgres: ["ALTER TABLE app.teams ADD CONSTRAINT ck_teams_code CHECK (code <> '') NOT VALID"],
    },
    check: async (s) =>
      expect(
        await s.rows("SELECT convalidated FROM pg_constraint WHERE conname = 'ck_teams_code'"),
      ).toEqual([{ convalidated: false }]),
  },
  {
    name: 'createCheckConstraint, unnamed',
    op: {
      kind: 'createCheckConstraint',
      schema: 'app',
      table: 'teams',
      check: { name: undefined, expression: 'id > 0' },
      notValid: false,
    },
    sql: { postgres: ['ALTER TABLE app.teams ADD CHECK (id > 0)'] },
  },
  {
    name: 'createForeignKey, unnamed, to the primary key, with actions',
    op: {
      kind: 'createForeignKey',
      schema: 'app',
      table: 'teams',
      foreignKey: foreignKey(undefined, ['parent'], 'teams', [], {
        referencedSchema: 'app',
        onDelete: 'set null',
        onUpdate: 'restrict',
      }),
      notValid: false,
    },
    sql: {
      postgres: [
        'ALTER TABLE app.teams ADD FOREIGN KEY (parent) REFERENCES app.teams ON DELETE SET NULL ON UPDATE RESTRICT',
      ],
    },
    check: async (s) =>
      expect(await constraintsOf(s, 'app.teams')).toEqual({
        ck_teams_code: "CHECK ((code <> ''::text)) NOT VALID",
        teams_code_key: 'UNIQUE (code)',
        teams_id_check: 'CHECK ((id > 0))',
        teams_parent_fkey:
          'FOREIGN KEY (parent) REFERENCES app.teams(id) ON UPDATE RESTRICT ON DELETE SET NULL',
        teams_pkey: 'PRIMARY KEY (id)',
        uq_teams_code_parent: 'UNIQUE NULLS NOT DISTINCT (code, parent)',
      }),
  },
  {
    name: 'addColumn for a foreign key',
    op: {
      kind: 'addColumn',
      schema: 'app',
      table: 'users',
      column: column('team_id', T.integer),
      ifNotExists: false,
    },
    sql: { postgres: ['ALTER TABLE app.users ADD COLUMN team_id integer'] },
  },
  {
    name: 'createForeignKey, named, deferrable, not valid',
    op: {
      kind: 'createForeignKey',
      schema: 'app',
      table: 'users',
      foreignKey: foreignKey('fk_users_team', ['team_id'], 'teams', ['id'], {
        referencedSchema: 'app',
        onDelete: 'set default',
        deferrable: true,
      }),
      notValid: true,
    },
    sql: {
      postgres: [
        'ALTER TABLE app.users ADD CONSTRAINT fk_users_team FOREIGN KEY (team_id) REFERENCES app.teams (id) ON DELETE SET DEFAULT DEFERRABLE NOT VALID',
      ],
    },
    check: async (s) =>
      expect((await constraintsOf(s, 'app.users')).fk_users_team).toBe(
        'FOREIGN KEY (team_id) REFERENCES app.teams(id) ON DELETE SET DEFAULT DEFERRABLE NOT VALID',
      ),
  },
  {
    name: 'validateConstraint (the foreign key added not valid)',
    op: { kind: 'validateConstraint', schema: 'app', table: 'users', name: 'fk_users_team' },
    sql: { postgres: ['ALTER TABLE app.users VALIDATE CONSTRAINT fk_users_team'] },
    check: async (s) =>
      expect((await constraintsOf(s, 'app.users')).fk_users_team).toBe(
        'FOREIGN KEY (team_id) REFERENCES app.teams(id) ON DELETE SET DEFAULT DEFERRABLE',
      ),
  },
  {
    name: 'dropConstraint',
    op: {
      kind: 'dropConstraint',
      schema: 'app',
      table: 'teams',
      name: 'ck_teams_code',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.teams DROP CONSTRAINT ck_teams_code'] },
  },
  {
    name: 'dropConstraint if exists (missing: skipped)',
    op: {
      kind: 'dropConstraint',
      schema: 'app',
      table: 'teams',
      name: 'no_such_constraint',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.teams DROP CONSTRAINT IF EXISTS no_such_constraint'] },
  },
  {
    name: 'dropConstraint cascade (takes the foreign keys that depend on it)',
    op: {
      kind: 'dropConstraint',
      schema: 'app',
      table: 'teams',
      name: 'teams_pkey',
      ifExists: false,
      cascade: true,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.teams DROP CONSTRAINT teams_pkey CASCADE'] },
    check: async (s) => {
      expect(Object.keys(await constraintsOf(s, 'app.teams'))).toEqual([
        'teams_code_key',
        'teams_id_check',
        'uq_teams_code_parent',
      ])
      expect((await constraintsOf(s, 'app.users')).fk_users_team).toBeUndefined()
    },
  },
  {
    name: 'batchAlterTable (its operations one after the other, in order)',
    op: {
      kind: 'batchAlterTable',
      schema: 'app',
      table: 'teams',
      ops: [
        {
          kind: 'addColumn',
          schema: 'app',
          table: 'teams',
          column: column('motto', T.text, { default: lit('go') }),
          ifNotExists: false,
        },
        {
          kind: 'createCheckConstraint',
          schema: 'app',
          table: 'teams',
          check: { name: 'ck_teams_motto', expression: "motto <> ''" },
          notValid: false,
        },
        {
          kind: 'dropConstraint',
          schema: 'app',
          table: 'teams',
          name: 'ck_teams_motto',
          ifExists: false,
          cascade: false,
          definition: undefined,
        },
        {
          kind: 'dropColumn',
          schema: 'app',
          table: 'teams',
          column: 'motto',
          ifExists: false,
          cascade: false,
          definition: undefined,
        },
      ],
    },
    sql: {
      postgres: [
        "ALTER TABLE app.teams ADD COLUMN motto text DEFAULT 'go'",
        "ALTER TABLE app.teams ADD CONSTRAINT ck_teams_motto CHECK (motto <> '')",
        'ALTER TABLE app.teams DROP CONSTRAINT ck_teams_motto',
        'ALTER TABLE app.teams DROP COLUMN motto',
      ],
    },
    check: async (s) => expect(Object.keys(await columnsOf(s, 'app.teams'))).not.toContain('motto'),
  },
  {
    name: 'createIndex unique, for a constraint to adopt',
    op: {
      kind: 'createIndex',
      schema: 'app',
      table: 'teams',
      index: index('ix_teams_id', ['id'], { unique: true }),
      concurrently: false,
      ifNotExists: false,
    },
    sql: { postgres: ['CREATE UNIQUE INDEX ix_teams_id ON app.teams (id)'] },
  },
  {
    name: 'createUniqueConstraint using an index (which takes its name)',
    op: {
      kind: 'createUniqueConstraint',
      schema: 'app',
      table: 'teams',
      unique: { name: 'uq_teams_id', columns: ['id'], nullsNotDistinct: false },
      usingIndex: 'ix_teams_id',
    },
    sql: {
      postgres: ['ALTER TABLE app.teams ADD CONSTRAINT uq_teams_id UNIQUE USING INDEX ix_teams_id'],
    },
    check: async (s) => {
      expect((await constraintsOf(s, 'app.teams')).uq_teams_id).toBe('UNIQUE (id)')
      expect(await exists(s, 'regclass', 'app.ix_teams_id')).toBe(false)
      expect((await indexesOf(s, 'app.teams')).uq_teams_id).toBe(
        'CREATE UNIQUE INDEX uq_teams_id ON app.teams USING btree (id)',
      )
    },
  },
  {
    name: 'addEnumValue after',
    op: {
      kind: 'addEnumValue',
      schema: 'app',
      enum: 'mood',
      value: 'meh',
      before: undefined,
      after: 'ok',
      ifNotExists: false,
    },
    sql: { postgres: ["ALTER TYPE app.mood ADD VALUE 'meh' AFTER 'ok'"] },
  },
  {
    name: 'addEnumValue before',
    op: {
      kind: 'addEnumValue',
      schema: 'app',
      enum: 'mood',
      value: 'awful',
      before: 'sad',
      after: undefined,
      ifNotExists: false,
    },
    sql: { postgres: ["ALTER TYPE app.mood ADD VALUE 'awful' BEFORE 'sad'"] },
  },
  {
    name: 'addEnumValue if not exists (exists: skipped)',
    op: {
      kind: 'addEnumValue',
      schema: 'app',
      enum: 'mood',
      value: 'happy',
      before: undefined,
      after: undefined,
      ifNotExists: true,
    },
    sql: { postgres: ["ALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'happy'"] },
  },
  {
    name: 'addEnumValue at the end',
    op: {
      kind: 'addEnumValue',
      schema: 'app',
      enum: 'mood',
      value: 'ecstatic',
      before: undefined,
      after: undefined,
      ifNotExists: false,
    },
    sql: { postgres: ["ALTER TYPE app.mood ADD VALUE 'ecstatic'"] },
  },
  {
    name: 'renameEnumValue',
    op: { kind: 'renameEnumValue', schema: 'app', enum: 'mood', from: 'meh', to: 'fine' },
    sql: { postgres: ["ALTER TYPE app.mood RENAME VALUE 'meh' TO 'fine'"] },
    check: async (s) =>
      expect(await enumValues(s, 'app.mood')).toEqual([
        'awful',
        'sad',
        'ok',
        'fine',
        'happy',
        'ecstatic',
      ]),
  },
  {
    name: 'createTableComment',
    op: {
      kind: 'createTableComment',
      schema: 'app',
      table: 'teams',
      comment: "Teams, 'quoted'",
      previous: undefined,
    },
    sql: { postgres: ["COMMENT ON TABLE app.teams IS 'Teams, ''quoted'''"] },
    check: async (s) => expect(await tableComment(s, 'app.teams')).toBe("Teams, 'quoted'"),
  },
  {
    name: 'dropTableComment',
    op: { kind: 'dropTableComment', schema: 'app', table: 'teams', previous: undefined },
    sql: { postgres: ['COMMENT ON TABLE app.teams IS NULL'] },
    check: async (s) => expect(await tableComment(s, 'app.teams')).toBeNull(),
  },
  {
    // Options for MySQL and SQLite: PostgreSQL has nothing to do, and the table is as it was.
    name: 'alterTableOptions',
    op: {
      kind: 'alterTableOptions',
      schema: 'app',
      table: 'teams',
      options: { mysql: { engine: 'InnoDB' }, sqlite: { strict: true } },
      previous: undefined,
    },
    sql: { postgres: [] },
    check: async (s) => expect(await tableComment(s, 'app.teams')).toBeNull(),
  },
  ...PARTITION_DDL_CASES,
  ...CODE_OBJECT_DDL_CASES,
  ...SCHEMA_OBJECT_DDL_CASES,
  {
    name: 'execute with parameters',
    op: {
      kind: 'execute',
      sql: 'INSERT INTO app.teams (id, code) VALUES ($1, $2)',
      params: [100, 'core'],
    },
    sql: { postgres: ['INSERT INTO app.teams (id, code) VALUES ($1, $2)'] },
    check: async (s) =>
      expect(await s.rows('SELECT id, code FROM app.teams')).toEqual([{ id: 100, code: 'core' }]),
  },
  {
    name: 'execute without parameters',
    op: {
      kind: 'execute',
      sql: 'CREATE VIEW app.user_names AS SELECT id, name FROM app.users',
      params: [],
    },
    sql: { postgres: ['CREATE VIEW app.user_names AS SELECT id, name FROM app.users'] },
  },
  {
    name: 'bulkInsert in batches',
    op: {
      kind: 'bulkInsert',
      schema: 'app',
      table: 'teams',
      columns: ['id', 'code', 'parent'],
      rows: [
        [1, 'a', null],
        [2, 'b', 1],
        [3, 'c', 1],
        [4, 'd', 2],
        [5, 'e', null],
      ],
      batchSize: 2,
    },
    sql: {
      postgres: [
        'INSERT INTO app.teams (id, code, parent) VALUES ($1, $2, $3), ($4, $5, $6)',
        'INSERT INTO app.teams (id, code, parent) VALUES ($1, $2, $3), ($4, $5, $6)',
        'INSERT INTO app.teams (id, code, parent) VALUES ($1, $2, $3)',
      ],
    },
    check: async (s) =>
      expect(
        await s.rows('SELECT id, code, parent FROM app.teams WHERE id < 100 ORDER BY id'),
      ).toEqual([
        { id: 1, code: 'a', parent: null },
        { id: 2, code: 'b', parent: 1 },
        { id: 3, code: 'c', parent: 1 },
        { id: 4, code: 'd', parent: 2 },
        { id: 5, code: 'e', parent: null },
      ]),
  },
  {
    name: 'bulkInsert of every literal kind',
    op: {
      kind: 'bulkInsert',
      schema: 'app',
      table: 'users',
      columns: [
        'email',
        'prefs',
        'tags',
        'avatar',
        'updated',
        'seen',
        'birthday',
        'big',
        'moods',
        'matrix',
        'active',
        'dates',
        'docs',
        'ratio',
        'history',
      ],
      rows: [
        [
          'b@example.com',
          { theme: 'light', big: 12345678901234567890n },
          ['x', 'y "z"', null],
          new Uint8Array([0, 255]),
          when,
          when,
          new Date('1999-12-31T00:00:00Z'),
          9007199254740993n,
          ['ok', 'sad'],
          [
            [5, 6],
            [7, 8],
          ],
          false,
          [new Date('2001-02-03T00:00:00Z')],
          [{ k: 'v' }],
          -0.25,
          JSON.stringify([1, { two: 2 }]),
        ],
        [
          'c@example.com',
          {},
          [],
          new Uint8Array([]),
          null,
          null,
          null,
          null,
          [],
          [],
          true,
          [],
          [],
          null,
          null,
        ],
      ],
      batchSize: 1000,
    },
    sql: {
      postgres: [
        `INSERT INTO app.users (email, prefs, tags, avatar, updated, seen, birthday, big, moods, matrix, active, dates, docs, ratio, history) VALUES (${Array.from({ length: 15 }, (_, i) => `$${i + 1}`).join(', ')}), (${Array.from({ length: 15 }, (_, i) => `$${i + 16}`).join(', ')})`,
      ],
    },
    check: async (s) => {
      const columns = ['email', 'prefs', 'tags', 'avatar', 'updated', 'seen', 'birthday', 'big']
      const more = ['moods', 'matrix', 'active', 'dates', 'docs', 'ratio', 'history']
      const rows = await textRows(
        s,
        "app.users WHERE email <> 'a@example.com'",
        [...columns, ...more],
        'email',
      )
      expect(rows).toEqual([
        {
          email: 'b@example.com',
          prefs: '{"big": 12345678901234567890, "theme": "light"}',
          tags: '{x,"y \\"z\\"",NULL}',
          avatar: '\\x00ff',
          updated: '2024-05-06 07:08:09.123',
          seen: '2024-05-06 07:08:09.123+00',
          birthday: '1999-12-31',
          big: '9007199254740993',
          moods: '{ok,sad}',
          matrix: '{{5,6},{7,8}}',
          active: 'false',
          dates: '{2001-02-03}',
          docs: '{"{\\"k\\": \\"v\\"}"}',
          ratio: '-0.25',
          history: '[1,{"two":2}]',
        },
        {
          email: 'c@example.com',
          prefs: '{}',
          tags: '{}',
          avatar: '\\x',
          updated: null,
          seen: null,
          birthday: null,
          big: null,
          moods: '{}',
          matrix: '{}',
          active: 'true',
          dates: '{}',
          docs: '{}',
          ratio: null,
          history: null,
        },
      ])
    },
  },
  {
    name: 'createTable for a large insert',
    op: {
      kind: 'createTable',
      table: table('numbers', { schema: 'app', columns: [column('n', T.integer)] }),
      ifNotExists: false,
    },
    sql: { postgres: ['CREATE TABLE app.numbers (\n    n integer\n)'] },
  },
  {
    name: 'bulkInsert beyond 65535 parameters is split',
    op: {
      kind: 'bulkInsert',
      schema: 'app',
      table: 'numbers',
      columns: ['n'],
      rows: Array.from({ length: bigInsertRows }, (_, i) => [i]),
      batchSize: 100_000,
    },
    sql: {
      postgres: [
        `INSERT INTO app.numbers (n) VALUES ${placeholders(65_535)}`,
        `INSERT INTO app.numbers (n) VALUES ${placeholders(1)}`,
      ],
    },
    check: async (s) =>
      expect(
        await s.rows('SELECT count(*)::int AS n, sum(n)::bigint::text AS total FROM app.numbers'),
      ).toEqual([{ n: bigInsertRows, total: String(((bigInsertRows - 1) * bigInsertRows) / 2) }]),
  },
  {
    name: 'dropColumn',
    op: {
      kind: 'dropColumn',
      schema: 'app',
      table: 'users',
      column: 'search',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.users DROP COLUMN search'] },
    check: async (s) => expect((await columnsOf(s, 'app.users')).search).toBeUndefined(),
  },
  {
    name: 'dropColumn if exists (missing: skipped)',
    op: {
      kind: 'dropColumn',
      schema: 'app',
      table: 'users',
      column: 'no_such_column',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.users DROP COLUMN IF EXISTS no_such_column'] },
  },
  {
    name: 'dropColumn cascade (takes the view that reads it)',
    op: {
      kind: 'dropColumn',
      schema: 'app',
      table: 'users',
      column: 'name',
      ifExists: false,
      cascade: true,
      definition: undefined,
    },
    sql: { postgres: ['ALTER TABLE app.users DROP COLUMN name CASCADE'] },
    check: async (s) => expect(await exists(s, 'regclass', 'app.user_names')).toBe(false),
  },
  {
    name: 'dropTable',
    op: {
      kind: 'dropTable',
      schema: undefined,
      name: 'empty',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TABLE empty'] },
    check: async (s) => expect(await exists(s, 'regclass', 'empty')).toBe(false),
  },
  {
    name: 'dropTable if exists (missing: skipped)',
    op: {
      kind: 'dropTable',
      schema: 'app',
      name: 'no_such_table',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TABLE IF EXISTS app.no_such_table'] },
  },
  {
    name: 'dropTable cascade',
    op: {
      kind: 'dropTable',
      schema: 'app',
      name: 'users',
      ifExists: false,
      cascade: true,
      definition: undefined,
    },
    sql: { postgres: ['DROP TABLE app.users CASCADE'] },
    check: async (s) => {
      expect(await exists(s, 'regclass', 'app.users')).toBe(false)
      // The foreign key from order_items went with it; the table stays.
      expect((await constraintsOf(s, 'app.order_items')).fk_items_user).toBeUndefined()
    },
  },
  {
    name: 'dropEnum if exists (missing: skipped)',
    op: {
      kind: 'dropEnum',
      schema: undefined,
      name: 'no_such_type',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TYPE IF EXISTS no_such_type'] },
  },
  {
    name: 'dropEnum',
    op: {
      kind: 'dropEnum',
      schema: undefined,
      name: 'status',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TYPE status'] },
    check: async (s) => expect(await exists(s, 'regtype', 'status')).toBe(false),
  },
  {
    name: 'dropEnum cascade',
    op: {
      kind: 'dropEnum',
      schema: 'app',
      name: 'mood',
      ifExists: true,
      cascade: true,
      definition: undefined,
    },
    sql: { postgres: ['DROP TYPE IF EXISTS app.mood CASCADE'] },
    check: async (s) => expect(await exists(s, 'regtype', 'app.mood')).toBe(false),
  },
  {
    name: 'dropSchema',
    op: { kind: 'dropSchema', name: 'archive', ifExists: false, cascade: false },
    sql: { postgres: ['DROP SCHEMA archive'] },
  },
  {
    name: 'dropSchema if exists (missing: skipped)',
    op: { kind: 'dropSchema', name: 'nowhere', ifExists: true, cascade: false },
    sql: { postgres: ['DROP SCHEMA IF EXISTS nowhere'] },
  },
  {
    name: 'dropSchema cascade',
    op: { kind: 'dropSchema', name: 'app', ifExists: true, cascade: true },
    sql: { postgres: ['DROP SCHEMA IF EXISTS app CASCADE'] },
    check: async (s) =>
      expect(
        await s.rows("SELECT nspname FROM pg_namespace WHERE nspname IN ('app', 'archive')"),
      ).toEqual([]),
  },
]

describe('PostgreSQL DDL compiler', () => {
  it('has a case for every operation kind', () => {
    const every: Record<MigrationOpKind, true> = {
      createSchema: true,
      dropSchema: true,
      alterTableOptions: true,
      createTable: true,
      dropTable: true,
      renameTable: true,
      addColumn: true,
      dropColumn: true,
      alterColumn: true,
      createIndex: true,
      dropIndex: true,
      createForeignKey: true,
      createUniqueConstraint: true,
      createCheckConstraint: true,
      createPrimaryKey: true,
      createExclusionConstraint: true,
      createPartition: true,
      dropPartition: true,
      attachPartition: true,
      detachPartition: true,
      createSequence: true,
      dropSequence: true,
      alterSequence: true,
      renameSequence: true,
      renameType: true,
      alterCompositeType: true,
      createDomain: true,
      dropDomain: true,
      alterDomain: true,
      createCompositeType: true,
      dropCompositeType: true,
      createExtension: true,
      dropExtension: true,
      validateConstraint: true,
      dropConstraint: true,
      batchAlterTable: true,
      createEnum: true,
      dropEnum: true,
      addEnumValue: true,
      renameEnumValue: true,
      createTableComment: true,
      dropTableComment: true,
      createView: true,
      dropView: true,
      replaceView: true,
      createMaterializedView: true,
      dropMaterializedView: true,
      refreshMaterializedView: true,
      renameView: true,
      createFunction: true,
      dropFunction: true,
      replaceFunction: true,
      createProcedure: true,
      dropProcedure: true,
      replaceProcedure: true,
      createAggregate: true,
      dropAggregate: true,
      createTrigger: true,
      dropTrigger: true,
      createEventTrigger: true,
      dropEventTrigger: true,
      execute: true,
      bulkInsert: true,
    }
    expect(new Set(cases.map((c) => c.op.kind))).toEqual(new Set(Object.keys(every)))
  })

  it.each(cases)('compiles $name', ({ op, sql: expected }) => {
    const statements = compiler.compile(op)
    expect(statements.map((s) => s.sql)).toEqual(expected.postgres)
    if (op.kind !== 'execute' && op.kind !== 'bulkInsert') {
      expect(statements.every((s) => s.params.length === 0)).toBe(true)
    }
  })

  it('passes execute parameters through and bulk-insert values as driver-neutral parameters', () => {
    expect(compiler.compile({ kind: 'execute', sql: 'SELECT $1', params: [1n] })).toEqual([
      { sql: 'SELECT $1', params: [1n] },
    ])
    const bytes = new Uint8Array([1, 2])
    const [statement] = compiler.compile({
      kind: 'bulkInsert',
      schema: undefined,
      table: 't',
      columns: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      rows: [
        [null, 'x', 1.5, true, 12n, when, bytes, { a: [1n] }],
        [[1, [2]], ['a"b'], [], 0, false, -1n, '', [when]],
      ],
      batchSize: 10,
    })
    expect(statement?.params).toEqual([
      null,
      'x',
      1.5,
      true,
      '12',
      '2024-05-06T07:08:09.123Z',
      bytes,
      '{"a":[1]}',
      '{"1",{"2"}}',
      '{"a\\"b"}',
      '{}',
      0,
      false,
      '-1',
      '',
      '{"2024-05-06T07:08:09.123Z"}',
    ])
  })

  it('keeps batches of every width under the 65535-parameter limit', () => {
    const paramCounts = (width: number, rowCount: number, batchSize: number) =>
      compiler
        .compile({
          kind: 'bulkInsert',
          schema: undefined,
          table: 't',
          columns: Array.from({ length: width }, (_, i) => `c${i}`),
          rows: Array.from({ length: rowCount }, () => Array.from({ length: width }, () => 1)),
          batchSize,
        })
        .map((s) => s.params.length)
    for (const width of [1, 2, 7, 100, 1600]) {
      const perStatement = Math.floor(65_535 / width)
      expect(paramCounts(width, perStatement * 2 + 3, 1_000_000), `width ${width}`).toEqual([
        perStatement * width,
        perStatement * width,
        3 * width,
      ])
    }
    // Below the limit, batchSize rules.
    expect(paramCounts(2, 2500, 1000)).toEqual([2000, 2000, 1000])
  })

  it('compiles nothing for an empty bulk insert or an empty change set', () => {
    expect(
      compiler.compile({
        kind: 'bulkInsert',
        schema: undefined,
        table: 't',
        columns: ['a'],
        rows: [],
        batchSize: 10,
      }),
    ).toEqual([])
    expect(
      compiler.compile({
        kind: 'alterColumn',
        schema: undefined,
        table: 't',
        column: 'c',
        changes: {},
      }),
    ).toEqual([])
  })

  it('orders index elements as PostgreSQL reads them', () => {
    expect(
      compiler.compile({
        kind: 'createIndex',
        schema: undefined,
        table: 't',
        index: index('i', [
          element({ column: 'a', opclass: 'public.my_ops', order: 'desc', nulls: 'last' }),
        ]),
        concurrently: false,
        ifNotExists: false,
      })[0]?.sql,
    ).toBe('CREATE INDEX i ON t (a public.my_ops DESC NULLS LAST)')
  })
})

describe('PostgreSQL DDL compiler refuses, in one line,', () => {
  const addColumn = (c: ColumnDef): MigrationOp => ({
    kind: 'addColumn',
    schema: 'app',
    table: 'users',
    column: c,
    ifNotExists: false,
  })
  const identity = { always: true, start: undefined, increment: undefined }
  const bulk = (
    columns: readonly string[],
    rows: LiteralValue[][],
    batchSize = 10,
  ): MigrationOp => ({
    kind: 'bulkInsert',
    schema: undefined,
    table: 'T',
    columns,
    rows,
    batchSize,
  })
  const createIndex = (elements: readonly Partial<IndexElement>[]): MigrationOp => ({
    kind: 'createIndex',
    schema: undefined,
    table: 't',
    index: index('ix', elements),
    concurrently: false,
    ifNotExists: false,
  })

  it.each<[string, MigrationOp, string]>([
    [
      'identity and serial',
      addColumn(column('id', T.integer, { identity, serial: true })),
      'column id of app.users is both an identity column and serial; keep one of them',
    ],
    [
      'identity with a default',
      addColumn(column('id', T.integer, { identity, default: lit(1) })),
      'column id of app.users is an identity column and has a default; drop the default, the sequence supplies it',
    ],
    [
      'serial with a default',
      addColumn(column('id', T.integer, { serial: true, default: sql('1') })),
      'column id of app.users is serial and has a default; drop the default, the sequence supplies it',
    ],
    [
      'serial text',
      addColumn(column('Id', T.text, { serial: true })),
      'column "Id" of app.users is serial but its type is text; use smallint, integer or bigint',
    ],
    [
      'identity uuid',
      addColumn(column('id', T.uuid, { identity })),
      'column id of app.users is an identity column but its type is uuid; use smallint, integer or bigint',
    ],
    [
      'a fractional identity start',
      addColumn(column('id', T.bigint, { identity: { ...identity, start: 1.5 } })),
      'the identity start of column id of app.users must be an integer, not 1.5',
    ],
    ['an index without elements', createIndex([]), 'index ix on t has no columns or expressions'],
    [
      'an index element with a column and an expression',
      createIndex([{ column: 'a', expression: 'lower(a)' }]),
      'an element of index ix on t must have exactly one of column and expression',
    ],
    [
      'an index element with neither',
      createIndex([{ order: 'desc' }]),
      'an element of index ix on t must have exactly one of column and expression',
    ],
    [
      'an enum value both before and after',
      {
        kind: 'addEnumValue',
        schema: undefined,
        enum: 'mood',
        value: 'v',
        before: 'a',
        after: 'b',
        ifNotExists: false,
      },
      "a new value of enum mood can go before 'a' or after 'b', not both; keep one",
    ],
    [
      'a primary key without columns',
      {
        kind: 'createPrimaryKey',
        schema: 'app',
        table: 'users',
        primaryKey: { name: undefined, columns: [] },
      },
      'the primary key of app.users has no columns; list at least one',
    ],
    [
      'a unique constraint without columns',
      {
        kind: 'createTable',
        table: table('t', { uniques: [{ name: 'U', columns: [], nullsNotDistinct: false }] }),
        ifNotExists: false,
      },
      'unique constraint "U" of t has no columns; list at least one',
    ],
    [
      'a foreign key without columns',
      {
        kind: 'createForeignKey',
        schema: undefined,
        table: 't',
        foreignKey: foreignKey('fk', [], 'u', []),
        notValid: false,
      },
      'foreign key fk of t has no columns; list at least one',
    ],
    [
      'a bulk insert without columns',
      bulk([], [[]]),
      'bulk insert into "T" names no columns; list the columns the rows fill',
    ],
    [
      'a bulk insert with batch size 0',
      bulk(['a'], [[1]], 0),
      'bulk insert into "T" has batch size 0; use a whole number of rows, 1 or more',
    ],
    [
      'a bulk insert row of the wrong width',
      bulk(['a', 'b'], [[1, 2], [3]]),
      'row 2 of the bulk insert into "T" has 1 values for 2 columns',
    ],
  ])('%s', (_, op, message) => {
    let error: unknown
    try {
      compiler.compile(op)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InvalidOperationError)
    expect((error as InvalidOperationError).message).toBe(message)
    expect((error as InvalidOperationError).code).toBe('INVALID_OPERATION')
  })
})

describe.each(backends())('PostgreSQL DDL on $backend', ({ backend, skip }) => {
  let session: DialectSession | undefined

  beforeAll(async () => {
    if (skip) return
    session = await openSession(backend)
    await session.connection.execute("SET TimeZone = 'UTC'")
  })

  afterAll(async () => {
    await session?.close()
  })

  it.skipIf(skip).each(cases)('runs $name', async ({ op, check }) => {
    await session!.run(op)
    await check?.(session!)
  })
})
