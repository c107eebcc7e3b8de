import type { ColumnConfig } from './column-builder.ts'
import type { AnyTable, TABLE } from './table.ts'

/** The column builders of a table type, keyed by property key. */
export type ColumnsOf<T extends AnyTable> = T[typeof TABLE]['builders']

/** A column's value in a row: its TypeScript type, with `| null` unless it is NOT NULL. */
export type ColumnValue<C extends ColumnConfig> = C['notNull'] extends true
  ? C['data']
  : C['data'] | null

/** Flattens an intersection into one object type, for readable hovers and exact type equality. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}

/**
 * The type of a row of a table as the driver returns it, keyed by property key (the TypeScript
 * names): nullable columns are `T | null`.
 *
 * @example
 * export type User = RowOf<typeof users>
 * // { id: number; email: string; hashedPassword: string; isActive: boolean }
 */
export type RowOf<T extends AnyTable> = Simplify<{
  -readonly [K in keyof ColumnsOf<T>]: ColumnValue<ColumnsOf<T>[K]['~config']>
}>
