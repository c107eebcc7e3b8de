import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection, QueryResult } from '../../src/dialect/connection.ts'
import { columnType, SqliteIntrospector } from '../../src/dialect/sqlite/sqlite-introspector.ts'
import { quoteIdentifier } from '../../src/dialect/sqlite/sqlite-quoting.ts'
import { SqliteTypeMapper } from '../../src/dialect/sqlite/sqlite-type-mapper.ts'
import type { ColumnDef, SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'
import {
  check,
  column,
  foreignKey,
  index,
  lit,
  NO_SCHEMA_OBJECTS,
  primaryKey,
  sql,
  T,
  table,
  unique,
} from '../support/snapshot-literals.ts'
import { viewDef as view } from './postgres-code-object-ddl-cases.ts'

/**
 * `SqliteIntrospector` on real SQLite files: a schema written by hand the way people write
 * SQLite, read back field by field; the tables aludel keeps for itself left out; the same number
 * of queries for one table as for fifty; and model snapshots normalized into what a database
 * built from them reads back.
 */

const folder = mkdtempSync(join(tmpdir(), 'aludel-sqlite-introspector-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

let files = 0

/** A Connection over a new database file holding `ddl`, counting its queries. */
function database(ddl: string): Connection & { readonly queries: () => number } {
  const db = new DatabaseSync(join(folder, `db${++files}.sqlite`))
  db.exec(ddl)
  let queries = 0
  return {
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      queries++
      const rows = db.prepare(text).all(...(params as SQLInputValue[]))
      return { rows: rows as Row[], affectedRows: undefined }
    },
    async execute(text: string) {
      db.exec(text)
    },
    async queryScript<Row>(text: string): Promise<readonly Row[]> {
      db.exec(text)
      return []
    },
    lostReason: () => undefined,
    async close() {
      db.close()
    },
    queries: () => queries,
  }
}

const introspector = new SqliteIntrospector()

/** A schema as people write SQLite by hand: every type aludel writes, and hostile names. */
const HAND_WRITTEN = `
CREATE TABLE users (
  id integer PRIMARY KEY,
  email varchar(255) NOT NULL,
  name text DEFAULT 'it''s (a) "name"',
  active boolean NOT NULL DEFAULT 1,
  score numeric(10,2) DEFAULT 0,
  amount numeric DEFAULT -12.5,
  ratio real DEFAULT 1.5,
  weight double precision,
  small smallint,
  big bigint DEFAULT (2 * (3 + 1)),
  code char(3),
  flag char,
  nick varchar,
  born date DEFAULT CURRENT_DATE,
  wakes time(3),
  wakes_tz timetz,
  created_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp,
  uid uuid,
  doc json DEFAULT '{"a":1}',
  docb jsonb,
  photo blob DEFAULT X'00ff',
  other INT, -- not a type aludel writes
  shape geometry /* nor this one */,
  shout text GENERATED ALWAYS AS (upper(name)) STORED,
  CONSTRAINT uq_users_email UNIQUE (email),
  UNIQUE (code, flag),
  CONSTRAINT ck_users_score CHECK (score >= 0 AND (name <> ')' OR name IS NULL)),
  CHECK (length(code) = 3)
);
CREATE TABLE "group" (
  id integer NOT NULL PRIMARY KEY,
  "select" text,
  "naïve ünïcode" text DEFAULT 'ø'
);
CREATE TABLE memberships (
  user_id integer NOT NULL CONSTRAINT fk_memberships_user REFERENCES USERS (ID) ON DELETE CASCADE,
  group_id integer NOT NULL,
  role text COLLATE NOCASE CHECK (role IN ('admin', 'member')),
  CONSTRAINT pk_memberships PRIMARY KEY (user_id, group_id),
  FOREIGN KEY (group_id) REFERENCES "group" ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE "odd ""name"" here" (
  "a col" text CONSTRAINT "ck ""a""" CHECK ("a col" <> 'x)'),
  b integer CONSTRAINT "my uq" UNIQUE,
  [c]   BIGINT,
  \`d\` text
);
CREATE INDEX ix_users_name ON users (name);
CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));
CREATE INDEX ix_users_recent ON users (created_at DESC, id) WHERE active = 1 AND name <> 'x';
CREATE INDEX "ix odd" ON "odd ""name"" here" (b + 1 DESC, "a col" COLLATE NOCASE, [c]);
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = 1;
CREATE VIEW "user groups" (u, g) AS
  SELECT user_id, group_id FROM memberships;
CREATE TRIGGER touch AFTER UPDATE ON users BEGIN SELECT 1; END;
CREATE TABLE aludel_version (revision text NOT NULL PRIMARY KEY);
CREATE TABLE aludel_version_ledger (id integer PRIMARY KEY, revision text);
CREATE TABLE aludel_version_progress (revision text, statement integer);
CREATE TABLE aludel_version_lock (id integer PRIMARY KEY, holder text);
CREATE TRIGGER aludel_guard BEFORE DELETE ON aludel_version_lock BEGIN SELECT 1; END;
CREATE VIRTUAL TABLE notes USING fts5(body);
`

const OWN_TABLES = [
  'aludel_version',
  'aludel_version_ledger',
  'aludel_version_progress',
  'main.aludel_version_lock',
]

const EXPECTED: SchemaSnapshot = {
  tables: [
    table('group', {
      columns: [
        column('id', T.integer, { nullable: false, serial: true }),
        column('select', T.text),
        column('naïve ünïcode', T.text, { default: sql("'ø'") }),
      ],
      primaryKey: primaryKey(undefined, ['id']),
    }),
    table('memberships', {
      columns: [
        column('user_id', T.integer, { nullable: false }),
        column('group_id', T.integer, { nullable: false }),
        column('role', T.text, { collation: 'NOCASE' }),
      ],
      primaryKey: primaryKey('pk_memberships', ['user_id', 'group_id']),
      foreignKeys: [
        foreignKey(undefined, ['group_id'], 'group', ['id'], {
          onUpdate: 'set null',
          deferrable: true,
          initiallyDeferred: true,
        }),
        foreignKey('fk_memberships_user', ['user_id'], 'users', ['id'], { onDelete: 'cascade' }),
      ],
      checks: [check(undefined, "role IN ('admin', 'member')")],
    }),
    table('odd "name" here', {
      columns: [
        column('a col', T.text),
        column('b', T.integer),
        column('c', T.bigint),
        column('d', T.text),
      ],
      uniques: [unique('my uq', ['b'])],
      checks: [check('ck "a"', `"a col" <> 'x)'`)],
      indexes: [
        index('ix odd', [
          { expression: 'b + 1', order: 'desc' },
          { expression: '"a col" COLLATE NOCASE' },
          'c',
        ]),
      ],
    }),
    table('users', {
      columns: [
        column('id', T.integer, { nullable: false, serial: true }),
        column('email', T.varchar(255), { nullable: false }),
        column('name', T.text, { default: sql(`'it''s (a) "name"'`) }),
        column('active', T.boolean, { nullable: false, default: sql('1') }),
        column('score', T.numeric(10, 2), { default: sql('0') }),
        column('amount', T.numeric(), { default: sql('-12.5') }),
        column('ratio', T.real, { default: sql('1.5') }),
        column('weight', T.double),
        column('small', T.smallint),
        column('big', T.bigint, { default: sql('2 * (3 + 1)') }),
        column('code', T.char(3)),
        column('flag', T.char()),
        column('nick', T.varchar()),
        column('born', T.date, { default: sql('CURRENT_DATE') }),
        column('wakes', T.time(false, 3)),
        column('wakes_tz', T.time(true)),
        column('created_at', T.timestamp(true, 3), {
          nullable: false,
          default: sql('CURRENT_TIMESTAMP'),
        }),
        column('updated_at', T.timestamp(false)),
        column('uid', T.uuid),
        column('doc', T.json, { default: sql(`'{"a":1}'`) }),
        column('docb', T.jsonb),
        column('photo', T.bytea, { default: sql("X'00ff'") }),
        column('other', T.custom('INT')),
        column('shape', T.custom('geometry')),
        column('shout', T.text, { generated: 'upper(name)' }),
      ],
      primaryKey: primaryKey(undefined, ['id']),
      uniques: [unique(undefined, ['code', 'flag']), unique('uq_users_email', ['email'])],
      checks: [
        check(undefined, 'length(code) = 3'),
        check('ck_users_score', "score >= 0 AND (name <> ')' OR name IS NULL)"),
      ],
      indexes: [
        index('ix_users_lower_email', [{ expression: 'lower(email)' }], { unique: true }),
        index('ix_users_name', ['name']),
        index('ix_users_recent', [{ column: 'created_at', order: 'desc' }, 'id'], {
          where: "active = 1 AND name <> 'x'",
        }),
      ],
    }),
  ],
  enums: [],
  ...NO_SCHEMA_OBJECTS,
  views: [
    view('active_users', 'SELECT id, email FROM users WHERE active = 1'),
    view('user groups', 'SELECT user_id, group_id FROM memberships'),
  ],
}

describe('SqliteIntrospector.introspect', () => {
  it('reads a hand-written schema field by field', async () => {
    const connection = database(HAND_WRITTEN)
    const snapshot = await introspector.introspect(connection, { excludeTables: OWN_TABLES })
    expect(snapshot).toEqual(EXPECTED)
    await connection.close()
  })

  it('reads aludel’s own tables only when they are not excluded', async () => {
    const connection = database(HAND_WRITTEN)
    const all = await introspector.introspect(connection)
    expect(all.tables.map((t) => t.name)).toEqual([
      'aludel_version',
      'aludel_version_ledger',
      'aludel_version_lock',
      'aludel_version_progress',
      'group',
      'memberships',
      'odd "name" here',
      'users',
    ])
    await connection.close()
  })

  it('asks the same number of queries for one table as for fifty', async () => {
    const counts: number[] = []
    for (const n of [1, 50]) {
      const ddl = Array.from(
        { length: n },
        (_, i) => `CREATE TABLE t${i} (id integer PRIMARY KEY, parent integer REFERENCES t0,
           name text UNIQUE CHECK (name <> ''));
         CREATE INDEX ix_t${i} ON t${i} (lower(name));`,
      ).join('\n')
      const connection = database(ddl)
      const snapshot = await introspector.introspect(connection)
      expect(snapshot.tables).toHaveLength(n)
      counts.push(connection.queries())
      await connection.close()
    }
    expect(counts[0]).toBe(counts[1])
    expect(counts[0]).toBeLessThanOrEqual(4)
  })

  it('tells the rowid alias from other integer keys', async () => {
    const connection = database(`
      CREATE TABLE alias_by_table (id INTEGER, PRIMARY KEY (id DESC));
      CREATE TABLE desc_quirk (id INTEGER PRIMARY KEY DESC);
      CREATE TABLE no_rowid (id integer PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE wide (id bigint PRIMARY KEY);
      CREATE TABLE pair (a integer, b integer, PRIMARY KEY (a, b));
      CREATE TABLE counted (id integer PRIMARY KEY AUTOINCREMENT);
    `)
    const snapshot = await introspector.introspect(connection)
    const keys = Object.fromEntries(
      snapshot.tables.map((t) => [
        t.name,
        t.columns.map((c) => ({ name: c.name, serial: c.serial, nullable: c.nullable })),
      ]),
    )
    expect(keys).toEqual({
      alias_by_table: [{ name: 'id', serial: true, nullable: false }],
      counted: [{ name: 'id', serial: true, nullable: false }],
      desc_quirk: [{ name: 'id', serial: false, nullable: true }],
      no_rowid: [{ name: 'id', serial: false, nullable: false }],
      pair: [
        { name: 'a', serial: false, nullable: true },
        { name: 'b', serial: false, nullable: true },
      ],
      wide: [{ name: 'id', serial: false, nullable: true }],
    })
    await connection.close()
  })

  it('normalizes an identity primary key to the rowid, as introspection reads it', async () => {
    const identity = { always: false, start: undefined, increment: undefined } as never
    const model: SchemaSnapshot = {
      ...NO_SCHEMA_OBJECTS,
      enums: [],
      tables: [
        table('keyed', {
          columns: [column('id', T.integer, { nullable: false, identity })],
          primaryKey: primaryKey(undefined, ['id']),
        }),
        table('pair', {
          columns: [
            column('a', T.integer, { nullable: false, identity }),
            column('b', T.integer, { nullable: false }),
          ],
          primaryKey: primaryKey(undefined, ['a', 'b']),
        }),
      ],
    }
    const connection = database('')
    const normalized = await introspector.normalize(connection, model)
    expect(
      normalized.tables.map((t) =>
        t.columns.map((c) => [c.name, c.serial, c.identity !== undefined]),
      ),
    ).toEqual([
      [['id', true, false]],
      [
        ['a', false, true],
        ['b', false, false],
      ],
    ])
    await connection.close()
  })

  it('reads what ALTER TABLE leaves in the text, and virtual generated columns', async () => {
    const connection = database(`
      CREATE TABLE t (id integer CONSTRAINT pk_t PRIMARY KEY NOT NULL, a text -- note
      );
      ALTER TABLE t ADD COLUMN b integer DEFAULT 3 CHECK (b > 0);
      ALTER TABLE t ADD CONSTRAINT ck_t_a CHECK (a <> 'x');
      ALTER TABLE t ADD COLUMN c integer AS (b * 2);
    `)
    const [t] = (await introspector.introspect(connection)).tables
    expect(t).toEqual(
      table('t', {
        columns: [
          column('id', T.integer, { nullable: false, serial: true }),
          column('a', T.text),
          column('b', T.integer, { default: sql('3') }),
          column('c', T.integer, { generated: 'b * 2' }),
        ],
        primaryKey: primaryKey('pk_t', ['id']),
        checks: [check(undefined, 'b > 0'), check('ck_t_a', "a <> 'x'")],
      }),
    )
    await connection.close()
  })
})

describe('SqliteIntrospector.census', () => {
  it('counts tables, virtual ones too, views and triggers, leaving aludel’s out', async () => {
    const connection = database(HAND_WRITTEN)
    const census = await introspector.census(connection, { excludeTables: OWN_TABLES })
    expect(census).toEqual([
      { kind: 'tables', count: 5 },
      { kind: 'views', count: 2 },
      { kind: 'triggers', count: 1 },
    ])
    await connection.close()
  })
})

describe('columnType', () => {
  it('reads back every type the mapper writes', () => {
    const types = new SqliteTypeMapper()
    for (const type of [
      T.smallint,
      T.integer,
      T.bigint,
      T.real,
      T.double,
      T.text,
      T.boolean,
      T.date,
      T.uuid,
      T.json,
      T.jsonb,
      T.bytea,
      T.numeric(),
      T.numeric(12, 3),
      T.varchar(),
      T.varchar(40),
      T.char(),
      T.char(2),
      T.time(false),
      T.time(true, 6),
      T.timestamp(false, 0),
      T.timestamp(true),
      T.custom('citext'),
    ]) {
      expect(columnType(types.sqlType(type))).toEqual(type)
      expect(columnType(types.sqlType(type).toUpperCase())).toEqual(
        type.kind === 'custom' ? T.custom('CITEXT') : type,
      )
    }
    expect(columnType('VARCHAR ( 20 )')).toEqual(T.varchar(20))
    expect(columnType('Double   Precision')).toEqual(T.double)
    expect(columnType('numeric(10)')).toEqual(T.numeric(10, 0))
    expect(columnType('')).toEqual(T.custom(''))
  })
})

describe('SqliteIntrospector.normalize', () => {
  it('spells a model as the database it builds reads back', async () => {
    const types = new SqliteTypeMapper()
    const columns: ColumnDef[] = [
      column('id', T.integer, { nullable: false, serial: true }),
      column('name', T.text, { default: lit("it's") }),
      column('active', T.boolean, { nullable: false, default: lit(true) }),
      column('off', T.boolean, { default: lit(false) }),
      column('score', T.numeric(10, 2), { default: lit(-1.25) }),
      column('big', T.bigint, { default: lit(9007199254740993n) }),
      column('born', T.date, { default: lit(new Date('2024-02-29T10:00:00Z')) }),
      column('at', T.timestamp(true, 3), { default: lit(new Date('2024-02-29T10:00:00Z')) }),
      column('doc', T.json, { default: lit({ a: [1, 'x'] }) }),
      column('docb', T.jsonb, { default: lit(['a']) }),
      column('photo', T.bytea, { default: lit(new Uint8Array([0, 255])) }),
      column('nothing', T.text, { default: lit(null) }),
      column('now', T.timestamp(false), { default: sql('CURRENT_TIMESTAMP') }),
      column('sum', T.integer, { default: sql(' 1 + 2 ') }),
      column('wrapped', T.integer, { default: sql('(3)') }),
      column('twice', T.text, { generated: ' upper(name) ' }),
    ]
    const model: SchemaSnapshot = {
      tables: [
        table('things', {
          columns,
          primaryKey: primaryKey('pk_things', ['id']),
          checks: [check('ck_things_score', ' score > 0 ')],
          indexes: [
            index('ix_things_sum', [{ expression: ' (sum + 1) ' }, 'name'], {
              where: ' active = 1 ',
            }),
          ],
        }),
      ],
      enums: [],
      ...NO_SCHEMA_OBJECTS,
      views: [view('all_things', ' SELECT id FROM things ')],
    }
    // The statements as aludel writes them: types and defaults by the type mapper, expressions
    // in parentheses where SQLite needs them.
    const definition = (c: ColumnDef) =>
      [
        quoteIdentifier(c.name),
        types.sqlType(c.type, { serial: c.serial }),
        ...(c.serial ? ['CONSTRAINT pk_things PRIMARY KEY'] : []),
        ...(c.generated === undefined ? [] : [`GENERATED ALWAYS AS (${c.generated}) STORED`]),
        ...(c.default === undefined ? [] : [`DEFAULT ${types.sqlDefault(c.default, c.type)}`]),
        ...(c.nullable ? [] : ['NOT NULL']),
      ].join(' ')
    const connection = database(`
      CREATE TABLE things (
        ${columns.map(definition).join(',\n')},
        CONSTRAINT ck_things_score CHECK ( score > 0 )
      );
      CREATE INDEX ix_things_sum ON things (( (sum + 1) ), name) WHERE  active = 1 ;
      CREATE VIEW all_things AS
       SELECT id FROM things ;
    `)
    const normalized = await introspector.normalize(connection, model)
    const read = await introspector.introspect(connection)
    expect(normalized).toEqual(read)
    expect(connection.queries()).toBe(4)
    await connection.close()
  })

  it('keeps what SQLite cannot store as the model wrote it', async () => {
    const model: SchemaSnapshot = {
      tables: [table('t', { columns: [column('x', T.real, { default: lit(Infinity) })] })],
      enums: [],
      ...NO_SCHEMA_OBJECTS,
    }
    const connection = database('')
    expect(await introspector.normalize(connection, model)).toEqual(model)
    await connection.close()
  })
})
