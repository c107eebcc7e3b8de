import { normalizeSchema } from './column-builder.ts'
import { IndexBuilder } from './index-builder.ts'
import { checkExplicitName, type NamingConvention } from './naming-convention.ts'
import {
  type DependencyTarget,
  dependenciesOf,
  OBJECT_REF,
  type ObjectRefHolder,
  queryText,
  type ViewQuery,
} from './object-dependency.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { IndexDef, ViewDef } from './schema-snapshot.ts'
import { SQL_PART, type SqlInterpolable, type SqlPart } from './sql.ts'
import { toIndexDef } from './to-index-def.ts'

/** The key under which a view keeps its declaration; marks views. */
export const VIEW_DECLARATION: unique symbol = Symbol.for('aludel.viewDeclaration')

/** Options of {@link view}. */
export interface ViewOptions {
  /** The schema that holds the view; default: the default schema (`public`). */
  readonly schema?: string
  /** `WITH CHECK OPTION`: writes through the view must satisfy its `WHERE`; default none. */
  readonly checkOption?: 'local' | 'cascaded'
  /** `security_barrier`: conditions of the view run before the caller's; default false. */
  readonly securityBarrier?: boolean
  /** `security_invoker` (PostgreSQL 15+): checks privileges as the caller; default false. */
  readonly securityInvoker?: boolean
  /** `COMMENT ON VIEW`. */
  readonly comment?: string
  /**
   * What the view reads, when its query does not interpolate it (tables, views and functions
   * interpolated in an `sql` query count by themselves); orders creation. Default: none.
   */
  readonly dependsOn?: readonly DependencyTarget[]
}

/** Options of {@link materializedView}. */
export interface MaterializedViewOptions {
  /** The schema that holds the view; default: the default schema (`public`). */
  readonly schema?: string
  /** Fill the view when it is created; false creates it empty (`WITH NO DATA`). Default true. */
  readonly withData?: boolean
  /** Its indexes, on its column names (`uniqueIndex().on('category')`); unnamed ones get `ix`. */
  readonly indexes?: readonly IndexBuilder[]
  /** `COMMENT ON MATERIALIZED VIEW`. */
  readonly comment?: string
  /** See {@link ViewOptions.dependsOn}. */
  readonly dependsOn?: readonly DependencyTarget[]
}

/** What `view()` and `materializedView()` recorded. */
export interface ViewDeclaration {
  readonly materialized: boolean
  readonly query: ViewQuery
  readonly options: ViewOptions & MaterializedViewOptions
}

/**
 * A view declared with {@link view} or {@link materializedView}: interpolated in an `sql`
 * fragment it renders as its qualified name (and counts as a dependency of a view that does).
 */
export interface View<TName extends string = string> extends SqlInterpolable, ObjectRefHolder {
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  readonly materialized: boolean
  /** The declaration, converted by {@link toViewDef}. */
  readonly [VIEW_DECLARATION]: ViewDeclaration
}

/**
 * Declares a view (`CREATE VIEW name AS query`). The query is an `sql` fragment (tables, views
 * and functions it interpolates render as their names and order the creation), plain SQL, or a
 * query builder without parameters (a Kysely query: its `compile().sql`).
 * Autogenerate compares it as PostgreSQL prints it back, so a change of layout alone is no
 * change; it replaces the view in place when PostgreSQL allows it (the same leading columns),
 * and drops and recreates it, with the views that read it, when not.
 *
 * @example
 * export const activeCustomers = view(
 *   'active_customers',
 *   sql`SELECT ${customer.customerId}, ${customer.email} FROM ${customer} WHERE ${customer.active}`,
 *   { securityBarrier: true },
 * )
 */
export function view<const N extends string>(
  name: N,
  query: ViewQuery,
  options: ViewOptions = {},
): View<N> {
  return declare(name, false, query, options)
}

/**
 * Declares a materialized view (`CREATE MATERIALIZED VIEW name AS query [WITH NO DATA]`) with its
 * indexes. PostgreSQL cannot replace one in place: a change of its query drops and recreates it
 * (filled again). `op.refreshMaterializedView` refreshes it in a migration.
 *
 * @example
 * export const salesByCategory = materializedView(
 *   'sales_by_category',
 *   sql`SELECT category, sum(amount) AS total_sales FROM ${payments} GROUP BY category`,
 *   { indexes: [uniqueIndex().on('category')] },
 * )
 */
export function materializedView<const N extends string>(
  name: N,
  query: ViewQuery,
  options: MaterializedViewOptions = {},
): View<N> {
  return declare(name, true, query, options)
}

/** True for a value made by `view()` or `materializedView()`. */
export function isView(value: unknown): value is View {
  return typeof value === 'object' && value !== null && VIEW_DECLARATION in value
}

/**
 * The view as a {@link ViewDef}: the query rendered (trimmed, no trailing semicolon), its
 * indexes named by `convention`, its dependencies those it declares and those its query
 * interpolates. `columns` stays empty: only the database knows them.
 */
export function toViewDef(view: View, convention?: NamingConvention): ViewDef {
  const { materialized, query, options } = view[VIEW_DECLARATION]
  const where = quoteQualifiedName(view.schema, view.name)
  const indexes: IndexDef[] = (options.indexes ?? []).map(
    (builder) =>
      toIndexDef(builder, {
        table: view.name,
        ...(view.schema === undefined ? {} : { schema: view.schema }),
        ...(convention === undefined ? {} : { namingConvention: convention }),
      }).index,
  )
  const names = new Set<string>()
  for (const index of indexes) {
    if (names.has(index.name)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `materialized view ${where} has two indexes named ${index.name}; name one of them explicitly`,
      )
    }
    names.add(index.name)
  }
  return {
    schema: view.schema,
    name: view.name,
    materialized,
    definition: queryText(query),
    checkOption: materialized ? undefined : options.checkOption,
    securityBarrier: !materialized && options.securityBarrier === true,
    securityInvoker: !materialized && options.securityInvoker === true,
    withData: !materialized || options.withData !== false,
    indexes: indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    comment: options.comment,
    columns: [],
    dependsOn: dependenciesOf(query, options.dependsOn ?? []),
  }
}

function declare<const N extends string>(
  name: N,
  materialized: boolean,
  query: ViewQuery,
  options: ViewOptions & MaterializedViewOptions,
): View<N> {
  const what = materialized ? 'materialized view' : 'view'
  checkExplicitName(`${what} name`, name)
  const schema = normalizeSchema(options.schema)
  if (schema !== undefined) checkExplicitName('schema name', schema)
  // Checked now, so that a mistake points at the declaration.
  queryText(query, `${what} ${name}`)
  if (
    options.checkOption !== undefined &&
    options.checkOption !== 'local' &&
    options.checkOption !== 'cascaded'
  ) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `view ${name} has checkOption ${JSON.stringify(options.checkOption)}; use 'local' or 'cascaded'`,
    )
  }
  if (!materialized && options.indexes !== undefined && options.indexes.length > 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `view ${name} has indexes, which only a materialized view can have; use materializedView()`,
    )
  }
  for (const index of options.indexes ?? []) {
    if (!(index instanceof IndexBuilder)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `the indexes of materialized view ${name} must be index() or uniqueIndex() builders`,
      )
    }
  }
  const declaration: ViewDeclaration = Object.freeze({
    materialized,
    query,
    options: Object.freeze({ ...options }),
  })
  return Object.freeze({
    name,
    schema,
    materialized,
    [VIEW_DECLARATION]: declaration,
    [OBJECT_REF]: Object.freeze({ schema, name }),
    [SQL_PART]: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }),
  })
}
