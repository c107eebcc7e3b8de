import type { ForeignKeyDef, IndexDef, TableDef } from '../schema/schema-snapshot.ts'
import { sameSet } from '../util/same-set.ts'
import { tableId } from './object-keys.ts'

/**
 * A key a foreign key can reference: a primary key, a unique constraint or a unique index over
 * plain columns without a predicate (PostgreSQL requires exactly such a key over the referenced
 * columns, manual 5.5.5).
 */
export interface KeyRef {
  /** The table's {@link tableId}. */
  readonly table: string
  readonly columns: readonly string[]
}

/** The columns of a unique index a foreign key could reference, or undefined if it cannot. */
export function keyOfIndex(index: IndexDef): readonly string[] | undefined {
  if (!index.unique || index.where !== undefined) return undefined
  const columns: string[] = []
  for (const element of index.elements) {
    if (element.column === undefined) return undefined
    columns.push(element.column)
  }
  return columns
}

/** Every key of a table that a foreign key could reference. */
export function keysOf(table: TableDef): readonly KeyRef[] {
  const id = tableId(table.schema, table.name)
  const keys: KeyRef[] = []
  if (table.primaryKey !== undefined) keys.push({ table: id, columns: table.primaryKey.columns })
  for (const unique of table.uniques) keys.push({ table: id, columns: unique.columns })
  for (const index of table.indexes) {
    const columns = keyOfIndex(index)
    if (columns !== undefined) keys.push({ table: id, columns })
  }
  return keys
}

/** True when `key` is the key `foreignKey` references. */
export function referencesKey(foreignKey: ForeignKeyDef, key: KeyRef): boolean {
  return (
    tableId(foreignKey.referencedSchema, foreignKey.referencedTable) === key.table &&
    sameSet(foreignKey.referencedColumns, key.columns)
  )
}
