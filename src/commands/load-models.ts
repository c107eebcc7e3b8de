import { existsSync } from 'node:fs'
import { UsageError } from '../aludel-error.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import { defineSchema } from '../schema/define-schema.ts'
import type { SchemaSnapshot } from '../schema/schema-snapshot.ts'
import { importFailureReason, importProjectModule } from '../util/import-project-module.ts'

/** Something that makes a snapshot: a `defineSchema(...)` model, from this or another copy of aludel. */
interface ModelLike {
  snapshot(): SchemaSnapshot
}

/**
 * Imports the models module named by `config.schema` and returns its snapshot. The module may
 * export a `defineSchema(...)` model (as `default`, `schema`, or the only model it exports), or
 * just tables and enums, which are collected as if passed to `defineSchema`.
 *
 * @throws UsageError when no module is configured, it does not load, or it exports no tables
 */
export async function loadModels(config: ResolvedConfig): Promise<SchemaSnapshot> {
  const file = config.schemaModule
  if (file === undefined) {
    throw new UsageError(
      "no models configured: set `schema: './src/db/schema.ts'` in aludel.config.ts to the module that exports your tables",
      'NO_MODELS',
    )
  }
  if (!existsSync(file)) {
    throw new UsageError(
      `the models module ${file} (\`schema\` in the config) does not exist; fix the path, or remove \`schema\` if the project has no models`,
      'BAD_MODELS',
    )
  }
  let module: Record<string, unknown>
  try {
    module = await importProjectModule(file)
  } catch (error) {
    const reason = importFailureReason(error)
    throw new UsageError(`cannot load the models module ${file}: ${reason}`, 'BAD_MODELS', {
      cause: error,
    })
  }
  const models = Object.entries(module).filter(([, value]) => isModel(value))
  const chosen =
    (isModel(module.default) ? module.default : undefined) ??
    (isModel(module.schema) ? module.schema : undefined) ??
    (models.length === 1 ? (models[0]![1] as ModelLike) : undefined)
  if (chosen === undefined && models.length > 1) {
    throw new UsageError(
      `${file} exports several schema models (${models.map(([name]) => name).join(', ')}); export the one to compare as \`schema\` or as the default export`,
      'AMBIGUOUS_MODELS',
    )
  }
  const snapshot = (chosen ?? defineSchema(module)).snapshot()
  const objects = [
    ...snapshot.sequences,
    ...snapshot.domains,
    ...snapshot.compositeTypes,
    ...snapshot.extensions,
  ]
  if (snapshot.tables.length === 0 && snapshot.enums.length === 0 && objects.length === 0) {
    throw new UsageError(
      `${file} exports no tables or enums; export them (export const users = table(...)) or a defineSchema(...) model`,
      'EMPTY_MODELS',
    )
  }
  return snapshot
}

function isModel(value: unknown): value is ModelLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { snapshot?: unknown }).snapshot === 'function' &&
    Array.isArray((value as { tables?: unknown }).tables)
  )
}
