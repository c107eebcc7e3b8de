/**
 * PostgreSQL DDL for sequences, domains, composite types and extensions (manual: CREATE
 * SEQUENCE, ALTER SEQUENCE, CREATE DOMAIN, ALTER DOMAIN, CREATE TYPE, CREATE EXTENSION).
 */
import {
  assertNever,
  type DomainChanges,
  type SchemaObjectOp,
  type SequenceChanges,
} from '../../operations/migration-op.ts'
import type { SequenceDef, SequenceOwner } from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { checkClause, INDENT, words } from './postgres-ddl-fragments.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './postgres-quoting.ts'
import type { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** The statements that carry out an operation on a sequence, domain, composite type or extension. */
export function schemaObjectDdl(op: SchemaObjectOp, types: PostgresTypeMapper): readonly string[] {
  switch (op.kind) {
    case 'createSequence': {
      const s = op.sequence
      return [
        words(
          'CREATE SEQUENCE',
          op.ifNotExists && 'IF NOT EXISTS',
          quoteQualified(s.schema, s.name),
          ...sequenceOptions(s, s.ownedBy),
        ),
      ]
    }
    case 'dropSequence':
      return [drop('SEQUENCE', op)]
    case 'alterSequence': {
      const options = sequenceChanges(op.schema, op.changes)
      if (options.length === 0) return []
      return [words(`ALTER SEQUENCE ${quoteQualified(op.schema, op.name)}`, ...options)]
    }
    case 'renameSequence':
      return [
        `ALTER SEQUENCE ${quoteQualified(op.schema, op.from)} RENAME TO ${quoteIdentifier(op.to)}`,
      ]
    case 'createDomain': {
      const d = op.domain
      return [
        words(
          `CREATE DOMAIN ${quoteQualified(d.schema, d.name)} AS ${types.sqlType(d.type)}`,
          d.default !== undefined && `DEFAULT ${types.sqlDefault(d.default, d.type)}`,
          d.notNull && 'NOT NULL',
          ...d.checks.map(checkClause),
        ),
      ]
    }
    case 'dropDomain':
      return [drop('DOMAIN', op)]
    case 'alterDomain':
      return domainChanges(quoteQualified(op.schema, op.name), op.changes, types)
    case 'createCompositeType': {
      const t = op.type
      const name = quoteQualified(t.schema, t.name)
      if (t.attributes.length === 0) {
        throw new InvalidOperationError(`composite type ${name} has no attributes; give it one`)
      }
      const attributes = t.attributes.map(
        (a) => `${INDENT}${quoteIdentifier(a.name)} ${types.sqlType(a.type)}`,
      )
      return [`CREATE TYPE ${name} AS (\n${attributes.join(',\n')}\n)`]
    }
    case 'dropCompositeType':
      return [drop('TYPE', op)]
    case 'createExtension': {
      const e = op.extension
      // Without SCHEMA, an extension goes to the first schema of the search path, or to the
      // schema its control file fixes (manual, CREATE EXTENSION).
      return [
        words(
          'CREATE EXTENSION',
          op.ifNotExists && 'IF NOT EXISTS',
          quoteIdentifier(e.name),
          e.schema !== undefined && `SCHEMA ${quoteIdentifier(e.schema)}`,
          e.version !== undefined && `VERSION ${quoteString(e.version)}`,
        ),
      ]
    }
    case 'renameType':
      // ALTER TYPE renames domains as well as enums and composite types.
      return [
        `ALTER TYPE ${quoteQualified(op.schema, op.from)} RENAME TO ${quoteIdentifier(op.to)}`,
      ]
    case 'alterCompositeType': {
      const actions = [
        ...op.dropAttributes.map((a) => `DROP ATTRIBUTE ${quoteIdentifier(a.name)}`),
        ...op.addAttributes.map(
          (a) => `ADD ATTRIBUTE ${quoteIdentifier(a.name)} ${types.sqlType(a.type)}`,
        ),
      ]
      if (actions.length === 0) return []
      // One statement: the type is altered once, and its columns are checked once.
      return [`ALTER TYPE ${quoteQualified(op.schema, op.name)} ${actions.join(', ')}`]
    }
    case 'dropExtension':
      return [
        words(
          'DROP EXTENSION',
          op.ifExists && 'IF EXISTS',
          quoteIdentifier(op.name),
          op.cascade && 'CASCADE',
        ),
      ]
    default:
      return assertNever(op)
  }
}

/** `DROP <what> [IF EXISTS] s.name [CASCADE]`. */
function drop(
  what: string,
  op: {
    readonly schema: string | undefined
    readonly name: string
    readonly ifExists: boolean
    readonly cascade: boolean
  },
): string {
  return words(
    `DROP ${what}`,
    op.ifExists && 'IF EXISTS',
    quoteQualified(op.schema, op.name),
    op.cascade && 'CASCADE',
  )
}

/** The options of CREATE SEQUENCE that differ from the defaults, in the manual's order. */
function sequenceOptions(s: SequenceDef, ownedBy: SequenceOwner | undefined): readonly string[] {
  const where = `sequence ${quoteQualified(s.schema, s.name)}`
  return [
    ...(s.dataType === undefined ? [] : [`AS ${s.dataType}`]),
    ...(s.increment === undefined ? [] : [`INCREMENT BY ${whole(s.increment, where)}`]),
    ...(s.minValue === undefined ? [] : [`MINVALUE ${whole(s.minValue, where)}`]),
    ...(s.maxValue === undefined ? [] : [`MAXVALUE ${whole(s.maxValue, where)}`]),
    ...(s.start === undefined ? [] : [`START WITH ${whole(s.start, where)}`]),
    ...(s.cache === undefined ? [] : [`CACHE ${whole(s.cache, where)}`]),
    ...(s.cycle ? ['CYCLE'] : []),
    ...(ownedBy === undefined ? [] : [ownedByClause(s.schema, ownedBy)]),
  ]
}

/**
 * The clauses of ALTER SEQUENCE for `changes`; `undefined` targets are PostgreSQL's defaults
 * (`NO MINVALUE` and `NO MAXVALUE` take the defaults of the new direction and type).
 */
function sequenceChanges(schema: string | undefined, c: SequenceChanges): readonly string[] {
  const where = 'ALTER SEQUENCE'
  const out: string[] = []
  if (c.dataType !== undefined) out.push(`AS ${c.dataType.to ?? 'bigint'}`)
  if (c.increment !== undefined) out.push(`INCREMENT BY ${whole(c.increment.to ?? 1, where)}`)
  if (c.minValue !== undefined) {
    out.push(
      c.minValue.to === undefined ? 'NO MINVALUE' : `MINVALUE ${whole(c.minValue.to, where)}`,
    )
  }
  if (c.maxValue !== undefined) {
    out.push(
      c.maxValue.to === undefined ? 'NO MAXVALUE' : `MAXVALUE ${whole(c.maxValue.to, where)}`,
    )
  }
  if (c.start !== undefined) out.push(`START WITH ${whole(c.start.to, where)}`)
  if (c.cache !== undefined) out.push(`CACHE ${whole(c.cache.to ?? 1, where)}`)
  if (c.cycle !== undefined) out.push(c.cycle.to ? 'CYCLE' : 'NO CYCLE')
  if (c.ownedBy !== undefined) {
    out.push(c.ownedBy.to === undefined ? 'OWNED BY NONE' : ownedByClause(schema, c.ownedBy.to))
  }
  return out
}

/** `OWNED BY s.table.column`: the table is in the sequence's schema (manual, CREATE SEQUENCE). */
function ownedByClause(schema: string | undefined, owner: SequenceOwner): string {
  return `OWNED BY ${quoteQualified(schema, owner.table)}.${quoteIdentifier(owner.column)}`
}

/**
 * One ALTER DOMAIN per change, since the command takes one action: checks dropped first (a check
 * replaced keeps its name), then the default and NOT NULL, then the checks added.
 */
function domainChanges(
  name: string,
  c: DomainChanges,
  types: PostgresTypeMapper,
): readonly string[] {
  const alter = `ALTER DOMAIN ${name}`
  const out: string[] = []
  for (const check of c.dropChecks ?? []) {
    out.push(`${alter} DROP CONSTRAINT ${quoteIdentifier(check.name)}`)
  }
  if (c.default !== undefined) {
    out.push(
      c.default.to === null
        ? `${alter} DROP DEFAULT`
        : `${alter} SET DEFAULT ${types.sqlDefault(c.default.to, undefined)}`,
    )
  }
  if (c.notNull !== undefined) out.push(`${alter} ${c.notNull.to ? 'SET' : 'DROP'} NOT NULL`)
  for (const check of c.addChecks ?? []) out.push(`${alter} ADD ${checkClause(check)}`)
  return out
}

function whole(value: number, where: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidOperationError(`${where}: ${String(value)} must be a whole number`)
  }
  return String(value)
}
