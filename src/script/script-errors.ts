import { AludelError } from '../aludel-error.ts'
import { shortenInput } from '../util/shorten-input.ts'

/** A migration file whose header cannot be read statically. */
export class ScriptHeaderError extends AludelError {
  readonly code = 'BAD_SCRIPT_HEADER'
  readonly category = 'usage' as const

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`)
  }
}

/** Something wrong with the migrations folder as a whole: missing, unreadable, or inconsistent. */
export class ScriptDirectoryError extends AludelError {
  readonly code: string
  readonly category = 'usage' as const

  constructor(message: string, code = 'BAD_SCRIPT_DIRECTORY', options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Two nodes of the revision graph claim the same revision id. */
export class DuplicateRevisionError extends AludelError {
  readonly code = 'DUPLICATE_REVISION'
  readonly category = 'usage' as const

  constructor(
    readonly revision: string,
    readonly sources: readonly string[],
  ) {
    super(
      `revision ${revision} is defined twice (${sources.join(' and ')}); give one of them a new id with a fresh \`export const revision\``,
    )
  }
}

/** A `downRevision` or `dependsOn` names a revision that no migration defines. */
export class MissingRevisionError extends AludelError {
  readonly code = 'MISSING_REVISION'
  readonly category = 'usage' as const

  constructor(
    readonly revision: string,
    readonly missing: string,
    readonly field: 'downRevision' | 'dependsOn',
    readonly source: string,
  ) {
    super(
      `${source}: ${field} '${missing}' names no migration; restore the missing file or correct ${field}`,
    )
  }
}

/** The revision graph has a cycle through down revisions or dependencies. */
export class RevisionCycleError extends AludelError {
  readonly code = 'REVISION_CYCLE'
  readonly category = 'usage' as const

  constructor(readonly revisions: readonly string[]) {
    super(
      revisions.length === 1
        ? `revision ${revisions[0]} names itself in downRevision or dependsOn; point it at an earlier revision`
        : `the revisions ${revisions.join(', ')} form a cycle through downRevision/dependsOn; one of them must point further back`,
    )
  }
}

/** A branch label is declared by two revisions, or collides with a revision id. */
export class DuplicateBranchLabelError extends AludelError {
  readonly code = 'DUPLICATE_BRANCH_LABEL'
  readonly category = 'usage' as const

  constructor(
    readonly label: string,
    readonly sources: readonly string[],
  ) {
    super(
      `branch label '${label}' is declared twice (${sources.join(' and ')}); a label names exactly one branch`,
    )
  }
}

/** A revision reference matches nothing. */
export class RevisionNotFoundError extends AludelError {
  readonly code = 'REVISION_NOT_FOUND'
  readonly category = 'usage' as const

  constructor(
    readonly reference: string,
    hint = 'run `aludel history` to list the revisions',
  ) {
    super(`no revision matches '${shortenInput(reference)}'; ${hint}`)
  }
}

/** A partial revision id matches several revisions. */
export class AmbiguousRevisionError extends AludelError {
  readonly code = 'AMBIGUOUS_REVISION'
  readonly category = 'usage' as const

  constructor(
    readonly reference: string,
    readonly candidates: readonly string[],
  ) {
    super(
      `'${shortenInput(reference)}' matches several revisions (${candidates.join(', ')}); give more characters of the id`,
    )
  }
}

/**
 * `head` (or `LABEL@head`) was asked for, but the graph has several heads.
 *
 * @example
 * try { await upgrade(config, 'head') } catch (e) {
 *   if (e instanceof MultipleHeadsError) console.log(e.heads)
 * }
 */
export class MultipleHeadsError extends AludelError {
  readonly code = 'MULTIPLE_HEADS'
  readonly category = 'usage' as const

  /**
   * @param advice what to do instead, for callers whose way out differs; default: name one head,
   *   use `heads`, or merge
   */
  constructor(
    readonly heads: readonly string[],
    readonly target: string,
    advice = "name one of them, use 'heads' to mean all of them, or join them with `aludel merge heads -m MSG`",
  ) {
    super(
      `'${shortenInput(target)}' is ambiguous: there are ${heads.length} heads (${heads.join(', ')}); ${advice}`,
    )
  }
}

/** A target is well-formed but makes no sense from where the database is. */
export class InvalidTargetError extends AludelError {
  readonly code: string
  readonly category = 'usage' as const

  constructor(
    readonly target: string,
    reason: string,
    code = 'INVALID_TARGET',
  ) {
    super(`cannot use '${shortenInput(target)}': ${reason}`)
    this.code = code
  }
}

/** The version table names a revision that no migration file defines. */
export class UnknownDatabaseRevisionError extends AludelError {
  readonly code = 'UNKNOWN_DATABASE_REVISION'
  readonly category = 'usage' as const

  constructor(readonly revisions: readonly string[]) {
    super(
      `the database is at ${revisions.length === 1 ? 'revision' : 'revisions'} ${revisions.join(', ')}, which no migration file defines; check out the code that wrote ${revisions.length === 1 ? 'it' : 'them'}, or reset the version table with \`aludel stamp REV --purge\``,
    )
  }
}
