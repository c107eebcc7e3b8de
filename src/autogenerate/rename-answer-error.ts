import { AludelError } from '../aludel-error.ts'

/** Why a rename answer cannot be followed. */
export type RenameAnswerErrorCode =
  /** The answer names something that is not a new table (or column) where the old one was. */
  | 'UNKNOWN_RENAME_TARGET'
  /** Two old objects are answered as renamed to the same new one. */
  | 'DUPLICATE_RENAME_TARGET'

/**
 * A rename answer (`CompareOptions.renames`) that contradicts the schemas: it renames to an object
 * that is not new, or two objects to the same one. A usage error: the answers must be corrected.
 */
export class RenameAnswerError extends AludelError {
  readonly category = 'usage' as const
  readonly code: RenameAnswerErrorCode
  /** The answer's key: the old object. */
  readonly fromKey: string
  /** The answer's value: the new object it names. */
  readonly toKey: string

  constructor(code: RenameAnswerErrorCode, message: string, fromKey: string, toKey: string) {
    super(message)
    this.code = code
    this.fromKey = fromKey
    this.toKey = toKey
  }
}
