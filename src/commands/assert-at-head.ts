import { AludelError } from '../aludel-error.ts'
import { checkAtHeads } from '../runtime/at-head-check.ts'
import { describeRewrite } from '../runtime/runtime-errors.ts'
import { ScriptDirectory } from '../script/script-directory.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  settingsOf,
  withDatabase,
} from './command-context.ts'
import { current } from './current.ts'
import { upgradeCommand } from './upgrade-advice.ts'

/** Why the database is not where the code expects it. */
export type NotAtHeadReason = 'behind' | 'unknown-revision' | 'history-rewritten' | 'interrupted'

/** The application's database is not at the migrations' head. */
export class NotAtHeadError extends AludelError {
  readonly code = 'NOT_AT_HEAD'
  readonly category = 'failure' as const

  constructor(
    message: string,
    readonly reason: NotAtHeadReason,
    readonly current: readonly string[],
    readonly pending: readonly string[],
  ) {
    super(message)
  }
}

/** The database's revision, for a health endpoint. */
export interface RevisionStatus {
  /** The database's revisions: the version table's rows (`[]` = base). */
  readonly current: readonly string[]
  /** The migrations' heads. */
  readonly heads: readonly string[]
  readonly atHead: boolean
  /** Migrations not applied yet. */
  readonly pending: readonly string[]
  /** Version-table rows no migration defines: the database is ahead, or on another branch. */
  readonly unknown: readonly string[]
}

/**
 * The database's current revision and whether it is at head, for a health endpoint.
 *
 * @example app.get('/health', async () => currentRevision(config))
 */
export async function currentRevision(
  config: ConfigInput,
  options: CommandOptions = {},
): Promise<RevisionStatus> {
  const result = await current(config, options)
  return {
    current: [...result.current.map((h) => h.revision), ...result.unknown],
    heads: result.heads,
    atHead: result.atHead,
    pending: result.pending,
    unknown: result.unknown,
  }
}

/**
 * Throws unless every migration is applied, so that an application refuses to serve against a
 * database its code does not match. Call it at start-up.
 *
 * @example await assertAtHead(config) // before app.listen()
 * @throws NotAtHeadError saying whether the database is behind (and how far) or at a revision
 *   this code does not know (ahead, or another branch)
 */
export async function assertAtHead(
  config: ConfigInput,
  options: CommandOptions = {},
): Promise<void> {
  const resolved = configOf(config)
  // Start-up path: when the folder is unchanged since it was last read in full, one query answers.
  const summary = ScriptDirectory.summary(resolved.migrationsDir)
  if (summary !== undefined) {
    const heads = await withDatabase(
      resolved,
      (dialect) => checkAtHeads(dialect, settingsOf(resolved), summary),
      options,
    )
    if (heads !== undefined) return
  }
  const result = await current(resolved, options)
  const revisions = [...result.current.map((h) => h.revision), ...result.unknown]
  const at = revisions.length === 0 ? 'base' : revisions.join(', ')
  if (result.unknown.length > 0) {
    throw new NotAtHeadError(
      `the database is at ${result.unknown.join(', ')}, which this code's migrations do not contain (it was migrated by newer code or another branch); deploy the matching code, or downgrade the database with the code that migrated it`,
      'unknown-revision',
      revisions,
      result.pending,
    )
  }
  if (result.unrecorded.length > 0) {
    throw new NotAtHeadError(
      describeRewrite(result.unrecorded),
      'history-rewritten',
      revisions,
      result.pending,
    )
  }
  const interrupted = result.interrupted[0]
  if (interrupted !== undefined) {
    throw new NotAtHeadError(
      `${interrupted.direction} ${interrupted.revision} (${interrupted.file ?? 'no file'}) was interrupted after ${interrupted.statements.length} of its statements; run \`aludel ${interrupted.direction} ${interrupted.direction === 'upgrade' ? 'head' : interrupted.revision}\` to finish it before starting the application`,
      'interrupted',
      revisions,
      result.pending,
    )
  }
  if (result.pending.length > 0) {
    const n = result.pending.length
    throw new NotAtHeadError(
      `the database is at ${at} and ${n} migration${n === 1 ? ' is' : 's are'} not applied (next: ${result.pending[0]}); run \`${upgradeCommand(result.heads)}\` before starting the application`,
      'behind',
      revisions,
      result.pending,
    )
  }
}
