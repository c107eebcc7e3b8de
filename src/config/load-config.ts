import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { importFailureReason, importProjectModule } from '../util/import-project-module.ts'
import { LONG_ECHO_LIMIT, shortenInput } from '../util/shorten-input.ts'
import type { AludelConfig } from './aludel-config.ts'
import { ConfigError } from './config-errors.ts'
import { loadEnv } from './load-env.ts'
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
    throw new ConfigError(
      `config file ${shortenInput(file, LONG_ECHO_LIMIT)} does not exist; check the path given with --config`,
      'CONFIG_NOT_FOUND',
    )
  }
  if (statSync(file).isDirectory()) {
    const inside = CONFIG_FILE_NAMES.map((name) => join(file, name)).find((f) => existsSync(f))
    throw new ConfigError(
      `config file ${shortenInput(file, LONG_ECHO_LIMIT)} is a folder; give --config the file itself${inside === undefined ? ' (aludel.config.ts or .mts, .js, .mjs)' : `, e.g. --config ${inside}`}`,
      'CONFIG_IS_FOLDER',
    )
  }
  const root = dirname(file)
  loadEnv(root)
  let module: { default?: unknown }
  try {
    module = await importProjectModule(file)
  } catch (error) {
    throw new ConfigError(`cannot load ${loadFailure(file, error)}`, 'CONFIG_LOAD_FAILED', {
      cause: error,
    })
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

/**
 * Why importing the config failed, as `FILE[:LINE]: reason`. A syntax error's message has no
 * position: Node puts `PATH:LINE` on the first line of its stack instead, naming the config or
 * whichever module it imports.
 */
function loadFailure(file: string, error: unknown): string {
  if (!(error instanceof Error)) return `${file}: ${String(error)}`
  // Node names the module that did the import, which for the config file is aludel's own.
  const reason = importFailureReason(error)
  const at = error instanceof SyntaxError ? /^(.+):(\d+)\n/.exec(error.stack ?? '') : null
  const where =
    at === null ? file : at[1] === file ? `${file}:${at[2]}` : `${file}: ${at[1]}:${at[2]}`
  const code = (error as { code?: unknown }).code
  // Node runs TypeScript by erasing types; constructs that need emitting code fail to load.
  const hint =
    code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
      ? '; the config is run with types stripped, so use plain objects and unions instead of enums, namespaces and parameter properties'
      : ''
  return `${where}: ${reason}${hint}`
}
