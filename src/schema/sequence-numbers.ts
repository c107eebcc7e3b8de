import { SchemaModelError } from './schema-model-error.ts'
import type { IdentityDef, SequenceDataType } from './schema-snapshot.ts'

/**
 * The numeric options of sequences and identity columns: PostgreSQL's defaults for each data type
 * and direction, and the normalized form snapshots hold (defaults left out).
 */

/** Options of a sequence or an identity column; every one may be omitted (manual, CREATE SEQUENCE). */
export interface SequenceNumberOptions {
  /** `START WITH`; default: `minValue` ascending, `maxValue` descending. */
  readonly start?: number
  /** `INCREMENT BY`, negative for a descending sequence; default 1. */
  readonly increment?: number
  /** `MINVALUE`; default 1 ascending, the data type's minimum descending. */
  readonly minValue?: number
  /** `MAXVALUE`; default the data type's maximum ascending, -1 descending. */
  readonly maxValue?: number
  /** `CACHE`: values preallocated per session; default 1. */
  readonly cache?: number
  /** `CYCLE`: wrap around at the end instead of failing; default false. */
  readonly cycle?: boolean
}

/** The smallest and largest value of each data type (manual, 8.1.1 "Integer Types"). */
const RANGES: Readonly<Record<SequenceDataType, readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
}

/** The numeric options of a sequence or identity column, as given or as read from the catalog. */
export interface SequenceNumbers {
  readonly start?: number | bigint | undefined
  readonly increment?: number | bigint | undefined
  readonly minValue?: number | bigint | undefined
  readonly maxValue?: number | bigint | undefined
  readonly cache?: number | bigint | undefined
}

/** The numeric options with every default resolved, as PostgreSQL stores them. */
export interface ResolvedSequenceNumbers {
  readonly start: bigint
  readonly increment: bigint
  readonly minValue: bigint
  readonly maxValue: bigint
  readonly cache: bigint
}

/**
 * Every option resolved the way CREATE SEQUENCE resolves it: increment 1, minimum 1 ascending or
 * the type's minimum descending, maximum the type's maximum ascending or -1 descending, start the
 * minimum ascending or the maximum descending, cache 1 (manual, CREATE SEQUENCE).
 */
export function resolveSequenceNumbers(
  dataType: SequenceDataType | undefined,
  numbers: SequenceNumbers,
): ResolvedSequenceNumbers {
  const [lowest, highest] = RANGES[dataType ?? 'bigint']
  const big = (value: number | bigint | undefined) =>
    value === undefined ? undefined : BigInt(value)
  const increment = big(numbers.increment) ?? 1n
  const ascending = increment > 0n
  const minValue = big(numbers.minValue) ?? (ascending ? 1n : lowest)
  const maxValue = big(numbers.maxValue) ?? (ascending ? highest : -1n)
  const start = big(numbers.start) ?? (ascending ? minValue : maxValue)
  return { start, increment, minValue, maxValue, cache: big(numbers.cache) ?? 1n }
}

/**
 * The options that differ from the defaults their data type and direction would give, as numbers
 * (the others undefined): the normalized form snapshots hold. A value beyond JavaScript's safe
 * integers is refused (`what` names the sequence in the message).
 */
export function normalizeSequenceNumbers(
  dataType: SequenceDataType | undefined,
  numbers: SequenceNumbers,
  what: string,
): {
  readonly start: number | undefined
  readonly increment: number | undefined
  readonly minValue: number | undefined
  readonly maxValue: number | undefined
  readonly cache: number | undefined
} {
  const resolved = resolveSequenceNumbers(dataType, numbers)
  const defaults = resolveSequenceNumbers(dataType, { increment: resolved.increment })
  const asDefault = resolveSequenceNumbers(dataType, {
    increment: resolved.increment,
    minValue: resolved.minValue,
    maxValue: resolved.maxValue,
  })
  const keep = (key: string, value: bigint, fallback: bigint): number | undefined => {
    if (value === fallback) return undefined
    const number = Number(value)
    if (!Number.isSafeInteger(number)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `the ${key} of ${what} (${value}) is beyond the integers aludel can hold exactly (±${Number.MAX_SAFE_INTEGER})`,
      )
    }
    return number
  }
  return {
    start: keep('start', resolved.start, asDefault.start),
    increment: keep('increment', resolved.increment, 1n),
    minValue: keep('minValue', resolved.minValue, defaults.minValue),
    maxValue: keep('maxValue', resolved.maxValue, defaults.maxValue),
    cache: keep('cache', resolved.cache, 1n),
  }
}

/**
 * Identity options normalized for a column of `type`: `minValue`, `maxValue`, `cache` and `cycle`
 * present only when they differ from the defaults (start and increment are kept as given).
 */
export function identityExtras(
  type: SequenceDataType,
  options: {
    readonly increment?: number | bigint | undefined
    readonly minValue?: number | bigint | undefined
    readonly maxValue?: number | bigint | undefined
    readonly cache?: number | bigint | undefined
    readonly cycle?: boolean | undefined
  },
  what: string,
): Pick<IdentityDef, 'minValue' | 'maxValue' | 'cache' | 'cycle'> {
  const n = normalizeSequenceNumbers(type, options, what)
  return {
    ...(n.minValue === undefined ? {} : { minValue: n.minValue }),
    ...(n.maxValue === undefined ? {} : { maxValue: n.maxValue }),
    ...(n.cache === undefined ? {} : { cache: n.cache }),
    ...(options.cycle === true ? { cycle: true } : {}),
  }
}

/**
 * Checks a sequence's options as CREATE SEQUENCE would: whole numbers within the data type, an
 * increment other than 0, a cache of at least 1, `minValue` below `maxValue` and a start between
 * them. Throws a `SchemaModelError` naming the sequence (`what`) and the option at fault.
 */
export function checkSequenceNumbers(
  dataType: SequenceDataType | undefined,
  numbers: SequenceNumbers,
  what: string,
): void {
  const invalid = (reason: string) => new SchemaModelError('INVALID_ARGUMENT', `${what}: ${reason}`)
  if (dataType !== undefined && !(dataType in RANGES)) {
    throw invalid(`dataType '${String(dataType)}' is not smallint, integer or bigint`)
  }
  for (const [key, value] of Object.entries(numbers)) {
    if (value !== undefined && typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw invalid(`${key} ${String(value)} must be a whole number`)
    }
  }
  const r = resolveSequenceNumbers(dataType, numbers)
  const [lowest, highest] = RANGES[dataType ?? 'bigint']
  if (r.increment === 0n) throw invalid('increment must not be 0')
  if (r.cache < 1n) throw invalid(`cache ${r.cache} must be at least 1`)
  if (r.minValue < lowest || r.maxValue > highest) {
    throw invalid(`minValue and maxValue must lie within ${dataType ?? 'bigint'}`)
  }
  if (r.minValue >= r.maxValue) {
    throw invalid(`minValue ${r.minValue} must be less than maxValue ${r.maxValue}`)
  }
  if (r.start < r.minValue || r.start > r.maxValue) {
    throw invalid(
      `start ${r.start} must lie between minValue ${r.minValue} and maxValue ${r.maxValue}`,
    )
  }
}
