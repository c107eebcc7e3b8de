import type { Comparator } from '../dialect/comparator.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import { describePartitionBound } from '../schema/partition.ts'
import type {
  PartitionBound,
  PartitionDef,
  PartitionKeyDef,
  TableDef,
} from '../schema/schema-snapshot.ts'
import { nonEmpty } from './compare-column.ts'
import { sameList } from './definition-equivalence.ts'
import { tableId, tableKey } from './object-keys.ts'
import {
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'

/**
 * Partitions are compared with their parent, never as tables of their own (introspection does not
 * read them as tables): a partition the models add is created once its parent has its columns
 * (phase 7), one whose bound changed is detached and attached again with the new bound (its rows
 * stay, and PostgreSQL checks they fit), one the models drop is dropped with its rows before the
 * dropped columns and tables (phase 11), and comments follow the tables' (phase 10). A parent
 * whose partition key changed cannot be altered: that is a manual step.
 */

/** A table without its partitions: what `createTable` and `dropTable` carry. */
export function withoutPartitions(table: TableDef): TableDef {
  if (table.partitions === undefined) return table
  const { partitions: _, ...rest } = table
  return rest
}

/**
 * Compares the partitioning of a table present on both sides (`normalized` is the model table in
 * the database's spelling): its key, then its partitions by schema and name.
 */
export function comparePartitions(
  model: TableDef,
  normalized: TableDef,
  database: TableDef,
  comparator: Comparator,
): PartialResult {
  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  if (!keysEqual(normalized.partitionBy, database.partitionBy, comparator)) {
    manual.push({
      key: ['partitionBy', model.schema ?? '', model.name],
      step: keyStep(model, database),
    })
    return { changes, manual }
  }
  const existing = new Map((database.partitions ?? []).map((p) => [tableId(p.schema, p.name), p]))
  const declared = new Set<string>()
  const normalizedById = new Map(
    (normalized.partitions ?? []).map((p) => [tableId(p.schema, p.name), p]),
  )
  for (const partition of model.partitions ?? []) {
    const id = tableId(partition.schema, partition.name)
    declared.add(id)
    const current = existing.get(id)
    if (current === undefined) {
      changes.push(createPartition(model, partition))
      continue
    }
    const norm = normalizedById.get(id) ?? partition
    if (!boundsEqual(norm.bound, current.bound, comparator)) {
      const key = [model.schema ?? '', model.name, 2, partition.schema ?? '', partition.name]
      changes.push(
        plan(Phase.column, key, detachOp(model, current), [
          `moves the rows of partition ${tableKey(partition.schema, partition.name)} from ${describePartitionBound(current.bound)} to ${describePartitionBound(partition.bound)}: attaching scans them, and fails if one does not fit`,
        ]),
        plan(Phase.column, key, {
          kind: 'attachPartition',
          schema: model.schema,
          table: model.name,
          partition: { ...partition, comment: undefined },
        }),
      )
    }
    const comment = nonEmpty(partition.comment)
    const previous = nonEmpty(current.comment)
    if (comment !== previous) {
      const where = { schema: partition.schema, table: partition.name }
      changes.push(
        plan(
          Phase.comment,
          [partition.schema ?? '', partition.name],
          comment === undefined
            ? { kind: 'dropTableComment', ...where, previous }
            : { kind: 'createTableComment', ...where, comment, previous: previous ?? null },
        ),
      )
    }
  }
  for (const partition of database.partitions ?? []) {
    if (!declared.has(tableId(partition.schema, partition.name))) {
      changes.push(dropPartition(model, partition))
    }
  }
  return { changes, manual }
}

/** `createPartition` for every partition of tables the models add (phase 7, after the tables). */
export function createdTablePartitions(tables: readonly TableDef[]): PartialResult {
  return {
    changes: tables.flatMap((table) =>
      (table.partitions ?? []).map((p) => createPartition(table, p)),
    ),
    manual: [],
  }
}

/**
 * `dropPartition` for every partition of tables the models drop (phase 11, before the tables), so
 * that the downgrade creates them again after their parent.
 */
export function droppedTablePartitions(tables: readonly TableDef[]): PartialResult {
  return {
    changes: tables.flatMap((table) =>
      (table.partitions ?? []).map((p) => dropPartition(table, p)),
    ),
    manual: [],
  }
}

function createPartition(table: TableDef, partition: PartitionDef): PlannedChange {
  const op: MigrationOp = {
    kind: 'createPartition',
    schema: table.schema,
    table: table.name,
    partition,
    ifNotExists: false,
  }
  return plan(
    Phase.column,
    [table.schema ?? '', table.name, 2, partition.schema ?? '', partition.name],
    op,
  )
}

function dropPartition(table: TableDef, partition: PartitionDef): PlannedChange {
  const op: MigrationOp = {
    kind: 'dropPartition',
    schema: table.schema,
    table: table.name,
    partitionSchema: partition.schema,
    name: partition.name,
    ifExists: false,
    definition: partition,
  }
  return plan(Phase.dropColumn, [table.schema ?? '', table.name, '', partition.name], op, [
    `drops partition ${tableKey(partition.schema, partition.name)} of ${tableKey(table.schema, table.name)} and its rows`,
  ])
}

function detachOp(table: TableDef, partition: PartitionDef): MigrationOp {
  return {
    kind: 'detachPartition',
    schema: table.schema,
    table: table.name,
    partitionSchema: partition.schema,
    name: partition.name,
    definition: partition,
  }
}

/** Same strategy and elements (the model side in the database's spelling). */
function keysEqual(
  a: PartitionKeyDef | undefined,
  b: PartitionKeyDef | undefined,
  comparator: Comparator,
): boolean {
  if (a === undefined || b === undefined) return a === b
  return (
    a.strategy === b.strategy &&
    a.elements.length === b.elements.length &&
    a.elements.every((element, i) => comparator.sqlEquivalent(element, b.elements[i]))
  )
}

/** Same kind and values (the model side in the database's spelling). */
export function boundsEqual(a: PartitionBound, b: PartitionBound, comparator: Comparator): boolean {
  const values = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((value, i) => comparator.sqlEquivalent(value, y[i]))
  switch (a.kind) {
    case 'default':
      return b.kind === 'default'
    case 'hash':
      return b.kind === 'hash' && a.modulus === b.modulus && a.remainder === b.remainder
    case 'list':
      // The order of a list does not matter to PostgreSQL.
      return (
        b.kind === 'list' &&
        (values(a.values, b.values) || sameList([...a.values].sort(), [...b.values].sort()))
      )
    case 'range':
      return b.kind === 'range' && values(a.from, b.from) && values(a.to, b.to)
  }
}

function keyStep(model: TableDef, database: TableDef) {
  const describe = (key: PartitionKeyDef | undefined) =>
    key === undefined
      ? 'not partitioned'
      : `partitioned by ${key.strategy} (${key.elements.join(', ')})`
  return {
    description: `${tableKey(model.schema, model.name)}: the database table is ${describe(database.partitionBy)}, the models declare it ${describe(model.partitionBy)}; PostgreSQL cannot change how a table is partitioned, so create the new table, move the rows and swap the names by hand`,
    upgradeHint: undefined,
    downgradeHint: undefined,
  }
}
