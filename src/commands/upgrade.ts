import { checkAtHeads } from '../runtime/at-head-check.ts'
import { MigrationRunner, type RunResult } from '../runtime/migration-runner.ts'
import { parseTarget } from '../script/parse-target.ts'
import { ScriptDirectory } from '../script/script-directory.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  runSettings,
  scriptsOf,
  withDatabase,
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
  const started = performance.now()
  const resolved = configOf(config)
  // A malformed target is reported before anything is opened.
  const parsed = parseTarget(target)
  const settings = runSettings(resolved, options)
  // When no file changed since the last full read, "already at head?" needs neither the graph nor
  // the lock: see checkAtHeads. Otherwise the folder is read (and checked) before connecting.
  const allHeads = parsed.kind === 'heads' && parsed.branch === undefined
  const theHead = parsed.kind === 'head' && parsed.branch === undefined && parsed.offset === 0
  const summary =
    allHeads || theHead
      ? (options.scripts?.summary ?? ScriptDirectory.summary(resolved.migrationsDir))
      : undefined
  const shortcut = summary !== undefined && (allHeads || summary.heads.length === 1)
  const scripts = shortcut ? undefined : scriptsOf(resolved, options)
  return withDatabase(
    resolved,
    async (dialect) => {
      if (shortcut) {
        const heads = await checkAtHeads(dialect, settings, summary)
        if (heads !== undefined) {
          return {
            direction: 'upgrade',
            target,
            currentBefore: heads,
            currentAfter: heads,
            steps: [],
            durationMs: performance.now() - started,
          }
        }
      }
      const folder = scripts ?? scriptsOf(resolved, options)
      const map = folder.map
      const runner = new MigrationRunner(dialect, folder, settings, options.onEvent)
      return runner.run('upgrade', target, (heads) =>
        map.planUpgrade(heads, map.resolve(target, heads), target),
      )
    },
    options,
    'migrate',
  )
}
