import {
  type AlterColumnOp,
  type BulkInsertOp,
  type CreateTableOp,
  isCodeObjectOp,
  isSchemaObjectOp,
  type MigrationOp,
} from '../../operations/migration-op.ts'
import type {
  CheckDef,
  ColumnDef,
  ForeignKeyDef,
  IndexDef,
  ReferentialAction,
} from '../../schema/schema-snapshot.ts'
import type { CompiledStatement, DdlCompiler } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { inlineSqliteParams, literalOf, quoteIdentifier, quoteQualified } from './sqlite-quoting.ts'
import { SqliteTypeMapper } from './sqlite-type-mapper.ts'

/** The most parameters one SQLite statement may carry (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMS = 32_766

const INDENT = '    '

/**
 * Compiles operations to SQLite statements. What SQLite does in place (manual, "ALTER TABLE"):
 * creating, renaming and dropping tables, columns and indexes, NOT NULL set and dropped, CHECK
 * constraints added and dropped (SQLite 3.53, which Node 24 ships), views. What would need the
 * table rebuilt — a column's type or default, a foreign key, a unique or primary key added to an
 * existing table — is refused with the reason; so is what SQLite does not have (schemas, enums,
 * sequences, functions, comments, partitions, concurrent index builds).
 */
export class SqliteDdlCompiler implements DdlCompiler {
  constructor(readonly types: SqliteTypeMapper = new SqliteTypeMapper()) {}

  compile(op: MigrationOp): readonly CompiledStatement[] {
    switch (op.kind) {
      case 'execute':
        return [{ sql: op.sql, params: op.params }]
      case 'bulkInsert':
        return bulkInsert(op)
      default:
        return this.ddl(op).map((sql) => ({ sql, params: [] }))
    }
  }

  quoteIdentifier(name: string): string {
    return quoteIdentifier(name)
  }

  quoteQualified(schema: string | undefined, name: string): string {
    return quoteQualified(schema, name)
  }

  renderLiteral(value: unknown): string {
    return literalOf(value)
  }

  inlineParams(sql: string, params: readonly unknown[]): string {
    return inlineSqliteParams(sql, params)
  }

  placeholder(index: number): string {
    return `?${index}`
  }

  private ddl(
    op: Exclude<MigrationOp, { readonly kind: 'execute' | 'bulkInsert' }>,
  ): readonly string[] {
    if (op.kind === 'createView' || op.kind === 'dropView' || op.kind === 'replaceView') {
      return viewDdl(op)
    }
    if (isSchemaObjectOp(op) || isCodeObjectOp(op)) throw unsupported(op.kind)
    switch (op.kind) {
      case 'createTable':
        return createTable(op, this.types)
      case 'dropTable':
        if (op.cascade) throw refused('DROP TABLE ... CASCADE', 'drop the dependent objects first')
        return [
          `DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`,
        ]
      case 'renameTable':
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.from)} RENAME TO ${quoteIdentifier(op.to)}`,
        ]
      case 'addColumn': {
        const table = quoteQualified(op.schema, op.table)
        if (op.ifNotExists) {
          throw refused('ADD COLUMN IF NOT EXISTS', 'SQLite has no IF NOT EXISTS for columns')
        }
        return [`ALTER TABLE ${table} ADD COLUMN ${columnDefinition(op.column, this.types)}`]
      }
      case 'dropColumn':
        if (op.cascade) throw refused('DROP COLUMN ... CASCADE', 'drop what uses the column first')
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP COLUMN ${quoteIdentifier(op.column)}`,
        ]
      case 'alterColumn':
        return alterColumn(op)
      case 'createIndex':
        if (op.concurrently) {
          throw refused(
            'CREATE INDEX CONCURRENTLY',
            'SQLite builds an index in one write transaction; remove concurrently (and transactional = false)',
          )
        }
        return [createIndexSql(op.schema, op.table, op.index, op.ifNotExists)]
      case 'dropIndex':
        return [
          `DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`,
        ]
      case 'createCheckConstraint':
        if (op.check.name === undefined) {
          throw refused('an unnamed CHECK added to a table', 'give the check a name')
        }
        return [`ALTER TABLE ${quoteQualified(op.schema, op.table)} ADD ${checkClause(op.check)}`]
      case 'dropConstraint':
        if (op.definition !== undefined && op.definition.type !== 'check') {
          throw rebuild(`dropping the ${op.definition.type} constraint ${op.name}`)
        }
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP CONSTRAINT ${quoteIdentifier(op.name)}`,
        ]
      case 'validateConstraint':
        // SQLite checks a constraint when it is added; there is nothing left to validate.
        return []
      case 'createForeignKey':
        throw rebuild(
          `adding the foreign key ${op.foreignKey.name ?? ''} to ${op.table}`.replace('  ', ' '),
        )
      case 'createUniqueConstraint':
        throw rebuild(
          `adding a unique constraint to ${op.table} (a unique index does the same: op.createIndex(..., { unique: true }))`,
        )
      case 'createPrimaryKey':
        throw rebuild(`adding a primary key to ${op.table}`)
      default:
        throw unsupported(op.kind)
    }
  }
}

function createTable(op: CreateTableOp, types: SqliteTypeMapper): readonly string[] {
  const t = op.table
  if (t.comment !== undefined || t.columns.some((c) => c.comment !== undefined)) {
    throw unsupported('comments')
  }
  if ((t.exclusions?.length ?? 0) > 0) throw unsupported('exclusion constraints')
  if (t.partitionBy !== undefined) throw unsupported('partitioned tables')
  const name = quoteQualified(t.schema, t.name)
  // The rowid alias: a single integer primary-key column declared INTEGER PRIMARY KEY, inline.
  const rowid =
    t.primaryKey?.columns.length === 1
      ? t.columns.find(
          (c) => c.name === t.primaryKey!.columns[0] && (c.serial || c.identity !== undefined),
        )
      : undefined
  for (const c of t.columns) {
    if ((c.serial || c.identity !== undefined) && c !== rowid) {
      throw new InvalidOperationError(
        `column ${quoteIdentifier(c.name)} of ${name} is serial or an identity column, which SQLite has only for a table's single integer primary key; make it the primary key, or drop serial/identity`,
      )
    }
  }
  const lines = t.columns.map(
    (c) => INDENT + columnDefinition(c, types, c === rowid, t.primaryKey?.name),
  )
  if (t.primaryKey !== undefined && rowid === undefined) {
    lines.push(
      INDENT + constraint(t.primaryKey.name, `PRIMARY KEY (${list(t.primaryKey.columns)})`),
    )
  }
  for (const u of t.uniques) {
    if (u.nullsNotDistinct) throw unsupported('UNIQUE NULLS NOT DISTINCT')
    lines.push(INDENT + constraint(u.name, `UNIQUE (${list(u.columns)})`))
  }
  for (const fk of t.foreignKeys) lines.push(INDENT + foreignKeyClause(fk))
  for (const check of t.checks) lines.push(INDENT + checkClause(check))
  return [
    `CREATE TABLE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${name} (\n${lines.join(',\n')}\n)`,
    ...t.indexes.map((index) => createIndexSql(t.schema, t.name, index, false)),
  ]
}

/**
 * A column as SQLite declares it; `rowid` marks the table's INTEGER PRIMARY KEY (named
 * `rowidKey`), which must be declared `integer` exactly to be the rowid.
 */
function columnDefinition(
  column: ColumnDef,
  types: SqliteTypeMapper,
  rowid = false,
  rowidKey?: string,
): string {
  if (column.comment !== undefined) throw unsupported('comments')
  const parts = [
    quoteIdentifier(column.name),
    rowid ? 'integer' : types.sqlType(column.type, { serial: column.serial }),
  ]
  if (rowid) parts.push(constraint(rowidKey, 'PRIMARY KEY'))
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`)
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${column.generated}) STORED`)
  if (column.default !== undefined) {
    parts.push(`DEFAULT ${types.sqlDefault(column.default, column.type)}`)
  }
  if (!column.nullable) parts.push('NOT NULL')
  return parts.join(' ')
}

function alterColumn(op: AlterColumnOp): readonly string[] {
  const table = quoteQualified(op.schema, op.table)
  const column = quoteIdentifier(op.column)
  const c = op.changes
  const out: string[] = []
  if (c.type !== undefined) throw rebuild(`changing the type of ${op.table}.${op.column}`)
  if (c.default !== undefined) throw rebuild(`changing the default of ${op.table}.${op.column}`)
  if (c.collation !== undefined) throw rebuild(`changing the collation of ${op.table}.${op.column}`)
  if (c.comment !== undefined) throw unsupported('comments')
  if (c.nullable !== undefined) {
    out.push(
      `ALTER TABLE ${table} ALTER COLUMN ${column} ${c.nullable.to ? 'DROP' : 'SET'} NOT NULL`,
    )
  }
  // The rename last: the statements above name the column as it is now.
  if (c.name !== undefined) {
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${column} TO ${quoteIdentifier(c.name.to)}`)
  }
  return out
}

function createIndexSql(
  schema: string | undefined,
  table: string,
  index: IndexDef,
  ifNotExists: boolean,
): string {
  if (index.method !== undefined && index.method !== 'btree') {
    throw unsupported(`${index.method} indexes`)
  }
  if (index.include.length > 0) throw unsupported('INCLUDE columns in an index')
  const elements = index.elements.map((e) => {
    if (e.opclass !== undefined) throw unsupported('operator classes')
    if (e.nulls !== undefined) throw unsupported('NULLS FIRST/LAST in an index')
    const target = e.column !== undefined ? quoteIdentifier(e.column) : `(${e.expression ?? ''})`
    return e.order === 'desc' ? `${target} DESC` : target
  })
  return [
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteQualified(schema, index.name)}`,
    `ON ${quoteIdentifier(table)} (${elements.join(', ')})`,
    ...(index.where === undefined ? [] : [`WHERE ${index.where}`]),
  ].join(' ')
}

function foreignKeyClause(fk: ForeignKeyDef): string {
  const parts = [
    `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteIdentifier(fk.referencedTable)} (${list(fk.referencedColumns)})`,
  ]
  if (fk.onDelete !== undefined) parts.push(`ON DELETE ${action(fk.onDelete)}`)
  if (fk.onUpdate !== undefined) parts.push(`ON UPDATE ${action(fk.onUpdate)}`)
  if (fk.deferrable)
    parts.push(`DEFERRABLE INITIALLY ${fk.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`)
  return constraint(fk.name, parts.join(' '))
}

function checkClause(check: CheckDef): string {
  return constraint(check.name, `CHECK (${check.expression})`)
}

function constraint(name: string | undefined, body: string): string {
  return name === undefined ? body : `CONSTRAINT ${quoteIdentifier(name)} ${body}`
}

function action(a: ReferentialAction): string {
  return a.toUpperCase()
}

function list(names: readonly string[]): string {
  return names.map(quoteIdentifier).join(', ')
}

function viewDdl(
  op: Extract<MigrationOp, { readonly kind: 'createView' | 'dropView' | 'replaceView' }>,
): readonly string[] {
  switch (op.kind) {
    case 'createView': {
      const v = op.view
      if (v.materialized) throw unsupported('materialized views')
      return [`CREATE VIEW ${quoteQualified(v.schema, v.name)} AS\n${v.definition}`]
    }
    case 'dropView':
      return [`DROP VIEW ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`]
    case 'replaceView':
      // SQLite has no CREATE OR REPLACE VIEW: the view is dropped and created again.
      return [
        `DROP VIEW ${quoteQualified(op.view.schema, op.view.name)}`,
        `CREATE VIEW ${quoteQualified(op.view.schema, op.view.name)} AS\n${op.view.definition}`,
      ]
  }
}

function bulkInsert(op: BulkInsertOp): readonly CompiledStatement[] {
  const table = quoteQualified(op.schema, op.table)
  if (op.columns.length === 0) {
    throw new InvalidOperationError(
      `bulk insert into ${table} names no columns; list the columns the rows fill`,
    )
  }
  const perStatement = Math.max(
    1,
    Math.min(op.batchSize, Math.floor(MAX_PARAMS / op.columns.length)),
  )
  const head = `INSERT INTO ${table} (${list(op.columns)}) VALUES `
  const statements: CompiledStatement[] = []
  for (let start = 0; start < op.rows.length; start += perStatement) {
    const params: unknown[] = []
    const tuples = op.rows.slice(start, start + perStatement).map((row, offset) => {
      if (row.length !== op.columns.length) {
        throw new InvalidOperationError(
          `row ${start + offset + 1} of the bulk insert into ${table} has ${row.length} values for ${op.columns.length} columns`,
        )
      }
      return `(${row.map((value) => `?${params.push(value)}`).join(', ')})`
    })
    statements.push({ sql: head + tuples.join(', '), params })
  }
  return statements
}

function unsupported(what: string): InvalidOperationError {
  return new InvalidOperationError(
    `SQLite has no ${what}; this operation cannot run on a SQLite database`,
  )
}

function refused(what: string, fix: string): InvalidOperationError {
  return new InvalidOperationError(`SQLite does not support ${what}; ${fix}`)
}

/**
 * What SQLite can do only by rebuilding the table (manual, "ALTER TABLE", "Making Other Kinds Of
 * Table Schema Changes"): aludel does not rebuild tables yet, so it says so before anything runs.
 */
function rebuild(what: string): InvalidOperationError {
  return new InvalidOperationError(
    `SQLite cannot do ${what} in place, only by rebuilding the table, which aludel does not do yet; write the rebuild with op.execute (create the new table, copy the rows, drop the old one, rename the new one)`,
  )
}
