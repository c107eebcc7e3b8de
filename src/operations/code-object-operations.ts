import type { NamingConvention } from '../schema/naming-convention.ts'
import {
  AGGREGATE_DEF,
  type Aggregate,
  type DbFunction,
  FUNCTION_DEF,
  isAggregate,
  isDbFunction,
} from '../schema/routine.ts'
import { SchemaModelError } from '../schema/schema-model-error.ts'
import type { FunctionDef, ViewDef } from '../schema/schema-snapshot.ts'
import {
  EVENT_TRIGGER_DEF,
  type EventTrigger,
  isEventTrigger,
  isTrigger,
  type Trigger,
  toTriggerDef,
} from '../schema/trigger.ts'
import { isView, toViewDef, type View } from '../schema/view.ts'
import type { MigrationOp } from './migration-op.ts'
import { signatureOf } from './reverse-code-objects.ts'
import type { DropObjectOptions } from './schema-object-ops.ts'

/**
 * Builds the operations of the `op` facade's methods on views, functions, procedures,
 * aggregates, triggers and event triggers from DSL declarations or names.
 */

/**
 * A view as an operation carries it: its definition, without what only the database knows
 * (`columns`) nor ordering hints (`dependsOn`), which operations do not need.
 */
export function viewOfOp(view: View, convention: NamingConvention): ViewDef {
  if (!isView(view)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      "this operation needs a view declared with view('name', sql`...`) or materializedView(...)",
    )
  }
  return { ...toViewDef(view, convention), columns: [], dependsOn: [] }
}

/** `createView` or `createMaterializedView`, as the declaration says. */
export function createViewOp(view: View, convention: NamingConvention): MigrationOp {
  const def = viewOfOp(view, convention)
  return def.materialized
    ? { kind: 'createMaterializedView', view: def }
    : { kind: 'createView', view: def }
}

/** `dropView` or `dropMaterializedView` of a declaration (reversible) or a name. */
export function dropViewOp(
  kind: 'dropView' | 'dropMaterializedView',
  view: string | View,
  options: DropObjectOptions,
  convention: NamingConvention,
): MigrationOp {
  const definition = typeof view === 'string' ? undefined : viewOfOp(view, convention)
  if (definition !== undefined && definition.materialized !== (kind === 'dropMaterializedView')) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `view ${definition.name} is ${definition.materialized ? '' : 'not '}materialized; use op.${definition.materialized ? 'dropMaterializedView' : 'dropView'}`,
    )
  }
  return {
    kind,
    schema: definition?.schema ?? options.schema,
    name: definition?.name ?? (view as string),
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition,
  }
}

/** `replaceView`, with what it replaces when given. */
export function replaceViewOp(
  view: View,
  options: { readonly previous?: View; readonly addedColumns?: readonly string[] },
  convention: NamingConvention,
): MigrationOp {
  return {
    kind: 'replaceView',
    view: viewOfOp(view, convention),
    previous: options.previous === undefined ? undefined : viewOfOp(options.previous, convention),
    addedColumns: [...(options.addedColumns ?? [])],
  }
}

/** `createFunction`/`createProcedure` of a declaration. */
export function createRoutineOp(
  kind: 'createFunction' | 'createProcedure',
  routine: DbFunction,
): MigrationOp {
  const def = routineDef(routine, kind === 'createFunction' ? 'function' : 'procedure')
  return kind === 'createFunction'
    ? { kind, function: def }
    : { kind: 'createProcedure', procedure: def }
}

/** `replaceFunction`/`replaceProcedure` of a declaration, with what it replaces when given. */
export function replaceRoutineOp(
  kind: 'replaceFunction' | 'replaceProcedure',
  routine: DbFunction,
  previous: DbFunction | undefined,
): MigrationOp {
  const what = kind === 'replaceFunction' ? 'function' : 'procedure'
  const def = routineDef(routine, what)
  const before = previous === undefined ? undefined : routineDef(previous, what)
  return kind === 'replaceFunction'
    ? { kind, function: def, previous: before }
    : { kind: 'replaceProcedure', procedure: def, previous: before }
}

/** `dropFunction`/`dropProcedure`/`dropAggregate` of a declaration (reversible) or a name. */
export function dropRoutineOp(
  kind: 'dropFunction' | 'dropProcedure' | 'dropAggregate',
  target: string | DbFunction | Aggregate,
  options: DropObjectOptions & { readonly parameters?: readonly string[] },
): MigrationOp {
  const flags = { ifExists: options.ifExists ?? false, cascade: options.cascade ?? false }
  if (typeof target === 'string') {
    return {
      kind,
      schema: options.schema,
      name: target,
      parameters: options.parameters === undefined ? undefined : [...options.parameters],
      ...flags,
      definition: undefined,
    }
  }
  if (kind === 'dropAggregate') {
    if (!isAggregate(target)) throw notA('an aggregate declared with aggregate()')
    const definition = target[AGGREGATE_DEF]
    const base = { schema: definition.schema, name: definition.name }
    return { kind, ...base, parameters: signatureOf(definition.parameters), ...flags, definition }
  }
  const definition = routineDef(
    target as DbFunction,
    kind === 'dropFunction' ? 'function' : 'procedure',
  )
  const base = { schema: definition.schema, name: definition.name }
  return { kind, ...base, parameters: signatureOf(definition.parameters), ...flags, definition }
}

/** `createAggregate` of a declaration. */
export function createAggregateOp(aggregate: Aggregate): MigrationOp {
  if (!isAggregate(aggregate)) throw notA('an aggregate declared with aggregate()')
  return { kind: 'createAggregate', aggregate: aggregate[AGGREGATE_DEF] }
}

/** `createTrigger` of a declaration that names its table (`on`). */
export function createTriggerOp(trigger: Trigger): MigrationOp {
  if (!isTrigger(trigger)) throw notA("a trigger declared with trigger('name', { on, ... })")
  return { kind: 'createTrigger', trigger: toTriggerDef(trigger, undefined) }
}

/** `dropTrigger` of a declaration (reversible) or of a name on a table. */
export function dropTriggerOp(
  trigger: string | Trigger,
  table: string | undefined,
  options: DropObjectOptions,
): MigrationOp {
  const flags = { ifExists: options.ifExists ?? false, cascade: options.cascade ?? false }
  if (typeof trigger !== 'string') {
    if (!isTrigger(trigger)) throw notA("a trigger declared with trigger('name', { on, ... })")
    const definition = toTriggerDef(trigger, undefined)
    const { schema, table: on, name } = definition
    return { kind: 'dropTrigger', schema, table: on, name, ...flags, definition }
  }
  if (table === undefined || table === '') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `op.dropTrigger('${trigger}') needs the table it is on: op.dropTrigger('${trigger}', 'table')`,
    )
  }
  return {
    kind: 'dropTrigger',
    schema: options.schema,
    table,
    name: trigger,
    ...flags,
    definition: undefined,
  }
}

/** `createEventTrigger` of a declaration. */
export function createEventTriggerOp(trigger: EventTrigger): MigrationOp {
  if (!isEventTrigger(trigger)) throw notA('an event trigger declared with eventTrigger()')
  return { kind: 'createEventTrigger', eventTrigger: trigger[EVENT_TRIGGER_DEF] }
}

/** `dropEventTrigger` of a declaration (reversible) or a name. */
export function dropEventTriggerOp(
  trigger: string | EventTrigger,
  options: Omit<DropObjectOptions, 'schema'>,
): MigrationOp {
  const definition = typeof trigger === 'string' ? undefined : eventTriggerDef(trigger)
  return {
    kind: 'dropEventTrigger',
    name: definition?.name ?? (trigger as string),
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition,
  }
}

function eventTriggerDef(trigger: EventTrigger) {
  if (!isEventTrigger(trigger)) throw notA('an event trigger declared with eventTrigger()')
  return trigger[EVENT_TRIGGER_DEF]
}

function routineDef(routine: DbFunction, kind: 'function' | 'procedure'): FunctionDef {
  if (!isDbFunction(routine)) {
    throw notA(kind === 'function' ? 'a function declared with dbFunction()' : 'a procedure')
  }
  const def = routine[FUNCTION_DEF]
  if (def.kind !== kind) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${def.name} is a ${def.kind}, not a ${kind}; use the ${def.kind} operations`,
    )
  }
  return def
}

function notA(what: string): SchemaModelError {
  return new SchemaModelError('INVALID_ARGUMENT', `this operation needs ${what}`)
}
