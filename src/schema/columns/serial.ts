import { ColumnBuilder, type ColumnConfig, newColumnState } from '../column-builder.ts'

/** The config of a serial column: not null, filled by its sequence. */
export interface SerialConfig<
  TData,
  TKind extends 'smallint' | 'integer' | 'bigint',
  TName extends string | undefined,
> extends ColumnConfig {
  readonly data: TData
  readonly kind: TKind
  readonly notNull: true
  readonly hasDefault: true
  readonly identity: undefined
  readonly name: TName
}

/**
 * `serial`: an integer column fed by an owned sequence (`integer NOT NULL DEFAULT nextval(...)`);
 * row type `number`, optional on insert. Prefer `integer().identity()`, the SQL-standard form
 * PostgreSQL recommends since version 10; serial remains for schemas that already use it.
 *
 * @example
 * id: serial().primaryKey()
 */
export function serial(): ColumnBuilder<SerialConfig<number, 'integer', undefined>>
export function serial<const N extends string>(
  name: N,
): ColumnBuilder<SerialConfig<number, 'integer', N>>
export function serial(name?: string): ColumnBuilder {
  return new ColumnBuilder(
    newColumnState(name, { kind: 'integer' }, { serial: true, notNull: true }),
  )
}
