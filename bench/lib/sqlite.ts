/**
 * SQLite files for S8, read by the harness through Node's built-in `node:sqlite` (the same
 * engine aludel and the peers write them with): fresh files, tables counted, a tool's record of
 * applied migrations read back. Every file lives in the tool's project folder in bench/.work.
 * And whether a native SQLite package loads, for the peers that need one.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { BENCH, REPO } from './paths.ts'

/** Removes `file` and the journal SQLite may have left beside it, so the next run starts empty. */
export function freshSqliteFile(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true })
}

/** Runs one read-only query on `file` and returns its rows. */
export function sqliteQuery(file: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    return db.prepare(sql).all() as Record<string, unknown>[]
  } finally {
    db.close()
  }
}

/** The tables in `file` whose names start with `prefix` (`t_` for the workload, `m_` for S8's model). */
export function countSqliteTables(file: string, prefix: string): number {
  const [row] = sqliteQuery(
    file,
    `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, ${prefix.length}) = '${prefix}'`,
  )
  return Number(row?.n)
}

/** The SQLite library inside this Node.js, for the report. */
export function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:')
  try {
    const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string }
    return row.v
  } finally {
    db.close()
  }
}

const probed = new Map<string, string | undefined>()

/**
 * Why the native SQLite package `name` (better-sqlite3) cannot be loaded by this Node.js, or
 * undefined when it can: a child process opens an in-memory database with it, once per run.
 */
export function nativeSqliteUnavailable(name: string): string | undefined {
  if (!probed.has(name)) {
    const probe = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(name)})(':memory:').close()`],
      { cwd: BENCH, encoding: 'utf8' },
    )
    const message = /Error: ([\s\S]*?)(?:\n\s+at |\nRequire stack|$)/.exec(probe.stderr ?? '')?.[1]
    probed.set(
      name,
      probe.status === 0
        ? undefined
        : (message ?? probe.stderr ?? `exit ${probe.status}`)
            .replaceAll(REPO + '/', '')
            .replace(/\s+/g, ' ')
            .trim(),
    )
  }
  return probed.get(name)
}
