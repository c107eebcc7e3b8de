import type { Comparator } from '../dialect/comparator.ts'
import type { SchemaSnapshot, TableDef } from '../schema/schema-snapshot.ts'
import { applyRenames } from './apply-renames.ts'
import { compareCodeObjects } from './compare-code-objects.ts'
import type { ConstraintComparison } from './compare-constraints.ts'
import { createForeignKeyOp, dropForeignKeyOp } from './compare-constraints.ts'
import { compareEnums } from './compare-enums.ts'
import { compareExtensions } from './compare-extensions.ts'
import {
  createdTablePartitions,
  droppedTablePartitions,
  withoutPartitions,
} from './compare-partitions.ts'
import type { CompareResult, RenameAnswers } from './compare-result.ts'
import { compareSequences } from './compare-sequences.ts'
import { compareTable } from './compare-table.ts'
import { compareTypeObjects } from './compare-type-objects.ts'
import { planCreatedTables } from './created-tables.ts'
import { planDroppedTables } from './dropped-tables.ts'
import { foldDefaultSchema } from './fold-default-schema.ts'
import { normalizedTwins } from './normalized-twins.ts'
import { tableId } from './object-keys.ts'
import {
  orderChanges,
  orderManualSteps,
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'
import type { KeyRef } from './referenced-keys.ts'
import { referencesKey } from './referenced-keys.ts'
import { resolveRenames } from './resolve-renames.ts'

/** The two sides of a comparison. */
export interface CompareInput {
  /** What the models declare; operations carry these definitions (literal defaults and all). */
  readonly models: SchemaSnapshot
  /**
   * The same snapshot with every expression (defaults, checks, index expressions and predicates)
   * in the database's spelling, as `Introspector.normalize` returns it: same structure, order and
   * names as `models`. Comparisons use it when given; without it, expressions compare by their
   * canonical text and literal defaults on a best-effort basis.
   */
  readonly normalizedModels?: SchemaSnapshot
  /** What the database holds (introspected). */
  readonly database: SchemaSnapshot
}

/** Options of {@link compareSchemas}. */
export interface CompareOptions {
  /**
   * The database engine's rules: when two types, defaults or expressions are the same, and the
   * SQL of manual steps (`dialect.comparator`; `postgresComparator` for PostgreSQL and PGlite).
   */
  readonly comparator: Comparator
  /** Answers to earlier rename questions (`CompareResult.questions`), by `fromKey`; default: none. */
  readonly renames?: RenameAnswers
  /**
   * The schema that unqualified names resolve to; objects there may be spelled with this name or
   * with `undefined` on either side. Default: `'public'`.
   */
  readonly defaultSchema?: string
}

/**
 * Compares what the models declare with what the database holds, and returns the operations that
 * turn the database into the models (the upgrade), with warnings, manual steps for what no
 * operation can do safely, and rename questions for a person to answer. Pure: no database, no
 * files. Every operation carries what `reverse()` needs, so `reverseAll(ops)` is the downgrade
 * (except `addEnumValue`, which PostgreSQL cannot undo).
 *
 * Tables, columns, enums and schemas are matched by name (after renames); constraints and indexes
 * by name too, or by definition where a name is missing; whether two types, defaults or
 * expressions are the same is the comparator's to say. The order of the changes is described at
 * {@link Phase}.
 *
 * @example
 * const result = compareSchemas(
 *   { models, database },
 *   { comparator: dialect.comparator, renames: new Map([['users.fullname', 'users.full_name']]) },
 * )
 * for (const question of result.questions) console.log(`renamed ${question.fromKey} -> ${question.toKey}?`)
 * @throws RenameAnswerError when `options.renames` names an object that is not new, or renames two
 *   objects to the same one
 */
export function compareSchemas(input: CompareInput, options: CompareOptions): CompareResult {
  const comparator = options.comparator
  const defaultSchema = options.defaultSchema ?? 'public'
  const models = foldDefaultSchema(input.models, defaultSchema)
  const normalized =
    input.normalizedModels === undefined
      ? undefined
      : foldDefaultSchema(input.normalizedModels, defaultSchema)
  const original = foldDefaultSchema(input.database, defaultSchema)

  const renames = resolveRenames(models, original, options.renames, normalized, comparator)
  // From here on the database is compared as it will be after the renames (phase 3).
  const database = applyRenames(original, renames, comparator)
  const twin = normalizedTwins(models, normalized)

  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  const add = (result: PartialResult) => {
    changes.push(...result.changes)
    manual.push(...result.manual)
  }

  const renameOps = [
    [0, 'renameTable', renames.tables],
    [2, 'renameSequence', renames.sequences],
    [3, 'renameType', renames.types],
  ] as const
  for (const [rank, kind, list] of renameOps) {
    for (const r of list) {
      changes.push(plan(Phase.rename, [rank, r.schema ?? '', r.from], { kind, ...r }))
    }
  }
  for (const r of renames.views) {
    changes.push(plan(Phase.rename, [4, r.schema ?? '', r.from], { kind: 'renameView', ...r }))
  }
  // A partition is a table of its own: ALTER TABLE ... RENAME renames it and keeps its rows.
  for (const r of renames.partitions) {
    changes.push(
      plan(Phase.rename, [0, r.schema ?? '', r.from], {
        kind: 'renameTable',
        schema: r.schema,
        from: r.from,
        to: r.to,
      }),
    )
  }
  for (const r of renames.columns) {
    changes.push(
      plan(Phase.rename, [1, r.schema ?? '', r.table, r.from], {
        kind: 'alterColumn',
        schema: r.schema,
        table: r.table,
        column: r.from,
        changes: { name: { to: r.to, from: r.from } },
      }),
    )
  }

  for (const name of newSchemas(models, database)) {
    changes.push(
      plan(Phase.createSchema, [name], { kind: 'createSchema', name, ifNotExists: true }),
    )
  }
  add(compareEnums(models, database, comparator))
  add(compareExtensions(models, database, comparator))
  add(compareTypeObjects(models, normalized, database, comparator))
  add(compareSequences(models, database, renames, comparator))

  const modelById = new Map(models.tables.map((t) => [tableId(t.schema, t.name), t]))
  const databaseById = new Map(database.tables.map((t) => [tableId(t.schema, t.name), t]))
  const created = models.tables.filter((t) => !databaseById.has(tableId(t.schema, t.name)))
  const dropped = database.tables.filter((t) => !modelById.has(tableId(t.schema, t.name)))
  const kept = new Map<string, TableDef>()

  const droppedKeys: KeyRef[] = []
  const comparisons: { readonly model: TableDef; readonly comparison: ConstraintComparison }[] = []
  for (const model of models.tables) {
    const id = tableId(model.schema, model.name)
    const existing = databaseById.get(id)
    if (existing === undefined) continue
    kept.set(id, existing)
    const comparison = compareTable(model, twin(model), existing, comparator)
    add(comparison)
    droppedKeys.push(...comparison.droppedKeys)
    comparisons.push({ model, comparison })
  }

  // A foreign key that stays but references a key dropped in phase 5 would block that drop:
  // drop it first and create it again once the key is back.
  for (const { model, comparison } of comparisons) {
    for (const pair of comparison.keptForeignKeys) {
      const name = pair.database.name
      if (name === undefined || !droppedKeys.some((key) => referencesKey(pair.database, key)))
        continue
      const key = [model.schema ?? '', model.name, name]
      changes.push(
        plan(Phase.dropForeignKey, key, dropForeignKeyOp(model, { ...pair.database, name })),
      )
      changes.push(plan(Phase.createForeignKey, key, createForeignKeyOp(model, pair.model.def)))
    }
  }

  // Partitions are created after their new tables, and dropped before their dropped ones.
  add(planCreatedTables(created.map(withoutPartitions), kept, droppedKeys))
  add(createdTablePartitions(created))
  add(droppedTablePartitions(dropped))
  add(planDroppedTables(dropped.map(withoutPartitions), droppedKeys, createdRelationNames(changes)))

  // Views, functions, aggregates and triggers last: they follow what the tables do.
  add(compareCodeObjects({ models, normalized, database, renames, planned: changes, comparator }))

  return {
    changes: orderChanges(changes),
    manual: orderManualSteps(manual),
    questions: renames.questions,
  }
}

/**
 * The names of the relations (tables, and the indexes behind primary keys, unique constraints and
 * indexes) that the planned operations create, as `tableId(schema, name)`: PostgreSQL keeps them
 * in one namespace per schema (manual, CREATE INDEX: the name must differ from any other relation
 * in the schema).
 */
function createdRelationNames(changes: readonly PlannedChange[]): ReadonlySet<string> {
  const names = new Set<string>()
  const add = (schema: string | undefined, name: string | undefined) => {
    if (name !== undefined) names.add(tableId(schema, name))
  }
  for (const { change } of changes) {
    const op = change.op
    switch (op.kind) {
      case 'createTable':
        add(op.table.schema, op.table.name)
        add(op.table.schema, op.table.primaryKey?.name)
        for (const u of op.table.uniques) add(op.table.schema, u.name)
        for (const i of op.table.indexes) add(op.table.schema, i.name)
        break
      case 'createIndex':
        add(op.schema, op.index.name)
        break
      case 'createPrimaryKey':
        add(op.schema, op.primaryKey.name)
        break
      case 'createUniqueConstraint':
        add(op.schema, op.unique.name)
        break
      default:
        break
    }
  }
  return names
}

/** Schemas the models use that no database object is in (the database may still have them empty). */
function newSchemas(models: SchemaSnapshot, database: SchemaSnapshot): readonly string[] {
  const existing = new Set<string>()
  for (const object of [...database.tables, ...database.enums, ...typeObjectsOf(database)]) {
    if (object.schema !== undefined) existing.add(object.schema)
  }
  const wanted = new Set<string>()
  for (const object of [...models.tables, ...models.enums, ...typeObjectsOf(models)]) {
    if (object.schema !== undefined && !existing.has(object.schema)) wanted.add(object.schema)
  }
  return [...wanted].sort()
}

/**
 * Sequences, domains, composite types, extensions, views, functions, aggregates and partitions:
 * they may be alone in a schema too.
 */
function typeObjectsOf(
  snapshot: SchemaSnapshot,
): readonly { readonly schema: string | undefined }[] {
  return [
    ...snapshot.sequences,
    ...snapshot.domains,
    ...snapshot.compositeTypes,
    ...snapshot.extensions,
    ...snapshot.views,
    ...snapshot.functions,
    ...snapshot.aggregates,
    ...snapshot.tables.flatMap((table) => table.partitions ?? []),
  ]
}
