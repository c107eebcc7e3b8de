/**
 * How a failure should be treated by a caller: `usage` means the input was wrong (a bad argument,
 * an unknown revision, a broken migration folder; the CLI exits 2), `failure` means the operation
 * itself failed (a database error, drift, a failed safety check; the CLI exits 1).
 */
export type ErrorCategory = 'usage' | 'failure'

/**
 * Base class of every error aludel throws on purpose.
 *
 * The message is one line that says what is wrong and what to do. `code` is a stable
 * machine-readable identifier (`MULTIPLE_HEADS`, `LOCK_TIMEOUT`, ...), and subclasses carry the data
 * that explains the failure as readonly fields.
 */
export abstract class AludelError extends Error {
  /** Stable identifier of the error kind, for programs that branch on it. */
  abstract readonly code: string
  /** Whether the input or the operation was at fault; the CLI maps it to exit status 2 or 1. */
  abstract readonly category: ErrorCategory

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A usage error not covered by a more specific class: a bad argument or bad input. */
export class UsageError extends AludelError {
  readonly code: string
  readonly category = 'usage' as const

  constructor(message: string, code = 'USAGE', options?: { readonly cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** True for errors that aludel raised deliberately (as opposed to bugs or foreign exceptions). */
export function isAludelError(error: unknown): error is AludelError {
  return error instanceof AludelError
}
