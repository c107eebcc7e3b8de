/**
 * Reads PostgreSQL's system catalogs into a {@link SchemaSnapshot}. Introspection uses it on the
 * user's schemas, normalization on the session's temporary schema, so that both spell every
 * default, check, index expression and predicate with the very same catalog functions.
 */
import type {
  CheckDef,
  ColumnDef,
  ColumnType,
  EnumDef,
  ForeignKeyDef,
  IdentityDef,
  IndexDef,
  IndexElement,
  ReferentialAction,
  SchemaSnapshot,
  TableDef,
  UniqueDef,
} from '../../schema/schema-snapshot.ts'
import { identityExtras } from '../../schema/sequence-numbers.ts'
import type { Connection } from '../connection.ts'
import {
  type CodeObjectLists,
  NO_CODE_OBJECTS,
  readCodeObjects,
} from './postgres-code-object-reader.ts'
import type { IndexRow } from './postgres-index-row.ts'
import { quotePrintedString } from './postgres-quoting.ts'
import {
  isSerialSequence,
  readSchemaObjects,
  sequenceType,
  type TypeRow,
} from './postgres-schema-object-reader.ts'
import { exclusionClasses, readTableExtras, tableExtras } from './postgres-table-extras-reader.ts'

/** Which namespaces to read. */
export type CatalogScope =
  /** Every schema except the system's (`pg_catalog`, `information_schema`, toast and temp ones). */
  | { readonly kind: 'user' }
  /** The named schemas only. */
  | { readonly kind: 'schemas'; readonly schemas: readonly string[] }
  /** This session's own temporary schema (`pg_temp`), for normalization. */
  | { readonly kind: 'temp' }

/** What {@link PostgresCatalogReader.read} reads and how it names things. */
export interface CatalogReadOptions {
  /** Objects in this schema get `schema: undefined`. */
  readonly defaultSchema: string
  /** Tables to leave out, as `table` (default schema) or `schema.table`. */
  readonly excludeTables: ReadonlySet<string>
  /** Read enum types too (default true). */
  readonly enums?: boolean
  /** Read exclusion constraints and partitioning too (default true). */
  readonly tableExtras?: boolean
}

interface TableRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly comment: string | null
}

interface ColumnRow {
  readonly rel: number
  readonly name: string
  readonly num: number
  readonly not_null: boolean
  readonly identity: string
  readonly generated: string
  readonly typmod: number
  readonly ndims: number
  readonly default_sql: string | null
  readonly comment: string | null
  readonly is_array: boolean
  readonly elem_kind: string
  readonly elem_schema: string
  readonly elem_name: string
  readonly elem_sql: string
  readonly seq_kind: string | null
  readonly seq_start: string | null
  readonly seq_increment: string | null
  readonly seq_name: string | null
  readonly seq_oid: number | null
  readonly seq_type: string | null
  readonly seq_min: string | null
  readonly seq_max: string | null
  readonly seq_cache: string | null
  readonly seq_cycle: boolean | null
  readonly generated_sql: string | null
  readonly collation: string | null
}

interface ConstraintRow {
  readonly rel: number
  readonly name: string
  readonly type: 'p' | 'f' | 'u' | 'c'
  readonly keys: readonly number[] | null
  readonly ref_schema: string | null
  readonly ref_table: string | null
  readonly ref_oid: number | null
  readonly ref_keys: readonly number[] | null
  readonly ref_columns: readonly string[] | null
  readonly on_delete: string
  readonly on_update: string
  readonly deferrable: boolean
  readonly deferred: boolean
  readonly definition: string | null
  readonly nulls_not_distinct: boolean
}

interface OpclassRow {
  readonly oid: number
  readonly name: string | null
}

interface EnumRow {
  readonly schema: string
  readonly name: string
  readonly values: readonly string[]
}

/**
 * Schemas PostgreSQL keeps for itself: the catalogs, the SQL-standard views, TOAST storage, and
 * every session's temporary schemas (manual, 5.10.5 "The System Catalog Schema" and 5.10.4 "The
 * Schema Search Path"). `_` is a LIKE wildcard, hence the escapes.
 */
const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`

/**
 * A true array type, as `format_type()` decides it: an element type, variable length, and not
 * plain storage — which rules out `name`, `point`, `int2vector` and `oidvector`, whose `typelem`
 * is set too (manual, 53.64 pg_type, typelem).
 */
const IS_ARRAY = `(t.typelem <> 0 AND t.typlen = -1 AND t.typstorage <> 'p')`

/** Objects that belong to an extension are the extension's business (manual, 38.17). */
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '${catalog}'::regclass AND x.objid = ${oid} AND x.deptype = 'e')`

/**
 * Reads a database's tables, columns, constraints, indexes and enum types with a fixed number of
 * queries — nine at most, whatever the number of tables — run one after another on one session.
 */
export class PostgresCatalogReader {
  /** `server_version_num` per session: the catalogs' columns differ across versions. */
  private readonly versions = new WeakMap<Connection, number>()

  /** Reads the tables (and enums) of `scope` into a snapshot, sorted as the model DSL sorts. */
  async read(
    connection: Connection,
    scope: CatalogScope,
    options: CatalogReadOptions,
  ): Promise<SchemaSnapshot> {
    const version = await this.serverVersion(connection)
    const filter =
      scope.kind === 'user'
        ? USER_SCHEMAS
        : scope.kind === 'schemas'
          ? 'n.nspname = ANY($1::text[])'
          : 'n.oid = pg_my_temp_schema()'
    const filterParams = scope.kind === 'schemas' ? [scope.schemas] : []
    const { defaultSchema, excludeTables } = options
    const schemaOf = (schema: string): string | undefined =>
      schema === defaultSchema ? undefined : schema

    const tables = (
      await connection.query<TableRow>(
        `SELECT c.oid, n.nspname AS schema, c.relname AS name, d.description AS comment
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
                AND d.objsubid = 0
          WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${filter}
            AND ${notExtensionMember('pg_class', 'c.oid')}`,
        filterParams,
      )
    ).rows.filter(
      (t) =>
        !excludeTables.has(`${t.schema}.${t.name}`) &&
        !(t.schema === defaultSchema && excludeTables.has(t.name)),
    )
    const oids = [tables.map((t) => t.oid)]
    // Queries run one after another: a session runs one statement at a time, and node-postgres
    // refuses to queue overlapping queries on one client.
    const columns =
      tables.length === 0 ? [] : (await connection.query<ColumnRow>(COLUMNS_SQL, oids)).rows
    const constraints =
      tables.length === 0
        ? []
        : (await connection.query<ConstraintRow>(constraintsSql(version), oids)).rows
    const indexes =
      tables.length === 0 ? [] : (await connection.query<IndexRow>(INDEXES_SQL, oids)).rows
    const extras = await readTableExtras(connection, options.tableExtras === false ? [] : oids[0]!)
    const classOids = [
      ...new Set([...indexes.flatMap((row) => row.classes), ...exclusionClasses(extras)]),
    ]
    const opclasses = new Map(
      classOids.length === 0
        ? []
        : (await connection.query<OpclassRow>(OPCLASSES_SQL, [classOids])).rows.map((r) => [
            r.oid,
            r.name ?? undefined,
          ]),
    )
    const enums =
      options.enums === false
        ? []
        : (
            await connection.query<EnumRow>(
              `SELECT n.nspname AS schema, t.typname AS name,
                      ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                             ORDER BY e.enumsortorder)::text[] AS values
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE t.typtype = 'e' AND ${filter} AND ${notExtensionMember('pg_type', 't.oid')}`,
              filterParams,
            )
          ).rows

    const columnsByTable = groupBy(columns, (r) => r.rel)
    const constraintsByTable = groupBy(constraints, (r) => r.rel)
    const indexesByTable = groupBy(indexes, (r) => r.rel)

    // Constraint and index keys are attribute numbers; names come from the tables' columns.
    const names = new Map<number, Map<number, string>>()
    for (const [rel, rows] of columnsByTable) {
      rows.sort((a, b) => a.num - b.num)
      names.set(rel, new Map(rows.map((c) => [c.num, c.name])))
    }
    const nameKeys = (rel: number | null, keys: readonly number[] | null): string[] => {
      const byNum = rel === null ? undefined : names.get(rel)
      return (keys ?? []).map((k) => byNum?.get(k) ?? String(k))
    }

    const tableDefs = tables.map((t): TableDef => {
      const columnRows = columnsByTable.get(t.oid) ?? []
      const columnNames = (keys: readonly number[] | null) => nameKeys(t.oid, keys)
      const primaryKeys: { name: string; columns: string[] }[] = []
      const foreignKeys: ForeignKeyDef[] = []
      const uniques: UniqueDef[] = []
      const checks: CheckDef[] = []
      for (const k of constraintsByTable.get(t.oid) ?? []) {
        if (k.type === 'p') primaryKeys.push({ name: k.name, columns: columnNames(k.keys) })
        else if (k.type === 'f') {
          const referenced = k.ref_columns ?? nameKeys(k.ref_oid, k.ref_keys)
          foreignKeys.push(toForeignKey(k, columnNames(k.keys), referenced, schemaOf))
        } else if (k.type === 'u') {
          uniques.push({
            name: k.name,
            columns: columnNames(k.keys),
            nullsNotDistinct: k.nulls_not_distinct,
          })
        } else checks.push(toCheck(k))
      }
      return {
        schema: schemaOf(t.schema),
        name: t.name,
        columns: dedupeColumns(columnRows).map((c) => toColumn(c, schemaOf)),
        primaryKey: primaryKeys[0],
        foreignKeys: foreignKeys.sort(byName),
        uniques: uniques.sort(byName),
        checks: checks.sort(byName),
        indexes: (indexesByTable.get(t.oid) ?? [])
          .map((row) => toIndex(row, names.get(t.oid) ?? new Map(), opclasses))
          .sort(byName),
        comment: t.comment ?? undefined,
        ...tableExtras(extras, t.oid, schemaOf, (row) =>
          toIndex(row, names.get(t.oid) ?? new Map(), opclasses),
        ),
      }
    })
    const enumDefs = enums.map(
      (e): EnumDef => ({ schema: schemaOf(e.schema), name: e.name, values: e.values }),
    )
    // Sequences, domains, composite types and extensions; normalization reads none of them.
    const objects =
      scope.kind === 'temp'
        ? { sequences: [], domains: [], compositeTypes: [], extensions: [] }
        : await readSchemaObjects(connection, {
            filter,
            params: filterParams,
            schemaOf,
            typeOf: (row) => typeOfRow(row, schemaOf),
            tables: new Set(tables.map((t) => Number(t.oid))),
            serialSequences: new Set(
              columns.flatMap((row) =>
                row.seq_oid !== null &&
                row.identity === '' &&
                isSerial(row, typeOfRow(row, schemaOf))
                  ? [Number(row.seq_oid)]
                  : [],
              ),
            ),
          })
    // Views, functions, aggregates and triggers; normalization reads its own (code objects).
    const code =
      scope.kind === 'temp'
        ? NO_CODE_OBJECTS
        : await this.readCodeObjects(connection, scope, {
            defaultSchema,
            excludeTables,
            tables: new Set(tables.map((t) => Number(t.oid))),
          })
    return {
      tables: tableDefs.sort(byQualifiedName),
      enums: enumDefs.sort(byQualifiedName),
      ...objects,
      ...code,
    }
  }

  /**
   * Reads the views, materialized views, functions, procedures, aggregates, triggers (on
   * `options.tables` and the views read) and, for the user scope, event triggers of `scope`.
   */
  async readCodeObjects(
    connection: Connection,
    scope: CatalogScope,
    options: CatalogReadOptions & { readonly tables: ReadonlySet<number> },
  ): Promise<CodeObjectLists> {
    const { defaultSchema, excludeTables } = options
    return readCodeObjects(connection, {
      filter:
        scope.kind === 'user'
          ? USER_SCHEMAS
          : scope.kind === 'schemas'
            ? 'n.nspname = ANY($1::text[])'
            : 'n.oid = pg_my_temp_schema()',
      params: scope.kind === 'schemas' ? [scope.schemas] : [],
      schemaOf: (schema) => (schema === defaultSchema ? undefined : schema),
      version: await this.serverVersion(connection),
      excluded: (schema, name) =>
        excludeTables.has(`${schema}.${name}`) ||
        (schema === defaultSchema && excludeTables.has(name)),
      tables: options.tables,
      eventTriggers: scope.kind === 'user',
      notExtensionMember,
      indexesOf: async (relations) => {
        const out = new Map<number, IndexDef[]>()
        if (relations.length === 0) return out
        const rows = (await connection.query<IndexRow>(INDEXES_SQL, [relations.map((r) => r.oid)]))
          .rows
        const classOids = [...new Set(rows.flatMap((row) => row.classes))]
        const opclasses = new Map(
          classOids.length === 0
            ? []
            : (await connection.query<OpclassRow>(OPCLASSES_SQL, [classOids])).rows.map((r) => [
                r.oid,
                r.name ?? undefined,
              ]),
        )
        for (const { oid, names } of relations) {
          const indexes = rows.filter((row) => row.rel === oid)
          out.set(oid, indexes.map((row) => toIndex(row, names, opclasses)).sort(byName))
        }
        return out
      },
    })
  }

  private async serverVersion(connection: Connection): Promise<number> {
    const known = this.versions.get(connection)
    if (known !== undefined) return known
    const rows = await connection.query<{ version: number }>(
      `SELECT current_setting('server_version_num')::int AS version`,
    )
    const version = rows.rows[0]?.version ?? 0
    this.versions.set(connection, version)
    return version
  }
}

/**
 * Columns with their types resolved in SQL (an array's element type and schema), defaults as
 * `pg_get_expr` prints them, comments, and the sequence each identity or serial column owns:
 * `pg_depend` links an owned sequence to its column with deptype 'i' for identity columns and
 * 'a' for serial ones (manual, 5.8 "Identity Columns", 8.1.4 "Serial Types", 53.18 pg_depend).
 *
 * A default cannot refer to columns ("a variable-free expression", manual, CREATE TABLE), so it
 * is printed without its relation (`pg_get_expr(adbin, 0)`), which prints the same text without
 * looking up the table's column names on every call — a cost that grows with the table's width.
 * Only a generated column's expression refers to columns, and it is no default: it is printed
 * with its relation, as `generated_sql`. A collation is named only when it is not the type's
 * own (manual, 24.2 "Collation Support"). Rows come
 * unordered (sorting would spill the wide expression trees to disk); they are sorted in
 * JavaScript.
 */
const COLUMNS_SQL = `
SELECT a.attrelid AS rel, a.attname AS name, a.attnum AS num, a.attnotnull AS not_null,
       a.attidentity AS identity, a.attgenerated AS generated, a.atttypmod AS typmod,
       a.attndims AS ndims,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS default_sql,
       dc.description AS comment, ${IS_ARRAY} AS is_array, et.typtype AS elem_kind,
       en.nspname AS elem_schema, et.typname AS elem_name,
       format_type(et.oid, a.atttypmod) AS elem_sql, sq.deptype AS seq_kind,
       sq.seqstart::text AS seq_start, sq.seqincrement::text AS seq_increment,
       sq.seqrelid::regclass::text AS seq_name, sq.seqrelid AS seq_oid,
       format_type(sq.seqtypid, NULL) AS seq_type, sq.seqmin::text AS seq_min,
       sq.seqmax::text AS seq_max, sq.seqcache::text AS seq_cache, sq.seqcycle AS seq_cycle,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated_sql,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type et ON et.oid = CASE WHEN ${IS_ARRAY} THEN t.typelem ELSE t.oid END
  JOIN pg_namespace en ON en.oid = et.typnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_description dc ON dc.objoid = a.attrelid AND dc.classoid = 'pg_class'::regclass
       AND dc.objsubid = a.attnum
  LEFT JOIN (SELECT dep.refobjid, dep.refobjsubid, dep.deptype, s.seqrelid, s.seqstart,
                    s.seqincrement, s.seqtypid, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
               FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
              WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                AND dep.deptype IN ('a', 'i')) sq
       ON sq.refobjid = a.attrelid AND sq.refobjsubid = a.attnum
 WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`

/**
 * Primary keys, foreign keys, unique and check constraints. PostgreSQL 18 also records NOT NULL
 * as constraints (contype 'n', manual 53.13 pg_constraint); those are column nullability here,
 * so only the four kinds the snapshot knows are read. Only checks need their definition text.
 * A foreign key's referenced columns are named from the referenced table's columns when that
 * table is read too, else here. `indnullsnotdistinct` exists from
 * PostgreSQL 15 (manual, CREATE TABLE, UNIQUE NULLS NOT DISTINCT).
 */
function constraintsSql(version: number): string {
  const nullsNotDistinct = version >= 150000 ? 'COALESCE(i.indnullsnotdistinct, false)' : 'false'
  return `
SELECT k.conrelid AS rel, k.conname AS name, k.contype AS type, k.conkey AS keys,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       CASE WHEN k.contype = 'f' THEN k.confrelid END AS ref_oid,
       CASE WHEN k.contype = 'f' THEN k.confkey END AS ref_keys,
       CASE WHEN k.contype = 'f' AND NOT k.confrelid = ANY($1::oid[]) THEN
         ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(num, ord)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num
                ORDER BY u.ord)::text[]
       END AS ref_columns,
       k.confdeltype AS on_delete, k.confupdtype AS on_update, k.condeferrable AS deferrable,
       k.condeferred AS deferred,
       CASE WHEN k.contype = 'c' THEN pg_get_constraintdef(k.oid, true) END AS definition,
       ${nullsNotDistinct} AS nulls_not_distinct
  FROM pg_constraint k
  LEFT JOIN pg_class rc ON rc.oid = k.confrelid
  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_index i ON k.contype = 'u' AND i.indexrelid = k.conindid
 WHERE k.conrelid = ANY($1::oid[]) AND k.contype IN ('p', 'f', 'u', 'c')`
}

/**
 * Indexes, except those behind a primary key, unique or exclusion constraint, which are part of
 * the constraint. `indkey` holds 0 for an expression (manual, 53.26 pg_index); its text comes from
 * `pg_get_indexdef(index, column, true)`, the predicate from `pg_get_expr(indpred, ...)`, both
 * pretty-printed as psql's \d shows them. Operator classes are looked up afterwards: a few
 * distinct ones serve thousands of indexes.
 */
const INDEXES_SQL = `
SELECT i.indrelid AS rel, ic.relname AS name, i.indisunique AS unique, am.amname AS method,
       i.indnkeyatts AS key_count, i.indkey::int2[] AS keys, i.indoption::int2[] AS options,
       i.indclass::oid[] AS classes,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                 FROM generate_series(1, i.indnkeyatts) k
                WHERE i.indkey[k - 1] = 0 ORDER BY k)::text[]
       END AS expressions,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
 WHERE i.indrelid = ANY($1::oid[])
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid
                     AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))`

/**
 * Operator classes by oid: null for the default class of its type and access method, else the
 * name, schema-qualified when not visible — what `pg_get_indexdef` prints (manual, 11.10
 * "Operator Classes and Operator Families").
 */
const OPCLASSES_SQL = `
SELECT oc.oid,
       CASE WHEN oc.opcdefault THEN NULL
            WHEN pg_opclass_is_visible(oc.oid) THEN quote_ident(oc.opcname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(oc.opcname) END AS name
  FROM pg_opclass oc JOIN pg_namespace n ON n.oid = oc.opcnamespace
 WHERE oc.oid = ANY($1::oid[])`

/** A column owning two sequences (`ALTER SEQUENCE ... OWNED BY` twice) comes back twice. */
function dedupeColumns(rows: readonly ColumnRow[]): readonly ColumnRow[] {
  let previous = -1
  let duplicates = false
  for (const row of rows) {
    if (row.num === previous) duplicates = true
    previous = row.num
  }
  if (!duplicates) return rows
  const byNum = new Map<number, ColumnRow>()
  for (const row of rows) {
    const known = byNum.get(row.num)
    // Prefer the sequence that makes the column what it is: identity, then serial.
    if (known === undefined || (known.seq_kind !== 'i' && row.seq_kind === 'i')) {
      byNum.set(row.num, row)
    }
  }
  return [...byNum.values()]
}

function toColumn(row: ColumnRow, schemaOf: (schema: string) => string | undefined): ColumnDef {
  const type = typeOfRow(row, schemaOf)
  const identity =
    row.identity === 'a' || row.identity === 'd' ? toIdentity(row, type.kind) : undefined
  const serial = identity === undefined && isSerial(row, type)
  return {
    name: row.name,
    type,
    nullable: !row.not_null,
    // A generated column's expression is in pg_attrdef too, but it is no default (manual, 5.4
    // "Generated Columns"): it is `generated`. A serial column's nextval() is the serial itself.
    default:
      serial || row.default_sql === null || row.generated !== ''
        ? undefined
        : { kind: 'sql', sql: row.default_sql },
    identity,
    serial,
    comment: row.comment ?? undefined,
    ...(row.generated_sql === null ? {} : { generated: row.generated_sql }),
    ...(row.collation === null ? {} : { collation: row.collation }),
  }
}

/**
 * Identity options as the snapshot states them: start and increment only when they differ from
 * CREATE SEQUENCE's defaults — increment 1, start 1 ascending and -1 descending (manual, CREATE
 * SEQUENCE).
 */
function toIdentity(row: ColumnRow, kind: ColumnType['kind']): IdentityDef {
  const increment = row.seq_increment === null ? 1 : Number(row.seq_increment)
  const start = row.seq_start === null ? undefined : Number(row.seq_start)
  return {
    always: row.identity === 'a',
    start: start === undefined || start === (increment < 0 ? -1 : 1) ? undefined : start,
    increment: increment === 1 ? undefined : increment,
    // Bounds and cache, present only when they differ from the defaults of the column's type.
    ...identityExtras(
      sequenceType(kind),
      {
        increment,
        minValue: row.seq_min === null ? undefined : BigInt(row.seq_min),
        maxValue: row.seq_max === null ? undefined : BigInt(row.seq_max),
        cache: row.seq_cache === null ? undefined : BigInt(row.seq_cache),
        cycle: row.seq_cycle === true,
      },
      `the identity of column ${row.name}`,
    ),
  }
}

/**
 * A serial column: fed by a sequence it owns (deptype 'a') through `nextval()`, of its own integer
 * type with every option at its default, as `serial` makes it. A column fed by an owned sequence
 * with other options keeps its `nextval()` default, and the sequence is read as one of its own.
 */
function isSerial(row: ColumnRow, type: ColumnType): boolean {
  return (
    row.seq_kind === 'a' &&
    row.seq_name !== null &&
    !row.is_array &&
    row.default_sql === `nextval(${quotePrintedString(row.seq_name)}::regclass)` &&
    isSerialSequence({
      columnType: type.kind,
      dataType: row.seq_type ?? '',
      start: BigInt(row.seq_start ?? 1),
      increment: BigInt(row.seq_increment ?? 1),
      minValue: BigInt(row.seq_min ?? 1),
      maxValue: row.seq_max === null ? undefined : BigInt(row.seq_max),
      cache: BigInt(row.seq_cache ?? 1),
      cycle: row.seq_cycle === true,
    })
  )
}

/** The snapshot type of a column, domain base or composite attribute, arrays included. */
function typeOfRow(row: TypeRow, schemaOf: (schema: string) => string | undefined): ColumnType {
  let type = elementType(row, schemaOf)
  if (row.is_array) {
    // attndims is the number of dimensions declared (`text[][]`); PostgreSQL does not enforce
    // it, and it is 0 for arrays not declared with brackets (manual, 53.7 pg_attribute).
    for (let d = Math.max(1, row.ndims); d > 0; d--) type = { kind: 'array', element: type }
  }
  return type
}

/** The snapshot type of a column's (element) type; anything else is spelled by `format_type()`. */
function elementType(row: TypeRow, schemaOf: (schema: string) => string | undefined): ColumnType {
  if (row.elem_kind === 'e') {
    return { kind: 'enum', name: row.elem_name, schema: schemaOf(row.elem_schema) }
  }
  if (row.elem_schema !== 'pg_catalog' || row.elem_kind !== 'b') {
    return { kind: 'custom', sql: row.elem_sql }
  }
  const typmod = row.typmod
  // Type modifiers (manual, 8.1.2, 8.3, 8.5.1, and numeric.c): character types store length + 4
  // (VARHDRSZ); numeric stores ((precision << 16) | scale) + 4, the scale as an 11-bit signed
  // number since PostgreSQL 15 allows negative scales; time types store the precision itself.
  switch (row.elem_name) {
    case 'int2':
      return { kind: 'smallint' }
    case 'int4':
      return { kind: 'integer' }
    case 'int8':
      return { kind: 'bigint' }
    case 'float4':
      return { kind: 'real' }
    case 'float8':
      return { kind: 'double' }
    case 'numeric':
      return typmod < 4
        ? { kind: 'numeric', precision: undefined, scale: undefined }
        : {
            kind: 'numeric',
            precision: ((typmod - 4) >> 16) & 0xffff,
            scale: (((typmod - 4) & 0x7ff) ^ 1024) - 1024,
          }
    case 'text':
      return { kind: 'text' }
    case 'varchar':
      return { kind: 'varchar', length: typmod >= 4 ? typmod - 4 : undefined }
    case 'bpchar':
      return { kind: 'char', length: typmod >= 4 ? typmod - 4 : undefined }
    case 'bool':
      return { kind: 'boolean' }
    case 'date':
      return { kind: 'date' }
    case 'time':
    case 'timetz':
      return {
        kind: 'time',
        withTimezone: row.elem_name === 'timetz',
        precision: typmod >= 0 ? typmod : undefined,
      }
    case 'timestamp':
    case 'timestamptz':
      return {
        kind: 'timestamp',
        withTimezone: row.elem_name === 'timestamptz',
        precision: typmod >= 0 ? typmod : undefined,
      }
    case 'interval':
      // interval(3) and interval fields (`interval day to second`) have no snapshot form.
      return typmod < 0 ? { kind: 'interval' } : { kind: 'custom', sql: row.elem_sql }
    case 'uuid':
      return { kind: 'uuid' }
    case 'json':
      return { kind: 'json' }
    case 'jsonb':
      return { kind: 'jsonb' }
    case 'bytea':
      return { kind: 'bytea' }
    default:
      return { kind: 'custom', sql: row.elem_sql }
  }
}

/** confdeltype/confupdtype codes (manual, 53.13 pg_constraint); 'a' (no action) is the default. */
const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  a: undefined,
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
}

function toForeignKey(
  row: ConstraintRow,
  columns: readonly string[],
  referencedColumns: readonly string[],
  schemaOf: (schema: string) => string | undefined,
): ForeignKeyDef {
  return {
    name: row.name,
    columns,
    referencedSchema: row.ref_schema === null ? undefined : schemaOf(row.ref_schema),
    referencedTable: row.ref_table ?? '',
    referencedColumns,
    onDelete: ACTIONS[row.on_delete],
    onUpdate: ACTIONS[row.on_update],
    deferrable: row.deferrable,
    initiallyDeferred: row.deferred,
  }
}

/**
 * `pg_get_constraintdef` prints `CHECK (expr)`, followed by ` NO INHERIT`, ` NOT VALID` or (18+)
 * ` NOT ENFORCED` when they apply (ruleutils.c); the snapshot keeps the expression alone.
 */
function toCheck(row: ConstraintRow): CheckDef {
  const definition = row.definition ?? ''
  const match = /^CHECK \((.*)\)(?: NO INHERIT| NOT VALID| NOT ENFORCED)*$/s.exec(definition)
  return { name: row.name, expression: match?.[1] ?? definition }
}

function toIndex(
  row: IndexRow,
  names: ReadonlyMap<number, string>,
  opclasses: ReadonlyMap<number, string | undefined>,
): IndexDef {
  const elements: IndexElement[] = []
  let expression = 0
  for (let i = 0; i < row.key_count; i++) {
    const key = row.keys[i] ?? 0
    const option = row.options[i] ?? 0
    // indoption bits: 1 = DESC, 2 = NULLS FIRST; NULLS FIRST is the default for DESC and NULLS
    // LAST for ASC (manual, 11.4 "Indexes and ORDER BY"; pg_index.h INDOPTION_*).
    const desc = (option & 1) !== 0
    const nullsFirst = (option & 2) !== 0
    elements.push({
      column: key === 0 ? undefined : (names.get(key) ?? String(key)),
      expression: key === 0 ? stripAddedParens(row.expressions?.[expression++] ?? '') : undefined,
      order: desc ? 'desc' : undefined,
      nulls: nullsFirst === desc ? undefined : nullsFirst ? 'first' : 'last',
      opclass: opclasses.get(row.classes[i] ?? 0),
    })
  }
  return {
    name: row.name,
    elements,
    unique: row.unique,
    method: row.method === 'btree' ? undefined : row.method,
    where: row.predicate ?? undefined,
    include: row.keys.slice(row.key_count).map((k) => names.get(k) ?? String(k)),
  }
}

/**
 * `pg_get_indexdef` wraps an index expression in parentheses unless it looks like a function call
 * (ruleutils.c, looks_like_function), as CREATE INDEX requires; the snapshot holds the expression
 * without them, the way models write it. Exactly one pair is removed, and only when the opening
 * parenthesis closes at the very end, outside string literals and quoted identifiers.
 */
function stripAddedParens(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')') {
      depth--
      if (depth === 0) return i === text.length - 1 ? text.slice(1, -1) : text
    }
  }
  return text
}

function byName(
  a: { readonly name: string | undefined },
  b: { readonly name: string | undefined },
) {
  return compareText(a.name ?? '', b.name ?? '')
}

/** The model DSL's order: default schema first, then by schema and name, in code-point order. */
function byQualifiedName(
  a: { readonly schema: string | undefined; readonly name: string },
  b: { readonly schema: string | undefined; readonly name: string },
): number {
  return compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name)
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const k = keyOf(row)
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return groups
}
