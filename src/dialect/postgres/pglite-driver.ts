import { mkdir } from 'node:fs/promises'
import { type Connection, type Driver, lastRows, type QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { ConnectionError, MissingDriverError } from '../dialect-errors.ts'
import { lockPgliteFolder, type PgliteFolderLock } from './pglite-folder-lock.ts'
import { toDatabaseError } from './postgres-errors.ts'

/** The part of PGlite's API that aludel uses. */
interface PgliteInstance {
  readonly waitReady: Promise<void>
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>
  exec(sql: string): Promise<readonly { rows: unknown[]; fields: unknown[] }[]>
  close(): Promise<void>
}

interface PgliteModule {
  readonly PGlite: new (dataDir?: string) => PgliteInstance
}

/**
 * PostgreSQL compiled to WebAssembly, in-process (`pglite:./dir`, `pglite:memory`). PGlite has a
 * single backend, so every "session" is the same one; that is enough, because only one process can
 * open a PGlite folder at a time anyway.
 */
export class PgliteDriver implements Driver {
  private instance: Promise<PgliteInstance> | undefined
  private lock: PgliteFolderLock | undefined

  constructor(private readonly url: DatabaseUrl) {}

  async connect(): Promise<Connection> {
    this.instance ??= this.start()
    return new PgliteConnection(await this.instance, this.url)
  }

  private async start(): Promise<PgliteInstance> {
    let module: PgliteModule
    try {
      module = (await import('@electric-sql/pglite')) as unknown as PgliteModule
    } catch (error) {
      throw new MissingDriverError('@electric-sql/pglite', 'pglite', { cause: error })
    }
    if (this.url.path !== undefined) {
      await mkdir(this.url.path, { recursive: true })
      this.lock = lockPgliteFolder(this.url.path)
    }
    try {
      const db = new module.PGlite(this.url.path)
      await db.waitReady
      return db
    } catch (error) {
      this.lock?.release()
      this.lock = undefined
      throw new ConnectionError(
        `cannot open ${this.url.redacted}: ${error instanceof Error ? error.message : String(error)}; check that the folder is writable and not used by another process`,
        'CONNECTION_FAILED',
        { cause: error },
      )
    }
  }

  async close(): Promise<void> {
    const pending = this.instance
    this.instance = undefined
    try {
      if (pending) await (await pending.catch(() => undefined))?.close()
    } finally {
      this.lock?.release()
      this.lock = undefined
    }
  }
}

class PgliteConnection implements Connection {
  constructor(
    private readonly db: PgliteInstance,
    private readonly url: DatabaseUrl,
  ) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    try {
      const result = await this.db.query<Row>(sql, [...params])
      return { rows: result.rows, affectedRows: result.affectedRows }
    } catch (error) {
      throw toDatabaseError(error, sql, this.url)
    }
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.db.exec(sql)
    } catch (error) {
      throw toDatabaseError(error, sql, this.url)
    }
  }

  async queryScript<Row>(sql: string): Promise<readonly Row[]> {
    try {
      return lastRows(await this.db.exec(sql)) as readonly Row[]
    } catch (error) {
      throw toDatabaseError(error, sql, this.url)
    }
  }

  lostReason(): string | undefined {
    // In-process: the session cannot be lost while the process lives.
    return undefined
  }

  async close(): Promise<void> {
    // The single backend belongs to the driver; it is shut down by PgliteDriver.close().
  }
}
