import type { RevisionMap } from '../script/revision-map.ts'
import type { Script } from '../script/script-directory.ts'

/** Everything the read commands tell about one revision. */
export interface RevisionInfo {
  readonly revision: string
  readonly downRevisions: readonly string[]
  readonly children: readonly string[]
  readonly message: string
  readonly doc: string
  readonly file: string
  /** Labels declared by this revision. */
  readonly ownBranchLabels: readonly string[]
  /** Labels of every branch this revision belongs to. */
  readonly branchLabels: readonly string[]
  readonly dependsOn: readonly string[]
  readonly transactional: boolean
  readonly checksum: string
  readonly isHead: boolean
  readonly isBase: boolean
  readonly isBranchPoint: boolean
  readonly isMergePoint: boolean
}

/** Describes one revision of the map. */
export function revisionInfo(map: RevisionMap<Script>, revision: string): RevisionInfo {
  const script = map.get(revision)
  return {
    revision,
    downRevisions: script.downRevisions,
    children: map.children(revision),
    message: script.message,
    doc: script.doc,
    file: script.source,
    ownBranchLabels: script.branchLabels,
    branchLabels: map.labelsOf(revision),
    dependsOn: script.dependsOn,
    transactional: script.transactional,
    checksum: script.checksum,
    isHead: map.isHead(revision),
    isBase: script.downRevisions.length === 0,
    isBranchPoint: map.isBranchPoint(revision),
    isMergePoint: script.downRevisions.length > 1,
  }
}
