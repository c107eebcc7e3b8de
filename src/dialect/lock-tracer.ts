import type { Connection } from './connection.ts'

/** A table lock mode, as PostgreSQL's `pg_locks.mode` names it. */
export type LockMode =
  | 'AccessShareLock'
  | 'RowShareLock'
  | 'RowExclusiveLock'
  | 'ShareUpdateExclusiveLock'
  | 'ShareLock'
  | 'ShareRowExclusiveLock'
  | 'ExclusiveLock'
  | 'AccessExclusiveLock'

/** Table lock modes from the weakest to the strongest, for sorting. */
export const LOCK_MODES: readonly LockMode[] = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
]

/** What kind of relation a trace names (a toast table is `other`, its index an `index`). */
export type RelationKind = 'table' | 'index' | 'sequence' | 'view' | 'other'

/** A lock one statement's session held on a relation that existed before the statement ran. */
export interface TracedLock {
  /**
   * `schema.name` of the relation, as it was named before the statement; a table's toast storage
   * and its index are named after the table: `public.orders (toast)`, `public.orders (toast index)`.
   */
  readonly relation: string
  /** The table a lock on an index, sequence or toast table belongs to (itself for a table). */
  readonly table: string
  readonly relkind: RelationKind
  readonly mode: LockMode
}

/** A table a statement read in full, and how many sequential scans of it were counted. */
export interface TableScan {
  /** `schema.name`. */
  readonly table: string
  /**
   * Sequential scans the statement started on it: one per validation or index build, so a
   * rewrite that rebuilds three indexes shows four (the copy and three builds).
   */
  readonly scans: number
}

/** How big a table is in the configured database, read from the catalog without reading data. */
export interface RelationSize {
  /** `schema.name`. */
  readonly relation: string
  /** `pg_class.reltuples` (an estimate; -1 when never analyzed). */
  readonly rows: number
  /** Bytes on disk, indexes and toast included. */
  readonly bytes: number
}

/** One relation as a snapshot saw it. */
export interface SnapshotRelation {
  /** The database's id of the relation (the OID on PostgreSQL). */
  readonly id: number
  /**
   * `schema.name`; storage the database keeps for a table behind the scenes is named after the
   * table, e.g. `public.orders (toast)`.
   */
  readonly name: string
  readonly kind: RelationKind
  /** The table this relation belongs to (itself for a table or view). */
  readonly table: number
  /** Identifies the relation's storage: it changes when the relation is rewritten. */
  readonly storage: string
  /**
   * Storage behind a table (toast): created, dropped and replaced with its table, so it is
   * matched by name rather than by id and never reported as created or dropped on its own.
   */
  readonly internal: boolean
}

/** A lock held or requested by the traced session on a relation. */
export interface HeldLock {
  readonly relation: number
  readonly mode: LockMode
}

/** The catalog facts about user relations one session could see at one moment. */
export interface CatalogSnapshot {
  /** The server's id of the session the snapshot was read on (backend pid). */
  readonly sessionId: number
  /** User relations by id, aludel's own tables and the database's catalogs left out. */
  readonly relations: ReadonlyMap<number, SnapshotRelation>
  /** Locks the session held on relations (granted only). */
  readonly locks: readonly HeldLock[]
  /** Sequential scans counted so far in the session's current transaction, by table id. */
  readonly seqScans: ReadonlyMap<number, number>
}

/** What one statement measurably did, computed from the catalog before and after it. */
export interface StatementEffects {
  /** Locks held after the statement on relations that existed before it (new locks only). */
  readonly locks: readonly TracedLock[]
  /** Relations (tables, indexes) whose storage was rewritten. */
  readonly rewritten: readonly string[]
  /** Relations created by the statement (indexes rebuilt by a type change show up here). */
  readonly created: readonly string[]
  /** Relations removed by the statement. */
  readonly dropped: readonly string[]
  /** Existing tables the statement read in full: it started sequential scans of them. */
  readonly scanned: readonly TableScan[]
}

/** What another session saw a statement hold and wait for while it ran. */
export interface WatchedStatement {
  /** Locks it held on relations that existed before it, each mode once. */
  readonly locks: readonly TracedLock[]
  /** Locks it waited for, e.g. `ShareLock on virtualxid (waits for an older transaction to end)`. */
  readonly waits: readonly string[]
  /** How many times the watcher looked while the statement ran. */
  readonly looks: number
}

/** A lock wait the watching session has just seen, as {@link LockTracer.watch} reports it. */
export interface SeenWait {
  /** The wait, spelled as in {@link WatchedStatement.waits}. */
  readonly wait: string
  /** Server ids of the sessions it waits for. */
  readonly blockedBy: readonly number[]
}

/** Which relations a trace leaves out besides the database's own catalogs. */
export interface TraceScope {
  /**
   * Tables not to report, with their indexes, sequences and storage: `name` in any schema, or
   * `schema.name` (aludel's version, ledger and progress tables).
   */
  readonly excludeTables: readonly string[]
}

/**
 * Engine-specific catalog probes behind `aludel lint --trace`: what a statement locked, rewrote,
 * created, dropped and scanned, read from the catalog of a scratch database around it.
 */
export interface LockTracer {
  /**
   * Reads the user relations, their storage, the locks `connection` holds on them and its scan
   * counters; one round trip. Taken before and after a statement on the same session.
   */
  snapshot(connection: Connection, scope: TraceScope): Promise<CatalogSnapshot>
  /**
   * The effects of the statement run between `before` and `after`. Locks and scans are read
   * from the session itself, so they mean something only when both snapshots were taken inside
   * the transaction the statement ran in (`sameTransaction`); otherwise they are left empty.
   */
  effects(
    before: CatalogSnapshot,
    after: CatalogSnapshot,
    sameTransaction: boolean,
  ): StatementEffects
  /**
   * Watches, from `observer` (another session of the same database), what the session of
   * `before` holds and waits for until `running` settles: how a statement that cannot run inside
   * a transaction (`CREATE INDEX CONCURRENTLY`) is traced. `onWait` is told of each new wait
   * once it has been recorded.
   */
  watch(
    observer: Connection,
    before: CatalogSnapshot,
    running: Promise<unknown>,
    onWait?: (wait: SeenWait) => Promise<void> | void,
  ): Promise<WatchedStatement>
  /** Row estimates and sizes of `relations` (`schema.name` or `name`), from the catalog only. */
  relationSizes(
    connection: Connection,
    relations: readonly string[],
  ): Promise<readonly RelationSize[]>
}
