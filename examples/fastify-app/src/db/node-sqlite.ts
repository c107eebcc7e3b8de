import type { DatabaseSync, SQLInputValue, StatementColumnMetadata } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/**
 * Node's built-in `node:sqlite` as the better-sqlite3 `Database` that Kysely's SqliteDialect
 * drives: no native module to build, the same SQLite file aludel migrates.
 *
 * SQLite has no boolean or timestamp storage: a `boolean` column holds 1 or 0 and a `timestamptz`
 * column text such as `2026-11-26 08:29:39` (what CURRENT_TIMESTAMP writes, in UTC). The models
 * promise Kysely `boolean` and `Date`, as PostgreSQL and MySQL return them, so values are
 * converted here by the column's declared type, both ways; the routes never see the difference.
 *
 * Kysely lends this one connection to one query or transaction at a time (its SqliteDialect does
 * not support several), so a transaction never interleaves with another request's statements.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly sync: DatabaseSync

  constructor(sync: DatabaseSync) {
    this.sync = sync
  }

  close(): void {
    this.sync.close()
  }

  prepare(sql: string): SqliteStatement {
    const statement = this.sync.prepare(sql)
    const columns = statement.columns()
    const read = rowReader(columns)
    const bind = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqlite)
    return {
      reader: columns.length > 0,
      all: (parameters) => statement.all(...bind(parameters)).map(read),
      run: (parameters) => statement.run(...bind(parameters)),
      *iterate(parameters) {
        for (const row of statement.iterate(...bind(parameters))) yield read(row)
      },
    }
  }
}

type Row = Record<string, unknown>

/** Converts a result row's booleans and timestamps, found by each column's declared type. */
function rowReader(columns: readonly StatementColumnMetadata[]): (row: unknown) => Row {
  const booleans = columns.filter((c) => /^bool/i.test(c.type ?? '')).map((c) => c.name)
  const times = columns
    .filter((c) => /^(timestamp|datetime)/i.test(c.type ?? ''))
    .map((c) => c.name)
  return (row) => {
    const out: Row = { ...(row as Row) }
    for (const name of booleans) if (out[name] !== null) out[name] = Boolean(out[name])
    for (const name of times) if (typeof out[name] === 'string') out[name] = parseTime(out[name])
    return out
  }
}

/** `YYYY-MM-DD HH:MM:SS[.SSS]` is UTC (SQLite's own format); text with a zone says its own. */
function parseTime(text: string): Date {
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text)
  return new Date(zoned ? text : `${text.replace(' ', 'T')}Z`)
}

/** A parameter as node:sqlite binds it: booleans as 1/0, dates in SQLite's UTC format. */
function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '')
  if (value === undefined) return null
  return value as SQLInputValue
}
