import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `date` (no time of day); row type `string` (`YYYY-MM-DD`), which avoids the time-zone shift of a
 * JavaScript `Date` at midnight. node-postgres returns a `Date` unless the application sets
 * `types.setTypeParser(1082, (v) => v)`. The database name defaults to the property key.
 */
export function date(): NewColumn<string, 'date', undefined>
export function date<const N extends string>(name: N): NewColumn<string, 'date', N>
export function date(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'date' }))
}
