import { resolve } from 'node:path'
import type { SchemaFilter } from '../schema/schema-filter.ts'
import type { AludelConfig } from './aludel-config.ts'
import { ConfigError } from './config-errors.ts'

/** The configuration with defaults applied and paths made absolute. */
export interface ResolvedConfig {
  readonly root: string
  /** The config file, when one was loaded. */
  readonly configFile: string | undefined
  /** Undefined when neither the config nor DATABASE_URL names a database. */
  readonly url: string | undefined
  readonly migrationsDir: string
  readonly schemaModule: string | undefined
  readonly versionTable: string
  readonly versionTableSchema: string | undefined
  readonly transactionPerMigration: boolean
  readonly lockWaitTimeout: number
  readonly checksums: 'error' | 'warn' | 'off'
  readonly include: SchemaFilter
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'url',
  'migrations',
  'schema',
  'versionTable',
  'versionTableSchema',
  'transactionPerMigration',
  'lockWaitTimeout',
  'checksums',
  'include',
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
    return options.url === undefined ? config : { ...config, url: options.url }
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
  const checksums = config.checksums ?? 'error'
  if (checksums !== 'error' && checksums !== 'warn' && checksums !== 'off') {
    throw new ConfigError(`${where}: 'checksums' must be 'error', 'warn' or 'off'`)
  }
  const schema = text('schema')
  return {
    root,
    configFile: options.configFile,
    url: options.url ?? text('url') ?? nonEmpty(process.env.DATABASE_URL),
    migrationsDir: resolve(root, text('migrations') ?? './migrations'),
    schemaModule: schema === undefined ? undefined : resolve(root, schema),
    versionTable,
    versionTableSchema: text('versionTableSchema'),
    transactionPerMigration,
    lockWaitTimeout,
    checksums,
    include: validateInclude(config.include, where),
  }
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
