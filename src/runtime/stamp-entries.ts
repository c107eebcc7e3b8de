import type { RevisionMap } from '../script/revision-map.ts'
import type { Script } from '../script/script-directory.ts'
import { toolVersion } from '../version.ts'
import type { LedgerEntry } from './version-store.ts'

/** Who made a stamp and when: what its ledger rows say besides the revisions. */
export interface StampOrigin {
  readonly runId: string
  readonly runBy: string
  /** When the stamp was made; undefined in an offline script, which runs at an unknown time. */
  readonly at: Date | undefined
}

/**
 * The ledger rows of a stamp from `start` to `currentAfter`, the same online and in an offline
 * script: an `unstamp` row for each revision it takes away (newest first), then a `stamp` row for
 * each it adds (oldest first), so that the ledger tells what the version table says and why.
 */
export function stampEntries(
  map: RevisionMap<Script>,
  start: readonly string[],
  currentAfter: readonly string[],
  origin: StampOrigin,
): readonly LedgerEntry[] {
  const before = map.appliedSet(start)
  const after = map.appliedSet(currentAfter)
  const entry = (revision: string, direction: 'stamp' | 'unstamp'): LedgerEntry => ({
    runId: origin.runId,
    revision,
    direction,
    from: direction === 'stamp' ? [] : [revision],
    to: direction === 'stamp' ? [revision] : [],
    message: map.get(revision).message,
    checksum: direction === 'stamp' ? map.get(revision).checksum : null,
    startedAt: origin.at,
    finishedAt: origin.at,
    durationMs: origin.at === undefined ? undefined : 0,
    runBy: origin.runBy,
    toolVersion: toolVersion(),
  })
  return [
    ...[...map.order]
      .reverse()
      .filter((r) => before.has(r) && !after.has(r))
      .map((r) => entry(r, 'unstamp')),
    ...map.order.filter((r) => after.has(r) && !before.has(r)).map((r) => entry(r, 'stamp')),
  ]
}
