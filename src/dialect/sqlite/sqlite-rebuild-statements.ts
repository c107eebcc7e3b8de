import type { Connection } from '../connection.ts'
import type { CompiledStatement } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { sqliteComparator } from './sqlite-comparator.ts'
import { createIndexSql, createTableSql } from './sqlite-ddl-fragments.ts'
import { quote } from './sqlite-expression.ts'
import type { LiveTable } from './sqlite-introspector.ts'
import { fold, quoteIdentifier } from './sqlite-quoting.ts'
import type { RebuildPlan } from './sqlite-table-rebuild.ts'
import type { SqliteTypeMapper } from './sqlite-type-mapper.ts'

/** How many offending rows a failed foreign-key check names. */
const SHOWN_ROWS = 10

/**
 * The statements of a table rebuild, in the order of SQLite's manual ("ALTER TABLE", "Making
 * Other Kinds Of Table Schema Changes"), read from the database they will run on:
 *
 * 1. `CREATE TABLE "<table>_new"` in the new shape, under a name no table, index, view or
 *    trigger has (in the main or the temporary schema);
 * 2. `INSERT INTO "<table>_new" (columns) SELECT ... FROM <table>`, columns by name (and rowids
 *    where no column holds them), so that added and dropped columns need nothing more;
 * 3. `DROP TABLE <table>`, which drops its indexes and triggers with it;
 * 4. `ALTER TABLE "<table>_new" RENAME TO <table>` with `PRAGMA legacy_alter_table` on: without
 *    it, SQLite (3.26+) checks every view and trigger while renaming and fails on those that read
 *    the table just dropped ("error in view v: no such table: main.<table>"); with it, only the
 *    new table's own CREATE is rewritten, and views and other tables' triggers and foreign keys,
 *    which name the table, find it again by that name;
 * 5. for an AUTOINCREMENT table, the highest rowid it ever used, back into `sqlite_sequence`
 *    (DROP TABLE forgot it); then its indexes and triggers, from the text `sqlite_schema` kept
 *    of them;
 * 6. the column renames, in place, so that SQLite rewrites whatever names those columns;
 * 7. the indexes the operations create, and a read of every view that names the table, which
 *    fails if it uses a column the rebuild dropped (SQLite's own DROP COLUMN refuses that);
 * 8. `PRAGMA foreign_key_check` of the table and of every table referencing it, which must find
 *    nothing.
 *
 * The old table is never renamed out of the way first: since SQLite 3.26 that rename rewrites
 * every reference to it in other tables, views and triggers, which would then point at the old
 * name and be left dangling. The statements run inside the migration's transaction, so that a
 * failure anywhere leaves the table as it was. They need foreign keys not enforced on the
 * connection (aludel's connections do not enforce them): enforced, the DROP TABLE would first
 * delete every row, running the ON DELETE actions of the tables referencing it; and `PRAGMA
 * foreign_keys` cannot change inside a transaction.
 *
 * Also checked here, before anything runs, with one line each: a column added NOT NULL without a
 * default to a table with rows, a column made NOT NULL that holds NULLs.
 */
export async function rebuildStatements(
  live: LiveTable,
  plan: RebuildPlan,
  connection: Connection,
  types: SqliteTypeMapper,
): Promise<readonly CompiledStatement[]> {
  const name = live.table.name
  const table = quoteIdentifier(name)
  const fail = (message: string): never => {
    throw new InvalidOperationError(`cannot rebuild table ${name}: ${message}`)
  }
  const [settings] = (
    await connection.query<{ fk: number; legacy: number }>(
      'SELECT (SELECT foreign_keys FROM pragma_foreign_keys) AS fk, (SELECT legacy_alter_table FROM pragma_legacy_alter_table) AS legacy',
    )
  ).rows
  if (Number(settings?.fk) === 1) {
    fail(
      "this connection enforces foreign keys (PRAGMA foreign_keys = ON, set by the migration?), so dropping the old table would delete its rows first and run the ON DELETE actions of the tables referencing it; SQLite cannot turn that off inside the migration's transaction: set it back to OFF where it was set",
    )
  }
  await checkRows(connection, plan, table, fail)
  const temporary = await freeName(connection, `${name}_new`)
  const saved = (
    await connection.query<{ type: string; name: string; sql: string }>(
      `SELECT type, name, sql FROM sqlite_schema
        WHERE tbl_name = ?1 COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL
        ORDER BY type, rowid`,
      [name],
    )
  ).rows.filter((row) => row.type === 'trigger' || !plan.droppedIndexes.has(fold(row.name)))
  const referencing = (
    await connection.query<{ name: string }>(
      `WITH t AS MATERIALIZED (
         SELECT l.name FROM pragma_table_list l WHERE l.schema = 'main' AND l.type = 'table')
       SELECT DISTINCT t.name FROM t, pragma_foreign_key_list(t.name, 'main') f
        WHERE f."table" = ?1 COLLATE NOCASE AND t.name <> ?1 COLLATE NOCASE
        ORDER BY t.name`,
      [name],
    )
  ).rows.map((row) => row.name)
  // Views are not checked while the table is replaced (see 4.): each one that names it is read
  // once at the end, which fails, rolling the step back, if it uses a column that is gone.
  const views = (
    await connection.query<{ name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY name",
    )
  ).rows.filter((view) =>
    sqliteComparator.namesIn(view.sql).some((n) => fold(n.name) === fold(name)),
  )

  // DROP TABLE forgets an AUTOINCREMENT table's highest rowid ever used; the copy would only
  // remember the highest left, and a rowid freed at the top would be handed out again.
  const [sequence] = plan.options.autoincrement
    ? (
        await connection.query<{ seq: number }>(
          'SELECT seq FROM sqlite_sequence WHERE name = ?1 COLLATE NOCASE',
          [name],
        )
      ).rows
    : []
  const copied = plan.keepRowids ? [{ column: 'rowid', from: 'rowid' }, ...plan.copy] : plan.copy
  const legacy = Number(settings?.legacy) === 1
  const statements: string[] = [
    createTableSql(plan.table, types, false, plan.options, quoteIdentifier(temporary)),
  ]
  if (copied.length > 0) {
    statements.push(
      `INSERT INTO ${quoteIdentifier(temporary)} (${copied.map((c) => (c.column === 'rowid' ? 'rowid' : quoteIdentifier(c.column))).join(', ')})\nSELECT ${copied.map((c) => c.from).join(', ')} FROM ${table}`,
    )
  }
  statements.push(
    `DROP TABLE ${table}`,
    ...(legacy ? [] : ['PRAGMA legacy_alter_table = ON']),
    `ALTER TABLE ${quoteIdentifier(temporary)} RENAME TO ${table}`,
    ...(legacy ? [] : ['PRAGMA legacy_alter_table = OFF']),
    ...(sequence === undefined
      ? []
      : [
          `UPDATE sqlite_sequence SET seq = max(seq, ${Number(sequence.seq)}) WHERE name = ${quote(name)}`,
          `INSERT INTO sqlite_sequence (name, seq) SELECT ${quote(name)}, ${Number(sequence.seq)} WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quote(name)})`,
        ]),
    ...saved.map((row) => row.sql),
    ...plan.renames.map(
      (r) =>
        `ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(r.from)} TO ${quoteIdentifier(r.to)}`,
    ),
    ...plan.createIndexes.map((op) => createIndexSql(undefined, name, op.index, op.ifNotExists)),
    ...views.map((view) => `SELECT * FROM ${quoteIdentifier(view.name)} LIMIT 0`),
  )
  const out: CompiledStatement[] = statements.map((sql) => ({ sql, params: [] }))
  const checked = [...(plan.table.foreignKeys.length > 0 ? [name] : []), ...referencing]
  if (checked.length > 0) {
    out.push({
      sql: `${checked
        .map(
          (t) =>
            `SELECT c."table" || coalesce(' rowid ' || c.rowid, '') || ' -> ' || c.parent AS row FROM pragma_foreign_key_check(${quote(t)}) c`,
        )
        .join('\nUNION ALL\n')}\nLIMIT ${SHOWN_ROWS + 1}`,
      params: [],
      failsOnRows: `rebuilding ${name} leaves rows whose foreign key finds no row (PRAGMA foreign_key_check)`,
    })
  }
  return out
}

/** Fails before the copy when it would: NOT NULL columns that would be empty or get NULLs. */
async function checkRows(
  connection: Connection,
  plan: RebuildPlan,
  table: string,
  fail: (message: string) => never,
): Promise<void> {
  if (plan.addedNotNull.length === 0 && plan.madeNotNull.length === 0) return
  const probes = [
    `EXISTS (SELECT 1 FROM ${table}) AS c0`,
    ...plan.madeNotNull.map(
      (column, i) =>
        `EXISTS (SELECT 1 FROM ${table} WHERE ${quoteIdentifier(column)} IS NULL) AS c${i + 1}`,
    ),
  ]
  const [row] = (await connection.query<Record<string, number>>(`SELECT ${probes.join(', ')}`)).rows
  if (row === undefined) return
  const added = plan.addedNotNull[0]
  if (added !== undefined && Number(row.c0) === 1) {
    fail(
      `column ${added} is added NOT NULL without a default, and the table has rows; give it a default, or add it nullable, fill it, then make it NOT NULL`,
    )
  }
  plan.madeNotNull.forEach((column, i) => {
    if (Number(row[`c${i + 1}`]) === 1) {
      fail(`column ${column} holds NULLs, so it cannot become NOT NULL; fill them first`)
    }
  })
}

/** `wanted`, or `wanted_2`, `wanted_3`, ...: a name nothing in the main or temporary schema has. */
async function freeName(connection: Connection, wanted: string): Promise<string> {
  const taken = new Set(
    (
      await connection.query<{ name: string }>(
        'SELECT name FROM sqlite_schema UNION ALL SELECT name FROM sqlite_temp_schema',
      )
    ).rows.map((row) => fold(row.name)),
  )
  let name = wanted
  for (let n = 2; taken.has(fold(name)); n++) name = `${wanted}_${n}`
  return name
}
