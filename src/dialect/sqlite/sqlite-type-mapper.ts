import type { ColumnDefault, ColumnType, LiteralValue } from '../../schema/schema-snapshot.ts'
import type { TypeMapper } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { quote, sqliteExpression } from './sqlite-expression.ts'

/**
 * Spells column types and defaults for SQLite. SQLite keeps a column's declared type as written
 * and derives only a storage affinity from it (manual, "Datatypes In SQLite", 3.1), so aludel
 * declares the names the models use (`varchar(20)`, `timestamptz`, `uuid`, `json`): introspection
 * reads them back unchanged, and the affinity rules store each as expected (`varchar` as TEXT,
 * `boolean` and `timestamp` as NUMERIC, `double precision` as REAL, `blob` as BLOB). SQLite does
 * not enforce lengths, precisions or JSON validity; types it cannot hold honestly (intervals,
 * arrays, enums) are refused with what to use instead.
 *
 * A STRICT table takes only the six storage types (manual, "STRICT Tables"); `strict` asks for
 * those, see {@link strictType}.
 */
export class SqliteTypeMapper implements TypeMapper {
  sqlType(
    type: ColumnType,
    options: { readonly serial?: boolean; readonly strict?: boolean } = {},
  ): string {
    if (options.strict === true && options.serial !== true) return this.strictType(type)
    if (options.serial === true) {
      if (type.kind !== 'smallint' && type.kind !== 'integer' && type.kind !== 'bigint') {
        throw new InvalidOperationError(
          `serial needs an integer column, not ${this.sqlType(type)}; use a default instead`,
        )
      }
      // Only a column declared exactly INTEGER PRIMARY KEY is the auto-incrementing rowid
      // (manual, "CREATE TABLE", ROWIDs and the INTEGER PRIMARY KEY).
      return 'integer'
    }
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'real':
      case 'text':
      case 'boolean':
      case 'date':
      case 'uuid':
      case 'json':
      case 'jsonb':
        return type.kind
      case 'double':
        return 'double precision'
      case 'bytea':
        return 'blob'
      case 'numeric':
        return type.precision === undefined
          ? 'numeric'
          : `numeric(${whole(type.precision, 'numeric precision')},${whole(type.scale ?? 0, 'numeric scale')})`
      case 'varchar':
      case 'char':
        return type.length === undefined
          ? type.kind
          : `${type.kind}(${whole(type.length, `${type.kind} length`)})`
      case 'time':
      case 'timestamp': {
        const precision =
          type.precision === undefined ? '' : `(${whole(type.precision, `${type.kind} precision`)})`
        return `${type.kind}${type.withTimezone ? 'tz' : ''}${precision}`
      }
      case 'interval':
        throw new InvalidOperationError(
          'SQLite has no interval type; store a duration as integer seconds or ISO 8601 text',
        )
      case 'enum':
        throw new InvalidOperationError(
          `SQLite has no enum types (${type.name}); use text() with a check(...) of the allowed values`,
        )
      case 'array':
        throw new InvalidOperationError(
          'SQLite has no array types; store the list as json() or in a table of its own',
        )
      case 'custom':
        if (type.sql.trim() === '') {
          throw new InvalidOperationError('a custom column type needs its SQL spelling, not ""')
        }
        return type.sql
    }
  }

  /**
   * The type of a column of a STRICT table, which takes only INT, INTEGER, REAL, TEXT, BLOB and
   * ANY (manual, "STRICT Tables"): the one that stores the model's values as the type's affinity
   * would in an ordinary table (booleans as integers, dates and times as ISO 8601 text, JSON as
   * text). Numeric has no such type: SQLite has no exact decimal, and its NUMERIC affinity, which
   * stores integer or real as fits, exists only outside STRICT tables; REAL would round and ANY
   * would take text as well, so it is refused with the choices.
   */
  strictType(type: ColumnType): string {
    switch (type.kind) {
      case 'smallint':
      case 'integer':
      case 'bigint':
      case 'boolean':
        return 'integer'
      case 'real':
      case 'double':
        return 'real'
      case 'text':
      case 'varchar':
      case 'char':
      case 'uuid':
      case 'date':
      case 'time':
      case 'timestamp':
      case 'json':
      case 'jsonb':
        return 'text'
      case 'bytea':
        return 'blob'
      case 'numeric':
        throw new InvalidOperationError(
          `a STRICT table has no exact decimal type for ${this.sqlType(type)}; declare the column real(), integer() (say, in cents) or text(), or drop strict`,
        )
      case 'custom': {
        const sql = this.sqlType(type).trim()
        if (!STRICT_TYPES.has(sql.toUpperCase())) {
          throw new InvalidOperationError(
            `a STRICT table takes only the column types INT, INTEGER, REAL, TEXT, BLOB and ANY, not ${sql}; use one of them, or drop strict`,
          )
        }
        return sql
      }
      default:
        // Intervals, enums, arrays: refused with what to use instead, as in any table.
        return this.sqlType(type)
    }
  }

  sqlDefault(value: ColumnDefault, type: ColumnType | undefined): string {
    if (value.kind === 'sql') {
      // SQLite takes an expression default only in parentheses (manual, "CREATE TABLE", the
      // DEFAULT clause); a literal or a bare keyword such as CURRENT_TIMESTAMP stands alone.
      const sql = sqliteExpression(value.sql).trim()
      return /^(?:[-+]?[\d.]+|'(?:[^']|'')*'|NULL|TRUE|FALSE|CURRENT_(?:TIME|DATE|TIMESTAMP)|\(.*\))$/is.test(
        sql,
      )
        ? sql
        : `(${sql})`
    }
    return sqliteLiteral(value.value, type)
  }
}

/**
 * A value as SQLite reads it: booleans as 1 and 0 (SQLite has no boolean storage class), bytes
 * as a blob literal, dates as ISO 8601 text (cut to the date for `date` columns), objects and
 * arrays as JSON text.
 */
export function sqliteLiteral(value: LiteralValue, type: ColumnType | undefined): string {
  if (value === null) return 'NULL'
  if (type?.kind === 'json' || type?.kind === 'jsonb') return quote(JSON.stringify(value))
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`
  if (value instanceof Date) {
    const iso = value.toISOString()
    return quote(type?.kind === 'date' ? iso.slice(0, 10) : iso)
  }
  switch (typeof value) {
    case 'boolean':
      return value ? '1' : '0'
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidOperationError(`SQLite cannot store ${String(value)} as a number`)
      }
      return String(value)
    case 'bigint':
      return value.toString()
    case 'string':
      return quote(value)
    default:
      return quote(JSON.stringify(value))
  }
}

/** The column types a STRICT table accepts (manual, "STRICT Tables"), in capitals. */
export const STRICT_TYPES: ReadonlySet<string> = new Set([
  'INT',
  'INTEGER',
  'REAL',
  'TEXT',
  'BLOB',
  'ANY',
])

function whole(value: number, what: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidOperationError(`${what} must be an integer, not ${String(value)}`)
  }
  return String(value)
}
