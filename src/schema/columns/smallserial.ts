import { ColumnBuilder, newColumnState } from '../column-builder.ts'
import type { SerialConfig } from './serial.ts'

/**
 * `smallserial`: a smallint column fed by an owned sequence; row type `number`, optional on
 * insert. For schemas that already use it — prefer `smallint().identity()` in new ones.
 *
 * @example
 * id: smallserial().primaryKey()
 */
export function smallserial(): ColumnBuilder<SerialConfig<number, 'smallint', undefined>>
export function smallserial<const N extends string>(
  name: N,
): ColumnBuilder<SerialConfig<number, 'smallint', N>>
export function smallserial(name?: string): ColumnBuilder {
  return new ColumnBuilder(
    newColumnState(name, { kind: 'smallint' }, { serial: true, notNull: true }),
  )
}
