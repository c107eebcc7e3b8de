import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from '../aludel-error.ts'
import { renderModels } from '../autogenerate/render-models.ts'
import { sessionName } from '../runtime/migration-runner.ts'
import { filterSnapshot, schemasOf } from '../schema/schema-filter.ts'
import { type ConfigInput, configOf, ownTables, withDatabase } from './command-context.ts'
import { type LeftOut, leftOutOf } from './pull-left-out.ts'

export type { LeftOut } from './pull-left-out.ts'

/** Options of {@link pull}. */
export interface PullOptions {
  /** Where to write the models module. Default: only return the text. */
  readonly output?: string
  /** Overwrite an existing file. */
  readonly force?: boolean
}

/** What {@link pull} read and wrote. */
export interface PullResult {
  readonly text: string
  readonly path: string | undefined
  readonly tables: number
  readonly enums: number
  /**
   * What the database holds that the models do not describe (privileges, policies, rules, ...),
   * one entry per kind with its count; empty when the models describe everything.
   */
  readonly leftOut: readonly LeftOut[]
}

/**
 * Writes a TypeScript models module describing the database as it is — every table, column,
 * constraint, index and enum, with their exact names — so that a team adopting aludel on a live
 * database starts from a faithful description (then `aludel stamp head` on a first, empty
 * migration). aludel's own tables are left out; the config's `include` filter applies. What the
 * models cannot describe (privileges, row-level security policies, rules, ...) is counted by kind
 * in `leftOut`, never dropped silently.
 *
 * @example await pull(config, { output: 'src/db/schema.ts' })
 */
export async function pull(config: ConfigInput, options: PullOptions = {}): Promise<PullResult> {
  const resolved = configOf(config)
  const path = options.output === undefined ? undefined : resolve(resolved.root, options.output)
  if (path !== undefined && existsSync(path) && !options.force) {
    throw new UsageError(
      `${path} already exists; pass --force to overwrite it, or --output another file`,
      'OUTPUT_EXISTS',
    )
  }
  const own = ownTables(resolved)
  const { snapshot, leftOut } = await withDatabase(resolved, async (dialect) => {
    const connection = await dialect.driver.connect(sessionName('pull'))
    try {
      const read = await dialect.introspector.introspect(connection, { excludeTables: own })
      const census = (await dialect.introspector.census?.(connection, { excludeTables: own })) ?? []
      return {
        snapshot: (await dialect.introspector.sourceText?.(connection, read)) ?? read,
        leftOut: leftOutOf(census, read),
      }
    } finally {
      await connection.close()
    }
  })
  // Every schema is pulled unless the config narrows it.
  const selected = filterSnapshot(snapshot, resolved.include, schemasOf(snapshot))
  const text = renderModels(selected)
  if (path !== undefined) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text, { flag: options.force ? 'w' : 'wx' })
  }
  return { text, path, tables: selected.tables.length, enums: selected.enums.length, leftOut }
}
