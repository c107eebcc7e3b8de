import type { LockHolder } from '../dialect/dialect.ts'

/** One migration as reported to callers. */
export interface StepInfo {
  readonly direction: 'upgrade' | 'downgrade'
  readonly revision: string
  /** Revisions the step moves from (`[]` = base). */
  readonly from: readonly string[]
  /** Revisions the step moves to (`[]` = base). */
  readonly to: readonly string[]
  readonly message: string
  readonly transactional: boolean
  readonly file: string
}

/**
 * Progress of a run, for callers that show it (the CLI prints these; library code never prints).
 */
export type RunEvent =
  | {
      readonly type: 'lock-wait'
      readonly holder: LockHolder | undefined
      readonly timeoutMs: number
    }
  | { readonly type: 'lock-acquired'; readonly waitedMs: number }
  | { readonly type: 'step-start'; readonly step: StepInfo }
  | { readonly type: 'step-end'; readonly step: StepInfo; readonly durationMs: number }
  | { readonly type: 'warning'; readonly code: string; readonly message: string }

/** Receives {@link RunEvent}s. */
export type RunEventListener = (event: RunEvent) => void
