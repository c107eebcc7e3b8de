import { join, resolve } from 'node:path'
import type { SchemaFilter } from '../schema/schema-filter.ts'
import { parseDuration } from '../util/duration.ts'
import type { AludelConfig } from './aludel-config.ts'
import { ConfigError } from './config-errors.ts'
import { readEnvFile } from './load-env.ts'

/** The configuration with defaults applied and paths made absolute. */
export interface ResolvedConfig {
  readonly root: string
  /** The config file, when one was loaded. */
  readonly configFile: string | undefined
  /** Undefined when neither the config nor DATABASE_URL names a database. */
  readonly url: string | undefined
  /** The URL for commands that change the database; `url` unless `migrationUrl` is set. */
  readonly migrationUrl: string | undefined
  readonly migrationsDir: string
  readonly schemaModule: string | undefined
  readonly versionTable: string
  readonly versionTableSchema: string | undefined
  readonly transactionPerMigration: boolean
  readonly lockWaitTimeout: number
  /** Milliseconds; 0 waits forever. */
  readonly lockTimeout: number
  /** Milliseconds, or undefined to keep the server's setting. */
  readonly statementTimeout: number | undefined
  readonly lockRetry: ResolvedLockRetry
  readonly checksums: 'error' | 'warn' | 'off'
  readonly include: SchemaFilter
  /** Whether autogenerate writes the non-blocking forms; see {@link AludelConfig.safeMigrations}. */
  readonly safeMigrations: boolean
  /** The config's `targets`, unchecked until a command asks for them (`commands/fleet.ts`). */
  readonly targets: AludelConfig['targets']
  /**
   * For a schema target of a fleet run, its schema: the sessions' `search_path`, and where the
   * models' unqualified names live when the database is compared with them. Undefined otherwise
   * (the database's default schema, `public` on PostgreSQL).
   */
  readonly targetSchema?: string
}

/** {@link LockRetryConfig} with its defaults, in milliseconds. */
export interface ResolvedLockRetry {
  readonly attempts: number
  readonly initialDelay: number
  readonly maxDelay: number
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'url',
  'migrationUrl',
  'migrations',
  'schema',
  'versionTable',
  'versionTableSchema',
  'transactionPerMigration',
  'lockWaitTimeout',
  'lockTimeout',
  'statementTimeout',
  'lockRetry',
  'checksums',
  'include',
  'safeMigrations',
  'targets',
  'root',
])

/**
 * Validates a configuration object and fills in defaults.
 *
 * @param options.root folder that relative paths (and a relative `root`) are resolved against
 *   (default: the current folder)
 * @param options.url overrides the config's URL (the `--url` flag)
 * @throws ConfigError naming the bad field
 */
export function resolveConfig(
  config: AludelConfig | ResolvedConfig,
  options: { readonly root?: string; readonly url?: string; readonly configFile?: string } = {},
): ResolvedConfig {
  const where = options.configFile ?? 'the configuration'
  // Checked first: a default export such as 42 or 'pglite:./db' cannot be asked for fields.
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`${where} must export an object (export default defineConfig({...}))`)
  }
  if (isResolved(config)) {
    return options.url === undefined
      ? config
      : { ...config, url: options.url, migrationUrl: options.url }
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) {
      const guess = closestKey(key)
      throw new ConfigError(
        `${where}: unknown option '${key}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}; the options are ${[...KNOWN_KEYS].join(', ')}`,
      )
    }
  }
  const text = (key: keyof AludelConfig): string | undefined => {
    const value = config[key]
    if (value === undefined) return undefined
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError(`${where}: '${key}' must be a non-empty string`)
    }
    return value
  }
  const root = resolve(options.root ?? process.cwd(), text('root') ?? '.')
  const versionTable = text('versionTable') ?? 'aludel_version'
  const transactionPerMigration = config.transactionPerMigration ?? true
  if (typeof transactionPerMigration !== 'boolean') {
    throw new ConfigError(`${where}: 'transactionPerMigration' must be true or false`)
  }
  const lockWaitTimeout = config.lockWaitTimeout ?? 60_000
  if (typeof lockWaitTimeout !== 'number' || !(lockWaitTimeout >= 0)) {
    throw new ConfigError(`${where}: 'lockWaitTimeout' must be a number of milliseconds`)
  }
  const lockTimeout = duration(config.lockTimeout, 'lockTimeout', where) ?? 2000
  const statementTimeout = duration(config.statementTimeout, 'statementTimeout', where)
  const checksums = config.checksums ?? 'error'
  if (checksums !== 'error' && checksums !== 'warn' && checksums !== 'off') {
    throw new ConfigError(`${where}: 'checksums' must be 'error', 'warn' or 'off'`)
  }
  const safeMigrations = config.safeMigrations ?? false
  if (typeof safeMigrations !== 'boolean') {
    throw new ConfigError(`${where}: 'safeMigrations' must be true or false`)
  }
  const schema = text('schema')
  const url = options.url ?? text('url') ?? nonEmpty(process.env.DATABASE_URL)
  if (options.configFile === undefined) warnOfUnreadEnv(url, root)
  return {
    root,
    configFile: options.configFile,
    url,
    migrationUrl: options.url ?? text('migrationUrl') ?? url,
    migrationsDir: resolve(root, text('migrations') ?? './migrations'),
    schemaModule: schema === undefined ? undefined : resolve(root, schema),
    versionTable,
    versionTableSchema: text('versionTableSchema'),
    transactionPerMigration,
    lockWaitTimeout,
    lockTimeout,
    statementTimeout,
    lockRetry: resolveLockRetry(config.lockRetry, where),
    checksums,
    include: validateInclude(config.include, where),
    safeMigrations,
    targets: config.targets,
  }
}

/** A duration field in milliseconds, undefined when absent. */
function duration(value: unknown, key: string, where: string): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new ConfigError(
      `${where}: '${key}' must be a duration such as '2s', '500ms' or a number of milliseconds`,
    )
  }
  return ms
}

function resolveLockRetry(value: unknown, where: string): ResolvedLockRetry {
  if (value === undefined) return DEFAULT_LOCK_RETRY
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `${where}: 'lockRetry' must be an object such as { attempts: 10, initialDelay: '1s', maxDelay: '30s' }`,
    )
  }
  return lockRetryFrom(value as Record<string, unknown>, where, 'lockRetry', DEFAULT_LOCK_RETRY)
}

/**
 * Reads `{ attempts, initialDelay, maxDelay }` over `base`, for the config and for a migration's
 * own `export const lockRetry`.
 *
 * @throws ConfigError naming `field` in `where`
 */
export function lockRetryFrom(
  value: Readonly<Record<string, unknown>>,
  where: string,
  field: string,
  base: ResolvedLockRetry,
): ResolvedLockRetry {
  for (const key of Object.keys(value)) {
    if (!['attempts', 'initialDelay', 'maxDelay'].includes(key)) {
      throw new ConfigError(
        `${where}: unknown option '${field}.${key}'; the options are attempts, initialDelay, maxDelay`,
      )
    }
  }
  const attempts = value.attempts ?? base.attempts
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) {
    throw new ConfigError(`${where}: '${field}.attempts' must be a whole number of at least 1`)
  }
  return {
    attempts,
    initialDelay: duration(value.initialDelay, `${field}.initialDelay`, where) ?? base.initialDelay,
    maxDelay: duration(value.maxDelay, `${field}.maxDelay`, where) ?? base.maxDelay,
  }
}

/** Ten tries, pauses of 1, 2, 4 ... s up to 30 s: about two and a half minutes in all. */
export const DEFAULT_LOCK_RETRY: ResolvedLockRetry = {
  attempts: 10,
  initialDelay: 1000,
  maxDelay: 30_000,
}

function validateInclude(include: unknown, where: string): SchemaFilter {
  if (include === undefined) return {}
  if (typeof include !== 'object' || include === null) {
    throw new ConfigError(`${where}: 'include' must be an object such as { schemas: ['public'] }`)
  }
  const value = include as Record<string, unknown>
  for (const key of Object.keys(value)) {
    if (!['schemas', 'tables', 'excludeTables', 'filter'].includes(key)) {
      throw new ConfigError(
        `${where}: unknown option 'include.${key}'; the options are schemas, tables, excludeTables, filter`,
      )
    }
  }
  const patterns = (key: string) => {
    const list = value[key]
    if (list === undefined) return
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' || p instanceof RegExp)) {
      throw new ConfigError(
        `${where}: 'include.${key}' must be a list of names, globs or regular expressions`,
      )
    }
  }
  patterns('tables')
  patterns('excludeTables')
  if (
    value.schemas !== undefined &&
    (!Array.isArray(value.schemas) || !value.schemas.every((s) => typeof s === 'string'))
  ) {
    throw new ConfigError(`${where}: 'include.schemas' must be a list of schema names`)
  }
  if (value.filter !== undefined && typeof value.filter !== 'function') {
    throw new ConfigError(`${where}: 'include.filter' must be a function (object) => boolean`)
  }
  return include as SchemaFilter
}

/** The known option a misspelt one most likely meant: same letters up to case, or 2 edits away. */
function closestKey(key: string): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const known of KNOWN_KEYS) {
    const distance =
      known.toLowerCase() === key.toLowerCase()
        ? 0
        : editDistance(known.toLowerCase(), key.toLowerCase())
    if (distance < bestDistance) {
      best = known
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance; the strings are option names, so the quadratic table is tiny. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, substitution))
    }
    previous = row
  }
  return previous[b.length]!
}

function isResolved(config: AludelConfig | ResolvedConfig): config is ResolvedConfig {
  return 'migrationsDir' in config
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

let warnedOfUnreadEnv = false

/**
 * A config imported by an application (not loaded by `loadConfig` or the `aludel` command, which
 * read `.env` first) that falls back to the embedded database while `.env` beside it names
 * another: the application would silently use a database the command line never touches. Said
 * once per process, as a Node.js warning.
 */
function warnOfUnreadEnv(url: string | undefined, root: string): void {
  if (warnedOfUnreadEnv || url === undefined || !url.startsWith('pglite:')) return
  if (process.env.DATABASE_URL !== undefined) return
  const named = readEnvFile(join(root, '.env'))?.DATABASE_URL
  if (named === undefined || named === '' || named.startsWith('pglite:')) return
  warnedOfUnreadEnv = true
  process.emitWarning(
    `this process uses the embedded database ${url}, but ${join(root, '.env')} sets DATABASE_URL, which this process never read (the aludel command does); start aludel.config.ts with loadEnv(import.meta.dirname), or load it with loadConfig()`,
    { code: 'ALUDEL_UNREAD_ENV' },
  )
}
