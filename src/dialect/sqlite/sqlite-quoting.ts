import { InvalidOperationError } from '../invalid-operation-error.ts'
import { tokenize } from './sqlite-create-table-text.ts'
import { quote } from './sqlite-expression.ts'
import { sqliteLiteral } from './sqlite-type-mapper.ts'

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
  const tokens = tokenize(sql)
  let out = ''
  let copied = 0
  let next = 0
  tokens.forEach((token, i) => {
    if (token.kind !== 'other' || token.text !== '?') return
    // `?12` is one parameter: its number is the token right after, with nothing between.
    const number = tokens[i + 1]
    const numbered = number?.start === token.end && /^\d+$/.test(number.text)
    const index = numbered ? Number(number.text) - 1 : next
    if (index < 0 || index >= params.length) {
      throw new InvalidOperationError(
        `the statement names parameter ${index + 1} but ${params.length} ${params.length === 1 ? 'was' : 'were'} given`,
      )
    }
    out += sql.slice(copied, token.start) + literalOf(params[index])
    copied = numbered ? number.end : token.end
    next = index + 1
  })
  return out + sql.slice(copied)
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
