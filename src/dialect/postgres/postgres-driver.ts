import type { Connection, Driver, QueryResult } from '../connection.ts'
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
    })
    // An idle session can be killed by the server; without a listener that would crash the process.
    let broken: Error | undefined
    client.on('error', (error) => {
      broken = error
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

class PgConnection implements Connection {
  private closed = false

  constructor(
    private readonly client: PgClient,
    private readonly url: DatabaseUrl,
    private readonly broken: () => Error | undefined,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    try {
      const result = (await this.client.query(sql, [...params])) as {
        rows: Row[]
        rowCount: number | null
      }
      return { rows: result.rows, affectedRows: result.rowCount ?? undefined }
    } catch (error) {
      throw toDatabaseError(this.broken() ?? error, sql, this.url)
    }
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.client.query(sql)
    } catch (error) {
      throw toDatabaseError(this.broken() ?? error, sql, this.url)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.client.end().catch(() => undefined)
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
