import {
  type AlterColumnOp,
  type AlterTableOptionsOp,
  type BatchTableOp,
  isBatchTableOp,
  isCodeObjectOp,
  isSchemaObjectOp,
  type MigrationOp,
} from '../../operations/migration-op.ts'
import { bulkInsertStatements } from '../bulk-insert.ts'
import type { Connection } from '../connection.ts'
import type { CompileContext, CompiledStatement, DdlCompiler } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import {
  checkClause,
  columnDefinition,
  createIndexSql,
  createTableSql,
  list,
  refused,
  unsupported,
} from './sqlite-ddl-fragments.ts'
import { sqliteExpression } from './sqlite-expression.ts'
import { type LiveTable, SqliteIntrospector } from './sqlite-introspector.ts'
import {
  fold,
  inlineSqliteParams,
  literalOf,
  quoteIdentifier,
  quoteQualified,
} from './sqlite-quoting.ts'
import { rebuildStatements } from './sqlite-rebuild-statements.ts'
import {
  constraintKindOf,
  planRebuild,
  rebuildReason,
  type SqliteFlags,
} from './sqlite-table-rebuild.ts'
import { SqliteTypeMapper } from './sqlite-type-mapper.ts'

/** The most parameters one SQLite statement may carry (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMS = 32_766

/**
 * Compiles operations to SQLite statements. What SQLite does in place (manual, "ALTER TABLE"):
 * creating, renaming and dropping tables, columns and indexes, NOT NULL set and dropped, CHECK
 * constraints added and dropped (SQLite 3.53, which Node 24 ships), views. What it can do only by
 * rebuilding the table — a column's type, default or collation, a foreign key, unique or primary
 * key added or dropped, a column with an expression default or a generated column added — needs
 * the table's current definition: {@link needsDatabase} says so, and {@link compileWithDatabase}
 * writes the rebuild (`sqlite-table-rebuild.ts`), once for all the changes of an `op.batch`.
 * `compile` alone, as in an offline script, refuses it with the reason. Changing a table's STRICT
 * or WITHOUT ROWID (`alterTableOptions`) is such a rebuild too. A column added to a STRICT table
 * takes its storage type (`text` for `varchar(20)`), which only the table can tell: the compiler
 * asks it too. What SQLite does not have (schemas, enums, sequences, functions, comments,
 * partitions, concurrent index builds) is refused.
 */
export class SqliteDdlCompiler implements DdlCompiler {
  readonly #introspector: SqliteIntrospector

  constructor(readonly types: SqliteTypeMapper = new SqliteTypeMapper()) {
    this.#introspector = new SqliteIntrospector(types)
  }

  compile(op: MigrationOp): readonly CompiledStatement[] {
    return this.#compile(op, false)
  }

  /** `op`'s statements; `strict`: its table is STRICT (for the columns it adds). */
  #compile(op: MigrationOp, strict: boolean): readonly CompiledStatement[] {
    switch (op.kind) {
      case 'execute':
        return [{ sql: op.sql, params: op.params }]
      case 'bulkInsert':
        return bulkInsertStatements(op, {
          table: quoteQualified(op.schema, op.table),
          columns: list(op.columns),
          maxParams: MAX_PARAMS,
          placeholder: (n) => `?${n}`,
        })
      default:
        return this.ddl(op, strict).map((sql) => ({ sql, params: [] }))
    }
  }

  needsDatabase(op: MigrationOp): boolean {
    if (op.kind === 'alterTableOptions') return op.options.sqlite !== undefined
    return (
      tableChanges(op)?.ops.some(
        (inner) =>
          rebuildReason(inner, this.types) !== undefined ||
          (inner.kind === 'dropConstraint' && inner.definition === undefined) ||
          inner.kind === 'createCheckConstraint' ||
          this.#spelledOtherwiseWhenStrict(inner),
      ) ?? false
    )
  }

  /**
   * A table's changes in place when SQLite can make them all there, else one rebuild of the table
   * for all of them. A constraint dropped by name alone is looked up: a check is dropped in
   * place, anything else needs the rebuild. A rebuild outside the migration's transaction is
   * refused: cut short, it could leave the table dropped and its copy under another name.
   */
  async compileWithDatabase(
    op: MigrationOp,
    connection: Connection,
    context: CompileContext,
  ): Promise<readonly CompiledStatement[]> {
    if (op.kind === 'alterTableOptions') return this.#alterTableOptions(op, connection, context)
    const changes = tableChanges(op)
    if (changes === undefined || !this.needsDatabase(op)) return this.compile(op)
    // Attached databases are not read: aludel rebuilds tables of the main database.
    const attached = changes.schema !== undefined && fold(changes.schema) !== 'main'
    const live = attached
      ? undefined
      : await this.#introspector.readTable(connection, changes.table)
    const reasons = await Promise.all(
      changes.ops.map(async (inner) => {
        const reason = rebuildReason(inner, this.types)
        if (reason === undefined && inner.kind === 'createCheckConstraint' && live !== undefined) {
          // SQLite (3.53) refuses a CHECK added in place when a row makes it NULL, which a CHECK
          // accepts everywhere else (manual, "CREATE TABLE", CHECK constraints): such a table is
          // rebuilt, where the rows are checked as CHECK constraints always are.
          const { rows } = await connection.query(
            `SELECT 1 FROM ${quoteQualified(changes.schema, changes.table)} WHERE (${sqliteExpression(inner.check.expression)}) IS NULL LIMIT 1`,
          )
          return rows.length === 0
            ? undefined
            : `adding the check ${inner.check.name ?? ''} to ${changes.table}, which some rows make NULL,`.replace(
                '  ',
                ' ',
              )
        }
        if (reason !== undefined || inner.kind !== 'dropConstraint' || live === undefined) {
          return reason
        }
        const kind = constraintKindOf(live.table, inner.name)
        return kind === undefined || kind === 'check'
          ? undefined
          : `dropping the ${kind} ${inner.name} of ${changes.table}`
      }),
    )
    const reason = reasons.find((r) => r !== undefined)
    if (reason === undefined) {
      const strict = live?.strict ?? false
      return changes.ops.flatMap((inner) => this.#compile(inner, strict))
    }
    const table = rebuildable(reason, changes.table, attached, live, context)
    return rebuildStatements(table, planRebuild(table, changes.ops), connection, this.types)
  }

  /**
   * STRICT and WITHOUT ROWID set as `op` says (a flag left out is false) by rebuilding the table,
   * copying its rows; nothing when it has them already, or when `op` has no SQLite options.
   */
  async #alterTableOptions(
    op: AlterTableOptionsOp,
    connection: Connection,
    context: CompileContext,
  ): Promise<readonly CompiledStatement[]> {
    const wanted = op.options.sqlite
    if (wanted === undefined) return []
    const flags: SqliteFlags = {
      strict: wanted.strict === true,
      withoutRowid: wanted.withoutRowid === true,
    }
    const attached = op.schema !== undefined && fold(op.schema) !== 'main'
    const live = attached ? undefined : await this.#introspector.readTable(connection, op.table)
    if (live?.strict === flags.strict && live.withoutRowid === flags.withoutRowid) return []
    const table = rebuildable(optionsReason(op), op.table, attached, live, context)
    return rebuildStatements(table, planRebuild(table, [], flags), connection, this.types)
  }

  /**
   * An added column whose type a STRICT table declares otherwise (`text` for `varchar(20)`): only
   * the table can say which to write.
   */
  #spelledOtherwiseWhenStrict(op: BatchTableOp): boolean {
    if (op.kind !== 'addColumn') return false
    const serial = op.column.serial
    try {
      return (
        this.types.sqlType(op.column.type, { serial }) !==
        this.types.sqlType(op.column.type, { serial, strict: true })
      )
    } catch (error) {
      // One of the spellings is refused: the table tells which.
      if (error instanceof InvalidOperationError) return true
      throw error
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
    strict: boolean,
  ): readonly string[] {
    if (op.kind === 'createView' || op.kind === 'dropView' || op.kind === 'replaceView') {
      return viewDdl(op)
    }
    if (isSchemaObjectOp(op) || isCodeObjectOp(op)) throw unsupported(op.kind)
    if (isBatchTableOp(op)) {
      const reason = rebuildReason(op, this.types)
      if (reason !== undefined) throw offline(reason)
    }
    switch (op.kind) {
      case 'createTable':
        return [
          createTableSql(op.table, this.types, op.ifNotExists),
          ...op.table.indexes.map((index) =>
            createIndexSql(op.table.schema, op.table.name, index, false),
          ),
        ]
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
        return [
          `ALTER TABLE ${table} ADD COLUMN ${columnDefinition(op.column, this.types, { strict })}`,
        ]
      }
      case 'dropColumn':
        if (op.cascade) throw refused('DROP COLUMN ... CASCADE', 'drop what uses the column first')
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP COLUMN ${quoteIdentifier(op.column)}`,
        ]
      case 'alterColumn':
        return alterColumn(op)
      case 'batchAlterTable':
        return op.ops.flatMap((inner) => this.ddl(inner, strict))
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
        return [
          `ALTER TABLE ${quoteQualified(op.schema, op.table)} DROP CONSTRAINT ${quoteIdentifier(op.name)}`,
        ]
      case 'validateConstraint':
        // SQLite checks a constraint when it is added; there is nothing left to validate.
        return []
      case 'createForeignKey':
      case 'createUniqueConstraint':
      case 'createPrimaryKey':
        // Refused above: only a rebuild adds them.
        throw offline(rebuildReason(op, this.types) ?? op.kind)
      case 'alterTableOptions':
        // Options for other engines only: nothing to do here.
        if (op.options.sqlite === undefined) return []
        throw offline(optionsReason(op))
      default:
        throw unsupported(op.kind)
    }
  }
}

function alterColumn(op: AlterColumnOp): readonly string[] {
  const table = quoteQualified(op.schema, op.table)
  const column = quoteIdentifier(op.column)
  const c = op.changes
  const out: string[] = []
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

function viewDdl(
  op: Extract<MigrationOp, { readonly kind: 'createView' | 'dropView' | 'replaceView' }>,
): readonly string[] {
  switch (op.kind) {
    case 'createView': {
      const v = op.view
      if (v.materialized) throw unsupported('materialized views')
      return [
        `CREATE VIEW ${quoteQualified(v.schema, v.name)} AS\n${sqliteExpression(v.definition)}`,
      ]
    }
    case 'dropView':
      return [`DROP VIEW ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`]
    case 'replaceView':
      // SQLite has no CREATE OR REPLACE VIEW: the view is dropped and created again.
      return [
        `DROP VIEW ${quoteQualified(op.view.schema, op.view.name)}`,
        `CREATE VIEW ${quoteQualified(op.view.schema, op.view.name)} AS\n${sqliteExpression(op.view.definition)}`,
      ]
  }
}

/**
 * `live`, the table a rebuild for `reason` copies, when it can run: in the main database, inside
 * the migration's transaction (cut short outside one, it could leave the table dropped and its
 * copy under another name).
 */
function rebuildable(
  reason: string,
  table: string,
  attached: boolean,
  live: LiveTable | undefined,
  context: CompileContext,
): LiveTable {
  if (live === undefined) {
    throw new InvalidOperationError(
      `SQLite can do ${reason} only by rebuilding the table, and the main database has no table ${table} to rebuild${attached ? ' (aludel rebuilds no table of an attached database)' : ''}`,
    )
  }
  if (!context.transactional) {
    throw new InvalidOperationError(
      `SQLite can do ${reason} only by rebuilding the table, which must happen inside the migration's transaction: remove \`export const transactional = false\` from the migration, or move the change to a migration of its own`,
    )
  }
  return live
}

/** What an `alterTableOptions` does on SQLite, as the reasons for a rebuild say it. */
function optionsReason(op: AlterTableOptionsOp): string {
  const flags = op.options.sqlite ?? {}
  return `making ${op.table} ${flags.strict === true ? 'STRICT' : 'not STRICT'} and ${flags.withoutRowid === true ? 'WITHOUT ROWID' : 'a rowid table'}`
}

/** The table an operation changes and its changes, when it is a change to one table. */
function tableChanges(op: MigrationOp):
  | {
      readonly schema: string | undefined
      readonly table: string
      readonly ops: readonly BatchTableOp[]
    }
  | undefined {
  if (op.kind === 'batchAlterTable') return op
  if (!isBatchTableOp(op)) return undefined
  return { schema: op.schema, table: op.table ?? '', ops: [op] }
}

/**
 * What SQLite can do only by rebuilding the table (manual, "ALTER TABLE", "Making Other Kinds Of
 * Table Schema Changes"), asked of `compile` alone: the rebuild copies the table's definition as
 * the database holds it, which an offline script cannot read.
 */
function offline(reason: string): InvalidOperationError {
  return new InvalidOperationError(
    `SQLite can do ${reason} only by rebuilding the table, which aludel writes from the table as the database holds it: run this migration online (not with --sql), or write the rebuild by hand with op.execute`,
  )
}
