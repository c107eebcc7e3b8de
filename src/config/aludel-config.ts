import type { SchemaFilter } from '../schema/schema-filter.ts'

/**
 * What `aludel.config.ts` exports. Every field is optional; paths are relative to `root`.
 *
 * @example
 * import { defineConfig } from 'aludel'
 * export default defineConfig({
 *   url: process.env.DATABASE_URL ?? 'pglite:./.aludel-data',
 *   migrations: './migrations',
 * })
 */
export interface AludelConfig {
  /**
   * The database URL. Default: `process.env.DATABASE_URL`, after loading a `.env` file that sits
   * beside the config — the same variable the application reads.
   */
  readonly url?: string
  /** Folder holding the migration files. Default `./migrations`. */
  readonly migrations?: string
  /**
   * Module exporting the schema models, for autogenerate, `check`, `test` and `pull`: a
   * `defineSchema(...)` model (as `default`, `schema` or the only model exported), or else the
   * tables and enums it exports.
   */
  readonly schema?: string
  /** Which database objects autogenerate and `check` compare; see {@link SchemaFilter}. */
  readonly include?: SchemaFilter
  /** Name of the table that records the applied heads. Default `aludel_version`. */
  readonly versionTable?: string
  /** Schema holding aludel's tables. Default: the connection's current schema. */
  readonly versionTableSchema?: string
  /**
   * Run each migration in its own transaction (true, the default) or the whole run in one
   * (false). Migrations with `transactional = false` always run outside any transaction.
   */
  readonly transactionPerMigration?: boolean
  /** How long to wait for another runner's migration lock, in milliseconds. Default 60000. */
  readonly lockWaitTimeout?: number
  /**
   * What to do when an applied migration's file has changed since it ran: `error` (default)
   * refuses to upgrade, `warn` reports and goes on, `off` does not look.
   */
  readonly checksums?: 'error' | 'warn' | 'off'
  /** Folder that relative paths are resolved against. Default: the config file's folder. */
  readonly root?: string
}

/**
 * Declares the configuration with type checking; returns it unchanged.
 *
 * @example export default defineConfig({ migrations: './db/migrations' })
 */
export function defineConfig(config: AludelConfig): AludelConfig {
  return config
}
