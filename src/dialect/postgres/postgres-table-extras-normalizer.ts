/**
 * The part of normalization that spells generated column expressions, exclusion constraints,
 * partition keys and partition bounds the way PostgreSQL prints them. It adds its statements to
 * the normalizer's script (so enum stand-ins, the transaction and the rollback are shared) and
 * reads its answers from the same catalog read.
 */
import type {
  ColumnType,
  ExclusionDef,
  PartitionDef,
  SchemaSnapshot,
  TableDef,
} from '../../schema/schema-snapshot.ts'
import {
  exclusionClause,
  partitionBoundClause,
  partitionByClause,
} from './postgres-partition-ddl.ts'
import { quoteIdentifier } from './postgres-quoting.ts'
import type { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** One statement of the work; `id` 0 when its failure only makes later statements fail. */
export interface ExtrasStep {
  readonly id: number
  readonly sql: string
}

/** What one model table asks, and where the answers land. */
interface TableExtrasWork {
  /** Model table position. */
  readonly table: number
  /** Stand-in for generated columns and exclusions, if any. */
  readonly plain: string | undefined
  /** Generated column name → step id. */
  readonly generated: ReadonlyMap<string, number>
  /** Exclusion position → stand-in constraint name and step id. */
  readonly exclusions: readonly { readonly name: string; readonly id: number }[]
  /** Partitioned stand-in, if the table has a partition key. */
  readonly partitioned: { readonly name: string; readonly id: number } | undefined
  /** Partition position → stand-in partition name and step id. */
  readonly partitions: readonly { readonly name: string; readonly id: number }[]
}

/** The work of the whole snapshot. */
export interface TableExtrasPlan {
  readonly steps: readonly ExtrasStep[]
  readonly work: readonly TableExtrasWork[]
  /** The column types the stand-ins use, whose enums must exist. */
  readonly types: readonly ColumnType[]
}

/** Prefix of this module's stand-ins, distinct from the normalizer's `d` and `t` ones. */
const PREFIX = 'aludel_norm_x'

/**
 * Plans the stand-ins: for a table with generated columns or exclusion constraints, a temporary
 * table with its columns, the generated ones added one by one and each exclusion renamed (their
 * indexes share the temporary schema's namespace); for a partitioned table, a partitioned
 * temporary table with its key and one temporary partition per model partition. An exclusion
 * constraint cannot go on a partitioned table before PostgreSQL 17 (manual, 5.12.2.3
 * "Limitations"), hence two stand-ins. `nextId` numbers the statements whose failure is recorded.
 */
export function planTableExtras(
  snapshot: SchemaSnapshot,
  types: PostgresTypeMapper,
  nextId: () => number,
): TableExtrasPlan {
  const steps: ExtrasStep[] = []
  const work: TableExtrasWork[] = []
  const used: ColumnType[] = []
  snapshot.tables.forEach((table, t) => {
    const generatedColumns = table.columns.filter((c) => c.generated !== undefined)
    const exclusions = table.exclusions ?? []
    const partitions = table.partitions ?? []
    if (
      generatedColumns.length === 0 &&
      exclusions.length === 0 &&
      table.partitionBy === undefined
    ) {
      return
    }
    const plainColumns = table.columns.filter((c) => c.generated === undefined)
    const columnSql = (column: TableDef['columns'][number]): string =>
      [
        quoteIdentifier(column.name),
        types.sqlType(column.type),
        ...(column.collation === undefined ? [] : [`COLLATE ${quoteIdentifier(column.collation)}`]),
      ].join(' ')
    used.push(...table.columns.map((c) => c.type))
    const body = `(${plainColumns.map(columnSql).join(', ')})`

    let plain: string | undefined
    const generated = new Map<string, number>()
    const renamed: { name: string; id: number }[] = []
    if (generatedColumns.length > 0 || exclusions.length > 0) {
      plain = `${PREFIX}${t}`
      steps.push({ id: 0, sql: `CREATE TEMPORARY TABLE ${plain} ${body}` })
      for (const column of generatedColumns) {
        const id = nextId()
        generated.set(column.name, id)
        steps.push({
          id,
          sql: `ALTER TABLE pg_temp.${plain} ADD COLUMN ${columnSql(column)} GENERATED ALWAYS AS (${column.generated}) STORED`,
        })
      }
      exclusions.forEach((exclusion, k) => {
        const name = `${plain}_e${k}`
        const id = nextId()
        renamed.push({ name, id })
        steps.push({
          id,
          sql: `ALTER TABLE pg_temp.${plain} ADD ${exclusionClause({ ...exclusion, name }, plain!)}`,
        })
      })
    }

    let partitioned: { name: string; id: number } | undefined
    const partitionNames: { name: string; id: number }[] = []
    if (table.partitionBy !== undefined) {
      partitioned = { name: `${PREFIX}p${t}`, id: nextId() }
      steps.push({
        id: partitioned.id,
        sql: `CREATE TEMPORARY TABLE ${partitioned.name} ${body} ${partitionByClause(table.partitionBy, partitioned.name)}`,
      })
      partitions.forEach((partition, k) => {
        const name = `${partitioned!.name}_${k}`
        const id = nextId()
        partitionNames.push({ name, id })
        steps.push({
          id,
          sql: `CREATE TEMPORARY TABLE ${name} PARTITION OF pg_temp.${partitioned!.name} ${partitionBoundClause(partition.bound, name)}`,
        })
      })
    }
    work.push({
      table: t,
      plain,
      generated,
      exclusions: renamed,
      partitioned,
      partitions: partitionNames,
    })
  })
  return { steps, work, types: used }
}

/**
 * Puts what PostgreSQL printed for the stand-ins back into the snapshot; whatever failed (its
 * step, or the stand-in it needed) keeps the model's spelling.
 */
export function mapTableExtras(
  snapshot: SchemaSnapshot,
  plan: TableExtrasPlan,
  read: SchemaSnapshot | undefined,
  failed: ReadonlySet<number>,
): SchemaSnapshot {
  if (plan.work.length === 0 || read === undefined) return snapshot
  const temp = new Map(read.tables.map((t) => [t.name, t]))
  const tables = [...snapshot.tables]
  for (const item of plan.work) {
    const table = tables[item.table]!
    const plain = item.plain === undefined ? undefined : temp.get(item.plain)
    const columns = table.columns.map((column) => {
      const id = item.generated.get(column.name)
      const printed = plain?.columns.find((c) => c.name === column.name)?.generated
      return id === undefined || failed.has(id) || printed === undefined
        ? column
        : { ...column, generated: printed }
    })
    const exclusions = table.exclusions?.map((exclusion, k): ExclusionDef => {
      const stand = item.exclusions[k]
      const printed =
        stand === undefined || failed.has(stand.id)
          ? undefined
          : plain?.exclusions?.find((e) => e.name === stand.name)
      return printed === undefined ? exclusion : { ...printed, name: exclusion.name }
    })
    const stand =
      item.partitioned === undefined || failed.has(item.partitioned.id)
        ? undefined
        : temp.get(item.partitioned.name)
    const partitionBy = stand?.partitionBy ?? table.partitionBy
    const partitions = table.partitions?.map((partition, k): PartitionDef => {
      const name = item.partitions[k]
      const printed =
        name === undefined || failed.has(name.id)
          ? undefined
          : stand?.partitions?.find((p) => p.name === name.name)
      return printed === undefined ? partition : { ...partition, bound: printed.bound }
    })
    tables[item.table] = {
      ...table,
      columns,
      ...(exclusions === undefined ? {} : { exclusions }),
      ...(partitionBy === undefined ? {} : { partitionBy }),
      ...(partitions === undefined ? {} : { partitions }),
    }
  }
  return { ...snapshot, tables }
}
