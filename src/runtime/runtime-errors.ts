import { AludelError } from '../aludel-error.ts'

/** A migration failed while running; the database was rolled back where it could be. */
export class MigrationFailedError extends AludelError {
  readonly code = 'MIGRATION_FAILED'
  readonly category = 'failure' as const

  constructor(
    message: string,
    readonly revision: string,
    readonly direction: 'upgrade' | 'downgrade',
    /** The statement that failed, shortened, when the failure came from the database. */
    readonly statement: string | undefined,
    /** What the version table holds after the failure. */
    readonly headsAfter: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A migration module cannot be imported, or lacks `upgrade`/`downgrade`. */
export class MigrationModuleError extends AludelError {
  readonly code = 'BAD_MIGRATION_MODULE'
  readonly category = 'usage' as const

  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** One applied migration whose file no longer matches what was run. */
export interface EditedMigration {
  readonly revision: string
  readonly file: string
  readonly appliedChecksum: string
  readonly currentChecksum: string
}

/** Applied migrations were edited after they ran. */
export class ChecksumMismatchError extends AludelError {
  readonly code = 'CHECKSUM_MISMATCH'
  readonly category = 'failure' as const

  constructor(readonly edited: readonly EditedMigration[]) {
    super(
      `${edited.length === 1 ? 'an applied migration was' : `${edited.length} applied migrations were`} edited after running (${edited.map((e) => e.file).join(', ')}); restore the original, put the change in a new migration, or accept the edit with \`aludel rehash\``,
    )
  }
}

/** The version table changed under the runner (someone edited it by hand mid-run). */
export class VersionTableConflictError extends AludelError {
  readonly code = 'VERSION_TABLE_CONFLICT'
  readonly category = 'failure' as const
}
