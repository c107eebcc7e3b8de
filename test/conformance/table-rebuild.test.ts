import { afterEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { downgrade, MigrationFailedError, upgrade } from '../../src/index.ts'
import type { TableDef } from '../../src/schema/schema-snapshot.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject, type MigrationSpec, type TestProject } from '../support/project.ts'

/**
 * Changes SQLite makes only by rebuilding the table — a type, a default, a foreign key or unique
 * constraint added or dropped, several changes in one `op.batch` — on every backend: PostgreSQL
 * alters the table in place, SQLite rebuilds it. Either way the rows stay, the table's index and
 * trigger and the view on it keep working, the table referencing it still does, and every
 * downgrade restores the shape and the data before it. Where the engines differ, the maps below
 * say how, for every backend whose DDL is transactional: a failure here must leave the database
 * exactly as before, which MariaDB, whose every DDL statement commits, cannot promise. Its
 * counterpart is `mysql-online-ddl.test.ts`.
 */

/** The backends that roll a failed table change back as a whole. */
type RebuildBackend = Exclude<ConformanceBackend, 'mariadb'>

function rebuildBackends(): readonly { backend: RebuildBackend; skip: string | undefined }[] {
  return conformanceBackends().flatMap((b) =>
    b.backend === 'mariadb' ? [] : [{ backend: b.backend, skip: b.skip }],
  )
}

const PG_TRIGGERS = `CREATE FUNCTION log_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO item_log (item_id) VALUES (NEW.id); RETURN NEW; END $$;
CREATE TRIGGER tr_items_log AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION log_item();
CREATE FUNCTION log_review() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO item_log (item_id) SELECT id FROM items WHERE id = NEW.item_id; RETURN NEW; END $$;
CREATE TRIGGER tr_reviews_log AFTER INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION log_review()`

/**
 * A trigger on items, and one on reviews that reads items: PostgreSQL's run a function, SQLite's
 * have their body inline.
 */
const TRIGGERS: Record<RebuildBackend, { readonly create: string; readonly drop: string }> = {
  pglite: { create: PG_TRIGGERS, drop: 'DROP FUNCTION log_item(); DROP FUNCTION log_review()' },
  postgres: { create: PG_TRIGGERS, drop: 'DROP FUNCTION log_item(); DROP FUNCTION log_review()' },
  sqlite: {
    create: `CREATE TRIGGER tr_items_log AFTER INSERT ON items BEGIN INSERT INTO item_log (item_id) VALUES (NEW.id); END;
CREATE TRIGGER tr_reviews_log AFTER INSERT ON reviews BEGIN INSERT INTO item_log (item_id) SELECT id FROM items WHERE id = NEW.item_id; END`,
    drop: 'SELECT 1',
  },
}

/**
 * The tables and their rows, an index and a trigger on items, a view on items and one that joins
 * reviews to items, and reviews' foreign key to items (whose rows it deletes with an item).
 */
function writeBase(project: TestProject, backend: RebuildBackend): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'shop',
    extra: "import { integer, table, text } from 'aludel'",
    upgrade: `await op.createTable(table('authors', { id: integer().primaryKey(), name: text().notNull() }))
  await op.createTable(table('items', {
    id: integer().primaryKey(),
    title: text().notNull(),
    qty: integer().default(0),
    code: text(),
    ownerId: integer('owner_id'),
  }))
  await op.createIndex('ix_items_title', 'items', ['title'])
  await op.createTable(table('item_log', { itemId: integer('item_id') }))
  await op.createTable(table('reviews', {
    id: integer().primaryKey(),
    itemId: integer('item_id').references('items', 'id', { name: 'fk_reviews_item', onDelete: 'cascade' }),
  }))
  await op.execute('CREATE VIEW item_titles AS SELECT id, title FROM items')
  await op.execute('CREATE VIEW review_titles AS SELECT r.id, i.title FROM reviews r JOIN items i ON i.id = r.item_id')
  await op.execute(${JSON.stringify(TRIGGERS[backend].create)})
  await op.bulkInsert('authors', [{ id: 1, name: 'Ann' }, { id: 2, name: 'Bob' }])
  await op.bulkInsert('items', [
    { id: 1, title: 'apple', qty: 3, code: '10', owner_id: 1 },
    { id: 2, title: 'pear', qty: 1, code: '20', owner_id: 2 },
    { id: 3, title: 'plum', qty: 7, code: '30', owner_id: 1 },
  ])
  await op.bulkInsert('reviews', [{ id: 1, item_id: 1 }, { id: 2, item_id: 3 }])`,
    downgrade: `await op.execute('DROP VIEW review_titles')
  await op.execute('DROP VIEW item_titles')
  await op.dropTable('reviews')
  await op.dropTable('item_log')
  await op.dropTable('items')
  await op.dropTable('authors')
  await op.execute(${JSON.stringify(TRIGGERS[backend].drop)})`,
  })
}

/** One migration per change; each downgrade undoes it. */
const STEPS: readonly {
  readonly revision: string
  readonly message: string
  readonly upgrade: string
  readonly downgrade: string
}[] = [
  {
    revision: 'b1b1b1',
    message: 'a type',
    upgrade:
      "await op.alterColumn('items', 'code', { type: integer(), using: 'CAST(code AS integer)', existingType: text() })",
    downgrade:
      "await op.alterColumn('items', 'code', { type: text(), using: 'CAST(code AS text)', existingType: integer() })",
  },
  {
    revision: 'b2b2b2',
    message: 'a default',
    upgrade: "await op.alterColumn('items', 'qty', { default: 5, existingDefault: 0 })",
    downgrade: "await op.alterColumn('items', 'qty', { default: 0, existingDefault: 5 })",
  },
  {
    revision: 'b3b3b3',
    message: 'a foreign key',
    upgrade:
      "await op.createForeignKey('fk_items_owner', 'items', 'authors', ['owner_id'], ['id'])",
    // By name alone: SQLite looks up what it is.
    downgrade: "await op.dropConstraint('fk_items_owner', 'items')",
  },
  {
    revision: 'b4b4b4',
    message: 'a unique constraint',
    upgrade: "await op.createUniqueConstraint('uq_items_title', 'items', ['title'])",
    downgrade: `await op.dropConstraint('uq_items_title', 'items', {
    definition: { type: 'unique', definition: { name: 'uq_items_title', columns: ['title'], nullsNotDistinct: false } },
  })`,
  },
  {
    revision: 'b5b5b5',
    message: 'a foreign key dropped',
    upgrade: "await op.dropConstraint('fk_reviews_item', 'reviews')",
    downgrade:
      "await op.createForeignKey('fk_reviews_item', 'reviews', 'items', ['item_id'], ['id'], { onDelete: 'cascade' })",
  },
  {
    revision: 'b6b6b6',
    message: 'three changes at once',
    upgrade: `await op.batch('items', (batch) => {
    batch.alterColumn('qty', { type: bigint(), existingType: integer() })
    batch.addColumn('note', text().notNull().default('-'))
    batch.alterColumn('code', { rename: 'sku' })
  })`,
    downgrade: `await op.batch('items', (batch) => {
    batch.alterColumn('sku', { rename: 'code' })
    batch.dropColumn('note')
    batch.alterColumn('qty', { type: integer(), existingType: bigint() })
  })`,
  },
]

function writeSteps(project: TestProject): void {
  STEPS.forEach((step, i) => {
    project.writeMigration({
      ...step,
      down: i === 0 ? 'aaaaaa' : STEPS[i - 1]!.revision,
      extra: "import { bigint, integer, text } from 'aludel'",
    })
  })
}

/** Runs `body` on a connection of aludel's own dialect for `db`, then closes it. */
async function withConnection<T>(
  db: ConformanceDatabase,
  body: (connection: Connection, tables: () => Promise<Map<string, TableDef>>) => Promise<T>,
): Promise<T> {
  const dialect = await openDialect(db.url, '/')
  const connection = await dialect.driver.connect('test')
  const tables = async () => {
    const snapshot = await dialect.introspector.introspect(connection, {
      schemas: ['public'],
      defaultSchema: 'public',
      excludeTables: ['aludel_version', 'aludel_version_ledger', 'aludel_version_lock'],
    })
    return new Map(snapshot.tables.map((t) => [t.name, t]))
  }
  try {
    return await body(connection, tables)
  } finally {
    await connection.close()
    await dialect.driver.close()
  }
}

/** What the tables and their neighbours hold with the first `applied` steps applied. */
async function expectState(db: ConformanceDatabase, applied: number): Promise<void> {
  const code = applied >= 6 ? 'sku' : 'code'
  await withConnection(db, async (c, tables) => {
    const rows = async (sql: string) => (await c.query<Record<string, unknown>>(sql)).rows
    // CAST: PostgreSQL's count(*) is a bigint, which its driver returns as a string.
    const count = async (from: string) =>
      (await rows(`SELECT CAST(count(*) AS integer) AS n FROM ${from}`))[0]!.n
    // The rows are all there, converted where the type changed.
    expect(await rows(`SELECT id, title, ${code} AS code FROM items ORDER BY id`)).toEqual([
      { id: 1, title: 'apple', code: applied >= 1 ? 10 : '10' },
      { id: 2, title: 'pear', code: applied >= 1 ? 20 : '20' },
      { id: 3, title: 'plum', code: applied >= 1 ? 30 : '30' },
    ])
    expect(await count('reviews')).toBe(2)
    expect(await count('item_log')).toBe(5)
    // The views read items, directly and through reviews.
    expect(await count('item_titles')).toBe(3)
    expect(await rows('SELECT id, title FROM review_titles ORDER BY id')).toEqual([
      { id: 1, title: 'apple' },
      { id: 2, title: 'plum' },
    ])
    // The shape, as introspection reads it.
    const all = await tables()
    const items = all.get('items')!
    const reviews = all.get('reviews')!
    expect(items.columns.map((col) => col.name)).toEqual(
      applied >= 6
        ? ['id', 'title', 'qty', 'sku', 'owner_id', 'note']
        : ['id', 'title', 'qty', 'code', 'owner_id'],
    )
    expect(items.columns.find((col) => col.name === code)?.type.kind).toBe(
      applied >= 1 ? 'integer' : 'text',
    )
    expect(items.columns.find((col) => col.name === 'qty')?.type.kind).toBe(
      applied >= 6 ? 'bigint' : 'integer',
    )
    expect(items.indexes.map((i) => i.name)).toEqual(['ix_items_title'])
    expect(items.foreignKeys.map((fk) => [fk.name, fk.referencedTable])).toEqual(
      applied >= 3 ? [['fk_items_owner', 'authors']] : [],
    )
    expect(items.uniques.map((u) => u.name)).toEqual(applied >= 4 ? ['uq_items_title'] : [])
    // The table referencing items still references items, not a copy.
    expect(reviews.foreignKeys.map((fk) => [fk.name, fk.referencedTable, fk.onDelete])).toEqual(
      applied >= 5 ? [] : [['fk_reviews_item', 'items', 'cascade']],
    )
    // The default, the trigger on items and the trigger on reviews that reads items.
    await c.execute("INSERT INTO items (id, title) VALUES (100, 'probe')")
    expect(await rows('SELECT CAST(qty AS integer) AS qty FROM items WHERE id = 100')).toEqual([
      { qty: applied >= 2 ? 5 : 0 },
    ])
    await c.execute('INSERT INTO reviews (id, item_id) VALUES (100, 100)')
    expect(await rows('SELECT item_id FROM item_log WHERE item_id = 100')).toEqual([
      { item_id: 100 },
      { item_id: 100 },
    ])
    await c.execute('DELETE FROM item_log WHERE item_id = 100')
    await c.execute('DELETE FROM reviews WHERE id = 100')
    await c.execute('DELETE FROM items WHERE id = 100')
  })
}

/** Everything a failed migration must leave as it was: the schema and every row. */
async function fingerprint(db: ConformanceDatabase, backend: RebuildBackend) {
  return withConnection(db, async (c, tables) => {
    const all = await tables()
    const rows: Record<string, unknown> = {}
    for (const name of [...all.keys()].sort()) {
      rows[name] = (await c.query(`SELECT * FROM ${name} ORDER BY 1`)).rows
    }
    const catalog =
      backend === 'sqlite'
        ? (await c.query('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name')).rows
        : []
    return { tables: [...all.values()], rows, catalog }
  })
}

/**
 * Upgrades a new database with the shop to `migration` after it, which must fail: its one-line
 * message, once the proof is made that nothing changed.
 */
async function failing(
  backend: RebuildBackend,
  migration: Omit<MigrationSpec, 'down'>,
): Promise<string> {
  const db = await createConformanceDatabase(backend)
  try {
    const project = createProject(db.url)
    writeBase(project, backend)
    project.writeMigration({ ...migration, down: 'aaaaaa' })
    await upgrade(project.config, 'aaaaaa')
    const before = await fingerprint(db, backend)
    const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(MigrationFailedError)
    const message = (failed as Error).message
    expect(message).not.toContain('\n')
    if (migration.transactional !== false) {
      expect(message).toContain('rolled back; the database is still at aaaaaa')
    }
    expect(await fingerprint(db, backend)).toEqual(before)
    return message
  } finally {
    await db.drop()
  }
}

/** Why adding a foreign key fails when a row references nothing, as each engine says it. */
const BROKEN_FOREIGN_KEY: Record<RebuildBackend, RegExp> = {
  pglite:
    /insert or update on table "items" violates foreign key constraint "fk_items_owner" \(SQLSTATE 23503\) — Key \(owner_id\)=\(99\) is not present in table "authors"/,
  postgres:
    /insert or update on table "items" violates foreign key constraint "fk_items_owner" \(SQLSTATE 23503\) — Key \(owner_id\)=\(99\) is not present in table "authors"/,
  sqlite:
    /failed: rebuilding items leaves rows whose foreign key finds no row \(PRAGMA foreign_key_check\): items rowid 2 -> authors; statement: SELECT c\."table"/,
}

/** Why a unique constraint over duplicated values fails. */
const DUPLICATES: Record<RebuildBackend, RegExp> = {
  pglite:
    /could not create unique index "uq_items_owner" \(SQLSTATE 23505\) — Key \(owner_id\)=\(1\) is duplicated/,
  postgres:
    /could not create unique index "uq_items_owner" \(SQLSTATE 23505\) — Key \(owner_id\)=\(1\) is duplicated/,
  sqlite: /UNIQUE constraint failed: items_new\.owner_id; statement: INSERT INTO items_new/,
}

/** Why a NOT NULL column without a default cannot be added to a table with rows. */
const NOT_NULL: Record<RebuildBackend, RegExp> = {
  pglite: /column "required" of relation "items" contains null values \(SQLSTATE 23502\)/,
  postgres: /column "required" of relation "items" contains null values \(SQLSTATE 23502\)/,
  sqlite:
    /cannot rebuild table items: column required is added NOT NULL without a default, and the table has rows; give it a default, or add it nullable, fill it, then make it NOT NULL/,
}

/** What `upgrade --sql` makes of a type change: SQL where the change is in place. */
const OFFLINE: Record<RebuildBackend, { readonly code: number; readonly stderr: RegExp }> = {
  pglite: { code: 0, stderr: /^$/ },
  postgres: { code: 0, stderr: /^$/ },
  sqlite: {
    code: 2,
    stderr:
      /^error: SQLite can do changing the type of items\.code only by rebuilding the table, which aludel writes from the table as the database holds it: run this migration online \(not with --sql\), or write the rebuild by hand with op\.execute\n$/,
  },
}

describe.each(rebuildBackends())(
  'table changes SQLite rebuilds for, on $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    it.skipIf(skip)(
      'each change, up and down: rows, index, triggers, views and references stay',
      async () => {
        db = await createConformanceDatabase(backend)
        const project = createProject(db.url)
        writeBase(project, backend)
        writeSteps(project)
        await upgrade(project.config, 'aaaaaa')
        await expectState(db, 0)
        for (const [i, step] of STEPS.entries()) {
          await upgrade(project.config, step.revision)
          await expectState(db, i + 1)
        }
        for (let i = STEPS.length - 1; i >= 0; i--) {
          await downgrade(project.config, i === 0 ? 'aaaaaa' : STEPS[i - 1]!.revision)
          await expectState(db, i)
        }
      },
    )

    it.skipIf(skip)('a foreign key that rows break fails, names them, and rolls back', async () => {
      const message = await failing(backend, {
        revision: 'c1c1c1',
        message: 'owners',
        upgrade: `await op.execute('UPDATE items SET owner_id = 99 WHERE id = 2')
  await op.createForeignKey('fk_items_owner', 'items', 'authors', ['owner_id'], ['id'])`,
      })
      expect(message).toMatch(BROKEN_FOREIGN_KEY[backend])
    })

    it.skipIf(skip)(
      'a failure halfway through the changes leaves the database exactly as before',
      async () => {
        const message = await failing(backend, {
          revision: 'c2c2c2',
          message: 'duplicates',
          upgrade: `await op.alterColumn('items', 'qty', { default: 9 })
  await op.createUniqueConstraint('uq_items_owner', 'items', ['owner_id'])`,
        })
        expect(message).toMatch(DUPLICATES[backend])
      },
    )

    it.skipIf(skip)(
      'a NOT NULL column without a default, added to a table with rows, fails before the copy',
      async () => {
        const message = await failing(backend, {
          revision: 'c3c3c3',
          message: 'required',
          extra: "import { text } from 'aludel'",
          upgrade: `await op.alterColumn('items', 'qty', { default: 9 })
  await op.batch('items', (batch) => {
    batch.alterColumn('qty', { default: 8 })
    batch.addColumn('required', text().notNull())
  })`,
        })
        expect(message).toMatch(NOT_NULL[backend])
      },
    )

    it.skipIf(skip)('upgrade --sql writes a change only where it is made in place', async () => {
      db = await createConformanceDatabase(backend)
      const project = createProject(db.url)
      writeBase(project, backend)
      writeSteps(project)
      const script = await project.cli(['upgrade', 'base:b1b1b1', '--sql'])
      expect({ code: script.code }).toEqual({ code: OFFLINE[backend].code })
      expect(script.stderr).toMatch(OFFLINE[backend].stderr)
      if (script.code === 0) expect(script.stdout).toContain('ALTER TABLE items ALTER COLUMN code')
    })
  },
)

describe('a SQLite table rebuild outside a transaction', () => {
  it('is refused before anything runs: cut short, it could leave the table dropped', async () => {
    const message = await failing('sqlite', {
      revision: 'd1d1d1',
      message: 'outside',
      transactional: false,
      extra: "import { integer } from 'aludel'",
      upgrade: "await op.alterColumn('items', 'code', { type: integer() })",
    })
    expect(message).toContain(
      "failed: SQLite can do changing the type of items.code only by rebuilding the table, which must happen inside the migration's transaction: remove `export const transactional = false` from the migration, or move the change to a migration of its own",
    )
  })
})
