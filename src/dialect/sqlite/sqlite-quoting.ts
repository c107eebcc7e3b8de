import { InvalidOperationError } from '../invalid-operation-error.ts'
import { quote, sqliteLiteral } from './sqlite-type-mapper.ts'

/**
 * SQLite's keywords (manual, "SQL Keywords"), plus TRUE and FALSE: a name among them is quoted
 * even where SQLite would take it bare, since which keywords it tolerates as names varies by
 * context and version.
 */
const KEYWORDS: ReadonlySet<string> = new Set(
  `abort action add after all alter always analyze and as asc attach autoincrement before begin
between by cascade case cast check collate column commit conflict constraint create cross current
current_date current_time current_timestamp database default deferrable deferred delete desc
detach distinct do drop each else end escape except exclude exclusive exists explain fail false
filter first following for foreign from full generated glob group groups having if ignore
immediate in index indexed initially inner insert instead intersect into is isnull join key last
left like limit match materialized natural no not nothing notnull null nulls of offset on or order
others outer over partition plan pragma preceding primary query raise range recursive references
regexp reindex release rename replace restrict returning right rollback row rows savepoint select
set table temp temporary then ties to transaction trigger true unbounded union unique update using
vacuum values view virtual when where window with without`.split(/\s+/),
)

const PLAIN = /^[a-z_][a-z0-9_]*$/

/**
 * A name as SQLite reads it: bare when it is a plain lower-case word and no keyword, else in
 * double quotes with inner quotes doubled (SQLite compares names without regard to ASCII case,
 * but keeps them as written, so quoting only what needs it keeps the schema readable).
 */
export function quoteIdentifier(name: string): string {
  if (PLAIN.test(name) && !KEYWORDS.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

/** A name as SQLite compares it: without regard to ASCII case only (manual, "SQL As Understood"). */
export function fold(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/** `schema.name` (an attached database's name) or `name`. */
export function quoteQualified(schema: string | undefined, name: string): string {
  return schema === undefined
    ? quoteIdentifier(name)
    : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`
}

/**
 * Replaces the `?NNN` and `?` parameters of `sql` by literals, for offline scripts: strings,
 * quoted names and comments are copied as they are, so a `?` inside them stays.
 */
export function inlineSqliteParams(sql: string, params: readonly unknown[]): string {
  if (params.length === 0) return sql
  let out = ''
  let next = 0
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const end = skipQuotedOrComment(sql, i)
    if (end > i) {
      out += sql.slice(i, end)
      i = end
      continue
    }
    if (c === '?') {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0] ?? ''
      const index = digits === '' ? next : Number(digits) - 1
      if (index < 0 || index >= params.length) {
        throw new InvalidOperationError(
          `the statement names parameter ${index + 1} but ${params.length} ${params.length === 1 ? 'was' : 'were'} given`,
        )
      }
      out += literalOf(params[index])
      next = index + 1
      i += 1 + digits.length
      continue
    }
    out += c
    i++
  }
  return out
}

/** Where a string, quoted name or comment starting at `i` ends; `i` when none starts there. */
export function skipQuotedOrComment(sql: string, i: number): number {
  const c = sql[i]
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2
        else return j + 1
      } else j++
    }
    return sql.length
  }
  if (c === '[') {
    const close = sql.indexOf(']', i + 1)
    return close < 0 ? sql.length : close + 1
  }
  if (c === '-' && sql[i + 1] === '-') {
    const eol = sql.indexOf('\n', i)
    return eol < 0 ? sql.length : eol + 1
  }
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2)
    return close < 0 ? sql.length : close + 2
  }
  return i
}

/** A bound value as a literal: what the driver would send, written as SQL. */
export function literalOf(value: unknown): string {
  if (value === undefined || value === null) return 'NULL'
  if (typeof value === 'string') return quote(value)
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof Date ||
    value instanceof Uint8Array
  ) {
    return sqliteLiteral(value, undefined)
  }
  return quote(JSON.stringify(value))
}
