import { normalizeSchema } from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { PartitionBound, PartitionDef } from './schema-snapshot.ts'
import { SQL_PART, SqlFragment, type SqlInterpolable, type SqlPart } from './sql.ts'
import { type AnyTable, isTable, qualifiedName, TABLE } from './table.ts'

/** The key under which a partition object keeps its {@link PartitionState}; marks partitions. */
export const PARTITION: unique symbol = Symbol.for('aludel.partition')

/**
 * A value of a partition bound: a JavaScript value written as an SQL constant (a string quoted, a
 * Date in ISO 8601), or an `sql` fragment for anything else (`sql\`MINVALUE\``, `sql\`MAXVALUE\``).
 */
export type PartitionValue = string | number | bigint | boolean | Date | null | SqlFragment

/**
 * The rows a partition holds, as `CREATE TABLE ... PARTITION OF` states them: a range (`from`
 * included, `to` excluded; one value per key column, or a single value), a list of values, a
 * hash modulus and remainder, or `'default'` for the rows no other partition takes.
 */
export type PartitionBoundSpec =
  | {
      readonly from: PartitionValue | readonly PartitionValue[]
      readonly to: PartitionValue | readonly PartitionValue[]
    }
  | { readonly in: readonly PartitionValue[] }
  | { readonly modulus: number; readonly remainder: number }
  | 'default'

/**
 * Converts a bound as the DSL and `op.createPartition` take it into the snapshot's
 * {@link PartitionBound}; `where` names the partition in messages.
 */
export function toPartitionBound(spec: PartitionBoundSpec, where: string): PartitionBound {
  const invalid = (reason: string) =>
    new SchemaModelError('INVALID_PARTITION', `partition ${where} ${reason}`)
  if (spec === 'default') return { kind: 'default' }
  if (typeof spec !== 'object' || spec === null) {
    throw invalid("needs a bound: { from, to }, { in: [...] }, { modulus, remainder } or 'default'")
  }
  const values = (given: PartitionValue | readonly PartitionValue[], what: string) => {
    const list: readonly PartitionValue[] = Array.isArray(given)
      ? (given as readonly PartitionValue[])
      : [given as PartitionValue]
    if (list.length === 0) throw invalid(`has no values in ${what}`)
    return list.map(partitionValueSql)
  }
  if ('from' in spec || 'to' in spec) {
    const range = spec as { readonly from: PartitionValue; readonly to: PartitionValue }
    return { kind: 'range', from: values(range.from, 'from'), to: values(range.to, 'to') }
  }
  if ('in' in spec) return { kind: 'list', values: values(spec.in, 'in') }
  if ('modulus' in spec) {
    const { modulus, remainder } = spec
    if (!Number.isSafeInteger(modulus) || modulus < 1) {
      throw invalid(`has hash modulus ${String(modulus)}; use a whole number, 1 or more`)
    }
    if (!Number.isSafeInteger(remainder) || remainder < 0 || remainder >= modulus) {
      throw invalid(
        `has hash remainder ${String(remainder)}; use a whole number from 0 to ${modulus - 1}`,
      )
    }
    return { kind: 'hash', modulus, remainder }
  }
  throw invalid("needs a bound: { from, to }, { in: [...] }, { modulus, remainder } or 'default'")
}

/** One bound value as SQL: fragments as they are, other values as `sql` renders literals. */
function partitionValueSql(value: PartitionValue): string {
  if (value instanceof SqlFragment) return value.toSql()
  if (value === undefined) {
    throw new SchemaModelError(
      'INVALID_PARTITION',
      'a partition bound value is undefined; use null for NULL',
    )
  }
  return new SqlFragment(['', ''], [value]).toSql()
}

/**
 * A bound as a reader writes it, for messages: `FROM ('2024-01-01') TO ('2024-02-01')`,
 * `IN ('eu')`, `WITH (MODULUS 4, REMAINDER 0)`, `DEFAULT`.
 */
export function describePartitionBound(bound: PartitionBound): string {
  switch (bound.kind) {
    case 'range':
      return `FROM (${bound.from.join(', ')}) TO (${bound.to.join(', ')})`
    case 'list':
      return `IN (${bound.values.join(', ')})`
    case 'hash':
      return `WITH (MODULUS ${bound.modulus}, REMAINDER ${bound.remainder})`
    case 'default':
      return 'DEFAULT'
  }
}

/** Options of {@link partition}. */
export interface PartitionOptions {
  /** The partition's schema; default: its parent's. */
  readonly schema?: string
  /** `COMMENT ON TABLE`: documentation stored in the database. */
  readonly comment?: string
}

/** A partition's data; models read it through `partition[PARTITION]`. */
export interface PartitionState {
  readonly name: string
  /** The partition's schema; undefined for the default schema. */
  readonly schema: string | undefined
  readonly parent: AnyTable
  readonly bound: PartitionBound
  readonly comment: string | undefined
}

/** A partition object made by {@link partition}; in an `sql` fragment, its qualified name. */
export interface Partition extends SqlInterpolable {
  readonly [PARTITION]: PartitionState
}

/**
 * Declares a partition of a partitioned table (`CREATE TABLE name PARTITION OF parent FOR VALUES
 * ...`): it has its parent's columns, constraints and indexes, and holds the rows its bound
 * selects. List it in `defineSchema` with its parent; autogenerate creates it after the parent,
 * and a changed bound detaches and attaches it again, rows kept.
 *
 * @example
 * export const payment2024m01 = partition('payment_p2024_01', payment, {
 *   from: '2024-01-01',
 *   to: '2024-02-01',
 * })
 * export const paymentDefault = partition('payment_default', payment, 'default')
 * export const ordersEu = partition('orders_eu', orders, { in: ['de', 'fr'] })
 * export const events0 = partition('events_h0', events, { modulus: 4, remainder: 0 })
 */
export function partition(
  name: string,
  parent: AnyTable,
  bound: PartitionBoundSpec,
  options: PartitionOptions = {},
): Partition {
  checkExplicitName('partition name', name)
  if (!isTable(parent)) {
    throw new SchemaModelError(
      'INVALID_PARTITION',
      `partition ${name} needs its parent table object, like partition('${name}', payment, ...)`,
    )
  }
  const schema =
    options.schema === undefined ? parent[TABLE].schema : normalizeSchema(options.schema)
  if (schema !== undefined) checkExplicitName('schema name', schema)
  const state: PartitionState = Object.freeze({
    name,
    schema,
    parent,
    bound: toPartitionBound(bound, qualifiedName(schema, name)),
    comment: options.comment,
  })
  return Object.freeze({
    [PARTITION]: state,
    [SQL_PART]: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }),
  })
}

/** True for a value made by {@link partition}. */
export function isPartition(value: unknown): value is Partition {
  return typeof value === 'object' && value !== null && PARTITION in value
}

/** A partition object as snapshot data. */
export function toPartitionDef(value: Partition): PartitionDef {
  const state = value[PARTITION]
  return {
    schema: state.schema,
    name: state.name,
    bound: state.bound,
    comment: state.comment,
  }
}
