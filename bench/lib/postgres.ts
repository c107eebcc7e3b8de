/**
 * The local PostgreSQL server the benchmark runs on: fresh databases per scenario (and per run
 * where a run changes the schema), dropped afterwards.
 */
import pg from 'pg'

/** The maintenance database's URL; every benchmark database is created beside it. */
export const ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Prefix of every database the benchmark creates, so a crashed run's leftovers are findable. */
const PREFIX = 'aludel_bench_'

/** Runs one statement on `url` and returns its rows. */
export async function query<Row extends object = Record<string, unknown>>(
  url: string,
  text: string,
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<Row>(text)).rows
  } finally {
    await client.end()
  }
}

/** The URL of benchmark database `name` (not created). */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${PREFIX}${name}`
  return url.toString()
}

/** Drops and creates benchmark database `name`; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  await dropDatabase(name)
  await query(ADMIN_URL, `CREATE DATABASE ${PREFIX}${name}`)
  // The first session on a new database builds its relation-cache init file; pay that here,
  // untimed, so no tool is charged for the database being brand new.
  await query(databaseUrl(name), 'SELECT 1')
  return databaseUrl(name)
}

/** Drops benchmark database `name`, disconnecting anyone still on it. */
export async function dropDatabase(name: string): Promise<void> {
  await query(ADMIN_URL, `DROP DATABASE IF EXISTS ${PREFIX}${name} WITH (FORCE)`)
}

/** Drops every benchmark database a previous, interrupted run left behind. */
export async function dropLeftovers(): Promise<void> {
  const rows = await query<{ datname: string }>(
    ADMIN_URL,
    `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`,
  )
  for (const { datname } of rows) {
    await query(ADMIN_URL, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
  }
}

/** How many of the workload's tables (`t_…`) exist in `url`'s public schema. */
export async function countWorkloadTables(url: string): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'`,
  )
  return Number(rows[0]?.n ?? 0)
}

/** The server's version, e.g. `15.20`. */
export async function serverVersion(): Promise<string> {
  const rows = await query<{ server_version: string }>(ADMIN_URL, 'SHOW server_version')
  return rows[0]?.server_version.split(' ')[0] ?? 'unknown'
}

/**
 * Flushes dirty buffers now (untimed), so that the checkpoint a big set-up provokes does not
 * land inside the next timed run and charge whichever tool happens to run then.
 */
export async function settle(): Promise<void> {
  await query(ADMIN_URL, 'CHECKPOINT')
}
