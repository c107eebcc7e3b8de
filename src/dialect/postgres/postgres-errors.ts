import { redactSecret, redactUrl } from '../../util/redact-url.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { ConnectionError, DatabaseError } from '../dialect-errors.ts'

interface PgLikeError {
  readonly code?: unknown
  readonly message?: unknown
  readonly detail?: unknown
  readonly hint?: unknown
}

const MAX_STATEMENT = 200

/**
 * Wraps an error from node-postgres or PGlite raised by a statement into a {@link DatabaseError}
 * (SQLSTATE kept), or a {@link ConnectionError} when the session itself broke.
 */
export function toDatabaseError(error: unknown, sql: string, url: DatabaseUrl): Error {
  const e = (error ?? {}) as PgLikeError
  const code = typeof e.code === 'string' ? e.code : undefined
  const message = clean(String(e.message ?? error), url)
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    return new DatabaseError(
      message,
      code,
      shorten(sql),
      typeof e.detail === 'string' ? clean(e.detail, url) : undefined,
      typeof e.hint === 'string' ? e.hint : undefined,
      { cause: error },
    )
  }
  if (
    /Connection terminated|ECONNRESET|EPIPE|not queryable|closed/i.test(message) ||
    code?.startsWith('E')
  ) {
    return new ConnectionError(
      `lost the connection to ${url.redacted} (${message}); check that the server is up and run the command again`,
      'CONNECTION_LOST',
      { cause: error },
    )
  }
  return error instanceof Error ? error : new Error(message)
}

/**
 * Turns a failure to open a session into one line that says what to do. Never shows the password.
 */
export function toConnectError(error: unknown, url: DatabaseUrl): ConnectionError {
  const e = (error ?? {}) as PgLikeError
  const code = typeof e.code === 'string' ? e.code : ''
  const raw = clean(String(e.message ?? error), url)
  const where = url.redacted
  let message: string
  switch (code) {
    case 'ECONNREFUSED':
      message = `cannot connect to ${where}: connection refused; is PostgreSQL running and listening on that host and port?`
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `cannot connect to ${where}: the host name does not resolve; check the host in DATABASE_URL`
      break
    case 'ETIMEDOUT':
      message = `cannot connect to ${where}: timed out; check the host, port and firewall`
      break
    case '28P01':
      message = `cannot connect to ${where}: ${raw}; check the user and password in DATABASE_URL`
      break
    case '28000':
      message = `cannot connect to ${where}: ${raw}; check the user name and the server's pg_hba.conf`
      break
    case '3D000':
      message = `cannot connect to ${where}: ${raw}; create it (createdb) or fix the database name in DATABASE_URL`
      break
    default:
      if (/password must be a string|SASL/i.test(raw)) {
        message = `cannot connect to ${where}: the server asks for a password and the URL has none; add it to DATABASE_URL`
      } else if (/timeout/i.test(raw)) {
        message = `cannot connect to ${where}: timed out; check the host, port and firewall`
      } else {
        message = `cannot connect to ${where}: ${raw}`
      }
  }
  return new ConnectionError(message, 'CONNECTION_FAILED', { cause: error })
}

function clean(text: string, url: DatabaseUrl): string {
  return redactSecret(redactUrl(text.replace(/\s+/g, ' ').trim()), url.password)
}

function shorten(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_STATEMENT ? `${flat.slice(0, MAX_STATEMENT - 1)}…` : flat
}
