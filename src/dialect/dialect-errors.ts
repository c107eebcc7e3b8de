import { AludelError } from '../aludel-error.ts'

/** A database URL that cannot be understood. Never contains the password. */
export class DatabaseUrlError extends AludelError {
  readonly code = 'BAD_DATABASE_URL'
  readonly category = 'usage' as const
}

/** The npm package that talks to this kind of database is not installed. */
export class MissingDriverError extends AludelError {
  readonly code = 'MISSING_DRIVER'
  readonly category = 'failure' as const

  constructor(
    readonly packageName: string,
    readonly scheme: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${scheme}: URLs need the '${packageName}' package, which is not installed; run \`npm install ${packageName}\``,
      options,
    )
  }
}

/** The database could not be reached or refused the session. Never contains the password. */
export class ConnectionError extends AludelError {
  readonly code: string
  readonly category = 'failure' as const

  constructor(message: string, code = 'CONNECTION_FAILED', options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/**
 * A statement failed in the database. Carries the SQLSTATE and the statement (shortened) so that
 * callers can report exactly what went wrong.
 */
/** How many characters of a statement an error shows. */
const STATEMENT_SHOWN = 200

/** A statement as errors show it: on one line, cut at 200 characters with an ellipsis. */
export function statementText(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > STATEMENT_SHOWN ? `${flat.slice(0, STATEMENT_SHOWN - 1)}…` : flat
}

export class DatabaseError extends AludelError {
  readonly code = 'DATABASE_ERROR'
  readonly category = 'failure' as const

  constructor(
    message: string,
    readonly sqlState: string | undefined,
    readonly statement: string,
    readonly detail: string | undefined,
    readonly hint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * The migration sessions reach the database through a pooler that hands server sessions to other
 * clients between transactions (PgBouncer's `pool_mode = transaction` or `statement`): the
 * migration lock and session settings would not stay with aludel, so it stops before anything
 * runs. Never contains the password.
 */
export class TransactionPoolerError extends AludelError {
  readonly code = 'TRANSACTION_POOLER'
  readonly category = 'failure' as const

  constructor(where: string) {
    super(
      `${where} goes through a connection pooler in transaction mode (e.g. PgBouncer with pool_mode = transaction): the migration lock and session settings would not stay with aludel's sessions, so nothing was run; give migrations a direct connection to the server with \`migrationUrl\` in aludel.config.ts (or --url), and keep the pooler for the application`,
    )
  }
}
