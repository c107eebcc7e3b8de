import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DatabaseSync, SQLInputValue } from 'node:sqlite'
import type { Connection, Driver, QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { ConnectionError, DatabaseError, statementText } from '../dialect-errors.ts'
import { tokenize } from './sqlite-create-table-text.ts'

/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000

/**
 * SQLite through Node's built-in `node:sqlite` (no native build, no download). A file database
 * gets a connection per session, as a server would, so a run's lock and work are as separate as
 * SQLite allows; an in-memory database exists only inside its one connection, so every session
 * shares it, as with PGlite.
 */
export class SqliteDriver implements Driver {
  private memory: DatabaseSync | undefined

  constructor(private readonly url: DatabaseUrl) {}

  async connect(): Promise<Connection> {
    if (this.url.path === undefined) {
      this.memory ??= await this.open(':memory:')
      return new SqliteConnection(this.memory, false)
    }
    return new SqliteConnection(await this.open(this.url.path), true)
  }

  async close(): Promise<void> {
    this.memory?.close()
    this.memory = undefined
  }

  private async open(path: string): Promise<DatabaseSync> {
    let sqlite: typeof import('node:sqlite')
    try {
      sqlite = await import('node:sqlite')
    } catch (error) {
      throw new ConnectionError(
        `sqlite: URLs need Node.js's built-in node:sqlite (Node.js 22.13 or newer), which this Node.js ${process.version} lacks; run aludel with a newer Node.js`,
        'MISSING_DRIVER',
        { cause: error },
      )
    }
    const { DatabaseSync } = sqlite
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
      // Foreign keys are not enforced, as in SQLite itself (node:sqlite would enforce them): a
      // table rebuild drops the old table, which with enforcement on first deletes every row and
      // runs the ON DELETE actions of the tables referencing it, and PRAGMA foreign_keys cannot
      // change inside the migration's transaction. A rebuild checks the foreign keys it touches.
      return new DatabaseSync(path, {
        timeout: DEFAULT_BUSY_TIMEOUT_MS,
        enableForeignKeyConstraints: false,
      })
    } catch (error) {
      throw new ConnectionError(
        `cannot open ${this.url.redacted}: ${error instanceof Error ? error.message : String(error)}; check that the file's folder exists and is writable`,
        'CONNECTION_FAILED',
        { cause: error },
      )
    }
  }
}

/** A driver over the application's own `DatabaseSync`: every session is it, never closed. */
export function borrowedSqlite(session: unknown): Driver {
  const db = session as { prepare?: unknown; exec?: unknown } | null
  if (typeof db?.prepare !== 'function' || typeof db.exec !== 'function') {
    throw new ConnectionError(
      "the connection given to aludel is not a node:sqlite DatabaseSync, which a sqlite: URL takes (import { DatabaseSync } from 'node:sqlite')",
      'WRONG_CONNECTION',
    )
  }
  return {
    connect: async () => new SqliteConnection(session as DatabaseSync, false),
    close: async () => {},
  }
}

/** One connection to a SQLite database. The driver is synchronous; the interface is not. */
export class SqliteConnection implements Connection {
  private closed = false

  constructor(
    private readonly db: DatabaseSync,
    private readonly owned: boolean,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    try {
      const statement = this.db.prepare(sql)
      const values = params.map(bindValue)
      if (statement.columns().length > 0) {
        return { rows: statement.all(...values) as Row[], affectedRows: undefined }
      }
      const result = statement.run(...values)
      return { rows: [], affectedRows: Number(result.changes) }
    } catch (error) {
      throw asDatabaseError(error, sql)
    }
  }

  async execute(sql: string): Promise<void> {
    try {
      this.db.exec(sql)
    } catch (error) {
      throw asDatabaseError(error, sql)
    }
  }

  async queryScript<Row>(sql: string): Promise<readonly Row[]> {
    const statements = splitStatements(sql)
    const last = statements.pop()
    if (last === undefined) return []
    if (statements.length > 0) await this.execute(statements.join(';\n'))
    return (await this.query<Row>(last)).rows
  }

  lostReason(): string | undefined {
    return undefined
  }

  async close(): Promise<void> {
    if (this.closed || !this.owned) return
    this.closed = true
    this.db.close()
  }
}

/** What node:sqlite binds: booleans as 1/0, dates as ISO text, objects as JSON text. */
function bindValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value)
  return value as SQLInputValue
}

/** SQLite's result code of a driver error (its primary code: SQLITE_BUSY is 5), if any. */
export function sqliteResultCode(error: unknown): number | undefined {
  const cause = error instanceof DatabaseError ? error.cause : error
  const code = (cause as { errcode?: unknown } | undefined)?.errcode
  return typeof code === 'number' ? code & 0xff : undefined
}

function asDatabaseError(error: unknown, sql: string): unknown {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') {
    return error
  }
  return new DatabaseError(error.message, undefined, statementText(sql), undefined, undefined, {
    cause: error,
  })
}

/**
 * The statements of a script, split at semicolons outside strings, quoted names, comments and
 * the BEGIN ... END body of a CREATE TRIGGER.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = []
  let start = 0
  let depth = 0
  let trigger = false
  let first: string | undefined
  for (const token of tokenize(sql)) {
    first ??= token.text.toUpperCase()
    if (token.kind === 'word') {
      const upper = token.text.toUpperCase()
      if (upper === 'TRIGGER' && first === 'CREATE') trigger = true
      else if (trigger && (upper === 'BEGIN' || upper === 'CASE')) depth++
      else if (trigger && upper === 'END') depth--
    } else if (token.kind === 'other' && token.text === ';' && depth <= 0) {
      const text = sql.slice(start, token.start).trim()
      if (text !== '') out.push(text)
      start = token.end
      trigger = false
      depth = 0
      first = undefined
    }
  }
  const rest = sql.slice(start).trim()
  if (rest !== '') out.push(rest)
  return out
}
