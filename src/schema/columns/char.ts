import {
  ColumnBuilder,
  checkTypeArgument,
  type NewColumn,
  newColumnState,
} from '../column-builder.ts'

/**
 * `char(length)`: a blank-padded string of exactly `length` characters (PostgreSQL's default
 * length is 1); row type `string`. The database name defaults to the property key.
 *
 * @example
 * countryCode: char('country_code', 2).notNull()
 */
export function char(length?: number): NewColumn<string, 'char', undefined>
export function char<const N extends string>(name: N, length?: number): NewColumn<string, 'char', N>
export function char(nameOrLength?: string | number, maybeLength?: number): ColumnBuilder {
  const name = typeof nameOrLength === 'string' ? nameOrLength : undefined
  // 10485760 is PostgreSQL's largest declared length for character types.
  const length = checkTypeArgument(
    'char length',
    typeof nameOrLength === 'number' ? nameOrLength : maybeLength,
    1,
    10_485_760,
  )
  return new ColumnBuilder(newColumnState(name, { kind: 'char', length }))
}
