import { ColumnBuilder, newColumnState } from '../column-builder.ts'
import { type BigintData, type BigintMode, type BigintOptions, checkMode } from './bigint.ts'
import type { SerialConfig } from './serial.ts'

/**
 * `bigserial`: a bigint column fed by an owned sequence; row type `string` by default, or
 * `number`/`bigint` with `{ mode }` (see `BigintMode`), optional on insert. Prefer
 * `bigint().identity()` for new tables.
 *
 * @example
 * id: bigserial({ mode: 'number' }).primaryKey()
 */
export function bigserial<const M extends BigintMode = 'string'>(
  options?: BigintOptions<M>,
): ColumnBuilder<SerialConfig<BigintData<M>, 'bigint', undefined>>
export function bigserial<const N extends string, const M extends BigintMode = 'string'>(
  name: N,
  options?: BigintOptions<M>,
): ColumnBuilder<SerialConfig<BigintData<M>, 'bigint', N>>
export function bigserial(
  nameOrOptions?: string | BigintOptions,
  maybeOptions?: BigintOptions,
): ColumnBuilder {
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : undefined
  checkMode(typeof nameOrOptions === 'object' ? nameOrOptions : maybeOptions)
  return new ColumnBuilder(
    newColumnState(name, { kind: 'bigint' }, { serial: true, notNull: true }),
  )
}
