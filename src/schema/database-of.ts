import type { ColumnConfig } from './column-builder.ts'
import type { SchemaModel } from './define-schema.ts'
import type { ColumnsOf, ColumnValue, Simplify } from './row-of.ts'
import type { AnyTable, TABLE } from './table.ts'

/**
 * Kysely's `ColumnType<Select, Insert, Update>`, reproduced structurally so that aludel does not
 * depend on Kysely: a column whose type differs between select, insert and update. Kysely reads
 * the three brands; any type with the same shape works as its `Database` columns.
 */
export type KyselyColumnType<SelectType, InsertType = SelectType, UpdateType = SelectType> = {
  readonly __select__: SelectType
  readonly __insert__: InsertType
  readonly __update__: UpdateType
}

/** Kysely's `Generated<S>`: the database may fill the column, so inserts may omit it. */
export type Generated<S> = KyselyColumnType<S, S | undefined, S>

/**
 * Kysely's `GeneratedAlways<S>`: the database always fills it; inserts and updates may not set it.
 */
export type GeneratedAlways<S> = KyselyColumnType<S, never, never>

/** A column's type in a Kysely database interface. */
export type KyselyColumn<C extends ColumnConfig> = C['identity'] extends 'always'
  ? GeneratedAlways<ColumnValue<C>>
  : C['hasDefault'] extends true
    ? Generated<ColumnValue<C>>
    : ColumnValue<C>

/** The database name of a column: the builder's name, else its property key. */
type DbName<K, C extends ColumnConfig> = C['name'] extends string ? C['name'] : K

/** A table's key in {@link DatabaseOf}: `users`, or `auth.users` outside the default schema. */
export type TableKey<T extends AnyTable> = T[typeof TABLE]['schema'] extends string
  ? `${T[typeof TABLE]['schema']}.${T[typeof TABLE]['name']}`
  : T[typeof TABLE]['name']

/** A table's row in {@link DatabaseOf}: keyed by database column names, Kysely column types. */
export type KyselyTable<T extends AnyTable> = Simplify<{
  -readonly [K in keyof ColumnsOf<T> as DbName<K, ColumnsOf<T>[K]['~config']>]: KyselyColumn<
    ColumnsOf<T>[K]['~config']
  >
}>

type TablesOf<E> = {
  -readonly [K in keyof E as E[K] extends AnyTable ? TableKey<E[K]> : never]: E[K] extends AnyTable
    ? KyselyTable<E[K]>
    : never
}

/**
 * The database interface Kysely's `Kysely<DB>` expects, derived from a schema model (or a record
 * of tables): keyed by table name (`'auth.users'` outside the default schema), each table keyed
 * by database column names. Columns the database fills are `Generated<T>` (defaults, by-default
 * identity, serial) or `GeneratedAlways<T>` (always identity); nullable columns are `T | null`,
 * which Kysely already treats as optional on insert. The column types are structural copies of
 * Kysely's, so aludel needs no Kysely install.
 *
 * @example
 * import { Kysely, PostgresDialect } from 'kysely'
 * type Database = DatabaseOf<typeof model>
 * export const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
 * await db.selectFrom('users').select(['id', 'hashed_password']).execute()
 */
export type DatabaseOf<M> = Simplify<M extends SchemaModel<infer E> ? TablesOf<E> : TablesOf<M>>
