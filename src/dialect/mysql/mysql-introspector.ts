import type { MysqlTableOptions } from '../../schema/engine-options.ts'
import type {
  CheckDef,
  ColumnDef,
  ColumnDefault,
  ColumnType,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
  LiteralValue,
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
import { spliceSpans } from '../splice-spans.ts'
import { quoteString } from './mysql-quoting.ts'
import { tokenize } from './mysql-sql-tokens.ts'
import { MysqlTypeMapper } from './mysql-type-mapper.ts'

/**
 * The comment that marks a unique index made by `createIndex(..., { unique: true })` (a model's
 * `uniqueIndex()`), as opposed to a unique constraint (`unique()`). MySQL keeps both as one thing,
 * a unique index listed among TABLE_CONSTRAINTS as UNIQUE, with nothing to tell them apart but
 * an index comment; the DDL compiler writes this one on the first kind so that each reads back as
 * the kind the models declare. A unique index without it (any unique index of a database aludel
 * did not write) reads back as a unique constraint when it could be one: plain columns, in
 * ascending order, without prefix lengths.
 */
export const UNIQUE_INDEX_COMMENT = 'aludel:unique-index'

interface ServerRow {
  readonly db: string | null
  readonly version: string
  readonly lower_names: number | string
  readonly engine: string | null
  readonly charset: string | null
  readonly collation: string | null
}

interface TableRow {
  readonly tbl: string
  readonly comment: string | null
  readonly collation: string | null
  /** NULL only for a table the server cannot open (a missing engine, a damaged file). */
  readonly engine: string | null
  readonly charset: string | null
}

interface ColumnRow {
  readonly tbl: string
  readonly name: string
  readonly position: number
  readonly dflt: string | null
  readonly nullable: string
  readonly column_type: string
  readonly collation: string | null
  readonly extra: string
  readonly comment: string | null
  readonly generation: string | null
}

interface ForeignKeyRow {
  readonly tbl: string
  readonly name: string
  readonly col: string
  readonly position: number
  readonly ref_schema: string | null
  readonly ref_table: string
  readonly ref_column: string
  readonly on_update: string
  readonly on_delete: string
}

interface CheckRow {
  readonly tbl: string
  readonly name: string
  readonly clause: string
}

interface IndexRow {
  readonly tbl: string
  readonly name: string
  readonly non_unique: number | string
  readonly seq: number
  readonly col: string | null
  /** `A` ascending, `D` descending, NULL unsorted (FULLTEXT, HASH). */
  readonly collation: string | null
  readonly sub_part: number | null
  readonly index_type: string
  readonly comment: string | null
  /** MySQL 8.0.13+: a functional key part's expression. */
  readonly expression: string | null
}

// The defaults a new table gets: the server's storage engine, the database's character set.
const SERVER_SQL = `SELECT DATABASE() AS db, VERSION() AS version,
  @@lower_case_table_names AS lower_names, @@default_storage_engine AS engine,
  s.DEFAULT_CHARACTER_SET_NAME AS charset, s.DEFAULT_COLLATION_NAME AS collation
FROM (SELECT 1) AS one
LEFT JOIN information_schema.SCHEMATA AS s ON s.SCHEMA_NAME = DATABASE()`

/**
 * Tables of the database, with their engine, default collation and its character set; MariaDB's
 * system-versioned tables are tables too. COLLATIONS is the server's list, not per database:
 * joined to it, TABLES still opens this database's tables only. MariaDB 10.10+ lists a UCA 14
 * collation there by its short name (`uca1400_ai_ci`, no character set), while TABLES names it
 * in full (`utf8mb4_uca1400_ai_ci`); {@link tableOptions} then reads the set from the name.
 */
const TABLES_SQL = `SELECT t.TABLE_NAME AS tbl, t.TABLE_COMMENT AS comment, t.TABLE_COLLATION AS collation,
       t.ENGINE AS engine, c.CHARACTER_SET_NAME AS charset
  FROM information_schema.TABLES t
  LEFT JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION
 WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`

/** Views of the database, with the query as the server stored it. */
const VIEWS_SQL = `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, CHECK_OPTION AS check_option,
       SECURITY_TYPE AS security
  FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`

interface ViewRow {
  readonly name: unknown
  readonly definition: unknown
  readonly check_option: unknown
  readonly security: unknown
}

const COLUMNS_SQL = `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS position,
       COLUMN_DEFAULT AS dflt, IS_NULLABLE AS nullable, COLUMN_TYPE AS column_type,
       COLLATION_NAME AS collation, EXTRA AS extra, COLUMN_COMMENT AS comment,
       GENERATION_EXPRESSION AS generation
  FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`

const FOREIGN_KEYS_SQL = `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col,
       k.ORDINAL_POSITION AS position, k.REFERENCED_TABLE_SCHEMA AS ref_schema,
       k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_column,
       r.UPDATE_RULE AS on_update, r.DELETE_RULE AS on_delete
  FROM information_schema.KEY_COLUMN_USAGE k
  JOIN (SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
          FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?) r
    ON r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`

/*
 * Each information_schema table is read with a constant condition on its own schema column, in a
 * derived table where it is joined: MariaDB then opens the tables of that one database only; a
 * join condition alone makes it open every table of every database on the server.
 */

/**
 * Check constraints with their tables. MySQL's CHECK_CONSTRAINTS has no table name (check names
 * are unique in a database there); MariaDB's has one, and needs it, since its check names are
 * unique per table only (a column-level check is named like its column).
 */
function checksSql(mariadb: boolean): string {
  return `SELECT c.TABLE_NAME AS tbl, c.CONSTRAINT_NAME AS name, k.CHECK_CLAUSE AS clause
  FROM information_schema.TABLE_CONSTRAINTS c
  JOIN (SELECT CONSTRAINT_NAME, ${mariadb ? 'TABLE_NAME, ' : ''}CHECK_CLAUSE
          FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?) k
    ON k.CONSTRAINT_NAME = c.CONSTRAINT_NAME
   ${mariadb ? 'AND k.TABLE_NAME = c.TABLE_NAME' : ''}
 WHERE c.TABLE_SCHEMA = ? AND c.CONSTRAINT_TYPE = 'CHECK'`
}

/** Key parts of every index; MySQL 8.0.13+ also names the expression of a functional part. */
function indexesSql(mariadb: boolean): string {
  return `SELECT s.TABLE_NAME AS tbl, s.INDEX_NAME AS name, s.NON_UNIQUE AS non_unique,
       s.SEQ_IN_INDEX AS seq, s.COLUMN_NAME AS col, s.COLLATION AS collation,
       s.SUB_PART AS sub_part, s.INDEX_TYPE AS index_type, s.INDEX_COMMENT AS comment,
       ${mariadb ? 'NULL' : 's.EXPRESSION'} AS expression
  FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = ?`
}

const CENSUS_SQL = `SELECT 'tables' AS kind, TABLE_NAME AS name FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
UNION ALL SELECT 'views', TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()
UNION ALL SELECT 'triggers', EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = DATABASE()
UNION ALL SELECT 'functions', ROUTINE_NAME FROM information_schema.ROUTINES
 WHERE ROUTINE_SCHEMA = DATABASE()`

/**
 * Reads the current database of a MySQL 8 or MariaDB 10.6+ server (`DATABASE()`: a MySQL
 * "schema" is a database) into a {@link SchemaSnapshot} with seven queries whatever the number of
 * tables: the server, then information_schema's TABLES, COLUMNS, KEY_COLUMN_USAGE with
 * REFERENTIAL_CONSTRAINTS, TABLE_CONSTRAINTS with CHECK_CONSTRAINTS, STATISTICS and VIEWS. Its objects
 * get `schema: undefined`; a foreign key to another database names that database.
 *
 * What the snapshot holds, where MySQL differs from the models:
 *
 * - types read back as {@link MysqlTypeMapper} writes them (`tinyint(1)` boolean, `int` integer,
 *   `float` real, `datetime` timestamp without and `timestamp` with time zone, `decimal`
 *   numeric, `longblob` bytea, `json`, and MariaDB's `longtext` with its `json_valid` check
 *   json); `char(36)` stays char(36), which the comparator takes for uuid; any other type is
 *   `custom`, as the server prints it (`int(10) unsigned`, `enum('a','b')`, `mediumtext`);
 * - defaults are SQL in MariaDB's spelling (`'abc'`, `1.50`, `current_timestamp()`); MySQL 8's
 *   unquoted literals are quoted to match; `DEFAULT NULL` is no default; ON UPDATE clauses have
 *   no place in the snapshot and are left out;
 * - `auto_increment` is `serial`; a STORED generated column has its expression as `generated`; a
 *   VIRTUAL one, which the snapshot cannot say, has the custom type `<type> GENERATED ALWAYS AS
 *   (expression) VIRTUAL`, which a migration writes back as it is;
 * - every table has `engineOptions.mysql`: its engine, default character set and collation;
 * - a column's collation is given when it differs from its table's default;
 * - the primary key has no name: MySQL names every one `PRIMARY`, and an unnamed key pairs with
 *   the model's by its columns;
 * - a unique index is a unique constraint unless it carries {@link UNIQUE_INDEX_COMMENT} or
 *   cannot be a constraint (descending or prefix parts, an expression, FULLTEXT and such);
 * - the index MySQL creates for a foreign key that no index serves (named like the key, on its
 *   columns) is left out, as is MariaDB's json check;
 * - foreign-key actions: CASCADE, SET NULL and SET DEFAULT as such; NO ACTION, and on MariaDB
 *   RESTRICT too (what it reports when no action was given), as the default (undefined); InnoDB
 *   treats RESTRICT and NO ACTION alike (manual, 15.1.20.5);
 * - a prefix part of an index is the expression `` `col`(n) ``, a functional part (MySQL 8)
 *   its expression; DESC is read, and a FULLTEXT, SPATIAL or HASH index has that method.
 *
 * Views are read with the query as the server rewrote it (every column qualified and aliased),
 * the current database's name left out; the comparator reads past the rest. Triggers and routines
 * are not read; {@link census} counts them so that `pull` can say so.
 */
export class MysqlIntrospector implements Introspector {
  /** @param types renders literal defaults for {@link normalize} (default: a new mapper) */
  constructor(private readonly types: MysqlTypeMapper = new MysqlTypeMapper()) {}

  async introspect(
    connection: Connection,
    options: IntrospectOptions = {},
  ): Promise<SchemaSnapshot> {
    const server = (await connection.query<ServerRow>(SERVER_SQL)).rows[0]
    const database = server?.db ?? null
    if (server === undefined || database === null) {
      throw new InvalidOperationError(
        'no database is selected; name one in the URL (mysql://host/database)',
      )
    }
    const mariadb = /mariadb/i.test(server.version)
    const excluded = exclusions(options, text(database), Number(server.lower_names) !== 0)
    const params = [database]
    const tableRows = (await connection.query<TableRow>(TABLES_SQL, params)).rows
    const columns = groupBy((await connection.query<ColumnRow>(COLUMNS_SQL, params)).rows)
    const foreignKeys = groupBy(
      (await connection.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [database, database])).rows,
    )
    const checks = groupBy(
      (await connection.query<CheckRow>(checksSql(mariadb), [database, database])).rows,
    )
    const indexes = groupBy((await connection.query<IndexRow>(indexesSql(mariadb), params)).rows)
    const viewRows = (await connection.query<ViewRow>(VIEWS_SQL, params)).rows
    const context: ReadContext = { mariadb, database: text(database) }
    const tables = tableRows
      .filter((row) => !excluded(text(row.tbl)))
      .map((row) => {
        const name = text(row.tbl)
        return toTable(
          context,
          row,
          columns.get(name) ?? [],
          foreignKeys.get(name) ?? [],
          checks.get(name) ?? [],
          indexes.get(name) ?? [],
        )
      })
      .sort(byName)
    return {
      tables,
      enums: [],
      sequences: [],
      domains: [],
      compositeTypes: [],
      extensions: [],
      views: viewRows
        .filter((row) => !excluded(text(row.name)))
        .map((row) => toView(row, text(database)))
        .sort(byName),
      functions: [],
      aggregates: [],
      triggers: [],
      eventTriggers: [],
      engineDefaults: { mysql: serverDefaults(server) },
    }
  }

  /**
   * The snapshot with literal defaults as SQL in the spelling MariaDB prints for them (strings
   * quoted, numbers bare for numeric columns and quoted for text ones, booleans 1 and 0, dates cut
   * to the column's precision), other expressions trimmed. Nothing is asked of the server: MySQL
   * has no transactional DDL to build throwaway tables in, and the comparator's token-wise rules
   * (see `mysqlComparator`) absorb what MySQL changes in checks and expression defaults
   * (backticks, case, parentheses). Structure and order are kept.
   */
  async normalize(_connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot> {
    return {
      ...snapshot,
      tables: snapshot.tables.map((table) => ({
        ...table,
        columns: table.columns.map((column) => this.normalizeColumn(column)),
        checks: table.checks.map((check) => ({ ...check, expression: check.expression.trim() })),
        foreignKeys: table.foreignKeys.map((fk) => ({
          ...fk,
          onDelete: innodbAction(fk.onDelete),
          onUpdate: innodbAction(fk.onUpdate),
        })),
        indexes: table.indexes.map((index) => ({
          ...index,
          elements: index.elements.map((element) =>
            element.expression === undefined
              ? element
              : { ...element, expression: element.expression.trim() },
          ),
        })),
      })),
    }
  }

  /** How many tables, views, triggers and routines the database holds, less excluded tables. */
  async census(
    connection: Connection,
    options: IntrospectOptions = {},
  ): Promise<readonly CensusCount[]> {
    const server = (await connection.query<ServerRow>(SERVER_SQL)).rows[0]
    const excluded = exclusions(
      options,
      text(server?.db ?? ''),
      Number(server?.lower_names ?? 0) !== 0,
    )
    const counts = new Map<CensusKind, number>([
      ['tables', 0],
      ['views', 0],
      ['triggers', 0],
      ['functions', 0],
    ])
    for (const row of (await connection.query<{ kind: CensusKind; name: string }>(CENSUS_SQL))
      .rows) {
      const onExcluded =
        (row.kind === 'tables' || row.kind === 'triggers') && excluded(text(row.name))
      if (!onExcluded) counts.set(row.kind, (counts.get(row.kind) ?? 0) + 1)
    }
    return [...counts].map(([kind, count]) => ({ kind, count }))
  }

  private normalizeColumn(column: ColumnDef): ColumnDef {
    const generated = column.generated === undefined ? {} : { generated: column.generated.trim() }
    const value = column.default
    if (value === undefined) return { ...column, ...generated }
    if (value.kind === 'sql') {
      return { ...column, ...generated, default: { kind: 'sql', sql: value.sql.trim() } }
    }
    let sql: string
    try {
      sql = printedLiteral(this.types, value.value, column.type)
    } catch (error) {
      // A value MySQL cannot store (Infinity): the migration fails and says why; keep it.
      if (error instanceof InvalidOperationError) return { ...column, ...generated }
      throw error
    }
    return { ...column, ...generated, default: { kind: 'sql', sql } }
  }
}

/** What every table's reading needs to know about the server. */
interface ReadContext {
  readonly mariadb: boolean
  readonly database: string
}

/**
 * A literal as MariaDB prints the default it becomes: text-like columns take numbers as
 * strings, date and time values keep only the column's fractional digits, `NULL` is no default
 * (MariaDB prints `NULL`, which introspection reads as none).
 */
function printedLiteral(types: MysqlTypeMapper, literal: LiteralValue, type: ColumnType): string {
  if ((typeof literal === 'number' || typeof literal === 'bigint') && textLike(type)) {
    return quoteString(String(literal))
  }
  // Without the parentheses that text, blob and json columns need: the server drops them.
  const written = types.sqlDefault({ kind: 'literal', value: literal }, type)
  const sql = /^\(.*\)$/s.test(written) ? written.slice(1, -1) : written
  if (literal instanceof Date && (type.kind === 'timestamp' || type.kind === 'time')) {
    const digits = type.precision ?? 0
    return sql.replace(/\.(\d{6})'$/, (_, fraction: string) =>
      digits === 0 ? "'" : `.${fraction.slice(0, digits)}'`,
    )
  }
  return sql
}

function textLike(type: ColumnType): boolean {
  return (
    type.kind === 'text' ||
    type.kind === 'varchar' ||
    type.kind === 'char' ||
    type.kind === 'uuid' ||
    (type.kind === 'custom' && /char|text|enum|set\(/i.test(type.sql))
  )
}

function toTable(
  context: ReadContext,
  row: TableRow,
  columnRows: readonly ColumnRow[],
  foreignKeyRows: readonly ForeignKeyRow[],
  checkRows: readonly CheckRow[],
  indexRows: readonly IndexRow[],
): TableDef {
  const tableCollation = row.collation === null ? undefined : text(row.collation)
  // MariaDB's `json` is longtext with a column check `json_valid(col)` named like the column.
  const jsonChecks = new Set(
    checkRows
      .filter((c) => {
        const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(text(c.clause).trim())
        return match !== null && match[1]!.replace(/``/g, '`') === text(c.name)
      })
      .map((c) => text(c.name)),
  )
  const columns = [...columnRows]
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((c) => toColumn(context, c, tableCollation, jsonChecks.has(text(c.name))))
  const jsonColumns = new Set(columns.filter((c) => c.type.kind === 'json').map((c) => c.name))
  const foreignKeys = toForeignKeys(context, foreignKeyRows)
  const { primaryKey, uniques, indexes } = toKeys(indexRows, foreignKeys)
  return {
    schema: undefined,
    name: text(row.tbl),
    columns,
    primaryKey,
    foreignKeys,
    uniques,
    checks: checkRows
      .filter((c) => !jsonColumns.has(text(c.name)) || !jsonChecks.has(text(c.name)))
      .map((c): CheckDef => ({ name: text(c.name), expression: unescapeMysql(context, c.clause) }))
      .sort(byName),
    indexes,
    comment: row.comment === null || text(row.comment) === '' ? undefined : text(row.comment),
    engineOptions: { mysql: tableOptions(row, tableCollation) },
  }
}

/**
 * The table's engine, default character set and collation as the server names them (`InnoDB`,
 * `utf8mb3`, `utf8mb3_general_ci`); the comparator reads past case and the `utf8` alias.
 */
function tableOptions(row: TableRow, collation: string | undefined): MysqlTableOptions {
  // Every character set name is one word without `_`, and every collation name begins with its
  // set's and a `_` (`utf8mb4_uca1400_ai_ci`), save `binary`, whose set is `binary`.
  const charset =
    row.charset !== null
      ? text(row.charset)
      : collation === undefined
        ? undefined
        : collation.split('_')[0]
  return {
    ...(row.engine === null ? {} : { engine: text(row.engine) }),
    ...(charset === undefined ? {} : { charset }),
    ...(collation === undefined ? {} : { collation }),
  }
}

function toColumn(
  context: ReadContext,
  row: ColumnRow,
  tableCollation: string | undefined,
  jsonChecked: boolean,
): ColumnDef {
  const extra = text(row.extra).toLowerCase()
  const columnType = text(row.column_type)
  const isJson = jsonChecked && /^longtext$/i.test(columnType)
  let type = isJson ? ({ kind: 'json' } as const) : readColumnType(columnType)
  const serial = extra.includes('auto_increment')
  const expression = row.generation === null ? '' : unescapeMysql(context, row.generation)
  let generated: string | undefined
  if (extra.includes('stored generated')) generated = expression
  else if (extra.includes('virtual generated')) {
    type = { kind: 'custom', sql: `${columnType} GENERATED ALWAYS AS (${expression}) VIRTUAL` }
  }
  const collation = row.collation === null ? undefined : text(row.collation)
  const comment = row.comment === null ? '' : text(row.comment)
  return {
    name: text(row.name),
    type,
    nullable: text(row.nullable) === 'YES',
    default:
      serial || (extra.includes('generated') && !extra.includes('default_generated'))
        ? undefined
        : readDefault(context, row, type),
    identity: undefined,
    serial,
    comment: comment === '' ? undefined : comment,
    ...(generated === undefined ? {} : { generated }),
    ...(collation === undefined || collation === tableCollation || isJson ? {} : { collation }),
  }
}

/**
 * The column default as SQL. MariaDB (10.2.7+) prints literals quoted and `NULL` for none;
 * MySQL prints a literal's text unquoted and marks expression defaults `DEFAULT_GENERATED`.
 */
function readDefault(
  context: ReadContext,
  row: ColumnRow,
  type: ColumnType,
): ColumnDefault | undefined {
  if (row.dflt === null) return undefined
  const value = text(row.dflt)
  if (context.mariadb) return value === 'NULL' ? undefined : { kind: 'sql', sql: value }
  if (text(row.extra).toLowerCase().includes('default_generated')) {
    return { kind: 'sql', sql: unescapeMysql(context, value) }
  }
  const numeric =
    type.kind === 'smallint' ||
    type.kind === 'integer' ||
    type.kind === 'bigint' ||
    type.kind === 'real' ||
    type.kind === 'double' ||
    type.kind === 'numeric' ||
    type.kind === 'boolean' ||
    (type.kind === 'custom' &&
      /^(?:tiny|small|medium|big)?int|^decimal|^float|^double|^bit/i.test(type.sql))
  if (numeric || /^0x[0-9a-f]*$|^b'[01]*'$/i.test(value)) return { kind: 'sql', sql: value }
  return { kind: 'sql', sql: quoteString(value) }
}

/**
 * MySQL 8 escapes quotes in the expressions information_schema shows (`_utf8mb4\'a\'`); MariaDB
 * prints them as written.
 */
function unescapeMysql(context: ReadContext, value: unknown): string {
  const sql = text(value)
  return context.mariadb ? sql : sql.replace(/\\(['\\])/g, '$1')
}

/** The snapshot type of a column type as information_schema prints it. */
export function readColumnType(columnType: string): ColumnType {
  const spelled = columnType.trim().toLowerCase().replace(/\s+/g, ' ')
  const integer = /^(smallint|int|bigint)(?:\(\d+\))?$/.exec(spelled)
  if (integer !== null) {
    return { kind: integer[1] === 'int' ? 'integer' : (integer[1] as 'smallint' | 'bigint') }
  }
  const plain = PLAIN_TYPES.get(spelled)
  if (plain !== undefined) return plain
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(spelled)
  if (decimal !== null) {
    return { kind: 'numeric', precision: Number(decimal[1]), scale: Number(decimal[2]) }
  }
  const sized = /^(varchar|char)\((\d+)\)$/.exec(spelled)
  if (sized !== null) return { kind: sized[1] as 'varchar' | 'char', length: Number(sized[2]) }
  const time = /^(time|datetime|timestamp)(?:\((\d)\))?$/.exec(spelled)
  if (time !== null) {
    const precision = time[2] === undefined || time[2] === '0' ? undefined : Number(time[2])
    return time[1] === 'time'
      ? { kind: 'time', withTimezone: false, precision }
      : { kind: 'timestamp', withTimezone: time[1] === 'timestamp', precision }
  }
  return { kind: 'custom', sql: columnType }
}

const PLAIN_TYPES: ReadonlyMap<string, ColumnType> = new Map<string, ColumnType>([
  ['tinyint(1)', { kind: 'boolean' }],
  ['float', { kind: 'real' }],
  ['double', { kind: 'double' }],
  ['text', { kind: 'text' }],
  ['date', { kind: 'date' }],
  ['json', { kind: 'json' }],
  ['longblob', { kind: 'bytea' }],
])

/** NO ACTION is the default, undefined in the snapshot as in the models. */
function action(rule: string): ReferentialAction | undefined {
  switch (rule.toUpperCase()) {
    case 'CASCADE':
      return 'cascade'
    case 'SET NULL':
      return 'set null'
    case 'SET DEFAULT':
      return 'set default'
    case 'RESTRICT':
      // MariaDB reports RESTRICT for a key given no action, MySQL NO ACTION; InnoDB treats the
      // two alike (manual, 15.1.20.5), so both are the default, and normalize() says the same of
      // the models'.
      return undefined
    default:
      return undefined
  }
}

function toForeignKeys(
  context: ReadContext,
  rows: readonly ForeignKeyRow[],
): readonly ForeignKeyDef[] {
  return [...groupBy(rows, (row) => text(row.name)).values()]
    .map((parts): ForeignKeyDef => {
      const ordered = [...parts].sort((a, b) => Number(a.position) - Number(b.position))
      const first = ordered[0]!
      const refSchema = first.ref_schema === null ? undefined : text(first.ref_schema)
      return {
        name: text(first.name),
        columns: ordered.map((row) => text(row.col)),
        referencedSchema: refSchema === context.database ? undefined : refSchema,
        referencedTable: text(first.ref_table),
        referencedColumns: ordered.map((row) => text(row.ref_column)),
        onDelete: action(text(first.on_delete)),
        onUpdate: action(text(first.on_update)),
        deferrable: false,
        initiallyDeferred: false,
      }
    })
    .sort(byName)
}

/**
 * The primary key, unique constraints and indexes from the key parts of every index. See
 * {@link UNIQUE_INDEX_COMMENT} for which unique indexes are constraints, and
 * {@link MysqlIntrospector} for the foreign keys' own indexes, left out.
 */
function toKeys(
  rows: readonly IndexRow[],
  foreignKeys: readonly ForeignKeyDef[],
): {
  primaryKey: TableDef['primaryKey']
  uniques: readonly UniqueDef[]
  indexes: readonly IndexDef[]
} {
  let primaryKey: TableDef['primaryKey']
  const uniques: UniqueDef[] = []
  const indexes: IndexDef[] = []
  for (const [name, parts] of groupBy(rows, (row) => text(row.name))) {
    const ordered = [...parts].sort((a, b) => Number(a.seq) - Number(b.seq))
    const first = ordered[0]!
    const elements = ordered.map(toElement)
    const plain = elements.every((e) => e.column !== undefined && e.order === undefined)
    const method = text(first.index_type).toLowerCase()
    const columns = elements.map((e) => e.column ?? '')
    const unique = Number(first.non_unique) === 0
    if (name === 'PRIMARY') {
      primaryKey = { name: undefined, columns }
      continue
    }
    const ofForeignKey = foreignKeys.some((fk) => fk.name === name && sameList(fk.columns, columns))
    if (!unique && plain && method === 'btree' && ofForeignKey) continue
    const marked = first.comment !== null && text(first.comment) === UNIQUE_INDEX_COMMENT
    if (unique && plain && method === 'btree' && !marked) {
      uniques.push({ name, columns, nullsNotDistinct: false })
      continue
    }
    indexes.push({
      name,
      elements,
      unique,
      method: method === 'btree' ? undefined : method,
      where: undefined,
      include: [],
    })
  }
  return { primaryKey, uniques: uniques.sort(byName), indexes: indexes.sort(byName) }
}

function toElement(row: IndexRow): IndexElement {
  const column = row.col === null ? undefined : text(row.col)
  const subPart = row.sub_part === null ? undefined : Number(row.sub_part)
  const expression =
    column === undefined
      ? text(row.expression ?? '')
      : subPart !== undefined
        ? // Always in backticks: a column's prefix, not a call of a function of that name.
          `\`${column.replace(/`/g, '``')}\`(${subPart})`
        : undefined
  return {
    column: expression === undefined ? column : undefined,
    expression,
    order: row.collation !== null && text(row.collation) === 'D' ? 'desc' : undefined,
    nulls: undefined,
    opclass: undefined,
  }
}

/**
 * Whether a table is left out: `options.excludeTables` names it as `table`, or as
 * `database.table` with the current database or `options.defaultSchema`. Names compare exactly,
 * or without regard to case when the server folds table names (`lower_case_table_names`).
 */
function exclusions(
  options: IntrospectOptions,
  database: string,
  foldCase: boolean,
): (table: string) => boolean {
  const fold = (name: string) => (foldCase ? name.toLowerCase() : name)
  const schemas = new Set([database, options.defaultSchema].filter((s) => s !== undefined))
  const names = new Set<string>()
  for (const entry of options.excludeTables ?? []) {
    names.add(fold(entry))
    const dot = entry.indexOf('.')
    if (dot > 0 && schemas.has(entry.slice(0, dot))) names.add(fold(entry.slice(dot + 1)))
  }
  return (table) => names.has(fold(table))
}

/** A value the driver may return as text or bytes (information_schema's blob columns). */
function text(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return String(value)
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name.toLowerCase() === b[i]!.toLowerCase())
}

function byName(
  a: { readonly name: string | undefined },
  b: { readonly name: string | undefined },
) {
  const x = a.name ?? ''
  const y = b.name ?? ''
  return x < y ? -1 : x > y ? 1 : 0
}

function groupBy<T extends { readonly tbl: string }>(
  rows: readonly T[],
  keyOf: (row: T) => string = (row) => text(row.tbl),
): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [row])
    else group.push(row)
  }
  return groups
}

/**
 * A view as the server stored it. MySQL qualifies every name with the database (`` `db`.`items` ``)
 * and aliases every column; the qualifiers of the current database are dropped, so that the
 * query stays valid wherever the database is restored, and the comparator reads the rest.
 */
function toView(row: ViewRow, database: string): ViewDef {
  const sql = text(row.definition)
  const tokens = tokenize(sql)
  // The database's name and the dot after it, as one span each, both replaced by nothing.
  const definition = spliceSpans(sql, tokens, (token, i) => {
    const qualifier = (t: (typeof tokens)[number] | undefined) =>
      (t?.kind === 'name' || t?.kind === 'word') && t.value === database
    if (qualifier(token) && tokens[i + 1]?.text === '.') return ''
    return token.text === '.' && qualifier(tokens[i - 1]) ? '' : undefined
  })
  const check = text(row.check_option).toLowerCase()
  return {
    schema: undefined,
    name: text(row.name),
    materialized: false,
    definition,
    checkOption: check === 'local' || check === 'cascaded' ? check : undefined,
    securityBarrier: false,
    securityInvoker: text(row.security).toUpperCase() === 'INVOKER',
    withData: true,
    indexes: [],
    comment: undefined,
    columns: [],
    dependsOn: [],
  }
}

/** RESTRICT and NO ACTION are one action in InnoDB (checked at once): the default. */
function innodbAction(action: ReferentialAction | undefined): ReferentialAction | undefined {
  return action === 'restrict' || action === 'no action' ? undefined : action
}

/** The options a table created without any gets on this server and database. */
function serverDefaults(server: ServerRow): MysqlTableOptions {
  return {
    ...(server.engine === null ? {} : { engine: text(server.engine) }),
    ...(server.charset === null ? {} : { charset: text(server.charset) }),
    ...(server.collation === null ? {} : { collation: text(server.collation) }),
  }
}
