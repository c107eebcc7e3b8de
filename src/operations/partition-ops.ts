import { normalizeSchema } from '../schema/column-builder.ts'
import { type ExclusionOptions, exclude, exclusionDef } from '../schema/exclusion.ts'
import { type PartitionBoundSpec, toPartitionBound } from '../schema/partition.ts'
import type { PartitionDef } from '../schema/schema-snapshot.ts'
import type {
  AttachPartitionOp,
  CreateExclusionConstraintOp,
  CreatePartitionOp,
  DetachPartitionOp,
  DropPartitionOp,
} from './migration-op.ts'

/** Where a partition operation works: the parent's schema, and the partition's if elsewhere. */
export interface PartitionPlacement {
  /** The parent table's schema; default: the default schema (`public`). */
  readonly schema?: string
  /** The partition's schema; default: the parent's. */
  readonly partitionSchema?: string
}

/** What a drop or detach removes, so that its reverse can put it back. */
export interface PartitionDefinitionOptions {
  /** The partition's bound — needed only to reverse the operation. */
  readonly bound?: PartitionBoundSpec
  /** The partition's comment — needed only to reverse a drop. */
  readonly comment?: string
}

/** The op `op.createExclusionConstraint` runs; elements name columns by their database names. */
export function createExclusionConstraintOp(
  name: string,
  table: string,
  options: ExclusionOptions & { readonly schema?: string },
): CreateExclusionConstraintOp {
  const schema = normalizeSchema(options.schema)
  const where = schema === undefined ? table : `${schema}.${table}`
  const exclusion = exclusionDef(exclude(name, options), {
    table: where,
    column: (reference) => (typeof reference === 'string' ? reference : reference.name),
  })
  return { kind: 'createExclusionConstraint', schema, table, exclusion }
}

/** The op `op.createPartition` runs. */
export function createPartitionOp(
  name: string,
  table: string,
  bound: PartitionBoundSpec,
  options: PartitionPlacement & { readonly comment?: string; readonly ifNotExists?: boolean },
): CreatePartitionOp {
  const { schema, partition } = placed(name, options, bound, options.comment)
  return {
    kind: 'createPartition',
    schema,
    table,
    partition,
    ifNotExists: options.ifNotExists ?? false,
  }
}

/** The op `op.dropPartition` runs. */
export function dropPartitionOp(
  name: string,
  table: string,
  options: PartitionPlacement & PartitionDefinitionOptions & { readonly ifExists?: boolean },
): DropPartitionOp {
  const { schema, partitionSchema, definition } = removed(name, options)
  return {
    kind: 'dropPartition',
    schema,
    table,
    partitionSchema,
    name,
    ifExists: options.ifExists ?? false,
    definition,
  }
}

/** The op `op.attachPartition` runs. */
export function attachPartitionOp(
  name: string,
  table: string,
  bound: PartitionBoundSpec,
  options: PartitionPlacement,
): AttachPartitionOp {
  const { schema, partition } = placed(name, options, bound, undefined)
  return { kind: 'attachPartition', schema, table, partition }
}

/** The op `op.detachPartition` runs. */
export function detachPartitionOp(
  name: string,
  table: string,
  options: PartitionPlacement & PartitionDefinitionOptions,
): DetachPartitionOp {
  const { schema, partitionSchema, definition } = removed(name, options)
  return { kind: 'detachPartition', schema, table, partitionSchema, name, definition }
}

/** The parent's schema and the partition's (default: the parent's), `public` folded away. */
function schemasOf(options: PartitionPlacement) {
  const schema = normalizeSchema(options.schema)
  const partitionSchema =
    options.partitionSchema === undefined ? schema : normalizeSchema(options.partitionSchema)
  return { schema, partitionSchema }
}

function placed(
  name: string,
  options: PartitionPlacement,
  bound: PartitionBoundSpec,
  comment: string | undefined,
): { readonly schema: string | undefined; readonly partition: PartitionDef } {
  const { schema, partitionSchema } = schemasOf(options)
  const where = partitionSchema === undefined ? name : `${partitionSchema}.${name}`
  return {
    schema,
    partition: { schema: partitionSchema, name, bound: toPartitionBound(bound, where), comment },
  }
}

function removed(name: string, options: PartitionPlacement & PartitionDefinitionOptions) {
  const definition =
    options.bound === undefined
      ? undefined
      : placed(name, options, options.bound, options.comment).partition
  return { ...schemasOf(options), definition }
}
