import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import { parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { parseCreateTable } from '../../src/dialect/sqlite/sqlite-create-table-text.ts'
import { SqliteDdlCompiler } from '../../src/dialect/sqlite/sqlite-ddl-compiler.ts'
import { SqliteDriver } from '../../src/dialect/sqlite/sqlite-driver.ts'
import type { LiveTable } from '../../src/dialect/sqlite/sqlite-introspector.ts'
import { planRebuild, rebuildReason } from '../../src/dialect/sqlite/sqlite-table-rebuild.ts'
import { SqliteTypeMapper } from '../../src/dialect/sqlite/sqlite-type-mapper.ts'
import { sql as fragment, integer, text, varchar } from '../../src/index.ts'
import type { BatchOperations } from '../../src/operations/batch-operations.ts'
import type { BatchTableOp, MigrationOp } from '../../src/operations/migration-op.ts'
import { Operations } from '../../src/operations/operations.ts'
import {
  check,
  column,
  foreignKey,
  index,
  primaryKey,
  sql,
  T,
  table,
  unique,
} from '../support/snapshot-literals.ts'

/**
 * The rebuild planned without a database: the table as introspection reads it, the operations of
 * a batch, and what the new table, the copy and the statements after it must be.
 */

/** `items` as SQLite's introspection reads `CREATE TABLE items (...)` below. */
const ITEMS_SQL = `CREATE TABLE items (
  id integer PRIMARY KEY,
  title text NOT NULL,
  qty integer DEFAULT 0,
  code text,
  owner_id integer,
  CONSTRAINT fk_items_owner FOREIGN KEY (owner_id) REFERENCES authors (id),
  CONSTRAINT uq_items_code UNIQUE (code),
  CONSTRAINT ck_items_qty CHECK (qty >= 0)
)`

/** Its columns, in order. */
const COLUMNS = ['id', 'title', 'qty', 'code', 'owner_id']

function items(extra: Partial<LiveTable> = {}, sqlText = ITEMS_SQL): LiveTable {
  return {
    table: table('items', {
      columns: [
        column('id', T.integer, { serial: true, nullable: false }),
        column('title', T.text, { nullable: false }),
        column('qty', T.integer, { default: sql('0') }),
        column('code', T.text),
        column('owner_id', T.integer),
      ],
      primaryKey: primaryKey(undefined, ['id']),
      foreignKeys: [foreignKey('fk_items_owner', ['owner_id'], 'authors', ['id'])],
      uniques: [unique('uq_items_code', ['code'])],
      checks: [check('ck_items_qty', 'qty >= 0')],
      indexes: [index('ix_items_title', ['title'])],
    }),
    text: parseCreateTable(sqlText),
    strict: false,
    withoutRowid: false,
    ...extra,
  }
}

/** The operations `body` records on a batch of `items`. */
async function batch(body: (b: BatchOperations) => void): Promise<readonly BatchTableOp[]> {
  const ops: MigrationOp[] = []
  const op = new Operations({ run: async (o) => void ops.push(o), query: async () => [] })
  await op.batch('items', body)
  const [only] = ops
  if (only?.kind !== 'batchAlterTable') throw new Error('no batch recorded')
  return only.ops
}

const plan = async (body: (b: BatchOperations) => void, live = items()) =>
  planRebuild(live, await batch(body))

const failure = async (body: (b: BatchOperations) => void, live = items()) => {
  const error = await plan(body, live).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  return (error as Error).message
}

describe('planRebuild: the new table', () => {
  it('changes a type, converting the values with using; every other column is copied by name', async () => {
    const p = await plan((b) =>
      b.alterColumn('code', { type: integer(), using: 'CAST(code AS integer)' }),
    )
    expect(p.table.columns.find((c) => c.name === 'code')?.type).toEqual(T.integer)
    expect(p.copy).toEqual([
      { column: 'id', from: 'id' },
      { column: 'title', from: 'title' },
      { column: 'qty', from: 'qty' },
      { column: 'code', from: '(CAST(code AS integer))' },
      { column: 'owner_id', from: 'owner_id' },
    ])
    // The rowid is the id column itself: copying id keeps it.
    expect(p.keepRowids).toBe(false)
    expect(p.table.indexes).toEqual([])
    expect(p.droppedIndexes.size).toBe(0)
  })

  it('changes a default and a collation, and drops a default with null', async () => {
    const p = await plan((b) => {
      b.alterColumn('qty', { default: 5 })
      b.alterColumn('title', { collation: 'NOCASE', existingType: text() })
      b.alterColumn('code', { default: 'x' })
      b.alterColumn('code', { default: null })
    })
    const byName = new Map(p.table.columns.map((c) => [c.name, c]))
    expect(byName.get('qty')?.default).toEqual({ kind: 'literal', value: 5 })
    expect(byName.get('title')?.collation).toBe('NOCASE')
    expect(byName.get('code')?.default).toBeUndefined()
  })

  it('adds columns, which the copy leaves to their defaults; NOT NULL without one needs an empty table', async () => {
    const p = await plan((b) => {
      b.addColumn('note', text().notNull().default('-'))
      b.addColumn('required', text().notNull())
    })
    expect(p.table.columns.map((c) => c.name)).toEqual([...COLUMNS, 'note', 'required'])
    expect(p.copy.map((c) => c.column)).not.toContain('note')
    expect(p.addedNotNull).toEqual(['required'])
  })

  it('adds and drops keys and checks by name', async () => {
    const p = await plan((b) => {
      b.dropConstraint('fk_items_owner')
      b.createForeignKey('fk_items_owner_v2', 'owners', ['owner_id'], ['id'], {
        onDelete: 'cascade',
      })
      b.dropConstraint('UQ_ITEMS_CODE')
      b.createUniqueConstraint('uq_items_title', ['title'])
      b.dropConstraint('ck_items_qty')
      b.createCheckConstraint('ck_items_title', "title <> ''")
    })
    expect(p.table.foreignKeys).toEqual([
      foreignKey('fk_items_owner_v2', ['owner_id'], 'owners', ['id'], { onDelete: 'cascade' }),
    ])
    expect(p.table.uniques).toEqual([unique('uq_items_title', ['title'])])
    expect(p.table.checks).toEqual([check('ck_items_title', "title <> ''")])
  })

  it('replaces the primary key; the rowid column becomes an ordinary NOT NULL column', async () => {
    const p = await plan((b) => {
      b.dropConstraint('pk_items', { ifExists: true })
      b.dropConstraint('uq_items_code')
      b.alterColumn('code', { nullable: false })
    })
    expect(p.table.primaryKey).toEqual(primaryKey(undefined, ['id']))
    expect(p.madeNotNull).toEqual(['code'])
    const unnamed = items({
      table: { ...items().table, primaryKey: primaryKey('pk_items', ['id']) },
    })
    const replaced = await plan((b) => {
      b.dropConstraint('pk_items')
      b.createPrimaryKey('pk_items_code', ['code'])
    }, unnamed)
    expect(replaced.table.primaryKey).toEqual(primaryKey('pk_items_code', ['code']))
    expect(replaced.table.columns[0]).toEqual(
      column('id', T.integer, { serial: false, nullable: false }),
    )
    // No column holds the rowid any more: the copy keeps it.
    expect(replaced.keepRowids).toBe(true)
  })

  it('drops indexes by leaving them out, and creates new ones after the rebuild', async () => {
    const p = await plan((b) => {
      b.dropIndex('ix_items_title')
      b.createIndex('ix_items_code', ['code'], { unique: true })
      b.createIndex('ix_items_gone', ['qty'])
      b.dropIndex('ix_items_gone')
    })
    expect([...p.droppedIndexes]).toEqual(['ix_items_title'])
    expect(p.createIndexes.map((op) => op.index.name)).toEqual(['ix_items_code'])
  })

  it('renames columns after the rebuild, reading later operations with the old names', async () => {
    const p = await plan((b) => {
      b.alterColumn('code', { rename: 'sku', type: varchar(20) })
      b.createCheckConstraint('ck_items_sku', "length(sku) > 0 AND sku <> 'x'")
      b.createUniqueConstraint('uq_items_sku_title', ['sku', 'title'])
      b.createIndex('ix_items_sku', ['sku'])
      b.addColumn('added', text())
      b.alterColumn('added', { rename: 'added_later' })
    })
    expect(p.table.columns.map((c) => c.name)).toEqual([...COLUMNS, 'added_later'])
    expect(p.table.checks.at(-1)).toEqual(check('ck_items_sku', "length(code) > 0 AND code <> 'x'"))
    expect(p.table.uniques.at(-1)).toEqual(unique('uq_items_sku_title', ['code', 'title']))
    expect(p.renames).toEqual([{ from: 'code', to: 'sku' }])
    // Created after the renames, the index names the column as it is then.
    expect(p.createIndexes[0]?.index.elements[0]?.column).toBe('sku')
  })

  it('orders renames so that each new name is free when it runs', async () => {
    const p = await plan((b) => {
      b.alterColumn('code', { rename: 'code2' })
      b.alterColumn('qty', { rename: 'code' })
    })
    expect(p.renames).toEqual([
      { from: 'code', to: 'code2' },
      { from: 'qty', to: 'code' },
    ])
  })

  it('keeps rowids of a table whose rowid no column holds', async () => {
    const live: LiveTable = {
      table: table('notes', { columns: [column('body', T.text)] }),
      text: parseCreateTable('CREATE TABLE notes (body text)'),
      strict: false,
      withoutRowid: false,
    }
    const p = planRebuild(live, [
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'notes',
        column: 'body',
        changes: { type: { to: T.varchar(10) } },
      },
    ])
    expect(p.keepRowids).toBe(true)
    const shadowed: LiveTable = {
      ...live,
      table: table('notes', { columns: [column('rowid', T.text)] }),
    }
    expect(planRebuild(shadowed, []).keepRowids).toBe(false)
  })
})

describe('planRebuild: what the table has and the snapshot does not say', () => {
  it('carries STRICT, WITHOUT ROWID, AUTOINCREMENT and VIRTUAL columns over', async () => {
    const text = `CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, title text NOT NULL, qty integer DEFAULT 0, code text, owner_id integer, shout text AS (upper(title)), stored text GENERATED ALWAYS AS (lower(title)) STORED) STRICT`
    const base = items()
    const live = items(
      {
        strict: true,
        table: {
          ...base.table,
          columns: [
            ...base.table.columns,
            column('shout', T.text, { generated: 'upper(title)' }),
            column('stored', T.text, { generated: 'lower(title)' }),
          ],
        },
      },
      text,
    )
    const p = planRebuild(live, [])
    expect(p.table.engineOptions).toEqual({ sqlite: { strict: true } })
    expect(p.options).toEqual({ autoincrement: true, virtual: new Set(['shout']) })
    // Generated columns compute their values: the copy leaves them out.
    expect(p.copy.map((c) => c.column)).toEqual(COLUMNS)
    const withoutRowid = items({ withoutRowid: true })
    expect(planRebuild(withoutRowid, []).table.engineOptions).toEqual({
      sqlite: { withoutRowid: true },
    })
    expect(planRebuild(withoutRowid, []).keepRowids).toBe(false)
  })

  it('refuses what the new table would lose', async () => {
    expect(
      await failure(
        () => {},
        items({}, 'CREATE TABLE items (id integer PRIMARY KEY ON CONFLICT REPLACE, title text)'),
      ),
    ).toBe(
      'cannot rebuild table items: its CREATE TABLE has ON CONFLICT clauses, which the new table would lose; rebuild it by hand with op.execute',
    )
    const autoincrement = items({}, 'CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT)')
    const keyed = {
      ...autoincrement,
      table: { ...autoincrement.table, primaryKey: primaryKey('pk', ['id']) },
    }
    expect(await failure((b) => b.dropConstraint('pk'), keyed)).toBe(
      'cannot rebuild table items: its rowid column is AUTOINCREMENT, which needs an INTEGER PRIMARY KEY; keep the primary key',
    )
    const withoutRowid = { ...keyed, text: parseCreateTable(ITEMS_SQL), withoutRowid: true }
    expect(await failure((b) => b.dropConstraint('pk'), withoutRowid)).toBe(
      'cannot rebuild table items: it is WITHOUT ROWID, which needs its primary key pk; replace it instead',
    )
    expect(await failure((b) => b.alterColumn('id', { type: text() }))).toBe(
      'cannot rebuild table items: column id is its rowid (INTEGER PRIMARY KEY), which another type would make an ordinary column',
    )
    expect(await failure((b) => b.alterColumn('code', { comment: 'x' }))).toBe(
      'SQLite has no comments; this operation cannot run on a SQLite database',
    )
  })
})

describe('planRebuild: refusals name the object and what to do', () => {
  it.each<[string, (b: BatchOperations) => void, string]>([
    [
      'a dropped column an index uses',
      (b) => b.dropColumn('title'),
      'column title is used by the index ix_items_title; drop that first, in the same batch (op.batch)',
    ],
    [
      'a dropped column a key uses',
      (b) => b.dropColumn('owner_id'),
      'column owner_id is used by the foreign key fk_items_owner; drop that first, in the same batch (op.batch)',
    ],
    [
      'a dropped column a check uses',
      (b) => b.dropColumn('qty'),
      'column qty is used by the check ck_items_qty (qty >= 0); drop that first, in the same batch (op.batch)',
    ],
    ['a column that does not exist', (b) => b.dropColumn('nope'), 'it has no column nope'],
    ['a column that exists', (b) => b.addColumn('title', text()), 'it already has a column title'],
    [
      'an unknown constraint',
      (b) => b.dropConstraint('nope'),
      "it has no constraint named nope (SQLite knows a constraint's name only when its CREATE TABLE gives one)",
    ],
    [
      'a second primary key',
      (b) => b.createPrimaryKey('pk2', ['code']),
      'it already has a primary key; drop it first, in the same batch (op.batch)',
    ],
    [
      'a taken constraint name',
      (b) => b.createUniqueConstraint('ck_items_qty', ['code']),
      'it already has a constraint named ck_items_qty',
    ],
    ['an unknown index', (b) => b.dropIndex('nope'), 'it has no index nope'],
    [
      'a key over a missing column',
      (b) => b.createUniqueConstraint('uq', ['nope']),
      'it has no column nope',
    ],
    [
      'swapped names',
      (b) => {
        b.alterColumn('code', { rename: 'tmp' })
        b.alterColumn('qty', { rename: 'code' })
        b.alterColumn('tmp', { rename: 'qty' })
      },
      'the operations swap the names of columns qty, code; rename them in operations of their own, through a free name',
    ],
    [
      "a column added under a renamed one's old name",
      (b) => {
        b.alterColumn('code', { rename: 'sku' })
        b.addColumn('code', text())
      },
      'the operations leave two columns named code while it is rebuilt (a column renamed and another added under its old name); rename in an operation of its own, before or after',
    ],
  ])('%s', async (_, body, message) => {
    expect(await failure(body)).toBe(`cannot rebuild table items: ${message}`)
  })

  it('skips what ifExists and ifNotExists allow', async () => {
    const p = await plan((b) => {
      b.dropColumn('nope', { ifExists: true })
      b.dropIndex('nope', { ifExists: true })
      b.dropConstraint('nope', { ifExists: true })
      b.createIndex('ix_items_title', ['title'], { ifNotExists: true })
    })
    expect(p.table.columns).toHaveLength(5)
    expect(p.createIndexes).toEqual([])
  })

  it('drops a column once the batch has dropped what used it', async () => {
    const p = await plan((b) => {
      b.dropIndex('ix_items_title')
      b.dropColumn('title')
    })
    expect(p.table.columns.map((c) => c.name)).toEqual(['id', 'qty', 'code', 'owner_id'])
    expect(p.copy.map((c) => c.column)).toEqual(['id', 'qty', 'code', 'owner_id'])
  })
})

describe('rebuildReason: what only a rebuild can do', () => {
  const types = new SqliteTypeMapper()
  it.each<[string, (b: BatchOperations) => void, string | undefined]>([
    [
      'a type',
      (b) => b.alterColumn('code', { type: integer() }),
      'changing the type of items.code',
    ],
    ['a default', (b) => b.alterColumn('qty', { default: 1 }), 'changing the default of items.qty'],
    [
      'a collation',
      (b) => b.alterColumn('code', { collation: 'NOCASE', existingType: text() }),
      'changing the collation of items.code',
    ],
    ['NOT NULL', (b) => b.alterColumn('code', { nullable: false }), undefined],
    ['a rename', (b) => b.alterColumn('code', { rename: 'sku' }), undefined],
    [
      'a foreign key',
      (b) => b.createForeignKey('fk', 'authors', ['owner_id'], ['id']),
      'adding the foreign key fk to items',
    ],
    [
      'a unique constraint',
      (b) => b.createUniqueConstraint('uq', ['code']),
      'adding the unique constraint uq to items',
    ],
    ['a primary key', (b) => b.createPrimaryKey('pk', ['id']), 'adding a primary key to items'],
    ['a check', (b) => b.createCheckConstraint('ck', 'qty > 0'), undefined],
    [
      'a dropped foreign key, said so',
      (b) =>
        b.dropConstraint('fk', {
          definition: { type: 'foreignKey', definition: foreignKey('fk', ['a'], 't', ['id']) },
        }),
      'dropping the foreign key fk of items',
    ],
    ['a constraint dropped by name alone', (b) => b.dropConstraint('fk'), undefined],
    ['a plain column', (b) => b.addColumn('note', text().default('x')), undefined],
    [
      'a column with an expression default',
      (b) => b.addColumn('at', text().default(fragment`CURRENT_TIMESTAMP`)),
      'adding column items.at with the default CURRENT_TIMESTAMP',
    ],
    ['an index', (b) => b.createIndex('ix', ['code']), undefined],
  ])('%s', async (_, body, reason) => {
    const [op] = await batch(body)
    expect(rebuildReason(op!, types)).toBe(reason)
  })
})

describe('the rebuild on a SQLite database', () => {
  let home: string | undefined
  let connection: Connection | undefined
  afterEach(async () => {
    await connection?.close()
    connection = undefined
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
    home = undefined
  })
  const compiler = new SqliteDdlCompiler()

  /** A database holding `setup`, and a connection to it as aludel opens one. */
  async function open(setup: string): Promise<Connection> {
    home = mkdtempSync(join(tmpdir(), 'aludel-rebuild-'))
    const url = parseDatabaseUrl(`sqlite:${join(home, 'app.db')}`, home)
    connection = await new SqliteDriver(url).connect()
    await connection.execute(setup)
    return connection
  }

  /** The statements of `body`'s batch on `table`, compiled with the database, then run. */
  async function run(c: Connection, table: string, body: (b: BatchOperations) => void) {
    const ops: MigrationOp[] = []
    const op = new Operations({ run: async (o) => void ops.push(o), query: async () => [] })
    await op.batch(table, body)
    await c.execute('BEGIN IMMEDIATE')
    const statements = await compiler.compileWithDatabase(ops[0]!, c, { transactional: true })
    for (const s of statements) {
      if (s.failsOnRows === undefined) await c.execute(s.sql)
      else expect((await c.query(s.sql)).rows).toEqual([])
    }
    await c.execute('COMMIT')
    // Each statement by its first words; a PRAGMA whole.
    return statements.map((s) =>
      s.sql.startsWith('PRAGMA') ? s.sql : s.sql.split(/[\s(]/, 3).join(' '),
    )
  }

  const schema = async (c: Connection) =>
    (
      await c.query<{ sql: string }>(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%' ORDER BY type, name",
      )
    ).rows.map((r) => r.sql.replace(/\s+/g, ' '))

  it('rebuilds once for a whole batch, in the documented order, keeping what the snapshot cannot say', async () => {
    const c = await open(`
      CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, title text NOT NULL, code text, shout text AS (upper(title))) STRICT;
      CREATE INDEX ix_items_title ON items (title COLLATE NOCASE DESC) WHERE title <> '';
      CREATE TABLE item_log (item_id integer);
      CREATE TRIGGER tr_items AFTER INSERT ON items BEGIN INSERT INTO item_log VALUES (new.id); END;
      CREATE TABLE reviews (id integer PRIMARY KEY, item_id integer REFERENCES items (id) ON DELETE CASCADE);
      CREATE VIEW v_items AS SELECT id, title FROM items;
      INSERT INTO items (title, code) VALUES ('a', '10'), ('b', '20'), ('z', '30');
      DELETE FROM items WHERE title IN ('a', 'z');
      INSERT INTO reviews VALUES (1, 2);`)
    expect(c.lostReason()).toBeUndefined()
    const statements = await run(c, 'items', (b) => {
      b.alterColumn('code', { type: integer(), using: 'CAST(code AS integer)' })
      b.alterColumn('code', { rename: 'sku' })
      b.addColumn('note', text().notNull().default('-'))
    })
    expect(statements).toEqual([
      'CREATE TABLE items_new',
      'INSERT INTO items_new',
      'DROP TABLE items',
      'PRAGMA legacy_alter_table = ON',
      'ALTER TABLE items_new',
      'PRAGMA legacy_alter_table = OFF',
      'UPDATE sqlite_sequence SET',
      'INSERT INTO sqlite_sequence',
      'CREATE INDEX ix_items_title',
      'CREATE TRIGGER tr_items',
      'ALTER TABLE items',
      'SELECT * FROM',
      'SELECT c."table" ||',
    ])
    expect(await schema(c)).toEqual([
      "CREATE INDEX ix_items_title ON items (title COLLATE NOCASE DESC) WHERE title <> ''",
      'CREATE TABLE item_log (item_id integer)',
      `CREATE TABLE "items" ( id integer PRIMARY KEY AUTOINCREMENT NOT NULL, title text NOT NULL, sku integer, shout text GENERATED ALWAYS AS (upper(title)) VIRTUAL, note text DEFAULT '-' NOT NULL ) STRICT`,
      'CREATE TABLE reviews (id integer PRIMARY KEY, item_id integer REFERENCES items (id) ON DELETE CASCADE)',
      'CREATE TRIGGER tr_items AFTER INSERT ON items BEGIN INSERT INTO item_log VALUES (new.id); END',
      'CREATE VIEW v_items AS SELECT id, title FROM items',
    ])
    expect((await c.query('SELECT * FROM items')).rows).toEqual([
      { id: 2, title: 'b', sku: 20, shout: 'B', note: '-' },
    ])
    // AUTOINCREMENT kept its counter: the next id is 4, never the freed 3.
    await c.execute("INSERT INTO items (title) VALUES ('c')")
    expect((await c.query('SELECT id FROM items ORDER BY id')).rows).toEqual([{ id: 2 }, { id: 4 }])
    expect((await c.query('SELECT * FROM item_log ORDER BY item_id')).rows).toEqual([
      { item_id: 1 },
      { item_id: 2 },
      { item_id: 3 },
      { item_id: 4 },
    ])
    expect((await c.query('SELECT * FROM v_items ORDER BY id')).rows).toHaveLength(2)
    expect(
      (await c.query('SELECT "table" FROM pragma_foreign_key_list(\'reviews\')')).rows,
    ).toEqual([{ table: 'items' }])
  })

  it('picks a free name for the new table, and keeps the rowids no column holds', async () => {
    const c = await open(`
      CREATE TABLE notes (body text);
      CREATE TABLE notes_new (x integer);
      CREATE INDEX notes_new_2 ON notes_new (x);
      INSERT INTO notes VALUES ('a'), ('b'), ('c');
      DELETE FROM notes WHERE body = 'b';`)
    const statements = await run(c, 'notes', (b) => b.alterColumn('body', { type: varchar(10) }))
    expect(statements.slice(0, 2)).toEqual(['CREATE TABLE notes_new_3', 'INSERT INTO notes_new_3'])
    expect((await c.query('SELECT rowid, body FROM notes ORDER BY rowid')).rows).toEqual([
      { rowid: 1, body: 'a' },
      { rowid: 3, body: 'c' },
    ])
  })

  it('changes in place what SQLite changes in place, and looks up a constraint dropped by name', async () => {
    const c = await open(`
      CREATE TABLE t (id integer PRIMARY KEY, a integer CONSTRAINT ck_a CHECK (a > 0), b integer CONSTRAINT uq_b UNIQUE)`)
    expect(
      await run(c, 't', (b) => {
        b.dropConstraint('ck_a')
        b.alterColumn('a', { rename: 'aa', nullable: false })
        b.createIndex('ix_t_aa', ['aa'])
      }),
    ).toEqual(['ALTER TABLE t', 'ALTER TABLE t', 'ALTER TABLE t', 'CREATE INDEX ix_t_aa'])
    expect((await run(c, 't', (b) => b.dropConstraint('uq_b')))[0]).toBe('CREATE TABLE t_new')
    expect(await schema(c)).toEqual([
      'CREATE INDEX ix_t_aa ON t (aa)',
      'CREATE TABLE "t" ( id integer PRIMARY KEY NOT NULL, aa integer NOT NULL, b integer )',
    ])
  })

  it("fails when a view reads a column the rebuild drops, as SQLite's DROP COLUMN does", async () => {
    const c = await open(`
      CREATE TABLE t (id integer PRIMARY KEY, a text, b text CONSTRAINT uq_b UNIQUE);
      CREATE VIEW v AS SELECT id, a FROM t;`)
    const failed = await run(c, 't', (b) => {
      b.dropConstraint('uq_b')
      b.dropColumn('a')
    }).catch((e: Error) => e.message)
    expect(failed).toBe('no such column: a')
    await c.execute('ROLLBACK')
  })

  it('refuses, in one line, what cannot be rebuilt where it would run', async () => {
    const c = await open('CREATE TABLE t (id integer PRIMARY KEY, a text)')
    const op: MigrationOp = {
      kind: 'alterColumn',
      schema: undefined,
      table: 't',
      column: 'a',
      changes: { type: { to: T.integer } },
    }
    expect(compiler.needsDatabase(op)).toBe(true)
    expect(() => compiler.compile(op)).toThrow(
      /^SQLite can do changing the type of t\.a only by rebuilding the table, which aludel writes from the table as the database holds it: run this migration online \(not with --sql\), or write the rebuild by hand with op\.execute$/,
    )
    await expect(compiler.compileWithDatabase(op, c, { transactional: false })).rejects.toThrow(
      /^SQLite can do changing the type of t\.a only by rebuilding the table, which must happen inside the migration's transaction: remove `export const transactional = false` from the migration, or move the change to a migration of its own$/,
    )
    await c.execute('PRAGMA foreign_keys = ON')
    await expect(compiler.compileWithDatabase(op, c, { transactional: true })).rejects.toThrow(
      /^cannot rebuild table t: this connection enforces foreign keys \(PRAGMA foreign_keys = ON/,
    )
    await c.execute('PRAGMA foreign_keys = OFF')
    await expect(
      compiler.compileWithDatabase({ ...op, table: 'nowhere' }, c, { transactional: true }),
    ).rejects.toThrow(
      'SQLite can do changing the type of nowhere.a only by rebuilding the table, and the main database has no table nowhere to rebuild',
    )
  })

  it('checks a new NOT NULL column and a column made NOT NULL against the rows first', async () => {
    const c = await open(
      'CREATE TABLE t (id integer PRIMARY KEY, a text); INSERT INTO t VALUES (1, NULL)',
    )
    const attempt = (body: (b: BatchOperations) => void) =>
      run(c, 't', body).catch((e: Error) => e.message)
    expect(
      await attempt((b) => {
        b.alterColumn('a', { type: varchar(5) })
        b.addColumn('b', text().notNull())
      }),
    ).toBe(
      'cannot rebuild table t: column b is added NOT NULL without a default, and the table has rows; give it a default, or add it nullable, fill it, then make it NOT NULL',
    )
    await c.execute('ROLLBACK')
    expect(await attempt((b) => b.alterColumn('a', { type: varchar(5), nullable: false }))).toBe(
      'cannot rebuild table t: column a holds NULLs, so it cannot become NOT NULL; fill them first',
    )
  })
})
