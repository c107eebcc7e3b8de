import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { PartitionDef, TableDef } from '../../src/schema/schema-snapshot.ts'

type PartitionOp = Extract<
  MigrationOp,
  { kind: 'createPartition' | 'dropPartition' | 'attachPartition' | 'detachPartition' }
>

/** A table of the simulator whose partitions may change. */
export interface PartitionedTable {
  readonly schema: string | undefined
  readonly name: string
  readonly partitionBy?: TableDef['partitionBy']
  partitions?: readonly PartitionDef[]
}

/**
 * Applies a partition operation to its parent the way PostgreSQL would, for the op simulator: the
 * parent must be partitioned, a created or attached partition's name must be free (`taken` says
 * whether a relation has it), a dropped or detached one must exist with the bound the operation
 * says it had. An attached table must exist (`takeTable` removes it from the tables, as it becomes
 * a partition) and a detached one becomes a table (`addTable`).
 */
export function applyPartitionOp(
  parent: PartitionedTable,
  op: PartitionOp,
  relations: {
    readonly taken: (schema: string | undefined, name: string) => boolean
    /** Removes the table that becomes a partition, returning its comment. */
    readonly takeTable: (schema: string | undefined, name: string) => string | undefined
    readonly addTable: (table: TableDef) => void
    readonly parentTable: TableDef
  },
  fail: (message: string) => never,
): void {
  if (parent.partitionBy === undefined) fail(`${parent.name} is not partitioned`)
  const partitions = parent.partitions ?? []
  const find = (schema: string | undefined, name: string) =>
    partitions.find((p) => p.schema === schema && p.name === name)
  const set = (list: readonly PartitionDef[]) => {
    parent.partitions = list.length === 0 ? undefined : list
  }
  switch (op.kind) {
    case 'createPartition':
      if (op.ifNotExists && find(op.partition.schema, op.partition.name)) return
      if (relations.taken(op.partition.schema, op.partition.name)) {
        fail(`relation ${op.partition.name} exists`)
      }
      set([...partitions, op.partition])
      return
    case 'attachPartition':
      // The table keeps its comment.
      set([
        ...partitions,
        { ...op.partition, comment: relations.takeTable(op.partition.schema, op.partition.name) },
      ])
      return
    case 'dropPartition':
    case 'detachPartition': {
      const current = find(op.partitionSchema, op.name)
      if (current === undefined) {
        if (op.kind === 'dropPartition' && op.ifExists) return
        fail(`no partition ${op.name} of ${parent.name}`)
      }
      if (
        op.definition !== undefined &&
        JSON.stringify(op.definition.bound) !== JSON.stringify(current.bound)
      ) {
        fail(
          `bound ${JSON.stringify(op.definition.bound)} but it is ${JSON.stringify(current.bound)}`,
        )
      }
      set(partitions.filter((p) => p !== current))
      if (op.kind === 'detachPartition') {
        const { partitionBy: _, partitions: __, ...table } = relations.parentTable
        // The table keeps copies of its parent's indexes and constraints, under other names.
        relations.addTable({
          ...table,
          schema: current.schema,
          name: current.name,
          primaryKey: undefined,
          foreignKeys: [],
          uniques: [],
          checks: [],
          indexes: [],
          comment: current.comment,
        })
      }
      return
    }
  }
}

/** The partition of any table named `schema.name`, for comments on partitions. */
export function findPartition(
  tables: readonly PartitionedTable[],
  schema: string | undefined,
  name: string,
): { readonly table: PartitionedTable; readonly partition: PartitionDef } | undefined {
  for (const table of tables) {
    const partition = table.partitions?.find((p) => p.schema === schema && p.name === name)
    if (partition !== undefined) return { table, partition }
  }
  return undefined
}
