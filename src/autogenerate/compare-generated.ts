import type { ColumnDef, TableDef } from '../schema/schema-snapshot.ts'
import { sqlEquivalent } from './canonical-sql.ts'
import type { ManualStep } from './compare-result.ts'
import { alterColumnSql, executeLine } from './manual-step-hints.ts'
import type { ModelObject } from './match-by-name.ts'
import { columnKey } from './object-keys.ts'

/**
 * The manual step for a column whose generation expression differs between the models and the
 * database (`model.norm` is in the database's spelling): no operation changes it. PostgreSQL 17
 * can replace an expression (`SET EXPRESSION AS`) and 13+ can turn a generated column into an
 * ordinary one (`DROP EXPRESSION`); anything else means dropping the column and adding it again
 * (manual, ALTER TABLE), with whatever depends on it.
 */
export function generatedColumnStep(
  table: TableDef,
  model: ModelObject<ColumnDef>,
  database: ColumnDef,
): ManualStep | undefined {
  const to = model.norm.generated
  const from = database.generated
  if (to === undefined && from === undefined) return undefined
  if (to !== undefined && from !== undefined && sqlEquivalent(to, from)) return undefined
  const label = columnKey(table.schema, table.name, model.def.name)
  const describe = (expression: string | undefined) =>
    expression === undefined ? 'an ordinary column' : `generated from (${expression})`
  const hint = (target: string | undefined, current: string | undefined): string => {
    const alter = (action: string) =>
      executeLine(alterColumnSql(table.schema, table.name, model.def.name, action))
    if (target === undefined) return alter('DROP EXPRESSION')
    if (current !== undefined) return alter(`SET EXPRESSION AS (${target})`)
    return `// drop ${label} and add it again with .generatedAs(sql\`${target}\`)`
  }
  return {
    description: `${label}: the database column is ${describe(from)}, the models declare it ${describe(model.def.generated)}; no operation changes a generation expression, so change it by hand`,
    upgradeHint: hint(model.def.generated, from),
    downgradeHint: hint(from, model.def.generated),
  }
}
