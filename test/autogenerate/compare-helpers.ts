import { expect } from 'vitest'
import type { CompareResult } from '../../src/autogenerate/compare-result.ts'
import {
  type CompareInput,
  type CompareOptions,
  compareSchemas as compareWith,
} from '../../src/autogenerate/compare-schemas.ts'
import { postgresComparator } from '../../src/dialect/postgres/postgres-comparator.ts'
import type { MigrationOp, MigrationOpKind } from '../../src/operations/migration-op.ts'
import { IrreversibleOperationError } from '../../src/operations/operation-errors.ts'
import { reverse, reverseAll } from '../../src/operations/reverse.ts'
import { applyOps } from './apply-ops.ts'

/** {@link CompareOptions} without the comparator: the tests compare by PostgreSQL's rules. */
export type PostgresCompareOptions = Omit<CompareOptions, 'comparator'>

/** `compareSchemas` with the comparator of the PostgreSQL and PGlite dialects. */
export function compareSchemas(
  input: CompareInput,
  options: PostgresCompareOptions = {},
): CompareResult {
  return compareWith(input, { ...options, comparator: postgresComparator })
}

/** The operations of a result, in order. */
export function opsOf(result: CompareResult): readonly MigrationOp[] {
  return result.changes.map((c) => c.op)
}

/** The operation kinds of a result, in order. */
export function kindsOf(result: CompareResult): readonly MigrationOpKind[] {
  return result.changes.map((c) => c.op.kind)
}

/** The only operation of a kind; fails when there is not exactly one. */
export function onlyOp<K extends MigrationOpKind>(
  result: CompareResult,
  kind: K,
): Extract<MigrationOp, { kind: K }> {
  const found = opsOf(result).filter((op) => op.kind === kind)
  expect(found, `exactly one ${kind} in ${JSON.stringify(kindsOf(result))}`).toHaveLength(1)
  return found[0] as Extract<MigrationOp, { kind: K }>
}

/** The warning of the only operation of a kind. */
export function warningOf(result: CompareResult, kind: MigrationOpKind): string | undefined {
  const found = result.changes.filter((c) => c.op.kind === kind)
  expect(found).toHaveLength(1)
  return found[0]!.warning
}

/**
 * Compares and checks the invariants every result must keep:
 *
 * - every operation reverses (`reverse()` does not throw), except `addEnumValue` (PostgreSQL
 *   cannot remove an enum value) and constraints created without a name, for which a manual step
 *   says so; without those, `reverseAll(ops)` is the whole downgrade;
 * - the upgrade applies to the database (simulated, with PostgreSQL's dependency rules) and the
 *   result compares equal to the models: no changes left;
 * - the downgrade applies to the upgraded database and brings back the original: no changes left.
 *
 * Returns the result for the test's own assertions.
 */
export function compareChecked(
  input: CompareInput,
  options: PostgresCompareOptions = {},
): CompareResult {
  const result = compareSchemas(input, options)
  const ops = opsOf(result)
  const reversible = ops.filter((op) => op.kind !== 'addEnumValue' && !unnamedCreate(op))
  for (const op of ops) {
    if (reversible.includes(op)) {
      expect(() => reverse(op), `reverse(${op.kind})`).not.toThrow()
    } else {
      expect(() => reverse(op)).toThrow(IrreversibleOperationError)
      if (op.kind !== 'addEnumValue') expect(result.manual.length).toBeGreaterThan(0)
    }
  }
  if (reversible.length === ops.length) expect(() => reverseAll(ops)).not.toThrow()

  const upgraded = applyOps(input.database, ops)
  const again = compareSchemas({ ...input, database: upgraded }, options)
  expect(kindsOf(again), 'changes left after the upgrade').toEqual([])

  if (reversible.length === ops.length) {
    // Schemas are never dropped, so the downgrade may use every schema the upgrade started with.
    const schemas = input.database.tables.flatMap((t) => (t.schema === undefined ? [] : [t.schema]))
    const downgraded = applyOps(upgraded, reverseAll(ops), schemas)
    const back = compareSchemas({ models: input.database, database: downgraded })
    expect(kindsOf(back), 'changes left after the downgrade').toEqual([])
    expect(back.manual).toEqual([])
  }
  return result
}

function unnamedCreate(op: MigrationOp): boolean {
  switch (op.kind) {
    case 'createForeignKey':
      return op.foreignKey.name === undefined
    case 'createUniqueConstraint':
      return op.unique.name === undefined
    case 'createCheckConstraint':
      return op.check.name === undefined
    case 'createPrimaryKey':
      return op.primaryKey.name === undefined
    default:
      return false
  }
}

/** A deterministic shuffle (a seeded linear congruential generator), for order-independence tests. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
