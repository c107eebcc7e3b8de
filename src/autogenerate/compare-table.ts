import type { Comparator } from '../dialect/comparator.ts'
import type { ColumnDef, TableDef } from '../schema/schema-snapshot.ts'
import { compareColumn, nonEmpty } from './compare-column.ts'
import { type ConstraintComparison, compareConstraints } from './compare-constraints.ts'
import { comparePartitions } from './compare-partitions.ts'
import { pairTwins } from './normalized-twins.ts'
import { columnKey } from './object-keys.ts'
import { Phase, type PlannedChange, type PlannedManualStep, plan } from './planned-change.ts'

/**
 * Compares a table present on both sides (after renames): its columns (added in the models'
 * order, altered, dropped), its constraints and indexes ({@link compareConstraints}) and its
 * comment and engine options. `normalized` is the model table in the database's spelling.
 */
export function compareTable(
  model: TableDef,
  normalized: TableDef,
  database: TableDef,
  comparator: Comparator,
): ConstraintComparison {
  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  const schema = model.schema ?? ''
  const existing = new Map(database.columns.map((c) => [c.name, c]))
  const declared = new Set(model.columns.map((c) => c.name))

  pairTwins(model.columns, normalized.columns).forEach((column, position) => {
    const current = existing.get(column.def.name)
    if (current === undefined) {
      changes.push(
        plan(
          Phase.column,
          [schema, model.name, 0, position],
          {
            kind: 'addColumn',
            schema: model.schema,
            table: model.name,
            column: column.def,
            ifNotExists: false,
          },
          [addColumnWarning(model, column.def, comparator)],
        ),
      )
      return
    }
    const compared = compareColumn(model, column, current, comparator)
    if (compared.op !== undefined) {
      changes.push(
        plan(
          Phase.column,
          [schema, model.name, 1, column.def.name],
          compared.op,
          compared.warnings,
        ),
      )
    }
    if (compared.manual !== undefined) {
      manual.push({ key: ['column', schema, model.name, column.def.name], step: compared.manual })
    }
  })

  for (const column of database.columns) {
    if (declared.has(column.name)) continue
    changes.push(
      plan(
        Phase.dropColumn,
        [schema, model.name, column.name],
        {
          kind: 'dropColumn',
          schema: model.schema,
          table: model.name,
          column: column.name,
          ifExists: false,
          cascade: false,
          definition: column,
        },
        [`drops column ${columnKey(model.schema, model.name, column.name)} and its data`],
      ),
    )
  }

  const comment = nonEmpty(model.comment)
  const previous = nonEmpty(database.comment)
  if (comment !== previous) {
    changes.push(
      plan(
        Phase.comment,
        [schema, model.name],
        comment === undefined
          ? { kind: 'dropTableComment', schema: model.schema, table: model.name, previous }
          : {
              kind: 'createTableComment',
              schema: model.schema,
              table: model.name,
              comment,
              previous: previous ?? null,
            },
      ),
    )
  }

  const options = comparator.tableOptionChanges(normalized.engineOptions, database.engineOptions)
  if (options !== undefined) {
    changes.push(
      plan(
        Phase.comment,
        [schema, model.name, 'options'],
        {
          kind: 'alterTableOptions',
          schema: model.schema,
          table: model.name,
          options: options.options,
          previous: options.previous,
        },
        [options.warning],
      ),
    )
  }

  const constraints = compareConstraints(model, normalized, database, comparator)
  const partitions = comparePartitions(model, normalized, database, comparator)
  return {
    changes: [...changes, ...constraints.changes, ...partitions.changes],
    manual: [...manual, ...constraints.manual, ...partitions.manual],
    droppedKeys: constraints.droppedKeys,
    keptForeignKeys: constraints.keptForeignKeys,
  }
}

/** A NOT NULL column without a value for the existing rows cannot be added to a non-empty table. */
function addColumnWarning(
  table: TableDef,
  column: ColumnDef,
  comparator: Comparator,
): string | undefined {
  // A default the engine takes for no default at all (`DEFAULT NULL`) fills nothing.
  const filled =
    !comparator.defaultsEquivalent(column.default, undefined) ||
    column.identity !== undefined ||
    column.serial ||
    column.generated !== undefined
  if (column.nullable || filled) return undefined
  return `adds ${columnKey(table.schema, table.name, column.name)} NOT NULL without a default: fails if the table has rows; add it nullable, backfill, then set NOT NULL`
}
