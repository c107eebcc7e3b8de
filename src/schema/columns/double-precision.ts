import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `double precision` (float8): a 15-digit floating-point number; row type `number`. The database
 * name defaults to the property key.
 */
export function doublePrecision(): NewColumn<number, 'double', undefined>
export function doublePrecision<const N extends string>(name: N): NewColumn<number, 'double', N>
export function doublePrecision(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'double' }))
}
