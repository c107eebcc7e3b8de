import type {
  LockMode,
  RelationKind,
  RelationSize,
  StatementEffects,
  TableScan,
  TracedLock,
} from '../dialect/lock-tracer.ts'

export type { LockMode, RelationKind, RelationSize, TableScan, TracedLock }

/**
 * How a statement was traced: `transaction`, inside a transaction (its migration's, or one of its
 * own for a `transactional = false` migration, which is what autocommit gives a single
 * statement), where its locks are still held when it ends and its scans are counted;
 * `watched`, outside any transaction (it refuses to run in one) while another session looked at
 * its locks as it ran, so `locks` are those seen and a lock held only between two looks can be
 * missed; `unwatched`, outside any transaction with no other session to look (a single-session
 * database such as PGlite), so `locks` and `waits` are empty. Created, dropped and rewritten
 * relations are read from the catalog in every mode; scans only in a transaction.
 */
export type TraceMode = 'transaction' | 'watched' | 'unwatched'

/** What one statement measurably did on the scratch database. */
export interface StatementTrace extends StatementEffects {
  /**
   * Index of the statement within its migration: statements are numbered in the order the
   * migration's operations produce them, as lint collects them.
   */
  readonly index: number
  readonly sql: string
  readonly mode: TraceMode
  /**
   * For a statement run outside a transaction: the locks another session saw it wait for while
   * it ran, e.g. `ShareLock on virtualxid (waits for an older transaction to end)`.
   */
  readonly waits: readonly string[]
  /** What the trace could not see for this statement, and why. */
  readonly notes: readonly string[]
  /** How long it took on the scratch database (says nothing about production). */
  readonly durationMs: number
}

/** The trace of one migration's upgrade. */
export interface MigrationTrace {
  readonly revision: string
  /** The statements that completed, in order. */
  readonly statements: readonly StatementTrace[]
  /** Set when the migration failed on the scratch database; later migrations are not traced. */
  readonly error: string | undefined
}
