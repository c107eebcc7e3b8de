import {
  ColumnBuilder,
  checkTypeArgument,
  type NewColumn,
  newColumnState,
} from '../column-builder.ts'

/**
 * `varchar(length)`: a string of at most `length` characters (any length when omitted); row
 * type `string`. The database name defaults to the property key.
 *
 * @example
 * email: varchar(255).notNull().unique()
 * title: varchar('title', 200)
 */
export function varchar(length?: number): NewColumn<string, 'varchar', undefined>
export function varchar<const N extends string>(
  name: N,
  length?: number,
): NewColumn<string, 'varchar', N>
export function varchar(nameOrLength?: string | number, maybeLength?: number): ColumnBuilder {
  const name = typeof nameOrLength === 'string' ? nameOrLength : undefined
  // 10485760 is PostgreSQL's largest declared length for character types.
  const length = checkTypeArgument(
    'varchar length',
    typeof nameOrLength === 'number' ? nameOrLength : maybeLength,
    1,
    10_485_760,
  )
  return new ColumnBuilder(newColumnState(name, { kind: 'varchar', length }))
}
