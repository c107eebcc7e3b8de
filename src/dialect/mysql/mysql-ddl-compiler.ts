import type {
  AlterColumnOp,
  AlterTableOptionsOp,
  DropConstraintOp,
  MigrationOp,
} from '../../operations/migration-op.ts'
import { isCodeObjectOp, isSchemaObjectOp } from '../../operations/migration-op.ts'
import type { MysqlTableOptions } from '../../schema/engine-options.ts'
import type { ForeignKeyDef, ViewDef } from '../../schema/schema-snapshot.ts'
import { bulkInsertStatements } from '../bulk-insert.ts'
import type { Connection } from '../connection.ts'
import type { CompiledStatement, DdlCompiler } from '../dialect.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import {
  checkClause,
  columnDefinition,
  createTableSql,
  foreignKeyClause,
  indexClause,
  list,
  refused,
  tableOptionsClause,
  uniqueClause,
  unsupported,
} from './mysql-ddl-fragments.ts'
import type { MysqlServer, MysqlUrlOptions } from './mysql-driver.ts'
import { mysqlExpression } from './mysql-expression.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './mysql-quoting.ts'
import { inlineMysqlParams, mysqlLiteralOf } from './mysql-sql-text.ts'
import type { MysqlTypeMapper } from './mysql-type-mapper.ts'

/** The most parameters one prepared statement may carry. */
const MAX_PARAMS = 65_535

/**
 * How an ALTER TABLE may run (manual, 17.12.1 "Online DDL Operations"; MariaDB, "InnoDB Online
 * DDL Overview"). `instant` changes only metadata; `online` may rebuild the table but lets reads
 * and writes go on. Each is an assertion: a server that could do the change only by copying the
 * table under a write lock fails instead (error 1845/1846), where without the clause it would
 * block writes for as long as the copy takes.
 */
type OnlineClass = 'instant' | 'online' | 'any'

/**
 * The largest table (data and indexes, as `information_schema.TABLES` estimates them) that a change
 * MySQL makes only by copying may copy: a megabyte copies in milliseconds, so the write lock it
 * takes is shorter than many a row lock. A bigger table must be changed online, or the step fails
 * with what to do instead.
 */
const COPY_LIMIT_BYTES = 1024 * 1024

/**
 * Compiles operations to MySQL and MariaDB statements. Each ALTER TABLE states how it must run
 * (see {@link OnlineClass}) unless the URL says `onlineDdl=off`. A change MySQL makes only with a
 * column's whole definition (`MODIFY COLUMN`: type, nullability, comment, collation) is written
 * from the column as the database holds it ({@link compileWithDatabase}); an offline script
 * refuses it. A foreign key is added without checking existing rows (which would copy the table)
 * and checked right after by a query, while the key already guards new writes.
 */
export class MysqlDdlCompiler implements DdlCompiler {
  constructor(
    readonly types: MysqlTypeMapper,
    private readonly server: MysqlServer,
    private readonly options: MysqlUrlOptions = { onlineDdl: 'require' },
  ) {}

  compile(op: MigrationOp): readonly CompiledStatement[] {
    switch (op.kind) {
      case 'execute':
        return [{ sql: op.sql, params: op.params }]
      case 'bulkInsert':
        return bulkInsertStatements(op, {
          table: quoteQualified(op.schema, op.table),
          columns: list(op.columns),
          maxParams: MAX_PARAMS,
          placeholder: () => '?',
        })
      default: {
        if (this.needsDatabase(op) && !mayCopyOnly(op)) {
          throw new InvalidOperationError(
            `MySQL changes ${describeNeed(op)} only by restating the whole column or constraint, which aludel writes from the database: run this migration online (not with --sql), or write the statement by hand with op.execute`,
          )
        }
        return this.ddl(op)
      }
    }
  }

  needsDatabase(op: MigrationOp): boolean {
    switch (op.kind) {
      case 'alterColumn':
        return modifies(op)
      case 'dropConstraint':
        return op.definition === undefined
      case 'dropIndex':
        return op.table === undefined
      case 'validateConstraint':
        return true
      case 'createCheckConstraint':
        return true
      case 'addColumn':
        return op.column.generated !== undefined
      case 'alterTableOptions':
        return tableOptionsOf(op) !== undefined
      case 'batchAlterTable':
        return op.ops.some((inner) => this.needsDatabase(inner))
      default:
        return false
    }
  }

  async compileWithDatabase(
    op: MigrationOp,
    connection: Connection,
  ): Promise<readonly CompiledStatement[]> {
    switch (op.kind) {
      case 'alterColumn': {
        if (!modifies(op)) return this.alterColumn(op, undefined, false)
        const copies = op.changes.type !== undefined || op.changes.collation !== undefined
        return this.alterColumn(
          op,
          await readColumn(connection, op, this.server.mariadb),
          copies && (await isSmall(connection, op.schema, op.table)),
        )
      }
      case 'createCheckConstraint':
      case 'addColumn':
      case 'alterTableOptions':
        return this.ddl(op, await isSmall(connection, op.schema, op.table))
      case 'dropConstraint': {
        if (op.definition !== undefined) return this.ddl(op)
        const type = await constraintType(connection, op)
        return this.dropConstraint(op, type)
      }
      case 'dropIndex': {
        if (op.table !== undefined) return this.ddl(op)
        const table = await indexTable(connection, op.schema, op.name)
        return this.ddl({ ...op, table })
      }
      case 'validateConstraint':
        return validate(connection, op.schema, op.table, op.name)
      case 'batchAlterTable': {
        const out: CompiledStatement[] = []
        for (const inner of op.ops) out.push(...(await this.compileWithDatabase(inner, connection)))
        return out
      }
      default:
        return this.compile(op)
    }
  }

  quoteIdentifier(name: string): string {
    return quoteIdentifier(name)
  }

  quoteQualified(schema: string | undefined, name: string): string {
    return quoteQualified(schema, name)
  }

  renderLiteral(value: unknown): string {
    return mysqlLiteralOf(value)
  }

  inlineParams(sql: string, params: readonly unknown[]): string {
    return inlineMysqlParams(sql, params)
  }

  placeholder(): string {
    return '?'
  }

  /** `ALTER TABLE t <change>` with the clause that says how it must run. */
  private alter(
    schema: string | undefined,
    table: string,
    change: string,
    how: OnlineClass,
  ): CompiledStatement {
    return {
      sql: `ALTER TABLE ${quoteQualified(schema, table)} ${change}${this.clause(how)}`,
      params: [],
    }
  }

  /**
   * MariaDB takes `ALGORITHM=INPLACE` as "in place or better", so it still makes an instant change
   * instantly; MySQL 8 takes it literally (an instant ADD COLUMN would rebuild the table) and
   * accepts no LOCK clause with INSTANT.
   */
  private clause(how: OnlineClass): string {
    if (this.options.onlineDdl === 'off' || how === 'any') return ''
    return how === 'instant' && !this.server.mariadb
      ? ', ALGORITHM=INSTANT'
      : ', ALGORITHM=INPLACE, LOCK=NONE'
  }

  /** @param small the table is small enough to be copied (see {@link COPY_LIMIT_BYTES}) */
  private ddl(
    op: Exclude<MigrationOp, { readonly kind: 'execute' | 'bulkInsert' }>,
    small = false,
  ): readonly CompiledStatement[] {
    const plain = (sql: string): CompiledStatement => ({ sql, params: [] })
    if (isSchemaObjectOp(op) || isCodeObjectOp(op)) {
      if (op.kind === 'createView') return [plain(createViewSql(op.view, false, this.server))]
      if (op.kind === 'replaceView') return [plain(createViewSql(op.view, true, this.server))]
      if (op.kind === 'renameView') {
        if (op.materialized) throw unsupported('materialized views')
        return [
          plain(
            `RENAME TABLE ${quoteQualified(op.schema, op.from)} TO ${quoteQualified(op.schema, op.to)}`,
          ),
        ]
      }
      if (op.kind === 'dropView') {
        return [
          plain(
            `DROP VIEW ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`,
          ),
        ]
      }
      throw unsupported(describeKind(op.kind))
    }
    switch (op.kind) {
      case 'createTable':
        return [plain(createTableSql(op.table, this.types, op.ifNotExists, this.server))]
      case 'dropTable':
        if (op.cascade) throw refused('DROP TABLE ... CASCADE', 'drop the dependent objects first')
        return [
          plain(
            `DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${quoteQualified(op.schema, op.name)}`,
          ),
        ]
      case 'renameTable':
        // RENAME TABLE changes only metadata, atomically.
        return [
          plain(
            `RENAME TABLE ${quoteQualified(op.schema, op.from)} TO ${quoteQualified(op.schema, op.to)}`,
          ),
        ]
      case 'addColumn': {
        const c = op.column
        const how: OnlineClass =
          c.generated !== undefined && small
            ? 'any'
            : c.serial || c.generated !== undefined
              ? 'online'
              : 'instant'
        return [
          this.alter(
            op.schema,
            op.table,
            `ADD COLUMN ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${columnDefinition(c, this.types, this.server)}`,
            how,
          ),
        ]
      }
      case 'dropColumn':
        if (op.cascade) throw refused('DROP COLUMN ... CASCADE', 'drop what uses the column first')
        return [
          this.alter(op.schema, op.table, `DROP COLUMN ${quoteIdentifier(op.column)}`, 'online'),
        ]
      case 'alterColumn':
        return this.alterColumn(op, undefined, false)
      case 'batchAlterTable':
        return op.ops.flatMap((inner) => this.ddl(inner))
      case 'createIndex':
        // Every InnoDB index build lets writes go on; CONCURRENTLY asks exactly that.
        return [
          this.alter(
            op.schema,
            op.table,
            `ADD ${indexClause(op.index, op.ifNotExists, this.server)}`,
            'online',
          ),
        ]
      case 'dropIndex':
        if (op.table === undefined)
          throw new InvalidOperationError(
            `MySQL drops an index through its table; name the table of ${op.name}`,
          )
        return [
          this.alter(
            op.schema,
            op.table,
            `DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(op.name)}`,
            'online',
          ),
        ]
      case 'createForeignKey':
        return this.addForeignKey(op.schema, op.table, op.foreignKey, op.notValid)
      case 'createUniqueConstraint':
        if (op.usingIndex !== undefined) {
          // A unique index is the constraint in MySQL: adopting it is a rename.
          return [
            this.alter(
              op.schema,
              op.table,
              `RENAME INDEX ${quoteIdentifier(op.usingIndex)} TO ${quoteIdentifier(op.unique.name ?? op.usingIndex)}`,
              'instant',
            ),
          ]
        }
        return [this.alter(op.schema, op.table, `ADD ${uniqueClause(op.unique)}`, 'online')]
      case 'createCheckConstraint':
        // MySQL checks every row under a write lock when a CHECK is added; no online form exists.
        return [
          this.alter(
            op.schema,
            op.table,
            `ADD ${checkClause(op.check, this.server)}`,
            small ? 'any' : 'online',
          ),
        ]
      case 'createPrimaryKey':
        return [
          this.alter(
            op.schema,
            op.table,
            `ADD PRIMARY KEY (${list(op.primaryKey.columns)})`,
            'online',
          ),
        ]
      case 'dropConstraint':
        if (op.definition === undefined)
          throw new InvalidOperationError(
            `MySQL drops a constraint by its kind; aludel reads the kind of ${op.name} from the database`,
          )
        return this.dropConstraint(op, op.definition.type)
      case 'createTableComment':
        return [this.alter(op.schema, op.table, `COMMENT = ${quoteString(op.comment)}`, 'instant')]
      case 'dropTableComment':
        return [this.alter(op.schema, op.table, `COMMENT = ''`, 'instant')]
      case 'alterTableOptions': {
        const options = tableOptionsOf(op)
        if (options === undefined) return []
        // One statement for all: a new engine copies the table once, with its new defaults.
        // A new character set or collation is only the default of columns added later: the
        // existing columns keep theirs (`CONVERT TO CHARACTER SET` would rewrite them and their
        // values, which aludel never does unasked; alterColumn changes a column's collation).
        // What MariaDB 10.11 accepts (tried with each clause): on an InnoDB table a new default
        // character set or collation changes only metadata (ALGORITHM=INSTANT and INPLACE with
        // LOCK=NONE both pass), and `ENGINE=InnoDB` rebuilds it in place with LOCK=NONE (INSTANT
        // and NOCOPY refused); any other engine change, and even a new default character set of
        // an Aria or MyISAM table, is made only by copying (INPLACE and LOCK=NONE refused, error
        // 1845, before anything is done). So each asks for an online change, which MariaDB
        // grants or refuses at once, unless the table is small enough to copy. MySQL 8 lists
        // "specifying a character set" as in place, not instant; INPLACE asks no more than that.
        return [
          this.alter(op.schema, op.table, tableOptionsClause(options), small ? 'any' : 'online'),
        ]
      }
      case 'validateConstraint':
        throw new InvalidOperationError(
          `validating ${op.name} reads the database; run this migration online`,
        )
      default:
        throw unsupported(describeKind(op.kind))
    }
  }

  /**
   * A foreign key added with `foreign_key_checks` off for that one statement, which MySQL needs to
   * add it in place without blocking writes; existing rows are then checked by a query (unless
   * `notValid`), and the step fails, naming the key, if any row breaks it.
   */
  private addForeignKey(
    schema: string | undefined,
    table: string,
    fk: ForeignKeyDef,
    notValid: boolean,
  ): readonly CompiledStatement[] {
    const alter = this.alter(schema, table, `ADD ${foreignKeyClause(fk)}`, 'online').sql
    const sql = this.server.mariadb
      ? `SET STATEMENT foreign_key_checks = 0 FOR ${alter}`
      : alter.replace(/^ALTER TABLE/, 'ALTER /*+ SET_VAR(foreign_key_checks = OFF) */ TABLE')
    return [{ sql, params: [] }, ...(notValid ? [] : [orphanCheck(schema, table, fk)])]
  }

  private dropConstraint(op: DropConstraintOp, type: string): readonly CompiledStatement[] {
    const name = quoteIdentifier(op.name)
    switch (type) {
      case 'foreignKey':
        return [
          this.alter(
            op.schema,
            op.table,
            `DROP FOREIGN KEY ${op.ifExists ? 'IF EXISTS ' : ''}${name}`,
            'online',
          ),
        ]
      case 'unique':
        return [
          this.alter(
            op.schema,
            op.table,
            `DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${name}`,
            'online',
          ),
        ]
      case 'primaryKey':
        return [this.alter(op.schema, op.table, 'DROP PRIMARY KEY', 'online')]
      case 'check':
        return [
          this.alter(
            op.schema,
            op.table,
            `DROP CONSTRAINT ${op.ifExists ? 'IF EXISTS ' : ''}${name}`,
            'online',
          ),
        ]
      default:
        throw unsupported(`${type} constraints`)
    }
  }

  /**
   * Default and name change in place; anything else restates the column (`MODIFY COLUMN`) from
   * `current`, its definition as the database holds it, with the changes applied.
   */
  private alterColumn(
    op: AlterColumnOp,
    current: LiveColumn | undefined,
    small: boolean,
  ): readonly CompiledStatement[] {
    const c = op.changes
    const out: CompiledStatement[] = []
    const column = quoteIdentifier(op.column)
    if (current !== undefined) {
      const type = c.type !== undefined ? this.types.sqlType(c.type.to) : current.columnType
      if (c.type?.using !== undefined) {
        throw refused(
          'USING in a column type change',
          'convert the values with an UPDATE before or after the change',
        )
      }
      const collation =
        c.collation !== undefined ? c.collation.to : c.type === undefined ? current.collation : null
      const nullable = c.nullable?.to ?? current.nullable
      const comment = c.comment !== undefined ? c.comment.to : current.comment
      const parts = [column, type]
      if (collation !== null && collation !== undefined)
        parts.push(`COLLATE ${quoteIdentifier(collation)}`)
      if (current.generated !== undefined) parts.push(current.generated)
      parts.push(nullable ? 'NULL' : 'NOT NULL')
      if (c.default !== undefined) {
        if (c.default.to !== null)
          parts.push(`DEFAULT ${this.types.sqlDefault(c.default.to, c.type?.to)}`)
      } else if (current.default !== undefined) parts.push(`DEFAULT ${current.default}`)
      parts.push(...current.extra)
      if (comment !== null && comment !== undefined && comment !== '')
        parts.push(`COMMENT ${quoteString(comment)}`)
      // A type change copies the table; a change of nullability rebuilds it in place.
      const how: OnlineClass = small
        ? 'any'
        : c.type === undefined && c.nullable === undefined && c.collation === undefined
          ? 'instant'
          : 'online'
      out.push(this.alter(op.schema, op.table, `MODIFY COLUMN ${parts.join(' ')}`, how))
    } else if (c.default !== undefined) {
      out.push(
        this.alter(
          op.schema,
          op.table,
          c.default.to === null
            ? `ALTER COLUMN ${column} DROP DEFAULT`
            : `ALTER COLUMN ${column} SET DEFAULT ${this.types.sqlDefault(c.default.to, undefined)}`,
          'instant',
        ),
      )
    }
    // The rename last: the statements above name the column as it is now.
    if (c.name !== undefined) {
      out.push(
        this.alter(
          op.schema,
          op.table,
          `RENAME COLUMN ${column} TO ${quoteIdentifier(c.name.to)}`,
          'instant',
        ),
      )
    }
    return out
  }
}

/** A change compiled from the database only to learn the table's size: offline, it must run online. */
function mayCopyOnly(op: MigrationOp): boolean {
  if (op.kind === 'batchAlterTable') return op.ops.every(mayCopyOnly)
  return (
    op.kind === 'createCheckConstraint' ||
    op.kind === 'addColumn' ||
    op.kind === 'alterTableOptions'
  )
}

/** The MySQL options an `alterTableOptions` sets; undefined when it names none (a no-op here). */
function tableOptionsOf(op: AlterTableOptionsOp): MysqlTableOptions | undefined {
  const options = op.options.mysql
  if (options === undefined) return undefined
  const stated =
    options.engine !== undefined || options.charset !== undefined || options.collation !== undefined
  return stated ? options : undefined
}

/** Whether a table is small enough to be copied (see {@link COPY_LIMIT_BYTES}). */
async function isSmall(
  connection: Connection,
  schema: string | undefined,
  table: string,
): Promise<boolean> {
  const { rows } = await connection.query<{ bytes: number | string | null }>(
    'SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
    [schema ?? null, table],
  )
  const bytes = rows[0]?.bytes
  return bytes !== null && bytes !== undefined && Number(bytes) <= COPY_LIMIT_BYTES
}

/** `CREATE [OR REPLACE] VIEW`, with the options MySQL has. */
function createViewSql(view: ViewDef, replace: boolean, server: MysqlServer): string {
  if (view.materialized) throw unsupported('materialized views')
  if (view.securityBarrier) throw unsupported('security_barrier views')
  if (view.comment !== undefined) throw unsupported('comments on views')
  const security = view.securityInvoker ? 'SQL SECURITY INVOKER ' : ''
  const check =
    view.checkOption === undefined ? '' : `\nWITH ${view.checkOption.toUpperCase()} CHECK OPTION`
  return `CREATE ${replace ? 'OR REPLACE ' : ''}${security}VIEW ${quoteQualified(view.schema, view.name)} AS\n${mysqlExpression(view.definition, server)}${check}`
}

/** Changes that only a MODIFY COLUMN restating the whole column makes. */
function modifies(op: AlterColumnOp): boolean {
  const c = op.changes
  return (
    c.type !== undefined ||
    c.nullable !== undefined ||
    c.comment !== undefined ||
    c.collation !== undefined
  )
}

function describeNeed(op: MigrationOp): string {
  switch (op.kind) {
    case 'alterColumn':
      return `the type, nullability, comment or collation of ${op.table}.${op.column}`
    case 'dropConstraint':
      return `a constraint (${op.name}) of unknown kind`
    case 'dropIndex':
      return `an index (${op.name}) of an unnamed table`
    case 'validateConstraint':
      return `nothing to validate (${op.name}) without reading the rows`
    default:
      return op.kind
  }
}

/** An operation kind in words: `createSequence` → `sequences`, for "MySQL has no ...". */
function describeKind(kind: string): string {
  const words: Readonly<Record<string, string>> = {
    createSchema: 'schemas (a MySQL schema is a database: create it outside migrations)',
    dropSchema: 'schemas (a MySQL schema is a database: drop it outside migrations)',
    createEnum: 'enum types (use varchar with a check)',
    dropEnum: 'enum types',
    addEnumValue: 'enum types',
    renameEnumValue: 'enum types',
    createExclusionConstraint: 'exclusion constraints',
    createMaterializedView: 'materialized views',
    dropMaterializedView: 'materialized views',
    refreshMaterializedView: 'materialized views',
  }
  return (
    words[kind] ??
    `${kind
      .replace(/^(create|drop|alter|replace|rename|attach|detach|refresh)/, '')
      .replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)
      .trim()} operations in aludel`
  )
}

/** A column as `information_schema.COLUMNS` shows it, in pieces a MODIFY COLUMN restates. */
interface LiveColumn {
  readonly columnType: string
  readonly nullable: boolean
  /** The DEFAULT clause's expression, in parentheses where it must be; undefined: none. */
  readonly default: string | undefined
  /** `GENERATED ALWAYS AS (...) STORED|VIRTUAL`, for a generated column. */
  readonly generated: string | undefined
  readonly collation: string | undefined
  readonly comment: string | undefined
  /** `AUTO_INCREMENT`, `ON UPDATE current_timestamp()`. */
  readonly extra: readonly string[]
}

async function readColumn(
  connection: Connection,
  op: AlterColumnOp,
  mariadb: boolean,
): Promise<LiveColumn> {
  const { rows } = await connection.query<{
    COLUMN_TYPE: string
    IS_NULLABLE: string
    COLUMN_DEFAULT: string | null
    EXTRA: string
    COLLATION_NAME: string | null
    COLUMN_COMMENT: string
    GENERATION_EXPRESSION: string | null
  }>(
    `SELECT COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME, COLUMN_COMMENT, GENERATION_EXPRESSION
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
    [op.schema ?? null, op.table, op.column],
  )
  const row = rows[0]
  if (row === undefined) {
    throw new InvalidOperationError(
      `cannot change column ${op.column} of ${quoteQualified(op.schema, op.table)}: the database has no such column`,
    )
  }
  const extra = row.EXTRA.toLowerCase()
  const generated = /\b(stored|virtual|persistent) generated\b/.exec(extra)
  let def: string | undefined
  if (generated === null && row.COLUMN_DEFAULT !== null) {
    // MariaDB prints a default as SQL (`'abc'`, `NULL`, `current_timestamp()`); MySQL prints a
    // literal's bare value and marks an expression DEFAULT_GENERATED.
    // A nullable column without a default shows `NULL`: no DEFAULT clause says the same, and
    // stays valid when the column becomes NOT NULL.
    if (mariadb) def = row.COLUMN_DEFAULT === 'NULL' ? undefined : `(${row.COLUMN_DEFAULT})`
    else
      def = extra.includes('default_generated')
        ? `(${row.COLUMN_DEFAULT})`
        : quoteString(row.COLUMN_DEFAULT)
  }
  const out: string[] = []
  if (extra.includes('auto_increment')) out.push('AUTO_INCREMENT')
  const onUpdate = /on update (\S+(?:\(\d*\))?)/i.exec(row.EXTRA)
  if (onUpdate !== null) out.push(`ON UPDATE ${onUpdate[1]}`)
  return {
    columnType: row.COLUMN_TYPE,
    nullable: row.IS_NULLABLE === 'YES',
    default: def,
    generated:
      generated === null
        ? undefined
        : `GENERATED ALWAYS AS (${row.GENERATION_EXPRESSION ?? ''}) ${generated[1] === 'virtual' ? 'VIRTUAL' : 'STORED'}`,
    collation: row.COLLATION_NAME ?? undefined,
    comment: row.COLUMN_COMMENT === '' ? undefined : row.COLUMN_COMMENT,
    extra: out,
  }
}

const CONSTRAINT_TYPES: Readonly<Record<string, string>> = {
  'FOREIGN KEY': 'foreignKey',
  UNIQUE: 'unique',
  'PRIMARY KEY': 'primaryKey',
  CHECK: 'check',
}

async function constraintType(connection: Connection, op: DropConstraintOp): Promise<string> {
  const { rows } = await connection.query<{ CONSTRAINT_TYPE: string }>(
    'SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?',
    [op.schema ?? null, op.table, op.name],
  )
  const type = rows[0]?.CONSTRAINT_TYPE
  if (type === undefined) {
    if (op.ifExists) return 'check'
    throw new InvalidOperationError(
      `cannot drop constraint ${op.name} of ${quoteQualified(op.schema, op.table)}: the table has no constraint of that name`,
    )
  }
  return CONSTRAINT_TYPES[type] ?? type.toLowerCase()
}

async function indexTable(
  connection: Connection,
  schema: string | undefined,
  name: string,
): Promise<string> {
  const { rows } = await connection.query<{ TABLE_NAME: string }>(
    'SELECT DISTINCT TABLE_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND INDEX_NAME = ?',
    [schema ?? null, name],
  )
  if (rows.length !== 1) {
    throw new InvalidOperationError(
      rows.length === 0
        ? `cannot drop index ${name}: no table of the database has an index of that name`
        : `cannot drop index ${name}: the tables ${rows.map((r) => r.TABLE_NAME).join(', ')} each have one; name the table (op.dropIndex(name, { table }))`,
    )
  }
  return rows[0]!.TABLE_NAME
}

/** `VALIDATE CONSTRAINT` as MySQL can: a foreign key's orphan rows, a check's failing rows. */
async function validate(
  connection: Connection,
  schema: string | undefined,
  table: string,
  name: string,
): Promise<readonly CompiledStatement[]> {
  const { rows } = await connection.query<{
    COLUMN_NAME: string
    REFERENCED_TABLE_SCHEMA: string | null
    REFERENCED_TABLE_NAME: string | null
    REFERENCED_COLUMN_NAME: string | null
    db: string
  }>(
    `SELECT COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME, DATABASE() AS db
FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY ORDINAL_POSITION`,
    [schema ?? null, table, name],
  )
  // A check is validated by MySQL when it is added: nothing is left to check.
  if (rows.length === 0) return []
  const first = rows[0]!
  const referencedSchema =
    first.REFERENCED_TABLE_SCHEMA === first.db
      ? undefined
      : (first.REFERENCED_TABLE_SCHEMA ?? undefined)
  return [
    orphanCheck(schema, table, {
      name,
      columns: rows.map((r) => r.COLUMN_NAME),
      referencedSchema,
      referencedTable: first.REFERENCED_TABLE_NAME ?? '',
      referencedColumns: rows.map((r) => r.REFERENCED_COLUMN_NAME ?? ''),
      onDelete: undefined,
      onUpdate: undefined,
      deferrable: false,
      initiallyDeferred: false,
    }),
  ]
}

/** A query for the first rows that break foreign key `fk`, failing the step if there are any. */
function orphanCheck(
  schema: string | undefined,
  table: string,
  fk: ForeignKeyDef,
): CompiledStatement {
  const join = fk.columns
    .map((c, i) => `p.${quoteIdentifier(fk.referencedColumns[i] ?? c)} = c.${quoteIdentifier(c)}`)
    .join(' AND ')
  const present = fk.columns.map((c) => `c.${quoteIdentifier(c)} IS NOT NULL`).join(' AND ')
  const shown = fk.columns.map((c) => `c.${quoteIdentifier(c)}`).join(", ', ', ")
  return {
    sql: `SELECT CONCAT(${fk.columns.length === 1 ? shown : `'(', ${shown}, ')'`}) AS bad FROM ${quoteQualified(schema, table)} c
WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${quoteQualified(fk.referencedSchema, fk.referencedTable)} p WHERE ${join}) LIMIT 5`,
    params: [],
    failsOnRows: `foreign key ${fk.name ?? ''} of ${table} now guards new rows, but existing rows break it; fix or delete them (${list(fk.columns)})`,
  }
}
