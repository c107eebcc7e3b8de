import { redactSecrets } from '../../util/redact-url.ts'
import { type Connection, type Driver, lastRows, type QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { MissingDriverError } from '../dialect-errors.ts'
import type { SessionPool } from '../session-pool.ts'
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
 * `postgres://` URL is used. Given a {@link SessionPool} (a fleet run), sessions come from it and
 * go back to it reset, so that targets on one database share backends.
 */
export class PostgresDriver implements Driver {
  private readonly open = new Set<PgConnection>()

  constructor(
    private readonly url: DatabaseUrl,
    private readonly pool?: SessionPool,
  ) {}

  async connect(purpose: string): Promise<Connection> {
    const name = purpose.slice(0, 63)
    const { pool } = this
    const shared = pool === undefined ? undefined : poolableForm(this.url.url)
    const connection =
      pool === undefined || shared === undefined
        ? new PgConnection(await this.openSession(this.url.url, name), this.url, undefined)
        : new PgConnection(await this.pooledSession(pool, shared, name), this.url, {
            pool,
            server: shared.server,
            key: shared.key,
          })
    this.open.add(connection)
    return connection
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => c.close()))
    this.open.clear()
  }

  /** A session from the pool, set up as this URL's own would be (its name, its `options`). */
  private async pooledSession(
    pool: SessionPool,
    shared: PoolableForm,
    name: string,
  ): Promise<PgSession> {
    for (let attempt = 0; ; attempt++) {
      // Keys are URLs: only sessions this driver opened share one.
      const session = (await pool.acquire(shared.server, shared.key, () =>
        this.openSession(shared.key, name),
      )) as PgSession
      const settings: [string, string][] = [['application_name', name], ...shared.settings]
      try {
        if (session.broken !== undefined) throw session.broken
        // A session given back untouched still has its last user's settings: those this user
        // does not set again would stay (another tenant's search_path).
        if (session.settings.some((setting) => !settings.some(([name]) => name === setting))) {
          await session.run('DISCARD ALL')
        }
        session.settings = settings.map(([name]) => name)
        await session.run(
          `SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, false)`).join(', ')}`,
          settings.flat(),
        )
        return session
      } catch (error) {
        // A reused session the server ended while it sat idle: open another (once).
        pool.forget(shared.server)
        await session.end()
        if (attempt > 0) throw toDatabaseError(error, 'SET', this.url)
      }
    }
  }

  private async openSession(url: string, name: string): Promise<PgSession> {
    const pg = await loadPg()
    const client = newClient(pg, url, this.url, {
      application_name: name,
      connectionTimeoutMillis: 15_000,
      // A lock session sits idle for a whole run: keepalives notice a dead network on our side
      // too (the server side is set by the runtime with tcp_keepalives_*).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
    const session = new PgSession(client)
    try {
      await client.connect()
    } catch (error) {
      await client.end().catch(() => undefined)
      throw toConnectError(error, this.url)
    }
    return session
  }
}

/**
 * A node-postgres client and why it broke, if it did: an idle session can be killed by the
 * server, and without a listener that would crash the process.
 */
class PgSession {
  broken: Error | undefined
  /** Settings made since the session was last reset (`DISCARD ALL`), by name. */
  settings: readonly string[] = []

  constructor(readonly client: PgClient) {
    client.on('error', (error) => {
      this.broken ??= error
    })
  }

  /**
   * A statement of aludel's own (setting a session up, resetting it), holding the process alive
   * while it runs: an idle session's socket does not.
   */
  async run(sql: string, params?: unknown[]): Promise<void> {
    const stream = this.client.connection?.stream
    stream?.ref?.()
    try {
      await (params === undefined ? this.client.query(sql) : this.client.query(sql, params))
    } finally {
      stream?.unref?.()
    }
  }

  async end(): Promise<void> {
    // Closing is awaited by the caller: keep the process alive until the socket is closed.
    this.client.connection?.stream?.ref?.()
    await this.client.end().catch(() => undefined)
  }
}

/** Where a pooled session goes back to. */
interface PoolSlot {
  readonly pool: SessionPool
  readonly server: string
  readonly key: string
}

/** A URL as the pool sees it: which sessions it can reuse, and what to set on them. */
interface PoolableForm {
  /** Host, port and user: what bounds the number of sessions. */
  readonly server: string
  /**
   * The URL without `options` and `application_name`: sessions of one key are interchangeable,
   * and a new pooled session is opened with it.
   */
  readonly key: string
  /** The server settings the URL's `options` gave (`-c search_path=tenant_1`), set per lease. */
  readonly settings: readonly [string, string][]
}

/**
 * The pool's view of `url`, or undefined when its `options` hold more than `-c name=value`
 * settings (such a session is opened for this use alone).
 */
export function poolableForm(url: string): PoolableForm | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const settings = parseOptions(parsed.searchParams.get('options') ?? '')
  if (settings === undefined) return undefined
  parsed.searchParams.delete('options')
  parsed.searchParams.delete('application_name')
  const key = parsed.toString()
  const server = `${parsed.username}@${parsed.hostname}:${parsed.port}/${parsed.searchParams.get('host') ?? ''}`
  return { server, key, settings }
}

/**
 * libpq's `options` (the server's command-line switches) as settings: `-c name=value`,
 * `-cname=value` and `--name=value`, separated by spaces, `\` escaping the next character.
 */
function parseOptions(text: string): [string, string][] | undefined {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else {
      word = (word ?? '') + c
    }
  }
  if (word !== undefined) words.push(word)
  const settings: [string, string][] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const pair =
      w === '-c'
        ? words[++i]
        : w.startsWith('--')
          ? w.slice(2)
          : w.startsWith('-c')
            ? w.slice(2)
            : undefined
    const match = pair === undefined ? null : /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(pair)
    if (match === null) return undefined
    settings.push([match[1]!.replace(/-/g, '_'), match[2]!])
  }
  return settings
}

/**
 * One node-postgres session. Its socket keeps the process alive only while a statement is in
 * flight: when a migration awaits something that can never settle, Node's event loop empties and
 * the process ends (the CLI reports it) instead of hanging forever with the migration lock held.
 */
class PgConnection implements Connection {
  private closed = false
  private inFlight = 0
  private readonly client: PgClient

  constructor(
    private readonly session: PgSession,
    private readonly url: DatabaseUrl,
    private readonly slot: PoolSlot | undefined,
  ) {
    this.client = session.client
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
    const error = this.session.broken
    return error === undefined
      ? undefined
      : redactSecrets(error.message.replace(/\s+/g, ' ').trim(), this.url.secrets)
  }

  async close(options?: { readonly untouched?: boolean }): Promise<void> {
    if (this.closed) return
    this.closed = true
    const slot = this.slot
    if (slot !== undefined) {
      // The next user sets the session's name and search path again as it takes it.
      const clean = options?.untouched === true && this.session.broken === undefined
      if (this.inFlight === 0 && (clean || (await this.reset()))) {
        slot.pool.release(slot.server, slot.key, this.session)
        return
      }
      slot.pool.forget(slot.server)
    }
    await this.session.end()
  }

  /**
   * Readies a pooled session for its next user: no transaction, no settings, no advisory locks,
   * prepared statements or temporary tables left (`DISCARD ALL`, which refuses to run inside a
   * transaction block: one left open by a failed run is rolled back first).
   */
  private async reset(): Promise<boolean> {
    if (this.session.broken !== undefined) return false
    try {
      await this.session.run('DISCARD ALL')
      this.session.settings = []
      return true
    } catch {
      try {
        await this.session.run('ROLLBACK')
        await this.session.run('DISCARD ALL')
        this.session.settings = []
        return this.session.broken === undefined
      } catch {
        return false
      }
    }
  }

  private async send(sql: string, params: unknown[] | undefined): Promise<unknown> {
    const stream = this.client.connection?.stream
    if (this.inFlight++ === 0) stream?.ref?.()
    try {
      return await (params === undefined ? this.client.query(sql) : this.client.query(sql, params))
    } catch (error) {
      throw toDatabaseError(this.session.broken ?? error, sql, this.url)
    } finally {
      if (--this.inFlight === 0 && !this.closed) stream?.unref?.()
    }
  }
}

/** A node-postgres client for `connectionString` (`url` or its pooled form); a URL it cannot use is reported as bad input. */
function newClient(
  pg: PgModule,
  connectionString: string,
  url: DatabaseUrl,
  options: Record<string, unknown>,
): PgClient {
  try {
    return new pg.Client({ connectionString: driverConnectionString(connectionString), ...options })
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
