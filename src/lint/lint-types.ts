import type { LockMode } from '../dialect/lock-tracer.ts'
import type { MigrationOpKind } from '../operations/migration-op.ts'

export type { LockMode }

/**
 * How bad a finding is: `error` (blocks a busy table or loses data; fails the lint by default),
 * `warning` (risky, or breaks clients that still run the old code), `info` (worth knowing).
 */
export type Severity = 'error' | 'warning' | 'info'

/** Severities from the worst down, for sorting and `--fail-on`. */
export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info']

/**
 * One SQL statement a migration would run, with where it came from. Operations are compiled with
 * the dialect's DDL compiler, exactly as `upgrade` would run them; SQL given to `op.execute` is
 * split into its statements by the parser.
 */
export interface LintStatement {
  /** The statement's text, without a trailing `;`. */
  readonly sql: string
  /** The operation that produced it. */
  readonly opKind: MigrationOpKind
  /** Index of that operation within the migration (several statements can share one). */
  readonly opIndex: number
  /** 1-based line of the `op.…` call in the migration file, when the call site could be found. */
  readonly line: number | undefined
  /**
   * The parse tree of the statement as libpg-query returns it (`{ AlterTableStmt: {...} }`), or
   * undefined when it did not parse (a `syntax-error` finding says why).
   */
  readonly ast: Readonly<Record<string, unknown>> | undefined
  /** Why the statement did not parse, when it did not. */
  readonly syntaxError?: string
  /**
   * True when the statement is one of several in one `op.execute` script, which PostgreSQL runs
   * as a single implicit transaction.
   */
  readonly inScript?: boolean
}

/** A problem found while running a migration's `upgrade` offline to collect its statements. */
export interface CollectProblem {
  /**
   * `query`: the migration reads the database (`op.query`), which lint cannot do offline;
   * `concurrently-in-transaction`: a concurrent index operation in a transactional migration;
   * `error`: `upgrade()` threw.
   */
  readonly kind: 'query' | 'concurrently-in-transaction' | 'error'
  readonly message: string
  readonly line: number | undefined
}

/** What lint knows about one migration: its identity and the statements its upgrade runs. */
export interface CollectedMigration {
  readonly revision: string
  /** File name within the migrations folder. */
  readonly source: string
  /** Absolute path of the file. */
  readonly path: string
  readonly transactional: boolean
  readonly statements: readonly LintStatement[]
  /** Set when the upgrade could not be followed to its end. */
  readonly problem: CollectProblem | undefined
  /** The migration's `export const lint = { allow: { rule: 'reason' } }`. */
  readonly allow: Readonly<Record<string, string>>
}

/** What a finding says a statement does, so that the measured trace can confirm or refute it. */
export interface FindingClaims {
  /** The statement rewrites a table or index that already holds data. */
  readonly rewrite?: boolean
  /** The statement reads a whole existing table while holding its lock. */
  readonly scan?: boolean
  /** The strongest lock the statement takes on an existing table. */
  readonly lock?: LockMode
}

/** One thing lint found, where, why it matters and how to write it safely. */
export interface LintFinding {
  readonly rule: string
  readonly severity: Severity
  readonly revision: string
  /** File name within the migrations folder. */
  readonly file: string
  readonly line: number | undefined
  /** The statement it is about (undefined for findings about the whole migration). */
  readonly statement: string | undefined
  /** Index of that statement among the migration's collected statements. */
  readonly statementIndex?: number
  /** What was found, in one sentence. */
  readonly message: string
  /** Why it matters: the lock it takes and what that blocks, or what breaks. */
  readonly why: string
  /** The safe way to write it, as aludel operations. */
  readonly fix: string
  /** Where the finding comes from: the rules, or the measured trace. */
  readonly source: 'rule' | 'trace'
  /** What the rule says the statement does; the trace checks these. */
  readonly claims?: FindingClaims
  /** Set when the migration accepts the finding: the reason it gives. */
  readonly allowed?: string
  /** Set when the measured trace contradicted the rule: what was measured instead. */
  readonly refutedBy?: string
  /**
   * What the trace measured for the statement, with the sizes of the affected tables in the
   * configured database: `AccessExclusiveLock on orders (≈12 M rows, 3.1 GB); rewrote orders`.
   */
  readonly measured?: string
}

/** The description of a rule: what docs and `--json` show. */
export interface RuleInfo {
  readonly id: string
  readonly severity: Severity
  /** One line: what the rule flags. */
  readonly summary: string
}
