import type { Connection } from '../connection.ts'
import type { InvalidIndex, SessionActivity } from '../dialect.ts'
import { quoteQualified } from './postgres-quoting.ts'

interface ActivityRow {
  readonly pid: number
  readonly application_name: string | null
  readonly usename: string | null
  readonly state: string | null
  readonly since: Date | null
  readonly query: string | null
}

/** The columns of `pg_stat_activity` a {@link SessionActivity} is made of. */
const ACTIVITY_COLUMNS = `a.pid, a.application_name, a.usename, a.state,
       coalesce(a.xact_start, a.state_change) AS since, left(a.query, 300) AS query`

/**
 * The sessions that block `pid` now: those holding a lock it waits for, and those queued ahead of
 * it for the same lock (`pg_blocking_pids`, manual 9.26). The observer may be inside a transaction,
 * where `pg_stat_activity` would answer from the transaction's first snapshot: it is cleared first.
 */
export async function blockingSessions(
  observer: Connection,
  pid: number,
): Promise<readonly SessionActivity[]> {
  const rows = await observer.queryScript<ActivityRow>(
    `SELECT pg_stat_clear_snapshot();
SELECT ${ACTIVITY_COLUMNS}
  FROM pg_catalog.pg_stat_activity a
 WHERE a.pid = ANY (pg_blocking_pids(${Math.trunc(pid)}))
 ORDER BY a.pid`,
  )
  return rows.map(activity)
}

/**
 * Sessions of this database whose name marks them as a run's work session for `tag`, other than
 * `exclude`. Names are set by the runtime (`aludel upgrade [tag] work (pid ...)`); `tag` is hex.
 */
export async function taggedSessions(
  connection: Connection,
  tag: string,
  exclude: readonly number[],
): Promise<readonly SessionActivity[]> {
  if (!/^[0-9a-f]+$/.test(tag)) throw new RangeError(`bad session tag '${tag}'`)
  const others = exclude.filter(Number.isInteger)
  const rows = await connection.queryScript<ActivityRow>(
    `SELECT pg_stat_clear_snapshot();
SELECT ${ACTIVITY_COLUMNS}
  FROM pg_catalog.pg_stat_activity a
 WHERE a.datname = current_database() AND a.application_name LIKE '% [${tag}] work %'
   ${others.length === 0 ? '' : `AND a.pid NOT IN (${others.join(', ')})`}
 ORDER BY a.pid`,
  )
  return rows.map(activity)
}

/**
 * Indexes marked invalid (`pg_index.indisvalid`) that no `CREATE INDEX` is building right now:
 * what a failed or interrupted `CREATE INDEX CONCURRENTLY` leaves behind (manual, CREATE INDEX,
 * "Building Indexes Concurrently"). They are maintained on every write but never used.
 */
export async function invalidIndexes(connection: Connection): Promise<readonly InvalidIndex[]> {
  const rows = await connection.queryScript<{
    schema: string
    name: string
    table: string
    current: boolean
  }>(
    `SELECT n.nspname AS schema, c.relname AS name, t.relname AS "table", n.nspname = current_schema() AS current
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
 WHERE NOT i.indisvalid
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
 ORDER BY 1, 2`,
  )
  return rows.map(({ current, ...row }) => ({
    ...row,
    inCurrentSchema: current,
    dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(row.schema, row.name)}`,
  }))
}

function activity(row: ActivityRow): SessionActivity {
  return {
    pid: Number(row.pid),
    application: row.application_name || undefined,
    user: row.usename ?? undefined,
    state: row.state ?? undefined,
    since: row.since ?? undefined,
    query: row.query?.replace(/\s+/g, ' ').trim() || undefined,
  }
}
