/**
 * A session an application already holds, which read commands (and `upgrade`) can use instead of
 * opening their own, never closing it: a node-postgres `Client` or `Pool` or a PGlite instance
 * for `postgres:` and `pglite:` URLs, a node:sqlite `DatabaseSync` for `sqlite:` URLs (the only
 * way to reach an in-memory SQLite database, which exists only inside its connection), a mysql2
 * `Connection` or `Pool` (promise or callback API) for `mysql:` URLs. The dialect of the configured
 * URL takes it (`Dialect.borrow`) and says so when it is the wrong kind.
 */
export type BorrowedSession = QueryableSession | SqliteSession | MysqlSession

/** Anything with `query(sql, params)` resolving to `{ rows }`: node-postgres, PGlite. */
export interface QueryableSession {
  query(
    sql: string,
    params?: unknown[],
  ): Promise<{ readonly rows: readonly unknown[]; readonly rowCount?: number | null }>
}

/** A node:sqlite `DatabaseSync`, as far as aludel uses it. */
export interface SqliteSession {
  prepare(sql: string): unknown
  exec(sql: string): void
}

/** A mysql2 connection or pool, of its promise or its callback API. */
export interface MysqlSession {
  readonly execute: (...args: never[]) => unknown
  readonly query: (...args: never[]) => unknown
}
