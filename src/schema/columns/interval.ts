import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `interval`: a span of time; row type `string` (PostgreSQL's text form, such as `'1 day
 * 02:00:00'`). The database name defaults to the property key.
 */
export function interval(): NewColumn<string, 'interval', undefined>
export function interval<const N extends string>(name: N): NewColumn<string, 'interval', N>
export function interval(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'interval' }))
}
