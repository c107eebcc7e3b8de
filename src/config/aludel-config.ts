import type { SchemaFilter } from '../schema/schema-filter.ts'
import type { Duration } from '../util/duration.ts'

/**
 * How a migration statement that hits its lock timeout is retried: the step is rolled back and
 * run again after a pause that doubles each time (with jitter) up to `maxDelay`.
 */
export interface LockRetryConfig {
  /** Tries in all, the first included. Default 10; 1 means no retry. */
  readonly attempts?: number
  /** Pause before the first retry. Default `'1s'`. */
  readonly initialDelay?: Duration
  /** Longest pause between two tries. Default `'30s'`. */
  readonly maxDelay?: Duration
}

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
  /**
   * The database URL for the commands that change the database (`upgrade`, `downgrade`, `stamp`,
   * `rehash`), when it differs from `url`: typically the server's own address where the
   * application goes through a pooler in transaction mode (PgBouncer), which cannot keep the
   * migration lock and session settings with aludel's sessions. Default: `url`. `--url` overrides
   * both.
   */
  readonly migrationUrl?: string
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
   * How long each migration statement may wait for a table lock (PostgreSQL's `lock_timeout`)
   * before it is rolled back and retried. Default `'2s'`: while an `ALTER TABLE` waits for its
   * lock, every later query on that table queues behind it, so the wait bounds how long a
   * migration can stall production traffic. A migration can set its own with
   * `export const lockTimeout = '10s'`; `0` waits forever.
   */
  readonly lockTimeout?: Duration
  /**
   * The longest a migration statement may run (PostgreSQL's `statement_timeout`). Default: the
   * server's own setting. A migration can set its own with `export const statementTimeout`.
   */
  readonly statementTimeout?: Duration
  /** Retries of a statement that hit {@link lockTimeout}; see {@link LockRetryConfig}. */
  readonly lockRetry?: LockRetryConfig
  /**
   * What to do when an applied migration's file has changed since it ran: `error` (default)
   * refuses to upgrade, `warn` reports and goes on, `off` does not look.
   */
  readonly checksums?: 'error' | 'warn' | 'off'
  /**
   * Have `revision --autogenerate` write changes to existing tables in the forms that do not
   * block a live PostgreSQL database: indexes built and dropped `CONCURRENTLY`, foreign keys and
   * checks added `NOT VALID` and validated later, `SET NOT NULL` proven by a validated check,
   * unique constraints adopting a concurrently built index. What must run outside a transaction
   * goes into a second migration file on top of the first. Default false: one file, plain forms.
   */
  readonly safeMigrations?: boolean
  /**
   * The databases (or PostgreSQL schemas) that take the same migrations, for `--target NAME`,
   * `--target 'eu-*'` and `--all-targets`: a list, or a function returning one (typically a query
   * of a tenants table). Commands without those flags use `url` alone.
   */
  readonly targets?:
    | readonly FleetTarget[]
    | (() => readonly FleetTarget[] | Promise<readonly FleetTarget[]>)
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

/** One database, or one schema of a database, among several that take the same migrations. */
export interface FleetTarget {
  /** What `--target` selects it by and reports call it: letters, digits, `.`, `_`, `-`. */
  readonly name: string
  /** Its database URL. Default: the config's `url`. */
  readonly url?: string
  /**
   * Schema per tenant (PostgreSQL): the schema that holds the tenant's tables and aludel's own;
   * migrations run with it as the `search_path`, so models and migrations name no schema.
   */
  readonly schema?: string
}
