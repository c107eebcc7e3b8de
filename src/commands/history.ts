import { splitRange } from '../script/parse-target.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'
import { type RevisionInfo, revisionInfo } from './revision-info.ts'

/** One line of history. */
export interface HistoryEntry extends RevisionInfo {
  /** Whether the version table holds this revision (only when `indicateCurrent`). */
  readonly current: boolean
}

/** Options of {@link history}. */
export interface HistoryOptions extends CommandOptions {
  /** `A:B`, both ends included; either end may be empty (base / heads) or `current`. */
  readonly range?: string
  /** Read the database to mark its current revisions. */
  readonly indicateCurrent?: boolean
}

/**
 * The revisions, newest first. Reads only the migration files, unless the range mentions
 * `current` or `indicateCurrent` is set.
 *
 * @example await history(config, { range: 'ae10:head' })
 */
export async function history(
  config: ConfigInput,
  options: HistoryOptions = {},
): Promise<readonly HistoryEntry[]> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const map = scripts.map
  const range = options.range === undefined ? { from: '', to: '' } : splitRange(options.range)
  const needsDatabase =
    options.indicateCurrent === true || range.from === 'current' || range.to === 'current'
  const currentHeads = needsDatabase
    ? await withRunner(
        resolved,
        scripts,
        options,
        async (runner) => (await runner.readState()).heads,
      )
    : undefined
  const side = (text: string): readonly string[] | undefined => {
    if (text === '') return undefined
    if (text === 'current') return currentHeads ?? []
    const resolved = map.resolve(text, currentHeads)
    // `LABEL@base` as the lower end: from the revision that starts the branch.
    if (resolved.branchBase !== undefined) return [map.resolveRevision(resolved.branchBase)]
    return resolved.revisions
  }
  const lower = range.from === 'base' ? undefined : side(range.from)
  const upper = side(range.to)
  const marked = new Set(currentHeads ?? [])
  return map
    .range(lower, upper)
    .reverse()
    .map((id) => ({ ...revisionInfo(map, id), current: marked.has(id) }))
}
