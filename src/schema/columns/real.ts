import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `real` (float4): a 6-digit floating-point number; row type `number`. The database name defaults
 * to the property key.
 */
export function real(): NewColumn<number, 'real', undefined>
export function real<const N extends string>(name: N): NewColumn<number, 'real', N>
export function real(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'real' }))
}
