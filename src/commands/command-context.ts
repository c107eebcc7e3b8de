import { UsageError } from '../aludel-error.ts'
import type { AludelConfig } from '../config/aludel-config.ts'
import { ConfigError } from '../config/config-errors.ts'
import { type ResolvedConfig, resolveConfig } from '../config/resolved-config.ts'
import type { BorrowedSession } from '../dialect/borrowed-session.ts'
import type { Dialect } from '../dialect/dialect.ts'
import { openDialect } from '../dialect/open-dialect.ts'
import type { SessionPool } from '../dialect/session-pool.ts'
import { MigrationRunner, type RuntimeSettings } from '../runtime/migration-runner.ts'
import type { RunEventListener } from '../runtime/run-events.ts'
import { ScriptDirectory } from '../script/script-directory.ts'

/** A configuration as commands accept it: a plain `defineConfig` object or a loaded one. */
export type ConfigInput = AludelConfig | ResolvedConfig

/** Options every database command accepts. */
export interface CommandOptions {
  /** Receives progress events (lock waits, steps). Library code never prints. */
  readonly onEvent?: RunEventListener
  /**
   * A session the application already holds (a pg `Client` or `Pool`, a PGlite instance, a
   * node:sqlite `DatabaseSync`): commands use it instead of opening their own, and never close it.
   * With PGlite, whose folder only one process may open, and with an in-memory SQLite database,
   * which exists only inside its connection, an application must pass its own.
   */
  readonly connection?: BorrowedSession
  /**
   * Server sessions shared with other commands (the targets of a fleet run): sessions are taken
   * from it and given back reset, instead of opened and closed.
   */
  readonly sessions?: SessionPool
  /**
   * The migrations folder as already read: a fleet run reads it once, so that every target gets
   * the same migrations (and the files are not read and hashed once per target).
   */
  readonly scripts?: ScriptDirectory
}

/** Applies defaults to a configuration given to a command. */
export function configOf(config: ConfigInput): ResolvedConfig {
  return resolveConfig(config)
}

/** The runtime settings a configuration implies. */
export function settingsOf(config: ResolvedConfig): RuntimeSettings {
  return {
    names: {
      schema: config.versionTableSchema,
      versionTable: config.versionTable,
      ledgerTable: `${config.versionTable}_ledger`,
      progressTable: `${config.versionTable}_progress`,
      lockTable: `${config.versionTable}_lock`,
    },
    transactionPerMigration: config.transactionPerMigration,
    lockWaitTimeout: config.lockWaitTimeout,
    lockTimeout: config.lockTimeout,
    statementTimeout: config.statementTimeout,
    lockRetry: config.lockRetry,
    checksums: config.checksums,
  }
}

/**
 * aludel's own tables (version table, ledger, statement progress, lock) as introspection names them
 * (`table`, or `schema.table`): autogenerate, `check`, `pull` and the test kit leave them out.
 */
export function ownTables(config: ResolvedConfig): readonly string[] {
  const { names } = settingsOf(config)
  return [names.versionTable, names.ledgerTable, names.progressTable, names.lockTable].map((t) =>
    names.schema === undefined ? t : `${names.schema}.${t}`,
  )
}

/** The migrations folder named by the configuration: as given in `options`, or read now. */
export function scriptsOf(
  config: ResolvedConfig,
  options: Pick<CommandOptions, 'scripts'> = {},
): ScriptDirectory {
  return options.scripts ?? ScriptDirectory.load(config.migrationsDir)
}

/**
 * What a command does with the database: `read` uses `url`; `migrate` (commands that take the
 * migration lock and change the database) uses `migrationUrl`.
 */
export type DatabasePurpose = 'read' | 'migrate'

/**
 * Opens the configured database for the duration of `body` and closes it afterwards, whatever
 * happens.
 *
 * @throws ConfigError when no database URL is configured
 */
export async function withDatabase<T>(
  config: ResolvedConfig,
  body: (dialect: Dialect) => Promise<T>,
  options: Pick<CommandOptions, 'connection' | 'sessions'> = {},
  purpose: DatabasePurpose = 'read',
): Promise<T> {
  const { connection } = options
  const url = purpose === 'migrate' ? config.migrationUrl : config.url
  if (url === undefined) {
    throw new ConfigError(
      'no database configured: set DATABASE_URL (in the environment or a .env beside aludel.config.ts), set `url` in the config, or pass --url',
      'NO_DATABASE_URL',
    )
  }
  const opened = await openDialect(url, config.root, options.sessions)
  if (
    connection !== undefined &&
    purpose === 'migrate' &&
    opened.adapter.supportsSeparateLockSession
  ) {
    // The lock lives in a transaction of a session of its own; one borrowed session cannot be both.
    throw new UsageError(
      'migrations on a database server open their own sessions (one holds the migration lock while another works); call without `connection`',
      'BORROWED_CONNECTION',
    )
  }
  // A borrowed session replaces the driver; the dialect still supplies the SQL.
  const dialect =
    connection === undefined ? opened : { ...opened, driver: opened.borrow(connection) }
  try {
    return await body(dialect)
  } finally {
    await dialect.driver.close()
  }
}

/** Steps a fleet run's targets send in one round trip at most (see `stepsPerRoundTrip`). */
const FLEET_STEPS_PER_ROUND_TRIP = 32

/** The runtime settings of a command that migrates: a fleet run's target sends steps together. */
export function runSettings(config: ResolvedConfig, options: CommandOptions): RuntimeSettings {
  const settings = settingsOf(config)
  return options.sessions === undefined
    ? settings
    : { ...settings, stepsPerRoundTrip: FLEET_STEPS_PER_ROUND_TRIP }
}

/** Opens the database and builds a runner over the migrations folder. */
export async function withRunner<T>(
  config: ResolvedConfig,
  scripts: ScriptDirectory,
  options: CommandOptions,
  body: (runner: MigrationRunner, dialect: Dialect) => Promise<T>,
  purpose: DatabasePurpose = 'read',
): Promise<T> {
  return withDatabase(
    config,
    (dialect) =>
      body(
        new MigrationRunner(dialect, scripts, runSettings(config, options), options.onEvent),
        dialect,
      ),
    options,
    purpose,
  )
}
