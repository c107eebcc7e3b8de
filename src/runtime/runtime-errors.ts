import { AludelError } from '../aludel-error.ts'
import type { SessionActivity } from '../dialect/dialect.ts'
import { formatDuration } from '../util/duration.ts'

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
    readonly currentAfter: readonly string[],
    /** What it held when the run started. */
    readonly currentBefore: readonly string[],
    /** Steps of this run that were committed before the failure (and stay). */
    readonly applied: number,
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

/**
 * The migration lock was lost during a run (its session was terminated, timed out or cut off):
 * the step in progress was not committed and nothing more ran, so that no other runner can apply
 * a step twice.
 */
export class LockLostError extends AludelError {
  readonly code = 'LOCK_LOST'
  readonly category = 'failure' as const

  constructor(
    message: string,
    /** The revision whose step was stopped, when one was running. */
    readonly revision: string | undefined,
    /** What the version table holds. */
    readonly currentAfter: readonly string[],
    options?: { cause?: unknown },
    /** Where the run started (undefined when it stopped before its first step). */
    readonly currentBefore?: readonly string[],
    /** Steps of the run committed before the lock was lost. */
    readonly applied = 0,
  ) {
    super(message, options)
  }
}

/** A migration (or the loading of one) tried to end the process. */
export class MigrationExitError extends AludelError {
  readonly code = 'MIGRATION_EXITED'
  readonly category = 'failure' as const

  constructor(
    readonly exitCode: unknown,
    /** Who called it, for the message: a file, or the migration running. */
    where = 'the migration',
  ) {
    super(
      `${where} called process.exit(${exitCode === undefined ? '' : String(exitCode)}); a migration must return or throw, never end the process`,
    )
  }
}

/** One applied revision that, according to the ledger, never ran on this database. */
export interface UnrecordedRevision {
  readonly revision: string
  readonly file: string
  /**
   * `never-ran`: it sits among applied revisions but the ledger has no upgrade of it;
   * `moved`: it ran, but on top of other revisions than its file names now.
   */
  readonly reason: 'never-ran' | 'moved'
  /** For `moved`: the parents it ran on. */
  readonly ranOn: readonly string[]
  /** For `never-ran`: a revision the ledger ran with the same message that no file defines now. */
  readonly renamedFrom: string | undefined
}

/**
 * The revision graph was rewritten under applied migrations: a migration was inserted between
 * applied ones, or an applied revision's id or parents changed. The version table would claim
 * work that never ran.
 */
export class HistoryRewrittenError extends AludelError {
  readonly code = 'HISTORY_REWRITTEN'
  readonly category = 'failure' as const

  constructor(readonly revisions: readonly UnrecordedRevision[]) {
    super(describeRewrite(revisions))
  }
}

/** One line naming each rewritten revision and the way out. */
export function describeRewrite(revisions: readonly UnrecordedRevision[]): string {
  const parts = revisions.map((r) => {
    if (r.reason === 'moved') {
      return `${r.file} (${r.revision}) ran on top of ${r.ranOn.length === 0 ? '<base>' : r.ranOn.join(', ')}, but its downRevision was changed since`
    }
    return `${r.file} (${r.revision}) sits among applied migrations but never ran on this database${r.renamedFrom === undefined ? '' : ` (the ledger ran ${r.renamedFrom} with the same message: was its revision id changed?)`}`
  })
  return `the migration history was rewritten under applied migrations: ${parts.join('; ')}; restore the files as they were when they ran (git history has them) and put new work on top of the head${revisions.some((r) => r.reason === 'never-ran') ? ' (a new migration goes after the head, never between applied ones)' : ''}`
}

/**
 * An interrupted non-transactional step cannot resume: a statement that already ran is not the
 * statement the file produces now.
 */
export class ResumeConflictError extends AludelError {
  readonly code = 'RESUME_CONFLICT'
  readonly category = 'failure' as const
}

/**
 * A session left by an earlier run (killed, or cut off from its lock) is still changing the
 * database, and did not end within the wait.
 */
export class StaleWorkSessionError extends AludelError {
  readonly code = 'STALE_WORK_SESSION'
  readonly category = 'failure' as const

  constructor(
    readonly sessions: readonly SessionActivity[],
    waitedMs: number,
    /** The statements that stop them, as the dialect writes them. */
    stopSql: readonly string[],
  ) {
    const one = sessions.length === 1
    super(
      `${sessions.map((s) => describeSession(s)).join('; ')} ${one ? 'is' : 'are'} still running, left by an earlier aludel run that died or lost its lock, and did not end within ${formatDuration(waitedMs)}; wait for ${one ? 'it' : 'them'}, or stop ${one ? 'it' : 'them'} with ${stopSql.join(', ')} and run the command again`,
    )
  }
}

/** `pid 4242 (aludel upgrade ..., active for 3 s: CREATE INDEX ...)` for messages. */
export function describeSession(session: SessionActivity, now = Date.now()): string {
  const details: string[] = []
  if (session.application) details.push(session.application)
  if (session.user) details.push(`user ${session.user}`)
  const state = session.state ?? 'connected'
  details.push(
    session.since === undefined
      ? state
      : `${state} for ${formatDuration(Math.max(0, now - session.since.getTime()))}`,
  )
  const query = session.query === undefined ? '' : `: ${shorten(session.query, 80)}`
  return `pid ${session.pid} (${details.join(', ')}${query})`
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
