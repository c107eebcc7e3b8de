import { type ColumnTarget, normalizeSchema } from './column-builder.ts'
import type { IndexBuilder } from './index-builder.ts'
import { type NamingConvention, resolveNamingConvention } from './naming-convention.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { IndexDef, IndexElement } from './schema-snapshot.ts'
import { SqlFragment } from './sql.ts'
import { nameConstraints, type PendingIndex, renderFragment } from './to-column-def.ts'

/** How a table's extras name its columns: resolves a reference to a database name, or throws. */
export interface ColumnScope {
  /** The table, schema-qualified, for messages. */
  readonly table: string
  /** The database name of a referenced column; `what` says who references it, for messages. */
  column(reference: ColumnTarget | string, what: string): string
}

/** An index as the operations layer needs it: where it goes, its definition, and the hint. */
export interface IndexDefinition {
  readonly schema: string | undefined
  readonly table: string
  readonly index: IndexDef
  /** Whether `.concurrently()` asked for `CREATE INDEX CONCURRENTLY`. */
  readonly concurrently: boolean
}

/** Options of {@link toIndexDef}. */
export interface ToIndexDefOptions {
  /** The indexed table; default: the table of the table columns the index names. */
  readonly table?: string
  /** The table's schema; default: that of the table columns, or the default schema. */
  readonly schema?: string
  /** Default: `DEFAULT_NAMING_CONVENTION`. */
  readonly namingConvention?: NamingConvention
}

/**
 * Converts one index builder into an {@link IndexDef} named by the naming convention, with its
 * table and its `.concurrently()` hint; for the `op.createIndex` facade. Column names given as
 * strings are taken as written.
 *
 * @example
 * toIndexDef(index().on(users.email).concurrently())
 * // { schema: undefined, table: 'users', index: { name: 'ix_users_email', ... },
 * //   concurrently: true }
 * toIndexDef(index().on('email'), { table: 'users' })
 */
export function toIndexDef(
  builder: IndexBuilder,
  options: ToIndexDefOptions = {},
): IndexDefinition {
  const targets = [
    ...builder.state.elements.map((element) => element.state.target),
    ...builder.state.include,
  ].filter(
    (target): target is ColumnTarget =>
      typeof target === 'object' && !(target instanceof SqlFragment),
  )
  const owner = targets[0]?.table
  const table = options.table ?? owner?.name
  const schema = options.schema === undefined ? owner?.schema : normalizeSchema(options.schema)
  if (table === undefined) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      'toIndexDef() cannot tell which table the index is on; pass { table } or index table columns (users.email)',
    )
  }
  const where = schema === undefined ? table : `${schema}.${table}`
  const scope: ColumnScope = {
    table: where,
    column(reference, what) {
      if (typeof reference === 'string') return reference
      if (reference.table.name !== table || reference.table.schema !== schema) {
        throw new SchemaModelError(
          'UNKNOWN_COLUMN',
          `${what} names ${reference.table.name}.${reference.name}, a column of another table than ${where}; index one table's columns`,
          { table: where, column: reference.name },
        )
      }
      return reference.name
    },
  }
  const convention = resolveNamingConvention(options.namingConvention)
  const pending = pendingIndex(builder, scope)
  const named = nameConstraints(
    { primaryKey: undefined, foreignKeys: [], uniques: [], checks: [], indexes: [pending] },
    table,
    convention,
  )
  return { schema, table, index: named.indexes[0]!, concurrently: builder.state.concurrently }
}

/**
 * Converts an index builder's data into an index before naming: elements resolved through the
 * table's scope, defaults normalized away (ascending order, its default null placement, btree)
 * so that `asc()` and nothing compare equal.
 */
export function pendingIndex(builder: IndexBuilder, scope: ColumnScope): PendingIndex {
  const state = builder.state
  const what = `index ${state.name ?? '(unnamed)'} on ${scope.table}`
  if (state.elements.length === 0) {
    throw new SchemaModelError(
      'EMPTY_INDEX',
      `${what} has no columns or expressions; list them with .on(...)`,
      { table: scope.table },
    )
  }
  const columns: string[] = []
  const elements = state.elements.map((element): IndexElement => {
    const { target, order, nulls, opclass } = element.state
    let column: string | undefined
    let expression: string | undefined
    if (target instanceof SqlFragment) {
      expression = renderFragment(target, scope.table)
      columns.push(...target.columns())
    } else {
      column = scope.column(target, what)
      columns.push(column)
    }
    const descending = order === 'desc'
    return {
      column,
      expression,
      order: descending ? 'desc' : undefined,
      // PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending.
      nulls: nulls === (descending ? 'first' : 'last') ? undefined : nulls,
      opclass,
    }
  })
  return {
    explicitName: state.name,
    elements,
    unique: state.unique,
    method: state.method === 'btree' ? undefined : state.method,
    where: state.where === undefined ? undefined : renderFragment(state.where, scope.table),
    include: state.include.map((column) => scope.column(column, `${what} (include)`)),
    columns,
  }
}
