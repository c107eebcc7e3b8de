import type { ColumnTarget } from './column-builder.ts'
import { quoteIdentifier } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { PartitionKeyDef, PartitionStrategy } from './schema-snapshot.ts'
import { SqlFragment } from './sql.ts'

/** A table extra that partitions the table: `partitionBy('range', t.createdAt)`. */
export interface PartitionKey {
  /** Tells table extras apart. */
  readonly kind: 'partitionBy'
  readonly strategy: PartitionStrategy
  /** Table columns, column names, or `sql` fragments written as they are. */
  readonly elements: readonly (ColumnTarget | string | SqlFragment)[]
}

const STRATEGIES: ReadonlySet<string> = new Set(['range', 'list', 'hash'])

/**
 * Partitions the table (`PARTITION BY RANGE | LIST | HASH (...)`, manual, 5.12 "Table
 * Partitioning"): a table extra. Each element is a column, or an `sql` fragment written into the
 * key as it is — so an expression other than a function call needs its own parentheses, as
 * `PARTITION BY` requires (`sql\`(${t.a} + ${t.b})\``). Rows live in the table's partitions,
 * declared with {@link partition}. A primary key or unique constraint must include the key's
 * columns.
 *
 * @example
 * export const payment = table('payment', { ... }, (t) => [
 *   primaryKey({ columns: [t.paymentDate, t.paymentId] }),
 *   partitionBy('range', t.paymentDate),
 * ])
 */
export function partitionBy(
  strategy: PartitionStrategy,
  ...elements: readonly (ColumnTarget | string | SqlFragment)[]
): PartitionKey {
  if (!STRATEGIES.has(strategy)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `partitionBy('${String(strategy)}', ...) needs a strategy: 'range', 'list' or 'hash'`,
    )
  }
  if (elements.length === 0) {
    throw new SchemaModelError(
      'INVALID_PARTITION',
      `partitionBy('${strategy}') needs at least one column or expression`,
    )
  }
  return Object.freeze({ kind: 'partitionBy', strategy, elements: Object.freeze([...elements]) })
}

/**
 * A partition key's elements as SQL: a column by its (quoted when needed) name, a fragment as it
 * is. `column` resolves a table column or a name to a column of the table.
 */
export function partitionKeyDef(
  key: PartitionKey,
  column: (reference: ColumnTarget | string) => string,
): PartitionKeyDef {
  return {
    strategy: key.strategy,
    elements: key.elements.map((element) =>
      element instanceof SqlFragment ? element.toSql() : quoteIdentifier(column(element)),
    ),
  }
}
