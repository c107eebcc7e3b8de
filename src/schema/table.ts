import type { CheckConstraint } from './check.ts'
import {
  ColumnBuilder,
  type ColumnConfig,
  normalizeSchema,
  type TableIdentity,
} from './column-builder.ts'
import { type EngineTableOptions, engineOptionsOf } from './engine-options.ts'
import type { ExclusionConstraint } from './exclusion.ts'
import type { ForeignKeyConstraint } from './foreign-key.ts'
import type { IndexBuilder } from './index-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import type { PartitionKey } from './partition-key.ts'
import type { PrimaryKeyConstraint } from './primary-key.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import { SQL_PART, type SqlInterpolable, type SqlPart } from './sql.ts'
import { TableColumn } from './table-column.ts'
import type { Trigger } from './trigger-options.ts'
import type { UniqueBuilder } from './unique.ts'

/** The key under which a table object keeps its {@link TableState}; marks table objects. */
export const TABLE: unique symbol = Symbol.for('aludel.table')

/** A table's columns as declared: property key → column builder. */
export type ColumnRecord = { readonly [key: string]: ColumnBuilder<ColumnConfig> }

/** What a table's extras callback may return. */
export type TableExtra =
  | IndexBuilder
  | UniqueBuilder
  | CheckConstraint
  | PrimaryKeyConstraint
  | ForeignKeyConstraint
  | Trigger
  | ExclusionConstraint
  | PartitionKey

/** A table's extras callback: receives the table's columns, returns indexes and constraints. */
export type TableExtras<T> = (table: T) => readonly TableExtra[]

/** A table's data; converters read it through `table[TABLE]`. */
export interface TableState<
  TName extends string = string,
  TSchema extends string | undefined = string | undefined,
  TColumns extends ColumnRecord = ColumnRecord,
> extends TableIdentity {
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: TSchema
  readonly comment: string | undefined
  /** Options for particular engines (`mysql`, `sqlite`); undefined: none. */
  readonly engineOptions: EngineTableOptions | undefined
  /** The builders as declared, keyed by property key; row types are derived from them. */
  readonly builders: TColumns
  /** The bound columns, in declaration order. */
  readonly columns: readonly TableColumn[]
  /**
   * The extras callback, called with the table when it is converted (so it may name later tables).
   */
  readonly extras: TableExtras<never> | undefined
}

/** Any table object; the type converters and row types accept. */
export interface AnyTable extends SqlInterpolable {
  readonly [TABLE]: TableState
}

/**
 * A table object: its columns as properties (`users.email` is a {@link TableColumn}), its data
 * under the {@link TABLE} symbol. In an `sql` fragment it renders as its qualified name.
 */
export type Table<
  TName extends string = string,
  TSchema extends string | undefined = string | undefined,
  TColumns extends ColumnRecord = ColumnRecord,
> = { readonly [TABLE]: TableState<TName, TSchema, TColumns> } & SqlInterpolable &
  // `Table` without arguments is the supertype of every table: no column properties, since a
  // specific table has no index signature to match.
  (string extends keyof TColumns
    ? unknown
    : { readonly [K in keyof TColumns]: TableColumn<TColumns[K]['~config']> })

/** The schema a table's type records: `'public'` is the default schema, spelled `undefined`. */
export type SchemaName<S extends string | undefined> = S extends 'public' ? undefined : S

/** Options of `table()`, for a schema or a comment besides extras. */
export interface TableOptions<TSchema extends string | undefined, TTable>
  extends EngineTableOptions {
  /** The schema that holds the table; default: the default schema (`public`). */
  readonly schema?: TSchema
  /** `COMMENT ON TABLE`: documentation stored in the database. */
  readonly comment?: string
  /** Indexes and table-level constraints; see the third argument of `table()`. */
  readonly extras?: TableExtras<TTable>
}

/**
 * Declares a table: a name, its columns (property key → column builder; the key is the database
 * name unless the builder has one), and optionally extras — a function that receives the table's
 * columns and returns indexes and constraints — or an options object with `schema`, `comment` and
 * `extras`. Extras are called only when the model is converted, so they may reference tables
 * declared later.
 *
 * @example
 * export const users = table('users', {
 *   id: integer().primaryKey().identity(),
 *   email: varchar(255).notNull().unique(),
 *   hashedPassword: text('hashed_password').notNull(),
 *   isActive: boolean('is_active').notNull().default(true),
 * }, (t) => [index('ix_users_email_lower').on(sql`lower(${t.email})`)])
 *
 * export const sessions = table('sessions', { id: uuid().primaryKey() }, {
 *   schema: 'auth',
 *   comment: 'Login sessions',
 * })
 */
export function table<const TName extends string, TColumns extends ColumnRecord>(
  name: TName,
  columns: TColumns,
  extras?: TableExtras<Table<TName, undefined, TColumns>>,
): Table<TName, undefined, TColumns>
export function table<
  const TName extends string,
  TColumns extends ColumnRecord,
  const TSchema extends string | undefined = undefined,
>(
  name: TName,
  columns: TColumns,
  options: TableOptions<TSchema, Table<TName, SchemaName<TSchema>, TColumns>>,
): Table<TName, SchemaName<TSchema>, TColumns>
export function table(
  name: string,
  columns: ColumnRecord,
  extrasOrOptions?: TableExtras<never> | TableOptions<string | undefined, never>,
): AnyTable {
  const options =
    typeof extrasOrOptions === 'function' ? { extras: extrasOrOptions } : extrasOrOptions
  return makeTable(name, options?.schema, columns, options ?? {})
}

/**
 * Builds a table object; `table()` and `dbSchema(...).table()` call it. Checks the names and that
 * no two columns share a database name.
 */
export function makeTable(
  name: string,
  schema: string | undefined,
  builders: ColumnRecord,
  options: Omit<TableOptions<string | undefined, never>, 'schema'>,
): AnyTable {
  checkExplicitName('table name', name)
  const normalizedSchema = normalizeSchema(schema)
  if (normalizedSchema !== undefined) checkExplicitName('schema name', normalizedSchema)
  const qualified = qualifiedName(normalizedSchema, name)
  if (typeof builders !== 'object' || builders === null) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `table ${qualified} needs its columns as an object, like { id: integer().primaryKey() }`,
      { table: qualified },
    )
  }
  const columns: TableColumn[] = []
  const state: TableState = {
    name,
    schema: normalizedSchema,
    comment: options.comment,
    engineOptions: engineOptionsOf(qualified, options),
    builders: Object.freeze({ ...builders }),
    columns,
    extras: options.extras,
  }
  const byName = new Map<string, string>()
  const object: Record<string | symbol, unknown> = {}
  for (const [key, builder] of Object.entries(builders)) {
    if (!(builder instanceof ColumnBuilder)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `column ${key} of table ${qualified} is not a column builder; declare it with a type function such as text() or integer()`,
        { table: qualified, column: key },
      )
    }
    const column = new TableColumn(state, key, builder)
    checkExplicitName('column name', column.name, qualified)
    const clash = byName.get(column.name)
    if (clash !== undefined) {
      throw new SchemaModelError(
        'DUPLICATE_COLUMN',
        `table ${qualified} has two columns named ${column.name} (properties ${clash} and ${key}); give one of them another name`,
        { table: qualified, column: column.name },
      )
    }
    byName.set(column.name, key)
    columns.push(column)
    // defineProperty, not assignment: a column keyed `__proto__` must stay a column.
    Object.defineProperty(object, key, { value: column, enumerable: true })
  }
  Object.freeze(columns)
  Object.freeze(state)
  Object.defineProperty(object, TABLE, { value: state })
  Object.defineProperty(object, SQL_PART, {
    value: (): SqlPart => ({ sql: quoteQualifiedName(normalizedSchema, name), columns: [] }),
  })
  return Object.freeze(object) as unknown as AnyTable
}

/** True for a table object made by `table()`. */
export function isTable(value: unknown): value is AnyTable {
  return typeof value === 'object' && value !== null && TABLE in value
}

/** `schema.name`, or `name` in the default schema; how messages and `DatabaseOf` name tables. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}
