import type { MigrationOp } from '../operations/migration-op.ts'
import type { Engine } from '../operations/operations.ts'
import type { ColumnDefault, ColumnType, SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { CensusCount } from './catalog-census.ts'
import type { Comparator } from './comparator.ts'
import type { Connection, Driver } from './connection.ts'
import type { LockTracer } from './lock-tracer.ts'

/** A SQL statement with positional parameters, as a dialect compiles it. */
export interface CompiledStatement {
  readonly sql: string
  readonly params: readonly unknown[]
  /**
   * Marks a query that checks what the statements before it did where the database itself does
   * not fail (SQLite's `PRAGMA foreign_key_check` reports broken foreign keys as rows): when it
   * returns rows, the step fails with this text followed by the rows' first column. Only
   * {@link DdlCompiler.compileWithDatabase} writes such checks.
   */
  readonly failsOnRows?: string
}

/** Where an operation that {@link DdlCompiler.compileWithDatabase} compiles will run. */
export interface CompileContext {
  /** Inside the migration's transaction, which a failure rolls back as a whole. */
  readonly transactional: boolean
}

/** Compiles operation objects to SQL, and renders identifiers and literals. */
export interface DdlCompiler {
  /**
   * The statements that carry out one operation, in order, from the operation alone. One that
   * {@link needsDatabase} marks is compiled as far as it can be without the database, or refused
   * with a one-line reason (an offline script cannot rebuild a SQLite table it cannot read).
   */
  compile(op: MigrationOp): readonly CompiledStatement[]
  /**
   * True when `op`'s statements depend on what the database holds when it runs: SQLite changes a
   * column's type by rebuilding the table, which copies the table's current definition. Online
   * runs compile such operations with {@link compileWithDatabase}. Optional, together with it:
   * without them, every operation compiles from itself alone.
   */
  needsDatabase?(op: MigrationOp): boolean
  /**
   * The statements of an operation {@link needsDatabase} marks, written from what `connection`
   * shows right before they run (queries only: it changes nothing). May refuse what cannot run
   * in `context`, such as a table rebuild outside a transaction.
   */
  compileWithDatabase?(
    op: MigrationOp,
    connection: Connection,
    context: CompileContext,
  ): Promise<readonly CompiledStatement[]>
  /** Quotes an identifier when it needs quoting (reserved word, upper case, odd characters). */
  quoteIdentifier(name: string): string
  /** Quotes a possibly schema-qualified name. */
  quoteQualified(schema: string | undefined, name: string): string
  /** Renders a value as an SQL literal, for offline scripts. */
  renderLiteral(value: unknown): string
  /** Replaces positional parameters by literals, for offline scripts. */
  inlineParams(sql: string, params: readonly unknown[]): string
  /** The placeholder of the n-th (1-based) parameter: `$1` on PostgreSQL, `?` on MySQL. */
  placeholder(index: number): string
}

/**
 * Spells column types and defaults in a dialect's SQL, the way the database itself prints them,
 * so that what aludel writes and what introspection reads back compare equal.
 */
export interface TypeMapper {
  /**
   * The SQL type of a column, e.g. `timestamp(3) with time zone` or `character varying(255)[]`.
   * `serial` asks for the auto-incrementing variant of an integer type (`bigserial` on
   * PostgreSQL); it is an error for a type that has none.
   */
  sqlType(type: ColumnType, options?: { readonly serial?: boolean }): string
  /**
   * The SQL expression of a column default: a literal rendered for the column's type (`true`,
   * `'it''s'`, `'{"a":1}'` for json), or an SQL default verbatim. `type` is undefined when the
   * column's type is not known (a change of default alone); literals are then rendered by their
   * JavaScript type.
   */
  sqlDefault(value: ColumnDefault, type: ColumnType | undefined): string
}

/** Who holds the migration lock, as far as the database can tell. */
export interface LockHolder {
  readonly pid: number | undefined
  /** The holder's session name, e.g. `aludel upgrade (pid 4242 on web-1)`. */
  readonly application: string | undefined
  readonly user: string | undefined
  readonly clientAddress: string | undefined
  readonly since: Date | undefined
}

/** A held migration lock. */
export interface MigrationLock {
  /** The server session that holds it (a backend pid), when the database has such a thing. */
  readonly holderId: number | undefined
  /**
   * A statement to run inside a transaction right before its COMMIT: it fails with an error that
   * {@link DialectAdapter.isLockLostError} recognizes unless this very lock is still held at that
   * moment. Sent in the same round trip as the COMMIT, so no step commits without the lock.
   */
  readonly guardSql: string
  release(): Promise<void>
}

/** Options for taking the migration lock. */
export interface LockOptions {
  /** Give up after this many milliseconds of waiting. */
  readonly timeoutMs: number
  /** Called once, before waiting, when another runner holds the lock. */
  readonly onWait: (holder: LockHolder | undefined) => void
  /**
   * A value the work session has just set for itself ({@link DialectAdapter.probeSql}). Seeing it
   * from the lock session proves that the two "sessions" share a server session: a pooler in
   * transaction mode sits in between, and the lock would not protect anything.
   */
  readonly probe: string | undefined
}

/** Session settings of a migration run. */
export interface WorkSessionSettings {
  /** Milliseconds each statement may wait for a lock; 0 waits forever. */
  readonly lockTimeoutMs: number
  /** Milliseconds each statement may run; undefined keeps the server's setting. */
  readonly statementTimeoutMs: number | undefined
  /** The session's name from now on, which marks it as doing a run's work. */
  readonly applicationName: string
  /** The mark set with {@link DialectAdapter.probeSql}, which must still be on the session. */
  readonly probe: string | undefined
}

/** Another server session, as an operator needs to see it to act on it. */
export interface SessionActivity {
  readonly pid: number
  readonly application: string | undefined
  readonly user: string | undefined
  /** `active`, `idle`, `idle in transaction`, ... */
  readonly state: string | undefined
  /** Since when it is in its current transaction, or else in its current state. */
  readonly since: Date | undefined
  /** Its current or last statement, shortened. */
  readonly query: string | undefined
}

/** An index that a failed or interrupted concurrent build left behind, unusable. */
export interface InvalidIndex {
  readonly schema: string
  readonly name: string
  readonly table: string
  /** It lives in the schema unqualified names resolve to. */
  readonly inCurrentSchema: boolean
  /** The statement that removes it without blocking the table. */
  readonly dropSql: string
}

/** Names of aludel's own tables. */
export interface VersionTableNames {
  readonly schema: string | undefined
  /** One row per applied head. */
  readonly versionTable: string
  /** Append-only record of every step. */
  readonly ledgerTable: string
  /** Completed statements of non-transactional steps that have not finished as a whole. */
  readonly progressTable: string
  /** The migration lock's row, where the database has no lock of its own (SQLite). */
  readonly lockTable: string
}

/**
 * Capability flags and the database-specific parts of the runtime: the migration lock, the
 * statements that create aludel's tables, and how driver errors are read.
 */
export interface DialectAdapter {
  /** DDL can be rolled back (PostgreSQL: yes; MySQL: no, each DDL statement commits). */
  readonly supportsTransactionalDdl: boolean
  /** The lock can live on its own session, separate from the one running migrations. */
  readonly supportsSeparateLockSession: boolean
  /**
   * `aludel lint`'s rules apply: they describe what PostgreSQL's DDL locks, rewrites and scans,
   * and read statements with PostgreSQL's parser.
   */
  readonly lintRules: boolean
  readonly beginSql: string
  readonly commitSql: string
  readonly rollbackSql: string
  /**
   * Takes the migration lock on `connection`, waiting up to `options.timeoutMs`.
   *
   * @throws LockTimeoutError when the wait runs out; TransactionPoolerError when `options.probe`
   *   shows that a pooler shares server sessions between clients
   */
  acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock>
  /** True for the error of a {@link MigrationLock.guardSql} that found the lock gone. */
  isLockLostError(error: unknown): boolean
  /** What an error {@link isLockLostError} recognizes says happened, when it says more than "lost". */
  lockLossCause(error: unknown): string | undefined
  /** A statement that marks the session with `probe` (see {@link LockOptions.probe}). */
  probeSql(probe: string): string
  /**
   * Prepares the session that runs migrations: names it, sets the lock and statement timeouts,
   * keeps the server from timing it out while a migration computes, and asks the server to stop
   * its work if the client disappears. One round trip.
   *
   * @returns the session's server id (backend pid), when there is one
   */
  prepareWorkSession(
    connection: Connection,
    settings: WorkSessionSettings,
  ): Promise<number | undefined>
  /**
   * A statement marking, in the transaction a step's statements run in, when the step started on
   * the server; {@link timedLedgerSql} measures from it when several steps share one script.
   */
  readonly stepStartSql?: string
  /**
   * The first statement of an offline script, where the engine reads string literals one way or
   * another by a session setting the script cannot know: it puts the session in the mode the
   * script's literals are written for (MySQL: backslashes are escapes).
   */
  readonly scriptModeSql?: string
  /**
   * Statements that change the lock and statement timeouts for the current transaction (`local`)
   * or the session; empty when nothing is given.
   */
  timeoutsSql(
    timeouts: {
      readonly lockTimeoutMs?: number
      /** null: back to the server's own setting. */
      readonly statementTimeoutMs?: number | null
    },
    local: boolean,
  ): string
  /** True when a statement gave up waiting for a lock (PostgreSQL: SQLSTATE 55P03). */
  isLockTimeoutError(error: unknown): boolean
  /** True when a statement refused to run inside a transaction block (SQLSTATE 25001). */
  isTransactionBlockError(error: unknown): boolean
  /**
   * The sessions that block session `pid` right now, read through `observer` (another session).
   * Optional: a database without concurrent sessions has none.
   */
  blockers?(observer: Connection, pid: number): Promise<readonly SessionActivity[]>
  /**
   * Sessions other than `exclude` whose name marks them as doing a run's work for the lock `tag`:
   * left by a run that died or lost its lock, they may still be changing the database.
   */
  workSessions?(
    connection: Connection,
    tag: string,
    exclude: readonly number[],
  ): Promise<readonly SessionActivity[]>
  /** The statement an operator runs to stop what session `pid` is doing. */
  stopSessionSql?(pid: number): string
  /** Indexes left invalid by failed or interrupted concurrent builds (none being built now). */
  invalidIndexes?(connection: Connection): Promise<readonly InvalidIndex[]>
  /**
   * A query returning one row `{ heads, digest }`: the version rows sorted by byte order and joined
   * by ',', and the MD5 of `revision:checksum` lines (sorted by revision, joined by newlines) over
   * every revision whose latest ledger row applied it. Lets "already at head?" be answered in one
   * round trip; undefined when the dialect cannot compute it.
   */
  versionSummarySql?(names: VersionTableNames): string
  /** Statements creating the version table and the ledger if they do not exist. */
  createVersionTablesSql(names: VersionTableNames): readonly string[]
  /**
   * A ledger row's finish time and duration as SQL the database computes, for a row sent in one
   * script with the step's last statement (held back to save a round trip, so it has not run when
   * the row is written): `jsMs` spent before the script was sent plus the database's own time from
   * the script's arrival to the row, each on one clock. `startedAt` is the SQL of the start time.
   * Undefined where the runner sends every statement before the bookkeeping.
   */
  timedLedgerSql?(
    startedAt: string,
    jsMs: number,
  ): { readonly finishedAt: string; readonly durationMs: string }
  /** The statement creating the statement-progress table if it does not exist. */
  createProgressTableSql(names: VersionTableNames): string
  /**
   * A query of one row telling, without failing, whether the version table (`version`) and the
   * progress table (`progress`) exist: reads then never provoke an error (which the server would
   * log) on a database aludel has not touched yet. Undefined where a missing table's error is
   * harmless: reads then try and fall back.
   */
  versionTablesPresentSql?(names: VersionTableNames): string
  /** True when a driver error means "this table does not exist". */
  isMissingTableError(error: unknown): boolean
  /** A hint for a failing statement, e.g. that CONCURRENTLY needs `transactional = false`. */
  hintFor(error: unknown): string | undefined
  /**
   * `sql` (an UPDATE or DELETE with its values inline) as one statement that fails, with an error
   * {@link isOneRowGuardError} recognizes, unless it touched exactly one row. It lets a step's
   * version-table change be checked inside the script that also commits the step; undefined when
   * the dialect cannot (the runner then checks the affected rows itself, one round trip more).
   */
  guardOneRow?(sql: string): string | undefined
  /** True for the error of a statement from {@link guardOneRow} that touched no row. */
  isOneRowGuardError?(error: unknown): boolean
  /**
   * `sql` (an UPDATE or DELETE with its values inline) answering with one row per row it touched,
   * for a script whose last statement it is and whose answer the runner checks itself: cheaper than
   * {@link guardOneRow} where nothing in the same script must be stopped by the check (no COMMIT
   * follows it). Undefined where the dialect cannot.
   */
  returningRows?(sql: string): string
}

/** A database dialect: the roles that shared code asks for, never the dialect's name. */
export interface Dialect {
  /** For display only (`postgresql`, `pglite`). */
  readonly name: string
  /** The engine family, which migrations may ask for (`op.engine`). */
  readonly engine: Engine
  readonly driver: Driver
  readonly adapter: DialectAdapter
  readonly ddl: DdlCompiler
  /** Column types and defaults as this database spells them. */
  readonly types: TypeMapper
  /** Reads a live database into a snapshot. */
  readonly introspector: Introspector
  /**
   * Tells autogenerate when the models and the database agree, and writes the SQL of its manual
   * steps: what counts as the same type, default or expression is the engine's to say.
   */
  readonly comparator: Comparator
  /**
   * Reads what a statement locked, rewrote and scanned from the catalog of a scratch database
   * (`aludel lint --trace`); undefined when the dialect cannot tell.
   */
  readonly lockTracer?: LockTracer
  /**
   * A driver over a session the application already holds, never closed by aludel (see
   * `BorrowedSession`).
   *
   * @throws ConnectionError when `session` is not a session of this dialect's driver
   */
  borrow(session: unknown): Driver
  /**
   * Creates an empty throwaway database of the same kind (the migration test kit migrates it from
   * base to head and back); `drop()` removes it.
   */
  createScratchDatabase(): Promise<ScratchDatabase>
}

/** A throwaway database. Its URL may hold the password of the original: never print it raw. */
export interface ScratchDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** Which objects introspection reads. */
export interface IntrospectOptions {
  /** Schemas to read; default: every schema except the database's own. */
  readonly schemas?: readonly string[]
  /** Tables to leave out, as `table` (default schema) or `schema.table`: aludel's own tables. */
  readonly excludeTables?: readonly string[]
  /** The schema unqualified names resolve to (`public`): objects there get `schema: undefined`. */
  readonly defaultSchema?: string
}

/**
 * Reads a database into the same {@link SchemaSnapshot} the models produce, and rewrites a model
 * snapshot's SQL expressions the way the database prints them, so that comparing the two sees no
 * false differences.
 */
export interface Introspector {
  /** Reads the database with a fixed number of queries, whatever the number of tables. */
  introspect(connection: Connection, options?: IntrospectOptions): Promise<SchemaSnapshot>
  /**
   * The same snapshot with every default, check expression, index expression and partial-index
   * predicate in the database's canonical spelling (literal defaults become SQL). Nothing is
   * changed in the database: the work happens on temporary objects inside a rolled-back
   * transaction. Structure (order, names) is preserved, so callers can pair the result with the
   * input element by element.
   */
  normalize(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot>
  /**
   * An introspected snapshot with expressions spelled so that executing them rebuilds exactly what
   * the database holds (its printed form does not always). Optional: without it, `pull` writes the
   * printed form.
   */
  sourceText?(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot>
  /**
   * How many objects of each kind the schemas `introspect` would read hold (extensions' objects
   * and `excludeTables` left out), so that `pull` can report what its models leave out.
   * Optional: without it, `pull` reports nothing.
   */
  census?(connection: Connection, options?: IntrospectOptions): Promise<readonly CensusCount[]>
}
