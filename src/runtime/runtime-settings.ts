import type { ResolvedLockRetry } from '../config/resolved-config.ts'
import type { VersionTableNames } from '../dialect/dialect.ts'

/** The runtime's settings, taken from the configuration by the commands. */
export interface RuntimeSettings {
  readonly names: VersionTableNames
  /** True: each migration commits on its own. False: one transaction for the whole run. */
  readonly transactionPerMigration: boolean
  /** Milliseconds to wait for another runner's migration lock. */
  readonly lockWaitTimeout: number
  /** Milliseconds each migration statement may wait for a table lock; 0 waits forever. */
  readonly lockTimeout: number
  /** Milliseconds each migration statement may run; undefined keeps the server's setting. */
  readonly statementTimeout: number | undefined
  readonly lockRetry: ResolvedLockRetry
  readonly checksums: 'error' | 'warn' | 'off'
  /**
   * Consecutive transactional steps sent in one round trip at most (each still its own
   * transaction); default 1. A fleet run sends several: its targets' round trips compete for the
   * CPU, and no per-step progress line has to follow the server step by step.
   */
  readonly stepsPerRoundTrip?: number
}
