import type { ColumnDefault, ColumnType, LiteralValue } from '../../schema/schema-snapshot.ts'
import type { TypeMapper } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { mysqlExpression } from './mysql-expression.ts'
import { quoteString } from './mysql-quoting.ts'

/**
 * Spells column types and defaults for MySQL 8 and MariaDB 10.6+, in the names both print back
 * (less the display widths MariaDB and MySQL 5.7 add to integers, which the comparator ignores):
 *
 * - `boolean` is `tinyint(1)`, the type MySQL's own BOOLEAN stands for (manual, 13.1.1);
 * - `timestamp` without time zone is `datetime`, which keeps the value as written; `timestamp`
 *   with time zone is MySQL's `timestamp`, stored in UTC and converted from and to the session's
 *   time zone, but limited to 1970-01-01 00:00:01 UTC ... 2038-01-19 03:14:07 UTC (manual,
 *   13.2.2): values outside that range fail (strict mode) or become zero dates;
 * - `uuid` is `char(36)`, the text form (MySQL has no uuid type; MariaDB's 10.7+ `uuid` is not in
 *   MySQL), `json` and `jsonb` are `json` (MariaDB stores it as `longtext` with a validity check),
 *   `bytea` is `longblob`;
 * - `numeric` without precision is `decimal(65,30)`, the widest: MySQL's bare `decimal` means
 *   `decimal(10,0)` and would round every fraction away;
 * - `varchar` needs a length in MySQL, so one without is refused.
 *
 * Intervals, arrays and named enum types have no MySQL spelling and are refused with what to use.
 */
/** MySQL's default `sql_mode`: backslashes are escapes. */
const MYSQL_DEFAULTS = { backslashEscapes: true } as const

export class MysqlTypeMapper implements TypeMapper {
  /** `server` says how the session reads backslashes in an SQL default's strings. */
  constructor(private readonly server: { readonly backslashEscapes: boolean } = MYSQL_DEFAULTS) {}

  sqlType(type: ColumnType, options: { readonly serial?: boolean } = {}): string {
    if (options.serial === true) {
      if (type.kind !== 'smallint' && type.kind !== 'integer' && type.kind !== 'bigint') {
        throw new InvalidOperationError(
          `serial needs an integer column, not ${this.sqlType(type)}; use a default instead`,
        )
      }
      // The compiler adds AUTO_INCREMENT: in MySQL it is a column attribute, not a type.
      return this.sqlType(type)
    }
    switch (type.kind) {
      case 'smallint':
      case 'bigint':
      case 'double':
      case 'text':
      case 'date':
        return type.kind
      case 'integer':
        return 'int'
      case 'real':
        // MySQL's REAL is a double unless the REAL_AS_FLOAT mode is on; FLOAT is always 4 bytes.
        return 'float'
      case 'boolean':
        return 'tinyint(1)'
      case 'uuid':
        return 'char(36)'
      case 'json':
      case 'jsonb':
        return 'json'
      case 'bytea':
        return 'longblob'
      case 'numeric':
        return type.precision === undefined
          ? 'decimal(65,30)'
          : `decimal(${whole(type.precision, 'numeric precision')},${whole(type.scale ?? 0, 'numeric scale')})`
      case 'varchar':
        if (type.length === undefined) {
          throw new InvalidOperationError(
            'MySQL needs a length for varchar; write varchar(255) or use text()',
          )
        }
        return `varchar(${whole(type.length, 'varchar length')})`
      case 'char':
        return type.length === undefined ? 'char' : `char(${whole(type.length, 'char length')})`
      case 'time':
      case 'timestamp': {
        const name = type.kind === 'time' ? 'time' : type.withTimezone ? 'timestamp' : 'datetime'
        return type.precision === undefined
          ? name
          : `${name}(${whole(type.precision, `${type.kind} precision`)})`
      }
      case 'interval':
        throw new InvalidOperationError(
          'MySQL has no interval type; store a duration as integer seconds or as time()',
        )
      case 'enum':
        throw new InvalidOperationError(
          `MySQL has no named enum types (${type.name}); use custom("enum('a','b')") or varchar(n) with a check(...)`,
        )
      case 'array':
        throw new InvalidOperationError(
          'MySQL has no array types; store the list as json() or in a table of its own',
        )
      case 'custom':
        if (type.sql.trim() === '') {
          throw new InvalidOperationError('a custom column type needs its SQL spelling, not ""')
        }
        return type.sql
    }
  }

  /**
   * A literal rendered by {@link mysqlLiteral}, in parentheses on a column that MySQL gives only
   * expression defaults (text, blob and json: manual, 13.6 "Data Type Default Values"); an SQL
   * default bare when it is a literal or a keyword MySQL takes bare, else in parentheses (an
   * expression default, MySQL 8.0.13+ and MariaDB 10.2+).
   */
  sqlDefault(value: ColumnDefault, type: ColumnType | undefined): string {
    const text =
      value.kind === 'literal'
        ? mysqlLiteral(value.value, type)
        : mysqlExpression(value.sql, this.server).trim()
    if (/^\(.*\)$/s.test(text) && balanced(text)) return text
    if (needsExpressionDefault(type)) return `(${text})`
    if (value.kind === 'literal' || BARE_DEFAULT.test(text)) return text
    return `(${text})`
  }
}

/**
 * Defaults MySQL takes without parentheses: numbers, strings (with a character set introducer),
 * byte literals, NULL, TRUE and FALSE, and the current time in the words DATETIME and TIMESTAMP
 * columns accept (manual, 13.2.5 "Automatic Initialization and Updating").
 */
const BARE_DEFAULT =
  /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|(?:_\w+\s*)?(?:'(?:[^'\\]|''|\\.)*'|x'[0-9a-f]*')|0x[0-9a-f]+|b'[01]*'|null|true|false|(?:current_timestamp|localtime|localtimestamp)(?:\s*\(\s*\d*\s*\))?|now\s*\(\s*\d*\s*\))$/is

/** Text, blob and json columns take only expression defaults on MySQL (MariaDB takes both). */
function needsExpressionDefault(type: ColumnType | undefined): boolean {
  if (type === undefined) return false
  if (type.kind === 'text' || type.kind === 'json' || type.kind === 'jsonb') return true
  if (type.kind === 'bytea') return true
  return (
    type.kind === 'custom' && /^\s*(?:tiny|medium|long)?(?:text|blob)\b|^\s*json\b/i.test(type.sql)
  )
}

/** The parentheses at both ends of `text` enclose the whole of it. */
function balanced(text: string): boolean {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c
    } else if (c === '(') {
      depth++
    } else if (c === ')') {
      depth--
      if (depth === 0 && i < text.length - 1) return false
    }
  }
  return depth === 0
}

/**
 * A value as MySQL reads it: booleans as 1 and 0 (BOOLEAN is `tinyint(1)`), strings by
 * {@link quoteString}, bytes as `X'..'`, dates as `'YYYY-MM-DD HH:MM:SS.ffffff'` in UTC without a
 * zone (MySQL 8.0.19+ would take `+00:00`, MariaDB not), cut to the date for `date` columns and to
 * the time for `time` columns; objects and arrays, and any value of a json column, as JSON text.
 */
export function mysqlLiteral(value: LiteralValue, type: ColumnType | undefined): string {
  if (value === null) return 'NULL'
  if (type?.kind === 'json' || type?.kind === 'jsonb') return quoteString(JSON.stringify(value))
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`
  if (value instanceof Date) return quoteString(dateText(value, type))
  switch (typeof value) {
    case 'boolean':
      return value ? '1' : '0'
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidOperationError(`MySQL cannot store ${String(value)} as a number`)
      }
      return String(value)
    case 'bigint':
      return value.toString()
    case 'string':
      return quoteString(value)
    default:
      return quoteString(JSON.stringify(value))
  }
}

/** A date as MySQL's date, time or datetime text, in UTC. */
function dateText(value: Date, type: ColumnType | undefined): string {
  if (Number.isNaN(value.getTime())) {
    throw new InvalidOperationError('an invalid Date cannot be a default; give a valid date')
  }
  const iso = value.toISOString()
  const date = iso.slice(0, 10)
  const time = `${iso.slice(11, 23)}000`
  if (type?.kind === 'date') return date
  if (type?.kind === 'time') return time
  return `${date} ${time}`
}

function whole(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidOperationError(`${what} must be a whole number, not ${String(value)}`)
  }
  return String(value)
}
