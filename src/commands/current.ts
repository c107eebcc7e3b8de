import type { EditedMigration, UnrecordedRevision } from '../runtime/runtime-errors.ts'
import {
  type CommandOptions,
  type ConfigInput,
  configOf,
  scriptsOf,
  withRunner,
} from './command-context.ts'
import { type RevisionInfo, revisionInfo } from './revision-info.ts'

/** A `transactional = false` step that stopped partway. */
export interface InterruptedStep {
  readonly revision: string
  readonly direction: 'upgrade' | 'downgrade'
  readonly file: string | undefined
  /** The statements it applied (shortened), in order. */
  readonly statements: readonly string[]
}

/** Where the database stands relative to the migrations. */
export interface CurrentResult {
  /** The database's revisions (the version table's rows) that a migration file defines. */
  readonly current: readonly RevisionInfo[]
  /** Version-table rows that no migration file defines (newer code, or another branch). */
  readonly unknown: readonly string[]
  /** Every migration is applied and nothing unknown is recorded. */
  readonly atHead: boolean
  /** Migrations not applied yet, in the order an upgrade would run them. */
  readonly pending: readonly string[]
  /** Applied migrations whose files changed after they ran. */
  readonly edited: readonly EditedMigration[]
  /**
   * Migrations the version table implies are applied but the ledger says never ran as placed now
   * (inserted between applied ones, or an applied revision's id or parents edited).
   */
  readonly unrecorded: readonly UnrecordedRevision[]
  /** Non-transactional steps that were interrupted, with the statements they applied. */
  readonly interrupted: readonly InterruptedStep[]
  /** The heads of the migrations: where `upgrade heads` would take the database. */
  readonly heads: readonly string[]
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
  const scripts = scriptsOf(resolved, options)
  const map = scripts.map
  return withRunner(resolved, scripts, options, async (runner) => {
    const state = await runner.readState()
    const known = state.heads.filter((h) => map.nodes.has(h))
    const unknown = state.heads.filter((h) => !map.nodes.has(h))
    const applied = map.appliedSet(known)
    const pending = map.order.filter((r) => !applied.has(r))
    const unrecorded = unknown.length === 0 ? runner.unrecordedMigrations(state) : []
    const interrupted = new Map<string, InterruptedStep>()
    for (const p of state.progress) {
      const key = `${p.direction} ${p.revision}`
      const entry = interrupted.get(key) ?? {
        revision: p.revision,
        direction: p.direction,
        file: map.nodes.get(p.revision)?.source,
        statements: [],
      }
      interrupted.set(key, { ...entry, statements: [...entry.statements, p.statement] })
    }
    return {
      current: known.map((h) => revisionInfo(map, h)),
      unknown,
      atHead:
        unknown.length === 0 &&
        pending.length === 0 &&
        unrecorded.length === 0 &&
        interrupted.size === 0,
      pending,
      edited: unknown.length === 0 ? runner.editedMigrations(state) : [],
      unrecorded,
      interrupted: [...interrupted.values()],
      heads: map.heads,
    }
  })
}
