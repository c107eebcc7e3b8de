import type { ColumnBuilder, NewColumn } from '../column-builder.ts'
import { type TimeOptions, timeColumn } from './time.ts'

/**
 * `timestamp with time zone` (timestamptz): an instant; row type `Date`. The same as
 * `timestamp({ withTimezone: true })`; `withTimezone: false` in the options is honoured. The
 * database name defaults to the property key.
 *
 * @example
 * createdAt: timestamptz('created_at').notNull().default(sql`now()`)
 */
export function timestamptz(options?: TimeOptions): NewColumn<Date, 'timestamp', undefined>
export function timestamptz<const N extends string>(
  name: N,
  options?: TimeOptions,
): NewColumn<Date, 'timestamp', N>
export function timestamptz(
  nameOrOptions?: string | TimeOptions,
  maybeOptions?: TimeOptions,
): ColumnBuilder {
  return timeColumn('timestamp', nameOrOptions, maybeOptions, true)
}
