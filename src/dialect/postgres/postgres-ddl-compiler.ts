import {
  type AlterColumnOp,
  assertNever,
  type BulkInsertOp,
  type CreateEnumOp,
  type CreateTableOp,
  type ExecuteOp,
  isCodeObjectOp,
  isSchemaObjectOp,
  type MigrationOp,
} from '../../operations/migration-op.ts'
import type { LiteralValue } from '../../schema/schema-snapshot.ts'
import { bulkInsertStatements } from '../bulk-insert.ts'
import type { CompiledStatement, DdlCompiler } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { codeObjectDdl } from './postgres-code-object-ddl.ts'
import {
  checkClause,
  columnDefinition,
  commentOnColumn,
  commentOnTable,
  createIndexSql,
  foreignKeyClause,
  INDENT,
  primaryKeyClause,
  uniqueClause,
  uniqueUsingIndexClause,
  words,
} from './postgres-ddl-fragments.ts'
import {
  attachPartitionSql,
  createPartitionSql,
  detachPartitionSql,
  dropPartitionSql,
  exclusionClause,
  partitionByClause,
} from './postgres-partition-ddl.ts'
import { replacePlaceholders } from './postgres-placeholders.ts'
import {
  arrayText,
  byteaHex,
  jsonText,
  quoteIdentifier,
  quoteQualified,
  quoteString,
} from './postgres-quoting.ts'
import { schemaObjectDdl } from './postgres-schema-object-ddl.ts'
import { PostgresTypeMapper } from './postgres-type-mapper.ts'

/**
 * The most parameters one statement may carry: the Bind message counts them in an Int16
 * (manual, "Frontend/Backend Protocol", "Message Formats").
 */
const MAX_PARAMS = 65_535

/** An operation that compiles to parameterless DDL statements. */
type DdlOp = Exclude<MigrationOp, ExecuteOp | BulkInsertOp>

/**
 * Compiles operations to PostgreSQL statements and renders identifiers and literals. Each
 * operation becomes the statements that carry it out, in order; only `execute` and `bulkInsert`
 * carry parameters, everything else is plain DDL text.
 *
 * @example
 * new PostgresDdlCompiler().compile({ kind: 'dropSchema', name: 'audit', ifExists: true, cascade: false })
 * // [{ sql: 'DROP SCHEMA IF EXISTS audit', params: [] }]
 */
export class PostgresDdlCompiler implements DdlCompiler {
  /** @param types spells column types and defaults (default: a new {@link PostgresTypeMapper}) */
  constructor(readonly types: PostgresTypeMapper = new PostgresTypeMapper()) {}

  compile(op: MigrationOp): readonly CompiledStatement[] {
    switch (op.kind) {
      case 'execute':
        return [{ sql: op.sql, params: op.params }]
      case 'bulkInsert':
        return bulkInsertStatements(op, {
          table: quoteQualified(op.schema, op.table),
          columns: op.columns.map(quoteIdentifier).join(', '),
          maxParams: MAX_PARAMS,
          placeholder: (n) => `$${n}`,
          param: (value) => toParam(value as LiteralValue),
        })
      default:
        return this.ddl(op).map((sql) => ({ sql, params: [] }))
    }
  }

  private ddl(op: DdlOp): readonly string[] {
    if (isSchemaObjectOp(op)) return schemaObjectDdl(op, this.types)
    if (isCodeObjectOp(op)) return codeObjectDdl(op)
    const q = quoteIdentifier
    switch (op.kind) {
      case 'createSchema':
        return [words('CREATE SCHEMA', op.ifNotExists && 'IF NOT EXISTS', q(op.name))]
      case 'dropSchema':
        return [
          words('DROP SCHEMA', op.ifExists && 'IF EXISTS', q(op.name), op.cascade && 'CASCADE'),
        ]
      case 'createTable':
        return createTable(op, this.types)
      case 'dropTable':
        return [
          words(
            'DROP TABLE',
            op.ifExists && 'IF EXISTS',
            quoteQualified(op.schema, op.name),
            op.cascade && 'CASCADE',
          ),
        ]
      case 'renameTable':
        return [`ALTER TABLE ${quoteQualified(op.schema, op.from)} RENAME TO ${q(op.to)}`]
      case 'addColumn': {
        const table = quoteQualified(op.schema, op.table)
        const add = words(
          `ALTER TABLE ${table} ADD COLUMN`,
          op.ifNotExists && 'IF NOT EXISTS',
          columnDefinition(op.column, this.types, table),
        )
        return op.column.comment === undefined
          ? [add]
          : [add, commentOnColumn(op.schema, op.table, op.column.name, op.column.comment)]
      }
      case 'dropColumn':
        return [
          words(
            `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP COLUMN`,
            op.ifExists && 'IF EXISTS',
            q(op.column),
            op.cascade && 'CASCADE',
          ),
        ]
      case 'alterColumn':
        return alterColumn(op, this.types)
      case 'createIndex':
        return [createIndexSql(op.schema, op.table, op.index, op)]
      case 'dropIndex':
        // DROP INDEX takes the index's own (schema-qualified) name, not its table's.
        return [
          words(
            'DROP INDEX',
            op.concurrently && 'CONCURRENTLY',
            op.ifExists && 'IF EXISTS',
            quoteQualified(op.schema, op.name),
          ),
        ]
      case 'createForeignKey':
        return [addConstraint(op, (t) => foreignKeyClause(op.foreignKey, t), op.notValid)]
      case 'createUniqueConstraint': {
        const { usingIndex } = op
        return [
          addConstraint(
            op,
            (t) =>
              usingIndex === undefined
                ? uniqueClause(op.unique, t)
                : uniqueUsingIndexClause(op.unique, usingIndex),
            false,
          ),
        ]
      }
      case 'createCheckConstraint':
        return [addConstraint(op, () => checkClause(op.check), op.notValid)]
      case 'createPrimaryKey':
        return [addConstraint(op, (t) => primaryKeyClause(op.primaryKey, t), false)]
      case 'createExclusionConstraint':
        return [addConstraint(op, (t) => exclusionClause(op.exclusion, t), false)]
      case 'validateConstraint':
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.table)} VALIDATE CONSTRAINT ${q(op.name)}`,
        ]
      case 'dropConstraint':
        return [
          words(
            `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP CONSTRAINT`,
            op.ifExists && 'IF EXISTS',
            q(op.name),
            op.cascade && 'CASCADE',
          ),
        ]
      case 'createEnum':
        return [createEnum(op)]
      case 'dropEnum':
        return [
          words(
            'DROP TYPE',
            op.ifExists && 'IF EXISTS',
            quoteQualified(op.schema, op.name),
            op.cascade && 'CASCADE',
          ),
        ]
      case 'addEnumValue': {
        const type = quoteQualified(op.schema, op.enum)
        if (op.before !== undefined && op.after !== undefined) {
          throw new InvalidOperationError(
            `a new value of enum ${type} can go before ${quoteString(op.before)} or after ${quoteString(op.after)}, not both; keep one`,
          )
        }
        // Since PostgreSQL 12 this may run in a transaction, but the new value cannot be used
        // until that transaction commits (manual, ALTER TYPE, Notes).
        return [
          words(
            `ALTER TYPE ${type} ADD VALUE`,
            op.ifNotExists && 'IF NOT EXISTS',
            quoteString(op.value),
            op.before !== undefined && `BEFORE ${quoteString(op.before)}`,
            op.after !== undefined && `AFTER ${quoteString(op.after)}`,
          ),
        ]
      }
      case 'renameEnumValue':
        return [
          `ALTER TYPE ${quoteQualified(op.schema, op.enum)} RENAME VALUE ${quoteString(op.from)} TO ${quoteString(op.to)}`,
        ]
      case 'createTableComment':
        return [commentOnTable(op.schema, op.table, op.comment)]
      case 'dropTableComment':
        return [commentOnTable(op.schema, op.table, null)]
      case 'alterTableOptions':
        // Options for MySQL and SQLite only: PostgreSQL has nothing to do.
        return []
      case 'createPartition':
        return createPartitionSql(op)
      case 'dropPartition':
        return [dropPartitionSql(op)]
      case 'attachPartition':
        return [attachPartitionSql(op)]
      case 'detachPartition':
        return [detachPartitionSql(op)]
      case 'batchAlterTable':
        // PostgreSQL alters a table in place: a batch is its operations, one after the other.
        return op.ops.flatMap((inner) => this.ddl(inner))
      default:
        return assertNever(op)
    }
  }

  quoteIdentifier(name: string): string {
    return quoteIdentifier(name)
  }

  quoteQualified(schema: string | undefined, name: string): string {
    return quoteQualified(schema, name)
  }

  /**
   * Renders a value the way node-postgres would send it as a parameter, but inline: strings with
   * doubled quotes (standard_conforming_strings is on by default since 9.1), numbers and booleans
   * bare, dates in ISO 8601, buffers as bytea hex, arrays as array literals, objects as JSON.
   */
  renderLiteral(value: unknown): string {
    if (value === null || value === undefined) return 'NULL'
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `'${String(value)}'`
      return String(value)
    }
    if (typeof value === 'bigint') return value.toString()
    if (typeof value === 'boolean') return value ? 'true' : 'false'
    if (value instanceof Date) return quoteString(value.toISOString())
    if (value instanceof Uint8Array) return quoteString(byteaHex(value))
    if (Array.isArray(value)) return quoteString(arrayText(value))
    if (typeof value === 'object') return quoteString(jsonText(value))
    return quoteString(String(value))
  }

  inlineParams(sql: string, params: readonly unknown[]): string {
    if (params.length === 0) return sql
    return replacePlaceholders(sql, (index) => {
      if (index < 1 || index > params.length) {
        throw new RangeError(`$${index} has no parameter (${params.length} given)`)
      }
      return this.renderLiteral(params[index - 1])
    })
  }

  placeholder(index: number): string {
    return `$${index}`
  }
}

/**
 * `CREATE TABLE` with its columns and constraints, then one `CREATE INDEX` per index and the
 * comments. With `ifNotExists`, the indexes are created `IF NOT EXISTS` too, so that running it
 * against an existing table is as harmless as the `CREATE TABLE` itself.
 */
function createTable(op: CreateTableOp, types: PostgresTypeMapper): readonly string[] {
  const { table } = op
  const name = quoteQualified(table.schema, table.name)
  const elements = [
    ...table.columns.map((column) => columnDefinition(column, types, name)),
    ...(table.primaryKey === undefined ? [] : [primaryKeyClause(table.primaryKey, name)]),
    ...table.foreignKeys.map((foreignKey) => foreignKeyClause(foreignKey, name)),
    ...table.uniques.map((unique) => uniqueClause(unique, name)),
    ...table.checks.map(checkClause),
    ...(table.exclusions ?? []).map((exclusion) => exclusionClause(exclusion, name)),
  ]
  // A table without columns is legal PostgreSQL: `CREATE TABLE t ()`.
  const body = elements.length === 0 ? '()' : `(\n${elements.map((e) => INDENT + e).join(',\n')}\n)`
  const statements = [
    words(
      'CREATE TABLE',
      op.ifNotExists && 'IF NOT EXISTS',
      name,
      body,
      table.partitionBy !== undefined && partitionByClause(table.partitionBy, name),
    ),
  ]
  for (const index of table.indexes) {
    statements.push(
      createIndexSql(table.schema, table.name, index, {
        concurrently: false,
        ifNotExists: op.ifNotExists,
      }),
    )
  }
  if (table.comment !== undefined) {
    statements.push(commentOnTable(table.schema, table.name, table.comment))
  }
  for (const column of table.columns) {
    if (column.comment !== undefined) {
      statements.push(commentOnColumn(table.schema, table.name, column.name, column.comment))
    }
  }
  return statements
}

/**
 * Type, nullability and default changes as one `ALTER TABLE` (one lock, at most one table
 * rewrite), then the comment, then the rename, so that everything before it can use the old name.
 *
 * PostgreSQL runs the parts of one ALTER TABLE in phases, not in the order written: DROP DEFAULT
 * and DROP NOT NULL first, then TYPE, then SET NOT NULL and SET DEFAULT (tablecmds.c, AT_PASS_*).
 * A type change converts the old default too and fails if it cannot ("default for column ...
 * cannot be cast automatically"), so when the default is replaced as well, the old one is dropped
 * in the same statement before the type changes.
 */
function alterColumn(op: AlterColumnOp, types: PostgresTypeMapper): readonly string[] {
  const table = quoteQualified(op.schema, op.table)
  const column = `ALTER COLUMN ${quoteIdentifier(op.column)}`
  const { type, nullable, default: defaultChange, comment, name, collation } = op.changes
  const actions: string[] = []
  if (type !== undefined && defaultChange !== undefined && defaultChange.to !== null) {
    actions.push(`${column} DROP DEFAULT`)
  }
  if (type !== undefined || collation !== undefined) {
    // A collation is set by naming the type again (manual, ALTER TABLE, SET DATA TYPE); "default"
    // is the type's own collation.
    actions.push(
      words(
        `${column} TYPE ${types.sqlType(type?.to ?? collation!.type)}`,
        collation !== undefined && `COLLATE ${quoteIdentifier(collation.to ?? 'default')}`,
        type?.using !== undefined && `USING ${type.using}`,
      ),
    )
  }
  if (nullable !== undefined) actions.push(`${column} ${nullable.to ? 'DROP' : 'SET'} NOT NULL`)
  if (defaultChange !== undefined) {
    actions.push(
      defaultChange.to === null
        ? `${column} DROP DEFAULT`
        : `${column} SET DEFAULT ${types.sqlDefault(defaultChange.to, type?.to)}`,
    )
  }
  const statements: string[] = []
  if (actions.length === 1) statements.push(`ALTER TABLE ${table} ${actions[0]}`)
  if (actions.length > 1) {
    statements.push(`ALTER TABLE ${table}\n${actions.map((a) => INDENT + a).join(',\n')}`)
  }
  if (comment !== undefined) {
    statements.push(commentOnColumn(op.schema, op.table, op.column, comment.to))
  }
  // Renaming a column to its own name is nothing to do (PostgreSQL would call it a duplicate).
  if (name !== undefined && name.to !== op.column) {
    statements.push(
      `ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(name.to)}`,
    )
  }
  return statements
}

/** `ALTER TABLE s.t ADD <constraint> [NOT VALID]`; `constraint` renders it for the quoted table. */
function addConstraint(
  op: { readonly schema: string | undefined; readonly table: string },
  constraint: (table: string) => string,
  notValid: boolean,
): string {
  const table = quoteQualified(op.schema, op.table)
  return words(`ALTER TABLE ${table} ADD ${constraint(table)}`, notValid && 'NOT VALID')
}

/**
 * `CREATE TYPE s.e AS ENUM (...)`. PostgreSQL has no `IF NOT EXISTS` for CREATE TYPE, so with
 * `ifNotExists` the statement runs in a DO block that ignores `duplicate_object` (SQLSTATE 42710,
 * what CREATE TYPE raises for an existing name), the idiom of the manual's PL/pgSQL chapter,
 * "Trapping Errors".
 */
function createEnum(op: CreateEnumOp): string {
  const { enum: definition } = op
  const create = `CREATE TYPE ${quoteQualified(definition.schema, definition.name)} AS ENUM (${definition.values.map(quoteString).join(', ')})`
  if (!op.ifNotExists) return create
  const tag = dollarTag(create)
  return `DO ${tag}\nBEGIN\n${INDENT}${create};\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND\n${tag}`
}

/**
 * A dollar-quote tag that does not occur in `body`, so the body needs no escaping (manual,
 * 4.1.2.4 "Dollar-Quoted String Constants").
 */
function dollarTag(body: string): string {
  let tag = '$aludel$'
  for (let n = 1; body.includes(tag); n++) tag = `$aludel_${n}$`
  return tag
}

/**
 * A bulk-insert value as a parameter both drivers send the same way. The parameters' types are
 * inferred by the server from the target columns, so text that the column type parses is always
 * right: dates become ISO 8601 (UTC), bigints their digits, arrays an array value (`{1,2}`),
 * other objects JSON. Bytes stay bytes. A JSON array for a json column must therefore be passed
 * as a string (`JSON.stringify([...])`): a JavaScript array means an SQL array.
 */
function toParam(value: LiteralValue): unknown {
  if (value === null || value instanceof Uint8Array) return value
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return arrayText(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'object') return jsonText(value)
  return value
}
