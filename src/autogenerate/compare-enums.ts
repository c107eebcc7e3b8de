import type { Comparator, EnumColumn, HintSql } from '../dialect/comparator.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { ColumnType, EnumDef, SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { ManualStep } from './compare-result.ts'
import { executeLine, schemaOption, tsString } from './manual-step-hints.ts'
import { tableId, tableKey } from './object-keys.ts'
import { type PartialResult, Phase, type PlannedChange, plan } from './planned-change.ts'

/**
 * Compares enum types: new ones are created (phase 2, before the tables that use them), vanished
 * ones dropped (phase 13, after every column using them is gone), and new values are added in
 * place. PostgreSQL can add a value anywhere (`ALTER TYPE ... ADD VALUE ... BEFORE/AFTER`) but
 * can neither remove nor reorder values (manual, ALTER TYPE), so a removal or reordering becomes a
 * manual step with a sketch of the rebuild, and no operation.
 */
export function compareEnums(
  models: SchemaSnapshot,
  database: SchemaSnapshot,
  comparator: Comparator,
): PartialResult {
  const changes: PlannedChange[] = []
  const manual: { key: readonly string[]; step: ManualStep }[] = []
  const databaseById = new Map(database.enums.map((e) => [tableId(e.schema, e.name), e]))
  const modelIds = new Set(models.enums.map((e) => tableId(e.schema, e.name)))
  for (const model of models.enums) {
    const key = [model.schema ?? '', model.name]
    const existing = databaseById.get(tableId(model.schema, model.name))
    if (existing === undefined) {
      changes.push(
        plan(Phase.createEnum, key, { kind: 'createEnum', enum: model, ifNotExists: false }),
      )
      continue
    }
    const values = compareValues(existing.values, model.values)
    if (values.kind === 'added') {
      for (const op of addValueOps(model, existing)) changes.push(plan(Phase.createEnum, key, op))
    } else if (values.kind === 'manual') {
      manual.push({
        key: ['enum', ...key],
        step: rebuildStep(model, existing, values.what, models, comparator.hints),
      })
    }
  }
  for (const existing of database.enums) {
    if (modelIds.has(tableId(existing.schema, existing.name))) continue
    changes.push(
      plan(Phase.dropEnum, [existing.schema ?? '', existing.name], {
        kind: 'dropEnum',
        schema: existing.schema,
        name: existing.name,
        ifExists: false,
        cascade: false,
        definition: existing,
      }),
    )
  }
  return { changes, manual }
}

type ValueChange =
  | { readonly kind: 'same' }
  | { readonly kind: 'added' }
  | { readonly kind: 'manual'; readonly what: string }

function compareValues(database: readonly string[], model: readonly string[]): ValueChange {
  const removed = database.filter((v) => !model.includes(v))
  const kept = model.filter((v) => database.includes(v))
  const reordered = removed.length === 0 && kept.some((v, i) => v !== database[i])
  if (removed.length > 0) {
    const list = removed.map((v) => `'${v}'`).join(', ')
    return { kind: 'manual', what: `${removed.length === 1 ? 'value' : 'values'} ${list} removed` }
  }
  if (reordered) return { kind: 'manual', what: 'values reordered' }
  return kept.length === model.length ? { kind: 'same' } : { kind: 'added' }
}

/**
 * `addEnumValue` for each new value, in the models' order, each placed right after its
 * predecessor in the models (which exists by then: it was there or was just added); a value that
 * comes first goes before the first value the database has.
 */
function addValueOps(model: EnumDef, existing: EnumDef): readonly MigrationOp[] {
  const ops: MigrationOp[] = []
  model.values.forEach((value, i) => {
    if (existing.values.includes(value)) return
    const previous = i === 0 ? undefined : model.values[i - 1]
    ops.push({
      kind: 'addEnumValue',
      schema: model.schema,
      enum: model.name,
      value,
      before: previous === undefined ? existing.values[0] : undefined,
      after: previous,
      ifNotExists: false,
    })
  })
  return ops
}

/** The manual step for an enum whose values lost a member or changed order. */
function rebuildStep(
  model: EnumDef,
  existing: EnumDef,
  what: string,
  models: SchemaSnapshot,
  hints: HintSql,
): ManualStep {
  const name = tableKey(model.schema, model.name)
  const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ')
  const users = enumColumns(model, models)
  const renames = renamedValues(existing.values, model.values)
  if (renames.length > 0) {
    // A value replaced in place may be a rename, which ALTER TYPE ... RENAME VALUE does without
    // touching a row (manual, ALTER TYPE); only a person knows, so both ways are offered.
    const pairs = renames.map(([from, to]) => `'${from}' to '${to}'`).join(', ')
    return {
      description:
        `enum ${name}: ${what} (database: ${list(existing.values)}; models: ${list(model.values)}); ` +
        `if ${pairs} ${renames.length === 1 ? 'is a rename' : 'are renames'}, op.renameEnumValue does it in place; ` +
        'otherwise rebuild the type (PostgreSQL cannot remove enum values): create a new type, ' +
        'convert the columns that use it, drop the old type and rename the new one',
      upgradeHint: renameOrRebuild(
        model,
        renames,
        rebuildHint(model, model.values, existing.values, users, hints),
      ),
      downgradeHint: renameOrRebuild(
        model,
        renames.map(([from, to]) => [to, from]),
        rebuildHint(model, existing.values, model.values, users, hints),
      ),
    }
  }
  return {
    description:
      `enum ${name}: ${what} (database: ${list(existing.values)}; models: ${list(model.values)}); ` +
      'PostgreSQL cannot remove or reorder enum values in place, so rebuild the type: create a new ' +
      'type, convert the columns that use it, drop the old type and rename the new one',
    upgradeHint: rebuildHint(model, model.values, existing.values, users, hints),
    downgradeHint: rebuildHint(model, existing.values, model.values, users, hints),
  }
}

/**
 * The values the models have in place of the database's, position by position, when the lists
 * have the same length and differ only there (every other value where it was, no value twice):
 * what a rename of those values would give.
 */
function renamedValues(
  database: readonly string[],
  model: readonly string[],
): readonly (readonly [string, string])[] {
  if (database.length !== model.length) return []
  const pairs: [string, string][] = []
  for (let i = 0; i < model.length; i++) {
    const from = database[i]!
    const to = model[i]!
    if (from === to) continue
    if (database.includes(to) || model.includes(from)) return []
    pairs.push([from, to])
  }
  return pairs
}

/** `op.renameEnumValue` for each pair, then the rebuild as the alternative. */
function renameOrRebuild(
  target: EnumDef,
  renames: readonly (readonly [string, string])[],
  rebuild: string,
): string {
  return [
    '// if the values were renamed:',
    ...renames.map(
      ([from, to]) =>
        `await op.renameEnumValue(${tsString(target.name)}, ${tsString(from)}, ${tsString(to)}${schemaOption(target.schema)})`,
    ),
    '// otherwise, rebuild the type:',
    rebuild,
  ].join('\n')
}

/** The model columns whose type is the enum, or an array of it. */
function enumColumns(target: EnumDef, models: SchemaSnapshot): readonly EnumColumn[] {
  const isTarget = (type: ColumnType): boolean =>
    type.kind === 'enum' && type.name === target.name && type.schema === target.schema
  const out: EnumColumn[] = []
  for (const table of models.tables) {
    for (const column of table.columns) {
      const array = column.type.kind === 'array'
      let type = column.type
      while (type.kind === 'array') type = type.element
      if (!isTarget(type)) continue
      out.push({
        schema: table.schema,
        table: table.name,
        column: column.name,
        array,
        hasDefault: column.default !== undefined,
      })
    }
  }
  return out
}

/** The rebuild, as code a person uncomments: create `<name>_new`, convert, drop, rename. */
function rebuildHint(
  target: EnumDef,
  values: readonly string[],
  replaced: readonly string[],
  columns: readonly EnumColumn[],
  hints: HintSql,
): string {
  const temporary = `${target.name}_new`
  const sql = hints.rebuildEnum(columns, { schema: target.schema, name: temporary }, target.name)
  const lost = replaced.filter((v) => !values.includes(v))
  const lines: string[] = []
  if (lost.length > 0) {
    lines.push(`// first update the rows that hold ${lost.map((v) => `'${v}'`).join(', ')}`)
  }
  lines.push(
    `await op.createEnum(${tsString(temporary)}, [${values.map(tsString).join(', ')}]${schemaOption(target.schema)})`,
    ...sql.convert.map(executeLine),
    `await op.dropEnum(${tsString(target.name)}${schemaOption(target.schema)})`,
    executeLine(sql.rename),
  )
  for (const c of columns) {
    if (c.hasDefault)
      lines.push(`// then set the default of ${tableKey(c.schema, c.table)}.${c.column} again`)
  }
  return lines.join('\n')
}
