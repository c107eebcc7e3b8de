import type { MigrationOp } from '../operations/migration-op.ts'
import type { ManualStep, SchemaChange } from './compare-result.ts'

/**
 * The phases of a comparison's output, in the order their operations run. Each phase only needs
 * what earlier phases made, and removes nothing a later phase still uses:
 *
 * 1. `createSchema` — everything else may live in a new schema.
 *    1.5. `createExtension` — its types and functions may be used by anything after it (an
 *    extension's own schema must exist first, hence after phase 1).
 * 2. `createEnum`, `addEnumValue` — before the tables and columns that use them.
 *    2.4. `createDomain`, `alterDomain`, `createCompositeType`, what they are made of first.
 *    2.7. `createSequence` (without owner), `alterSequence` — before the defaults that use them.
 * 3. renames (tables, then columns) — so that every later operation uses the new names.
 *    3.5. sequences leave the column that owns them when it or the sequence goes.
 *    3.6-3.9. triggers, views (dependants first) and recreated functions go; functions are
 *    created or replaced, before the defaults that call them (`compare-code-objects.ts`).
 * 4. drop foreign keys that are removed or changed, or that block a later drop (they reference a
 *    key dropped in phase 5, or close a cycle between dropped tables).
 * 5. drop the other removed or changed constraints and indexes — nothing references them now.
 * 6. `createTable`, referenced tables first; foreign keys that close a cycle, or need a key or a
 *    column that phases 7-8 create, wait for phase 9.
 * 7. `addColumn` (in the models' column order), `alterColumn`; then, per table, partitions are
 *    created, or detached and attached again with a new bound (`compare-partitions.ts`).
 *    7.5. sequences get their owner column (`OWNED BY`), which exists now.
 *    7.6. functions whose signature names a new table, and aggregates.
 * 8. create primary keys, unique, check and exclusion constraints, indexes — the columns exist
 *    now.
 * 9. `createForeignKey` — every referenced table, column and key exists now.
 * 10. table comments.
 * 11. `dropColumn` — after the constraints and indexes on them were dropped; `dropPartition`,
 *    before its parent table goes.
 * 12. `dropTable`, referencing tables first.
 *    12.1, 12.2. removed aggregates, then functions, go.
 *    12.4. `dropSequence` — no default uses them any more.
 *    12.5, 12.6. views (what they read first), then triggers, are created.
 *    12.7. `dropCompositeType`, `dropDomain` — users first.
 * 13. `dropEnum` — no column uses them any more.
 *    13.5. `dropExtension` — nothing uses what it brought any more.
 *
 * Within a phase, operations are sorted by schema, table and name (the default schema first), so
 * the output does not depend on the order of the snapshots; table creation and drops keep their
 * dependency order, added columns the models' order, added enum values the order that places them.
 */
export const Phase = {
  createSchema: 1,
  createExtension: 1.5,
  createEnum: 2,
  createType: 2.4,
  createSequence: 2.7,
  rename: 3,
  disownSequence: 3.5,
  dropTrigger: 3.6,
  dropView: 3.7,
  dropRoutine: 3.8,
  createRoutine: 3.9,
  dropForeignKey: 4,
  dropConstraint: 5,
  createTable: 6,
  column: 7,
  ownSequence: 7.5,
  createLateRoutine: 7.6,
  createConstraint: 8,
  createForeignKey: 9,
  comment: 10,
  dropColumn: 11,
  dropTable: 12,
  dropRemovedAggregate: 12.1,
  dropRemovedRoutine: 12.2,
  dropSequence: 12.4,
  createView: 12.5,
  createTrigger: 12.6,
  dropType: 12.7,
  dropEnum: 13,
  dropExtension: 13.5,
} as const

/** One of the {@link Phase} numbers. */
export type Phase = (typeof Phase)[keyof typeof Phase]

/** Sorts operations within a phase: compared element by element, numbers before strings. */
export type SortKey = readonly (string | number)[]

/** An operation with its place in the output. */
export interface PlannedChange {
  readonly phase: Phase
  readonly key: SortKey
  readonly change: SchemaChange
}

/** A manual step with its place among the manual steps. */
export interface PlannedManualStep {
  readonly key: SortKey
  readonly step: ManualStep
}

/** What a part of the comparison found. */
export interface PartialResult {
  readonly changes: readonly PlannedChange[]
  readonly manual: readonly PlannedManualStep[]
}

/** Builds a {@link PlannedChange}; `warnings` are joined into one. */
export function plan(
  phase: Phase,
  key: SortKey,
  op: MigrationOp,
  warnings: readonly (string | undefined)[] = [],
): PlannedChange {
  const present = warnings.filter((w): w is string => w !== undefined)
  return {
    phase,
    key,
    change: { op, warning: present.length === 0 ? undefined : present.join('; ') },
  }
}

/** The changes in execution order: by phase, then key; ties keep the order they were planned in. */
export function orderChanges(changes: readonly PlannedChange[]): readonly SchemaChange[] {
  return changes
    .map((planned, seq) => ({ planned, seq }))
    .sort(
      (a, b) =>
        a.planned.phase - b.planned.phase ||
        compareKeys(a.planned.key, b.planned.key) ||
        a.seq - b.seq,
    )
    .map(({ planned }) => planned.change)
}

/** The manual steps sorted by key; ties keep the order they were planned in. */
export function orderManualSteps(steps: readonly PlannedManualStep[]): readonly ManualStep[] {
  return steps
    .map((planned, seq) => ({ planned, seq }))
    .sort((a, b) => compareKeys(a.planned.key, b.planned.key) || a.seq - b.seq)
    .map(({ planned }) => planned.step)
}

/** Orders keys element by element (numbers before strings, strings by code unit). */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}
