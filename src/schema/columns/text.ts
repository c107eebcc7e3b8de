import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `text`: a string of any length; row type `string`. The database name defaults to the property
 * key.
 *
 * @example
 * hashedPassword: text('hashed_password').notNull()
 */
export function text(): NewColumn<string, 'text', undefined>
export function text<const N extends string>(name: N): NewColumn<string, 'text', N>
export function text(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'text' }))
}
