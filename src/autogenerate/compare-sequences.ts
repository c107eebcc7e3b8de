import type { Comparator, HintSql } from '../dialect/comparator.ts'
import type { Change, MigrationOp, SequenceChanges } from '../operations/migration-op.ts'
import type { SchemaSnapshot, SequenceDef, SequenceOwner } from '../schema/schema-snapshot.ts'
import { resolveSequenceNumbers } from '../schema/sequence-numbers.ts'
import type { ManualStep } from './compare-result.ts'
import { executeLine } from './manual-step-hints.ts'
import { tableId, tableKey } from './object-keys.ts'
import {
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'
import type { RenamePlan } from './resolve-renames.ts'

/**
 * Compares sequences of their own. New ones are created before the tables whose defaults draw
 * from them (phase 2.7), vanished ones dropped after every default using them is gone (phase
 * 12.4), changed options altered in place. An owner (`OWNED BY`) is given once its column exists
 * (phase 7.5), and taken away before that column, its table or the sequence goes (phase 3.5):
 * PostgreSQL drops an owned sequence along with its column, so that a drop could not be undone.
 * A change of direction is a manual step (see `directionStep`).
 *
 * @param renames the table and column renames; the database's owners are followed through them
 */
export function compareSequences(
  models: SchemaSnapshot,
  database: SchemaSnapshot,
  renames: Pick<RenamePlan, 'tables' | 'columns'>,
  comparator: Comparator,
): PartialResult {
  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  const existing = new Map(
    database.sequences.map((s) => [
      tableId(s.schema, s.name),
      { ...s, ownedBy: renamedOwner(s, renames) },
    ]),
  )
  const wanted = new Set(models.sequences.map((s) => tableId(s.schema, s.name)))
  const alter = (phase: Phase, s: SequenceDef, sequenceChanges: SequenceChanges) => {
    if (Object.keys(sequenceChanges).length === 0) return
    const op: MigrationOp = {
      kind: 'alterSequence',
      schema: s.schema,
      name: s.name,
      changes: sequenceChanges,
    }
    changes.push(plan(phase, [s.schema ?? '', s.name], op))
  }
  const owner = (from: SequenceOwner | undefined, to: SequenceOwner | undefined) => ({
    ownedBy: { to, from },
  })

  for (const model of models.sequences) {
    const key = [model.schema ?? '', model.name]
    const found = existing.get(tableId(model.schema, model.name))
    if (found === undefined) {
      changes.push(
        plan(Phase.createSequence, key, {
          kind: 'createSequence',
          sequence: { ...model, ownedBy: undefined },
          ifNotExists: false,
        }),
      )
      if (model.ownedBy !== undefined) {
        alter(Phase.ownSequence, model, owner(undefined, model.ownedBy))
      }
      continue
    }
    if (Math.sign(model.increment ?? 1) !== Math.sign(found.increment ?? 1)) {
      manual.push({ key, step: directionStep(model, found, comparator.hints) })
    } else {
      alter(Phase.createSequence, model, optionChanges(model, found))
    }
    if (!sameOwner(model.ownedBy, found.ownedBy)) {
      if (found.ownedBy !== undefined) {
        alter(Phase.disownSequence, model, owner(found.ownedBy, undefined))
      }
      if (model.ownedBy !== undefined) {
        alter(Phase.ownSequence, model, owner(undefined, model.ownedBy))
      }
    }
  }
  for (const found of existing.values()) {
    if (wanted.has(tableId(found.schema, found.name))) continue
    if (found.ownedBy !== undefined) {
      alter(Phase.disownSequence, found, owner(found.ownedBy, undefined))
    }
    changes.push(
      plan(Phase.dropSequence, [found.schema ?? '', found.name], {
        kind: 'dropSequence',
        schema: found.schema,
        name: found.name,
        ifExists: false,
        cascade: false,
        definition: { ...found, ownedBy: undefined },
      }),
    )
  }
  return { changes, manual }
}

/**
 * A sequence that changes direction: PostgreSQL keeps its current value, which the new bounds
 * exclude (an ascending sequence stands at 1 or above, a descending one at -1 or below), so the
 * change needs a RESTART, which forgets the values already drawn — a person's decision.
 */
function directionStep(model: SequenceDef, database: SequenceDef, hints: HintSql): ManualStep {
  const alter = (to: SequenceDef) => executeLine(hints.restartSequence(to))
  return {
    description: `sequence ${tableKey(model.schema, model.name)} counts ${(database.increment ?? 1) > 0 ? 'up' : 'down'} in the database and ${(model.increment ?? 1) > 0 ? 'up' : 'down'} in the models; its current value lies outside the new bounds, so it must be restarted, which forgets the values already drawn: change it by hand`,
    upgradeHint: alter(model),
    downgradeHint: alter(database),
  }
}

/**
 * The options that differ, each with what it was. Bounds and start are compared as PostgreSQL
 * resolves them, so that a change of direction or type, which moves the defaults, resets the
 * default bounds too (`NO MINVALUE`, `NO MAXVALUE`) and states the start it means.
 */
export function optionChanges(model: SequenceDef, database: SequenceDef): SequenceChanges {
  const out: { -readonly [K in keyof SequenceChanges]: SequenceChanges[K] } = {}
  const m = resolveSequenceNumbers(model.dataType, model)
  const d = resolveSequenceNumbers(database.dataType, database)
  const changed = <T>(to: T, from: T): Change<T> | undefined =>
    to === from ? undefined : { to, from }
  const set = <K extends keyof SequenceChanges>(key: K, value: SequenceChanges[K]) => {
    if (value !== undefined) out[key] = value
  }
  set('dataType', changed(model.dataType, database.dataType))
  set('increment', changed(model.increment, database.increment))
  if (m.minValue !== d.minValue) out.minValue = { to: model.minValue, from: database.minValue }
  if (m.maxValue !== d.maxValue) out.maxValue = { to: model.maxValue, from: database.maxValue }
  if (m.start !== d.start) out.start = { to: Number(m.start), from: Number(d.start) }
  set('cache', changed(model.cache, database.cache))
  set('cycle', changed(model.cycle, database.cycle))
  return out
}

function sameOwner(a: SequenceOwner | undefined, b: SequenceOwner | undefined): boolean {
  return a?.table === b?.table && a?.column === b?.column
}

/** The database's owner under the names it will have once the renames ran. */
function renamedOwner(
  sequence: SequenceDef,
  renames: Pick<RenamePlan, 'tables' | 'columns'>,
): SequenceOwner | undefined {
  const owner = sequence.ownedBy
  if (owner === undefined) return undefined
  const table =
    renames.tables.find((r) => r.schema === sequence.schema && r.from === owner.table)?.to ??
    owner.table
  const column =
    renames.columns.find(
      (r) => r.schema === sequence.schema && r.table === table && r.from === owner.column,
    )?.to ?? owner.column
  return { table, column }
}
