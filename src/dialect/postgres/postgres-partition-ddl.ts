/**
 * PostgreSQL DDL for partitioned tables and their partitions (manual, 5.12 "Table Partitioning";
 * CREATE TABLE, `PARTITION BY` and `PARTITION OF`; ALTER TABLE, `ATTACH`/`DETACH PARTITION`), and
 * for exclusion constraints (CREATE TABLE, `EXCLUDE`).
 */
import type {
  AttachPartitionOp,
  CreatePartitionOp,
  DetachPartitionOp,
  DropPartitionOp,
} from '../../operations/migration-op.ts'
import type { ExclusionDef, PartitionBound, PartitionKeyDef } from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { columnList, commentOnTable, indexElement, words } from './postgres-ddl-fragments.ts'
import { quoteIdentifier, quoteQualified } from './postgres-quoting.ts'

/** `PARTITION BY RANGE (a, b)`; the elements are SQL, written as they are. */
export function partitionByClause(key: PartitionKeyDef, table: string): string {
  if (key.elements.length === 0) {
    throw new InvalidOperationError(`the partition key of ${table} has no columns or expressions`)
  }
  return `PARTITION BY ${key.strategy.toUpperCase()} (${key.elements.join(', ')})`
}

/**
 * `FOR VALUES FROM (...) TO (...)`, `FOR VALUES IN (...)`, `FOR VALUES WITH (MODULUS m, REMAINDER
 * r)` or `DEFAULT`; values are SQL constants, written as they are.
 */
export function partitionBoundClause(bound: PartitionBound, partition: string): string {
  const list = (values: readonly string[], what: string): string => {
    if (values.length === 0) {
      throw new InvalidOperationError(`partition ${partition} has no values in ${what}`)
    }
    return `(${values.join(', ')})`
  }
  switch (bound.kind) {
    case 'range':
      return `FOR VALUES FROM ${list(bound.from, 'FROM')} TO ${list(bound.to, 'TO')}`
    case 'list':
      return `FOR VALUES IN ${list(bound.values, 'IN')}`
    case 'hash':
      for (const [label, value] of [
        ['modulus', bound.modulus],
        ['remainder', bound.remainder],
      ] as const) {
        if (!Number.isSafeInteger(value) || value < (label === 'modulus' ? 1 : 0)) {
          throw new InvalidOperationError(
            `partition ${partition} has hash ${label} ${String(value)}; use a whole number${label === 'modulus' ? ', 1 or more' : ', 0 or more'}`,
          )
        }
      }
      return `FOR VALUES WITH (MODULUS ${bound.modulus}, REMAINDER ${bound.remainder})`
    case 'default':
      return 'DEFAULT'
  }
}

/** `CREATE TABLE p PARTITION OF parent bound`, then its comment. */
export function createPartitionSql(op: CreatePartitionOp): readonly string[] {
  const { partition } = op
  const name = quoteQualified(partition.schema, partition.name)
  const statements = [
    words(
      'CREATE TABLE',
      op.ifNotExists && 'IF NOT EXISTS',
      name,
      `PARTITION OF ${quoteQualified(op.schema, op.table)}`,
      partitionBoundClause(partition.bound, name),
    ),
  ]
  if (partition.comment !== undefined) {
    statements.push(commentOnTable(partition.schema, partition.name, partition.comment))
  }
  return statements
}

/** `DROP TABLE [IF EXISTS] p`: a partition is dropped like a table, rows and all. */
export function dropPartitionSql(op: DropPartitionOp): string {
  return words(
    'DROP TABLE',
    op.ifExists && 'IF EXISTS',
    quoteQualified(op.partitionSchema, op.name),
  )
}

/** `ALTER TABLE parent ATTACH PARTITION p bound`. */
export function attachPartitionSql(op: AttachPartitionOp): string {
  const name = quoteQualified(op.partition.schema, op.partition.name)
  return `ALTER TABLE ${quoteQualified(op.schema, op.table)} ATTACH PARTITION ${name} ${partitionBoundClause(op.partition.bound, name)}`
}

/** `ALTER TABLE parent DETACH PARTITION p`. */
export function detachPartitionSql(op: DetachPartitionOp): string {
  return `ALTER TABLE ${quoteQualified(op.schema, op.table)} DETACH PARTITION ${quoteQualified(op.partitionSchema, op.name)}`
}

/**
 * `[CONSTRAINT name] EXCLUDE [USING method] (element WITH operator, ...) [INCLUDE (...)]
 * [WHERE (predicate)] [DEFERRABLE [INITIALLY DEFERRED]]`; `table` (quoted) is for messages.
 */
export function exclusionClause(exclusion: ExclusionDef, table: string): string {
  const label =
    exclusion.name === undefined ? `an exclusion constraint of ${table}` : exclusion.name
  if (exclusion.elements.length === 0) {
    throw new InvalidOperationError(`${label} has no elements; list at least one`)
  }
  const elements = exclusion.elements.map((element) => {
    if (element.operator.trim() === '') {
      throw new InvalidOperationError(`an element of ${label} has no operator`)
    }
    return `${indexElement(element, label, table)} WITH ${element.operator}`
  })
  return words(
    exclusion.name === undefined
      ? 'EXCLUDE'
      : `CONSTRAINT ${quoteIdentifier(exclusion.name)} EXCLUDE`,
    exclusion.method !== undefined && `USING ${quoteIdentifier(exclusion.method)}`,
    `(${elements.join(', ')})`,
    exclusion.include.length > 0 && `INCLUDE ${columnList(exclusion.include)}`,
    exclusion.where !== undefined && `WHERE (${exclusion.where})`,
    (exclusion.deferrable || exclusion.initiallyDeferred) && 'DEFERRABLE',
    exclusion.initiallyDeferred && 'INITIALLY DEFERRED',
  )
}
