import { isAbsolute, resolve } from 'node:path'
import { redactUrl } from '../util/redact-url.ts'
import { DatabaseUrlError } from './dialect-errors.ts'

/** The database engines aludel can speak to, chosen by URL scheme. */
export type DatabaseKind = 'postgres' | 'pglite' | 'sqlite' | 'mysql'

/** A parsed database URL. `redacted` is safe to print; `url` is not. */
export interface DatabaseUrl {
  readonly kind: DatabaseKind
  /** The URL as given, password included: pass it to the driver only. */
  readonly url: string
  /** The URL with its password replaced by `***`. */
  readonly redacted: string
  readonly password: string | undefined
  /** For pglite/sqlite: an absolute data path, or undefined for an in-memory database. */
  readonly path: string | undefined
}

/**
 * How a server URL is written in messages. No example carries `scheme://user:password@`: the
 * terminal hides anything in that place, and `***` in an example would read as an instruction.
 */
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
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase()
  const safe = redactWholeUrl(trimmed)
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
      path: memory ? undefined : isAbsolute(rest) ? rest : resolve(root, rest),
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
      `'${safe}' is not a valid URL; write it as ${example}, and percent-encode special characters in the password`,
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
    path: undefined,
  }
}

/**
 * The URL with its password hidden. Unlike {@link redactUrl}, which finds URLs inside a message,
 * this knows the whole text is one URL, so a password that holds a space is hidden in full, and
 * so is one given without a host (`postgres://user:secret`), where it would pass for a port.
 */
function redactWholeUrl(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(text)
  if (match === null) return redactUrl(text)
  const scheme = match[1]!
  const rest = match[2]!
  const at = rest.lastIndexOf('@')
  const colon = rest.indexOf(':')
  if (colon < 0 || (at >= 0 && colon > at)) return text
  if (at >= 0) return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`
  // No '@': what follows the ':' is a port, unless it is not a number.
  const port = /^:([^/?#]*)/.exec(rest.slice(colon))?.[1] ?? ''
  return /^\d*$/.test(port)
    ? text
    : `${scheme}${rest.slice(0, colon)}:***${rest.slice(colon + 1 + port.length)}`
}
