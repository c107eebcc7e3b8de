import { type ConfigInput, configOf, scriptsOf } from './command-context.ts'
import { type RevisionInfo, revisionInfo } from './revision-info.ts'

/**
 * The heads of the migrations folder (revisions nothing builds on). Reads files only.
 *
 * @example (await heads(config)).length > 1 // time to merge
 */
export async function heads(config: ConfigInput): Promise<readonly RevisionInfo[]> {
  const map = scriptsOf(configOf(config)).map
  return map.heads.map((h) => revisionInfo(map, h))
}

/** A revision where history forks, with the revisions that fork from it. */
export interface BranchPoint {
  readonly revision: RevisionInfo
  readonly children: readonly RevisionInfo[]
}

/** Every branch point of the migrations folder. Reads files only. */
export async function branches(config: ConfigInput): Promise<readonly BranchPoint[]> {
  const map = scriptsOf(configOf(config)).map
  return map.branchPoints.map((id) => ({
    revision: revisionInfo(map, id),
    children: map.children(id).map((c) => revisionInfo(map, c)),
  }))
}

/**
 * Details of the revisions a reference names (a partial id, `head`, `heads`, `LABEL@head`, ...).
 * Reads files only.
 */
export async function show(
  config: ConfigInput,
  reference: string,
): Promise<readonly RevisionInfo[]> {
  const map = scriptsOf(configOf(config)).map
  return map.resolve(reference).revisions.map((id) => revisionInfo(map, id))
}
