import type { AlterColumnOp, ColumnChanges } from '../operations/migration-op.ts'
import { quoteQualifiedName } from '../schema/quote-identifier.ts'
import type { ColumnDef, IdentityDef, TableDef } from '../schema/schema-snapshot.ts'
import { typesEquivalent } from './column-type-equivalence.ts'
import { generatedColumnStep } from './compare-generated.ts'
import type { ManualStep } from './compare-result.ts'
import { defaultsEquivalent } from './default-equivalence.ts'
import { alterColumnSql, executeLine } from './manual-step-hints.ts'
import type { ModelObject } from './match-by-name.ts'
import { columnKey } from './object-keys.ts'
import { typeChangeWarning } from './type-change-warning.ts'

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
): ColumnComparison {
  const label = columnKey(table.schema, table.name, model.def.name)
  const changes: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {}
  const warnings: string[] = []
  const m = model.def
  if (!typesEquivalent(m.type, database.type)) {
    changes.type = { to: m.type, from: database.type }
    const warning = typeChangeWarning(label, database.type, m.type)
    if (warning !== undefined) warnings.push(warning)
  }
  if (m.nullable !== database.nullable) {
    changes.nullable = { to: m.nullable, from: database.nullable }
    if (!m.nullable) {
      warnings.push(setNotNullWarning(label))
    }
  }
  const generated = hasGenerator(m) || hasGenerator(database)
  if (!generated && !defaultsEquivalent(model.norm.default, database.default)) {
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
    manual: generatorStep(table, m, database) ?? generatedColumnStep(table, model, database),
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

/** How a column generates its values: identity, serial, or neither. */
type Generator =
  | { readonly kind: 'identity'; readonly identity: IdentityDef }
  | { readonly kind: 'serial' }
  | { readonly kind: 'none'; readonly hasDefault: boolean }

function generatorOf(column: ColumnDef): Generator {
  if (column.identity !== undefined) return { kind: 'identity', identity: column.identity }
  if (column.serial) return { kind: 'serial' }
  return { kind: 'none', hasDefault: column.default !== undefined }
}

/**
 * Sequence options default to 1 (manual, CREATE SEQUENCE, for ascending sequences); bounds, cache
 * and cycle are absent when they are the defaults of the column's type.
 */
function sameGenerator(a: Generator, b: Generator): boolean {
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

function describeGenerator(generator: Generator): string {
  switch (generator.kind) {
    case 'identity': {
      const { always, start, increment, minValue, maxValue, cache, cycle } = generator.identity
      const options = [
        start === undefined ? undefined : `START WITH ${start}`,
        increment === undefined ? undefined : `INCREMENT BY ${increment}`,
        minValue === undefined ? undefined : `MINVALUE ${minValue}`,
        maxValue === undefined ? undefined : `MAXVALUE ${maxValue}`,
        cache === undefined ? undefined : `CACHE ${cache}`,
        cycle === true ? 'CYCLE' : undefined,
      ].filter((o) => o !== undefined)
      return `GENERATED ${always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options.length === 0 ? '' : ` (${options.join(' ')})`}`
    }
    case 'serial':
      return 'serial'
    case 'none':
      return 'neither identity nor serial'
  }
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
): ManualStep | undefined {
  const to = generatorOf(model)
  const from = generatorOf(database)
  if (sameGenerator(from, to)) return undefined
  const label = columnKey(table.schema, table.name, model.name)
  return {
    description: `${label}: the database column is ${describeGenerator(from)}, the models declare ${describeGenerator(to)}; no operation changes how a column generates values, so change it by hand`,
    upgradeHint: generatorHint(table, model.name, from, to),
    downgradeHint: generatorHint(table, model.name, to, from),
  }
}

function generatorHint(table: TableDef, column: string, from: Generator, to: Generator): string {
  const alter = (action: string) =>
    executeLine(alterColumnSql(table.schema, table.name, column, action))
  const sequence = quoteQualifiedName(table.schema, `${table.name}_${column}_seq`)
  const lines: string[] = []
  if (from.kind === 'identity' && to.kind === 'identity') {
    const [a, b] = [from.identity, to.identity]
    if (a.always !== b.always)
      lines.push(alter(`SET GENERATED ${b.always ? 'ALWAYS' : 'BY DEFAULT'}`))
    if ((a.start ?? 1) !== (b.start ?? 1)) lines.push(alter(`SET START WITH ${b.start ?? 1}`))
    if ((a.increment ?? 1) !== (b.increment ?? 1)) {
      lines.push(alter(`SET INCREMENT BY ${b.increment ?? 1}`))
    }
    // SET NO MINVALUE / NO MAXVALUE go back to the defaults of the column's type and direction.
    if (a.minValue !== b.minValue) {
      lines.push(alter(b.minValue === undefined ? 'SET NO MINVALUE' : `SET MINVALUE ${b.minValue}`))
    }
    if (a.maxValue !== b.maxValue) {
      lines.push(alter(b.maxValue === undefined ? 'SET NO MAXVALUE' : `SET MAXVALUE ${b.maxValue}`))
    }
    if ((a.cache ?? 1) !== (b.cache ?? 1)) lines.push(alter(`SET CACHE ${b.cache ?? 1}`))
    if ((a.cycle ?? false) !== (b.cycle ?? false)) {
      lines.push(alter(b.cycle === true ? 'SET CYCLE' : 'SET NO CYCLE'))
    }
    return lines.join('\n')
  }
  if (from.kind === 'identity') lines.push(alter('DROP IDENTITY'))
  if (from.kind === 'serial') {
    lines.push(alter('DROP DEFAULT'), executeLine(`DROP SEQUENCE ${sequence}`))
  }
  if (from.kind === 'none' && from.hasDefault && to.kind !== 'none')
    lines.push(alter('DROP DEFAULT'))
  const qualifiedTable = quoteQualifiedName(table.schema, table.name)
  const quotedColumn = quoteQualifiedName(undefined, column)
  // A new sequence starts at 1; existing rows would collide with its first values.
  const restart = executeLine(
    `SELECT setval(pg_get_serial_sequence(${sqlString(qualifiedTable)}, ${sqlString(column)}), COALESCE(MAX(${quotedColumn}), 0) + 1, false) FROM ${qualifiedTable}`,
  )
  if (to.kind === 'identity') lines.push(alter(`ADD ${describeGenerator(to)}`), restart)
  if (to.kind === 'serial') {
    lines.push(
      executeLine(`CREATE SEQUENCE ${sequence} OWNED BY ${qualifiedTable}.${quotedColumn}`),
      alter(`SET DEFAULT nextval(${sqlString(sequence)})`),
      restart,
    )
  }
  return lines.join('\n')
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}
