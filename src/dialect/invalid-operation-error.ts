import { AludelError } from '../aludel-error.ts'

/**
 * An operation that a dialect cannot compile: contradictory settings (an identity column with a
 * default), a value the database has no spelling for (`serial` on a text column), or a shape the
 * dialect does not support. Raised before anything is sent to the database; the message is one
 * line naming the object and what to change.
 *
 * @example
 * new InvalidOperationError('column "users"."id" has both an identity and a default; keep one')
 */
export class InvalidOperationError extends AludelError {
  readonly code = 'INVALID_OPERATION'
  readonly category = 'usage' as const
}
