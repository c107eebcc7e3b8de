import type { ColumnBuilder, NewColumn } from '../column-builder.ts'
import { type TimeOptions, timeColumn } from './time.ts'

/**
 * `timestamp [(precision)] [with time zone]`; row type `Date`. Without `withTimezone` the value
 * has no zone and node-postgres reads it in the process's local zone; prefer `timestamptz()`.
 * The database name defaults to the property key.
 *
 * @example
 * createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`)
 */
export function timestamp(options?: TimeOptions): NewColumn<Date, 'timestamp', undefined>
export function timestamp<const N extends string>(
  name: N,
  options?: TimeOptions,
): NewColumn<Date, 'timestamp', N>
export function timestamp(
  nameOrOptions?: string | TimeOptions,
  maybeOptions?: TimeOptions,
): ColumnBuilder {
  return timeColumn('timestamp', nameOrOptions, maybeOptions, false)
}
