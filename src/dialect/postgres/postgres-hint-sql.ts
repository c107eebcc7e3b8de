import { describeType } from '../../schema/column-builder.ts'
import type { CompositeTypeDef, SequenceDef } from '../../schema/schema-snapshot.ts'
import { resolveSequenceNumbers } from '../../schema/sequence-numbers.ts'
import type { ColumnGenerator, ColumnRef, EnumColumn, HintSql } from '../comparator.ts'
import { quotePrintedString, quoteQualified as quoteQualifiedName } from './postgres-quoting.ts'
import { typesEquivalent } from './postgres-type-equivalence.ts'

/** The statements PostgreSQL's manual steps suggest (manual, ALTER TABLE, ALTER TYPE, ...). */
export const postgresHintSql: HintSql = {
  describeGenerator,
  changeGenerator,
  changeGeneration: (column, to, from) => {
    // PostgreSQL 13+ can make a generated column ordinary, 17+ replace its expression.
    if (to === undefined) return alterColumnSql(column, 'DROP EXPRESSION')
    if (from !== undefined) return alterColumnSql(column, `SET EXPRESSION AS (${to})`)
    return undefined
  },
  rebuildEnum: (columns, temporary, name) => {
    const newType = quoteQualifiedName(temporary.schema, temporary.name)
    return {
      convert: [
        ...columns.filter((c) => c.hasDefault).map((c) => alterColumnSql(c, 'DROP DEFAULT')),
        ...columns.map((c) => alterColumnSql(c, retypeThroughText(c, newType))),
      ],
      rename: `ALTER TYPE ${newType} RENAME TO ${quoteQualifiedName(undefined, name)}`,
    }
  },
  rebuildDomain: (schema, name, temporary, type) => {
    const newDomain = quoteQualifiedName(schema, temporary)
    return {
      create: `CREATE DOMAIN ${newDomain} AS ${describeType(type)}`,
      convert: 'ALTER TABLE ... ALTER COLUMN ... TYPE <new domain> USING ...',
      replace: [
        `DROP DOMAIN ${quoteQualifiedName(schema, name)}`,
        `ALTER DOMAIN ${newDomain} RENAME TO ${quoteQualifiedName(undefined, name)}`,
      ],
    }
  },
  alterCompositeType,
  restartSequence,
  updateExtension: (name, version) =>
    `ALTER EXTENSION ${quoteQualifiedName(undefined, name)} UPDATE TO '${version}'`,
  moveExtension: (name, schema) =>
    `ALTER EXTENSION ${quoteQualifiedName(undefined, name)} SET SCHEMA ${quoteQualifiedName(undefined, schema ?? 'public')}`,
}

/** `ALTER TABLE <table> ALTER COLUMN <column> <action>`, names quoted where needed. */
function alterColumnSql(column: ColumnRef, action: string): string {
  return `ALTER TABLE ${quoteQualifiedName(column.schema, column.table)} ALTER COLUMN ${quoteQualifiedName(undefined, column.column)} ${action}`
}

/** `TYPE <new> USING <column>::text::<new>`: enum values convert through their labels. */
function retypeThroughText(column: EnumColumn, newType: string): string {
  const quoted = quoteQualifiedName(undefined, column.column)
  const suffix = column.array ? '[]' : ''
  return `TYPE ${newType}${suffix} USING ${quoted}::text${suffix}::${newType}${suffix}`
}

function describeGenerator(generator: ColumnGenerator): string {
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
 * Identity options change in place; otherwise the old generator goes (a serial column's sequence
 * with it) and the new one comes, its sequence moved past the values the column already holds.
 */
function changeGenerator(
  column: ColumnRef,
  from: ColumnGenerator,
  to: ColumnGenerator,
): readonly string[] {
  const alter = (action: string) => alterColumnSql(column, action)
  const sequence = quoteQualifiedName(column.schema, `${column.table}_${column.column}_seq`)
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
    return lines
  }
  if (from.kind === 'identity') lines.push(alter('DROP IDENTITY'))
  if (from.kind === 'serial') lines.push(alter('DROP DEFAULT'), `DROP SEQUENCE ${sequence}`)
  if (from.kind === 'none' && from.hasDefault && to.kind !== 'none')
    lines.push(alter('DROP DEFAULT'))
  const qualifiedTable = quoteQualifiedName(column.schema, column.table)
  const quotedColumn = quoteQualifiedName(undefined, column.column)
  // A new sequence starts at 1; existing rows would collide with its first values.
  const restart = `SELECT setval(pg_get_serial_sequence(${quotePrintedString(qualifiedTable)}, ${quotePrintedString(column.column)}), COALESCE(MAX(${quotedColumn}), 0) + 1, false) FROM ${qualifiedTable}`
  if (to.kind === 'identity') lines.push(alter(`ADD ${describeGenerator(to)}`), restart)
  if (to.kind === 'serial') {
    lines.push(
      `CREATE SEQUENCE ${sequence} OWNED BY ${qualifiedTable}.${quotedColumn}`,
      alter(`SET DEFAULT nextval(${quotePrintedString(sequence)})`),
      restart,
    )
  }
  return lines
}

/**
 * `ALTER TYPE ... DROP / ADD / ALTER ATTRIBUTE`, one statement each: PostgreSQL cannot move an
 * attribute, so the order follows the statements.
 */
function alterCompositeType(from: CompositeTypeDef, to: CompositeTypeDef): readonly string[] {
  const name = quoteQualifiedName(to.schema, to.name)
  return [
    ...from.attributes
      .filter((a) => !to.attributes.some((b) => b.name === a.name))
      .map((a) => `DROP ATTRIBUTE ${quoteQualifiedName(undefined, a.name)}`),
    ...to.attributes.flatMap((b) => {
      const a = from.attributes.find((x) => x.name === b.name)
      if (a === undefined) {
        return [`ADD ATTRIBUTE ${quoteQualifiedName(undefined, b.name)} ${describeType(b.type)}`]
      }
      return typesEquivalent(a.type, b.type)
        ? []
        : [`ALTER ATTRIBUTE ${quoteQualifiedName(undefined, b.name)} TYPE ${describeType(b.type)}`]
    }),
  ].map((action) => `ALTER TYPE ${name} ${action}`)
}

/**
 * Every option spelled out, bounds reset to the type's defaults where `to` has none, and a
 * RESTART: PostgreSQL keeps a sequence's current value across ALTER SEQUENCE otherwise.
 */
function restartSequence(to: SequenceDef): string {
  const r = resolveSequenceNumbers(to.dataType, to)
  return [
    `ALTER SEQUENCE ${quoteQualifiedName(to.schema, to.name)} AS ${to.dataType ?? 'bigint'} INCREMENT BY ${r.increment}`,
    to.minValue === undefined ? 'NO MINVALUE' : `MINVALUE ${to.minValue}`,
    to.maxValue === undefined ? 'NO MAXVALUE' : `MAXVALUE ${to.maxValue}`,
    `START WITH ${r.start} RESTART`,
  ].join(' ')
}
