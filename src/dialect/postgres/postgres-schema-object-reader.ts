/**
 * Reads sequences, domains, composite types and extensions from PostgreSQL's catalogs, one query
 * per kind, for the catalog reader.
 */

import { byQualifiedName } from '../../schema/by-qualified-name.ts'
import type {
  ColumnType,
  CompositeTypeDef,
  DomainDef,
  ExtensionDef,
  SequenceDataType,
  SequenceDef,
} from '../../schema/schema-snapshot.ts'
import { normalizeSequenceNumbers, type SequenceNumbers } from '../../schema/sequence-numbers.ts'
import { compare } from '../../schema/to-column-def.ts'
import type { Connection } from '../connection.ts'

/** The type of a domain's base or a composite attribute, in the columns the reader maps. */
export interface TypeRow {
  readonly typmod: number
  readonly ndims: number
  readonly is_array: boolean
  readonly elem_kind: string
  readonly elem_schema: string
  readonly elem_name: string
  readonly elem_sql: string
}

/** What {@link readSchemaObjects} needs from the catalog reader. */
export interface SchemaObjectScope {
  /** A condition on `n` (pg_namespace) that selects the schemas to read. */
  readonly filter: string
  readonly params: readonly unknown[]
  /** Undefined for the default schema. */
  readonly schemaOf: (schema: string) => string | undefined
  /** The snapshot type of a type row, as columns are typed. */
  readonly typeOf: (row: TypeRow) => ColumnType
  /**
   * The tables read (by oid): a sequence owned by a column of another table (aludel's own, one
   * left out by the config) belongs to that table and is left out with it.
   */
  readonly tables: ReadonlySet<number>
  /** Sequences that make their column serial, which the column describes. */
  readonly serialSequences: ReadonlySet<number>
}

/** The objects besides tables and enums that a snapshot holds, each list sorted. */
export interface SchemaObjects {
  readonly sequences: readonly SequenceDef[]
  readonly domains: readonly DomainDef[]
  readonly compositeTypes: readonly CompositeTypeDef[]
  readonly extensions: readonly ExtensionDef[]
}

/** Objects that belong to an extension are the extension's business (manual, 38.17). */
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '${catalog}'::regclass AND x.objid = ${oid} AND x.deptype = 'e')`

/**
 * The columns of a {@link TypeRow} for type `oid` with modifier `typmod` and `ndims` dimensions,
 * read through `t`, `et` and `en` joined as {@link typeJoins} joins them. A true array as
 * `format_type()` decides it (see the catalog reader).
 */
const typeColumns = (typmod: string, ndims: string) => `${typmod} AS typmod, ${ndims} AS ndims,
       (t.typelem <> 0 AND t.typlen = -1 AND t.typstorage <> 'p') AS is_array,
       et.typtype AS elem_kind, en.nspname AS elem_schema, et.typname AS elem_name,
       format_type(et.oid, ${typmod}) AS elem_sql`

const typeJoins = (oid: string) => `JOIN pg_type t ON t.oid = ${oid}
  JOIN pg_type et ON et.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typstorage <> 'p'
                                   THEN t.typelem ELSE t.oid END
  JOIN pg_namespace en ON en.oid = et.typnamespace`

interface SequenceRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly data_type: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
  readonly owner_oid: number | null
  readonly owner_table: string | null
  readonly owner_column: string | null
}

/**
 * Sequences with their options and owner (`pg_depend` deptype 'a' links an owned sequence to its
 * column; 'i' marks an identity column's, which is the column's business).
 */
const SEQUENCES_SQL = (filter: string) => `
SELECT c.oid, n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
       d.refobjid AS owner_oid, oc.relname AS owner_table, oa.attname AS owner_column
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class oc ON oc.oid = d.refobjid
  LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
 WHERE c.relkind = 'S' AND ${filter} AND d.deptype IS DISTINCT FROM 'i'
   AND ${notExtensionMember('pg_class', 'c.oid')}`

interface DomainRow extends TypeRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly not_null: boolean
  readonly default_sql: string | null
  readonly checks: readonly string[] | null
  readonly check_names: readonly string[] | null
}

/**
 * Domains, their base type, default (`pg_get_expr` as column defaults print), NOT NULL and checks
 * (`pg_get_constraintdef`, as table checks print). PostgreSQL 17 also records a domain's NOT
 * NULL as a constraint (contype 'n'); `typnotnull` says it on every version.
 */
const DOMAINS_SQL = (filter: string) => `
SELECT d.oid, n.nspname AS schema, d.typname AS name, d.typnotnull AS not_null,
       pg_get_expr(d.typdefaultbin, 0) AS default_sql,
       ARRAY(SELECT pg_get_constraintdef(k.oid, true) FROM pg_constraint k
              WHERE k.contypid = d.oid AND k.contype = 'c' ORDER BY k.conname)::text[] AS checks,
       ARRAY(SELECT k.conname FROM pg_constraint k
              WHERE k.contypid = d.oid AND k.contype = 'c' ORDER BY k.conname)::text[] AS check_names,
       ${typeColumns('d.typtypmod', 'd.typndims')}
  FROM pg_type d
  JOIN pg_namespace n ON n.oid = d.typnamespace
  ${typeJoins('d.typbasetype')}
 WHERE d.typtype = 'd' AND ${filter} AND ${notExtensionMember('pg_type', 'd.oid')}`

interface AttributeRow extends TypeRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly attribute: string
  readonly num: number
}

/**
 * Composite types made by CREATE TYPE ... AS (a table's row type is its table's business: its
 * relation is a table, not relkind 'c'), one row per attribute.
 */
const COMPOSITES_SQL = (filter: string) => `
SELECT ct.oid, n.nspname AS schema, ct.typname AS name, a.attname AS attribute, a.attnum AS num,
       ${typeColumns('a.atttypmod', 'a.attndims')}
  FROM pg_type ct
  JOIN pg_namespace n ON n.oid = ct.typnamespace
  JOIN pg_class r ON r.oid = ct.typrelid AND r.relkind = 'c'
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  ${typeJoins('a.atttypid')}
 WHERE ct.typtype = 'c' AND ${filter} AND ${notExtensionMember('pg_type', 'ct.oid')}`

interface ExtensionRow {
  readonly name: string
  readonly schema: string
  readonly version: string
}

const EXTENSIONS_SQL = (filter: string) => `
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE ${filter}`

/**
 * Reads the sequences (those of identity and serial columns excepted), domains, composite types
 * and extensions of the schemas `scope.filter` selects, leaving out what belongs to an
 * extension: one query.
 */
export async function readSchemaObjects(
  connection: Connection,
  scope: SchemaObjectScope,
): Promise<SchemaObjects> {
  // One round trip: each kind's rows as a JSON array (numbers as text where int8 may exceed
  // JavaScript's safe integers).
  const json = (sql: string) => `(SELECT COALESCE(json_agg(q), '[]'::json) FROM (${sql}) q)`
  const [row] = (
    await connection.query<{
      sequences: SequenceRow[]
      domains: DomainRow[]
      attributes: AttributeRow[]
      extensions: ExtensionRow[]
    }>(
      `SELECT ${json(SEQUENCES_SQL(scope.filter))} AS sequences,
              ${json(DOMAINS_SQL(scope.filter))} AS domains,
              ${json(COMPOSITES_SQL(scope.filter))} AS attributes,
              ${json(EXTENSIONS_SQL(scope.filter))} AS extensions`,
      [...scope.params],
    )
  ).rows
  const sequenceRows = parsed(row?.sequences)
  const domainRows = parsed(row?.domains)
  const attributeRows = parsed(row?.attributes)
  const extensionRows = parsed(row?.extensions)
  const { schemaOf, typeOf } = scope
  const sequences = sequenceRows
    .filter(
      (row) =>
        !scope.serialSequences.has(Number(row.oid)) &&
        (row.owner_oid === null || scope.tables.has(Number(row.owner_oid))),
    )
    .map((row) => toSequence(row, schemaOf))
  const domains = domainRows.map(
    (row): DomainDef => ({
      schema: schemaOf(row.schema),
      name: row.name,
      type: typeOf(row),
      default: row.default_sql === null ? undefined : { kind: 'sql', sql: row.default_sql },
      notNull: row.not_null,
      checks: (row.checks ?? []).map((definition, i) => ({
        name: row.check_names?.[i] ?? '',
        expression: checkExpression(definition),
      })),
    }),
  )
  const byType = new Map<number, AttributeRow[]>()
  for (const row of attributeRows) {
    const list = byType.get(Number(row.oid))
    if (list) list.push(row)
    else byType.set(Number(row.oid), [row])
  }
  const compositeTypes = [...byType.values()].map((rows): CompositeTypeDef => {
    const first = rows[0]!
    return {
      schema: schemaOf(first.schema),
      name: first.name,
      attributes: [...rows]
        .sort((a, b) => a.num - b.num)
        .map((row) => ({ name: row.attribute, type: typeOf(row) })),
    }
  })
  const extensions = extensionRows
    .map(
      (row): ExtensionDef => ({
        name: row.name,
        schema: schemaOf(row.schema),
        version: row.version,
      }),
    )
    .sort((a, b) => compare(a.name, b.name))
  return {
    sequences: sequences.sort(byQualifiedName),
    domains: domains.sort(byQualifiedName),
    compositeTypes: compositeTypes.sort(byQualifiedName),
    extensions,
  }
}

/** The sequence options of a serial column (manual, 8.1.4 "Serial Types"). */
export interface SerialCandidate extends SequenceNumbers {
  /** The sequence's data type, as `format_type` spells it. */
  readonly dataType: string
  readonly cycle: boolean
  /** The column's type. */
  readonly columnType: ColumnType['kind']
}

/**
 * Whether a column's owned sequence is exactly what `serial`, `smallserial` or `bigserial` makes:
 * the column's own integer type, every option at its default. Anything else is a sequence of its
 * own, which the column's `nextval()` default names.
 */
export function isSerialSequence(candidate: SerialCandidate): boolean {
  const type = candidate.columnType
  if (
    (type !== 'smallint' && type !== 'integer' && type !== 'bigint') ||
    candidate.dataType !== type ||
    candidate.cycle
  ) {
    return false
  }
  const n = normalizeSequenceNumbers(type, candidate, 'sequence')
  return Object.values(n).every((value) => value === undefined)
}

function toSequence(
  row: SequenceRow,
  schemaOf: (schema: string) => string | undefined,
): SequenceDef {
  const dataType = sequenceType(row.data_type)
  const what = `sequence ${row.schema}.${row.name}`
  const numbers = {
    start: BigInt(row.start),
    increment: BigInt(row.increment),
    minValue: BigInt(row.min),
    maxValue: BigInt(row.max),
    cache: BigInt(row.cache),
  }
  return {
    schema: schemaOf(row.schema),
    name: row.name,
    dataType: dataType === 'bigint' ? undefined : dataType,
    ...normalizeSequenceNumbers(dataType, numbers, what),
    cycle: row.cycle,
    ownedBy:
      row.owner_table === null || row.owner_column === null
        ? undefined
        : { table: row.owner_table, column: row.owner_column },
  }
}

/** The data type of a sequence: always one of the three integer types (manual, CREATE SEQUENCE). */
export function sequenceType(text: string): SequenceDataType {
  return text === 'smallint' || text === 'integer' ? text : 'bigint'
}

/**
 * `pg_get_constraintdef` prints `CHECK (expr)`, followed by ` NOT VALID` when it applies
 * (ruleutils.c); the snapshot keeps the expression alone.
 */
function checkExpression(definition: string): string {
  const match = /^CHECK \((.*)\)(?: NOT VALID)?$/s.exec(definition)
  return match?.[1] ?? definition
}

/** A JSON column as the driver gives it: parsed already (node-postgres, PGlite), or text. */
function parsed<T>(value: T[] | string | undefined): T[] {
  if (value === undefined) return []
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value
}
