import { resolve } from 'node:path'
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
  if (isResolved(config)) {
    return options.url === undefined ? config : { ...config, url: options.url }
  }
  const where = options.configFile ?? 'the configuration'
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(`${where} must export an object (export default defineConfig({...}))`)
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new ConfigError(
        `${where}: unknown option '${key}'; the options are ${[...KNOWN_KEYS].join(', ')}`,
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
  }
}

function isResolved(config: AludelConfig | ResolvedConfig): config is ResolvedConfig {
  return 'migrationsDir' in config
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}
