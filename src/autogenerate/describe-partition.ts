import type {
  AttachPartitionOp,
  CreateExclusionConstraintOp,
  CreatePartitionOp,
  DetachPartitionOp,
  DropPartitionOp,
} from '../operations/migration-op.ts'
import { describePartitionBound } from '../schema/partition.ts'
import { qualifiedName } from '../schema/table.ts'

/** The operations {@link describePartitionOp} describes. */
export type PartitionDescribedOp =
  | CreateExclusionConstraintOp
  | CreatePartitionOp
  | DropPartitionOp
  | AttachPartitionOp
  | DetachPartitionOp

/**
 * A short description of an exclusion constraint or partition operation, for `aludel check`:
 * `add partition payment_p2024_01 of payment FROM ('2024-01-01') TO ('2024-02-01')`.
 */
export function describePartitionOp(op: PartitionDescribedOp): string {
  const table = qualifiedName(op.schema, op.table)
  switch (op.kind) {
    case 'createExclusionConstraint':
      return `add exclusion constraint ${op.exclusion.name ?? ''} on ${table} (${op.exclusion.elements
        .map((e) => `${e.column ?? e.expression} WITH ${e.operator}`)
        .join(', ')})`.replace('  ', ' ')
    case 'createPartition':
      return `add partition ${qualifiedName(op.partition.schema, op.partition.name)} of ${table} ${describePartitionBound(op.partition.bound)}`
    case 'dropPartition':
      return `drop partition ${qualifiedName(op.partitionSchema, op.name)} of ${table}`
    case 'attachPartition':
      return `attach ${qualifiedName(op.partition.schema, op.partition.name)} to ${table} as partition ${describePartitionBound(op.partition.bound)}`
    case 'detachPartition':
      return `detach partition ${qualifiedName(op.partitionSchema, op.name)} from ${table}`
  }
}
