import type { RevisionInfo } from '../commands/revision-info.ts'
import type { LockHolder } from '../dialect/dialect.ts'
import { describeHolder } from '../dialect/lock-timeout-error.ts'
import type { StepInfo } from '../runtime/run-events.ts'

/** `<base>` for no revision, else the revisions joined by ", ". */
export function revisionList(revisions: readonly string[]): string {
  return revisions.length === 0 ? '<base>' : revisions.join(', ')
}

/** `A -> B, message` for a step, as Alembic prints it. */
export function stepLine(step: StepInfo): string {
  const message = step.message === '' ? '' : `, ${step.message}`
  return `Running ${step.direction} ${revisionList(step.from)} -> ${revisionList(step.to)}${message}`
}

/** Milliseconds, readable at every scale. */
export function duration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 10_000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(1)} s`
}

/** The flags Alembic appends to a revision: labels, head, branch point, merge point, current. */
export function flags(info: RevisionInfo, current = false): string {
  const parts: string[] = []
  if (info.ownBranchLabels.length > 0) parts.push(`(${info.ownBranchLabels.join(', ')})`)
  if (info.isHead) parts.push('(head)')
  if (info.isBranchPoint) parts.push('(branchpoint)')
  if (info.isMergePoint) parts.push('(mergepoint)')
  if (current) parts.push('(current)')
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`
}

/** One history line: `parents -> revision (flags), message`. */
export function historyLine(info: RevisionInfo, current = false): string {
  return `${revisionList(info.downRevisions)} -> ${info.revision}${flags(info, current)}, ${info.message || '(no message)'}`
}

/** A revision with its flags and message: `ae10 (head), add account`. */
export function revisionLine(info: RevisionInfo, current = false): string {
  return `${info.revision}${flags(info, current)}, ${info.message || '(no message)'}`
}

/** The multi-line description `show` and `--verbose` print. */
export function revisionDetails(info: RevisionInfo, current = false): string {
  const lines = [`Rev: ${info.revision}${flags(info, current)}`]
  if (info.downRevisions.length > 1) lines.push(`Merges: ${info.downRevisions.join(', ')}`)
  else lines.push(`Parent: ${revisionList(info.downRevisions)}`)
  if (info.children.length > 1) lines.push(`Branches into: ${info.children.join(', ')}`)
  if (info.branchLabels.length > 0) lines.push(`Branch names: ${info.branchLabels.join(', ')}`)
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${info.dependsOn.join(', ')}`)
  if (!info.transactional) lines.push('Transactional: no (runs outside a transaction)')
  lines.push(`Path: ${info.file}`, '')
  for (const line of (info.doc || info.message).split('\n')) lines.push(`    ${line}`.trimEnd())
  lines.push('')
  return lines.join('\n')
}

/** The line printed while waiting for another runner's lock. */
export function lockWaitLine(holder: LockHolder | undefined, timeoutMs: number): string {
  return `Waiting for the migration lock held by ${describeHolder(holder)} (up to ${Math.round(timeoutMs / 1000)} s) ...`
}
/** Rows as left-aligned columns two spaces apart, trailing blanks dropped. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
