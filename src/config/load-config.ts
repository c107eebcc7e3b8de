import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseEnv } from 'node:util'
import type { AludelConfig } from './aludel-config.ts'
import { ConfigError } from './config-errors.ts'
import { type ResolvedConfig, resolveConfig } from './resolved-config.ts'

/** Names tried in each folder, in order. */
export const CONFIG_FILE_NAMES = [
  'aludel.config.ts',
  'aludel.config.mts',
  'aludel.config.js',
  'aludel.config.mjs',
]

/** Finds the config file by walking up from `start`; undefined when there is none. */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start)
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name)
      if (existsSync(candidate)) return candidate
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/**
 * Loads the configuration the way the `aludel` command does: finds `aludel.config.ts` (or uses
 * `options.configFile`), loads a `.env` beside it into `process.env` without overriding variables
 * that are already set, imports it, validates it and applies defaults.
 *
 * @throws ConfigError when the file is missing, fails to load, or holds a bad value
 */
export async function loadConfig(
  options: { readonly cwd?: string; readonly configFile?: string; readonly url?: string } = {},
): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd())
  const file =
    options.configFile === undefined ? findConfigFile(cwd) : resolve(cwd, options.configFile)
  if (file === undefined) {
    throw new ConfigError(
      `no aludel.config.ts in ${cwd} or any folder above it; run \`aludel init\` to create one, or pass --config PATH`,
      'CONFIG_NOT_FOUND',
    )
  }
  if (!existsSync(file)) {
    throw new ConfigError(`config file ${file} does not exist`, 'CONFIG_NOT_FOUND')
  }
  const root = dirname(file)
  loadDotEnv(join(root, '.env'))
  let module: { default?: unknown }
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown }
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new ConfigError(`cannot load ${file}: ${reason}`, 'CONFIG_LOAD_FAILED', { cause: error })
  }
  if (module.default === undefined) {
    throw new ConfigError(
      `${file} has no default export; end it with export default defineConfig({...})`,
    )
  }
  return resolveConfig(module.default as AludelConfig, {
    root,
    url: options.url,
    configFile: file,
  })
}

/** Loads KEY=value lines into process.env; variables already set win. */
function loadDotEnv(path: string): void {
  if (!existsSync(path)) return
  let parsed: Record<string, string>
  try {
    parsed = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${String(error)}`, 'BAD_ENV_FILE', { cause: error })
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (process.env[key] === undefined) process.env[key] = value
  }
}
