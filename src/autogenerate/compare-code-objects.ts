import type { Comparator } from '../dialect/comparator.ts'
import type { CodeObjectOp, MigrationOp } from '../operations/migration-op.ts'
import { reverseCodeObjectOp } from '../operations/reverse-code-objects.ts'
import { routineKey } from '../schema/code-objects.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  IndexDef,
  SchemaSnapshot,
  TriggerDef,
  ViewDef,
} from '../schema/schema-snapshot.ts'
import { tableId } from './object-keys.ts'
import { type PartialResult, Phase, type PlannedChange, plan } from './planned-change.ts'
import type { RenamePlan } from './resolve-renames.ts'

/** The two sides of the comparison, and what the table comparison plans. */
export interface CodeObjectComparison {
  readonly models: SchemaSnapshot
  /** `models` in the database's spelling (same order); `models` when not normalized. */
  readonly normalized: SchemaSnapshot | undefined
  /** The database, tables renamed as planned. */
  readonly database: SchemaSnapshot
  readonly renames: RenamePlan
  /** The operations the rest of the comparison plans: drops and type changes views depend on. */
  readonly planned: readonly PlannedChange[]
  /** Reads the names that queries, signatures and trigger conditions mention. */
  readonly comparator: Comparator
}

/**
 * Compares views, materialized views, functions, procedures, aggregates, triggers and event
 * triggers, each by PostgreSQL's spelling of the models (the normalized snapshot) against the
 * database's. A view whose columns stay (or only gain new ones at the end) is replaced in place;
 * any other change, or a change of a table column, function or view it reads, drops it before and
 * creates it after, with the views that read it. A function whose parameter types, result and
 * parameter names stay is replaced in place; otherwise it is dropped and created again, with the
 * views, aggregates and triggers that use it. Triggers and aggregates are dropped and created.
 */
export function compareCodeObjects(input: CodeObjectComparison): PartialResult {
  const changes: PlannedChange[] = []
  const database = renamedDatabase(input.database, input.renames)
  const models = input.models
  const normalized = input.normalized ?? models
  const comparator = input.comparator

  // --- Functions and procedures.
  const dbFunctions = new Map(database.functions.map((f) => [routineId(f), f]))
  const modelFunctions = models.functions.map((f, i) => ({
    def: f,
    norm: twinAt(normalized.functions, i, f),
  }))
  const createdRelations = relationsCreated(input.planned, models, database)
  const droppedRelations = relationsDropped(input.planned, models, database)
  const recreated = new Set<string>()
  const seenFunctions = new Set<string>()
  for (const { def, norm } of modelFunctions) {
    const id = routineId(norm)
    seenFunctions.add(id)
    const existing = dbFunctions.get(id)
    const late = mentionsAny(signatureText(norm), createdRelations, comparator)
    const createPhase = late ? Phase.createLateRoutine : Phase.createRoutine
    if (existing === undefined) {
      changes.push(plan(createPhase, [0, ...nameKey(def)], createRoutine(def)))
    } else if (!sameFunction(norm, existing)) {
      if (replaceable(norm, existing)) {
        changes.push(plan(Phase.createRoutine, [0, ...nameKey(def)], replaceRoutine(def, existing)))
      } else {
        recreated.add(functionName(existing))
        changes.push(
          plan(Phase.dropRoutine, [1, ...nameKey(existing)], dropOf(createRoutine(existing))),
        )
        changes.push(plan(createPhase, [0, ...nameKey(def)], createRoutine(def)))
      }
    }
  }
  for (const existing of database.functions) {
    if (seenFunctions.has(routineId(existing))) continue
    recreated.add(functionName(existing))
    const early = mentionsAny(signatureText(existing), droppedRelations, comparator)
    changes.push(
      plan(
        early ? Phase.dropRoutine : Phase.dropRemovedRoutine,
        [1, ...nameKey(existing)],
        dropOf(createRoutine(existing)),
      ),
    )
  }

  // --- Aggregates: dropped and created again when anything changes, or what they call does.
  const calls = (a: AggregateDef) =>
    [a.stateFunction, a.finalFunction, a.combineFunction].some(
      (f) => f !== undefined && recreated.has(refName(f)),
    )
  changes.push(
    ...recreateChanged({
      models: models.aggregates,
      normalized: normalized.aggregates,
      database: database.aggregates,
      id: routineId,
      same: (model, existing) => sameAggregate(model, existing) && !calls(existing),
      create: (aggregate) => ({ kind: 'createAggregate', aggregate }),
      key: nameKey,
      drop: [Phase.dropRoutine, 0],
      dropRemoved: [Phase.dropRemovedAggregate, 0],
      make: [Phase.createLateRoutine, 1],
      dropped: (existing) => recreated.add(functionName(existing)),
    }),
  )

  // --- Views.
  const views = compareViews(input, database, droppedRelations, recreated)
  changes.push(...views.changes)

  // --- Triggers and event triggers: dropped and created again when they change, or what they
  // are on or call is rebuilt.
  const changedColumns = columnsChanged(input.planned)
  changes.push(
    ...recreateChanged({
      models: models.triggers,
      normalized: normalized.triggers,
      database: database.triggers,
      id: triggerId,
      same: (model, existing) =>
        sameTrigger(model, existing) &&
        !views.rebuilt.has(tableId(existing.schema, existing.table)) &&
        !recreated.has(refName(existing.function)) &&
        !usesChangedColumn(existing, changedColumns, comparator),
      create: (trigger) => ({ kind: 'createTrigger', trigger }),
      key: triggerKey,
      drop: [Phase.dropTrigger, 1],
      dropRemoved: [Phase.dropTrigger, 1],
      make: [Phase.createTrigger, 0],
    }),
    ...recreateChanged({
      models: models.eventTriggers,
      normalized: models.eventTriggers,
      database: database.eventTriggers,
      id: (e) => e.name,
      same: (model, existing) =>
        sameJson(eventShape(model), eventShape(existing)) &&
        !recreated.has(refName(existing.function)),
      create: (eventTrigger) => ({ kind: 'createEventTrigger', eventTrigger }),
      key: (e) => [e.name],
      drop: [Phase.dropTrigger, 0],
      dropRemoved: [Phase.dropTrigger, 0],
      make: [Phase.createTrigger, 1],
    }),
  )

  return { changes, manual: [] }
}

/** How {@link recreateChanged} compares one kind of object that changes by drop and create. */
interface RecreateSpec<T> {
  readonly models: readonly T[]
  /** `models` in the database's spelling, same order. */
  readonly normalized: readonly T[]
  readonly database: readonly T[]
  readonly id: (def: T) => string
  /** The normalized model and the database's object need no change. */
  readonly same: (model: T, existing: T) => boolean
  readonly create: (def: T) => CodeObjectOp
  readonly key: (def: T) => readonly (string | number)[]
  /** Where a changed object's drop goes, and its sort key's first element. */
  readonly drop: readonly [Phase, number]
  /** The same for an object the models no longer have. */
  readonly dropRemoved: readonly [Phase, number]
  readonly make: readonly [Phase, number]
  /** Called for each database object dropped. */
  readonly dropped?: (existing: T) => void
}

/**
 * Objects a change drops and creates again (aggregates, triggers, event triggers): a new one is
 * created, a changed one dropped and created, a vanished one dropped, each carrying its
 * definition.
 */
function recreateChanged<T>(spec: RecreateSpec<T>): readonly PlannedChange[] {
  const changes: PlannedChange[] = []
  const held = new Map(spec.database.map((def) => [spec.id(def), def]))
  const seen = new Set<string>()
  const drop = (existing: T, [phase, first]: readonly [Phase, number]) => {
    spec.dropped?.(existing)
    changes.push(plan(phase, [first, ...spec.key(existing)], dropOf(spec.create(existing))))
  }
  spec.models.forEach((def, i) => {
    const norm = twinAt(spec.normalized, i, def, (a, b) => spec.id(a) === spec.id(b))
    const id = spec.id(norm)
    seen.add(id)
    const existing = held.get(id)
    if (existing !== undefined && spec.same(norm, existing)) return
    if (existing !== undefined) drop(existing, spec.drop)
    changes.push(plan(spec.make[0], [spec.make[1], ...spec.key(def)], spec.create(def)))
  })
  for (const existing of spec.database) {
    if (!seen.has(spec.id(existing))) drop(existing, spec.dropRemoved)
  }
  return changes
}

interface ViewComparison {
  readonly changes: readonly PlannedChange[]
  /** Views and materialized views that are dropped (and created again if the models keep them). */
  readonly rebuilt: ReadonlySet<string>
}

/**
 * Views: which are dropped, rebuilt, replaced or created. A database view is rebuilt when the
 * models change it in a way `CREATE OR REPLACE` cannot carry, when something it reads is dropped
 * or changes type (a table column, a function, a view that is itself rebuilt), and when a view it
 * reads gains columns in place (so that the downgrade, which must drop those columns again, can
 * drop and recreate it).
 */
function compareViews(
  input: CodeObjectComparison,
  database: SchemaSnapshot,
  droppedRelations: ReadonlySet<string>,
  recreatedFunctions: ReadonlySet<string>,
): ViewComparison {
  const changes: PlannedChange[] = []
  const models = input.models
  const normalized = input.normalized ?? models
  const modelViews = new Map(
    models.views.map((v, i) => [viewId(v), { def: v, norm: twinAt(normalized.views, i, v) }]),
  )
  const dbViews = new Map(database.views.map((v) => [viewId(v), v]))
  const changedColumns = columnsChanged(input.planned)
  const relationNames = new Set([
    ...database.views.map(viewId),
    ...database.tables.map((t) => tableId(t.schema, t.name)),
    ...database.functions.map(functionName),
    ...database.aggregates.map(functionName),
  ])
  const dbDependencies = new Map(
    database.views.map((v) => [viewId(v), dependenciesOf(v, relationNames, input.comparator)]),
  )

  const rebuilt = new Set<string>()
  const replaced = new Map<string, readonly string[]>()
  for (const [id, existing] of dbViews) {
    const model = modelViews.get(id)
    const reads = dbDependencies.get(id) ?? []
    const affected = reads.some(
      (dep) =>
        droppedRelations.has(dep.id) ||
        recreatedFunctions.has(dep.id) ||
        dep.columns.some((column) => changedColumns.has(`${dep.id}\u0000${column}`)) ||
        (dep.columns.length === 0 &&
          [...changedColumns].some((c) => c.startsWith(`${dep.id}\u0000`))),
    )
    if (model === undefined || affected || model.norm.materialized !== existing.materialized) {
      rebuilt.add(id)
      continue
    }
    // The query compares as the engine reads it: some store it rewritten (MySQL qualifies and
    // aliases every column), and only the engine knows which rewrites mean nothing.
    const sameQuery = input.comparator.sqlEquivalent(model.norm.definition, existing.definition)
    if (sameQuery && sameJson(viewShape(model.norm), viewShape(existing))) continue
    if (existing.materialized) {
      if (!sameQuery) rebuilt.add(id)
      continue
    }
    const added = addedColumns(model.norm, existing, sameQuery)
    if (added === undefined) rebuilt.add(id)
    else replaced.set(id, added)
  }
  // What reads a rebuilt view is rebuilt too; what reads a view that gains columns as well, so
  // that the downgrade can take those columns away.
  let grew = true
  while (grew) {
    grew = false
    for (const [id, reads] of dbDependencies) {
      if (rebuilt.has(id)) continue
      const readsChanged = reads.some(
        (dep) => rebuilt.has(dep.id) || (replaced.get(dep.id)?.length ?? 0) > 0,
      )
      if (readsChanged) {
        rebuilt.add(id)
        replaced.delete(id)
        grew = true
      }
    }
  }

  // Drops, what reads a view before the view.
  const dropOrder = dependencyOrder(
    [...rebuilt].map((id) => dbViews.get(id)!),
    (v) => (dbDependencies.get(viewId(v)) ?? []).map((d) => d.id),
  ).reverse()
  dropOrder.forEach((existing, rank) => {
    const view = plainView(existing)
    const create: CodeObjectOp = view.materialized
      ? { kind: 'createMaterializedView', view }
      : { kind: 'createView', view }
    changes.push(plan(Phase.dropView, [rank], dropOf(create)))
  })

  // Creations, replacements and index changes, what a view reads before the view.
  const modelNames = new Set(models.views.map(viewId))
  const toCreate = [...modelViews.values()].filter(({ def }) => {
    const id = viewId(def)
    return !dbViews.has(id) || rebuilt.has(id) || replaced.has(id) || needsIndexes(id)
  })
  // A kept materialized view whose comment or indexes change.
  function needsIndexes(id: string): boolean {
    const model = modelViews.get(id)
    const existing = dbViews.get(id)
    if (model === undefined || existing === undefined) return false
    return existing.materialized && !sameJson(viewShape(model.norm), viewShape(existing))
  }
  const ordered = dependencyOrder(
    toCreate.map(({ norm }) => norm),
    (v) => [
      ...v.dependsOn.map((d) => tableId(d.schema, d.name)),
      ...mentioned(v.definition, modelNames, input.comparator),
    ],
  )
  ordered.forEach((norm, rank) => {
    const id = viewId(norm)
    const { def } = modelViews.get(id)!
    const view = plainView(def)
    const existing = dbViews.get(id)
    if (existing === undefined || rebuilt.has(id)) {
      changes.push(
        plan(Phase.createView, [rank], {
          kind: view.materialized ? 'createMaterializedView' : 'createView',
          view,
        }),
      )
      return
    }
    const added = replaced.get(id)
    if (added !== undefined) {
      changes.push(
        plan(Phase.createView, [rank], {
          kind: 'replaceView',
          view,
          previous: plainView(existing),
          addedColumns: added,
        }),
      )
      return
    }
    // A materialized view whose query stays: its comment and indexes change in place.
    const norm2 = modelViews.get(id)!.norm
    if ((norm2.comment ?? null) !== (existing.comment ?? null)) {
      changes.push(
        plan(Phase.createView, [rank], {
          kind: 'replaceView',
          view,
          previous: plainView(existing),
          addedColumns: [],
        }),
      )
    }
    changes.push(...indexChanges(view, norm2.indexes, existing, rank))
  })
  return { changes, rebuilt }
}

/** `createIndex`/`dropIndex` for the indexes of a kept materialized view that differ. */
function indexChanges(
  view: ViewDef,
  normalized: readonly IndexDef[],
  existing: ViewDef,
  rank: number,
): readonly PlannedChange[] {
  const out: PlannedChange[] = []
  const shape = (index: IndexDef) => JSON.stringify({ ...index, name: '' })
  const modelByName = new Map(view.indexes.map((index, i) => [index.name, normalized[i] ?? index]))
  const dbByName = new Map(existing.indexes.map((index) => [index.name, index]))
  const base = { schema: view.schema, table: view.name, concurrently: false } as const
  for (const index of existing.indexes) {
    const model = modelByName.get(index.name)
    if (model !== undefined && shape(model) === shape(index)) continue
    out.push(
      plan(Phase.dropConstraint, [view.schema ?? '', view.name, index.name], {
        kind: 'dropIndex',
        ...base,
        name: index.name,
        ifExists: false,
        definition: index,
      }),
    )
  }
  for (const index of view.indexes) {
    const known = dbByName.get(index.name)
    const model = modelByName.get(index.name)!
    if (known !== undefined && shape(known) === shape(model)) continue
    out.push(
      plan(Phase.createView, [rank, index.name], {
        kind: 'createIndex',
        ...base,
        index,
        ifNotExists: false,
      }),
    )
  }
  return out
}

/**
 * The columns `model` adds at the end of `existing`'s, when `CREATE OR REPLACE VIEW` can make
 * the change: the existing columns first, same names and types, in order (manual, CREATE VIEW).
 * Undefined when it cannot, or when either side's columns are unknown.
 */
function addedColumns(
  model: ViewDef,
  existing: ViewDef,
  sameQuery: boolean,
): readonly string[] | undefined {
  if (model.columns.length === 0 || existing.columns.length === 0) {
    // Unknown columns: only a change that leaves the query alone is safe in place.
    return sameQuery ? [] : undefined
  }
  if (model.columns.length < existing.columns.length) return undefined
  const same = existing.columns.every(
    (column, i) => model.columns[i]?.name === column.name && model.columns[i]?.type === column.type,
  )
  return same ? model.columns.slice(existing.columns.length).map((c) => c.name) : undefined
}

/** What a database view reads, as ids: its recorded dependencies, else names in its query. */
function dependenciesOf(
  view: ViewDef,
  known: ReadonlySet<string>,
  comparator: Comparator,
): readonly { readonly id: string; readonly columns: readonly string[] }[] {
  if (view.dependsOn.length > 0) {
    return view.dependsOn.map((d) => ({ id: tableId(d.schema, d.name), columns: d.columns }))
  }
  return mentioned(view.definition, known, comparator).map((id) => ({ id, columns: [] }))
}

/**
 * The ids among `known` that an SQL text names: each name, alone (default schema) or after a
 * schema and a dot. A column or alias of the same name makes a false match, which only orders or
 * rebuilds more than needed.
 */
function mentioned(
  sql: string,
  known: ReadonlySet<string>,
  comparator: Comparator,
): readonly string[] {
  const out = new Set<string>()
  for (const { name, qualifier } of comparator.namesIn(sql)) {
    if (qualifier !== undefined && known.has(tableId(qualifier, name))) {
      out.add(tableId(qualifier, name))
    }
    if (known.has(tableId(undefined, name))) out.add(tableId(undefined, name))
  }
  return [...out]
}

/** Items ordered so that each comes after those it depends on (among them), ties by name. */
function dependencyOrder<T extends { readonly schema: string | undefined; readonly name: string }>(
  items: readonly T[],
  dependsOn: (item: T) => readonly string[],
): T[] {
  const byId = new Map(items.map((item) => [tableId(item.schema, item.name), item]))
  const sorted = [...byId.keys()].sort()
  const out: T[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (id: string): void => {
    if (state.has(id)) return
    state.set(id, 'visiting')
    for (const dep of dependsOn(byId.get(id)!)) {
      if (dep !== id && byId.has(dep)) visit(dep)
    }
    state.set(id, 'done')
    out.push(byId.get(id)!)
  }
  for (const id of sorted) visit(id)
  return out
}

/**
 * Tables, views and materialized views that the planned operations drop, or whose columns they
 * drop or change the type of (as `tableId`s).
 */
function relationsDropped(
  planned: readonly PlannedChange[],
  models: SchemaSnapshot,
  database: SchemaSnapshot,
): ReadonlySet<string> {
  const out = new Set<string>()
  for (const { change } of planned) {
    const op = change.op
    if (op.kind === 'dropTable') out.add(tableId(op.schema, op.name))
    if (op.kind === 'dropPartition') out.add(tableId(op.partitionSchema, op.name))
  }
  const kept = new Set(models.views.map(viewId))
  for (const v of database.views) if (!kept.has(viewId(v))) out.add(viewId(v))
  return out
}

/** Tables and views the planned operations and the models create. */
function relationsCreated(
  planned: readonly PlannedChange[],
  models: SchemaSnapshot,
  database: SchemaSnapshot,
): ReadonlySet<string> {
  const out = new Set<string>()
  for (const { change } of planned) {
    if (change.op.kind === 'createTable') {
      out.add(tableId(change.op.table.schema, change.op.table.name))
    }
  }
  const existing = new Set(database.views.map(viewId))
  for (const v of models.views) if (!existing.has(viewId(v))) out.add(viewId(v))
  return out
}

/** `tableId \0 column` of the columns the planned operations drop or change the type of. */
function columnsChanged(planned: readonly PlannedChange[]): ReadonlySet<string> {
  const out = new Set<string>()
  for (const { change } of planned) {
    const op = change.op
    if (op.kind === 'dropColumn') out.add(`${tableId(op.schema, op.table)}\u0000${op.column}`)
    if (
      op.kind === 'alterColumn' &&
      (op.changes.type !== undefined || op.changes.collation !== undefined)
    ) {
      out.add(`${tableId(op.schema, op.table)}\u0000${op.column}`)
    }
  }
  return out
}

/** A trigger naming a changed column in `UPDATE OF` or its condition depends on that column. */
function usesChangedColumn(
  trigger: TriggerDef,
  changed: ReadonlySet<string>,
  comparator: Comparator,
): boolean {
  const table = tableId(trigger.schema, trigger.table)
  const words = new Set(
    trigger.when === undefined ? [] : comparator.namesIn(trigger.when).map((n) => n.name),
  )
  for (const key of changed) {
    if (!key.startsWith(`${table}\u0000`)) continue
    const column = key.slice(table.length + 1)
    if (trigger.updateOf.includes(column) || words.has(column)) return true
  }
  return false
}

/** The database with triggers on renamed tables following their table. */
function renamedDatabase(database: SchemaSnapshot, renames: RenamePlan): SchemaSnapshot {
  if (renames.tables.length === 0 && renames.columns.length === 0) return database
  const tableName = new Map(renames.tables.map((r) => [tableId(r.schema, r.from), r.to]))
  const columnName = new Map(
    renames.columns.map((r) => [`${tableId(r.schema, r.table)}\u0000${r.from}`, r.to]),
  )
  return {
    ...database,
    triggers: database.triggers.map((t) => {
      const table = tableName.get(tableId(t.schema, t.table)) ?? t.table
      const id = tableId(t.schema, table)
      return {
        ...t,
        table,
        updateOf: t.updateOf.map((c) => columnName.get(`${id}\u0000${c}`) ?? c),
      }
    }),
  }
}

function twinAt<T>(
  list: readonly T[],
  i: number,
  model: T,
  same: (a: T, b: T) => boolean = (a, b) =>
    (a as { name?: unknown }).name === (b as { name?: unknown }).name &&
    (a as { schema?: unknown }).schema === (b as { schema?: unknown }).schema,
): T {
  const twin = list[i]
  return twin !== undefined && same(twin, model) ? twin : model
}

function viewShape(v: ViewDef) {
  return {
    materialized: v.materialized,
    checkOption: v.checkOption ?? null,
    securityBarrier: v.securityBarrier,
    securityInvoker: v.securityInvoker,
    comment: v.comment ?? null,
    indexes: v.indexes,
  }
}

/** A view as an operation carries it: without derived data. */
function plainView(v: ViewDef): ViewDef {
  return { ...v, columns: [], dependsOn: [] }
}

function sameFunction(a: FunctionDef, b: FunctionDef): boolean {
  return sameJson({ ...a, comment: a.comment ?? null }, { ...b, comment: b.comment ?? null })
}

/**
 * Whether `CREATE OR REPLACE` can turn `existing` into `model` and back: the same kind and
 * result, the same parameters (modes, names, types) and the same parameters with a default
 * (PostgreSQL refuses to rename an input parameter, to change the result or the `OUT`
 * parameters, and to remove a default; manual, CREATE FUNCTION).
 */
function replaceable(model: FunctionDef, existing: FunctionDef): boolean {
  const shape = (f: FunctionDef) => ({
    kind: f.kind,
    returns: f.returns ?? null,
    parameters: f.parameters.map((p) => [p.mode, p.name ?? null, p.type, p.default !== undefined]),
  })
  return sameJson(shape(model), shape(existing))
}

function sameAggregate(a: AggregateDef, b: AggregateDef): boolean {
  return sameJson({ ...a, comment: a.comment ?? null }, { ...b, comment: b.comment ?? null })
}

function sameTrigger(a: TriggerDef, b: TriggerDef): boolean {
  const shape = (t: TriggerDef) => ({
    ...t,
    when: t.when ?? null,
    oldTable: t.oldTable ?? null,
    newTable: t.newTable ?? null,
  })
  return sameJson(shape(a), shape(b))
}

function eventShape(e: EventTriggerDef) {
  return { event: e.event, tags: [...e.tags].sort(), function: e.function }
}

/**
 * JSON equality with object keys in any order and `undefined` properties absent, so that two
 * snapshots built in different ways compare by content.
 */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  )
}

/**
 * The drop of what a creation creates, carrying its definition: the creation's reverse.
 */
function dropOf(create: CodeObjectOp): MigrationOp {
  return reverseCodeObjectOp(create)[0]!
}

function createRoutine(def: FunctionDef): CodeObjectOp {
  return def.kind === 'function'
    ? { kind: 'createFunction', function: def }
    : { kind: 'createProcedure', procedure: def }
}

function replaceRoutine(def: FunctionDef, previous: FunctionDef): MigrationOp {
  return def.kind === 'function'
    ? { kind: 'replaceFunction', function: def, previous }
    : { kind: 'replaceProcedure', procedure: def, previous }
}

/** The text of a routine's signature and result, where a row type may be named. */
function signatureText(def: FunctionDef): string {
  return [...def.parameters.map((p) => p.type), def.returns ?? ''].join(' , ')
}

function mentionsAny(sql: string, ids: ReadonlySet<string>, comparator: Comparator): boolean {
  return ids.size > 0 && mentioned(sql, ids, comparator).length > 0
}

function routineId(def: FunctionDef | AggregateDef): string {
  return routineKey(def.schema, def.name, def.parameters)
}

function functionName(def: { readonly schema: string | undefined; readonly name: string }): string {
  return tableId(def.schema, def.name)
}

function refName(ref: { readonly schema: string | undefined; readonly name: string }): string {
  return tableId(ref.schema, ref.name)
}

function viewId(v: ViewDef): string {
  return tableId(v.schema, v.name)
}

function triggerId(t: TriggerDef): string {
  return `${tableId(t.schema, t.table)}\u0000${t.name}`
}

function nameKey(def: { readonly schema: string | undefined; readonly name: string }): string[] {
  return [def.schema ?? '', def.name]
}

function triggerKey(t: TriggerDef): string[] {
  return [t.schema ?? '', t.table, t.name]
}
