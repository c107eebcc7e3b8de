import type { ForeignKeyDef, TableDef } from '../schema/schema-snapshot.ts'
import { sameSet } from '../util/same-set.ts'
import { createForeignKeyOp, unnamedCreateStep } from './compare-constraints.ts'
import { tableId } from './object-keys.ts'
import {
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'
import { type KeyRef, keysOf } from './referenced-keys.ts'
import { orderTables, type TableEdge } from './table-order.ts'

/**
 * Plans `createTable` for the tables only the models have, referenced tables first (phase 6).
 * A foreign key stays inside `CREATE TABLE` when what it references exists by then; it moves to a
 * `createForeignKey` after every table and key exists (phase 9) when it closes a cycle between new
 * tables, references its own table through a unique index (created after the table), or
 * references an existing table's key or column that this migration creates or recreates.
 *
 * @param existing the database tables that stay, by {@link tableId}, after renames
 * @param droppedKeys keys dropped in phase 5 (and maybe created again in phase 8)
 */
export function planCreatedTables(
  created: readonly TableDef[],
  existing: ReadonlyMap<string, TableDef>,
  droppedKeys: readonly KeyRef[],
): PartialResult {
  const byId = new Map(created.map((t) => [tableId(t.schema, t.name), t]))
  const edges: TableEdge<ForeignKeyDef>[] = []
  const deferred = new Set<ForeignKeyDef>()
  for (const [id, table] of byId) {
    for (const fk of table.foreignKeys) {
      const target = tableId(fk.referencedSchema, fk.referencedTable)
      if (target === id) {
        if (!inlineKey(table, fk.referencedColumns)) deferred.add(fk)
      } else if (byId.has(target)) {
        edges.push({ from: id, to: target, payload: fk })
      } else {
        const referenced = existing.get(target)
        // A table outside both snapshots (excluded, or in a schema not read) is assumed to exist.
        if (referenced !== undefined && !stableKey(referenced, fk.referencedColumns, droppedKeys)) {
          deferred.add(fk)
        }
      }
    }
  }
  const { order, deferred: cycleEdges } = orderTables([...byId.keys()], edges)
  for (const edge of cycleEdges) deferred.add(edge.payload)

  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  order.forEach((id, position) => {
    const table = byId.get(id)!
    const foreignKeys = table.foreignKeys.filter((fk) => !deferred.has(fk))
    changes.push(
      plan(Phase.createTable, [position], {
        kind: 'createTable',
        table: foreignKeys.length === table.foreignKeys.length ? table : { ...table, foreignKeys },
        ifNotExists: false,
      }),
    )
    for (const fk of table.foreignKeys) {
      if (!deferred.has(fk)) continue
      changes.push(
        plan(
          Phase.createForeignKey,
          [table.schema ?? '', table.name, fk.name ?? ''],
          createForeignKeyOp(table, fk),
        ),
      )
      if (fk.name === undefined) {
        manual.push({
          key: ['constraint', table.schema ?? '', table.name, fk.referencedTable],
          step: unnamedCreateStep(table, 'foreign key', `(${fk.columns.join(', ')})`),
        })
      }
    }
  })
  return { changes, manual }
}

/** A key `CREATE TABLE` itself creates: the primary key or a unique constraint. */
function inlineKey(table: TableDef, columns: readonly string[]): boolean {
  return (
    (table.primaryKey !== undefined && sameSet(table.primaryKey.columns, columns)) ||
    table.uniques.some((u) => sameSet(u.columns, columns))
  )
}

/** The existing table has the key now, and this migration does not drop it. */
function stableKey(
  table: TableDef,
  columns: readonly string[],
  droppedKeys: readonly KeyRef[],
): boolean {
  const id = tableId(table.schema, table.name)
  const isDropped = droppedKeys.some((k) => k.table === id && sameSet(k.columns, columns))
  return !isDropped && keysOf(table).some((k) => sameSet(k.columns, columns))
}
