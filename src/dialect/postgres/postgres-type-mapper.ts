import type { ColumnDefault, ColumnType, LiteralValue } from '../../schema/schema-snapshot.ts'
import type { TypeMapper } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import {
  byteaHex,
  defaultElementText,
  jsonText,
  quoteQualified,
  quoteString,
} from './postgres-quoting.ts'

type ArrayType = Extract<ColumnType, { readonly kind: 'array' }>

/** The serial pseudo-type of each integer type (manual, 8.1.4 "Serial Types"). */
const SERIAL_TYPES: Readonly<Partial<Record<ColumnType['kind'], string>>> = {
  smallint: 'smallserial',
  integer: 'serial',
  bigint: 'bigserial',
}

/**
 * Spells column types and defaults in PostgreSQL. Types use the canonical names that
 * `format_type()` prints (`character varying(20)`, `timestamp(3) with time zone`,
 * `double precision`, `numeric(10,0)`), so that the SQL aludel writes reads the same as what
 * introspection finds.
 */
export class PostgresTypeMapper implements TypeMapper {
  /**
   * The SQL type of a column; with `serial`, the serial pseudo-type of an integer type.
   *
   * @example sqlType({ kind: 'varchar', length: 20 }) // character varying(20)
   * @example sqlType({ kind: 'bigint' }, { serial: true }) // bigserial
   */
  sqlType(type: ColumnType, options: { readonly serial?: boolean } = {}): string {
    if (options.serial === true) {
      const serial = SERIAL_TYPES[type.kind]
      if (serial === undefined) {
        throw new InvalidOperationError(
          `serial needs a smallint, integer or bigint column, not ${this.sqlType(type)}; use an identity column or a default instead`,
        )
      }
      return serial
    }
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'real':
      case 'text':
      case 'boolean':
      case 'date':
      case 'interval':
      case 'uuid':
      case 'json':
      case 'jsonb':
      case 'bytea':
        return type.kind
      case 'double':
        return 'double precision'
      case 'numeric':
        return numericType(type.precision, type.scale)
      case 'varchar':
        return type.length === undefined
          ? 'character varying'
          : `character varying(${modifier(type.length, 'varchar length')})`
      case 'char':
        // A bare `char` means character(1) in SQL (manual, 8.3 "Character Types").
        return `character(${modifier(type.length ?? 1, 'char length')})`
      case 'time':
      case 'timestamp': {
        const precision =
          type.precision === undefined
            ? ''
            : `(${modifier(type.precision, `${type.kind} precision`)})`
        return `${type.kind}${precision} ${type.withTimezone ? 'with' : 'without'} time zone`
      }
      case 'enum':
        return quoteQualified(type.schema, type.name)
      case 'array':
        // PostgreSQL ignores declared dimensions, but `integer[][]` still documents the intent.
        return `${this.sqlType(type.element)}[]`
      case 'custom':
        if (type.sql.trim() === '') {
          throw new InvalidOperationError('a custom column type needs its SQL spelling, not ""')
        }
        return type.sql
    }
  }

  /**
   * A column default: SQL verbatim, or a literal rendered for the column's type.
   *
   * @example sqlDefault({ kind: 'literal', value: "it's" }, { kind: 'text' }) // 'it''s'
   * @example sqlDefault({ kind: 'sql', sql: 'now()' }, undefined) // now()
   */
  sqlDefault(value: ColumnDefault, type: ColumnType | undefined): string {
    return value.kind === 'sql' ? value.sql : this.sqlLiteral(value.value, type)
  }

  /**
   * A literal as PostgreSQL reads it for a column of `type` (undefined: unknown, rendered by the
   * JavaScript type). json/jsonb columns take any value as JSON (a string becomes a JSON string);
   * array columns take a JavaScript array as an array value; bytes are bytea; dates are ISO 8601
   * in UTC, cut to the date or the time for `date` and `time` columns. Literals are untyped
   * (except bytea) so PostgreSQL coerces them to the column's type, enums and domains included.
   */
  sqlLiteral(value: LiteralValue, type: ColumnType | undefined): string {
    if (value === null) return 'NULL'
    if (type?.kind === 'json' || type?.kind === 'jsonb') return quoteString(jsonText(value))
    if (Array.isArray(value)) {
      return quoteString(type?.kind === 'array' ? arrayValue(value, type) : arrayValue(value))
    }
    if (value instanceof Uint8Array) return `${quoteString(byteaHex(value))}::bytea`
    if (value instanceof Date) return quoteString(dateText(value, type))
    switch (typeof value) {
      case 'boolean':
        return value ? 'true' : 'false'
      case 'number':
        // NaN and ±Infinity exist only as strings ('NaN'::double precision).
        return Number.isFinite(value) ? String(value) : quoteString(String(value))
      case 'bigint':
        return value.toString()
      case 'string':
        return quoteString(value)
      default:
        return quoteString(jsonText(value))
    }
  }
}

/** `numeric(p,s)`; a precision alone gets scale 0, spelled out as `format_type()` does. */
function numericType(precision: number | undefined, scale: number | undefined): string {
  if (precision === undefined) {
    if (scale !== undefined) {
      throw new InvalidOperationError(
        `numeric with scale ${scale} needs a precision too, e.g. numeric(12,${scale})`,
      )
    }
    return 'numeric'
  }
  return `numeric(${modifier(precision, 'numeric precision')},${modifier(scale ?? 0, 'numeric scale')})`
}

/** A type modifier, checked to be an integer so nothing but digits reaches the SQL. */
function modifier(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidOperationError(`${what} must be an integer, not ${String(value)}`)
  }
  return String(value)
}

/**
 * The text of an array value, `{"a","b"}`: each element rendered for the element type (JSON
 * for json elements, dates cut for date elements), nested arrays as nested braces.
 */
function arrayValue(items: readonly unknown[], type?: ArrayType): string {
  const element = type?.element
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL'
    // A nested JavaScript array is another dimension, unless the elements are JSON values.
    if (Array.isArray(item) && element?.kind !== 'json' && element?.kind !== 'jsonb') {
      return arrayValue(item, element?.kind === 'array' ? element : type)
    }
    const text = elementText(item, element)
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  })
  return `{${parts.join(',')}}`
}

function elementText(item: unknown, type: ColumnType | undefined): string {
  if (type?.kind === 'json' || type?.kind === 'jsonb') return jsonText(item)
  if (item instanceof Date) return dateText(item, type)
  return defaultElementText(item)
}

/** A date in ISO 8601 (UTC), cut to what a `date` or `time` column holds. */
function dateText(value: Date, type: ColumnType | undefined): string {
  const iso = value.toISOString()
  switch (type?.kind) {
    case 'date':
      return iso.slice(0, 10)
    case 'time':
      return type.withTimezone ? `${iso.slice(11, 23)}+00` : iso.slice(11, 23)
    case 'timestamp':
      // A zone in a `timestamp without time zone` literal is ignored (manual, 8.5.1.3 "Time
      // Stamps"), so leave it out rather than suggest it counts.
      return type.withTimezone ? iso : iso.slice(0, 23)
    default:
      return iso
  }
}
