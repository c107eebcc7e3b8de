import { fileURLToPath } from 'node:url'
import { loadConfig, type ResolvedConfig } from 'aludel'
import { type DatabaseLocation, locateDatabase } from './db/database.ts'

/** The aludel config this service is migrated with, next to package.json. */
export const CONFIG_FILE = fileURLToPath(new URL('../aludel.config.ts', import.meta.url))

/** What the server needs to start. */
export interface Settings {
  /** The same config `aludel upgrade` uses: the start-up and health checks compare against it. */
  readonly aludel: ResolvedConfig
  readonly database: DatabaseLocation
  readonly host: string
  readonly port: number
}

/**
 * Reads the settings. The database comes from aludel.config.ts through aludel's own
 * `loadConfig()`, which loads the `.env` beside it first (variables already set in the
 * environment win), exactly as the `aludel` command does: one DATABASE_URL, one resolution of
 * relative PGlite and SQLite paths, for the migrations and the application alike.
 *
 * @param overrides.url use this database instead (the `--url` of the aludel command)
 */
export async function loadSettings(overrides: { readonly url?: string } = {}): Promise<Settings> {
  const aludel = await loadConfig({ configFile: CONFIG_FILE, url: overrides.url })
  if (aludel.url === undefined) throw new Error('aludel.config.ts names no database')
  const port = Number(process.env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number, not '${process.env.PORT}'`)
  }
  return {
    aludel,
    database: locateDatabase(aludel.url, aludel.root),
    // Loopback by default: a development server should not be reachable from the network by
    // accident. Containers set HOST=0.0.0.0.
    host: process.env.HOST ?? '127.0.0.1',
    port,
  }
}
