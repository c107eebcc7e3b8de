import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `integer` (int4): whole numbers from -2147483648 to 2147483647; row type `number`. The database
 * name defaults to the property key.
 *
 * @example
 * id: integer().primaryKey().identity()
 * ownerId: integer('owner_id').references(() => users.id)
 */
export function integer(): NewColumn<number, 'integer', undefined>
export function integer<const N extends string>(name: N): NewColumn<number, 'integer', N>
export function integer(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'integer' }))
}
