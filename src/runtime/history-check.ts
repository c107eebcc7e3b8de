import type { RevisionMap } from '../script/revision-map.ts'
import type { Script } from '../script/script-directory.ts'
import { sameSet } from '../util/same-set.ts'
import type { UnrecordedRevision } from './runtime-errors.ts'
import type { VersionState } from './version-store.ts'

/**
 * Applied revisions — by the version table and the graph — that the ledger says never ran here
 * as the graph now places them. The version table only names heads; what lies below them is
 * inferred from the files, so a migration inserted between applied ones, or an applied revision
 * whose id or parents were edited, would pass for applied. The ledger records each step with the
 * revisions it moved from, which exposes both:
 *
 * - `moved`: the latest upgrade of a revision moved from other parents than its file names now;
 * - `never-ran`: an applied revision with no upgrade or stamp in the ledger, below which (through
 *   its parents) some revision *is* recorded. Revisions below every recorded one are history from
 *   before the ledger (a database adopted with another tool's version table) and are not flagged.
 */
export function unrecordedRevisions(
  map: RevisionMap<Script>,
  state: VersionState,
): readonly UnrecordedRevision[] {
  const known = state.heads.filter((h) => map.nodes.has(h))
  if (known.length === 0 || state.steps.size === 0) return []
  const applied = map.appliedSet(known)
  const inLedger = (revision: string) => {
    const direction = state.steps.get(revision)?.direction
    return direction === 'upgrade' || direction === 'stamp'
  }
  // Whether a recorded revision lies below each revision, in one pass over the topological order.
  const recordedBelow = new Map<string, boolean>()
  const found: UnrecordedRevision[] = []
  let renamedCandidates: Map<string, string> | undefined
  for (const revision of map.order) {
    const node = map.get(revision)
    recordedBelow.set(
      revision,
      node.downRevisions.some((p) => inLedger(p) || recordedBelow.get(p) === true),
    )
    if (!applied.has(revision)) continue
    const step = state.steps.get(revision)
    if (step?.direction === 'upgrade' && !sameSet(step.from, node.downRevisions)) {
      found.push({
        revision,
        file: node.source,
        reason: 'moved',
        ranOn: step.from,
        renamedFrom: undefined,
      })
    } else if (!inLedger(revision) && recordedBelow.get(revision) === true) {
      renamedCandidates ??= ledgerOnly(map, state)
      found.push({
        revision,
        file: node.source,
        reason: 'never-ran',
        ranOn: [],
        renamedFrom: node.message === '' ? undefined : renamedCandidates.get(node.message),
      })
    }
  }
  return found
}

/** Revisions the ledger applied that no file defines, by message. */
function ledgerOnly(map: RevisionMap<Script>, state: VersionState): Map<string, string> {
  const byMessage = new Map<string, string>()
  for (const [revision, step] of state.steps) {
    if (map.nodes.has(revision) || step.message === '') continue
    if (step.direction === 'upgrade' || step.direction === 'stamp') {
      byMessage.set(step.message, revision)
    }
  }
  return byMessage
}
