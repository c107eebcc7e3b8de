import { UsageError } from '../aludel-error.ts'
import type { Script } from '../script/script-directory.ts'
import { type ConfigInput, configOf, scriptsOf } from './command-context.ts'

/** Options of {@link revision}. */
export interface RevisionOptions {
  /** What the migration does; its first line names the file. */
  readonly message: string
  /** Build on this revision instead of the single head (`base` starts an independent root). */
  readonly head?: string
  /** Allow `head` to be a revision that is not a head, starting a branch from it. */
  readonly splice?: boolean
  readonly branchLabels?: readonly string[]
  readonly dependsOn?: readonly string[]
  /** Use this revision id instead of a random 12-hex one. */
  readonly revisionId?: string
  /** Write `transactional = false` (for CREATE INDEX CONCURRENTLY and the like). */
  readonly transactional?: boolean
}

/**
 * Writes a new, empty migration file on top of the current head and returns it.
 *
 * @example const script = await revision(config, { message: 'add account table' })
 * @throws MultipleHeadsError when there are several heads and no `head` was given
 */
export async function revision(config: ConfigInput, options: RevisionOptions): Promise<Script> {
  if (options.message.trim() === '') {
    throw new UsageError(
      'a revision needs a message: aludel revision -m "add account table"',
      'NO_MESSAGE',
    )
  }
  const scripts = scriptsOf(configOf(config))
  return scripts.writeRevision({ ...options, head: options.head ?? 'head' })
}

/** Options of {@link merge}. */
export interface MergeOptions {
  readonly message: string
  readonly branchLabels?: readonly string[]
  readonly revisionId?: string
}

/**
 * Writes a merge revision whose parents are `revisions` (`heads` names them all), joining
 * branches back into one line. Its `upgrade` and `downgrade` are usually empty.
 *
 * @example await merge(config, ['heads'], { message: 'merge feature branches' })
 */
export async function merge(
  config: ConfigInput,
  revisions: readonly string[],
  options: MergeOptions,
): Promise<Script> {
  if (options.message.trim() === '') {
    throw new UsageError(
      'a merge needs a message: aludel merge heads -m "merge branches"',
      'NO_MESSAGE',
    )
  }
  if (revisions.length === 0) {
    throw new UsageError(
      'name the revisions to merge, or `heads`: aludel merge heads -m MSG',
      'NO_REVISIONS',
    )
  }
  const scripts = scriptsOf(configOf(config))
  return scripts.writeRevision({
    message: options.message,
    head: revisions,
    branchLabels: options.branchLabels,
    revisionId: options.revisionId,
    upgradeBody: '  // a merge point: nothing to do unless the branches need reconciling',
    downgradeBody: '  // a merge point: nothing to do',
  })
}
