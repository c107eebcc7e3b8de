import { mkdir } from 'node:fs/promises'
import { type Connection, type Driver, lastRows, type QueryResult } from '../connection.ts'
import type { DatabaseUrl } from '../database-url.ts'
import { ConnectionError, MissingDriverError } from '../dialect-errors.ts'
import { seedEmptyFolder } from './pglite-empty-cluster.ts'
import { lockPgliteFolder, type PgliteFolderLock } from './pglite-folder-lock.ts'
import { toDatabaseError } from './postgres-errors.ts'

/** The part of PGlite's API that aludel uses. */
export interface PgliteInstance {
  readonly waitReady: Promise<void>
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>
  exec(sql: string): Promise<readonly { rows: unknown[]; fields: unknown[] }[]>
  close(): Promise<void>
}

interface PgliteModule {
  readonly PGlite: {
    new (options: {
      readonly dataDir?: string
      readonly startParams?: readonly string[]
      readonly extensions?: Readonly<Record<string, unknown>>
    }): PgliteInstance
    readonly defaultStartParams?: readonly string[]
  }
}

/**
 * Server settings for the embedded backend. PostgreSQL zeroes its whole buffer pool at start-up,
 * and PGlite's default of 128 MB made that most of every command's start (about 1 s of 1.3 s on a
 * 2-core machine); 8 MB (1,024 pages, the size many small servers run with) starts in a sixth of
 * the time and is plenty for one migration session, whose pages also sit in the operating
 * system's cache. A single-user backend needs few connection slots, whose shared memory is sized
 * and zeroed the same way.
 */
export const PGLITE_SERVER_SETTINGS: readonly string[] = [
  '-c',
  'shared_buffers=8MB',
  '-c',
  'max_connections=5',
]

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
    const defaults = module.PGlite.defaultStartParams
    // Ours come after PGlite's own (single-user mode among them); a PGlite too old to say what its
    // own are starts with them alone.
    const options = {
      ...(defaults === undefined ? {} : { startParams: [...defaults, ...PGLITE_SERVER_SETTINGS] }),
      extensions: await loadContribExtensions(this.url),
    }
    const open = async (folder: string | undefined) => {
      const db = new module.PGlite({ ...options, dataDir: folder })
      await db.waitReady
      return db
    }
    if (this.url.path !== undefined) {
      await mkdir(this.url.path, { recursive: true })
      this.lock = lockPgliteFolder(this.url.path)
    }
    try {
      const seeded =
        this.url.path === undefined
          ? undefined
          : await seedEmptyFolder(
              this.url.path,
              import.meta.resolve('@electric-sql/pglite'),
              (dir) => open(dir).then((db) => db.close()),
            )
      try {
        return await open(this.url.path)
      } catch (error) {
        if (seeded === undefined) throw error
        // The cached cluster did not start: without it, PGlite's initdb makes a new one.
        await seeded.discard()
        return await open(this.url.path)
      }
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

/**
 * The contrib extensions the URL names (`pglite:./dir?extensions=citext,pg_trgm`), as PGlite takes
 * them at start-up. PGlite ships each as a module of its own (`@electric-sql/pglite/contrib/*`)
 * whose files it unpacks when it starts, so only those asked for are loaded: all of them would add
 * about 0.2 s to every command, and a few (pg_stat_statements) write themselves into the folder's
 * `shared_preload_libraries`.
 */
async function loadContribExtensions(url: DatabaseUrl): Promise<Readonly<Record<string, unknown>>> {
  const loaded: Record<string, unknown> = {}
  for (const name of url.extensions) {
    const file = name.replace(/-/g, '_')
    let module: Record<string, unknown>
    try {
      if (!/^[a-z0-9_]+$/.test(file)) throw new Error(`not an extension name: ${name}`)
      module = (await import(`@electric-sql/pglite/contrib/${file}`)) as Record<string, unknown>
    } catch (error) {
      throw new ConnectionError(
        `${url.redacted} asks for the extension '${name}', which this PGlite does not ship (its contrib extensions are in node_modules/@electric-sql/pglite/dist/contrib); remove it from extensions=`,
        'UNKNOWN_EXTENSION',
        { cause: error },
      )
    }
    const extension = Object.values(module).find(
      (value) => typeof value === 'object' && value !== null && 'setup' in value,
    )
    if (extension !== undefined) loaded[file] = extension
  }
  return loaded
}

/** One session on a PGlite instance; the instance belongs to whoever opened it. */
export class PgliteConnection implements Connection {
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
