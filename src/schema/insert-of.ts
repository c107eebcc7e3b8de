import type { ColumnConfig } from './column-builder.ts'
import type { ColumnsOf, ColumnValue, Simplify } from './row-of.ts'
import type { AnyTable } from './table.ts'

/**
 * True when an insert may omit the column: it is nullable, has a default, is identity or serial.
 */
export type IsOptionalOnInsert<C extends ColumnConfig> = C['notNull'] extends true
  ? C['hasDefault'] extends true
    ? true
    : false
  : true

/**
 * The type of a row to insert into a table, keyed by property key: every column that is
 * nullable, has a default, or is an identity or serial column is optional.
 *
 * @example
 * export type NewUser = InsertOf<typeof users>
 * // { email: string; hashedPassword: string; id?: number; isActive?: boolean }
 */
export type InsertOf<T extends AnyTable> = Simplify<
  {
    -readonly [K in keyof ColumnsOf<T> as IsOptionalOnInsert<
      ColumnsOf<T>[K]['~config']
    > extends true
      ? never
      : K]: ColumnValue<ColumnsOf<T>[K]['~config']>
  } & {
    -readonly [K in keyof ColumnsOf<T> as IsOptionalOnInsert<
      ColumnsOf<T>[K]['~config']
    > extends true
      ? K
      : never]?: ColumnValue<ColumnsOf<T>[K]['~config']>
  }
>
