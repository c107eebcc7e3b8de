import type { RunResult } from '../runtime/migration-runner.ts'
import { parseTarget } from '../script/parse-target.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'

/**
 * Downgrades the database to `target` (`-1`, a revision, `base`, `LABEL@base`), undoing every
 * applied migration built on it, newest first. Other branches are left alone.
 *
 * @example await downgrade(config, '-1')
 * @throws InvalidTargetError when the target is not applied; MigrationFailedError
 */
export async function downgrade(
  config: ConfigInput,
  target: string,
  options: CommandOptions = {},
): Promise<RunResult> {
  const resolved = configOf(config)
  // A malformed target is reported before anything is opened.
  parseTarget(target)
  const scripts = scriptsOf(resolved, options)
  const map = scripts.map
  return withRunner(
    resolved,
    scripts,
    options,
    (runner) =>
      runner.run('downgrade', target, (heads) =>
        map.planDowngrade(heads, map.resolve(target, heads), target),
      ),
    'migrate',
  )
}
