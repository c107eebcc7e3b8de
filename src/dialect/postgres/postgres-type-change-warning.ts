import type { ColumnType } from '../../schema/schema-snapshot.ts'
import { describeColumnType } from './postgres-describe-column-type.ts'
import { canonicalColumnType, typesEquivalent } from './postgres-type-equivalence.ts'

/** How existing values fare when a column changes type. */
export type TypeConversion =
  /** The same type: nothing to do. */
  | 'same'
  /** Every old value fits the new type unchanged. */
  | 'widening'
  /** Some old values may not fit: the change fails, truncates or rounds them. */
  | 'narrowing'
  /** Values keep their text but change meaning: with and without time zone. */
  | 'timezone'
  /** Unrelated types: PostgreSQL needs a cast, maybe a `USING` expression. */
  | 'cast'

/**
 * The warning for changing `column` (e.g. `users.age`) from one type to another, or undefined when
 * every existing value converts safely (`integer` -> `bigint`, `varchar(50)` -> `text`).
 */
export function typeChangeWarning(
  column: string,
  from: ColumnType,
  to: ColumnType,
): string | undefined {
  const change = `${column} from ${describeColumnType(from)} to ${describeColumnType(to)}`
  switch (typeConversion(from, to)) {
    case 'same':
    case 'widening':
      return undefined
    case 'narrowing':
      return `narrows ${change}: values that do not fit make the migration fail or lose precision`
    case 'timezone':
      return `changes ${change}: existing values are reinterpreted in the session's time zone`
    case 'cast':
      return `changes ${change}: PostgreSQL converts existing values only where an assignment cast exists (otherwise give \`using\`), and fails on values that do not convert`
  }
}

/** Classifies a type change by what it does to existing values. */
export function typeConversion(from: ColumnType, to: ColumnType): TypeConversion {
  if (typesEquivalent(from, to)) return 'same'
  const a = canonicalColumnType(from)
  const b = canonicalColumnType(to)
  if (a.kind === 'array' && b.kind === 'array') return typeConversion(a.element, b.element)
  const targetCapacity = textCapacity(b)
  if (targetCapacity !== undefined) {
    // Every type has a text form (an automatic I/O cast, manual CREATE CAST), so only the length
    // can be a problem.
    const sourceCapacity = textCapacity(a) ?? Number.POSITIVE_INFINITY
    return targetCapacity >= sourceCapacity ? 'widening' : 'narrowing'
  }
  const numbers = numericConversion(a, b)
  if (numbers !== undefined) return numbers
  const times = temporalConversion(a, b)
  if (times !== undefined) return times
  if ((a.kind === 'json' || a.kind === 'jsonb') && (b.kind === 'json' || b.kind === 'jsonb')) {
    return 'widening'
  }
  return 'cast'
}

/** Characters a text type holds; undefined for non-text types. */
function textCapacity(type: ColumnType): number | undefined {
  switch (type.kind) {
    case 'text':
      return Number.POSITIVE_INFINITY
    case 'varchar':
      return type.length ?? Number.POSITIVE_INFINITY
    case 'char':
      return type.length ?? 1
    default:
      return undefined
  }
}

/** Decimal digits each integer type may need (32767, 2147483647, 9223372036854775807). */
const INTEGER_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 }
/** Integer digits each float type holds exactly (2^24 and 2^53, manual 8.1.3). */
const FLOAT_DIGITS: Readonly<Record<string, number>> = { real: 7, double: 15 }

function numericConversion(a: ColumnType, b: ColumnType): TypeConversion | undefined {
  const fromInteger = INTEGER_DIGITS[a.kind]
  const fromFloat = FLOAT_DIGITS[a.kind]
  if (fromInteger === undefined && fromFloat === undefined && a.kind !== 'numeric') return undefined
  const toInteger = INTEGER_DIGITS[b.kind]
  const toFloat = FLOAT_DIGITS[b.kind]
  if (toInteger === undefined && toFloat === undefined && b.kind !== 'numeric') return undefined
  const fits = (ok: boolean): TypeConversion => (ok ? 'widening' : 'narrowing')
  if (fromInteger !== undefined) {
    if (toInteger !== undefined) return fits(toInteger >= fromInteger)
    if (toFloat !== undefined) return fits(toFloat >= fromInteger)
    if (b.kind === 'numeric') {
      return fits(b.precision === undefined || b.precision - (b.scale ?? 0) >= fromInteger)
    }
  }
  if (fromFloat !== undefined) {
    // A float converts to a float with at least its digits; anything else rounds.
    return fits(toFloat !== undefined && toFloat >= fromFloat)
  }
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    if (b.precision === undefined) return 'widening'
    if (a.precision === undefined) return 'narrowing'
    const [as, bs] = [a.scale ?? 0, b.scale ?? 0]
    return fits(bs >= as && b.precision - bs >= a.precision - as)
  }
  // numeric to an integer or a float: rounding or overflow.
  return 'narrowing'
}

function temporalConversion(a: ColumnType, b: ColumnType): TypeConversion | undefined {
  if (
    (a.kind === 'time' && b.kind === 'time') ||
    (a.kind === 'timestamp' && b.kind === 'timestamp')
  ) {
    if (a.withTimezone !== b.withTimezone) return 'timezone'
    return (b.precision ?? 6) >= (a.precision ?? 6) ? 'widening' : 'narrowing'
  }
  if (a.kind === 'date' && b.kind === 'timestamp') return b.withTimezone ? 'timezone' : 'widening'
  if (a.kind === 'timestamp' && (b.kind === 'date' || b.kind === 'time')) return 'narrowing'
  return undefined
}
