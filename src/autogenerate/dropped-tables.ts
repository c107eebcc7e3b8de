import type { MigrationOp } from '../operations/migration-op.ts'
import type { ForeignKeyDef, IndexDef, TableDef } from '../schema/schema-snapshot.ts'
import { dropForeignKeyOp } from './compare-constraints.ts'
import { tableId, tableKey } from './object-keys.ts'
import { type PartialResult, Phase, type PlannedChange, plan } from './planned-change.ts'
import { type KeyRef, keyOfIndex, referencesKey } from './referenced-keys.ts'
import { orderTables, type TableEdge } from './table-order.ts'

/**
 * Plans `dropTable` for the tables only the database has, referencing tables first (phase 12),
 * each carrying its definition so that the downgrade recreates it.
 *
 * Some parts of a dropped table must go earlier, on their own, and are left out of its definition
 * (the downgrade adds them back after recreating the table):
 *
 * - a primary key, unique constraint or index whose name this migration creates again elsewhere
 *   (phase 5): PostgreSQL keeps index names in the schema's namespace of relations, so the new
 *   one could not be created while the old table holds the name;
 * - a foreign key that references a key dropped in phase 5, or closes a cycle between dropped
 *   tables (phase 4).
 *
 * @param droppedKeys keys of remaining tables dropped in phase 5
 * @param createdNames relation names (`tableId(schema, name)`) this migration creates
 */
export function planDroppedTables(
  dropped: readonly TableDef[],
  droppedKeys: readonly KeyRef[],
  createdNames: ReadonlySet<string>,
): PartialResult {
  const changes: PlannedChange[] = []
  const keys: KeyRef[] = [...droppedKeys]
  const definitions = new Map<string, TableDef>()
  for (const table of dropped) {
    const released = releaseNames(table, createdNames)
    changes.push(...released.changes)
    keys.push(...released.keys)
    definitions.set(tableId(table.schema, table.name), released.table)
  }

  const early = new Set<ForeignKeyDef>()
  const edges: TableEdge<ForeignKeyDef>[] = []
  for (const [id, table] of definitions) {
    for (const fk of table.foreignKeys) {
      if (fk.name !== undefined && keys.some((key) => referencesKey(fk, key))) {
        early.add(fk)
      } else {
        edges.push({ from: id, to: tableId(fk.referencedSchema, fk.referencedTable), payload: fk })
      }
    }
  }
  const { order, deferred } = orderTables([...definitions.keys()], edges)
  for (const edge of deferred) {
    // An unnamed foreign key cannot be dropped by name; DROP TABLE ... CASCADE would be needed.
    if (edge.payload.name !== undefined) early.add(edge.payload)
  }

  const dropOrder = [...order].reverse()
  dropOrder.forEach((id, position) => {
    const table = definitions.get(id)!
    for (const fk of table.foreignKeys) {
      if (!early.has(fk) || fk.name === undefined) continue
      changes.push(
        plan(
          Phase.dropForeignKey,
          [table.schema ?? '', table.name, fk.name],
          dropForeignKeyOp(table, { ...fk, name: fk.name }),
        ),
      )
    }
    const foreignKeys = table.foreignKeys.filter((fk) => !early.has(fk))
    changes.push(
      plan(
        Phase.dropTable,
        [position],
        {
          kind: 'dropTable',
          schema: table.schema,
          name: table.name,
          ifExists: false,
          cascade: false,
          definition:
            foreignKeys.length === table.foreignKeys.length ? table : { ...table, foreignKeys },
        },
        [`drops table ${tableKey(table.schema, table.name)} and all its rows`],
      ),
    )
  })
  return { changes, manual: [] }
}

/**
 * Drops the primary key, unique constraints and indexes of a dropped table whose names are
 * created again in this migration, and returns the table without them and the keys they were.
 */
function releaseNames(
  table: TableDef,
  createdNames: ReadonlySet<string>,
): {
  readonly table: TableDef
  readonly changes: readonly PlannedChange[]
  readonly keys: readonly KeyRef[]
} {
  const taken = (name: string | undefined) =>
    name !== undefined && createdNames.has(tableId(table.schema, name))
  const changes: PlannedChange[] = []
  const keys: KeyRef[] = []
  const id = tableId(table.schema, table.name)
  const drop = (name: string, op: MigrationOp) =>
    changes.push(plan(Phase.dropConstraint, [table.schema ?? '', table.name, name], op))
  const dropConstraint = (
    name: string,
    definition: Extract<MigrationOp, { kind: 'dropConstraint' }>['definition'],
  ) =>
    drop(name, {
      kind: 'dropConstraint',
      schema: table.schema,
      table: table.name,
      name,
      ifExists: false,
      cascade: false,
      definition,
    })

  let primaryKey = table.primaryKey
  if (primaryKey !== undefined && primaryKey.name !== undefined && taken(primaryKey.name)) {
    dropConstraint(primaryKey.name, { type: 'primaryKey', definition: primaryKey })
    keys.push({ table: id, columns: primaryKey.columns })
    primaryKey = undefined
  }
  const uniques = table.uniques.filter((unique) => {
    if (unique.name === undefined || !taken(unique.name)) return true
    dropConstraint(unique.name, { type: 'unique', definition: unique })
    keys.push({ table: id, columns: unique.columns })
    return false
  })
  const indexes = table.indexes.filter((index: IndexDef) => {
    if (!taken(index.name)) return true
    drop(index.name, {
      kind: 'dropIndex',
      schema: table.schema,
      name: index.name,
      table: table.name,
      concurrently: false,
      ifExists: false,
      definition: index,
    })
    const columns = keyOfIndex(index)
    if (columns !== undefined) keys.push({ table: id, columns })
    return false
  })
  if (changes.length === 0) return { table, changes, keys }
  return { table: { ...table, primaryKey, uniques, indexes }, changes, keys }
}
