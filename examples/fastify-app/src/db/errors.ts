/**
 * Recognizing constraint violations. node-postgres and PGlite both raise errors that carry
 * PostgreSQL's SQLSTATE in `code` and the violated constraint's name in `constraint`.
 * Letting the database enforce uniqueness and references, then translating its verdict, is
 * race-free; checking first with a SELECT is not (two requests can both pass the check).
 */

/** SQLSTATE codes, PostgreSQL manual, Appendix A "PostgreSQL Error Codes". */
const UNIQUE_VIOLATION = '23505'
const FOREIGN_KEY_VIOLATION = '23503'

interface PostgresError {
  readonly code: string
  readonly constraint?: string
}

function isPostgresError(error: unknown): error is PostgresError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

/** Whether `error` is a unique_violation, of the named constraint when one is given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return (
    isPostgresError(error) &&
    error.code === UNIQUE_VIOLATION &&
    (constraint === undefined || error.constraint === constraint)
  )
}

/** Whether `error` is a foreign_key_violation, of the named constraint when one is given. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return (
    isPostgresError(error) &&
    error.code === FOREIGN_KEY_VIOLATION &&
    (constraint === undefined || error.constraint === constraint)
  )
}
