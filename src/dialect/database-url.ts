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
  const safe = redactUrl(trimmed)
  if (scheme === undefined || SCHEMES[scheme] === undefined) {
    throw new DatabaseUrlError(
      `'${safe}' is not a database URL aludel knows; use postgres://user:password@host:5432/db, pglite:./data or pglite:memory`,
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
  let parsed: URL
  try {
    parsed = new URL(trimmed)
  } catch {
    throw new DatabaseUrlError(
      `'${safe}' is not a valid URL; write it as ${scheme}://user:password@host:port/database and percent-encode special characters in the password`,
    )
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DatabaseUrlError(
      `'${safe}' has no host; write it as ${scheme}://user:password@host:port/database`,
    )
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
