import { normalizeSchema } from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { OBJECT_REF, type ObjectRefHolder, queryText } from './object-dependency.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  AggregateDef,
  FunctionDef,
  FunctionParameterDef,
  FunctionRef,
  FunctionSettingDef,
} from './schema-snapshot.ts'
import { SQL_PART, SqlFragment, type SqlInterpolable, type SqlPart } from './sql.ts'

/** The key under which a function or procedure keeps its {@link FunctionDef}; marks them. */
export const FUNCTION_DEF: unique symbol = Symbol.for('aludel.functionDef')
/** The key under which an aggregate keeps its {@link AggregateDef}; marks aggregates. */
export const AGGREGATE_DEF: unique symbol = Symbol.for('aludel.aggregateDef')

/** A parameter: its type alone (`'integer'`), or with a name, a mode and a default. */
export type ParameterInput =
  | string
  | {
      readonly name?: string
      /** The SQL type, as in `CREATE FUNCTION` (`integer`, `text[]`, `film`). */
      readonly type: string
      /** Default `in`. */
      readonly mode?: 'in' | 'out' | 'inout' | 'variadic'
      /** `DEFAULT expression`. */
      readonly default?: SqlFragment | string
    }

/** Options `dbFunction()` and `procedure()` share. */
export interface RoutineOptions {
  /** The schema that holds it; default: the default schema (`public`). */
  readonly schema?: string
  /** Its parameters, in order; default none. */
  readonly parameters?: readonly ParameterInput[]
  /** `LANGUAGE`: `sql`, `plpgsql`, ... */
  readonly language: string
  /**
   * The body, kept exactly as given (PostgreSQL stores it verbatim): the text that goes between
   * the dollar quotes, or with `atomic` a SQL-standard body (`BEGIN ATOMIC ... END`).
   */
  readonly body: SqlFragment | string
  /** A SQL-standard body (PostgreSQL 14+), parsed when created; default false. */
  readonly atomic?: boolean
  /** `SECURITY DEFINER`: runs with its owner's privileges; default false (invoker). */
  readonly securityDefiner?: boolean
  /** `SET name = value` while it runs, e.g. `{ search_path: 'public, pg_temp' }`. */
  readonly settings?: Readonly<Record<string, string>>
  /** `COMMENT ON FUNCTION`. */
  readonly comment?: string
}

/** Options of {@link dbFunction}. */
export interface FunctionOptions extends RoutineOptions {
  /** `RETURNS`: `integer`, `SETOF film`, `TABLE(id integer, title text)`, `trigger`, `void`. */
  readonly returns: string
  /** Default `volatile`. */
  readonly volatility?: 'volatile' | 'stable' | 'immutable'
  /** `STRICT`: returns null, without running, when an argument is null; default false. */
  readonly strict?: boolean
  /** `LEAKPROOF`; default false. */
  readonly leakproof?: boolean
  /** `PARALLEL`; default `unsafe`. */
  readonly parallel?: 'unsafe' | 'restricted' | 'safe'
  /** `COST`, in units of cpu_operator_cost; default PostgreSQL's (100). */
  readonly cost?: number
  /** `ROWS` a set-returning function is estimated to return; default PostgreSQL's (1000). */
  readonly rows?: number
}

/**
 * A function or procedure declared with {@link dbFunction} or {@link procedure}: interpolated in
 * an `sql` fragment it renders as its qualified name.
 */
export interface DbFunction<TName extends string = string>
  extends SqlInterpolable,
    ObjectRefHolder {
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  readonly [FUNCTION_DEF]: FunctionDef
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /** The schema that holds it; default: the default schema (`public`). */
  readonly schema?: string
  /** The aggregated arguments, usually types alone (`['text']`). */
  readonly parameters: readonly ParameterInput[]
  /** `SFUNC`: called with the state and each row's arguments. */
  readonly stateFunction: FunctionTarget
  /** `STYPE`: the state's type. */
  readonly stateType: string
  /** `FINALFUNC`: turns the state into the result; default none (the state is the result). */
  readonly finalFunction?: FunctionTarget
  /** `COMBINEFUNC`: merges two states (parallel aggregation); default none. */
  readonly combineFunction?: FunctionTarget
  /** `INITCOND`: the state's initial value, as text; default none (null). */
  readonly initialCondition?: string
  /** `PARALLEL`; default `unsafe`. */
  readonly parallel?: 'unsafe' | 'restricted' | 'safe'
  /** `COMMENT ON AGGREGATE`. */
  readonly comment?: string
}

/** An aggregate declared with {@link aggregate}; in an `sql` fragment, its qualified name. */
export interface Aggregate<TName extends string = string> extends SqlInterpolable, ObjectRefHolder {
  readonly name: TName
  readonly schema: string | undefined
  readonly [AGGREGATE_DEF]: AggregateDef
}

/**
 * Declares a function (`CREATE FUNCTION`). Its identity is its name and the types of its
 * parameters, so overloads are distinct functions. Autogenerate compares it as PostgreSQL prints
 * it and replaces it in place (`CREATE OR REPLACE`) when its signature and return type stay, and
 * drops and recreates it (with the views and triggers that use it) when not. Functions are
 * created before tables, with `check_function_bodies` off for SQL functions, so a body may name
 * tables created later.
 *
 * @example
 * export const lastUpdated = dbFunction('last_updated', {
 *   returns: 'trigger',
 *   language: 'plpgsql',
 *   body: 'BEGIN NEW.last_update = now(); RETURN NEW; END',
 * })
 * export const filmInStock = dbFunction('film_in_stock', {
 *   parameters: [{ name: 'p_film_id', type: 'integer' }, { name: 'p_store_id', type: 'integer' }],
 *   returns: 'SETOF integer',
 *   language: 'sql',
 *   volatility: 'stable',
 *   body: 'SELECT inventory_id FROM inventory WHERE film_id = $1 AND store_id = $2',
 * })
 */
export function dbFunction<const N extends string>(
  name: N,
  options: FunctionOptions,
): DbFunction<N> {
  return declareRoutine(name, 'function', options)
}

/**
 * Declares a procedure (`CREATE PROCEDURE`), called with `CALL`; see {@link dbFunction}.
 *
 * @example
 * export const archiveRentals = procedure('archive_rentals', {
 *   parameters: [{ name: 'before', type: 'date' }],
 *   language: 'plpgsql',
 *   body: 'BEGIN DELETE FROM rental WHERE return_date < before; COMMIT; END',
 * })
 */
export function procedure<const N extends string>(name: N, options: RoutineOptions): DbFunction<N> {
  return declareRoutine(name, 'procedure', options)
}

/**
 * Declares an ordinary aggregate (`CREATE AGGREGATE`) over a state function. Autogenerate drops
 * and recreates it when it changes.
 *
 * @example
 * export const groupConcatStep = dbFunction('_group_concat', {
 *   parameters: ['text', 'text'],
 *   returns: 'text',
 *   language: 'sql',
 *   volatility: 'immutable',
 *   body: "SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END",
 * })
 * export const groupConcat = aggregate('group_concat', {
 *   parameters: ['text'],
 *   stateFunction: groupConcatStep,
 *   stateType: 'text',
 * })
 */
export function aggregate<const N extends string>(
  name: N,
  options: AggregateOptions,
): Aggregate<N> {
  checkExplicitName('aggregate name', name)
  const schema = normalizeSchema(options.schema)
  const what = `aggregate ${name}`
  if (typeof options.stateType !== 'string' || options.stateType.trim() === '') {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} needs its stateType, like 'text'`)
  }
  const def: AggregateDef = Object.freeze({
    schema,
    name,
    parameters: parametersOf(options.parameters, what),
    stateFunction: functionRef(options.stateFunction, `${what} (stateFunction)`),
    stateType: options.stateType.trim(),
    finalFunction:
      options.finalFunction === undefined
        ? undefined
        : functionRef(options.finalFunction, `${what} (finalFunction)`),
    combineFunction:
      options.combineFunction === undefined
        ? undefined
        : functionRef(options.combineFunction, `${what} (combineFunction)`),
    initialCondition: options.initialCondition,
    parallel: oneOf(options.parallel, ['unsafe', 'restricted', 'safe'], 'unsafe', what),
    comment: options.comment,
  })
  return Object.freeze({
    name,
    schema,
    [AGGREGATE_DEF]: def,
    [OBJECT_REF]: Object.freeze({ schema, name }),
    [SQL_PART]: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }),
  })
}

/** True for a value made by `dbFunction()` or `procedure()`. */
export function isDbFunction(value: unknown): value is DbFunction {
  return typeof value === 'object' && value !== null && FUNCTION_DEF in value
}

/** True for a value made by `aggregate()`. */
export function isAggregate(value: unknown): value is Aggregate {
  return typeof value === 'object' && value !== null && AGGREGATE_DEF in value
}

/**
 * How a function is named where one is called: a `dbFunction()`, a name (`'name'`,
 * `'schema.name'`), or `{ schema, name }` (for a name with a dot in it).
 */
export type FunctionTarget =
  | DbFunction
  | string
  | { readonly schema?: string | undefined; readonly name: string }

/**
 * A function named by a DSL function object or by name (`'name'`, `'schema.name'`), as an
 * aggregate, trigger or event trigger refers to it; `what` names the referrer in messages.
 */
export function functionRef(target: FunctionTarget, what: string): FunctionRef {
  if (isDbFunction(target)) return { schema: target.schema, name: target.name }
  if (typeof target === 'string' && target !== '') {
    const dot = target.indexOf('.')
    return dot < 0
      ? { schema: undefined, name: target }
      : { schema: normalizeSchema(target.slice(0, dot)), name: target.slice(dot + 1) }
  }
  if (
    typeof target === 'object' &&
    target !== null &&
    typeof target.name === 'string' &&
    target.name !== ''
  ) {
    return { schema: normalizeSchema(target.schema ?? undefined), name: target.name }
  }
  throw new SchemaModelError(
    'INVALID_ARGUMENT',
    `${what} needs a function declared with dbFunction(), or its name`,
  )
}

function declareRoutine<const N extends string>(
  name: N,
  kind: 'function' | 'procedure',
  options: FunctionOptions | RoutineOptions,
): DbFunction<N> {
  checkExplicitName(`${kind} name`, name)
  const schema = normalizeSchema(options.schema)
  const what = `${kind} ${name}`
  if (typeof options.language !== 'string' || options.language === '') {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} needs its language, like 'plpgsql'`)
  }
  const atomic = options.atomic === true
  const body =
    options.body instanceof SqlFragment
      ? options.body.toSql()
      : typeof options.body === 'string'
        ? options.body
        : undefined
  if (body === undefined) {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} needs its body, as a string`)
  }
  const f: Partial<FunctionOptions> = kind === 'function' ? (options as FunctionOptions) : {}
  if (kind === 'function' && (typeof f.returns !== 'string' || f.returns.trim() === '')) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} needs its return type (returns: 'integer', 'SETOF film', 'trigger', 'void', ...)`,
    )
  }
  const def: FunctionDef = Object.freeze({
    schema,
    name,
    kind,
    parameters: parametersOf(options.parameters ?? [], what),
    returns: kind === 'function' ? f.returns!.trim() : undefined,
    language: options.language.toLowerCase(),
    // PostgreSQL stores a body between dollar quotes verbatim; a standard body is parsed.
    body: atomic ? queryText(body, what) : body,
    atomic,
    volatility: oneOf(f.volatility, ['volatile', 'stable', 'immutable'], 'volatile', what),
    strict: f.strict === true,
    securityDefiner: options.securityDefiner === true,
    leakproof: f.leakproof === true,
    parallel: oneOf(f.parallel, ['unsafe', 'restricted', 'safe'], 'unsafe', what),
    cost: positive(f.cost, 'cost', what),
    rows: positive(f.rows, 'rows', what),
    settings: settingsOf(options.settings, what),
    comment: options.comment,
  })
  return Object.freeze({
    name,
    schema,
    [FUNCTION_DEF]: def,
    [OBJECT_REF]: Object.freeze({ schema, name }),
    [SQL_PART]: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }),
  })
}

function parametersOf(
  inputs: readonly ParameterInput[],
  what: string,
): readonly FunctionParameterDef[] {
  if (!Array.isArray(inputs)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `the parameters of ${what} must be an array, like [{ name: 'id', type: 'integer' }]`,
    )
  }
  return Object.freeze(
    inputs.map((input, i): FunctionParameterDef => {
      const p = typeof input === 'string' ? { type: input } : input
      if (typeof p !== 'object' || p === null || typeof p.type !== 'string' || p.type === '') {
        throw new SchemaModelError(
          'INVALID_ARGUMENT',
          `parameter ${i + 1} of ${what} needs a type, like 'integer' or { name: 'id', type: 'integer' }`,
        )
      }
      const defaultValue = p.default
      return {
        mode: oneOf(p.mode, ['in', 'out', 'inout', 'variadic'], 'in', what),
        name: p.name === undefined || p.name === '' ? undefined : p.name,
        type: p.type.trim(),
        default:
          defaultValue === undefined
            ? undefined
            : defaultValue instanceof SqlFragment
              ? defaultValue.toSql()
              : String(defaultValue),
      }
    }),
  )
}

function settingsOf(
  settings: Readonly<Record<string, string>> | undefined,
  what: string,
): readonly FunctionSettingDef[] {
  if (settings === undefined) return []
  return Object.entries(settings)
    .map(([name, value]) => {
      if (typeof value !== 'string') {
        throw new SchemaModelError(
          'INVALID_ARGUMENT',
          `setting ${name} of ${what} must be a string, like { search_path: 'public, pg_temp' }`,
        )
      }
      return { name: name.toLowerCase(), value }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function oneOf<T extends string>(
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
  what: string,
): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} has ${JSON.stringify(value)} where one of ${allowed.join(', ')} is expected`,
    )
  }
  return value
}

function positive(value: number | undefined, option: string, what: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} has ${option} ${String(value)}; use a positive number`,
    )
  }
  return value
}
