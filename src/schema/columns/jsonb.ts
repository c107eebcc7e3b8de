import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `jsonb`: JSON stored decomposed, indexable with GIN. Row type `T` (default `unknown`). The
 * database name defaults to the property key; to give both a name and a type, write
 * `jsonb('name').$type<T>()` (TypeScript cannot infer the name's literal type when `T` is given
 * explicitly).
 *
 * @example
 * settings: jsonb<{ theme: 'dark' | 'light' }>().notNull().default({ theme: 'light' })
 * payload: jsonb('raw_payload').$type<Payload>()
 */
export function jsonb<T = unknown>(): NewColumn<T, 'jsonb', undefined>
export function jsonb<const N extends string>(name: N): NewColumn<unknown, 'jsonb', N>
export function jsonb(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'jsonb' }))
}
