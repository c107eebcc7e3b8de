/**
 * Reads views, materialized views, functions, procedures, aggregates, triggers and event
 * triggers from PostgreSQL's catalogs, with a fixed number of queries whatever their number.
 */

import { byQualifiedName } from '../../schema/by-qualified-name.ts'
import { compareRoutines } from '../../schema/code-objects.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  FunctionParameterDef,
  FunctionRef,
  IndexDef,
  ObjectDependency,
  SchemaSnapshot,
  TriggerDef,
  TriggerEvent,
  ViewDef,
} from '../../schema/schema-snapshot.ts'
import { compare } from '../../schema/to-column-def.ts'
import type { Connection } from '../connection.ts'
import { splitSqlList } from './postgres-partition-text.ts'

/** The snapshot lists this module reads. */
export type CodeObjectLists = Pick<
  SchemaSnapshot,
  'views' | 'functions' | 'aggregates' | 'triggers' | 'eventTriggers'
>

/** No code objects: what a read of the temporary schema (normalization) starts from. */
export const NO_CODE_OBJECTS: CodeObjectLists = Object.freeze({
  views: [],
  functions: [],
  aggregates: [],
  triggers: [],
  eventTriggers: [],
})

/** Where to read and how to name what is read. */
export interface CodeObjectReadOptions {
  /** An SQL condition on the namespace `n` of each object. */
  readonly filter: string
  /** The parameters `filter` refers to (`$1`). */
  readonly params: readonly unknown[]
  /** The schema as the snapshot spells it (undefined for the default schema). */
  readonly schemaOf: (schema: string) => string | undefined
  /** `server_version_num`. */
  readonly version: number
  /** Relations to leave out, like the catalog reader's `excludeTables`. */
  readonly excluded: (schema: string, name: string) => boolean
  /** The tables read (by oid), on which triggers are read too. */
  readonly tables: ReadonlySet<number>
  /** Read event triggers, which belong to no schema (not when reading given schemas only). */
  readonly eventTriggers: boolean
  /**
   * The SQL condition that an object (`oid` of `catalog`) is no extension's member; the catalog
   * reader's, so that both leave out the same objects.
   */
  readonly notExtensionMember: (catalog: string, oid: string) => string
  /**
   * The indexes of relations (materialized views here), read as the catalog reader reads a
   * table's; `names` gives each relation's columns by number.
   */
  readonly indexesOf: (
    relations: readonly { readonly oid: number; readonly names: ReadonlyMap<number, string> }[],
  ) => Promise<ReadonlyMap<number, readonly IndexDef[]>>
}

interface ViewRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly materialized: boolean
  readonly definition: string | null
  readonly options: readonly string[] | null
  readonly populated: boolean
  readonly comment: string | null
  readonly column_nums: readonly number[]
  readonly column_names: readonly string[]
  readonly column_types: readonly string[]
}

interface DependencyRow {
  readonly view: number
  readonly schema: string
  readonly name: string
  readonly column: string | null
}

interface RoutineRow {
  readonly schema: string
  readonly name: string
  readonly kind: 'f' | 'p'
  readonly arguments: string
  readonly returns: string | null
  readonly language: string
  readonly body: string
  readonly sql_body: string | null
  readonly volatility: 'v' | 's' | 'i'
  readonly strict: boolean
  readonly security_definer: boolean
  readonly leakproof: boolean
  readonly parallel: 'u' | 'r' | 's'
  readonly cost: number
  readonly rows: number
  readonly returns_set: boolean
  readonly config: readonly string[] | null
  readonly comment: string | null
  readonly arg_names: readonly string[] | null
  readonly arg_modes: readonly string[] | null
  readonly arg_types: readonly string[]
}

interface AggregateRow {
  readonly schema: string
  readonly name: string
  readonly arguments: string
  readonly arg_names: readonly string[] | null
  readonly arg_modes: readonly string[] | null
  readonly arg_types: readonly string[]
  readonly sfunc_schema: string
  readonly sfunc_name: string
  readonly stype: string
  readonly ffunc_schema: string | null
  readonly ffunc_name: string | null
  readonly cfunc_schema: string | null
  readonly cfunc_name: string | null
  readonly initcond: string | null
  readonly parallel: 'u' | 'r' | 's'
  readonly comment: string | null
}

interface TriggerRow {
  readonly rel: number
  readonly schema: string
  readonly table: string
  readonly name: string
  readonly type: number
  readonly update_of: readonly string[]
  readonly definition: string
  readonly function_schema: string
  readonly function_name: string
  readonly args: Uint8Array | null
  readonly nargs: number
  readonly old_table: string | null
  readonly new_table: string | null
}

interface EventTriggerRow {
  readonly name: string
  readonly event: string
  readonly tags: readonly string[] | null
  readonly function_schema: string
  readonly function_name: string
}

/**
 * Views and materialized views with their query as `pg_get_viewdef(oid, true)` prints it (the
 * form psql's \d+ shows), their options, whether a materialized one is populated, and their
 * output columns.
 */
function viewsSql(options: CodeObjectReadOptions): string {
  return `
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid, true) AS definition, c.reloptions::text[] AS options,
       c.relispopulated AS populated, d.description AS comment,
       ARRAY(SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
               AND NOT a.attisdropped ORDER BY a.attnum)::int[] AS column_nums,
       ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
               AND NOT a.attisdropped ORDER BY a.attnum)::text[] AS column_names,
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum)::text[] AS column_types
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
       AND d.objsubid = 0
 WHERE c.relkind IN ('v', 'm') AND ${options.filter}
   AND ${options.notExtensionMember('pg_class', 'c.oid')}`
}

/**
 * What each view's rewrite rule depends on (manual, 53.18 pg_depend): relations, with the column
 * when the dependency is on one, and functions. The rule's dependency on its own view is left
 * out.
 */
const DEPENDENCIES_SQL = `
SELECT r.ev_class AS view, dn.nspname AS schema, dc.relname AS name, a.attname AS column
  FROM pg_rewrite r
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n'
  JOIN pg_class dc ON dc.oid = d.refobjid
  JOIN pg_namespace dn ON dn.oid = dc.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       AND d.refobjsubid > 0
 WHERE r.ev_class = ANY($1::oid[]) AND d.refobjid <> r.ev_class
UNION ALL
SELECT r.ev_class, pn.nspname, p.proname, NULL
  FROM pg_rewrite r
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
       AND d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'
  JOIN pg_proc p ON p.oid = d.refobjid
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
 WHERE r.ev_class = ANY($1::oid[])`

/** Argument names, modes and types of `pg_proc` row `p`, in order. */
const ARGUMENT_COLUMNS = `p.proargnames AS arg_names, p.proargmodes::text[] AS arg_modes,
       ARRAY(SELECT format_type(u.t, NULL)
               FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(t, o)
              ORDER BY u.o)::text[] AS arg_types`

/**
 * Functions and procedures in SQL and procedural languages (C and internal ones, and window
 * functions, are left out: their code is not in the database). A SQL-standard body (PostgreSQL
 * 14+, `prosqlbody`) is printed by `pg_get_function_sqlbody`.
 */
function routinesSql(options: CodeObjectReadOptions): string {
  const sqlBody =
    options.version >= 140000
      ? 'CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) END'
      : 'NULL::text'
  return `
SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
       pg_get_function_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END AS returns,
       l.lanname AS language, p.prosrc AS body, ${sqlBody} AS sql_body,
       p.provolatile AS volatility, p.proisstrict AS strict, p.prosecdef AS security_definer,
       p.proleakproof AS leakproof, p.proparallel AS parallel, p.procost::float8 AS cost,
       p.prorows::float8 AS rows, p.proretset AS returns_set, p.proconfig AS config,
       d.description AS comment, ${ARGUMENT_COLUMNS}
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
       AND d.objsubid = 0
 WHERE p.prokind IN ('f', 'p') AND l.lanname NOT IN ('c', 'internal') AND ${options.filter}
   AND ${options.notExtensionMember('pg_proc', 'p.oid')}`
}

/**
 * Ordinary aggregates over plain state functions. Ordered-set and hypothetical-set aggregates,
 * and those with moving-aggregate, serialization or sort-operator support, are left out.
 */
function aggregatesSql(options: CodeObjectReadOptions): string {
  return `
SELECT n.nspname AS schema, p.proname AS name, pg_get_function_arguments(p.oid) AS arguments,
       ${ARGUMENT_COLUMNS},
       sn.nspname AS sfunc_schema, sp.proname AS sfunc_name,
       format_type(a.aggtranstype, NULL) AS stype,
       fn.nspname AS ffunc_schema, fp.proname AS ffunc_name,
       cn.nspname AS cfunc_schema, cp.proname AS cfunc_name,
       a.agginitval AS initcond, p.proparallel AS parallel, d.description AS comment
  FROM pg_aggregate a
  JOIN pg_proc p ON p.oid = a.aggfnoid
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_proc sp ON sp.oid = a.aggtransfn
  JOIN pg_namespace sn ON sn.oid = sp.pronamespace
  LEFT JOIN pg_proc fp ON fp.oid = a.aggfinalfn
  LEFT JOIN pg_namespace fn ON fn.oid = fp.pronamespace
  LEFT JOIN pg_proc cp ON cp.oid = a.aggcombinefn
  LEFT JOIN pg_namespace cn ON cn.oid = cp.pronamespace
  LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
       AND d.objsubid = 0
 WHERE ${SUPPORTED_AGGREGATE} AND ${options.filter}
   AND ${options.notExtensionMember('pg_proc', 'p.oid')}`
}

/** The aggregates {@link aggregatesSql} can describe (manual, 53.2 pg_aggregate). */
export const SUPPORTED_AGGREGATE = `a.aggkind = 'n' AND a.aggmtransfn = 0 AND a.aggserialfn = 0
   AND a.aggdeserialfn = 0 AND a.aggsortop = 0 AND NOT a.aggfinalextra
   AND a.aggfinalmodify = 'r'`

/**
 * Triggers users created on the tables and views read: not internal ones (foreign keys), not
 * constraint triggers, not the clones partitions get of their parent's (PostgreSQL 13+,
 * `tgparentid`). The WHEN condition comes from `pg_get_triggerdef`: `tgqual` names the rows as
 * OLD and NEW, which `pg_get_expr` cannot print.
 */
function triggersSql(options: CodeObjectReadOptions): string {
  const notClone = options.version >= 130000 ? 'AND t.tgparentid = 0' : ''
  return `
SELECT t.tgrelid AS rel, n.nspname AS schema, c.relname AS table, t.tgname AS name,
       t.tgtype::int AS type,
       ARRAY(SELECT a.attname FROM unnest(t.tgattr::int2[]) WITH ORDINALITY u(num, o)
               JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = u.num
              ORDER BY u.o)::text[] AS update_of,
       pg_get_triggerdef(t.oid, true) AS definition,
       fn.nspname AS function_schema, f.proname AS function_name,
       t.tgargs AS args, t.tgnargs AS nargs, t.tgoldtable AS old_table,
       t.tgnewtable AS new_table
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_proc f ON f.oid = t.tgfoid
  JOIN pg_namespace fn ON fn.oid = f.pronamespace
 WHERE NOT t.tgisinternal AND t.tgconstraint = 0 ${notClone} AND t.tgrelid = ANY($1::oid[])`
}

function eventTriggersSql(options: CodeObjectReadOptions): string {
  return `
SELECT e.evtname AS name, e.evtevent AS event, e.evttags AS tags,
       fn.nspname AS function_schema, f.proname AS function_name
  FROM pg_event_trigger e
  JOIN pg_proc f ON f.oid = e.evtfoid
  JOIN pg_namespace fn ON fn.oid = f.pronamespace
 WHERE ${options.notExtensionMember('pg_event_trigger', 'e.oid')}`
}

/**
 * Reads the code objects of the namespaces `options.filter` selects: six queries at most, one
 * after another on the one session, each list sorted as the model DSL sorts it.
 */
export async function readCodeObjects(
  connection: Connection,
  options: CodeObjectReadOptions,
): Promise<CodeObjectLists> {
  const { schemaOf } = options
  const viewRows = (
    await connection.query<ViewRow>(viewsSql(options), [...options.params])
  ).rows.filter((row) => !options.excluded(row.schema, row.name))
  const viewOids = viewRows.map((row) => row.oid)
  const dependencies =
    viewOids.length === 0
      ? []
      : (await connection.query<DependencyRow>(DEPENDENCIES_SQL, [viewOids])).rows
  const indexes = await options.indexesOf(
    viewRows
      .filter((row) => row.materialized)
      .map((row) => ({
        oid: row.oid,
        names: new Map(row.column_nums.map((num, i) => [num, row.column_names[i] ?? ''])),
      })),
  )
  const views = viewRows.map((row) =>
    toView(row, dependencies, [...(indexes.get(row.oid) ?? [])], schemaOf),
  )

  const functions = (
    await connection.query<RoutineRow>(routinesSql(options), [...options.params])
  ).rows.map((row) => toFunction(row, schemaOf))
  const aggregates = (
    await connection.query<AggregateRow>(aggregatesSql(options), [...options.params])
  ).rows.map((row) => toAggregate(row, schemaOf))

  const on = [...options.tables, ...viewOids]
  const triggers =
    on.length === 0
      ? []
      : (await connection.query<TriggerRow>(triggersSql(options), [on])).rows.map((row) =>
          toTrigger(row, schemaOf),
        )
  const eventTriggers = options.eventTriggers
    ? (await connection.query<EventTriggerRow>(eventTriggersSql(options))).rows.map(
        (row): EventTriggerDef => ({
          name: row.name,
          event: row.event,
          tags: [...(row.tags ?? [])].sort(compare),
          function: functionRefOf(row.function_schema, row.function_name, schemaOf),
        }),
      )
    : []

  return {
    views: views.sort(byQualifiedName),
    functions: functions.sort(compareRoutines),
    aggregates: aggregates.sort(byQualifiedName),
    triggers: triggers.sort(
      (a, b) =>
        compare(a.schema ?? '', b.schema ?? '') ||
        compare(a.table, b.table) ||
        compare(a.name, b.name),
    ),
    eventTriggers: eventTriggers.sort((a, b) => compare(a.name, b.name)),
  }
}

function toView(
  row: ViewRow,
  dependencies: readonly DependencyRow[],
  indexes: readonly IndexDef[],
  schemaOf: (schema: string) => string | undefined,
): ViewDef {
  const options = new Map(
    (row.options ?? []).map((option) => {
      const eq = option.indexOf('=')
      return [option.slice(0, eq).toLowerCase(), option.slice(eq + 1).toLowerCase()] as const
    }),
  )
  const checkOption = options.get('check_option')
  const byObject = new Map<
    string,
    { schema: string | undefined; name: string; columns: string[] }
  >()
  for (const dep of dependencies) {
    if (dep.view !== row.oid) continue
    const key = JSON.stringify([dep.schema, dep.name])
    let entry = byObject.get(key)
    if (entry === undefined) {
      entry = { schema: schemaOf(dep.schema), name: dep.name, columns: [] }
      byObject.set(key, entry)
    }
    if (dep.column !== null && !entry.columns.includes(dep.column)) entry.columns.push(dep.column)
  }
  const dependsOn: ObjectDependency[] = [...byObject.values()].map((entry) => ({
    schema: entry.schema,
    name: entry.name,
    columns: entry.columns.sort(compare),
  }))
  return {
    schema: schemaOf(row.schema),
    name: row.name,
    materialized: row.materialized,
    definition: viewQuery(row.definition ?? ''),
    checkOption: checkOption === 'local' || checkOption === 'cascaded' ? checkOption : undefined,
    securityBarrier: isTrue(options.get('security_barrier')),
    securityInvoker: isTrue(options.get('security_invoker')),
    withData: !row.materialized || row.populated,
    indexes,
    comment: row.comment ?? undefined,
    columns: row.column_names.map((name, i) => ({ name, type: row.column_types[i] ?? '' })),
    dependsOn,
  }
}

/**
 * A view's query as the snapshot holds it: `pg_get_viewdef` prints it with a leading space and
 * a trailing semicolon, which are not part of the query.
 */
export function viewQuery(printed: string): string {
  return printed.trim().replace(/;$/, '').trimEnd()
}

/** Boolean reloptions are stored as written (`true`, `on`, `1`, ...; manual, 20.1.2). */
function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === 'on' || value === '1' || value === 'yes'
}

function toFunction(
  row: RoutineRow,
  schemaOf: (schema: string) => string | undefined,
): FunctionDef {
  const isFunction = row.kind === 'f'
  const defaultCost = 100
  return {
    schema: schemaOf(row.schema),
    name: row.name,
    kind: isFunction ? 'function' : 'procedure',
    parameters: parametersOf(row),
    returns: isFunction ? (row.returns ?? undefined) : undefined,
    language: row.language,
    body: row.sql_body ?? row.body,
    atomic: row.sql_body !== null,
    volatility:
      row.volatility === 'i' ? 'immutable' : row.volatility === 's' ? 'stable' : 'volatile',
    strict: isFunction && row.strict,
    securityDefiner: row.security_definer,
    leakproof: isFunction && row.leakproof,
    parallel: !isFunction ? 'unsafe' : parallelOf(row.parallel),
    cost: !isFunction || Number(row.cost) === defaultCost ? undefined : Number(row.cost),
    // prorows is 0 for functions that return no set, 1000 by default for those that do.
    rows: !row.returns_set || Number(row.rows) === 1000 ? undefined : Number(row.rows),
    settings: (row.config ?? [])
      .map((entry) => {
        const eq = entry.indexOf('=')
        return { name: entry.slice(0, eq), value: entry.slice(eq + 1) }
      })
      .sort((a, b) => compare(a.name, b.name)),
    comment: row.comment ?? undefined,
  }
}

function toAggregate(
  row: AggregateRow,
  schemaOf: (schema: string) => string | undefined,
): AggregateDef {
  return {
    schema: schemaOf(row.schema),
    name: row.name,
    parameters: parametersOf(row),
    stateFunction: functionRefOf(row.sfunc_schema, row.sfunc_name, schemaOf),
    stateType: row.stype,
    finalFunction:
      row.ffunc_name === null
        ? undefined
        : functionRefOf(row.ffunc_schema ?? '', row.ffunc_name, schemaOf),
    combineFunction:
      row.cfunc_name === null
        ? undefined
        : functionRefOf(row.cfunc_schema ?? '', row.cfunc_name, schemaOf),
    initialCondition: row.initcond ?? undefined,
    parallel: parallelOf(row.parallel),
    comment: row.comment ?? undefined,
  }
}

/** `tgtype` bits (PostgreSQL's catalog/pg_trigger.h, TRIGGER_TYPE_*). */
const ROW = 1
const BEFORE = 2
const INSTEAD = 64
const EVENT_BITS: readonly (readonly [number, TriggerEvent])[] = [
  [4, 'insert'],
  [8, 'delete'],
  [16, 'update'],
  [32, 'truncate'],
]

function toTrigger(row: TriggerRow, schemaOf: (schema: string) => string | undefined): TriggerDef {
  const type = row.type
  return {
    schema: schemaOf(row.schema),
    table: row.table,
    name: row.name,
    timing: (type & INSTEAD) !== 0 ? 'instead of' : (type & BEFORE) !== 0 ? 'before' : 'after',
    events: EVENT_BITS.filter(([bit]) => (type & bit) !== 0).map(([, event]) => event),
    updateOf: row.update_of,
    forEach: (type & ROW) !== 0 ? 'row' : 'statement',
    when: whenCondition(row.definition),
    function: functionRefOf(row.function_schema, row.function_name, schemaOf),
    arguments: triggerArguments(row.args, row.nargs),
    oldTable: row.old_table ?? undefined,
    newTable: row.new_table ?? undefined,
  }
}

/**
 * The condition of `... FOR EACH ROW WHEN (condition) EXECUTE FUNCTION ...` as
 * `pg_get_triggerdef` prints it: the parenthesised text after `WHEN`, matched up to its closing
 * parenthesis outside string literals and quoted names.
 */
export function whenCondition(definition: string): string | undefined {
  const match = / FOR EACH (?:ROW|STATEMENT) WHEN \(/.exec(definition)
  if (match === null) return undefined
  const start = match.index + match[0].length
  let depth = 1
  let quote: string | undefined
  for (let i = start; i < definition.length; i++) {
    const ch = definition[i]
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return definition.slice(start, i)
  }
  return undefined
}

/** `tgargs`: the arguments, each ended by a zero byte (manual, 53.56 pg_trigger). */
function triggerArguments(args: Uint8Array | null, count: number): readonly string[] {
  if (args === null || count === 0) return []
  const out: string[] = []
  let start = 0
  for (let i = 0; i < args.length && out.length < count; i++) {
    if (args[i] === 0) {
      out.push(Buffer.from(args.subarray(start, i)).toString('utf8'))
      start = i + 1
    }
  }
  return out
}

/**
 * The parameters of a routine or aggregate: names, modes and types from the catalog, defaults
 * from `pg_get_function_arguments`, which prints each parameter `[MODE ][name ]type[ DEFAULT
 * expression]` separated by commas (ruleutils.c, print_function_arguments); `TABLE` columns are
 * part of the result, not parameters.
 */
function parametersOf(row: {
  readonly arguments: string
  readonly arg_names: readonly string[] | null
  readonly arg_modes: readonly string[] | null
  readonly arg_types: readonly string[]
}): readonly FunctionParameterDef[] {
  const printed = splitSqlList(row.arguments)
  const parameters: FunctionParameterDef[] = []
  row.arg_types.forEach((type, i) => {
    const mode = row.arg_modes?.[i] ?? 'i'
    if (mode === 't') return
    const name = row.arg_names?.[i]
    parameters.push({
      mode: mode === 'o' ? 'out' : mode === 'b' ? 'inout' : mode === 'v' ? 'variadic' : 'in',
      name: name === undefined || name === '' ? undefined : name,
      type,
      default: defaultOf(printed[parameters.length] ?? ''),
    })
  })
  return parameters
}

/**
 * The expression after ` DEFAULT ` in one printed parameter, `[MODE ][name ]type DEFAULT expr`:
 * the first one outside a quoted name or type (no string constant comes before it).
 */
function defaultOf(text: string): string | undefined {
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted
    else if (!quoted && text.startsWith(' DEFAULT ', i)) return text.slice(i + ' DEFAULT '.length)
  }
  return undefined
}

/**
 * A function an aggregate or trigger calls. One in `pg_catalog` is found whatever the search
 * path (manual, 5.10.5), so it is named without its schema, as a model names it.
 */
function functionRefOf(
  schema: string,
  name: string,
  schemaOf: (schema: string) => string | undefined,
): FunctionRef {
  return { schema: schema === 'pg_catalog' ? undefined : schemaOf(schema), name }
}

function parallelOf(code: string): 'unsafe' | 'restricted' | 'safe' {
  return code === 's' ? 'safe' : code === 'r' ? 'restricted' : 'unsafe'
}
