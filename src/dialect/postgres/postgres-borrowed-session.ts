import type { QueryableSession } from '../borrowed-session.ts'
import { type Connection, type Driver, lastRows } from '../connection.ts'
import { ConnectionError, DatabaseError } from '../dialect-errors.ts'

/**
 * A driver whose every session is the application's own, never closed by aludel: read commands
 * (`current`, `currentRevision`, `assertAtHead`) can then run inside an application that already
 * holds the database — the only way with PGlite, whose folder one process may open at a time.
 */
export function borrowedDriver(borrowed: unknown): Driver {
  if (typeof (borrowed as { query?: unknown } | null)?.query !== 'function') {
    throw new ConnectionError(
      'the connection given to aludel has no query(): a postgres: or pglite: URL takes a node-postgres Client or Pool, or a PGlite instance',
      'WRONG_CONNECTION',
    )
  }
  const session = borrowed as QueryableSession
  const connection: Connection = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      try {
        const result = await session.query(sql, [...params])
        return { rows: result.rows as readonly Row[], affectedRows: result.rowCount ?? undefined }
      } catch (error) {
        throw asDatabaseError(error, sql)
      }
    },
    async execute(sql: string) {
      try {
        await session.query(sql)
      } catch (error) {
        throw asDatabaseError(error, sql)
      }
    },
    async queryScript<Row>(sql: string) {
      try {
        const result: unknown = await session.query(sql)
        return lastRows(result) as readonly Row[]
      } catch (error) {
        throw asDatabaseError(error, sql)
      }
    },
    lostReason: () => undefined,
    async close() {
      // The session belongs to the application.
    },
  }
  return {
    connect: async () => connection,
    close: async () => {},
  }
}

function asDatabaseError(error: unknown, sql: string): unknown {
  const code = (error as { code?: unknown })?.code
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return error
  return new DatabaseError(
    error instanceof Error ? error.message : String(error),
    code,
    sql.replace(/\s+/g, ' ').slice(0, 200),
    undefined,
    undefined,
    { cause: error },
  )
}
