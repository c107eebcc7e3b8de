import type { EditedMigration } from '../runtime/runtime-errors.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'

/**
 * Accepts edits to applied migrations by recording their current checksums in the ledger, after a
 * reviewer has confirmed the edit changes nothing that ran (a comment, formatting). Returns what
 * was accepted.
 *
 * @param revisions only these revisions (full or partial ids); default: every edited migration
 */
export async function rehash(
  config: ConfigInput,
  revisions?: readonly string[],
  options: CommandOptions = {},
): Promise<readonly EditedMigration[]> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const ids = revisions?.map((r) => scripts.map.resolveRevision(r))
  return withRunner(resolved, scripts, options, (runner) => runner.rehash(ids), 'migrate')
}
