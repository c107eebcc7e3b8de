import {
  ColumnBuilder,
  checkTypeArgument,
  type NewColumn,
  newColumnState,
} from '../column-builder.ts'
import { SchemaModelError } from '../schema-model-error.ts'

/**
 * `numeric(precision, scale)`: an exact decimal; row type `string`, because node-postgres returns
 * it as text to keep every digit. Without arguments, any precision. The database name defaults to
 * the property key.
 *
 * @example
 * price: numeric(10, 2).notNull()
 * total: numeric('order_total', 12, 2)
 */
export function numeric(precision?: number, scale?: number): NewColumn<string, 'numeric', undefined>
export function numeric<const N extends string>(
  name: N,
  precision?: number,
  scale?: number,
): NewColumn<string, 'numeric', N>
export function numeric(
  nameOrPrecision?: string | number,
  precisionOrScale?: number,
  maybeScale?: number,
): ColumnBuilder {
  const named = typeof nameOrPrecision === 'string'
  const name = named ? nameOrPrecision : undefined
  // PostgreSQL accepts precision 1..1000 and, since version 15, scale -1000..1000.
  const precision = checkTypeArgument(
    'numeric precision',
    named ? precisionOrScale : nameOrPrecision,
    1,
    1000,
  )
  const scale = checkTypeArgument(
    'numeric scale',
    named ? maybeScale : precisionOrScale,
    -1000,
    1000,
  )
  if (scale !== undefined && precision === undefined) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      'numeric scale needs a precision too; write numeric(precision, scale)',
    )
  }
  return new ColumnBuilder(newColumnState(name, { kind: 'numeric', precision, scale }))
}
