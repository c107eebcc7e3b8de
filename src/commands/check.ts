import type { CompareResult } from '../autogenerate/compare-result.ts'
import { describeResult } from '../autogenerate/describe-change.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withDatabase,
} from './command-context.ts'
import { diffDatabase } from './diff-database.ts'
import { loadModels } from './load-models.ts'

/** What `check` found. */
export interface CheckResult {
  /** True when the models and the database agree. */
  readonly clean: boolean
  /** One line per difference (what the next migration would have to do). */
  readonly differences: readonly string[]
  readonly result: CompareResult
}

/**
 * Compares the models with the database (which must be at head) — the CI guard against "changed
 * the models, forgot the migration". Returns the differences; the CLI exits 1 when there are any.
 *
 * @example
 * const { clean, differences } = await checkModels(config)
 */
export async function checkModels(
  config: ConfigInput,
  options: Pick<CommandOptions, 'sessions' | 'scripts'> = {},
): Promise<CheckResult> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved, options)
  const models = await loadModels(resolved)
  const diff = await withDatabase(
    resolved,
    (dialect) => diffDatabase(resolved, dialect, models, { scripts, command: 'check' }),
    options,
  )
  const differences = describeResult(diff.result)
  return { clean: differences.length === 0, differences, result: diff.result }
}
