import type { EditedMigration } from '../runtime/runtime-errors.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'
import { type RevisionInfo, revisionInfo } from './revision-info.ts'

/** Where the database stands relative to the migrations. */
export interface CurrentResult {
  /** The version table's rows that a migration file defines. */
  readonly heads: readonly RevisionInfo[]
  /** Version-table rows that no migration file defines (newer code, or another branch). */
  readonly unknown: readonly string[]
  /** Every migration is applied and nothing unknown is recorded. */
  readonly atHead: boolean
  /** Migrations not applied yet, in the order an upgrade would run them. */
  readonly pending: readonly string[]
  /** Applied migrations whose files changed after they ran. */
  readonly edited: readonly EditedMigration[]
  /** The heads of the migrations folder: where `upgrade heads` would take the database. */
  readonly migrationHeads: readonly string[]
}

/**
 * Reads the database's current revision(s) — one query, no lock — and compares them with the
 * migrations folder.
 *
 * @example const { atHead, pending } = await current(config)
 */
export async function current(
  config: ConfigInput,
  options: CommandOptions = {},
): Promise<CurrentResult> {
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const map = scripts.map
  return withRunner(resolved, scripts, options, async (runner) => {
    const state = await runner.readState()
    const known = state.heads.filter((h) => map.nodes.has(h))
    const unknown = state.heads.filter((h) => !map.nodes.has(h))
    const applied = map.appliedSet(known)
    const pending = map.order.filter((r) => !applied.has(r))
    return {
      heads: known.map((h) => revisionInfo(map, h)),
      unknown,
      atHead: unknown.length === 0 && pending.length === 0,
      pending,
      edited: unknown.length === 0 ? runner.editedMigrations(state) : [],
      migrationHeads: map.heads,
    }
  })
}
