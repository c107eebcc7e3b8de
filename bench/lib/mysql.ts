/**
 * The local MariaDB (or MySQL) server S9 runs on, reached through mysql2 like every tool in S9:
 * fresh databases per tool (and per run where a run changes the schema), dropped afterwards, all
 * named `aludel_bench_…` so a crashed run's leftovers are findable; tables counted, a tool's
 * record of applied migrations read back, and the server's statement counters read for the
 * round-trip analysis.
 */
import mysql from 'mysql2/promise'

/** The server's URL (any database on it); every benchmark database is created beside it. */
export const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** Prefix of every database the benchmark creates (the same as on PostgreSQL). */
const PREFIX = 'aludel_bench_'

/** Runs `sql` on `url` (a script of several statements is allowed) and returns the rows. */
export async function mysqlQuery<Row = Record<string, unknown>>(
  url: string,
  sql: string,
): Promise<Row[]> {
  const connection = await mysql.createConnection({
    uri: url,
    multipleStatements: true,
    connectTimeout: 5_000,
  })
  try {
    const [rows] = await connection.query(sql)
    return (Array.isArray(rows) ? rows : []) as Row[]
  } finally {
    await connection.end()
  }
}

/** The URL of benchmark database `name` (not created), in `scheme` (`mysql:` or `mariadb:`). */
export function mysqlDatabaseUrl(name: string, scheme = 'mysql:'): string {
  const url = new URL(MYSQL_ADMIN_URL)
  url.pathname = `/${PREFIX}${name}`
  return url.toString().replace(/^mysql:/, scheme)
}

/** Drops and creates benchmark database `name`, empty; returns its `mysql://` URL. */
export async function freshMysqlDatabase(name: string): Promise<string> {
  await mysqlQuery(
    MYSQL_ADMIN_URL,
    `DROP DATABASE IF EXISTS \`${PREFIX}${name}\`; CREATE DATABASE \`${PREFIX}${name}\``,
  )
  return mysqlDatabaseUrl(name)
}

/** Drops benchmark database `name`. */
export async function dropMysqlDatabase(name: string): Promise<void> {
  await mysqlQuery(MYSQL_ADMIN_URL, `DROP DATABASE IF EXISTS \`${PREFIX}${name}\``)
}

/** Drops every benchmark database a previous, interrupted run left on the server, if reachable. */
export async function dropMysqlLeftovers(): Promise<void> {
  if ((await mysqlUnavailable()) !== undefined) return
  const rows = await mysqlQuery<{ name: string }>(
    MYSQL_ADMIN_URL,
    `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE '${PREFIX}%'`,
  )
  for (const { name } of rows) await mysqlQuery(MYSQL_ADMIN_URL, `DROP DATABASE \`${name}\``)
}

let reachability: Promise<string | undefined> | undefined

/** Why the server cannot be reached (or used), or undefined when it can; probed once per run. */
export function mysqlUnavailable(): Promise<string | undefined> {
  reachability ??= mysqlQuery(MYSQL_ADMIN_URL, 'SELECT 1').then(
    () => undefined,
    (error: unknown) => {
      const e = error as { code?: string; message?: string }
      const where = new URL(MYSQL_ADMIN_URL).host
      return `no MariaDB/MySQL server at ${where} (${e.code ?? e.message ?? String(error)}); set BENCH_MYSQL_URL to reach one`
    },
  )
  return reachability
}

/** The server's `VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1`, or why it is unreachable. */
export async function mysqlServerVersion(): Promise<string> {
  const reason = await mysqlUnavailable()
  if (reason !== undefined) return `unreachable: ${reason}`
  const [row] = await mysqlQuery<{ v: string }>(MYSQL_ADMIN_URL, 'SELECT VERSION() AS v')
  return row?.v ?? 'unknown'
}

/** The server settings that decide what a DDL statement's commit costs, for the report. */
export async function mysqlDurability(): Promise<string> {
  const rows = await mysqlQuery<{ Variable_name: string; Value: string }>(
    MYSQL_ADMIN_URL,
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('innodb_flush_log_at_trx_commit', 'sync_binlog', 'log_bin', 'innodb_file_per_table')",
  )
  return rows.map((r) => `\`${r.Variable_name} = ${r.Value}\``).join(', ')
}

/** How many tables whose names start with `prefix` database `name` holds. */
export async function countMysqlTables(url: string, prefix: string): Promise<number> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1))
  const [row] = await mysqlQuery<{ n: number }>(
    MYSQL_ADMIN_URL,
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${database}' AND table_name LIKE '${prefix.replaceAll('_', '\\_')}%'`,
  )
  return Number(row?.n ?? 0)
}

/**
 * The server's global statement counters (`Questions`: statements clients sent, scripts counted
 * per statement; `Com_*`: per kind), for counting what one command sends. Only meaningful on a
 * server nobody else uses meanwhile.
 */
export async function mysqlCounters(): Promise<Map<string, number>> {
  const rows = await mysqlQuery<{ Variable_name: string; Value: string }>(
    MYSQL_ADMIN_URL,
    "SHOW GLOBAL STATUS WHERE Variable_name = 'Questions' OR Variable_name = 'Connections' OR Variable_name LIKE 'Com\\_%'",
  )
  return new Map(rows.map((r) => [r.Variable_name, Number(r.Value)]))
}
