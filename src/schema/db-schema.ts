import { normalizeSchema } from './column-builder.ts'
import type { EngineTableOptions } from './engine-options.ts'
import { type EnumType, enumType } from './enum-type.ts'
import {
  type ColumnRecord,
  makeTable,
  type SchemaName,
  type Table,
  type TableExtras,
} from './table.ts'

/** Options of `dbSchema(...).table()`: a comment and engine options besides extras. */
export interface SchemaTableOptions<TTable> extends EngineTableOptions {
  /** `COMMENT ON TABLE`: documentation stored in the database. */
  readonly comment?: string
  /** Indexes and table-level constraints; see `table()`. */
  readonly extras?: TableExtras<TTable>
}

/** A database schema (namespace) whose `table()` and `enumType()` place things in it. */
export interface DbSchema<TSchema extends string | undefined> {
  /** The schema's name; undefined for `dbSchema('public')`, the default schema. */
  readonly name: TSchema
  /** Declares a table in this schema; the same as `table()` with `{ schema }`. */
  table<const TName extends string, TColumns extends ColumnRecord>(
    name: TName,
    columns: TColumns,
    extras?:
      | TableExtras<Table<TName, TSchema, TColumns>>
      | SchemaTableOptions<Table<TName, TSchema, TColumns>>,
  ): Table<TName, TSchema, TColumns>
  /** Declares an enum type in this schema; the same as `enumType()` with `{ schema }`. */
  enumType<const TName extends string, const TValues extends readonly string[]>(
    name: TName,
    values: TValues,
  ): EnumType<TName, TValues>
}

/**
 * A database schema (PostgreSQL namespace) for tables and enums outside the default `public`
 * one. Migrations create the schema itself (`op.createSchema('auth')`); the model only places
 * things in it. In `DatabaseOf` its tables are keyed `'auth.users'`.
 *
 * @example
 * const auth = dbSchema('auth')
 * export const role = auth.enumType('role', ['member', 'admin'])
 * export const accounts = auth.table('accounts', {
 *   id: uuid().primaryKey(),
 *   role: role().notNull(),
 * })
 */
export function dbSchema<const TSchema extends string>(
  name: TSchema,
): DbSchema<SchemaName<TSchema>> {
  const schema = normalizeSchema(name) as SchemaName<TSchema>
  return Object.freeze({
    name: schema,
    table(name: string, columns: ColumnRecord, extras?: unknown) {
      const options = (typeof extras === 'function' ? { extras } : extras) as
        | SchemaTableOptions<never>
        | undefined
      return makeTable(name, schema, columns, options ?? {})
    },
    enumType(name: string, values: readonly string[]) {
      return enumType(name, values, { schema })
    },
  }) as unknown as DbSchema<SchemaName<TSchema>>
}
