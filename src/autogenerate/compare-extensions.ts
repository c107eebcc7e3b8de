import type { Comparator, HintSql } from '../dialect/comparator.ts'
import type { ExtensionDef, SchemaSnapshot } from '../schema/schema-snapshot.ts'
import type { ManualStep } from './compare-result.ts'
import { executeLine } from './manual-step-hints.ts'
import {
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'

/**
 * Compares extensions by name (an extension is installed once per database, whatever its
 * schema). A new one is created `IF NOT EXISTS` right after the schemas (phase 1.5), before the
 * types, tables and indexes that may use what it brings; one the models no longer declare is
 * dropped last (phase 13.5). A version the models pin and the database does not have, or another
 * schema, is a manual step (`ALTER EXTENSION ... UPDATE TO`, `SET SCHEMA`): updating runs the
 * extension's own scripts, which a reviewer should see.
 */
export function compareExtensions(
  models: SchemaSnapshot,
  database: SchemaSnapshot,
  comparator: Comparator,
): PartialResult {
  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  const installed = new Map(database.extensions.map((e) => [e.name, e]))
  const wanted = new Set(models.extensions.map((e) => e.name))
  for (const model of models.extensions) {
    const existing = installed.get(model.name)
    if (existing === undefined) {
      changes.push(
        plan(Phase.createExtension, [model.name], {
          kind: 'createExtension',
          extension: model,
          ifNotExists: true,
        }),
      )
      continue
    }
    const step = extensionStep(model, existing, comparator.hints)
    if (step !== undefined) manual.push({ key: ['extension', model.name], step })
  }
  for (const existing of database.extensions) {
    if (wanted.has(existing.name)) continue
    changes.push(
      plan(Phase.dropExtension, [existing.name], {
        kind: 'dropExtension',
        name: existing.name,
        ifExists: false,
        cascade: false,
        definition: existing,
      }),
    )
  }
  return { changes, manual }
}

function extensionStep(
  model: ExtensionDef,
  database: ExtensionDef,
  hints: HintSql,
): ManualStep | undefined {
  const differences: string[] = []
  const up: string[] = []
  const down: string[] = []
  if (model.version !== undefined && model.version !== database.version) {
    differences.push(
      `version ${database.version ?? '?'} in the database, ${model.version} in the models`,
    )
    up.push(executeLine(hints.updateExtension(model.name, model.version)))
    down.push(executeLine(hints.updateExtension(model.name, database.version ?? '')))
  }
  if (model.schema !== database.schema) {
    const where = (schema: string | undefined) => schema ?? 'the default schema'
    differences.push(
      `schema ${where(database.schema)} in the database, ${where(model.schema)} in the models`,
    )
    const set = (schema: string | undefined) => executeLine(hints.moveExtension(model.name, schema))
    up.push(set(model.schema))
    down.push(set(database.schema))
  }
  if (differences.length === 0) return undefined
  return {
    description: `extension ${model.name}: ${differences.join('; ')}; update it by hand (its own scripts run, and not every version can go back)`,
    upgradeHint: up.join('\n'),
    downgradeHint: down.join('\n'),
  }
}
