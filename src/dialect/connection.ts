/** Rows and counts returned by {@link Connection.query}. */
export interface QueryResult<Row> {
  readonly rows: readonly Row[]
  /** Rows inserted, updated or deleted, when the statement reports it. */
  readonly affectedRows: number | undefined
}

/**
 * One database session. Statements run one after another; transactions are plain `BEGIN`/`COMMIT`
 * statements issued by the runtime, so a session is all a dialect needs to provide.
 */
export interface Connection {
  /** Runs one statement with positional parameters and returns its rows. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>
  /** Runs a script of one or more statements without parameters (the simple query protocol). */
  execute(sql: string): Promise<void>
  /**
   * Runs a script like {@link execute} and returns the rows of its last statement. The statements
   * of one script run in one implicit transaction unless the script controls transactions itself
   * (PostgreSQL manual, 55.2.2.1 "Multiple Statements in a Simple Query").
   */
  queryScript<Row = Record<string, unknown>>(sql: string): Promise<readonly Row[]>
  /**
   * Why the session ended by itself (terminated by the server or an administrator, timed out,
   * network lost), once it has; undefined while it is usable.
   */
  lostReason(): string | undefined
  /**
   * Ends the session. Closing twice is harmless. `untouched`: the caller ran nothing but single
   * statements that leave no session state behind (SELECTs outside a transaction), so a session
   * shared between the targets of a fleet run can go back without being reset.
   */
  close(options?: { readonly untouched?: boolean }): Promise<void>
}

/**
 * Opens sessions to one database. Typed structurally so that no driver package is a hard
 * dependency: each dialect imports its driver lazily when a URL asks for it.
 */
export interface Driver {
  /**
   * Opens a new dedicated session. `purpose` names it in the server's activity view
   * (`application_name` on PostgreSQL) so that an operator can tell who holds a lock.
   */
  connect(purpose: string): Promise<Connection>
  /** Releases everything the driver holds (an embedded database is shut down). */
  close(): Promise<void>
}

/**
 * The rows of the last statement of a script that returns rows (a SELECT, even an empty one):
 * drivers give one result per statement, and statements such as SET or BEGIN have no columns.
 */
export function lastRows(result: unknown): readonly unknown[] {
  const results = (Array.isArray(result) ? result : [result]) as readonly {
    readonly rows?: readonly unknown[]
    readonly fields?: readonly unknown[]
  }[]
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i]
    if (r?.rows !== undefined && (r.fields?.length ?? 0) > 0) return r.rows
  }
  return []
}
