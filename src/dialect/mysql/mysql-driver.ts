import { redactSecrets, redactUrl } from '../../util/redact-url.ts'
import type { Connection, Driver, QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import {
  ConnectionError,
  DatabaseError,
  DatabaseUrlError,
  MissingDriverError,
  statementText,
} from '../dialect-errors.ts'
import type { SessionPool } from '../session-pool.ts'
import { quoteIdentifier } from './mysql-quoting.ts'
import { splitStatements } from './mysql-sql-tokens.ts'

/** The part of mysql2's promise connection that aludel uses. */
interface Mysql2Connection {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>
  execute(sql: string, values?: unknown[]): Promise<[unknown, unknown]>
  /** COM_RESET_CONNECTION; mysql2 forgets its prepared statements with the server's. */
  reset(): Promise<void>
  end(): Promise<void>
  destroy(): void
  on(event: 'error', listener: (error: Error) => void): unknown
  /** The callback connection underneath; its `stream` is the socket. */
  readonly connection?: { readonly stream?: { ref?(): void; unref?(): void } }
}

interface Mysql2Module {
  createConnection(config: Record<string, unknown>): Promise<Mysql2Connection>
}

/** What kind of server a URL reaches: MariaDB and MySQL part ways in some DDL. */
export interface MysqlServer {
  /** Guessed from the scheme (`mariadb:`) until a session reads `VERSION()`. */
  mariadb: boolean
  /**
   * Whether a backslash in a string is an escape: true unless the session's `sql_mode` holds
   * `NO_BACKSLASH_ESCAPES`. Assumed true (MySQL's default) until a session reads the mode.
   */
  backslashEscapes: boolean
  /** `VERSION()`, once a session has read it. */
  version: string | undefined
}

/** The URL parameters aludel reads itself; every other parameter is refused, not ignored. */
export interface MysqlUrlOptions {
  /**
   * `require` (default): ALTER TABLE statements carry `ALGORITHM`/`LOCK` clauses, so a change the
   * server could make only by copying the table and blocking writes fails instead. `off`: the
   * server chooses.
   */
  readonly onlineDdl: 'require' | 'off'
}

/**
 * Sessions to a MySQL or MariaDB server through `mysql2`, imported only when a `mysql://` or
 * `mariadb://` URL is used. Statements with parameters are sent as server-side prepared
 * statements, so a value is never spliced into SQL text: the client's escaping would be wrong
 * under `NO_BACKSLASH_ESCAPES`. Scripts (several statements, no parameters) use the text protocol.
 */
export class MysqlDriver implements Driver {
  private readonly open = new Set<MysqlConnection>()
  readonly server: MysqlServer
  readonly options: MysqlUrlOptions
  private readonly config: Record<string, unknown>

  /**
   * @param pool server sessions shared by the targets of a fleet run: a session moves from one
   *   target's database to the next with `USE`, reset in between.
   */
  constructor(
    private readonly url: DatabaseUrl,
    private readonly pool?: SessionPool,
  ) {
    const parsed = parseMysqlUrl(url)
    this.config = parsed.config
    this.options = parsed.options
    this.server = {
      mariadb: /^mariadb:/i.test(url.url),
      backslashEscapes: true,
      version: undefined,
    }
  }

  async connect(purpose: string): Promise<Connection> {
    const connection =
      this.pool === undefined
        ? new MysqlConnection(await this.openSession(purpose), this.url)
        : await this.pooledConnection(this.pool, purpose)
    this.open.add(connection)
    if (this.server.version === undefined) {
      const { rows } = await connection.query<{ v: string; m: string }>(
        'SELECT VERSION() AS v, @@SESSION.sql_mode AS m',
      )
      this.server.version = rows[0]?.v ?? ''
      this.server.backslashEscapes = !/\bNO_BACKSLASH_ESCAPES\b/i.test(rows[0]?.m ?? '')
      this.server.mariadb = /mariadb/i.test(this.server.version)
    }
    return connection
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => c.close()))
    this.open.clear()
  }

  private async openSession(purpose: string): Promise<MysqlSession> {
    const mysql = await loadMysql2()
    try {
      // The purpose names the session in performance_schema.session_connect_attrs.
      const client = await mysql.createConnection({
        ...this.config,
        connectAttributes: { program_name: purpose.slice(0, 100) },
      })
      return new MysqlSession(client, String(this.config.database))
    } catch (error) {
      throw connectError(error, this.url)
    }
  }

  /**
   * A session from the pool, on this URL's database. Sessions are keyed by everything but the
   * database (server, user, password, TLS): a session of another tenant's database moves here
   * with `USE`. It came back reset, so nothing of the previous target's run is left: no session
   * variables, temporary tables, named locks or prepared statements — a statement prepared there
   * would still name that database's tables.
   */
  private async pooledConnection(pool: SessionPool, purpose: string): Promise<MysqlConnection> {
    const { database, ...shared } = this.config
    const server = `${String(shared.user)}@${String(shared.host)}:${String(shared.port)}${String(shared.socketPath ?? '')}`
    const key = JSON.stringify(shared)
    for (let attempt = 0; ; attempt++) {
      const session = (await pool.acquire(server, key, () =>
        this.openSession(purpose),
      )) as MysqlSession
      try {
        if (session.broken !== undefined) throw session.broken
        if (session.database !== database) {
          await session.run(`USE ${quoteIdentifier(String(database))}`)
          session.database = String(database)
        }
        return new MysqlConnection(session, this.url, { pool, server, key })
      } catch (error) {
        // The server refused the database (it does not exist, or the user may not use it): the
        // session is fine, and the error is the one connecting to that database would give.
        const refusal = error as { errno?: unknown; fatal?: unknown }
        if (
          session.broken === undefined &&
          typeof refusal.errno === 'number' &&
          refusal.fatal !== true
        ) {
          pool.release(server, key, session)
          throw connectError(error, this.url)
        }
        // A reused session the server ended while it sat idle: open another (once).
        pool.forget(server)
        await session.end()
        if (attempt > 0) throw toDatabaseError(error, 'USE', this.url)
      }
    }
  }
}

/** A mysql2 session, the database it is on, and why it broke, if it did. */
class MysqlSession {
  broken: Error | undefined

  constructor(
    readonly client: Mysql2Connection,
    public database: string,
  ) {
    // A session the server ends while idle must not crash the process: remember why instead.
    client.on('error', (error) => {
      this.broken ??= error
    })
  }

  /**
   * A statement of aludel's own (moving the session to a database), holding the process alive
   * while it runs: an idle session's socket does not.
   */
  async run(sql: string): Promise<void> {
    const stream = this.client.connection?.stream
    stream?.ref?.()
    try {
      await this.client.query(sql)
    } finally {
      stream?.unref?.()
    }
  }

  async end(): Promise<void> {
    this.client.connection?.stream?.ref?.()
    await this.client.end().catch(() => this.client.destroy())
  }
}

/** Where a pooled session goes back to. */
interface PoolSlot {
  readonly pool: SessionPool
  readonly server: string
  readonly key: string
}

/**
 * One mysql2 session. Like the PostgreSQL driver's, its socket keeps the process alive only while
 * a statement is in flight, so a migration awaiting something that never settles ends the process
 * instead of hanging with the lock held.
 */
export class MysqlConnection implements Connection {
  private closed = false
  private inFlight = 0
  private readonly client: Mysql2Connection
  private readonly broken: () => Error | undefined
  private readonly owned: boolean
  /** aludel's own session; undefined for the application's connection. */
  private readonly session: MysqlSession | undefined

  /**
   * @param session a session of aludel's own, or the application's connection (never closed)
   * @param slot the pool a session of aludel's own goes back to, reset, when it is closed
   */
  constructor(
    session: MysqlSession | { readonly borrowed: Mysql2Connection },
    private readonly url: DatabaseUrl,
    private readonly slot?: PoolSlot,
  ) {
    if ('borrowed' in session) {
      this.client = session.borrowed
      this.broken = () => undefined
      this.owned = false
      this.session = undefined
    } else {
      this.client = session.client
      this.broken = () => session.broken
      this.owned = true
      this.session = session
      this.client.connection?.stream?.unref?.()
    }
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = await this.send(sql, params.length === 0 ? undefined : params.map(bindValue))
    return resultOf<Row>(result)
  }

  async execute(sql: string): Promise<void> {
    await this.send(sql, undefined)
  }

  async queryScript<Row>(sql: string): Promise<readonly Row[]> {
    const result = await this.send(sql, undefined)
    // A script of several statements gives one result per statement: the last with rows counts.
    if (splitStatements(sql).length > 1 && Array.isArray(result)) {
      for (let i = result.length - 1; i >= 0; i--) {
        if (Array.isArray(result[i])) return result[i] as Row[]
      }
      return []
    }
    return resultOf<Row>(result).rows
  }

  lostReason(): string | undefined {
    const error = this.broken()
    return error === undefined
      ? undefined
      : redactSecrets(error.message.replace(/\s+/g, ' ').trim(), this.url.secrets)
  }

  async close(): Promise<void> {
    if (this.closed || !this.owned) return
    this.closed = true
    const { slot, session } = this
    if (slot !== undefined && session !== undefined) {
      if (this.inFlight === 0 && (await this.reset(session))) {
        slot.pool.release(slot.server, slot.key, session)
        return
      }
      slot.pool.forget(slot.server)
    }
    this.client.connection?.stream?.ref?.()
    await this.client.end().catch(() => this.client.destroy())
  }

  /**
   * Readies a pooled session for the next target: COM_RESET_CONNECTION rolls back, drops
   * temporary tables, releases named locks (the run's work lock among them), forgets prepared
   * statements and user variables and puts session variables back to the server's. It keeps the
   * current database, which the next lease changes if it must.
   */
  private async reset(session: MysqlSession): Promise<boolean> {
    if (session.broken !== undefined) return false
    const stream = this.client.connection?.stream
    stream?.ref?.()
    try {
      await this.client.reset()
      return session.broken === undefined
    } catch {
      return false
    } finally {
      stream?.unref?.()
    }
  }

  private async send(sql: string, params: unknown[] | undefined): Promise<unknown> {
    const stream = this.owned ? this.client.connection?.stream : undefined
    if (this.inFlight++ === 0) stream?.ref?.()
    try {
      const [result] =
        params === undefined ? await this.client.query(sql) : await this.client.execute(sql, params)
      return result
    } catch (error) {
      throw toDatabaseError(this.broken() ?? error, sql, this.url)
    } finally {
      if (--this.inFlight === 0 && !this.closed) stream?.unref?.()
    }
  }
}

/**
 * A driver over the application's own mysql2 connection or pool (promise API, or callback API
 * through its `promise()`): every session is it, never closed. Read commands use it; a migration
 * run on a server opens sessions of its own.
 */
export function borrowedMysql(url: DatabaseUrl): (session: unknown) => Driver {
  return (session) => {
    const candidate = session as {
      promise?: unknown
      query?: unknown
      execute?: unknown
    } | null
    const client =
      typeof candidate?.promise === 'function' ? (candidate.promise as () => unknown)() : candidate
    const api = client as { query?: unknown; execute?: unknown } | null
    if (typeof api?.query !== 'function' || typeof api.execute !== 'function') {
      throw new ConnectionError(
        "the connection given to aludel is not a mysql2 connection or pool, which a mysql: URL takes (import mysql from 'mysql2/promise')",
        'WRONG_CONNECTION',
      )
    }
    return {
      connect: async () => new MysqlConnection({ borrowed: client as Mysql2Connection }, url),
      close: async () => {},
    }
  }
}

/** mysql2 gives rows as an array, and a header with the affected rows for anything else. */
function resultOf<Row>(result: unknown): QueryResult<Row> {
  if (Array.isArray(result)) return { rows: result as Row[], affectedRows: undefined }
  const affected = (result as { affectedRows?: unknown } | undefined)?.affectedRows
  return { rows: [], affectedRows: typeof affected === 'number' ? affected : undefined }
}

/** What a prepared statement binds: booleans as 1/0, objects (not bytes or dates) as JSON. */
function bindValue(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'bigint') return value.toString()
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    return JSON.stringify(value)
  }
  return value
}

/** MySQL's error number of a driver error (1205: lock wait timeout), if any. */
export function mysqlErrno(error: unknown): number | undefined {
  const cause = error instanceof DatabaseError ? error.cause : error
  const errno = (cause as { errno?: unknown } | undefined)?.errno
  return typeof errno === 'number' ? errno : undefined
}

function toDatabaseError(error: unknown, sql: string, url: DatabaseUrl): unknown {
  const e = (error ?? {}) as {
    errno?: unknown
    sqlState?: unknown
    message?: unknown
    fatal?: unknown
    code?: unknown
  }
  const message = redactSecrets(String(e.message ?? error), url.secrets)
  if (typeof e.errno === 'number' && e.fatal !== true && typeof e.sqlState === 'string') {
    return new DatabaseError(message, e.sqlState, statementText(sql), undefined, undefined, {
      cause: error,
    })
  }
  if (e.fatal === true || /closed state|ECONNRESET|EPIPE|PROTOCOL_CONNECTION_LOST/i.test(message)) {
    return new ConnectionError(
      `lost the connection to ${url.redacted} (${redactUrl(message)}); check that the server is up and run the command again`,
      'CONNECTION_LOST',
      { cause: error },
    )
  }
  return error
}

function connectError(error: unknown, url: DatabaseUrl): ConnectionError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown }
  const raw = redactUrl(redactSecrets(String(e.message ?? error), url.secrets))
  const where = url.redacted
  let message: string
  switch (e.code) {
    case 'ECONNREFUSED':
      message = `cannot connect to ${where}: connection refused; check that the server is running and the host and port are right`
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `cannot connect to ${where}: the host name does not resolve; check the host in the URL`
      break
    case 'ETIMEDOUT':
      message = `cannot connect to ${where}: timed out; check the host, the port and any firewall in between`
      break
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      message = `cannot connect to ${where}: access denied; check the user name and password`
      break
    case 'ER_BAD_DB_ERROR':
      message = `cannot connect to ${where}: the database does not exist; create it (CREATE DATABASE ...) or correct its name in the URL`
      break
    default:
      message = `cannot connect to ${where}: ${raw}`
  }
  return new ConnectionError(message, 'CONNECTION_FAILED', { cause: error })
}

/**
 * mysql2's connection options from a `mysql://user:password@host:port/database` URL. Parameters:
 * `ssl=true` (verify the server's certificate) or `ssl=insecure` (encrypt without verifying),
 * `socket=/path/to/mysqld.sock`, and aludel's own `onlineDdl=require|off`.
 */
function parseMysqlUrl(url: DatabaseUrl): {
  readonly config: Record<string, unknown>
  readonly options: MysqlUrlOptions
} {
  const parsed = new URL(url.url)
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  if (database === '' || database.includes('/')) {
    throw new DatabaseUrlError(
      `'${url.redacted}' names no database; write it as mysql://user@host:3306/database`,
    )
  }
  const config: Record<string, unknown> = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: url.password,
    database,
    charset: 'utf8mb4',
    multipleStatements: true,
    // Times cross the wire as UTC, whatever the machine's zone: ledger rows compare across hosts.
    timezone: 'Z',
    supportBigNumbers: true,
    connectTimeout: 15_000,
    // A lock session sits idle for a whole run: keepalives notice a dead network.
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
  }
  let onlineDdl: MysqlUrlOptions['onlineDdl'] = 'require'
  for (const [key, value] of parsed.searchParams) {
    switch (key) {
      case 'ssl':
        if (value === 'true') config.ssl = { rejectUnauthorized: true }
        else if (value === 'insecure') config.ssl = { rejectUnauthorized: false }
        else if (value !== 'false') throw badParameter(url, key, 'true, insecure or false')
        break
      case 'socket':
        config.socketPath = value
        break
      case 'onlineDdl':
        if (value !== 'require' && value !== 'off') throw badParameter(url, key, 'require or off')
        onlineDdl = value
        break
      default:
        throw new DatabaseUrlError(
          `'${url.redacted}' has the parameter '${key}', which aludel does not know for MySQL; the ones it takes are ssl, socket and onlineDdl`,
        )
    }
  }
  return { config, options: { onlineDdl } }
}

function badParameter(url: DatabaseUrl, key: string, allowed: string): DatabaseUrlError {
  return new DatabaseUrlError(
    `'${url.redacted}' sets ${key} to a value it cannot take; use ${allowed}`,
  )
}

let mysqlModule: Promise<Mysql2Module> | undefined

function loadMysql2(): Promise<Mysql2Module> {
  mysqlModule ??= import('mysql2/promise').then(
    (m) => ((m as { default?: unknown }).default ?? m) as Mysql2Module,
    (error: unknown) => {
      mysqlModule = undefined
      throw new MissingDriverError('mysql2', 'mysql', { cause: error })
    },
  )
  return mysqlModule
}
