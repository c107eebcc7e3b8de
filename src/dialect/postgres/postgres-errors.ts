import { resolve } from 'node:path'
import { fsProblem } from '../../util/fs-problem.ts'
import { redactSecrets, redactUrl } from '../../util/redact-url.ts'
import { LONG_ECHO_LIMIT, shortenInput } from '../../util/shorten-input.ts'
import type { DatabaseUrl } from '../database-url.ts'
import {
  ConnectionError,
  DatabaseError,
  DatabaseUrlError,
  statementText,
} from '../dialect-errors.ts'

interface PgLikeError {
  readonly code?: unknown
  readonly message?: unknown
  readonly detail?: unknown
  readonly hint?: unknown
}

/**
 * Wraps an error from node-postgres or PGlite raised by a statement into a {@link DatabaseError}
 * (SQLSTATE kept), or a {@link ConnectionError} when the session itself broke.
 */
export function toDatabaseError(error: unknown, sql: string, url: DatabaseUrl): Error {
  const e = (error ?? {}) as PgLikeError
  const code = typeof e.code === 'string' ? e.code : undefined
  // The server's words may quote data: only the URL's own secrets are taken out of them.
  const message = withoutSecrets(String(e.message ?? error), url)
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    return new DatabaseError(
      message,
      code,
      statementText(sql),
      typeof e.detail === 'string' ? withoutSecrets(e.detail, url) : undefined,
      typeof e.hint === 'string' ? e.hint : undefined,
      { cause: error },
    )
  }
  if (
    /Connection terminated|ECONNRESET|EPIPE|not queryable|closed/i.test(message) ||
    code?.startsWith('E')
  ) {
    return new ConnectionError(
      `lost the connection to ${url.redacted} (${redactUrl(message)}); check that the server is up and run the command again`,
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
  // A driver's own message may echo the connection string.
  const raw = redactUrl(withoutSecrets(String(e.message ?? error), url))
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

/**
 * Turns a failure to set up a session before any connection is tried — node-postgres reads the
 * `sslrootcert`, `sslcert` and `sslkey` files named in the URL right away — into one line. A
 * file that cannot be read is bad input (exit 2), as is any other problem with the URL.
 */
export function toSetupError(error: unknown, url: DatabaseUrl): Error {
  const e = (error ?? {}) as { code?: unknown; path?: unknown; message?: unknown }
  const message = redactUrl(withoutSecrets(String(e.message ?? error), url))
  if (typeof e.path === 'string') {
    const parameters = new URL(url.url).searchParams
    const parameter = ['sslrootcert', 'sslcert', 'sslkey'].find((p) => parameters.get(p) === e.path)
    const file = shortenInput(e.path, LONG_ECHO_LIMIT)
    const where =
      resolve(e.path) === e.path
        ? ''
        : ` (read from the folder aludel runs in: ${shortenInput(resolve(e.path), LONG_ECHO_LIMIT)})`
    return new DatabaseUrlError(
      `the ${parameter ?? 'certificate'} file ${file} named in ${url.redacted} ${fsProblem(error)}${where}; fix the path in the URL, or remove the parameter`,
      { cause: error },
    )
  }
  return new DatabaseUrlError(`cannot use ${url.redacted}: ${message}`, { cause: error })
}

function withoutSecrets(text: string, url: DatabaseUrl): string {
  return redactSecrets(text.replace(/\s+/g, ' ').trim(), url.secrets)
}
