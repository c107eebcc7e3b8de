import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'
import { SchemaModelError } from '../schema-model-error.ts'

/**
 * How a bigint value is typed in TypeScript: `'string'` (default; node-postgres returns int8 as a
 * string because it may not fit a `number`), `'number'` or `'bigint'`. The mode changes only the
 * TypeScript type; the application configures its driver to match (for node-postgres,
 * `types.setTypeParser(20, Number)` or `types.setTypeParser(20, BigInt)`).
 */
export type BigintMode = 'string' | 'number' | 'bigint'

/** The row type of a bigint column in the given mode. */
export type BigintData<M extends BigintMode> = M extends 'number'
  ? number
  : M extends 'bigint'
    ? bigint
    : string

/** Options of `bigint()` and `bigserial()`. */
export interface BigintOptions<M extends BigintMode = BigintMode> {
  /** The TypeScript type of values; default `'string'`. */
  readonly mode?: M
}

/**
 * `bigint` (int8): 64-bit whole numbers; row type `string` by default (see {@link BigintMode}),
 * or `number`/`bigint` with `{ mode }`. The database name defaults to the property key.
 *
 * @example
 * id: bigint({ mode: 'number' }).primaryKey().identity()
 * views: bigint('view_count', { mode: 'bigint' }).notNull().default(0n)
 */
export function bigint<const M extends BigintMode = 'string'>(
  options?: BigintOptions<M>,
): NewColumn<BigintData<M>, 'bigint', undefined>
export function bigint<const N extends string, const M extends BigintMode = 'string'>(
  name: N,
  options?: BigintOptions<M>,
): NewColumn<BigintData<M>, 'bigint', N>
export function bigint(
  nameOrOptions?: string | BigintOptions,
  maybeOptions?: BigintOptions,
): ColumnBuilder {
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : undefined
  checkMode(typeof nameOrOptions === 'object' ? nameOrOptions : maybeOptions)
  return new ColumnBuilder(newColumnState(name, { kind: 'bigint' }))
}

/** Rejects a mode a JavaScript caller misspelled, since it would silently mean `'string'`. */
export function checkMode(options: BigintOptions | undefined): void {
  const mode = options?.mode
  if (mode !== undefined && mode !== 'string' && mode !== 'number' && mode !== 'bigint') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `bigint mode '${String(mode)}' is not one of 'string', 'number', 'bigint'`,
    )
  }
}
