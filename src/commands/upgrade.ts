import type { RunResult } from '../runtime/migration-runner.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'

/**
 * Upgrades the database to `target` (default `head`), running each missing migration in order.
 *
 * @example await upgrade(config, 'head')
 * @throws MultipleHeadsError when `head` is ambiguous; MigrationFailedError when a migration fails
 *   (the database keeps the last good step); LockTimeoutError; ChecksumMismatchError
 */
export async function upgrade(
  config: ConfigInput,
  target = 'head',
  options: CommandOptions = {},
): Promise<RunResult> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const map = scripts.map
  return withRunner(resolved, scripts, options, (runner) =>
    runner.run('upgrade', target, (heads) =>
      map.planUpgrade(heads, map.resolve(target, heads), target),
    ),
  )
}
