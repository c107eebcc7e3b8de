import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `boolean`; row type `boolean`. The database name defaults to the property key.
 *
 * @example
 * isActive: boolean('is_active').notNull().default(true)
 */
export function boolean(): NewColumn<boolean, 'boolean', undefined>
export function boolean<const N extends string>(name: N): NewColumn<boolean, 'boolean', N>
export function boolean(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'boolean' }))
}
