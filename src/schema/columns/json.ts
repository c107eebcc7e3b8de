import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'

/**
 * `json`: JSON kept as text, exactly as written (key order and duplicates preserved); prefer
 * `jsonb()` unless that matters. Row type `T` (default `unknown`). The database name defaults to
 * the property key; to give both a name and a type, write `json('name').$type<T>()` (TypeScript
 * cannot infer the name's literal type when `T` is given explicitly).
 *
 * @example
 * settings: json<{ theme: 'dark' | 'light' }>().notNull().default({ theme: 'light' })
 * payload: json('raw_payload').$type<Payload>()
 */
export function json<T = unknown>(): NewColumn<T, 'json', undefined>
export function json<const N extends string>(name: N): NewColumn<unknown, 'json', N>
export function json(name?: string): ColumnBuilder {
  return new ColumnBuilder(newColumnState(name, { kind: 'json' }))
}
