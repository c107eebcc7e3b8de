import { normalizeSchema } from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { type FunctionTarget, functionRef } from './routine.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { EventTriggerDef, TriggerDef, TriggerEvent } from './schema-snapshot.ts'
import { SqlFragment } from './sql.ts'
import { isTable, TABLE } from './table.ts'
import { TableColumn } from './table-column.ts'
import type { Trigger, TriggerOptions } from './trigger-options.ts'
import { isView } from './view.ts'

export type { Trigger, TriggerEvents, TriggerOptions } from './trigger-options.ts'

/** Options of {@link eventTrigger}. */
export interface EventTriggerOptions {
  /** `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite` (or `login`, 17+). */
  readonly on: 'ddl_command_start' | 'ddl_command_end' | 'sql_drop' | 'table_rewrite' | 'login'
  /** `WHEN TAG IN (...)`: the commands it fires for (`'CREATE TABLE'`); default all. */
  readonly tags?: readonly string[]
  /** The function (`RETURNS event_trigger`): a `dbFunction`, its name, or `{ schema, name }`. */
  readonly execute: FunctionTarget
}

/** An event trigger declared with {@link eventTrigger}. */
export interface EventTrigger {
  readonly kind: 'eventTrigger'
  readonly [EVENT_TRIGGER_DEF]: EventTriggerDef
}

/** The key under which an event trigger keeps its {@link EventTriggerDef}. */
export const EVENT_TRIGGER_DEF: unique symbol = Symbol.for('aludel.eventTriggerDef')

/** PostgreSQL's order of events in a trigger (the bits of `pg_trigger.tgtype`). */
const EVENT_ORDER: readonly TriggerEvent[] = ['insert', 'delete', 'update', 'truncate']

/**
 * Declares a trigger: in a table's extras (`(t) => [trigger(...)]`) it fires on that table; as a
 * model entry it names its table or view with `on`. Autogenerate creates triggers once their
 * function, table or view exist, and drops and recreates one that changes.
 *
 * @example
 * export const film = table('film', { ... }, (t) => [
 *   trigger('last_updated', { before: ['update'], forEach: 'row', execute: lastUpdated }),
 * ])
 * export const audit = trigger('film_audit', {
 *   on: film,
 *   after: ['insert', 'update', 'delete'],
 *   forEach: 'row',
 *   when: sql`pg_trigger_depth() = 0`,
 *   execute: 'audit.log_change',
 *   arguments: ['film'],
 * })
 */
export function trigger(name: string, options: TriggerOptions): Trigger {
  checkExplicitName('trigger name', name)
  if (typeof options !== 'object' || options === null) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `trigger ${name} needs options, like { before: ['update'], forEach: 'row', execute: fn }`,
    )
  }
  // Checked now, so that a mistake points at the declaration; the table comes later.
  toTriggerDef({ kind: 'trigger', name, options }, { schema: undefined, name: '' })
  return Object.freeze({ kind: 'trigger', name, options: Object.freeze({ ...options }) })
}

/** True for a value made by `trigger()`. */
export function isTrigger(value: unknown): value is Trigger {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'trigger' &&
    typeof (value as { name?: unknown }).name === 'string'
  )
}

/**
 * The trigger as a {@link TriggerDef} on `owner` (the table whose extras hold it); a trigger
 * declared with `on` uses that.
 */
export function toTriggerDef(
  declared: Trigger,
  owner: { readonly schema: string | undefined; readonly name: string } | undefined,
): TriggerDef {
  const { name, options } = declared
  const what = `trigger ${name}`
  const on = options.on
  let target = owner
  if (on !== undefined) {
    if (typeof on === 'string' && on !== '') {
      target = { schema: normalizeSchema(options.schema), name: on }
    } else if (isTable(on)) target = { schema: on[TABLE].schema, name: on[TABLE].name }
    else if (isView(on)) target = { schema: on.schema, name: on.name }
    else {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `${what} must be on a table() or view(), or a table's name; pass it as on`,
      )
    }
  }
  if (target === undefined) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} says no table: declare it in a table's extras, or give it { on: table }`,
    )
  }
  const timings = (
    [
      ['before', options.before],
      ['after', options.after],
      ['instead of', options.insteadOf],
    ] as const
  ).filter(([, events]) => events !== undefined)
  if (timings.length !== 1) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} needs exactly one of before, after and insteadOf, like { before: ['update'] }`,
    )
  }
  const [timing, events] = timings[0]!
  if (!Array.isArray(events) || events.length === 0) {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} needs at least one event`)
  }
  for (const event of events) {
    if (!EVENT_ORDER.includes(event)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `${what} has event ${JSON.stringify(event)}; use insert, update, delete or truncate`,
      )
    }
  }
  const updateOf = (options.updateOf ?? []).map((column) =>
    column instanceof TableColumn ? column.name : String(column),
  )
  if (updateOf.length > 0 && !events.includes('update')) {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} has updateOf without an update event`)
  }
  const forEach = options.forEach ?? 'statement'
  if (forEach !== 'row' && forEach !== 'statement') {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} has forEach ${String(forEach)}`)
  }
  const when = options.when
  return {
    schema: target.schema,
    table: target.name,
    name,
    timing,
    events: EVENT_ORDER.filter((event) => events.includes(event)),
    updateOf,
    forEach,
    when:
      when === undefined ? undefined : when instanceof SqlFragment ? when.toSql() : String(when),
    function: functionRef(executed(options.execute, what), what),
    arguments: (options.arguments ?? []).map(String),
    oldTable: options.oldTable,
    newTable: options.newTable,
  }
}

/**
 * Declares an event trigger (`CREATE EVENT TRIGGER`, which needs a superuser): a function run on
 * DDL commands of the whole database.
 *
 * @example
 * export const noDrops = eventTrigger('no_drops', {
 *   on: 'sql_drop',
 *   tags: ['DROP TABLE'],
 *   execute: refuseDrops,
 * })
 */
export function eventTrigger(name: string, options: EventTriggerOptions): EventTrigger {
  checkExplicitName('event trigger name', name)
  const what = `event trigger ${name}`
  if (typeof options?.on !== 'string' || (options.on as string) === '') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} needs its event, like { on: 'ddl_command_end' }`,
    )
  }
  const def: EventTriggerDef = Object.freeze({
    name,
    event: options.on,
    tags: [...new Set((options.tags ?? []).map((tag) => String(tag).toUpperCase()))].sort(),
    function: functionRef(options.execute, what),
  })
  return Object.freeze({ kind: 'eventTrigger', [EVENT_TRIGGER_DEF]: def })
}

/** True for a value made by `eventTrigger()`. */
export function isEventTrigger(value: unknown): value is EventTrigger {
  return typeof value === 'object' && value !== null && EVENT_TRIGGER_DEF in value
}

function executed(target: unknown, what: string): FunctionTarget {
  if (typeof target === 'string' || (typeof target === 'object' && target !== null)) {
    return target as FunctionTarget
  }
  throw new SchemaModelError(
    'INVALID_ARGUMENT',
    `${what} executes a function declared with dbFunction(), or named by a string`,
  )
}
