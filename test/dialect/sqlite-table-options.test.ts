import { afterEach, describe, expect, it } from 'vitest'
import { sqliteComparator } from '../../src/dialect/sqlite/sqlite-comparator.ts'
import { SqliteDdlCompiler } from '../../src/dialect/sqlite/sqlite-ddl-compiler.ts'
import {
  checkModels,
  current,
  downgrade,
  MigrationFailedError,
  pull,
  upgrade,
} from '../../src/index.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { ColumnType } from '../../src/schema/schema-snapshot.ts'
import { modelProject } from '../autogenerate/schema-objects-support.ts'
import { type ConformanceDatabase, createConformanceDatabase } from '../support/databases.ts'
import { column, primaryKey, T, table } from '../support/snapshot-literals.ts'

/**
 * SQLite's STRICT and WITHOUT ROWID end to end on a real database: a table created from the
 * models with them (STRICT columns declared with their storage types, the models' types noted so
 * that `check` and a later rebuild read them back), values of the wrong type refused, the options
 * changed by a generated `alterTableOptions` (a table rebuild) and changed back with the rows
 * kept, a rebuild to STRICT over a value of the wrong type rolled back, and what a STRICT or
 * WITHOUT ROWID table cannot have refused with what to do.
 */

/** Models of one table `events`, its columns and `options` as table()'s third argument. */
const MODELS = (columns: string, options?: string) => `import {
  bigint, boolean, bytea, doublePrecision, integer, jsonb, numeric, real, serial, table, text,
  timestamp, uuid, varchar,
} from 'aludel'

export const events = table(
  'events',
  { ${columns} },${options === undefined ? '' : `\n  ${options},`}
)
`

/** The columns most tests use: types a STRICT table declares otherwise, and a key. */
const COLUMNS =
  'id: integer().primaryKey(), name: varchar(255).notNull(), active: boolean().notNull().default(true), at: timestamp(), qty: bigint(), ratio: doublePrecision(), token: uuid(), body: bytea(), doc: jsonb(), note: text()'

const BOTH = '{ sqlite: { strict: true, withoutRowid: true } }'

const FLAGS_SQL =
  "SELECT strict, wr FROM pragma_table_list WHERE schema = 'main' AND name = 'events'"
const TABLE_SQL = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events'"

/** The revision the database is at ('' at base). */
async function at(config: Parameters<typeof current>[0]): Promise<string> {
  return (await current(config)).current.map((h) => h.revision).join(',')
}

/**
 * Everything a failed migration must leave as it was: the models' tables and their rows, and the
 * revision (aludel's own tables, created before the first migration runs, are left out).
 */
async function fingerprint(db: ConformanceDatabase, config: Parameters<typeof current>[0]) {
  const ours = "tbl_name NOT LIKE 'sqlite%' AND tbl_name NOT LIKE 'aludel%'"
  const tables = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_schema WHERE type = 'table' AND ${ours} ORDER BY name`,
  )
  const rows: Record<string, unknown> = {}
  for (const { name } of tables) rows[name] = await db.query(`SELECT * FROM ${name} ORDER BY 1`)
  return {
    catalog: await db.query(`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE ${ours}`),
    rows,
    at: await at(config),
  }
}

/** Upgrades to head, which must fail: its one-line message, once nothing is shown to change. */
async function failing(db: ConformanceDatabase, config: Parameters<typeof current>[0]) {
  const before = await fingerprint(db, config)
  const failed = await upgrade(config, 'head').catch((e: unknown) => e)
  expect(failed).toBeInstanceOf(MigrationFailedError)
  const message = (failed as Error).message
  expect(message).not.toContain('\n')
  expect(await fingerprint(db, config)).toEqual(before)
  return message
}

describe('SQLite STRICT and WITHOUT ROWID tables', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('creates a STRICT, WITHOUT ROWID table from the models, which then compare clean', async () => {
    db = await createConformanceDatabase('sqlite')
    const { useModels, generate } = modelProject(db)
    const config = useModels(MODELS(COLUMNS, BOTH))
    const script = (await generate(config)).text
    expect(script).toContain('sqlite: { strict: true, withoutRowid: true }')
    await upgrade(config, 'head')
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 1, wr: 1 }])
    // Storage types only, each after a note of the models' type where that is spelled otherwise.
    const [{ sql }] = (await db.query<{ sql: string }>(TABLE_SQL)) as [{ sql: string }]
    expect(sql).toBe(`CREATE TABLE events (
    id integer NOT NULL,
    name /* varchar(255) */ text NOT NULL,
    active /* boolean */ integer DEFAULT 1 NOT NULL,
    at /* timestamp */ text,
    qty /* bigint */ integer,
    ratio /* double precision */ real,
    token /* uuid */ text,
    body blob,
    doc /* jsonb */ text,
    note text,
    CONSTRAINT pk_events PRIMARY KEY (id)
) STRICT, WITHOUT ROWID`)
    expect(
      await db.query("SELECT name, type FROM pragma_table_info('events') ORDER BY cid LIMIT 3"),
    ).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'TEXT' },
      { name: 'active', type: 'INTEGER' },
    ])
    expect((await checkModels(config)).differences).toEqual([])
    // Models pulled from the database say the options and the models' types, and compare clean.
    const pulled = (await pull(config)).text
    expect(pulled).toContain('sqlite: { strict: true, withoutRowid: true }')
    expect(pulled).toContain('name: varchar(255).notNull()')
    expect((await checkModels(useModels(pulled))).differences).toEqual([])

    // STRICT refuses a value its column's type cannot hold; a value it converts losslessly goes in.
    await db.query("INSERT INTO events (id, name, qty) VALUES (1, 'one', '12')")
    expect(await db.query('SELECT id, name, active, qty FROM events')).toEqual([
      { id: 1, name: 'one', active: 1, qty: 12 },
    ])
    await expect(
      db.query("INSERT INTO events (id, name, qty) VALUES (2, 'two', 'many')"),
    ).rejects.toThrow('cannot store TEXT value in INTEGER column events.qty')
    // WITHOUT ROWID: the key is the row's only address, and no rowid is there to read.
    await expect(db.query('SELECT rowid FROM events')).rejects.toThrow('no such column: rowid')
    await expect(db.query("INSERT INTO events (name) VALUES ('no key')")).rejects.toThrow(
      'NOT NULL constraint failed: events.id',
    )
  })

  it('adds a column to a STRICT table and changes one in a batch, keeping STRICT', async () => {
    db = await createConformanceDatabase('sqlite')
    const { project, useModels, generate } = modelProject(db)
    const first = useModels(MODELS('id: integer().primaryKey(), name: varchar(20)', BOTH))
    await generate(first)
    await upgrade(first, 'head')
    await db.query("INSERT INTO events (id, name) VALUES (1, 'kept')")

    // ADD COLUMN, in place: the table tells the compiler to declare the storage type.
    const second = useModels(
      MODELS('id: integer().primaryKey(), name: varchar(20), seen: timestamp()', BOTH),
    )
    expect((await generate(second)).text).toContain("'seen', timestamp()")
    await upgrade(second, 'head')
    expect((await db.query<{ sql: string }>(TABLE_SQL))[0]!.sql).toContain(
      'seen /* timestamp */ text',
    )
    expect((await checkModels(second)).differences).toEqual([])

    // A type change is a rebuild, which keeps the options and the rows.
    const third = useModels(
      MODELS('id: integer().primaryKey(), name: varchar(40), seen: timestamp()', BOTH),
    )
    expect((await checkModels(third)).differences).toEqual([
      'alter column events.name: type varchar(20) -> varchar(40)',
    ])
    await generate(third)
    await upgrade(third, 'head')
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 1, wr: 1 }])
    expect((await checkModels(third)).differences).toEqual([])
    expect(await db.query('SELECT id, name, seen FROM events')).toEqual([
      { id: 1, name: 'kept', seen: null },
    ])

    // Several changes in one op.batch: one rebuild, STRICT and WITHOUT ROWID kept.
    const head = (await current(third)).current[0]!.revision
    const before = await db.query(TABLE_SQL)
    project.writeMigration({
      revision: 'b47c4b',
      down: head,
      message: 'batch',
      extra: "import { boolean, text, varchar } from 'aludel'",
      upgrade: `await op.batch('events', (batch) => {
    batch.addColumn('flag', boolean().notNull().default(false))
    batch.alterColumn('name', { type: text(), existingType: varchar(40) })
  })`,
      downgrade: `await op.batch('events', (batch) => {
    batch.alterColumn('name', { type: varchar(40), existingType: text() })
    batch.dropColumn('flag')
  })`,
    })
    await upgrade(third, 'head')
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 1, wr: 1 }])
    expect((await db.query<{ sql: string }>(TABLE_SQL))[0]!.sql).toContain(
      'name text,\n    seen /* timestamp */ text,\n    flag /* boolean */ integer DEFAULT 0 NOT NULL',
    )
    expect(await db.query('SELECT id, name, flag FROM events')).toEqual([
      { id: 1, name: 'kept', flag: 0 },
    ])
    await downgrade(third, head)
    expect(await db.query(TABLE_SQL)).toEqual(before)
  })
})

describe('a STRICT table written by hand', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('reads as its storage types, which one rebuild notes as the models give them', async () => {
    db = await createConformanceDatabase('sqlite')
    await db.query(
      'CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, active INTEGER) STRICT',
    )
    await db.query("INSERT INTO events (id, name, active) VALUES (1, 'kept', 1)")
    const { useModels, generate } = modelProject(db)
    const pulled = useModels((await pull(useModels(MODELS('id: integer().primaryKey()')))).text)
    expect((await checkModels(pulled)).differences).toEqual([])
    // The table cannot tell varchar(20) from text: the models say which, once.
    const config = useModels(
      MODELS(
        'id: integer().primaryKey(), name: varchar(20).notNull(), active: boolean()',
        '{ sqlite: { strict: true } }',
      ),
    )
    expect((await checkModels(config)).differences).toEqual([
      'alter column events.active: type integer -> boolean',
      'alter column events.name: type text -> varchar(20)',
    ])
    await generate(config)
    await upgrade(config, 'head')
    expect((await checkModels(config)).differences).toEqual([])
    expect((await db.query<{ sql: string }>(TABLE_SQL))[0]!.sql).toContain(
      'name /* varchar(20) */ text NOT NULL,\n    active /* boolean */ integer',
    )
    expect(await db.query('SELECT * FROM events')).toEqual([{ id: 1, name: 'kept', active: 1 }])
  })
})

describe('SQLite table options changed by a rebuild', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('generates alterTableOptions, which rebuilds the table with its rows, and back', async () => {
    db = await createConformanceDatabase('sqlite')
    const { project, useModels, generate, dropLast } = modelProject(db)
    const first = useModels(MODELS(COLUMNS))
    await generate(first)
    await upgrade(first, 'head')
    const head = await at(first)
    // The key is the rowid here; WITHOUT ROWID keeps its values, and a rowid table again numbers.
    await db.query(
      "INSERT INTO events (name, active, at, qty, ratio, body, doc) VALUES ('one', 1, '2024-05-01T10:00:00.000Z', 7, 0.5, X'00ff', '{\"a\":1}'), ('two', 0, NULL, NULL, NULL, NULL, NULL)",
    )
    const rows = await db.query('SELECT * FROM events ORDER BY id')
    expect(rows).toHaveLength(2)

    const second = useModels(MODELS(COLUMNS, BOTH))
    // The key stops being the rowid with the table's options: no change of its own.
    expect((await checkModels(second)).differences).toEqual([
      'set sqlite strict=true, sqlite withoutRowid=true on table events',
    ])
    const script = (await generate(second)).text
    expect(script).toMatch(
      /await op\.alterTableOptions\(\s*'events',\s*\{ sqlite: \{ strict: true, withoutRowid: true \} \},\s*\{\s*existingOptions: \{ sqlite: \{ strict: false, withoutRowid: false \} \},?\s*\},?\s*\)/,
    )
    expect(script.replace(/\s*\/\/ /g, ' ')).toContain(
      "WARNING: rebuilds the table to make it STRICT and WITHOUT ROWID, copying every row; the copy fails, rolling the migration back, on a value its column's type cannot hold; an INTEGER PRIMARY KEY keeps its values but numbers no new row",
    )
    expect(script).not.toContain('manual step')
    // Offline, the rebuild cannot read the table it copies.
    const offline = await project.cli(['upgrade', `${head}:head`, '--sql'])
    expect({ code: offline.code, stderr: offline.stderr }).toEqual({
      code: 2,
      stderr:
        'error: SQLite can do making events STRICT and WITHOUT ROWID only by rebuilding the table, which aludel writes from the table as the database holds it: run this migration online (not with --sql), or write the rebuild by hand with op.execute\n',
    })

    await upgrade(second, 'head')
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 1, wr: 1 }])
    expect(await db.query('SELECT * FROM events ORDER BY id')).toEqual(rows)
    expect((await checkModels(second)).differences).toEqual([])
    await expect(db.query("INSERT INTO events (name) VALUES ('three')")).rejects.toThrow(
      'NOT NULL constraint failed: events.id',
    )

    await downgrade(second, head)
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 0, wr: 0 }])
    expect(await db.query('SELECT * FROM events ORDER BY id')).toEqual(rows)
    // The models' types came back from STRICT's notes: the first models compare clean again.
    dropLast()
    expect((await checkModels(first)).differences).toEqual([])
    await db.query("INSERT INTO events (name) VALUES ('three')")
    expect(await db.query("SELECT id FROM events WHERE name = 'three'")).toEqual([{ id: 3 }])
  })

  it('fails a rebuild to STRICT over a value of the wrong type, leaving everything as it was', async () => {
    db = await createConformanceDatabase('sqlite')
    const { useModels, generate } = modelProject(db)
    const first = useModels(MODELS('id: integer().primaryKey(), qty: integer()'))
    await generate(first)
    await upgrade(first, 'head')
    // An ordinary table keeps text its INTEGER affinity cannot convert.
    await db.query("INSERT INTO events (id, qty) VALUES (1, 5), (2, 'lots')")
    const second = useModels(MODELS('id: integer().primaryKey(), qty: integer()', BOTH))
    await generate(second)
    const message = await failing(db, second)
    expect(message).toContain('cannot store TEXT value in INTEGER column events_new.qty')
    expect(message).toContain(`rolled back; the database is still at ${await at(first)}`)
    expect(await db.query(FLAGS_SQL)).toEqual([{ strict: 0, wr: 0 }])
    expect(await db.query('SELECT id, qty FROM events ORDER BY id')).toEqual([
      { id: 1, qty: 5 },
      { id: 2, qty: 'lots' },
    ])
  })

  it('refuses WITHOUT ROWID for a table without a primary key, created or rebuilt', async () => {
    db = await createConformanceDatabase('sqlite')
    const { useModels, generate, dropLast } = modelProject(db)
    const withoutRowid = '{ sqlite: { withoutRowid: true } }'
    const keyless = useModels(MODELS('body: text()', withoutRowid))
    await generate(keyless)
    expect(await failing(db, keyless)).toContain(
      'failed: table events is WITHOUT ROWID, which needs a primary key; declare one, or drop withoutRowid',
    )
    dropLast()
    // Nor can a serial key number rows without the rowid.
    const serial = useModels(MODELS('id: serial().primaryKey(), body: text()', withoutRowid))
    await generate(serial)
    expect(await failing(db, serial)).toContain(
      'failed: column id of events is serial or an identity column, which SQLite numbers through the rowid, and a WITHOUT ROWID table has none; drop serial/identity and give the key its values, or drop withoutRowid',
    )
    dropLast()
    const plain = useModels(MODELS('body: text()'))
    await generate(plain)
    await upgrade(plain, 'head')
    await db.query("INSERT INTO events (body) VALUES ('kept')")
    const rebuilt = useModels(MODELS('body: text()', withoutRowid))
    expect((await generate(rebuilt)).text).toContain('await op.alterTableOptions(')
    expect(await failing(db, rebuilt)).toContain(
      'failed: cannot rebuild table events: a WITHOUT ROWID table needs a primary key, and it has none; add one first (op.createPrimaryKey)',
    )
  })

  it('refuses numeric, which a STRICT table has no exact type for, saying what to use', async () => {
    db = await createConformanceDatabase('sqlite')
    const { useModels, generate } = modelProject(db)
    const config = useModels(
      MODELS('id: integer().primaryKey(), price: numeric(10, 2)', '{ sqlite: { strict: true } }'),
    )
    await generate(config)
    expect(await failing(db, config)).toContain(
      'failed: column price: a STRICT table has no exact decimal type for numeric(10,2); declare the column real(), integer() (say, in cents) or text(), or drop strict',
    )
    expect(await db.query(FLAGS_SQL)).toEqual([])
  })
})

describe('sqliteComparator.tableOptionChanges', () => {
  const changes = sqliteComparator.tableOptionChanges

  it('compares STRICT and WITHOUT ROWID, a flag left out being false, and no other engine', () => {
    expect(changes(undefined, undefined)).toBeUndefined()
    expect(changes({ sqlite: { strict: false } }, undefined)).toBeUndefined()
    expect(changes({ mysql: { engine: 'Aria' } }, { mysql: { engine: 'InnoDB' } })).toBe(undefined)
    expect(changes({ sqlite: { strict: true }, mysql: { engine: 'Aria' } }, {})).toEqual({
      options: { sqlite: { strict: true, withoutRowid: false } },
      previous: { sqlite: { strict: false, withoutRowid: false } },
      warning:
        "rebuilds the table to make it STRICT, copying every row; the copy fails, rolling the migration back, on a value its column's type cannot hold",
    })
    const off = changes({}, { sqlite: { strict: true, withoutRowid: true } })
    expect(off?.options).toEqual({ sqlite: { strict: false, withoutRowid: false } })
    expect(off?.previous).toEqual({ sqlite: { strict: true, withoutRowid: true } })
    expect(off?.warning).toBe(
      'rebuilds the table to make it not STRICT and a rowid table, copying every row',
    )
  })
})

describe('the SQLite compiler', () => {
  const compiler = new SqliteDdlCompiler()
  const events = (options: object, columns = [column('id', T.integer, { nullable: false })]) =>
    table('events', { columns, primaryKey: primaryKey(undefined, ['id']), ...options })

  it('writes STRICT and WITHOUT ROWID after the columns', () => {
    const sql = (engineOptions: object) =>
      compiler.compile({
        kind: 'createTable',
        table: events({ engineOptions }),
        ifNotExists: false,
      })[0]!.sql
    expect(sql({ sqlite: { strict: true } })).toMatch(/\n\) STRICT$/)
    expect(sql({ sqlite: { withoutRowid: true } })).toMatch(/\n\) WITHOUT ROWID$/)
    expect(sql({ sqlite: { strict: true, withoutRowid: true } })).toMatch(
      /\n\) STRICT, WITHOUT ROWID$/,
    )
    expect(sql({ mysql: { engine: 'Aria' } })).toMatch(/\n\)$/)
  })

  it('declares STRICT columns with the six types only, refusing the rest with what to use', () => {
    const strict = { engineOptions: { sqlite: { strict: true } } }
    const create = (type: ColumnType) => () =>
      compiler.compile({
        kind: 'createTable',
        table: events(strict, [column('id', T.integer, { nullable: false }), column('x', type)]),
        ifNotExists: false,
      })
    expect(create(T.custom('any'))()[0]!.sql).toContain('    x any,')
    expect(create(T.custom(' INT '))()[0]!.sql).toContain('    x INT,')
    expect(create(T.custom('geometry'))).toThrow(
      'column x: a STRICT table takes only the column types INT, INTEGER, REAL, TEXT, BLOB and ANY, not geometry; use one of them, or drop strict',
    )
    expect(create(T.numeric())).toThrow(
      'column x: a STRICT table has no exact decimal type for numeric; declare the column real(), integer() (say, in cents) or text(), or drop strict',
    )
    expect(create({ kind: 'interval' })).toThrow(
      'SQLite has no interval type; store a duration as integer seconds or ISO 8601 text',
    )
  })

  it('changes SQLite table options only online, and does nothing for other engines', () => {
    const op = (options: object): MigrationOp => ({
      kind: 'alterTableOptions',
      schema: undefined,
      table: 'events',
      options,
      previous: undefined,
    })
    const mysqlOnly = op({ mysql: { engine: 'Aria' } })
    expect(compiler.needsDatabase(mysqlOnly)).toBe(false)
    expect(compiler.compile(mysqlOnly)).toEqual([])
    const sqlite = op({ sqlite: { strict: true } })
    expect(compiler.needsDatabase(sqlite)).toBe(true)
    expect(() => compiler.compile(sqlite)).toThrow(
      'SQLite can do making events STRICT and a rowid table only by rebuilding the table, which aludel writes from the table as the database holds it: run this migration online (not with --sql), or write the rebuild by hand with op.execute',
    )
  })
})
