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

/**
 * Drops and creates benchmark database `name`, empty or (with `template`) a copy of benchmark
 * database `template`, which nobody may be connected to; returns its URL.
 */
export async function freshDatabase(
  name: string,
  options: { readonly template?: string } = {},
): Promise<string> {
  await dropDatabase(name)
  const template = options.template === undefined ? '' : ` TEMPLATE ${PREFIX}${options.template}`
  await query(ADMIN_URL, `CREATE DATABASE ${PREFIX}${name}${template}`)
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

/** How many of the workload's tables (`t_…`, or `m_…` for the model's) exist in `url`'s public schema. */
export async function countWorkloadTables(url: string, prefix: 't' | 'm' = 't'): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '${prefix}\\_%'`,
  )
  return Number(rows[0]?.n ?? 0)
}

/** The revisions in aludel's version table at `url`. */
export async function aludelVersions(url: string): Promise<string[]> {
  const rows = await query<{ version_num: string }>(url, 'SELECT version_num FROM aludel_version')
  return rows.map((r) => r.version_num).sort()
}

/** Prefix of the scratch databases `aludel lint --trace` and `aludel test` create on the server. */
const SCRATCH_PREFIX = 'aludel_scratch_'

/** The scratch databases aludel has on the server now (its own, or a test suite's beside us). */
export async function scratchDatabases(): Promise<Set<string>> {
  const rows = await query<{ datname: string }>(
    ADMIN_URL,
    `SELECT datname FROM pg_database WHERE datname LIKE '${SCRATCH_PREFIX}%'`,
  )
  return new Set(rows.map((r) => r.datname))
}

/**
 * Drops the scratch databases that are not in `known` and hold table `marker`: ones a run of
 * `aludel lint --trace` on the benchmark's project left behind (a test suite running beside the
 * benchmark has scratch databases of its own, without that table). Returns their names.
 */
export async function dropLeftScratch(
  known: ReadonlySet<string>,
  marker: string,
): Promise<string[]> {
  const left: string[] = []
  for (const name of await scratchDatabases()) {
    if (known.has(name)) continue
    const url = new URL(ADMIN_URL)
    url.pathname = `/${name}`
    const held = await query<{ t: string | null }>(
      url.toString(),
      `SELECT to_regclass('${marker}') AS t`,
    )
      .then((rows) => rows[0]?.t != null)
      .catch(() => false)
    if (!held) continue
    await query(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    left.push(name)
  }
  return left
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
