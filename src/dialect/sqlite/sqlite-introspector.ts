import type { SqliteTableOptions } from '../../schema/engine-options.ts'
import type {
  CheckDef,
  ColumnDef,
  ColumnType,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
  ReferentialAction,
  SchemaSnapshot,
  TableDef,
  UniqueDef,
  ViewDef,
} from '../../schema/schema-snapshot.ts'
import type { CensusCount, CensusKind } from '../catalog-census.ts'
import type { Connection } from '../connection.ts'
import type { IntrospectOptions, Introspector } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import {
  type ColumnText,
  type CreateTableText,
  parseCreateIndex,
  parseCreateTable,
  stripParentheses,
  viewQuery,
} from './sqlite-create-table-text.ts'
import { fold } from './sqlite-quoting.ts'
import { SqliteTypeMapper, sqliteLiteral } from './sqlite-type-mapper.ts'

interface RelationRow {
  readonly kind: 'table' | 'view'
  readonly name: string
  readonly sql: string | null
  /** 1 for a WITHOUT ROWID table. */
  readonly wr: number
  /** 1 for a STRICT table. */
  readonly strict: number
}

interface ColumnRow {
  readonly tbl: string
  readonly cid: number
  readonly name: string
  readonly type: string
  readonly not_null: number
  readonly dflt_value: string | null
  /** Position in the primary key, from 1; 0 when not part of it. */
  readonly pk: number
  /** 0 ordinary, 1 hidden column of a virtual table, 2 virtual generated, 3 stored generated. */
  readonly hidden: number
}

interface IndexRow {
  readonly tbl: string
  readonly name: string
  readonly unique: number
  /** `c` CREATE INDEX, `u` UNIQUE constraint, `pk` PRIMARY KEY. */
  readonly origin: string
  readonly seqno: number
  /** The column's number; -1 the rowid, -2 an expression. */
  readonly cid: number
  readonly col: string | null
  readonly desc: number
  readonly sql: string | null
}

interface ForeignKeyRow {
  readonly tbl: string
  readonly id: number
  readonly seq: number
  readonly from: string
  /** The referenced table and column as the clause writes them; the column may be left out. */
  readonly raw_table: string
  readonly raw_to: string | null
  /** The same, as the referenced table names them, when it exists. */
  readonly ref_table: string
  readonly ref_column: string | null
  readonly on_update: string
  readonly on_delete: string
}

/**
 * The tables introspection reads, as a CTE taking the names to leave out as a JSON array in `?1`,
 * and the only ones to read as another in `?2` (NULL: all):
 * ordinary tables of the main database, neither SQLite's own (`sqlite_` names are reserved,
 * manual "CREATE TABLE") nor virtual tables and their shadow tables, whose columns only their
 * module knows (asking a table-valued pragma about one whose module is not loaded fails). Names
 * compare without regard to ASCII case, as SQLite compares them. MATERIALIZED keeps the pragmas
 * below from being asked about any other table.
 */
const TABLES = `WITH t AS MATERIALIZED (
  SELECT l.name, l.wr, l.strict FROM pragma_table_list l
   WHERE l.schema = 'main' AND l.type = 'table' AND ${notInternal('l.name')}
     AND lower(l.name) NOT IN (SELECT lower(value) FROM json_each(?1))
     AND (?2 IS NULL OR lower(l.name) IN (SELECT lower(value) FROM json_each(?2))))`

const RELATIONS_SQL = `${TABLES}
SELECT 'table' AS kind, t.name, s.sql, t.wr, t.strict FROM t
  JOIN sqlite_schema s ON s.type = 'table' AND s.name = t.name
UNION ALL
SELECT 'view', s.name, s.sql, 0, 0 FROM sqlite_schema s WHERE s.type = 'view' AND ?2 IS NULL`

const COLUMNS_SQL = `${TABLES}
SELECT t.name AS tbl, c.cid, c.name, c.type, c."notnull" AS not_null, c.dflt_value, c.pk, c.hidden
  FROM t, pragma_table_xinfo(t.name, 'main') c`

/** Key columns of every index (`key = 1`; the others are the rowid or the primary key). */
const INDEXES_SQL = `${TABLES}
SELECT t.name AS tbl, l.name, l."unique", l.origin, x.seqno, x.cid, x.name AS col, x."desc", i.sql
  FROM t, pragma_index_list(t.name, 'main') l, pragma_index_xinfo(l.name, 'main') x
  LEFT JOIN sqlite_schema i ON i.type = 'index' AND i.name = l.name
 WHERE x.key = 1`

/**
 * Foreign keys, with the referenced table and columns also named as that table spells them (the
 * clause may spell them in another case), and the referenced primary key's columns where the
 * clause names none (manual, "SQLite Foreign Key Support", 3).
 */
const FOREIGN_KEYS_SQL = `${TABLES}
SELECT t.name AS tbl, f.id, f.seq, f."from", f."table" AS raw_table, f."to" AS raw_to,
       COALESCE((SELECT s.name FROM sqlite_schema s
                  WHERE s.type = 'table' AND s.name = f."table" COLLATE NOCASE), f."table") AS ref_table,
       COALESCE((SELECT p.name FROM pragma_table_xinfo(f."table", 'main') p
                  WHERE CASE WHEN f."to" IS NULL THEN p.pk = f.seq + 1
                             ELSE p.name = f."to" COLLATE NOCASE END), f."to") AS ref_column,
       f.on_update, f.on_delete
  FROM t, pragma_foreign_key_list(t.name, 'main') f`

/**
 * Tables (virtual ones too: the snapshot has no place for them), views and triggers, which the
 * snapshot does not model. Triggers on the tables left out are aludel's business.
 */
const CENSUS_SQL = `
SELECT 'tables' AS kind, count(*) AS count FROM pragma_table_list l
 WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') AND ${notInternal('l.name')}
   AND lower(l.name) NOT IN (SELECT lower(value) FROM json_each(?1))
UNION ALL
SELECT 'views', count(*) FROM sqlite_schema WHERE type = 'view'
UNION ALL
SELECT 'triggers', count(*) FROM sqlite_schema
 WHERE type = 'trigger' AND lower(tbl_name) NOT IN (SELECT lower(value) FROM json_each(?1))`

/** `main` is SQLite's default schema: `options.excludeTables` may name a table either way. */
const MAIN = 'main.'

/**
 * Reads a SQLite database's main schema into a {@link SchemaSnapshot} with four queries whatever
 * the number of tables, and spells model snapshots the way it reads them back. SQLite keeps every CREATE statement as
 * written and derives its pragmas from it, so the snapshot takes structure (columns, keys,
 * indexes) from the pragmas and what only the text holds (constraint names, checks, generation
 * expressions, collations, index expressions and predicates, view queries) from the text.
 *
 * Schema is always undefined: attached databases are not read, and `options.schemas` and
 * `options.defaultSchema` change nothing. Only tables and views are read: triggers, virtual tables
 * and the tables SQLite keeps for itself are left out (`census` counts the first two), as are
 * a view's column-name list (`CREATE VIEW v(a, b)`), AUTOINCREMENT and ON CONFLICT clauses,
 * which the snapshot has no place for. STRICT and WITHOUT ROWID are the table's `engineOptions`.
 *
 * @example
 * const live = await introspector.introspect(connection, { excludeTables: ['aludel_version'] })
 */
export class SqliteIntrospector implements Introspector {
  /** @param types renders literal defaults as migrations write them (default: a new mapper) */
  constructor(private readonly types: SqliteTypeMapper = new SqliteTypeMapper()) {}

  /**
   * Reads every table of the main database but those `options.excludeTables` names, and every
   * view; tables and views are sorted by name, constraints and indexes by name with unnamed ones
   * first in the order written, columns in their order. What each field holds:
   *
   * - a column's type is the inverse of {@link SqliteTypeMapper.sqlType}, read without regard to
   *   case and blanks; any other declared type is `custom`, spelled as SQLite reports it (which
   *   upper-cases the six names STRICT tables use: `INT`, `ANY`, ...);
   * - `engineOptions` is `{ sqlite: { strict: true, withoutRowid: true } }` with the flags that
   *   are set (`pragma_table_list`), absent when neither is;
   * - a default is `{ kind: 'sql' }` with the text SQLite keeps: as written, without the
   *   parentheses around a parenthesised expression, `NULL` for `DEFAULT NULL`;
   * - the rowid alias (a rowid table's one-column INTEGER primary key, manual "CREATE TABLE",
   *   "ROWIDs and the INTEGER PRIMARY KEY") is `serial` and not nullable: SQLite fills it in and
   *   it never holds NULL. Other key columns of rowid tables do take NULL unless declared NOT NULL
   *   (manual, same page), and say so;
   * - a generated column, VIRTUAL or STORED alike, has its expression as `generated`;
   * - constraint names are those the text gives, undefined when it gives none;
   * - a check holds the text between its parentheses, trimmed;
   * - an index element is a column when it names one alone, else the expression as written,
   *   without one pair of parentheses around it (which migrations add); the predicate is the text
   *   after WHERE.
   */
  async introspect(
    connection: Connection,
    options: IntrospectOptions = {},
  ): Promise<SchemaSnapshot> {
    const tables: TableDef[] = []
    const views: ViewDef[] = []
    for (const read of await readRelations(connection, [excludedNames(options), null])) {
      if (read.kind === 'view') views.push(read.view)
      else tables.push(read.table.table)
    }
    return {
      tables: tables.sort(byName),
      enums: [],
      sequences: [],
      domains: [],
      compositeTypes: [],
      extensions: [],
      views: views.sort(byName),
      functions: [],
      aggregates: [],
      triggers: [],
      eventTriggers: [],
    }
  }

  /**
   * One table of the main database, read as {@link introspect} reads it, with the parsed text of
   * its CREATE TABLE and its STRICT and WITHOUT ROWID (also its `engineOptions`): what a table
   * rebuild must carry over. The same four queries, asking the pragmas about this table
   * alone. Undefined when there is no such table (a view or a virtual table is none).
   */
  async readTable(connection: Connection, name: string): Promise<LiveTable | undefined> {
    const [read] = await readRelations(connection, ['[]', JSON.stringify([name])])
    return read?.kind === 'table' ? read.table : undefined
  }

  /**
   * The snapshot with literal defaults as SQL, in the text introspection reads back for them,
   * and every other expression as a migration leaves it in the database. SQLite parses an
   * expression only to check it and keeps the statement's own text (manual, "The Schema
   * Table"), so what introspection reads is what the migration wrote:
   * literals rendered by {@link sqliteLiteral}, an SQL default as the type mapper writes it less
   * the parentheses SQLite drops, checks, generation expressions, index expressions and
   * predicates and view queries as the models spell them, trimmed. What this cannot see is a
   * database written by hand in another layout than the models (blanks, case, redundant
   * parentheses, `!=` for `<>`): that is for the comparator's `sqlEquivalent`. Structure and
   * order are kept, so callers can pair the result with the input element by element.
   *
   * A table's one-column integer key is the rowid, and compared as serial (see
   * {@link rowidAsSerial}), as the table's STRICT and WITHOUT ROWID make it; while those differ
   * between the models and the database, the database's say, so that the change is found once,
   * as a change of the table's options (whose rebuild changes the key with it), and not also as
   * a change of how the key generates values. Only then, for a table with such a key that is not
   * declared serial or identity, is SQLite asked: one query for the tables' options. Column types
   * stay as the models give them, STRICT tables' too: introspection reads those back from the
   * note the compiler writes (see {@link ColumnText.note}).
   */
  async normalize(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot> {
    const held = snapshot.tables.some((t) => plainKey(t) !== undefined)
      ? await heldOptions(connection)
      : new Map<string, SqliteTableOptions>()
    return {
      ...snapshot,
      tables: snapshot.tables.map((table) => ({
        ...table,
        columns: table.columns.map((column) =>
          this.normalizeColumn(
            rowidAsSerial(
              table,
              column,
              (table.schema === undefined || fold(table.schema) === 'main'
                ? held.get(fold(table.name))
                : undefined) ??
                table.engineOptions?.sqlite ??
                {},
            ),
          ),
        ),
        checks: table.checks.map((check) => ({ ...check, expression: check.expression.trim() })),
        indexes: table.indexes.map(normalizeIndex),
      })),
      views: snapshot.views.map((view) => ({ ...view, definition: view.definition.trim() })),
    }
  }

  /**
   * How many tables (virtual ones included), views and triggers the main database holds, less the
   * tables `options.excludeTables` names and their triggers, in one query.
   */
  async census(
    connection: Connection,
    options: IntrospectOptions = {},
  ): Promise<readonly CensusCount[]> {
    const rows = await connection.query<{ kind: CensusKind; count: number }>(CENSUS_SQL, [
      excludedNames(options),
    ])
    return rows.rows.map((row) => ({ kind: row.kind, count: Number(row.count) }))
  }

  private normalizeColumn(column: ColumnDef): ColumnDef {
    const value = column.default
    const generated = column.generated === undefined ? {} : { generated: column.generated.trim() }
    if (value === undefined) return { ...column, ...generated }
    let sql: string
    try {
      sql =
        value.kind === 'literal'
          ? sqliteLiteral(value.value, column.type)
          : stripParentheses(this.types.sqlDefault(value, column.type))
    } catch (error) {
      // A value SQLite cannot store (Infinity): the migration fails and says why; keep it.
      if (error instanceof InvalidOperationError) return { ...column, ...generated }
      throw error
    }
    return { ...column, ...generated, default: { kind: 'sql', sql } }
  }
}

/** A table as the database holds it: its definition, and what only its CREATE TABLE says. */
export interface LiveTable {
  readonly table: TableDef
  readonly text: CreateTableText
  /** STRICT, as `table.engineOptions` also says. */
  readonly strict: boolean
  /** WITHOUT ROWID, as `table.engineOptions` also says. */
  readonly withoutRowid: boolean
}

type Relation =
  | { readonly kind: 'table'; readonly table: LiveTable }
  | { readonly kind: 'view'; readonly view: ViewDef }

/**
 * The tables and views the four queries read, given the names to leave out and the only ones to
 * read (JSON arrays, the second NULL for all; views are read only then).
 */
async function readRelations(
  connection: Connection,
  params: readonly [excluded: string, only: string | null],
): Promise<Relation[]> {
  const relations = (await connection.query<RelationRow>(RELATIONS_SQL, params)).rows
  const columns = groupBy((await connection.query<ColumnRow>(COLUMNS_SQL, params)).rows)
  const indexes = groupBy((await connection.query<IndexRow>(INDEXES_SQL, params)).rows)
  const foreignKeys = groupBy(
    (await connection.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, params)).rows,
  )
  return relations.map((relation): Relation => {
    if (relation.kind === 'view') return { kind: 'view', view: toView(relation) }
    const name = relation.name
    const text = parseCreateTable(relation.sql ?? '')
    return {
      kind: 'table',
      table: {
        table: toTable(
          relation,
          text,
          columns.get(name) ?? [],
          indexes.get(name) ?? [],
          foreignKeys.get(name) ?? [],
        ),
        text,
        strict: Number(relation.strict) === 1,
        withoutRowid: Number(relation.wr) === 1,
      },
    }
  })
}

/**
 * The storage type a STRICT table declares for `type`, in capitals as SQLite reports it
 * (`varchar(255)` is `TEXT`); undefined for a type no STRICT table takes.
 */
function strictStorage(type: ColumnType): string | undefined {
  try {
    return STORAGE_MAPPER.strictType(type).toUpperCase()
  } catch (error) {
    if (error instanceof InvalidOperationError) return undefined
    throw error
  }
}

const STORAGE_MAPPER = new SqliteTypeMapper()

function normalizeIndex(index: IndexDef): IndexDef {
  return {
    ...index,
    elements: index.elements.map((element) =>
      element.expression === undefined
        ? element
        : { ...element, expression: element.expression.trim() },
    ),
    where: index.where?.trim(),
  }
}

/** The tables to leave out, as a JSON array, each also without a `main.` in front. */
function excludedNames(options: IntrospectOptions): string {
  const names = options.excludeTables ?? []
  return JSON.stringify([
    ...names,
    ...names.filter((n) => n.startsWith(MAIN)).map((n) => n.slice(MAIN.length)),
  ])
}

/** SQLite reserves every name starting `sqlite_`, in any case (LIKE ignores ASCII case). */
function notInternal(column: string): string {
  return `${column} NOT LIKE 'sqlite\\_%' ESCAPE '\\'`
}

function toTable(
  relation: RelationRow,
  text: CreateTableText,
  columnRows: readonly ColumnRow[],
  indexRows: readonly IndexRow[],
  foreignKeyRows: readonly ForeignKeyRow[],
): TableDef {
  const rows = columnRows.filter((c) => Number(c.hidden) !== 1).sort((a, b) => a.cid - b.cid)
  const keyRows = rows.filter((c) => Number(c.pk) > 0).sort((a, b) => a.pk - b.pk)
  const indexes = groupBy(indexRows, (row) => row.name)
  // A rowid table keeps its primary key in a separate index unless the key is the rowid itself.
  const rowidAlias =
    Number(relation.wr) === 0 &&
    keyRows.length === 1 &&
    keyRows[0]!.type.toUpperCase() === 'INTEGER' &&
    !indexRows.some((row) => row.origin === 'pk')
      ? keyRows[0]!.name
      : undefined
  const columnTexts = new Map(text.columns.map((c) => [fold(c.name), c]))
  const strict = Number(relation.strict) === 1
  const columns = rows.map((row): ColumnDef => {
    const written = columnTexts.get(fold(row.name))
    const alias = row.name === rowidAlias
    const collation = written?.collation
    const hidden = Number(row.hidden)
    return {
      name: row.name,
      type: strict ? strictColumnType(row.type, written?.note) : columnType(row.type),
      nullable: !alias && Number(row.not_null) === 0,
      default: row.dflt_value === null ? undefined : { kind: 'sql', sql: row.dflt_value },
      identity: undefined,
      serial: alias,
      comment: undefined,
      ...(hidden === 2 || hidden === 3 ? { generated: written?.generated ?? '' } : {}),
      ...(collation === undefined || fold(collation) === 'binary' ? {} : { collation }),
    }
  })
  const uniques: Ordered<UniqueDef>[] = []
  const claimed = new Set<number>()
  for (const [name, elements] of indexes) {
    if (elements[0]!.origin !== 'u') continue
    const keyColumns = bySeqno(elements).map((row) => row.col ?? '')
    const at = claim(text.uniques, claimed, (u) => sameNames(u.columns, keyColumns))
    uniques.push({
      name: text.uniques[at]?.name,
      columns: keyColumns,
      nullsNotDistinct: false,
      written: at < 0 ? autoindexNumber(name) : at,
    })
  }
  return {
    schema: undefined,
    name: relation.name,
    columns,
    primaryKey:
      keyRows.length === 0
        ? undefined
        : { name: text.primaryKey?.name, columns: keyRows.map((row) => row.name) },
    foreignKeys: toForeignKeys(text, foreignKeyRows),
    uniques: inOrder(uniques),
    checks: inOrder(
      text.checks.map((check, written): Ordered<CheckDef> => ({ ...check, written })),
    ),
    indexes: [...indexes.values()]
      .filter((elements) => elements[0]!.origin === 'c')
      .map(toIndex)
      .sort(byName),
    comment: undefined,
    ...tableOptions(strict, Number(relation.wr) === 1),
  }
}

/** The table's STRICT and WITHOUT ROWID as `engineOptions`, only the set ones; none: absent. */
function tableOptions(strict: boolean, withoutRowid: boolean): Pick<TableDef, 'engineOptions'> {
  if (!strict && !withoutRowid) return {}
  return {
    engineOptions: {
      sqlite: { ...(strict ? { strict } : {}), ...(withoutRowid ? { withoutRowid } : {}) },
    },
  }
}

/**
 * Foreign keys from the pragma, named from the clause of the text that says the same: the same
 * columns, referenced table and referenced columns as written. SQLite numbers them from the last
 * one written, so unnamed ones are put back in the order written.
 */
function toForeignKeys(
  text: CreateTableText,
  rows: readonly ForeignKeyRow[],
): readonly ForeignKeyDef[] {
  const claimed = new Set<number>()
  const keys: Ordered<ForeignKeyDef>[] = []
  for (const parts of groupBy(rows, (row) => String(row.id)).values()) {
    const ordered = bySeq(parts)
    const first = ordered[0]!
    const columns = ordered.map((row) => row.from)
    const written = ordered.map((row) => row.raw_to).filter((c): c is string => c !== null)
    const at = claim(
      text.foreignKeys,
      claimed,
      (fk) =>
        sameNames(fk.columns, columns) &&
        fold(fk.table) === fold(first.raw_table) &&
        sameNames(fk.referencedColumns, written),
    )
    const clause = text.foreignKeys[at]
    const referenced = ordered.map((row) => row.ref_column)
    keys.push({
      name: clause?.name,
      columns,
      referencedSchema: undefined,
      referencedTable: first.ref_table,
      referencedColumns: referenced.every((c) => c !== null) ? referenced : [],
      onDelete: ACTIONS[first.on_delete.toUpperCase()],
      onUpdate: ACTIONS[first.on_update.toUpperCase()],
      deferrable: clause?.deferrable ?? false,
      initiallyDeferred: clause?.initiallyDeferred ?? false,
      written: at < 0 ? Number.MAX_SAFE_INTEGER - Number(first.id) : at,
    })
  }
  return inOrder(keys)
}

/** `NO ACTION` is the default, undefined in the snapshot as in the models. */
const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  'NO ACTION': undefined,
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
}

function toIndex(rows: readonly IndexRow[]): IndexDef {
  const first = rows[0]!
  const text = parseCreateIndex(first.sql ?? '')
  const elements = bySeqno(rows).map((row, i): IndexElement => {
    const written = text.elements[i]
    const column =
      row.cid >= 0 && row.col !== null && (written === undefined || written.name !== undefined)
        ? row.col
        : undefined
    return {
      column,
      expression: column === undefined ? (written?.text ?? row.col ?? '') : undefined,
      order: Number(row.desc) === 1 ? 'desc' : undefined,
      nulls: undefined,
      opclass: undefined,
    }
  })
  return {
    name: first.name,
    elements,
    unique: Number(first.unique) === 1,
    method: undefined,
    where: text.where,
    include: [],
  }
}

function toView(row: RelationRow): ViewDef {
  return {
    schema: undefined,
    name: row.name,
    materialized: false,
    definition: viewQuery(row.sql ?? ''),
    checkOption: undefined,
    securityBarrier: false,
    securityInvoker: false,
    withData: true,
    indexes: [],
    comment: undefined,
    columns: [],
    dependsOn: [],
  }
}

/** The types without modifiers, by the name the type mapper declares them with. */
const PLAIN_TYPES: ReadonlyMap<string, ColumnType> = new Map(
  (
    [
      ...['smallint', 'integer', 'bigint', 'real', 'double', 'text', 'boolean', 'date'],
      ...['uuid', 'json', 'jsonb', 'bytea'],
    ] as const
  )
    .map((kind): ColumnType => ({ kind }))
    .concat({ kind: 'numeric', precision: undefined, scale: undefined })
    .map((type) => [new SqliteTypeMapper().sqlType(type), type]),
)

/**
 * The snapshot type of a declared type: what {@link SqliteTypeMapper.sqlType} writes, read back
 * without regard to case and blanks (SQLite keeps the declaration as written, but upper-cases
 * `integer`, `real`, `text` and `blob`); anything else is `custom`, as SQLite reports it.
 */
export function columnType(declared: string): ColumnType {
  const spelled = declared
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
  const plain = PLAIN_TYPES.get(spelled)
  if (plain !== undefined) return plain
  const numeric = /^numeric\((-?\d+)(?:,(-?\d+))?\)$/.exec(spelled)
  if (numeric !== null) {
    return { kind: 'numeric', precision: Number(numeric[1]), scale: Number(numeric[2] ?? 0) }
  }
  const text = /^(varchar|char)(?:\((-?\d+)\))?$/.exec(spelled)
  if (text !== null) {
    const kind = text[1] as 'varchar' | 'char'
    return { kind, length: text[2] === undefined ? undefined : Number(text[2]) }
  }
  const time = /^(time|timestamp)(tz)?(?:\((-?\d+)\))?$/.exec(spelled)
  if (time !== null) {
    return {
      kind: time[1] as 'time' | 'timestamp',
      withTimezone: time[2] !== undefined,
      precision: time[3] === undefined ? undefined : Number(time[3]),
    }
  }
  return { kind: 'custom', sql: declared }
}

/**
 * The type of a STRICT table's column: the models' type the compiler noted before the storage
 * type (see {@link ColumnText.note}) when the storage type is that type's, else the storage type
 * (a table written by hand, or a note that no longer fits).
 */
function strictColumnType(declared: string, note: string | undefined): ColumnType {
  if (note !== undefined) {
    const noted = columnType(note)
    if (noted.kind !== 'custom' && strictStorage(noted) === declared.trim().toUpperCase()) {
      return noted
    }
  }
  return columnType(declared)
}

/** A constraint with its place in the text, to keep unnamed ones in the order written. */
type Ordered<T> = T & { readonly written: number }

/** Sorted by name, unnamed first, then in the order written; without the order. */
function inOrder<T extends { readonly name: string | undefined }>(items: Ordered<T>[]): T[] {
  return items
    .sort((a, b) => compareText(a.name ?? '', b.name ?? '') || a.written - b.written)
    .map(({ written: _, ...item }) => item as unknown as T)
}

/** The index of the first unclaimed item that `matches`, now claimed; -1 when none. */
function claim<T>(items: readonly T[], claimed: Set<number>, matches: (item: T) => boolean) {
  const at = items.findIndex((item, i) => !claimed.has(i) && matches(item))
  if (at >= 0) claimed.add(at)
  return at
}

/** `sqlite_autoindex_<table>_<n>`: n counts a table's constraint indexes in the order written. */
function autoindexNumber(name: string): number {
  return Number(/_(\d+)$/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER)
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => fold(name) === fold(b[i]!))
}

function bySeqno(rows: readonly IndexRow[]): IndexRow[] {
  return [...rows].sort((a, b) => a.seqno - b.seqno)
}

function bySeq(rows: readonly ForeignKeyRow[]): ForeignKeyRow[] {
  return [...rows].sort((a, b) => a.seq - b.seq)
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name)
}

/** Code-point order, as the models sort, independent of the locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function groupBy<T extends { readonly tbl: string }>(
  rows: readonly T[],
  keyOf: (row: T) => string = (row) => row.tbl,
): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(keyOf(row)) ?? []
    if (group.length === 0) groups.set(keyOf(row), group)
    group.push(row)
  }
  return groups
}

/**
 * A table's single `integer` primary key is the rowid (manual, "ROWID and the INTEGER PRIMARY
 * KEY"): it takes the next number when a row gives none, whether the models declare it serial,
 * identity or plain integer, and introspection reads it as serial, so the models' column is
 * compared as serial too. In a table with `options` STRICT every integer type is declared
 * `integer`, so any of them is the rowid; a WITHOUT ROWID table has none, and its key is an
 * ordinary column.
 */
function rowidAsSerial(table: TableDef, column: ColumnDef, options: SqliteTableOptions): ColumnDef {
  if (options.withoutRowid === true) return column
  const key = table.primaryKey?.columns
  if (key?.length !== 1 || key[0] !== column.name) return column
  const integer =
    options.strict === true
      ? strictStorage(column.type) === 'INTEGER'
      : column.type.kind === 'integer'
  if (column.identity === undefined && !integer) return column
  return { ...column, identity: undefined, serial: true }
}

/**
 * The key column of `table` that STRICT and WITHOUT ROWID decide is the rowid or not: a single
 * key column of a type a STRICT table declares `integer`, neither serial nor identity (those are
 * compared as serial whatever the table).
 */
function plainKey(table: TableDef): ColumnDef | undefined {
  const key = table.primaryKey?.columns
  if (key?.length !== 1) return undefined
  const column = table.columns.find((c) => c.name === key[0])
  return column !== undefined &&
    !column.serial &&
    column.identity === undefined &&
    strictStorage(column.type) === 'INTEGER'
    ? column
    : undefined
}

/** STRICT and WITHOUT ROWID of each table of the main database, by folded name. */
async function heldOptions(connection: Connection): Promise<Map<string, SqliteTableOptions>> {
  const { rows } = await connection.query<{ name: string; strict: number; wr: number }>(
    "SELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'",
  )
  return new Map(
    rows.map((row) => [
      fold(row.name),
      { strict: Number(row.strict) === 1, withoutRowid: Number(row.wr) === 1 },
    ]),
  )
}
