import { type ColumnTarget, normalizeSchema } from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { SequenceDataType, SequenceDef, SequenceOwner } from './schema-snapshot.ts'
import {
  checkSequenceNumbers,
  normalizeSequenceNumbers,
  type SequenceNumberOptions,
} from './sequence-numbers.ts'
import { SQL_PART, SqlFragment, type SqlInterpolable, type SqlPart } from './sql.ts'

/** The key under which a sequence keeps its declaration; marks sequences. */
export const SEQUENCE_DECLARATION: unique symbol = Symbol.for('aludel.sequenceDeclaration')

/** Options of `sequence()`; every one may be omitted, taking PostgreSQL's default. */
export interface SequenceOptions extends SequenceNumberOptions {
  /** The schema that holds the sequence; default: the default schema (`public`). */
  readonly schema?: string
  /** `AS smallint | integer | bigint`; default `bigint`. */
  readonly dataType?: SequenceDataType
  /**
   * `OWNED BY`: the column the sequence belongs to (dropped with it), in the sequence's schema:
   * `'orders.order_no'`, or a callback returning the table column, evaluated when the schema is
   * converted. Default: none.
   */
  readonly ownedBy?: string | (() => ColumnTarget)
}

/**
 * A sequence declared with {@link sequence}: interpolated in an `sql` fragment it renders as its
 * qualified name; {@link nextval} gives the default that draws from it.
 */
export interface Sequence<TName extends string = string> extends SqlInterpolable {
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  /** The declaration, converted by `toSequenceDef`. */
  readonly [SEQUENCE_DECLARATION]: SequenceOptions
}

/**
 * Declares a sequence of its own (`CREATE SEQUENCE`), for defaults that draw numbers from it
 * (`.default(nextval(orderNo))`). Models collect the sequences their columns' defaults name, so
 * listing one in `defineSchema` is needed only for a sequence no default uses. Options are
 * checked as PostgreSQL checks them: whole numbers within the data type, a non-zero increment,
 * `minValue` below `maxValue`, a start between them, a cache of at least 1.
 *
 * @example
 * export const orderNo = sequence('order_no_seq', { start: 1000, cache: 20 })
 * export const orders = table('orders', {
 *   orderNo: bigint('order_no', { mode: 'number' }).notNull().default(nextval(orderNo)),
 * })
 */
export function sequence<const N extends string>(
  name: N,
  options: SequenceOptions = {},
): Sequence<N> {
  checkExplicitName('sequence name', name)
  const schema = normalizeSchema(options.schema)
  const frozen = Object.freeze({ ...options })
  // Checked now, so that a mistake points at the declaration; ownedBy is resolved later.
  resolveSequence(schema, name, frozen, undefined)
  return Object.freeze({
    name,
    schema,
    [SEQUENCE_DECLARATION]: frozen,
    [SQL_PART]: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }),
  })
}

/** True for a value made by `sequence()`. */
export function isSequence(value: unknown): value is Sequence {
  return typeof value === 'object' && value !== null && SEQUENCE_DECLARATION in value
}

/**
 * `nextval('name'::regclass)`, spelled as PostgreSQL prints it: the default of a column that
 * draws its values from `sequence`. Models that use it collect the sequence.
 *
 * @example
 * orderNo: integer('order_no').notNull().default(nextval(orderNo))
 */
export function nextval(sequence: Sequence): SqlFragment {
  if (!isSequence(sequence)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      "nextval() needs a sequence declared with sequence('name', ...)",
    )
  }
  const text = quoteQualifiedName(sequence.schema, sequence.name)
  // A regclass literal that carries its sequence, so that models can collect it.
  const literal = {
    [SEQUENCE_DECLARATION]: sequence,
    [SQL_PART]: (): SqlPart => ({ sql: `'${text.replace(/'/g, "''")}'`, columns: [] }),
  }
  return new SqlFragment(['nextval(', '::regclass)'], [literal])
}

/** The sequences an `sql` fragment draws from through {@link nextval}, nested fragments included. */
export function sequencesOf(fragment: SqlFragment): readonly Sequence[] {
  const out: Sequence[] = []
  for (const value of fragment.values) {
    if (value instanceof SqlFragment) out.push(...sequencesOf(value))
    else if (typeof value === 'object' && value !== null && SEQUENCE_DECLARATION in value) {
      const held = (value as { readonly [SEQUENCE_DECLARATION]: unknown })[SEQUENCE_DECLARATION]
      if (isSequence(held)) out.push(held)
    }
  }
  return out
}

/**
 * The sequence as a {@link SequenceDef}: options equal to PostgreSQL's defaults left out, the
 * owner resolved.
 */
export function toSequenceDef(sequence: Sequence): SequenceDef {
  const options = sequence[SEQUENCE_DECLARATION]
  const owner = options.ownedBy
  return resolveSequence(
    sequence.schema,
    sequence.name,
    options,
    owner === undefined ? undefined : ownerOf(sequence, owner),
  )
}

function ownerOf(sequence: Sequence, owner: string | (() => ColumnTarget)): SequenceOwner {
  const where = quoteQualifiedName(sequence.schema, sequence.name)
  if (typeof owner === 'string') {
    const dot = owner.indexOf('.')
    if (dot <= 0 || dot === owner.length - 1) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `sequence ${where} is ownedBy '${owner}'; name the column as 'table.column'`,
      )
    }
    return { table: owner.slice(0, dot), column: owner.slice(dot + 1) }
  }
  const target = owner()
  if (target.table.schema !== sequence.schema) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `sequence ${where} is owned by a column of ${quoteQualifiedName(target.table.schema, target.table.name)}, but PostgreSQL requires the table in the sequence's schema; move one of them`,
    )
  }
  return { table: target.table.name, column: target.name }
}

function resolveSequence(
  schema: string | undefined,
  name: string,
  options: SequenceOptions,
  ownedBy: SequenceOwner | undefined,
): SequenceDef {
  const what = `sequence ${quoteQualifiedName(schema, name)}`
  const dataType = options.dataType === 'bigint' ? undefined : options.dataType
  checkSequenceNumbers(dataType, options, what)
  return Object.freeze({
    schema,
    name,
    dataType,
    ...normalizeSequenceNumbers(dataType, options, what),
    cycle: options.cycle ?? false,
    ownedBy: ownedBy === undefined ? undefined : Object.freeze(ownedBy),
  })
}
