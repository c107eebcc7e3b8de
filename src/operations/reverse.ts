import { assertNever, type MigrationOp } from './migration-op.ts'
import { IrreversibleOperationError } from './operation-errors.ts'

/**
 * The operations that undo `op`, for writing a downgrade from an upgrade.
 *
 * @throws IrreversibleOperationError for operations that lose information (raw SQL cannot be
 *   inverted; a dropped column without its definition cannot be restored)
 */
export function reverse(op: MigrationOp): readonly MigrationOp[] {
  switch (op.kind) {
    case 'execute':
      throw new IrreversibleOperationError(
        'op.execute()',
        'raw SQL has no known inverse; write the downgrade statement by hand',
      )
    default:
      return assertNever(op.kind)
  }
}
