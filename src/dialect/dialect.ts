import type { MigrationOp } from '../operations/migration-op.ts'
import type { ColumnDefault, ColumnType, SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { Connection, Driver } from './connection.ts'

/** A SQL statement with positional parameters, as a dialect compiles it. */
export interface CompiledStatement {
  readonly sql: string
  readonly params: readonly unknown[]
}

/** Compiles operation objects to SQL, and renders identifiers and literals. */
export interface DdlCompiler {
  /** The statements that carry out one operation, in order. */
  compile(op: MigrationOp): readonly CompiledStatement[]
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
  release(): Promise<void>
}

/** Options for taking the migration lock. */
export interface LockOptions {
  /** Give up after this many milliseconds of waiting. */
  readonly timeoutMs: number
  /** Called once, before waiting, when another runner holds the lock. */
  readonly onWait: (holder: LockHolder | undefined) => void
}

/** Names of aludel's own tables. */
export interface VersionTableNames {
  readonly schema: string | undefined
  /** One row per applied head. */
  readonly versionTable: string
  /** Append-only record of every step. */
  readonly ledgerTable: string
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
  readonly beginSql: string
  readonly commitSql: string
  readonly rollbackSql: string
  /** Takes the migration lock on `connection`, waiting up to `options.timeoutMs`. */
  acquireLock(
    connection: Connection,
    names: VersionTableNames,
    options: LockOptions,
  ): Promise<MigrationLock>
  /**
   * A query returning one row `{ heads, digest }`: the version rows sorted by byte order and joined
   * by ',', and the MD5 of `revision:checksum` lines (sorted by revision, joined by newlines) over
   * every revision whose latest ledger row applied it. Lets "already at head?" be answered in one
   * round trip; undefined when the dialect cannot compute it.
   */
  versionSummarySql?(names: VersionTableNames): string
  /** Statements creating the version table and the ledger if they do not exist. */
  createVersionTablesSql(names: VersionTableNames): readonly string[]
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
}

/** A database dialect: the roles that shared code asks for, never the dialect's name. */
export interface Dialect {
  /** For display only (`postgresql`, `pglite`). */
  readonly name: string
  readonly driver: Driver
  readonly adapter: DialectAdapter
  readonly ddl: DdlCompiler
  /** Column types and defaults as this database spells them. */
  readonly types: TypeMapper
  /** Reads a live database into a snapshot. */
  readonly introspector: Introspector
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
}
