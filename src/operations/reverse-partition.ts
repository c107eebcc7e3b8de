import type {
  AttachPartitionOp,
  CreatePartitionOp,
  DetachPartitionOp,
  DropPartitionOp,
  MigrationOp,
} from './migration-op.ts'
import { IrreversibleOperationError } from './operation-errors.ts'

/** The partition operations, which {@link reversePartitionOp} inverts. */
export type PartitionOp =
  | CreatePartitionOp
  | DropPartitionOp
  | AttachPartitionOp
  | DetachPartitionOp

/**
 * The operations that undo a partition operation: a created partition is dropped and a dropped
 * one created again, an attached table detached and a detached one attached with the bound it had.
 *
 * @throws IrreversibleOperationError for a drop or detach that does not carry the partition's
 *   definition (its bound)
 */
export function reversePartitionOp(op: PartitionOp): readonly MigrationOp[] {
  switch (op.kind) {
    case 'createPartition':
      return [
        {
          kind: 'dropPartition',
          schema: op.schema,
          table: op.table,
          partitionSchema: op.partition.schema,
          name: op.partition.name,
          ifExists: op.ifNotExists,
          definition: op.partition,
        },
      ]
    case 'dropPartition':
      return [
        {
          kind: 'createPartition',
          schema: op.schema,
          table: op.table,
          partition: definitionOf(op, 'op.dropPartition'),
          ifNotExists: op.ifExists,
        },
      ]
    case 'attachPartition':
      return [
        {
          kind: 'detachPartition',
          schema: op.schema,
          table: op.table,
          partitionSchema: op.partition.schema,
          name: op.partition.name,
          definition: op.partition,
        },
      ]
    case 'detachPartition':
      // The detached table kept its comment: attaching it again sets none.
      return [
        {
          kind: 'attachPartition',
          schema: op.schema,
          table: op.table,
          partition: { ...definitionOf(op, 'op.detachPartition'), comment: undefined },
        },
      ]
  }
}

function definitionOf(op: DropPartitionOp | DetachPartitionOp, what: string) {
  if (op.definition === undefined) {
    throw new IrreversibleOperationError(
      `${what}('${op.name}', '${op.table}')`,
      'pass the partition definition ({ bound: ... }) so that the downgrade can recreate it',
    )
  }
  return op.definition
}
