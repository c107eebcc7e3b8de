import type { ColumnGenerator, Comparator } from '../dialect/comparator.ts'
import type { AlterColumnOp, ColumnChanges } from '../operations/migration-op.ts'
import type { ColumnDef, TableDef } from '../schema/schema-snapshot.ts'
import { generatedColumnStep } from './compare-generated.ts'
import type { ManualStep } from './compare-result.ts'
import { executeLine } from './manual-step-hints.ts'
import type { ModelObject } from './match-by-name.ts'
import { columnKey } from './object-keys.ts'

/** What comparing one column found. */
export interface ColumnComparison {
  /** Type, nullability, default and comment changes in one operation; undefined if none. */
  readonly op: AlterColumnOp | undefined
  readonly warnings: readonly string[]
  /** An identity or serial change, which no operation expresses. */
  readonly manual: ManualStep | undefined
}

/**
 * Compares a column present on both sides (after renames). Every changed property carries its
 * database value as `from`, so that `reverse()` can restore it. Defaults are compared only when
 * neither side is an identity or serial column: their values come from a sequence, and the
 * introspector reports no default for them.
 */
export function compareColumn(
  table: TableDef,
  model: ModelObject<ColumnDef>,
  database: ColumnDef,
  comparator: Comparator,
): ColumnComparison {
  const label = columnKey(table.schema, table.name, model.def.name)
  const changes: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {}
  const warnings: string[] = []
  const m = model.def
  if (!comparator.typesEquivalent(m.type, database.type)) {
    changes.type = { to: m.type, from: database.type }
    const warning = comparator.typeChangeWarning(label, database.type, m.type)
    if (warning !== undefined) warnings.push(warning)
  }
  if (m.nullable !== database.nullable) {
    changes.nullable = { to: m.nullable, from: database.nullable }
    if (!m.nullable) {
      warnings.push(setNotNullWarning(label))
    }
  }
  const generated = hasGenerator(model.norm) || hasGenerator(database)
  if (!generated && !comparator.defaultsEquivalent(model.norm.default, database.default)) {
    changes.default = { to: m.default ?? null, from: database.default ?? null }
  }
  const comment = nonEmpty(m.comment)
  const previousComment = nonEmpty(database.comment)
  if (comment !== previousComment) {
    changes.comment = { to: comment ?? null, from: previousComment ?? null }
  }
  if ((m.collation ?? null) !== (database.collation ?? null)) {
    changes.collation = { to: m.collation ?? null, from: database.collation ?? null, type: m.type }
  }
  const op: AlterColumnOp | undefined =
    Object.keys(changes).length === 0
      ? undefined
      : { kind: 'alterColumn', schema: table.schema, table: table.name, column: m.name, changes }
  return {
    op,
    warnings,
    manual:
      generatorStep(table, model.norm, database, comparator) ??
      generatedColumnStep(table, model, database, comparator),
  }
}

/** The warning on a change that sets `label` (a {@link columnKey}) NOT NULL. */
export function setNotNullWarning(label: string): string {
  return `sets ${label} NOT NULL: fails if any row holds NULL; backfill it first`
}

/** PostgreSQL stores an empty comment as no comment (manual, COMMENT). */
export function nonEmpty(comment: string | undefined): string | undefined {
  return comment === '' ? undefined : comment
}

function hasGenerator(column: ColumnDef): boolean {
  return column.identity !== undefined || column.serial
}

function generatorOf(column: ColumnDef): ColumnGenerator {
  if (column.identity !== undefined) return { kind: 'identity', identity: column.identity }
  if (column.serial) return { kind: 'serial' }
  return { kind: 'none', hasDefault: column.default !== undefined }
}

/**
 * Sequence options default to 1 (manual, CREATE SEQUENCE, for ascending sequences); bounds, cache
 * and cycle are absent when they are the defaults of the column's type.
 */
function sameGenerator(a: ColumnGenerator, b: ColumnGenerator): boolean {
  if (a.kind === 'identity' && b.kind === 'identity') {
    return (
      a.identity.always === b.identity.always &&
      (a.identity.start ?? 1) === (b.identity.start ?? 1) &&
      (a.identity.increment ?? 1) === (b.identity.increment ?? 1) &&
      a.identity.minValue === b.identity.minValue &&
      a.identity.maxValue === b.identity.maxValue &&
      (a.identity.cache ?? 1) === (b.identity.cache ?? 1) &&
      (a.identity.cycle ?? false) === (b.identity.cycle ?? false)
    )
  }
  return a.kind === b.kind
}

/**
 * The manual step for a column that becomes or stops being an identity or serial column, or
 * whose identity options change: aludel has no operation for these, and they need care (a new
 * sequence must start after the existing values).
 */
function generatorStep(
  table: TableDef,
  model: ColumnDef,
  database: ColumnDef,
  { hints }: Comparator,
): ManualStep | undefined {
  const to = generatorOf(model)
  const from = generatorOf(database)
  if (sameGenerator(from, to)) return undefined
  const label = columnKey(table.schema, table.name, model.name)
  const column = { schema: table.schema, table: table.name, column: model.name }
  const hint = (a: ColumnGenerator, b: ColumnGenerator) =>
    hints.changeGenerator(column, a, b).map(executeLine).join('\n')
  return {
    description: `${label}: the database column is ${hints.describeGenerator(from)}, the models declare ${hints.describeGenerator(to)}; no operation changes how a column generates values, so change it by hand`,
    upgradeHint: hint(from, to),
    downgradeHint: hint(to, from),
  }
}
