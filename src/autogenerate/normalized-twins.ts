import type { SchemaSnapshot, TableDef } from '../schema/schema-snapshot.ts'
import type { ModelObject } from './match-by-name.ts'
import { tableId } from './object-keys.ts'

/**
 * Finds each model table's twin in the normalized snapshot (`CompareInput.normalizedModels`),
 * which has the same structure with expressions in the database's spelling. Twins are paired by
 * position and checked by name, falling back to a lookup by name, and to the model table itself
 * when there is no normalized snapshot or no twin.
 */
export function normalizedTwins(
  models: SchemaSnapshot,
  normalized: SchemaSnapshot | undefined,
): (model: TableDef) => TableDef {
  if (normalized === undefined) return (model) => model
  const byPosition = new Map<TableDef, TableDef>()
  const byId = new Map(normalized.tables.map((t) => [tableId(t.schema, t.name), t]))
  models.tables.forEach((model, i) => {
    const twin = normalized.tables[i]
    byPosition.set(
      model,
      twin !== undefined && twin.schema === model.schema && twin.name === model.name
        ? twin
        : (byId.get(tableId(model.schema, model.name)) ?? model),
    )
  })
  return (model) => byPosition.get(model) ?? byId.get(tableId(model.schema, model.name)) ?? model
}

/**
 * Pairs a model list (columns, checks, indexes) with its normalized twin list: by position when
 * the names agree, else by name, else the model object stands for itself.
 */
export function pairTwins<T extends { readonly name: string | undefined }>(
  model: readonly T[],
  normalized: readonly T[],
): readonly ModelObject<T>[] {
  if (model === normalized) return model.map((def) => ({ def, norm: def }))
  return model.map((def, i) => {
    const twin = normalized[i]
    if (twin !== undefined && twin.name === def.name) return { def, norm: twin }
    const named = def.name === undefined ? undefined : normalized.find((n) => n.name === def.name)
    return { def, norm: named ?? def }
  })
}
