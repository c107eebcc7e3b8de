import type { LockHolder, SessionActivity } from '../dialect/dialect.ts'

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
  | {
      /** Sessions left by an earlier run are still working; the run waits for them to end. */
      readonly type: 'session-wait'
      readonly sessions: readonly SessionActivity[]
      readonly timeoutMs: number
    }
  | {
      /** A migration file is being imported (`done: false`), or its import settled. */
      readonly type: 'import'
      readonly file: string
      readonly done: boolean
    }
  | { readonly type: 'step-start'; readonly step: StepInfo }
  | { readonly type: 'step-end'; readonly step: StepInfo; readonly durationMs: number }
  | {
      /**
       * A statement of the step waited longer than its lock timeout: the step was rolled back and
       * runs again after `delayMs`.
       */
      readonly type: 'lock-retry'
      readonly step: StepInfo
      /** The try that failed, 1-based. */
      readonly attempt: number
      readonly attempts: number
      readonly lockTimeoutMs: number
      readonly delayMs: number
      /** The sessions seen blocking the statement. */
      readonly blockers: readonly SessionActivity[]
    }
  | { readonly type: 'warning'; readonly code: string; readonly message: string }

/** Receives {@link RunEvent}s. */
export type RunEventListener = (event: RunEvent) => void
