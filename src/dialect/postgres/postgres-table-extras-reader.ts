/**
 * Reads what the catalog reader's table queries leave out: exclusion constraints, partition keys
 * and the partitions of partitioned tables — two queries for the whole database.
 */
import type {
  ExclusionDef,
  IndexDef,
  PartitionDef,
  TableDef,
} from '../../schema/schema-snapshot.ts'
import { compare } from '../../schema/to-column-def.ts'
import type { Connection } from '../connection.ts'
import type { IndexRow } from './postgres-index-row.ts'
import { parsePartitionBound, parsePartitionKey } from './postgres-partition-text.ts'

/** An exclusion constraint with its index, in the shape the catalog reader reads indexes. */
export interface ExclusionRow extends IndexRow {
  /** One operator per key column, as SQL. */
  readonly operators: readonly string[]
  readonly deferrable: boolean
  readonly deferred: boolean
}

/** A partitioned table's key and its partitions. */
interface PartitionedRow {
  readonly rel: number
  readonly key: string
  readonly partitions: readonly {
    readonly schema: string
    readonly name: string
    readonly bound: string
    readonly comment: string | null
  }[]
}

/** What {@link readTableExtras} read, for {@link tableExtras} to hand out table by table. */
export interface TableExtrasRows {
  readonly exclusions: ReadonlyMap<number, readonly ExclusionRow[]>
  readonly partitioned: ReadonlyMap<number, PartitionedRow>
}

/**
 * Exclusion constraints with their index (the elements, method and predicate read like an
 * index's, manual 53.26 pg_index) and their operators (`conexclop`, one per key column, manual
 * 53.13 pg_constraint), spelled as `pg_get_constraintdef` does: bare when visible on the search
 * path, else `OPERATOR(schema.op)`.
 */
const EXCLUSIONS_SQL = `
SELECT k.conrelid AS rel, k.conname AS name, false AS unique, am.amname AS method,
       i.indnkeyatts AS key_count, i.indkey::int2[] AS keys, i.indoption::int2[] AS options,
       i.indclass::oid[] AS classes,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, n, true)
                 FROM generate_series(1, i.indnkeyatts) n
                WHERE i.indkey[n - 1] = 0 ORDER BY n)::text[]
       END AS expressions,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       ARRAY(SELECT CASE WHEN pg_operator_is_visible(o.oid) THEN o.oprname
                         ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')' END
               FROM unnest(k.conexclop) WITH ORDINALITY u(op, ord)
               JOIN pg_operator o ON o.oid = u.op
               JOIN pg_namespace opn ON opn.oid = o.oprnamespace
              ORDER BY u.ord)::text[] AS operators,
       k.condeferrable AS deferrable, k.condeferred AS deferred
  FROM pg_constraint k
  JOIN pg_index i ON i.indexrelid = k.conindid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
 WHERE k.conrelid = ANY($1::oid[]) AND k.contype = 'x'`

/**
 * Partition keys (`pg_get_partkeydef`) and each partitioned table's direct partitions with their
 * bounds as `pg_get_expr` prints them and their comments (manual, 53.37 pg_partitioned_table,
 * 53.11 pg_class `relpartbound`). A partition's copies of its parent's columns, constraints and
 * indexes are the parent's business, so nothing else of a partition is read.
 */
const PARTITIONED_SQL = `
SELECT p.partrelid AS rel, pg_get_partkeydef(p.partrelid) AS key,
       COALESCE((SELECT json_agg(json_build_object(
                   'schema', n.nspname, 'name', c.relname,
                   'bound', pg_get_expr(c.relpartbound, c.oid), 'comment', d.description))
                   FROM pg_inherits h
                   JOIN pg_class c ON c.oid = h.inhrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   LEFT JOIN pg_description d ON d.objoid = c.oid
                        AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
                  WHERE h.inhparent = p.partrelid AND c.relispartition), '[]'::json) AS partitions
  FROM pg_partitioned_table p
 WHERE p.partrelid = ANY($1::oid[])`

/** Reads the exclusion constraints and partitioning of the tables `oids`, in two queries. */
export async function readTableExtras(
  connection: Connection,
  oids: readonly number[],
): Promise<TableExtrasRows> {
  const exclusions = new Map<number, ExclusionRow[]>()
  const partitioned = new Map<number, PartitionedRow>()
  if (oids.length === 0) return { exclusions, partitioned }
  for (const row of (await connection.query<ExclusionRow>(EXCLUSIONS_SQL, [oids])).rows) {
    const list = exclusions.get(row.rel)
    if (list) list.push(row)
    else exclusions.set(row.rel, [row])
  }
  for (const row of (await connection.query<PartitionedRow>(PARTITIONED_SQL, [oids])).rows) {
    // node-postgres parses json; PGlite too, but a driver may hand over the text.
    const partitions =
      typeof row.partitions === 'string' ? JSON.parse(row.partitions) : row.partitions
    partitioned.set(row.rel, { ...row, partitions })
  }
  return { exclusions, partitioned }
}

/** The exclusion classes (operator class oids) the rows hold, for the opclass lookup. */
export function exclusionClasses(rows: TableExtrasRows): readonly number[] {
  return [...rows.exclusions.values()].flat().flatMap((row) => row.classes)
}

/**
 * The table properties read for table `rel`: `exclusions`, `partitionBy` and `partitions`, each
 * only when present. `index` reads an exclusion's index part as the catalog reader reads
 * indexes.
 */
export function tableExtras(
  rows: TableExtrasRows,
  rel: number,
  schemaOf: (schema: string) => string | undefined,
  index: (row: ExclusionRow) => IndexDef,
): Pick<TableDef, 'exclusions' | 'partitionBy' | 'partitions'> {
  const exclusions = (rows.exclusions.get(rel) ?? [])
    .map((row): ExclusionDef => {
      const def = index(row)
      return {
        name: row.name,
        elements: def.elements.map((element, i) => ({
          ...element,
          operator: row.operators[i] ?? '',
        })),
        method: def.method,
        where: def.where,
        include: def.include,
        deferrable: row.deferrable,
        initiallyDeferred: row.deferred,
      }
    })
    .sort((a, b) => compare(a.name ?? '', b.name ?? ''))
  const partitioned = rows.partitioned.get(rel)
  const partitionBy = partitioned === undefined ? undefined : parsePartitionKey(partitioned.key)
  const partitions = (partitioned?.partitions ?? [])
    .flatMap((p): PartitionDef[] => {
      const bound = parsePartitionBound(p.bound)
      if (bound === undefined) return []
      return [{ schema: schemaOf(p.schema), name: p.name, bound, comment: p.comment ?? undefined }]
    })
    .sort((a, b) => compare(a.schema ?? '', b.schema ?? '') || compare(a.name, b.name))
  return {
    ...(exclusions.length === 0 ? {} : { exclusions }),
    ...(partitionBy === undefined ? {} : { partitionBy }),
    ...(partitions.length === 0 ? {} : { partitions }),
  }
}
