import type { Comparator } from '../dialect/comparator.ts'
import type { ColumnDef, TableDef } from '../schema/schema-snapshot.ts'
import type { ManualStep } from './compare-result.ts'
import { executeLine } from './manual-step-hints.ts'
import type { ModelObject } from './match-by-name.ts'
import { columnKey } from './object-keys.ts'

/**
 * The manual step for a column whose generation expression differs between the models and the
 * database (`model.norm` is in the database's spelling): no operation changes it. The engine may
 * replace an expression or turn a generated column into an ordinary one in place (PostgreSQL 17
 * and 13+); anything else means dropping the column and adding it again, with whatever depends
 * on it.
 */
export function generatedColumnStep(
  table: TableDef,
  model: ModelObject<ColumnDef>,
  database: ColumnDef,
  comparator: Comparator,
): ManualStep | undefined {
  const to = model.norm.generated
  const from = database.generated
  if (to === undefined && from === undefined) return undefined
  if (to !== undefined && from !== undefined && comparator.sqlEquivalent(to, from)) return undefined
  const label = columnKey(table.schema, table.name, model.def.name)
  const describe = (expression: string | undefined) =>
    expression === undefined ? 'an ordinary column' : `generated from (${expression})`
  const column = { schema: table.schema, table: table.name, column: model.def.name }
  const hint = (target: string | undefined, current: string | undefined): string => {
    const sql = comparator.hints.changeGeneration(column, target, current)
    return sql === undefined
      ? `// drop ${label} and add it again with .generatedAs(sql\`${target}\`)`
      : executeLine(sql)
  }
  return {
    description: `${label}: the database column is ${describe(from)}, the models declare it ${describe(model.def.generated)}; no operation changes a generation expression, so change it by hand`,
    upgradeHint: hint(model.def.generated, from),
    downgradeHint: hint(from, model.def.generated),
  }
}
