import type { CompareResult, RenameAnswers } from '../autogenerate/compare-result.ts'
import { compareSchemas } from '../autogenerate/compare-schemas.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Comparator } from '../dialect/comparator.ts'
import type { Connection } from '../dialect/connection.ts'
import type { Dialect, IntrospectOptions } from '../dialect/dialect.ts'
import { sessionName } from '../runtime/migration-runner.ts'
import { VersionStore } from '../runtime/version-store.ts'
import { filterSnapshot, schemasOf } from '../schema/schema-filter.ts'
import type { SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { ScriptDirectory } from '../script/script-directory.ts'
import { NotAtHeadError } from './assert-at-head.ts'
import { ownTables, settingsOf } from './command-context.ts'
import { upgradeCommand } from './upgrade-advice.ts'

/** The two sides of a comparison, ready to be compared again with other rename answers. */
export interface SchemaDiff {
  readonly models: SchemaSnapshot
  readonly normalizedModels: SchemaSnapshot
  readonly database: SchemaSnapshot
  /** The dialect's rules the comparison followed, to follow again. */
  readonly comparator: Comparator
  readonly result: CompareResult
}

/**
 * Compares the models with the database: reads the database (aludel's own tables left out), puts
 * the models' expressions in the database's spelling, applies the config's `include` filter to
 * both sides, and compares.
 *
 * @param scripts when given, the database must be at the migrations' head first — autogenerate
 *   describes what the *next* migration must do, which only makes sense from head
 */
export async function diffDatabase(
  config: ResolvedConfig,
  dialect: Dialect,
  models: SchemaSnapshot,
  options: {
    readonly scripts?: ScriptDirectory
    readonly renames?: RenameAnswers
    readonly command: string
  },
): Promise<SchemaDiff> {
  const connection = await dialect.driver.connect(sessionName(options.command))
  try {
    if (options.scripts !== undefined)
      await requireHead(dialect, config, connection, options.scripts)
    return await compareWithDatabase(config, dialect, connection, models, options.renames)
  } finally {
    await connection.close()
  }
}

/** The comparison itself, on an open session (the test kit uses its scratch database's). */
export async function compareWithDatabase(
  config: ResolvedConfig,
  dialect: Dialect,
  connection: Connection,
  models: SchemaSnapshot,
  renames?: RenameAnswers,
): Promise<SchemaDiff> {
  // Only the schemas the models use (and the default one) unless the config says otherwise, so
  // that a schema the models never mention is never proposed for emptying.
  const schemas = schemasOf(models)
  schemas.add(undefined)
  const selectedModels = filterSnapshot(models, config.include, schemas)
  const introspected = filterSnapshot(
    await dialect.introspector.introspect(connection, introspectOptions(config, models)),
    config.include,
    schemas,
  )
  // PostgreSQL's printed form of an expression is not always a fixed point of parse-and-print:
  // `status IN ('a')` on a varchar column prints as `(status)::text = ANY ((ARRAY[...])::text[])`,
  // which prints differently once parsed again. Both sides are therefore taken to the same depth:
  // the database's text (printed once already) through one more round, the models' through two.
  const normalizedModels = await dialect.introspector.normalize(
    connection,
    await dialect.introspector.normalize(connection, selectedModels),
  )
  const database = await dialect.introspector.normalize(connection, introspected)
  const comparator = dialect.comparator
  const result = compareSchemas(
    { models: selectedModels, normalizedModels, database },
    {
      comparator,
      ...(renames === undefined ? {} : { renames }),
      ...(config.targetSchema === undefined ? {} : { defaultSchema: config.targetSchema }),
    },
  )
  return { models: selectedModels, normalizedModels, database, comparator, result }
}

/**
 * What to read of the database: all of it but aludel's tables; for a schema target, its schema
 * (as the default one: the models name its tables unqualified) and the schemas the models name,
 * never the other tenants'.
 */
export function introspectOptions(
  config: ResolvedConfig,
  models?: SchemaSnapshot,
): IntrospectOptions {
  const excludeTables = ownTables(config)
  const home = config.targetSchema
  if (home === undefined) return { excludeTables }
  const named = [...(models === undefined ? [] : schemasOf(models))].filter(
    (s): s is string => s !== undefined,
  )
  return { excludeTables, defaultSchema: home, schemas: [...new Set([home, ...named])] }
}

async function requireHead(
  dialect: Dialect,
  config: ResolvedConfig,
  connection: Connection,
  scripts: ScriptDirectory,
): Promise<void> {
  const state = await new VersionStore(dialect, settingsOf(config).names).read(connection)
  const map = scripts.map
  const unknown = state.heads.filter((h) => !map.nodes.has(h))
  const pending =
    unknown.length > 0 ? [] : map.order.filter((r) => !map.appliedSet(state.heads).has(r))
  if (unknown.length > 0 || pending.length > 0) {
    const at = state.heads.length === 0 ? 'base' : state.heads.join(', ')
    throw new NotAtHeadError(
      unknown.length > 0
        ? `the database is at ${at}, which this code's migrations do not contain; autogenerate compares against a database at head`
        : `the database is at ${at}, not at head (${pending.length} migration${pending.length === 1 ? '' : 's'} pending); run \`${upgradeCommand(map.heads)}\` first, so the comparison starts from the latest migration`,
      unknown.length > 0 ? 'unknown-revision' : 'behind',
      state.heads,
      pending,
    )
  }
}
