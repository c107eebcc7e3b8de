import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `smallint` (int2): whole numbers from -32768 to 32767; row type `number`. The database name
 * defaults to the property key.
 */
export function smallint(): NewColumn<number, 'smallint', undefined>
export function smallint<const N extends string>(name: N): NewColumn<number, 'smallint', N>
export function smallint(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'smallint' }))
}
