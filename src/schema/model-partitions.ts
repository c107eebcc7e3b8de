import { PARTITION, type Partition, toPartitionDef } from './partition.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { PartitionDef, TableDef } from './schema-snapshot.ts'
import { type AnyTable, qualifiedName, TABLE } from './table.ts'
import { compare } from './to-column-def.ts'

/**
 * A model's partitions grouped by parent table, each group sorted by schema and name. Throws when
 * a partition's parent is not among the model's tables, or two partitions share a name.
 */
export function partitionsByParent(
  tables: readonly AnyTable[],
  partitions: readonly Partition[],
): ReadonlyMap<AnyTable, readonly PartitionDef[]> {
  const known = new Set(tables)
  const groups = new Map<AnyTable, PartitionDef[]>()
  const names = new Set(tables.map((t) => qualifiedName(t[TABLE].schema, t[TABLE].name)))
  for (const value of partitions) {
    const { parent, schema, name } = value[PARTITION]
    const qualified = qualifiedName(schema, name)
    const parentName = qualifiedName(parent[TABLE].schema, parent[TABLE].name)
    if (!known.has(parent)) {
      throw new SchemaModelError(
        'INVALID_PARTITION',
        `partition ${qualified} belongs to table ${parentName}, which is not in the model; add it to defineSchema({ ... })`,
        { table: parentName },
      )
    }
    if (names.has(qualified)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `partition ${qualified} has the name of another table or partition of the model; rename one`,
        { table: qualified },
      )
    }
    names.add(qualified)
    const group = groups.get(parent) ?? []
    group.push(toPartitionDef(value))
    groups.set(parent, group)
  }
  for (const group of groups.values()) {
    group.sort((a, b) => compare(a.schema ?? '', b.schema ?? '') || compare(a.name, b.name))
  }
  return groups
}

/**
 * The table with its partitions, when it has some; a partition of a table without
 * `partitionBy(...)` is refused, as PostgreSQL would refuse it.
 */
export function withPartitions(table: TableDef, partitions: readonly PartitionDef[]): TableDef {
  if (partitions.length === 0) return table
  if (table.partitionBy === undefined) {
    const name = qualifiedName(table.schema, table.name)
    throw new SchemaModelError(
      'INVALID_PARTITION',
      `table ${name} has partitions (${partitions.map((p) => p.name).join(', ')}) but no partition key; add partitionBy(...) to its extras`,
      { table: name },
    )
  }
  return { ...table, partitions }
}
