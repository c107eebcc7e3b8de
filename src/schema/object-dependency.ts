import { normalizeSchema } from './column-builder.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { ObjectDependency } from './schema-snapshot.ts'
import { SqlFragment } from './sql.ts'
import { type AnyTable, isTable, TABLE } from './table.ts'
import { TableColumn } from './table-column.ts'

/**
 * The key under which views, functions and aggregates keep their schema-qualified name, so that
 * a view interpolating one (or naming it in `dependsOn`) knows what it depends on.
 */
export const OBJECT_REF: unique symbol = Symbol.for('aludel.objectRef')

/** A model object other objects may depend on: a view, function or aggregate. */
export interface ObjectRefHolder {
  readonly [OBJECT_REF]: { readonly schema: string | undefined; readonly name: string }
}

/**
 * What a view may declare it depends on: a table, a view, a function or aggregate, or a name
 * (`'film'`, `'billing.invoices'`).
 */
export type DependencyTarget = AnyTable | ObjectRefHolder | string

/** True for a view, function or aggregate declared with the DSL. */
export function isObjectRefHolder(value: unknown): value is ObjectRefHolder {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    OBJECT_REF in value
  )
}

/**
 * A query a query builder compiles, as Kysely's do (`db.selectFrom('film').select('title')`):
 * its SQL, and no parameters (a view cannot have any).
 */
export interface CompilableQuery {
  compile(): { readonly sql: string; readonly parameters: readonly unknown[] }
}

/** A view's query: an `sql` fragment, SQL text, or a compilable query builder. */
export type ViewQuery = SqlFragment | string | CompilableQuery

/**
 * The SQL text of a view's query or a function's body: a fragment rendered, a string as given, a
 * query builder compiled; surrounding white space and a trailing semicolon removed (`CREATE VIEW
 * ... AS` takes the query alone). Throws when it is none of them, has parameters, or is empty.
 */
export function queryText(query: ViewQuery, what = 'the query'): string {
  const raw =
    query instanceof SqlFragment
      ? query.toSql()
      : typeof query === 'string'
        ? query
        : compiled(query, what)
  const text = raw.trim().replace(/;\s*$/, '')
  if (text.trim() === '') {
    throw new SchemaModelError('INVALID_ARGUMENT', `${what} has an empty query`)
  }
  return text.trimEnd()
}

/**
 * What a query depends on: the declared targets, and every table, table column, view, function
 * and aggregate the fragment interpolates (nested fragments included); once each, in the order
 * met, each on the whole object.
 */
export function dependenciesOf(
  query: ViewQuery,
  declared: readonly DependencyTarget[],
): readonly ObjectDependency[] {
  const out = new Map<string, ObjectDependency>()
  // A model cannot tell which columns raw SQL text uses: a dependency is on the whole object.
  const add = (schema: string | undefined, name: string): void => {
    const key = JSON.stringify([schema ?? null, name])
    if (!out.has(key)) out.set(key, { schema, name, columns: [] })
  }
  for (const target of declared) {
    if (typeof target === 'string') {
      const dot = target.indexOf('.')
      if (dot < 0) add(undefined, target)
      else add(normalizeSchema(target.slice(0, dot)), target.slice(dot + 1))
    } else if (isTable(target)) {
      add(target[TABLE].schema, target[TABLE].name)
    } else if (isObjectRefHolder(target)) {
      add(target[OBJECT_REF].schema, target[OBJECT_REF].name)
    } else {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        'dependsOn lists tables, views, functions or names, like dependsOn: [film, "category"]',
      )
    }
  }
  const walk = (fragment: SqlFragment): void => {
    for (const value of fragment.values) {
      if (value instanceof SqlFragment) walk(value)
      else if (value instanceof TableColumn) add(value.table.schema, value.table.name)
      else if (isTable(value)) add(value[TABLE].schema, value[TABLE].name)
      else if (isObjectRefHolder(value)) add(value[OBJECT_REF].schema, value[OBJECT_REF].name)
    }
  }
  if (query instanceof SqlFragment) walk(query)
  return [...out.values()]
}

function compiled(query: unknown, what: string): string {
  const compile = (query as Partial<CompilableQuery> | null)?.compile
  if (typeof compile !== 'function') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} needs its query as an sql fragment, a string or a query builder, like sql\`SELECT ...\``,
    )
  }
  const { sql, parameters } = compile.call(query)
  if (parameters.length > 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} compiles to a query with ${parameters.length} parameter(s), which a view cannot have; write the values as sql.raw() or in an sql fragment`,
    )
  }
  return sql
}
