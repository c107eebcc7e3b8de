import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { ConfigError } from './config-errors.ts'

/**
 * Loads the `.env` file in `folder` (a folder, or the `.env` file itself) into `process.env`, if
 * there is one; variables already set win. A config that starts with
 * `loadEnv(import.meta.dirname)` resolves the same `DATABASE_URL` whoever imports it: the `aludel`
 * command, your application, a test.
 *
 * @example
 * import { defineConfig, loadEnv } from 'aludel'
 * loadEnv(import.meta.dirname)
 * export default defineConfig({ url: process.env.DATABASE_URL || 'pglite:./.aludel-data' })
 * @throws ConfigError when the file exists but cannot be read or parsed
 */
export function loadEnv(folder: string): void {
  const path = existsSync(folder) && statSync(folder).isDirectory() ? join(folder, '.env') : folder
  for (const [key, value] of Object.entries(readEnvFile(path) ?? {})) {
    if (process.env[key] === undefined) process.env[key] = value
  }
}

/** The variables of the env file at `path`, or undefined when there is none. */
export function readEnvFile(path: string): Readonly<Record<string, string>> | undefined {
  if (!existsSync(path)) return undefined
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${String(error)}`, 'BAD_ENV_FILE', { cause: error })
  }
}
