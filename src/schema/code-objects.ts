import { byQualifiedName } from './by-qualified-name.ts'
import type { NamingConvention } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import {
  AGGREGATE_DEF,
  type Aggregate,
  type DbFunction,
  FUNCTION_DEF,
  isAggregate,
  isDbFunction,
} from './routine.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  EventTriggerDef,
  FunctionDef,
  SchemaSnapshot,
  TableDef,
  TriggerDef,
} from './schema-snapshot.ts'
import { type AnyTable, TABLE } from './table.ts'
import { compare } from './to-column-def.ts'
import { callExtras } from './to-table-def.ts'
import {
  EVENT_TRIGGER_DEF,
  type EventTrigger,
  isEventTrigger,
  isTrigger,
  type Trigger,
  toTriggerDef,
} from './trigger.ts'
import { isView, toViewDef, type View } from './view.ts'

/**
 * The objects of a model that are made of code rather than of rows: views, functions,
 * procedures, aggregates, triggers and event triggers, as `defineSchema` found them among its
 * entries.
 */
export interface CodeObjects {
  readonly views: readonly View[]
  /** Functions and procedures. */
  readonly functions: readonly DbFunction[]
  readonly aggregates: readonly Aggregate[]
  /** Triggers given as entries (with `on`); those in tables' extras are found on the tables. */
  readonly triggers: readonly Trigger[]
  readonly eventTriggers: readonly EventTrigger[]
}

/** The snapshot lists {@link codeObjectsSnapshot} fills. */
export type CodeObjectsSnapshot = Pick<
  SchemaSnapshot,
  'views' | 'functions' | 'aggregates' | 'triggers' | 'eventTriggers'
>

/** Picks the views, functions, aggregates, triggers and event triggers among `values`. */
export function listCodeObjects(values: Iterable<unknown>): CodeObjects {
  const views = new Set<View>()
  const functions = new Set<DbFunction>()
  const aggregates = new Set<Aggregate>()
  const triggers = new Set<Trigger>()
  const eventTriggers = new Set<EventTrigger>()
  for (const value of values) {
    if (isView(value)) views.add(value)
    else if (isDbFunction(value)) functions.add(value)
    else if (isAggregate(value)) aggregates.add(value)
    else if (isTrigger(value)) triggers.add(value)
    else if (isEventTrigger(value)) eventTriggers.add(value)
  }
  return Object.freeze({
    views: Object.freeze([...views]),
    functions: Object.freeze([...functions]),
    aggregates: Object.freeze([...aggregates]),
    triggers: Object.freeze([...triggers]),
    eventTriggers: Object.freeze([...eventTriggers]),
  })
}

/**
 * The code objects as snapshot lists, each sorted by schema and name (triggers by table, then
 * name): the listed ones, the triggers of the tables' extras, and the functions triggers execute
 * and aggregates call when given as `dbFunction` objects. A name used twice for different
 * definitions, a view named like a table, and a trigger on a table or view the model lacks are
 * refused.
 */
export function codeObjectsSnapshot(
  listed: CodeObjects,
  tables: readonly AnyTable[],
  tableDefs: readonly TableDef[],
  convention: NamingConvention,
): CodeObjectsSnapshot {
  const functions = new Map<string, FunctionDef>()
  const addFunction = (def: FunctionDef): void => {
    const key = routineKey(def.schema, def.name, def.parameters)
    const known = functions.get(key)
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(def)) {
      throw duplicate(`${def.kind} ${quoteQualifiedName(def.schema, def.name)}`)
    }
    functions.set(key, def)
  }
  for (const fn of listed.functions) addFunction(fn[FUNCTION_DEF])

  const triggerDefs: TriggerDef[] = []
  const addTrigger = (declared: Trigger, owner: AnyTable | undefined): void => {
    triggerDefs.push(
      toTriggerDef(
        declared,
        owner === undefined ? undefined : { schema: owner[TABLE].schema, name: owner[TABLE].name },
      ),
    )
    const executed = declared.options.execute
    if (isDbFunction(executed)) addFunction(executed[FUNCTION_DEF])
  }
  for (const table of tables) {
    const where = quoteQualifiedName(table[TABLE].schema, table[TABLE].name)
    for (const extra of callExtras(table, where)) {
      if (isTrigger(extra)) addTrigger(extra, table)
    }
  }
  for (const declared of listed.triggers) addTrigger(declared, undefined)

  const views = uniqueByName(
    'view',
    listed.views.map((v) => toViewDef(v, convention)),
  )
  const aggregates = uniqueByName(
    'aggregate',
    listed.aggregates.map((a) => a[AGGREGATE_DEF]),
  )
  const eventTriggers = uniqueByName(
    'event trigger',
    listed.eventTriggers.map((e) => ({ schema: undefined, ...e[EVENT_TRIGGER_DEF] })),
  ).map(({ schema: _, ...def }): EventTriggerDef => def)

  const relations = new Map<string, string>()
  for (const table of tableDefs) relations.set(qualified(table.schema, table.name), 'table')
  for (const v of views) {
    const key = qualified(v.schema, v.name)
    if (relations.has(key)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `view ${key} has the name of a table, and PostgreSQL keeps both in one namespace; rename one`,
      )
    }
    relations.set(key, 'view')
  }
  const seenTriggers = new Set<string>()
  for (const t of triggerDefs) {
    const on = qualified(t.schema, t.table)
    if (!relations.has(on)) {
      throw new SchemaModelError(
        'UNRESOLVED_REFERENCE',
        `trigger ${t.name} is on ${on}, which is not a table or view of the model; add it to defineSchema({ ... })`,
      )
    }
    const key = `${on}\u0000${t.name}`
    if (seenTriggers.has(key)) throw duplicate(`trigger ${t.name} on ${on}`)
    seenTriggers.add(key)
  }

  return {
    views,
    functions: [...functions.values()].sort(compareRoutines),
    aggregates,
    triggers: triggerDefs.sort(
      (a, b) =>
        compare(a.schema ?? '', b.schema ?? '') ||
        compare(a.table, b.table) ||
        compare(a.name, b.name),
    ),
    eventTriggers,
  }
}

/**
 * The identity of a function, procedure or aggregate: schema, name and the types of the
 * parameters that are not `OUT` (PostgreSQL tells overloads apart by them).
 */
export function routineKey(
  schema: string | undefined,
  name: string,
  parameters: readonly { readonly mode: string; readonly type: string }[],
): string {
  return JSON.stringify([
    schema ?? null,
    name,
    parameters.filter((p) => p.mode !== 'out').map((p) => p.type),
  ])
}

/**
 * Orders functions and procedures by schema and name, overloads by the types of their
 * parameters that are not `OUT`: the order of a snapshot's `functions`.
 */
export function compareRoutines(a: FunctionDef, b: FunctionDef): number {
  return byQualifiedName(a, b) || compare(signatureText(a.parameters), signatureText(b.parameters))
}

function signatureText(parameters: FunctionDef['parameters']): string {
  return parameters
    .filter((p) => p.mode !== 'out')
    .map((p) => p.type)
    .join(',')
}

function uniqueByName<T extends { readonly schema: string | undefined; readonly name: string }>(
  what: string,
  defs: readonly T[],
): T[] {
  const byName = new Map<string, T>()
  for (const def of defs) {
    const key = qualified(def.schema, def.name)
    const known = byName.get(key)
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(def)) {
      throw duplicate(`${what} ${key}`)
    }
    byName.set(key, def)
  }
  return [...byName.values()].sort(byQualifiedName)
}

function duplicate(what: string): SchemaModelError {
  return new SchemaModelError(
    'DUPLICATE_NAME',
    `the model declares ${what} twice, differently; declare it once and reuse it`,
  )
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}
