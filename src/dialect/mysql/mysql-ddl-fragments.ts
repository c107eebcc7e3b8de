import type { MysqlTableOptions } from '../../schema/engine-options.ts'
import type {
  CheckDef,
  ColumnDef,
  ForeignKeyDef,
  IndexDef,
  TableDef,
  UniqueDef,
} from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import type { MysqlServer } from './mysql-driver.ts'
import { mysqlExpression } from './mysql-expression.ts'
import { UNIQUE_INDEX_COMMENT } from './mysql-introspector.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './mysql-quoting.ts'
import type { MysqlTypeMapper } from './mysql-type-mapper.ts'

/** The pieces of MySQL DDL that creating a table and altering one share. */

const INDENT = '    '

/** `CREATE TABLE` of `t` with its keys, checks and indexes: one statement, so one commit. */
export function createTableSql(
  t: TableDef,
  types: MysqlTypeMapper,
  ifNotExists: boolean,
  server: MysqlServer,
): string {
  if ((t.exclusions?.length ?? 0) > 0) throw unsupported('exclusion constraints')
  if (t.partitionBy !== undefined) throw unsupported('partitioned tables in aludel yet')
  const lines = t.columns.map((c) => INDENT + columnDefinition(c, types, server))
  // MySQL names every primary key PRIMARY; a name given to it is dropped silently by the server.
  if (t.primaryKey !== undefined) lines.push(`${INDENT}PRIMARY KEY (${list(t.primaryKey.columns)})`)
  for (const u of t.uniques) lines.push(INDENT + uniqueClause(u))
  for (const fk of t.foreignKeys) lines.push(INDENT + foreignKeyClause(fk))
  for (const check of t.checks) lines.push(INDENT + checkClause(check, server))
  for (const index of t.indexes) lines.push(`${INDENT}${indexClause(index, false, server)}`)
  const options = tableOptionsClause(t.engineOptions?.mysql)
  const tail = [options, t.comment === undefined ? '' : `COMMENT = ${quoteString(t.comment)}`]
    .filter((part) => part !== '')
    .map((part) => ` ${part}`)
    .join('')
  return `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteQualified(t.schema, t.name)} (\n${lines.join(',\n')}\n)${tail}`
}

/**
 * `ENGINE=X DEFAULT CHARSET=Y COLLATE=Z` for the options stated ('' for none), in the
 * order SHOW CREATE TABLE prints them, for CREATE TABLE and ALTER TABLE alike (both take these
 * table options, before or after COMMENT). Each is a plain word the models checked, written bare.
 * A collation alone is the table's default too, and implies its character set; a character set
 * alone brings its default collation.
 */
export function tableOptionsClause(options: MysqlTableOptions | undefined): string {
  if (options === undefined) return ''
  const parts: string[] = []
  if (options.engine !== undefined) parts.push(`ENGINE=${options.engine}`)
  if (options.charset !== undefined) parts.push(`DEFAULT CHARSET=${options.charset}`)
  if (options.collation !== undefined) parts.push(`COLLATE=${options.collation}`)
  return parts.join(' ')
}

/** A column as MySQL declares it, for CREATE TABLE, ADD COLUMN and MODIFY COLUMN. */
export function columnDefinition(
  column: ColumnDef,
  types: MysqlTypeMapper,
  server: MysqlServer,
): string {
  if (column.identity !== undefined) {
    throw new InvalidOperationError(
      `column ${quoteIdentifier(column.name)} is an identity column, which MySQL does not have; use serial() (AUTO_INCREMENT)`,
    )
  }
  const parts = [
    quoteIdentifier(column.name),
    types.sqlType(column.type, { serial: column.serial }),
  ]
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`)
  if (column.generated !== undefined) {
    parts.push(`GENERATED ALWAYS AS (${mysqlExpression(column.generated, server)}) STORED`)
  }
  parts.push(column.nullable ? 'NULL' : 'NOT NULL')
  if (column.default !== undefined) {
    parts.push(`DEFAULT ${types.sqlDefault(column.default, column.type)}`)
  }
  if (column.serial) parts.push('AUTO_INCREMENT')
  if (column.comment !== undefined) parts.push(`COMMENT ${quoteString(column.comment)}`)
  return parts.join(' ')
}

/** `[UNIQUE] INDEX name (elements)`, as CREATE TABLE and ALTER TABLE ... ADD take it. */
export function indexClause(index: IndexDef, ifNotExists: boolean, server: MysqlServer): string {
  if (index.method !== undefined && index.method !== 'btree' && index.method !== 'hash') {
    throw unsupported(`${index.method} indexes`)
  }
  if (index.where !== undefined) {
    throw refused('partial indexes (WHERE)', 'index all rows, or a generated column')
  }
  if (index.include.length > 0) throw unsupported('INCLUDE columns in an index')
  const elements = index.elements.map((e) => {
    if (e.opclass !== undefined) throw unsupported('operator classes')
    if (e.nulls !== undefined) throw unsupported('NULLS FIRST/LAST in an index')
    // A prefix of a column (`` `note`(20) ``, as introspection reads one) stays as it is; any
    // other expression is a functional key part, in its own parentheses (MySQL 8.0.13).
    const expression = mysqlExpression(e.expression ?? '', server)
    if (e.column !== undefined) return withOrder(quoteIdentifier(e.column), e.order)
    if (/^`(?:[^`]|``)+`\(\d+\)$/.test(expression)) return withOrder(expression, e.order)
    if (server.mariadb) {
      // MariaDB (through 11.x) parses no functional key part; its error would be a bare 1064.
      throw new InvalidOperationError(
        `MariaDB has no expression indexes (index ${index.name} on ${expression}); index a generated column that holds the expression instead`,
      )
    }
    return withOrder(`(${expression})`, e.order)
  })
  const using = index.method === 'hash' ? ' USING HASH' : ''
  // MySQL keeps a unique index and a unique constraint as one thing: the comment tells
  // introspection which of the two the models asked for.
  const comment = index.unique ? ` COMMENT ${quoteString(UNIQUE_INDEX_COMMENT)}` : ''
  return `${index.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(index.name)}${using} (${elements.join(', ')})${comment}`
}

function withOrder(target: string, order: 'asc' | 'desc' | undefined): string {
  return order === 'desc' ? `${target} DESC` : target
}

export function uniqueClause(u: UniqueDef): string {
  if (u.nullsNotDistinct) throw unsupported('UNIQUE NULLS NOT DISTINCT')
  return constraint(u.name, `UNIQUE (${list(u.columns)})`)
}

export function foreignKeyClause(fk: ForeignKeyDef): string {
  if (fk.deferrable) throw unsupported('deferrable foreign keys')
  const parts = [
    `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteQualified(fk.referencedSchema, fk.referencedTable)} (${list(fk.referencedColumns)})`,
  ]
  if (fk.onDelete !== undefined) parts.push(`ON DELETE ${fk.onDelete.toUpperCase()}`)
  if (fk.onUpdate !== undefined) parts.push(`ON UPDATE ${fk.onUpdate.toUpperCase()}`)
  return constraint(fk.name, parts.join(' '))
}

export function checkClause(check: CheckDef, server: MysqlServer): string {
  return constraint(check.name, `CHECK (${mysqlExpression(check.expression, server)})`)
}

function constraint(name: string | undefined, body: string): string {
  return name === undefined ? body : `CONSTRAINT ${quoteIdentifier(name)} ${body}`
}

export function list(names: readonly string[]): string {
  return names.map(quoteIdentifier).join(', ')
}

export function unsupported(what: string): InvalidOperationError {
  return new InvalidOperationError(
    `MySQL has no ${what}; this operation cannot run on a MySQL or MariaDB database`,
  )
}

export function refused(what: string, fix: string): InvalidOperationError {
  return new InvalidOperationError(`MySQL does not support ${what}; ${fix}`)
}
