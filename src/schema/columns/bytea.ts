import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `bytea`: binary data; row type `Uint8Array` (node-postgres returns a `Buffer`, which is one).
 * The database name defaults to the property key.
 */
export function bytea(): NewColumn<Uint8Array, 'bytea', undefined>
export function bytea<const N extends string>(name: N): NewColumn<Uint8Array, 'bytea', N>
export function bytea(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'bytea' }))
}
