import { redactSecrets } from '../../util/redact-url.ts'
import { type Connection, type Driver, lastRows, type QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { MissingDriverError } from '../dialect-errors.ts'
import { toConnectError, toDatabaseError, toSetupError } from './postgres-errors.ts'

/** The part of node-postgres's `Client` that aludel uses. */
interface PgClient {
  connect(): Promise<unknown>
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount: number | null } | unknown[]>
  end(): Promise<void>
  on(event: 'error', listener: (error: Error) => void): unknown
  /** node-postgres's wire connection; its `stream` is the socket. */
  readonly connection?: { readonly stream?: { ref?(): void; unref?(): void } }
}

interface PgModule {
  readonly Client: new (config: Record<string, unknown>) => PgClient
}

/**
 * Sessions to a PostgreSQL server through node-postgres (`pg`), imported only when a
 * `postgres://` URL is used.
 */
export class PostgresDriver implements Driver {
  private readonly open = new Set<PgConnection>()

  constructor(private readonly url: DatabaseUrl) {}

  async connect(purpose: string): Promise<Connection> {
    const pg = await loadPg()
    const client = newClient(pg, this.url, {
      application_name: purpose.slice(0, 63),
      connectionTimeoutMillis: 15_000,
      // A lock session sits idle for a whole run: keepalives notice a dead network on our side
      // too (the server side is set by the runtime with tcp_keepalives_*).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
    // An idle session can be killed by the server; without a listener that would crash the process.
    let broken: Error | undefined
    client.on('error', (error) => {
      broken ??= error
    })
    try {
      await client.connect()
    } catch (error) {
      await client.end().catch(() => undefined)
      throw toConnectError(error, this.url)
    }
    const connection = new PgConnection(client, this.url, () => broken)
    this.open.add(connection)
    return connection
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => c.close()))
    this.open.clear()
  }
}

/**
 * One node-postgres session. Its socket keeps the process alive only while a statement is in
 * flight: when a migration awaits something that can never settle, Node's event loop empties and
 * the process ends (the CLI reports it) instead of hanging forever with the migration lock held.
 */
class PgConnection implements Connection {
  private closed = false
  private inFlight = 0

  constructor(
    private readonly client: PgClient,
    private readonly url: DatabaseUrl,
    private readonly broken: () => Error | undefined,
  ) {
    this.client.connection?.stream?.unref?.()
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = (await this.send(sql, [...params])) as { rows: Row[]; rowCount: number | null }
    return { rows: result.rows, affectedRows: result.rowCount ?? undefined }
  }

  async execute(sql: string): Promise<void> {
    await this.send(sql, undefined)
  }

  async queryScript<Row>(sql: string): Promise<readonly Row[]> {
    return lastRows(await this.send(sql, undefined)) as readonly Row[]
  }

  lostReason(): string | undefined {
    const error = this.broken()
    return error === undefined
      ? undefined
      : redactSecrets(error.message.replace(/\s+/g, ' ').trim(), this.url.secrets)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Closing is awaited by the caller: keep the process alive until the socket is closed.
    this.client.connection?.stream?.ref?.()
    await this.client.end().catch(() => undefined)
  }

  private async send(sql: string, params: unknown[] | undefined): Promise<unknown> {
    const stream = this.client.connection?.stream
    if (this.inFlight++ === 0) stream?.ref?.()
    try {
      return await (params === undefined ? this.client.query(sql) : this.client.query(sql, params))
    } catch (error) {
      throw toDatabaseError(this.broken() ?? error, sql, this.url)
    } finally {
      if (--this.inFlight === 0 && !this.closed) stream?.unref?.()
    }
  }
}

/** A node-postgres client for `url`; a URL it cannot use is reported as bad input. */
function newClient(pg: PgModule, url: DatabaseUrl, options: Record<string, unknown>): PgClient {
  try {
    return new pg.Client({ connectionString: driverConnectionString(url.url), ...options })
  } catch (error) {
    // Thrown before any connection is tried: a certificate file named in the URL is unreadable.
    throw toSetupError(error, url)
  }
}

/**
 * The URL as node-postgres gets it. pg 8 treats `sslmode=prefer`, `require` and `verify-ca` as
 * `verify-full`, and says so in a nine-line warning on stderr; aludel passes `verify-full`, which
 * is exactly what pg 8 does with those modes, so nothing changes but the warning is not printed.
 * With `uselibpqcompat=true` (libpq's meanings) the URL is passed as it is.
 */
function driverConnectionString(url: string): string {
  if (/[?&]uselibpqcompat=true(?=[&#]|$)/i.test(url)) return url
  return url.replace(/([?&]sslmode=)(?:prefer|require|verify-ca)(?=[&#]|$)/g, '$1verify-full')
}

let pgModule: Promise<PgModule> | undefined

function loadPg(): Promise<PgModule> {
  pgModule ??= import('pg').then(
    (m) => (m.default ?? m) as unknown as PgModule,
    (error: unknown) => {
      pgModule = undefined
      throw new MissingDriverError('pg', 'postgres', { cause: error })
    },
  )
  return pgModule
}
