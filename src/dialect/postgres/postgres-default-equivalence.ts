import type { ColumnDefault, LiteralValue } from '../../schema/schema-snapshot.ts'
import { canonicalSql, stripOuterParentheses } from './postgres-canonical-sql.ts'
import { type SqlToken, stringTokenValue, tokenizeSql } from './postgres-sql-tokens.ts'

/**
 * True when a column default from the models (ideally already in the database's spelling, see
 * `CompareInput.normalizedModels`) and the database's default are the same default.
 *
 * SQL defaults compare by {@link canonicalSql}. `DEFAULT NULL` is no default: PostgreSQL does not
 * store a null constant default at all (heap.c, StoreAttrDefault's callers skip it). A literal the
 * database did not normalize is matched against the database's text on a best-effort basis:
 * `'abc'::text` is the string `abc`, `'-1'::integer` the number -1, `'{"a": 1}'::jsonb` the object
 * `{ a: 1 }`; an array or anything more complex counts as different, which is why callers should
 * pass normalized models.
 */
export function defaultsEquivalent(
  model: ColumnDefault | undefined,
  database: ColumnDefault | undefined,
): boolean {
  const modelNull = isNullDefault(model)
  const databaseNull = isNullDefault(database)
  if (modelNull || databaseNull) return modelNull && databaseNull
  if (model === undefined || database === undefined) return false
  if (model.kind === 'sql' && database.kind === 'sql') {
    return canonicalSql(model.sql) === canonicalSql(database.sql)
  }
  if (model.kind === 'literal' && database.kind === 'literal') {
    return literalsEqual(model.value, database.value)
  }
  return model.kind === 'literal'
    ? literalMatchesSql(model.value, (database as { readonly sql: string }).sql)
    : literalMatchesSql((database as { readonly value: LiteralValue }).value, model.sql)
}

/** No default, `null`, or `NULL::type`: all mean "no default". */
export function isNullDefault(value: ColumnDefault | undefined): boolean {
  if (value === undefined) return true
  if (value.kind === 'literal') return value.value === null
  const tokens = withoutCast(stripOuterParentheses(tokenizeSql(value.sql)))
  return (
    tokens.length === 1 && tokens[0]?.kind === 'word' && tokens[0].text.toLowerCase() === 'null'
  )
}

/** The simple constant an SQL default spells, or undefined if it is not one. */
type SqlConstant =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }

function sqlConstant(sql: string): SqlConstant | undefined {
  const tokens = stripOuterParentheses(withoutCast(stripOuterParentheses(tokenizeSql(sql))))
  const [first, second] = tokens
  if (tokens.length === 1 && first !== undefined) {
    const text = stringTokenValue(first)
    if (text !== undefined) return { kind: 'string', value: text }
    if (first.kind === 'number') return { kind: 'number', text: first.text }
    const word = first.kind === 'word' ? first.text.toLowerCase() : undefined
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' }
  }
  if (tokens.length === 2 && first?.text === '-' && second?.kind === 'number') {
    return { kind: 'number', text: `-${second.text}` }
  }
  return undefined
}

/** The tokens before a top-level `::type` cast (`'a'::text` -> `'a'`). */
function withoutCast(tokens: readonly SqlToken[]): readonly SqlToken[] {
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.text === '(' && token.kind === 'punctuation') depth++
    else if (token.text === ')' && token.kind === 'punctuation') depth--
    else if (depth === 0 && token.kind === 'operator' && token.text === '::') {
      return tokens.slice(0, i)
    }
  }
  return tokens
}

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = {
  t: true,
  true: true,
  y: true,
  yes: true,
  on: true,
  '1': true,
  f: false,
  false: false,
  n: false,
  no: false,
  off: false,
  '0': false,
}

function literalMatchesSql(value: LiteralValue, sql: string): boolean {
  const constant = sqlConstant(sql)
  if (constant === undefined) return false
  const text =
    constant.kind === 'string'
      ? constant.value
      : constant.kind === 'number'
        ? constant.text
        : String(constant.value)
  if (typeof value === 'string') return constant.kind === 'string' && constant.value === value
  if (typeof value === 'boolean') {
    return constant.kind === 'boolean'
      ? constant.value === value
      : BOOLEAN_TEXT[text.trim().toLowerCase()] === value
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (constant.kind === 'boolean') return false
    return numbersEqual(text.trim(), value)
  }
  if (value === null || constant.kind !== 'string') return false
  if (value instanceof Date) {
    const time = Date.parse(text)
    return !Number.isNaN(time) && time === value.getTime()
  }
  if (value instanceof Uint8Array) {
    const hex = Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')
    return text.toLowerCase() === `\\x${hex}`
  }
  if (Array.isArray(value)) return false
  try {
    return literalsEqual(JSON.parse(text) as LiteralValue, value)
  } catch {
    return false
  }
}

function numbersEqual(text: string, value: number | bigint): boolean {
  if (/^-?\d+$/.test(text) && (typeof value === 'bigint' || Number.isInteger(value))) {
    return BigInt(text) === BigInt(value)
  }
  const parsed = Number(text)
  return text !== '' && !Number.isNaN(parsed) && parsed === Number(value)
}

/** Deep equality of literal values (JSON-like data, dates by time, byte arrays by content). */
export function literalsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array &&
      b instanceof Uint8Array &&
      a.length === b.length &&
      a.every((byte, i) => byte === b[i])
    )
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => literalsEqual(item, b[i]))
    )
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const aKeys = Object.keys(a)
    const bRecord = b as Record<string, unknown>
    return (
      aKeys.length === Object.keys(b).length &&
      aKeys.every(
        (key) =>
          Object.hasOwn(b, key) && literalsEqual((a as Record<string, unknown>)[key], bRecord[key]),
      )
    )
  }
  return false
}
