import {
  ColumnBuilder,
  checkTypeArgument,
  type NewColumn,
  newColumnState,
} from '../column-builder.ts'

/** Options of `time()`, `timestamp()` and `timestamptz()`. */
export interface TimeOptions {
  /** Fractional digits of seconds, 0 to 6; default: the database's (6). */
  readonly precision?: number
  /** `WITH TIME ZONE`; default false (`timestamptz()` sets it). */
  readonly withTimezone?: boolean
}

/**
 * `time [(precision)] [with time zone]`: a time of day; row type `string` (`'13:45:00'`). The
 * database name defaults to the property key.
 *
 * @example
 * opensAt: time('opens_at', { precision: 0 }).notNull()
 */
export function time(options?: TimeOptions): NewColumn<string, 'time', undefined>
export function time<const N extends string>(
  name: N,
  options?: TimeOptions,
): NewColumn<string, 'time', N>
export function time(
  nameOrOptions?: string | TimeOptions,
  maybeOptions?: TimeOptions,
): ColumnBuilder {
  return timeColumn('time', nameOrOptions, maybeOptions, false)
}

/** Builds a time or timestamp column; shared by `time`, `timestamp` and `timestamptz`. */
export function timeColumn(
  kind: 'time' | 'timestamp',
  nameOrOptions: string | TimeOptions | undefined,
  maybeOptions: TimeOptions | undefined,
  withTimezoneByDefault: boolean,
): ColumnBuilder {
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : undefined
  const options = (typeof nameOrOptions === 'object' ? nameOrOptions : maybeOptions) ?? {}
  const precision = checkTypeArgument(`${kind} precision`, options.precision, 0, 6)
  const withTimezone = options.withTimezone ?? withTimezoneByDefault
  return new ColumnBuilder(newColumnState(name, { kind, withTimezone, precision }))
}
