import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `uuid`; row type `string`. The database name defaults to the property key.
 *
 * @example
 * id: uuid().primaryKey().default(sql`gen_random_uuid()`) // PostgreSQL 13+
 */
export function uuid(): NewColumn<string, 'uuid', undefined>
export function uuid<const N extends string>(name: N): NewColumn<string, 'uuid', N>
export function uuid(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'uuid' }))
}
