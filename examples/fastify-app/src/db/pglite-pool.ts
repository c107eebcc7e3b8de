import type { PGlite } from '@electric-sql/pglite'
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely'

/**
 * A `pg.Pool` look-alike over one PGlite instance, so Kysely's own PostgresDialect (the one
 * used with a server) drives the embedded database too: same SQL, same transactions.
 *
 * Why write it: the community kysely-pglite-dialect package supports PGlite up to 0.4 only, and
 * this is all a dialect needs. (PGlite 0.5 also ships `@electric-sql/pglite/node-postgres`, which
 * emulates the wire protocol for pg itself; calling `query()` directly skips that layer.)
 *
 * Why a mutex: PGlite is one PostgreSQL session. If two requests shared it freely, a statement
 * of one could land inside the other's open transaction, and a rollback would undo both. So the
 * pool lends the session to one borrower at a time — a query, or a whole transaction — and the
 * next waits until `release()`, exactly like a `pg.Pool` with `max: 1`.
 */
export class PglitePool implements PostgresPool {
  /** Kysely reads pool options for query cancellation, which PGlite does not support. */
  readonly options = {}
  readonly #pglite: PGlite
  /** Settles when the current borrower releases the session; each borrower chains onto it. */
  #tail: Promise<void> = Promise.resolve()

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const previous = this.#tail
    this.#tail = previous.then(() => released)
    await previous
    return new PgliteClient(this.#pglite, release)
  }

  /** Waits for the last borrower; the PGlite instance itself belongs to whoever opened it. */
  async end(): Promise<void> {
    await this.#tail
  }
}

class PgliteClient implements PostgresPoolClient {
  readonly #pglite: PGlite
  #release: (() => void) | undefined

  constructor(pglite: PGlite, release: () => void) {
    this.#pglite = pglite
    this.#release = release
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  query<R>(
    sql: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sql !== 'string') throw new Error('PglitePool does not support cursors (streaming)')
    return this.#run<R>(sql, parameters ?? [])
  }

  async #run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    if (this.#release === undefined) throw new Error('PGlite session used after release()')
    const result = await this.#pglite.query<R>(sql, [...parameters])
    return {
      // PGlite reports the command tag ("INSERT", "COMMIT", or "ROLLBACK" for a COMMIT of a
      // failed transaction), which Kysely needs for affected-row counts and to detect that.
      command: (result.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
      rowCount: result.rowCount ?? result.affectedRows ?? 0,
      rows: result.rows,
    }
  }

  release(): void {
    // Idempotent: releasing twice must not let two borrowers in.
    const release = this.#release
    this.#release = undefined
    release?.()
  }
}
