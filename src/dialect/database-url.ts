import { isAbsolute, resolve } from 'node:path'
import { redactWholeUrl } from '../util/redact-url.ts'
import { LONG_ECHO_LIMIT, shortenInput } from '../util/shorten-input.ts'
import { DatabaseUrlError } from './dialect-errors.ts'
import { keywordPairs, rejectKeywordString } from './keyword-connection-string.ts'

/** The database engines aludel can speak to, chosen by URL scheme. */
export type DatabaseKind = 'postgres' | 'pglite' | 'sqlite' | 'mysql'

/** A parsed database URL. `redacted` is safe to print; `url` is not. */
export interface DatabaseUrl {
  readonly kind: DatabaseKind
  /** The URL as given, password included: pass it to the driver only. */
  readonly url: string
  /**
   * The URL with its password (user-info and `password`/`sslpassword` parameters) as `***`,
   * shortened past 200 characters: what messages show.
   */
  readonly redacted: string
  /** The user-info password, decoded. */
  readonly password: string | undefined
  /** Every secret the URL carries, as written and decoded: what messages must never show. */
  readonly secrets: readonly string[]
  /** For pglite/sqlite: an absolute data path, or undefined for an in-memory database. */
  readonly path: string | undefined
  /** For pglite: the contrib extensions to load at start-up (`pglite:./dir?extensions=citext`). */
  readonly extensions: readonly string[]
}

/** How a server URL is written in messages. */
const SERVER_EXAMPLE = 'postgres://user@host:5432/database'

const SCHEMES: Readonly<Record<string, DatabaseKind>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pglite: 'pglite',
  sqlite: 'sqlite',
  mysql: 'mysql',
  mariadb: 'mysql',
}

/**
 * Parses a database URL: `postgres://user:pass@host:5432/db`, `pglite:./data`, `pglite:memory`,
 * `sqlite:./file.db`, `sqlite::memory:`, `mysql://user@host/db`.
 *
 * @param root folder that relative file paths are resolved against (the config's folder)
 * @throws DatabaseUrlError for an unknown scheme or a malformed URL; the message never contains
 *   the password
 */
export function parseDatabaseUrl(text: string, root: string): DatabaseUrl {
  const trimmed = text.trim()
  const pairs = keywordPairs(trimmed)
  if (pairs !== undefined) rejectKeywordString(trimmed, pairs)
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase()
  const safe = shortenInput(redactWholeUrl(trimmed), LONG_ECHO_LIMIT)
  if (scheme === undefined) {
    throw new DatabaseUrlError(
      `'${safe}' is not a database URL; write ${SERVER_EXAMPLE}, pglite:./data or pglite:memory`,
    )
  }
  if (SCHEMES[scheme] === undefined) {
    // `postgresql+psycopg2://` (SQLAlchemy) or `mysql2://` (the driver's name): the scheme a user
    // meant usually starts the one they wrote.
    const meant = Object.keys(SCHEMES)
      .filter((known) => scheme.startsWith(known))
      .sort((a, b) => b.length - a.length)[0]
    throw new DatabaseUrlError(
      `'${safe}' has the unknown scheme '${scheme}:'${meant === undefined ? '' : ` (did you mean '${meant}:'? aludel picks the driver from the scheme)`}; use one of ${Object.keys(
        SCHEMES,
      )
        .map((known) => `${known}:`)
        .join(', ')}`,
    )
  }
  const kind = SCHEMES[scheme]!
  if (kind === 'pglite' || kind === 'sqlite') {
    let rest = trimmed.slice(scheme.length + 1)
    if (rest.startsWith('//')) rest = rest.slice(2)
    // A file URL's query is its options: PGlite's extensions are the only one.
    const query = kind === 'pglite' ? rest.indexOf('?') : -1
    const parameters = new URLSearchParams(query < 0 ? '' : rest.slice(query + 1))
    if (query >= 0) rest = rest.slice(0, query)
    const unknown = [...parameters.keys()].filter((key) => key !== 'extensions')
    if (unknown.length > 0) {
      throw new DatabaseUrlError(
        `'${safe}' has the option ${unknown.map((k) => `'${k}'`).join(', ')}, which pglite: URLs do not take; the one they take is extensions (pglite:./data?extensions=citext,pg_trgm)`,
      )
    }
    const extensions = (parameters.get('extensions') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')
    if (rest === '') {
      throw new DatabaseUrlError(
        `'${safe}' names no ${kind} database; use ${kind}:./path/to/${kind === 'pglite' ? 'dir' : 'file.db'} or ${kind === 'pglite' ? 'pglite:memory' : 'sqlite::memory:'}`,
      )
    }
    const memory = rest === 'memory' || rest === ':memory:' || rest === 'memory://'
    return {
      kind,
      url: trimmed,
      redacted: safe,
      password: undefined,
      secrets: [],
      path: memory ? undefined : isAbsolute(rest) ? rest : resolve(root, rest),
      extensions,
    }
  }
  const example = `${scheme}://user@host:5432/database (with a password: user:PASSWORD@host)`
  // The host follows the last '@' before any query (a password may hold an unencoded '@').
  const authority = trimmed.split(/[?#]/)[0]!
  const afterCredentials = authority.slice(
    Math.max(authority.lastIndexOf('@') + 1, scheme.length + 3),
  )
  if (/^(?:[:/]|$)/.test(afterCredentials) && !/[?&]host=/.test(trimmed)) {
    // Checked before the URL parser, whose only complaint here would be "Invalid URL".
    throw new DatabaseUrlError(`'${safe}' has no host; write it as ${example}`)
  }
  let parsed: URL
  try {
    parsed = new URL(trimmed)
  } catch {
    throw new DatabaseUrlError(
      `'${safe}' is not a valid URL; write it as ${example}, and percent-encode '/', '?', '#', '%' and spaces in the password (as %2F, %3F, %23, %25, %20)`,
    )
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DatabaseUrlError(`'${safe}' has no host; write it as ${example}`)
  }
  let password: string | undefined
  try {
    password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password)
  } catch {
    throw new DatabaseUrlError(`'${safe}' has a badly percent-encoded password; encode '%' as %25`)
  }
  return {
    kind,
    url: trimmed,
    redacted: safe,
    password,
    secrets: databaseUrlSecrets(trimmed),
    path: undefined,
    extensions: [],
  }
}

/**
 * The secrets a database URL (or a libpq `key=value` string) carries, each as written and
 * decoded, for hiding them from messages: the user-info password, and the `password` and
 * `sslpassword` parameters. Never throws: a URL too broken to parse may still hold a password.
 */
export function databaseUrlSecrets(text: string | undefined): readonly string[] {
  const trimmed = text?.trim() ?? ''
  if (trimmed === '') return []
  const found = new Set<string>()
  const add = (secret: string | null | undefined) => {
    if (!secret) return
    found.add(secret)
    try {
      found.add(decodeURIComponent(secret))
    } catch {
      // Badly encoded: the text as written is all there is to hide.
    }
  }
  const pairs = keywordPairs(trimmed)
  if (pairs !== undefined) {
    for (const pair of pairs) if (/^(ssl)?password$/.test(pair.key)) add(pair.value)
    return [...found]
  }
  const parameters = /[?&;](?:ssl)?password=([^&#]*)/gi
  for (const match of trimmed.matchAll(parameters)) add(match[1])
  // As redactWholeUrl reads it: from the first ':' after `scheme://` to the last '@'.
  const rest = /^[a-z][a-z0-9+.-]*:\/\/([\s\S]*)$/i.exec(trimmed.replace(parameters, ''))?.[1]
  if (rest !== undefined) {
    const colon = rest.indexOf(':')
    const at = rest.lastIndexOf('@')
    if (colon >= 0 && at > colon) add(rest.slice(colon + 1, at))
  }
  // As the driver reads it, which differs when a query value holds an '@'.
  if (URL.canParse(trimmed)) add(new URL(trimmed).password)
  return [...found]
}
