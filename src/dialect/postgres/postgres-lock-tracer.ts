import type { Connection } from '../connection.ts'
import {
  type CatalogSnapshot,
  type HeldLock,
  LOCK_MODES,
  type LockMode,
  type LockTracer,
  type RelationKind,
  type RelationSize,
  type SeenWait,
  type SnapshotRelation,
  type StatementEffects,
  type TableScan,
  type TracedLock,
  type TraceScope,
  type WatchedStatement,
} from '../lock-tracer.ts'

/** How long the watching session waits between two looks at the statement it watches. */
const WATCH_INTERVAL_MS = 10

/**
 * One query for everything a snapshot needs, so that it is read in one round trip and from one
 * catalog state. User relations only: objects made by initdb have OIDs below 16384
 * (`FirstNormalObjectId` in PostgreSQL's `access/transam.h`), and the system schemas are left out
 * besides. The owner of each relation is the table its locks and rewrites are reported against: an
 * index's table (`pg_index.indrelid`), a toast table's table (`pg_class.reltoastrelid` points to
 * it), a serial or identity sequence's table (its automatic or internal `pg_depend` entry).
 * Relation locks are read for this database only: `pg_locks` shows the whole cluster, and OIDs
 * repeat across databases. Scan counters come from `pg_stat_xact_user_tables`, which counts what
 * the current transaction did so far, the running statement included (manual, 28.2.2 "Viewing
 * Statistics").
 */
const SNAPSHOT_SQL = `SELECT pg_backend_pid() AS session, current_schema() AS current_schema,
  (SELECT coalesce(json_agg(json_build_array(c.oid::int8, n.nspname, c.relname, c.relkind, c.relfilenode::text,
     (CASE
        WHEN c.relkind IN ('i', 'I') THEN (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid)
        WHEN c.relkind = 't' THEN (SELECT o.oid FROM pg_catalog.pg_class o WHERE o.reltoastrelid = c.oid LIMIT 1)
        WHEN c.relkind = 'S' THEN (SELECT d.refobjid FROM pg_catalog.pg_depend d
                                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
                                    LIMIT 1)
        ELSE c.oid
      END)::int8)), '[]')
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid >= 16384 AND n.nspname NOT IN ('pg_catalog', 'information_schema')) AS relations,
  (SELECT coalesce(json_agg(json_build_array(l.relation::int8, l.mode)), '[]')
     FROM pg_catalog.pg_locks l
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
      AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())) AS locks,
  (SELECT coalesce(json_agg(json_build_array(s.relid::int8, s.seq_scan)), '[]')
     FROM pg_catalog.pg_stat_xact_user_tables s) AS scans`

/**
 * What the watched session holds and waits for. `pg_blocking_pids` (manual, 9.26 "System
 * Information Functions") names the sessions it waits for, only for requests not yet granted.
 */
const WATCH_SQL = `SELECT l.locktype, l.relation::int8 AS relation, l.mode, l.granted, pg_backend_pid() AS watcher,
       CASE WHEN l.granted THEN NULL ELSE pg_blocking_pids(l.pid) END AS blocked_by
  FROM pg_catalog.pg_locks l
 WHERE l.pid = $1
   AND (l.relation IS NULL OR l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database()))`

/**
 * Sizes of the named relations: `schema.name` exactly, or `name` as the search path finds it.
 * `reltuples` is the estimate the last VACUUM or ANALYZE left (-1 before either, PostgreSQL 14+)
 * and `pg_total_relation_size` adds indexes and toast; neither reads the table (manual, the
 * `pg_class` catalog and 9.27.7 "Database Object Management Functions").
 */
const SIZES_SQL = `SELECT n.nspname || '.' || c.relname AS relation, c.reltuples::float8 AS rows,
       pg_catalog.pg_total_relation_size(c.oid)::int8 AS bytes
  FROM unnest($1::text[]) WITH ORDINALITY AS r(name, ord)
  CROSS JOIN LATERAL (
    SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE CASE WHEN strpos(r.name, '.') > 0
                THEN n.nspname = split_part(r.name, '.', 1) AND c.relname = substr(r.name, strpos(r.name, '.') + 1)
                ELSE c.relname = r.name AND n.nspname = ANY (current_schemas(false)) END
     ORDER BY array_position(current_schemas(false), n.nspname::text)
     LIMIT 1) m
  JOIN pg_catalog.pg_class c ON c.oid = m.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 ORDER BY r.ord`

type RelationTuple = readonly [number, string, string, string, string, number | null]

interface SnapshotRow {
  readonly session: number
  readonly current_schema: string | null
  readonly relations: string | readonly RelationTuple[]
  readonly locks: string | readonly (readonly [number, string])[]
  readonly scans: string | readonly (readonly [number, number | string])[]
}

interface WatchRow {
  readonly locktype: string
  readonly relation: number | string | null
  readonly mode: string
  readonly granted: boolean
  readonly watcher: number
  readonly blocked_by: readonly number[] | null
}

/** Catalog probes for `aludel lint --trace` on PostgreSQL and PGlite. */
export class PostgresLockTracer implements LockTracer {
  async snapshot(connection: Connection, scope: TraceScope): Promise<CatalogSnapshot> {
    const { rows } = await connection.query<SnapshotRow>(SNAPSHOT_SQL)
    const row = rows[0]!
    const relations = userRelations(
      json<readonly RelationTuple[]>(row.relations),
      scope,
      row.current_schema ?? 'public',
    )
    return {
      sessionId: Number(row.session),
      relations,
      locks: json<readonly (readonly [number, string])[]>(row.locks).map(([relation, mode]) => ({
        relation: Number(relation),
        mode: mode as LockMode,
      })),
      seqScans: new Map(
        json<readonly (readonly [number, number | string])[]>(row.scans).map(([id, count]) => [
          Number(id),
          Number(count),
        ]),
      ),
    }
  }

  effects(
    before: CatalogSnapshot,
    after: CatalogSnapshot,
    sameTransaction: boolean,
  ): StatementEffects {
    const heldBefore = new Set(before.locks.map((l) => `${l.relation}:${l.mode}`))
    const locks = sameTransaction
      ? tracedLocks(
          before,
          after.locks.filter((l) => !heldBefore.has(`${l.relation}:${l.mode}`)),
        )
      : []
    const rewritten = new Set<string>()
    const dropped: string[] = []
    for (const relation of before.relations.values()) {
      const now = after.relations.get(relation.id)
      if (relation.internal) continue
      if (now === undefined) dropped.push(relation.name)
      else if (now.storage !== relation.storage) rewritten.add(relation.name)
    }
    const created = [...after.relations.values()]
      .filter((r) => !r.internal && !before.relations.has(r.id))
      .map((r) => r.name)
    // A table rewrite may give the table new toast storage under a new OID (manual,
    // "TOAST"): matched by name, that is a rewrite of the table's toast, not a new relation.
    const internalBefore = storageByName(before)
    for (const [name, storage] of storageByName(after)) {
      const was = internalBefore.get(name)
      if (was !== undefined && was !== storage) rewritten.add(name)
    }
    const scanned: TableScan[] = []
    if (sameTransaction) {
      for (const [id, count] of after.seqScans) {
        const relation = before.relations.get(id)
        const grown = count - (before.seqScans.get(id) ?? 0)
        if (relation !== undefined && grown > 0)
          scanned.push({ table: relation.name, scans: grown })
      }
    }
    return {
      locks,
      rewritten: [...rewritten].sort(compareText),
      created: created.sort(compareText),
      dropped: dropped.sort(compareText),
      scanned: scanned.sort((x, y) => compareText(x.table, y.table)),
    }
  }

  async watch(
    observer: Connection,
    before: CatalogSnapshot,
    running: Promise<unknown>,
    onWait?: (wait: SeenWait) => Promise<void> | void,
  ): Promise<WatchedStatement> {
    let settled = false
    const done = running.then(
      () => {
        settled = true
      },
      () => {
        settled = true
      },
    )
    const held: HeldLock[] = []
    const waits: string[] = []
    let looks = 0
    while (!settled) {
      const { rows } = await observer.query<WatchRow>(WATCH_SQL, [before.sessionId])
      looks++
      for (const row of rows) {
        if (row.granted) {
          if (row.locktype === 'relation' && row.relation !== null) {
            held.push({ relation: Number(row.relation), mode: row.mode as LockMode })
          }
          continue
        }
        const blockedBy = (row.blocked_by ?? []).map(Number)
        const others = blockedBy.filter((pid) => pid !== Number(row.watcher))
        // A concurrent index build waits for every transaction with an older snapshot, and the
        // look itself is one: a wait on the watcher alone is the watching's doing, not the
        // database's.
        if (blockedBy.length > 0 && others.length === 0) continue
        const wait = describeWait(row, before)
        if (waits.includes(wait)) continue
        waits.push(wait)
        await onWait?.({ wait, blockedBy: others })
      }
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS))])
    }
    return { locks: tracedLocks(before, held), waits, looks }
  }

  async relationSizes(
    connection: Connection,
    relations: readonly string[],
  ): Promise<readonly RelationSize[]> {
    const { rows } = await connection.query<{
      relation: string
      rows: number | string
      bytes: number | string | bigint
    }>(SIZES_SQL, [[...relations]])
    return rows.map((r) => ({ relation: r.relation, rows: Number(r.rows), bytes: Number(r.bytes) }))
  }
}

/**
 * The relations of a snapshot, keyed by OID, each with the table it belongs to. Toast storage and
 * its index are invisible to users (manual, "TOAST"), so they are named after their table.
 * aludel's own tables are left out with everything that belongs to them.
 */
function userRelations(
  tuples: readonly RelationTuple[],
  scope: TraceScope,
  currentSchema: string,
): ReadonlyMap<number, SnapshotRelation> {
  const raw = new Map(
    tuples.map(([id, schema, name, relkind, storage, owner]) => [
      Number(id),
      {
        id: Number(id),
        name: `${schema}.${name}`,
        relkind,
        storage,
        owner: owner === null ? Number(id) : Number(owner),
      },
    ]),
  )
  // The table a relation belongs to, through at most a toast table (a toast index's table is the
  // toast table, whose table is the user's).
  const tableOf = (id: number): number => {
    const owner = raw.get(raw.get(id)?.owner ?? id)
    if (owner === undefined) return id
    return owner.relkind === 't' ? (raw.get(owner.owner)?.id ?? owner.id) : owner.id
  }
  const excluded = new Set(
    scope.excludeTables.map((t) => (t.includes('.') ? t : `${currentSchema}.${t}`)),
  )
  const relations = new Map<number, SnapshotRelation>()
  for (const r of raw.values()) {
    const table = raw.get(tableOf(r.id)) ?? r
    if (excluded.has(table.name)) continue
    const toastIndex = r.relkind === 'i' && raw.get(r.owner)?.relkind === 't'
    const internal = r.relkind === 't' || toastIndex
    relations.set(r.id, {
      id: r.id,
      name: internal ? `${table.name} (${toastIndex ? 'toast index' : 'toast'})` : r.name,
      kind: kindOf(r.relkind),
      table: table.id,
      storage: r.storage,
      internal,
    })
  }
  return relations
}

/** The storage of each internal relation, by name. */
function storageByName(snapshot: CatalogSnapshot): ReadonlyMap<string, string> {
  return new Map(
    [...snapshot.relations.values()].filter((r) => r.internal).map((r) => [r.name, r.storage]),
  )
}

/** `pg_class.relkind` in a trace's words (manual, the `pg_class` catalog). */
function kindOf(relkind: string): RelationKind {
  switch (relkind) {
    case 'r':
    case 'p':
      return 'table'
    case 'i':
    case 'I':
      return 'index'
    case 'S':
      return 'sequence'
    case 'v':
    case 'm':
      return 'view'
    default:
      return 'other'
  }
}

/**
 * Locks on relations that existed in `before`, named as they were then: a relation dropped by
 * the statement is gone from the live catalog, but its lock is held until the transaction ends.
 * Each relation and mode once, sorted by relation and then by strength.
 */
function tracedLocks(before: CatalogSnapshot, locks: readonly HeldLock[]): readonly TracedLock[] {
  const seen = new Map<string, TracedLock>()
  for (const { relation, mode } of locks) {
    const known = before.relations.get(relation)
    if (known === undefined) continue
    const table = before.relations.get(known.table)
    seen.set(`${relation}:${mode}`, {
      relation: known.name,
      table: table?.name ?? known.name,
      relkind: known.kind,
      mode,
    })
  }
  return [...seen.values()].sort(
    (a, b) =>
      compareText(a.relation, b.relation) ||
      LOCK_MODES.indexOf(a.mode) - LOCK_MODES.indexOf(b.mode),
  )
}

/** A lock request not granted, in words: what it waits for. */
function describeWait(row: WatchRow, before: CatalogSnapshot): string {
  switch (row.locktype) {
    case 'relation': {
      const name = before.relations.get(Number(row.relation))?.name
      return `${row.mode} on ${name ?? `a relation the trace does not name (OID ${row.relation})`}`
    }
    // A concurrent index build or drop waits for each transaction that might still use the
    // table's old state by waiting on its virtual transaction id (manual, CREATE INDEX, "Building
    // Indexes Concurrently").
    case 'virtualxid':
      return `${row.mode} on virtualxid (waits for an older transaction to end)`
    case 'transactionid':
      return `${row.mode} on transactionid (waits for another transaction to end)`
    default:
      return `${row.mode} on ${row.locktype}`
  }
}

/** node-postgres parses json columns; PGlite does too, but a driver may hand back the text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
