import { InvalidTargetError } from './script-errors.ts'

/**
 * A parsed revision target, as written on the command line.
 *
 * - `heads` — every head (`LABEL@heads`: those of a branch that forks again); `base` — nothing
 *   applied (`LABEL@base`: nothing of that branch)
 * - `head` — the one head (`head-N`: N steps below it; `LABEL@head`: the head of a branch)
 * - `current` — relative to the database: `+N`, `-N`, `LABEL@+N`
 * - `revision` — a full or partial id or a branch label, optionally `REV+N`/`REV-N`, `LABEL@REV`
 */
export type Target =
  | { readonly kind: 'heads'; readonly branch: string | undefined }
  | { readonly kind: 'base'; readonly branch: string | undefined }
  | { readonly kind: 'head'; readonly branch: string | undefined; readonly offset: number }
  | { readonly kind: 'current'; readonly branch: string | undefined; readonly offset: number }
  | {
      readonly kind: 'revision'
      readonly ref: string
      readonly branch: string | undefined
      readonly offset: number
      /** The text as written, tried first as a whole id or label (labels may contain '-'). */
      readonly raw: string
    }

const RELATIVE = /^(.*?)([+-]\d+)$/

/** The forms a target takes, for messages about one that is malformed. */
export const TARGET_FORMS =
  'a target is head, heads, base, a revision id (or enough of it), a branch label, +N or -N (from the database), REV+N, REV-N, head-N, LABEL@head, LABEL@REV, LABEL@base or LABEL@+N'

/**
 * Parses a revision target (`head`, `heads`, `base`, `ae10`, `+2`, `-1`, `ae10+2`, `head-1`,
 * `feature@head`, `feature@heads`, `feature@ae10`, `feature@+1`, `feature@base`).
 *
 * @throws InvalidTargetError for text that is not a target at all
 */
export function parseTarget(text: string): Target {
  const input = text.trim()
  if (input === '')
    throw new InvalidTargetError(text, 'a target is required (e.g. head)', 'BAD_TARGET')
  if (input === 'heads') return { kind: 'heads', branch: undefined }
  if (input === 'base') return { kind: 'base', branch: undefined }
  if (input.includes(':')) {
    throw new InvalidTargetError(
      text,
      'a FROM:TO range is only accepted with --sql (or `history -r`)',
      'BAD_TARGET',
    )
  }
  let branch: string | undefined
  let body = input
  const at = input.indexOf('@')
  if (at >= 0) {
    branch = input.slice(0, at)
    body = input.slice(at + 1)
    if (branch === '' || body.includes('@')) {
      throw new InvalidTargetError(
        text,
        'expected LABEL@REV, LABEL@head or LABEL@base',
        'BAD_TARGET',
      )
    }
  }
  const relative = RELATIVE.exec(body)
  const ref = relative ? (relative[1] ?? '') : body
  const offset = relative ? Number(relative[2]) : 0
  // No revision id or label holds a '+', nor ends in a sign before a step count (`+-1`,
  // `head--1`): taken as a revision, these would be reported as unknown revisions like '+'.
  if (ref.includes('+') || /^-+$/.test(ref) || (relative && ref.endsWith('-'))) {
    throw new InvalidTargetError(text, `it is malformed; ${TARGET_FORMS}`, 'BAD_TARGET')
  }
  if (!Number.isSafeInteger(offset)) {
    throw new InvalidTargetError(text, 'the step count is too large', 'BAD_TARGET')
  }
  if (ref === '') {
    if (!relative) {
      throw new InvalidTargetError(text, 'expected a revision after @', 'BAD_TARGET')
    }
    return { kind: 'current', branch, offset }
  }
  if (ref === 'heads') {
    if (offset !== 0) {
      throw new InvalidTargetError(
        text,
        "'heads' takes no step count; use head-N, or LABEL@head-N for one branch",
        'BAD_TARGET',
      )
    }
    // Alembic's `LABEL@heads`: every head of a branch that forks again.
    return { kind: 'heads', branch }
  }
  if (ref === 'base') {
    if (offset !== 0) {
      throw new InvalidTargetError(
        text,
        "'base' takes no step count; name a revision",
        'BAD_TARGET',
      )
    }
    return { kind: 'base', branch }
  }
  if (ref === 'head') {
    if (offset > 0) {
      throw new InvalidTargetError(text, 'nothing lies above head', 'BAD_TARGET')
    }
    return { kind: 'head', branch, offset }
  }
  return { kind: 'revision', ref, branch, offset, raw: body }
}

/**
 * Splits a `FROM:TO` range (`--sql`, `history -r`). Either side may be empty, meaning base (FROM) or
 * heads (TO) — the caller decides.
 */
export function splitRange(text: string): { readonly from: string; readonly to: string } {
  const parts = text.split(':')
  if (parts.length !== 2) {
    throw new InvalidTargetError(text, 'a range is written FROM:TO, e.g. base:head', 'BAD_TARGET')
  }
  return { from: parts[0]!.trim(), to: parts[1]!.trim() }
}
