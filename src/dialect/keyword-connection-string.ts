import { LONG_ECHO_LIMIT, shortenInput } from '../util/shorten-input.ts'
import { DatabaseUrlError } from './dialect-errors.ts'

/** One `keyword=value` of a libpq connection string, with where its value sits in the text. */
export interface KeywordPair {
  readonly key: string
  /** The value with quotes and backslash escapes removed. */
  readonly value: string
  /** Where the value as written (quotes included) starts and ends in the text. */
  readonly start: number
  readonly end: number
}

/**
 * Reads a libpq `key=value` connection string (`host=db password='a b' dbname=app`): keywords,
 * optional spaces around '=', values bare or in single quotes, a backslash escaping the next
 * character. Returns undefined for text that is not one (a URL, a path).
 */
export function keywordPairs(text: string): readonly KeywordPair[] | undefined {
  if (!/^\s*[a-z_]+\s*=/i.test(text)) return undefined
  const pairs: KeywordPair[] = []
  let i = 0
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++
  }
  for (;;) {
    skipSpace()
    if (i >= text.length) return pairs
    const key = /^[a-z_]+/i.exec(text.slice(i))?.[0]
    if (key === undefined) return pairs.length === 0 ? undefined : pairs
    i += key.length
    skipSpace()
    if (text[i] !== '=') return pairs.length === 0 ? undefined : pairs
    i++
    skipSpace()
    const start = i
    const quoted = text[i] === "'"
    if (quoted) i++
    let value = ''
    while (i < text.length) {
      const char = text[i]!
      if (quoted ? char === "'" : /\s/.test(char)) break
      if (char === '\\' && i + 1 < text.length) i++
      value += text[i]
      i++
    }
    // An unterminated quote runs to the end, hiding everything after it.
    if (quoted && i < text.length) i++
    pairs.push({ key: key.toLowerCase(), value, start, end: i })
  }
}

/** Keywords whose value must never be shown. */
const SECRET_KEYWORDS = new Set(['password', 'sslpassword'])

/** The connection string with every secret value written as `***`. */
export function redactKeywordString(text: string, pairs: readonly KeywordPair[]): string {
  let out = ''
  let at = 0
  for (const pair of pairs) {
    if (!SECRET_KEYWORDS.has(pair.key)) continue
    out += `${text.slice(at, pair.start)}***`
    at = pair.end
  }
  return out + text.slice(at)
}

/**
 * Refuses a libpq `key=value` string, showing it with its password hidden and the URL it should
 * be written as. The drivers aludel uses take URLs only: node-postgres would read
 * `host=db dbname=app` as a path and connect somewhere else.
 *
 * @throws DatabaseUrlError always
 */
export function rejectKeywordString(text: string, pairs: readonly KeywordPair[]): never {
  const values = new Map(pairs.map((p) => [p.key, p.value]))
  const user = values.get('user')
  const host = values.get('host') ?? 'localhost'
  const port = values.get('port')
  const password = values.has('password') ? ':PASSWORD' : ''
  const userInfo =
    user === undefined && password === ''
      ? ''
      : `${user === undefined ? 'USER' : encodeURIComponent(user)}${password}@`
  const rest = pairs
    .filter((p) => !['host', 'port', 'dbname', 'user', 'password'].includes(p.key))
    .map(
      (p) =>
        `${p.key}=${SECRET_KEYWORDS.has(p.key) ? p.key.toUpperCase() : encodeURIComponent(p.value)}`,
    )
  const url = `postgres://${userInfo}${host.startsWith('/') ? encodeURIComponent(host) : host}${port === undefined ? '' : `:${port}`}/${encodeURIComponent(values.get('dbname') ?? user ?? 'postgres')}${rest.length === 0 ? '' : `?${rest.join('&')}`}`
  throw new DatabaseUrlError(
    `'${shortenInput(redactKeywordString(text, pairs), LONG_ECHO_LIMIT)}' is a key=value connection string, and aludel takes a URL; write it as ${url}${password === '' ? '' : ' with the password percent-encoded'}`,
  )
}
