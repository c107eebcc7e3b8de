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
  /** Ends the session. Closing twice is harmless. */
  close(): Promise<void>
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
