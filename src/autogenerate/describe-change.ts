import {
  assertNever,
  isCodeObjectOp,
  isSchemaObjectOp,
  type MigrationOp,
} from '../operations/migration-op.ts'
import type { EngineTableOptions } from '../schema/engine-options.ts'
import type { ColumnDefault, ColumnType } from '../schema/schema-snapshot.ts'
import type { CompareResult } from './compare-result.ts'
import { describeCodeObjectOp } from './describe-code-object.ts'
import { describePartitionOp } from './describe-partition.ts'
import { describeSchemaObjectOp } from './describe-schema-object.ts'

/**
 * One line per difference, for `aludel check` and error messages: what the database lacks or has
 * too much of, in the direction the models want.
 *
 * @example
 * describeResult(result) // ['add column users.bio (text)', 'drop index ix_items_title', ...]
 */
export function describeResult(result: CompareResult): readonly string[] {
  return [
    ...detectedChanges(result).map((change) => change.description),
    ...result.questions.map(
      (q) =>
        `${q.kind} ${q.fromKey} is gone and ${q.toKey} is new: a rename, or a drop and an add?`,
    ),
  ]
}

/** One change autogenerate found: what it is, and the data-loss or locking warning if any. */
export interface DetectedChange {
  readonly description: string
  readonly warning: string | undefined
}

/**
 * What `revision --autogenerate` found, as it reports it: each change with its warning (a dropped
 * column's data, a narrowing type), then the manual steps it leaves to a person.
 */
export function detectedChanges(result: CompareResult): readonly DetectedChange[] {
  return [
    ...result.changes.map((change) => ({
      description: describeOp(change.op),
      warning: change.warning,
    })),
    ...result.manual.map((step) => ({
      description: `manual step: ${step.description}`,
      warning: undefined,
    })),
  ]
}

/** A short description of one operation. */
export function describeOp(op: MigrationOp): string {
  if (isSchemaObjectOp(op)) return describeSchemaObjectOp(op)
  if (isCodeObjectOp(op)) return describeCodeObjectOp(op)
  switch (op.kind) {
    case 'createSchema':
      return `create schema ${op.name}`
    case 'dropSchema':
      return `drop schema ${op.name}`
    case 'createTable':
      return `add table ${qualified(op.table.schema, op.table.name)} (${op.table.columns.length} columns)`
    case 'dropTable':
      return `drop table ${qualified(op.schema, op.name)}`
    case 'renameTable':
      return `rename table ${qualified(op.schema, op.from)} to ${op.to}`
    case 'addColumn':
      return `add column ${qualified(op.schema, op.table)}.${op.column.name} (${typeText(op.column.type)}${op.column.nullable ? '' : ' not null'})`
    case 'dropColumn':
      return `drop column ${qualified(op.schema, op.table)}.${op.column}`
    case 'alterColumn': {
      const where = `${qualified(op.schema, op.table)}.${op.column}`
      const parts: string[] = []
      const c = op.changes
      if (c.type) {
        parts.push(
          `type ${c.type.from ? `${typeText(c.type.from)} -> ` : ''}${typeText(c.type.to)}`,
        )
      }
      if (c.nullable) parts.push(c.nullable.to ? 'allow nulls' : 'not null')
      if (c.default) {
        parts.push(
          `default ${c.default.from === undefined ? '' : `${defaultText(c.default.from)} -> `}${defaultText(c.default.to)}`,
        )
      }
      if (c.comment) parts.push(c.comment.to === null ? 'drop comment' : 'change comment')
      if (c.collation) parts.push(`collation ${c.collation.to ?? 'default'}`)
      if (c.name) parts.push(`rename to ${c.name.to}`)
      return `alter column ${where}: ${parts.join(', ')}`
    }
    case 'createIndex':
      return `add ${op.index.unique ? 'unique ' : ''}index ${op.index.name} on ${qualified(op.schema, op.table)}`
    case 'dropIndex':
      return `drop index ${qualified(op.schema, op.name)}`
    case 'createForeignKey':
      return `add foreign key ${op.foreignKey.name ?? ''} on ${qualified(op.schema, op.table)} (${op.foreignKey.columns.join(', ')}) -> ${qualified(op.foreignKey.referencedSchema, op.foreignKey.referencedTable)}`.replace(
        '  ',
        ' ',
      )
    case 'createUniqueConstraint':
      return `add unique constraint ${op.unique.name ?? ''} on ${qualified(op.schema, op.table)} (${op.unique.columns.join(', ')})${op.usingIndex === undefined ? '' : ` using index ${op.usingIndex}`}`
    case 'createCheckConstraint':
      return `add check constraint ${op.check.name ?? ''} on ${qualified(op.schema, op.table)}: ${op.check.expression}`
    case 'createPrimaryKey':
      return `add primary key ${op.primaryKey.name ?? ''} on ${qualified(op.schema, op.table)} (${op.primaryKey.columns.join(', ')})`
    case 'validateConstraint':
      return `validate constraint ${op.name} on ${qualified(op.schema, op.table)}`
    case 'dropConstraint':
      return `drop constraint ${op.name} on ${qualified(op.schema, op.table)}`
    case 'createEnum':
      return `add enum ${qualified(op.enum.schema, op.enum.name)} (${op.enum.values.join(', ')})`
    case 'dropEnum':
      return `drop enum ${qualified(op.schema, op.name)}`
    case 'addEnumValue':
      return `add value '${op.value}' to enum ${qualified(op.schema, op.enum)}`
    case 'renameEnumValue':
      return `rename value '${op.from}' of enum ${qualified(op.schema, op.enum)} to '${op.to}'`
    case 'createTableComment':
      return `set the comment of table ${qualified(op.schema, op.table)}`
    case 'dropTableComment':
      return `drop the comment of table ${qualified(op.schema, op.table)}`
    case 'alterTableOptions':
      return `set ${describeEngineOptions(op.options)} on table ${qualified(op.schema, op.table)}`
    case 'execute':
      return `execute: ${op.sql.replace(/\s+/g, ' ').slice(0, 80)}`
    case 'bulkInsert':
      return `insert ${op.rows.length} rows into ${qualified(op.schema, op.table)}`
    case 'batchAlterTable':
      return `batch of ${op.ops.length} change${op.ops.length === 1 ? '' : 's'} to ${qualified(op.schema, op.table)}: ${op.ops.map(describeOp).join('; ')}`
    case 'createExclusionConstraint':
    case 'createPartition':
    case 'dropPartition':
    case 'attachPartition':
    case 'detachPartition':
      return describePartitionOp(op)
    default:
      return assertNever(op)
  }
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

/** A type as a person reads it (close to SQL, dialect-neutral). */
export function typeText(type: ColumnType): string {
  switch (type.kind) {
    case 'numeric':
      return type.precision === undefined
        ? 'numeric'
        : `numeric(${type.precision}${type.scale === undefined ? '' : `,${type.scale}`})`
    case 'varchar':
    case 'char':
      return type.length === undefined ? type.kind : `${type.kind}(${type.length})`
    case 'time':
    case 'timestamp':
      return `${type.kind}${type.precision === undefined ? '' : `(${type.precision})`}${type.withTimezone ? 'tz' : ''}`
    case 'enum':
      return qualified(type.schema, type.name)
    case 'array':
      return `${typeText(type.element)}[]`
    case 'custom':
      return type.sql
    default:
      return type.kind
  }
}

function defaultText(value: ColumnDefault | null): string {
  if (value === null) return 'none'
  if (value.kind === 'sql') return value.sql
  const v = value.value
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v)
}

/** `mysql engine=InnoDB, sqlite strict=true`: engine options as a change line names them. */
function describeEngineOptions(options: EngineTableOptions): string {
  return Object.entries(options)
    .flatMap(([engine, bag]: [string, Readonly<Record<string, unknown>>]) =>
      Object.entries(bag).map(([key, value]) => `${engine} ${key}=${String(value)}`),
    )
    .join(', ')
}
