import { brand } from './brand.ts'
import { quoteIdentifier } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'

const SQLFRAGMENT_BRAND = brand('SqlFragment')

/**
 * The key of the method by which columns, tables and enums render themselves inside an `sql`
 * fragment. A registered symbol, so that two copies of aludel in one process still agree.
 */
export const SQL_PART: unique symbol = Symbol.for('aludel.sqlPart')

/**
 * What an interpolated value renders to: its SQL text and the columns (database names) it names.
 */
export interface SqlPart {
  readonly sql: string
  readonly columns: readonly string[]
}

/** A value that renders itself inside an `sql` fragment (a column, a table, an enum type). */
export interface SqlInterpolable {
  [SQL_PART](): SqlPart
}

/**
 * A piece of SQL written with the {@link sql} tag: literal text plus interpolated values, rendered
 * only when the schema is converted to a snapshot (so a column's name is known by then).
 */
export class SqlFragment implements SqlInterpolable {
  /** Answers `instanceof` across copies of aludel (see brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return SQLFRAGMENT_BRAND.has(value)
  }

  /** The brand `instanceof` checks. */
  readonly [SQLFRAGMENT_BRAND.symbol] = true

  /** The literal text between the interpolations; one more item than {@link values}. */
  readonly strings: readonly string[]
  /** The interpolated values, rendered as identifiers, nested fragments or SQL literals. */
  readonly values: readonly unknown[]

  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.strings = Object.freeze([...strings])
    this.values = Object.freeze([...values])
  }

  /**
   * Renders the fragment as plain SQL text: columns as their (quoted when needed) database names,
   * tables and enum types as qualified names, nested fragments inline, other values as literals.
   *
   * @example
   * sql`lower(${users.email})`.toSql()   // lower(email)
   */
  toSql(): string {
    return this[SQL_PART]().sql
  }

  /**
   * The database names of the columns this fragment interpolates, in order (for naming
   * conventions).
   */
  columns(): readonly string[] {
    return this[SQL_PART]().columns
  }

  [SQL_PART](): SqlPart {
    let text = this.strings[0] ?? ''
    const columns: string[] = []
    for (let i = 0; i < this.values.length; i++) {
      const value = this.values[i]
      if (isSqlInterpolable(value)) {
        const part = value[SQL_PART]()
        text += part.sql
        columns.push(...part.columns)
      } else {
        text += renderSqlLiteral(value)
      }
      text += this.strings[i + 1] ?? ''
    }
    return { sql: text, columns }
  }
}

/** The `sql` tag: a template function plus `sql.raw`. */
export interface SqlTag {
  /**
   * Builds an SQL fragment. Interpolated columns render as their database names, quoted where
   * some supported engine needs it; tables and enum types as their qualified names; nested
   * fragments inline; anything else as an SQL literal (strings quoted, numbers bare, dates in
   * ISO 8601, objects as JSON; bytes and arrays in PostgreSQL's text, for PostgreSQL only).
   *
   * @example
   * sql`now()`
   * sql`lower(${t.email})`
   * sql`${t.price} >= ${0}`
   */
  (strings: TemplateStringsArray, ...values: readonly unknown[]): SqlFragment
  /**
   * Inserts `text` verbatim, with no quoting; never pass it untrusted input.
   *
   * @example
   * sql`${t.status} = ${sql.raw("'active'")}`
   */
  raw(text: string): SqlFragment
}

/**
 * Tagged template for SQL expressions in schema models: defaults (`sql\`now()\``), checks, index
 * expressions and partial-index predicates. See {@link SqlTag}.
 */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: readonly unknown[]): SqlFragment =>
    new SqlFragment(strings, values),
  { raw: (text: string): SqlFragment => new SqlFragment([text], []) },
)

/** True for a value that renders itself inside an `sql` fragment. */
export function isSqlInterpolable(value: unknown): value is SqlInterpolable {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    SQL_PART in value
  )
}

/**
 * Renders a JavaScript value as a literal in the model notation (docs/architecture.md, "The model
 * notation"): strings with doubled quotes, `E'...'` when they hold a backslash (each dialect
 * turns that into its own form), numbers and booleans bare, dates in ISO 8601, other objects as
 * JSON. Bytes and arrays have no form every engine reads: they are written as PostgreSQL's
 * `bytea` hex and array text, which only PostgreSQL reads as such.
 */
function renderSqlLiteral(value: unknown): string {
  if (value === null) return 'NULL'
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : quoteString(String(value))
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return quoteString(value)
    case 'object':
      if (value instanceof Date) return quoteString(value.toISOString())
      if (value instanceof Uint8Array)
        return quoteString(`\\x${Buffer.from(value).toString('hex')}`)
      if (Array.isArray(value)) return quoteString(arrayLiteral(value))
      return quoteString(JSON.stringify(value))
    default:
      // undefined, functions and symbols are mistakes (a missing variable, a method reference),
      // not values; rendering them as NULL would hide the bug.
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `cannot interpolate ${typeof value} into an sql fragment; pass a column, a value, or sql.raw('...')`,
      )
  }
}

/**
 * A string constant read the same way whatever `standard_conforming_strings` says: `E'...'` with
 * backslashes doubled when the text holds one (manual, 4.1.2.2), plain `'...'` otherwise.
 */
function quoteString(text: string): string {
  const quoted = text.replace(/'/g, "''")
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`
}

function arrayLiteral(items: readonly unknown[]): string {
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL'
    if (Array.isArray(item)) return arrayLiteral(item)
    const text =
      item instanceof Date
        ? item.toISOString()
        : typeof item === 'object'
          ? JSON.stringify(item)
          : String(item)
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  })
  return `{${parts.join(',')}}`
}

/** Renders a column's own name for a fragment; shared by bound columns and self references. */
export function columnSqlPart(name: string): SqlPart {
  return { sql: quoteIdentifier(name), columns: [name] }
}
