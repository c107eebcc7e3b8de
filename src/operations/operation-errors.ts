import { AludelError } from '../aludel-error.ts'

/** An operation cannot be reversed automatically because it does not carry enough information. */
export class IrreversibleOperationError extends AludelError {
  readonly code = 'IRREVERSIBLE_OPERATION'
  readonly category = 'usage' as const

  constructor(
    readonly kind: string,
    reason: string,
  ) {
    super(`${kind} cannot be reversed automatically: ${reason}`)
  }
}

/** `op.query()` was called while writing an offline (`--sql`) script, where nothing can be read. */
export class OfflineQueryError extends AludelError {
  readonly code = 'OFFLINE_QUERY'
  readonly category = 'usage' as const

  constructor() {
    super(
      'op.query() reads from the database, which --sql mode cannot do; run this migration online, or rewrite the data step as a single op.execute() statement',
    )
  }
}

/** A CONCURRENTLY operation in a migration that runs inside a transaction. */
export class ConcurrentlyInTransactionError extends AludelError {
  readonly code = 'CONCURRENTLY_IN_TRANSACTION'
  readonly category = 'usage' as const

  constructor(what: string) {
    super(
      `${what} cannot run inside a transaction, and this migration runs in one; add \`export const transactional = false\` to the migration`,
    )
  }
}
