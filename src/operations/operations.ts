import { ColumnBuilder } from '../schema/column-builder.ts'
import type { EnumType } from '../schema/enum-type.ts'
import { isEnumType } from '../schema/enum-type.ts'
import { index as indexBuilder } from '../schema/index-builder.ts'
import type { IndexElementBuilder } from '../schema/index-element.ts'
import type { InsertOf } from '../schema/insert-of.ts'
import type { NamingConvention } from '../schema/naming-convention.ts'
import type {
  ColumnDefault,
  ColumnType,
  IndexDef,
  LiteralValue,
  ReferentialAction,
} from '../schema/schema-snapshot.ts'
import { SqlFragment } from '../schema/sql.ts'
import type { AnyTable } from '../schema/table.ts'
import { isTable, TABLE } from '../schema/table.ts'
import { toColumnDef } from '../schema/to-column-def.ts'
import { toIndexDef } from '../schema/to-index-def.ts'
import { toTableDef } from '../schema/to-table-def.ts'
import type { ColumnChanges, ConstraintDefinition, MigrationOp } from './migration-op.ts'
import type { OpExecutor } from './op-executor.ts'
import { ConcurrentlyInTransactionError } from './operation-errors.ts'

/**
 * Names in migrations: unnamed objects get the default convention's names, but a check's name is
 * taken as written (in models, `check('positive', ...)` becomes `ck_items_positive`; a migration
 * states the final name, as autogenerate writes it).
 */
export const MIGRATION_NAMING_CONVENTION: NamingConvention = Object.freeze({
  ck: '%(constraint_name)s',
})

/** What the running migration is, as far as its operations care. */
export interface OperationsContext {
  /** False when the migration runs outside a transaction (`transactional = false`). */
  readonly transactional: boolean
  /**
   * Names for constraints and indexes the DSL leaves unnamed. Default:
   * {@link MIGRATION_NAMING_CONVENTION}.
   */
  readonly namingConvention?: NamingConvention
}

/** SQL as a string, or an `sql` fragment. */
export type SqlText = string | SqlFragment

/** A table, optionally in a schema: every operation on an existing object accepts `schema`. */
export interface InSchema {
  /** Default: the connection's current schema (`public`). */
  readonly schema?: string
}

/** Options of {@link Operations.alterColumn}. */
export interface AlterColumnOptions extends InSchema {
  /** New type, as a column builder (`varchar(100)`) or a snapshot type. */
  readonly type?: ColumnBuilder | ColumnType
  /** Converts existing values to the new type (`USING`), e.g. `'price::numeric(10,2)'`. */
  readonly using?: SqlText
  readonly nullable?: boolean
  /** New default: a value, an `sql` fragment, or null to drop it. */
  readonly default?: LiteralValue | SqlFragment
  /** New name for the column (renamed after the other changes). */
  readonly rename?: string
  /** New comment; null removes it. */
  readonly comment?: string | null
  /** What the type was — needed only to reverse the change. */
  readonly existingType?: ColumnBuilder | ColumnType
  readonly existingUsing?: SqlText
  readonly existingNullable?: boolean
  /** What the default was (null: none) — needed only to reverse the change. */
  readonly existingDefault?: LiteralValue | SqlFragment
  readonly existingComment?: string | null
}

/** Options of {@link Operations.createIndex}. */
export interface CreateIndexOptions extends InSchema {
  readonly unique?: boolean
  /** Partial index predicate. */
  readonly where?: SqlText
  /** Access method: gin, gist, brin, hash, ... Default btree. */
  readonly using?: string
  /** Non-key columns stored in the index. */
  readonly include?: readonly string[]
  /**
   * Build without blocking writes (`CREATE INDEX CONCURRENTLY`); the migration must declare
   * `export const transactional = false`.
   */
  readonly concurrently?: boolean
  readonly ifNotExists?: boolean
}

/** Options of {@link Operations.createForeignKey}. */
export interface CreateForeignKeyOptions {
  readonly sourceSchema?: string
  readonly referentSchema?: string
  readonly onDelete?: ReferentialAction
  readonly onUpdate?: ReferentialAction
  readonly deferrable?: boolean
  readonly initiallyDeferred?: boolean
  /** Do not check existing rows now (`NOT VALID`); validate later. */
  readonly notValid?: boolean
}

/**
 * The `op` object a migration's `upgrade(op)` and `downgrade(op)` receive. Each method builds an
 * operation object and hands it to the runtime, which runs it (online) or writes it as SQL
 * (offline, `--sql`). Column and table definitions use the same DSL as the models.
 *
 * @example
 * import { integer, table, text, varchar, type Operations } from 'aludel'
 *
 * export async function upgrade(op: Operations): Promise<void> {
 *   await op.createTable(table('users', {
 *     id: integer().primaryKey().identity(),
 *     email: varchar(255).notNull().unique(),
 *   }))
 *   await op.addColumn('users', 'bio', text())
 *   await op.createIndex('ix_users_email', 'users', ['email'], { unique: true })
 * }
 */
export class Operations {
  readonly #executor: OpExecutor
  readonly #context: OperationsContext

  constructor(executor: OpExecutor, context: OperationsContext = { transactional: true }) {
    this.#executor = executor
    this.#context = context
  }

  /** `CREATE SCHEMA`. */
  async createSchema(
    name: string,
    options: { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    await this.#run({ kind: 'createSchema', name, ifNotExists: options.ifNotExists ?? false })
  }

  /** `DROP SCHEMA` (with `cascade`, everything in it too — irreversible). */
  async dropSchema(
    name: string,
    options: { readonly ifExists?: boolean; readonly cascade?: boolean } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'dropSchema',
      name,
      ifExists: options.ifExists ?? false,
      cascade: options.cascade ?? false,
    })
  }

  /**
   * Creates a table declared with the model DSL, its constraints and its indexes. Enum types its
   * columns use must exist already (`op.createEnum`).
   *
   * @example
   * await op.createTable(table('items', {
   *   id: integer().primaryKey().identity(),
   *   title: varchar(200).notNull().index(),
   *   ownerId: integer('owner_id').references('users', 'id', { onDelete: 'cascade' }),
   * }))
   */
  async createTable(
    table: AnyTable,
    options: { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createTable',
      table: toTableDef(table, this.#convention()),
      ifNotExists: options.ifNotExists ?? false,
    })
  }

  /**
   * `DROP TABLE`. Given the table's definition (`table(...)`) rather than its name, the drop can be
   * reversed.
   */
  async dropTable(
    table: string | AnyTable,
    options: InSchema & { readonly ifExists?: boolean; readonly cascade?: boolean } = {},
  ): Promise<void> {
    const definition = typeof table === 'string' ? undefined : toTableDef(table, this.#convention())
    await this.#run({
      kind: 'dropTable',
      schema: definition?.schema ?? options.schema,
      name: definition?.name ?? (table as string),
      ifExists: options.ifExists ?? false,
      cascade: options.cascade ?? false,
      definition,
    })
  }

  /** `ALTER TABLE ... RENAME TO`. */
  async renameTable(from: string, to: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'renameTable', schema: options.schema, from, to })
  }

  /**
   * Adds a column, followed by whatever its modifiers imply (`.references()` a foreign key,
   * `.unique()` a constraint, `.index()` an index, `.check()` a check).
   *
   * @example await op.addColumn('users', 'first_name', text())
   */
  async addColumn(
    table: string,
    name: string,
    column: ColumnBuilder,
    options: InSchema & { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    const def = toColumnDef(column, {
      table,
      name,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...this.#convention(),
    })
    const base = { schema: options.schema, table }
    await this.#run({
      kind: 'addColumn',
      ...base,
      column: def.column,
      ifNotExists: options.ifNotExists ?? false,
    })
    if (def.primaryKey)
      await this.#run({ kind: 'createPrimaryKey', ...base, primaryKey: def.primaryKey })
    for (const unique of def.uniques)
      await this.#run({ kind: 'createUniqueConstraint', ...base, unique })
    for (const check of def.checks) {
      await this.#run({ kind: 'createCheckConstraint', ...base, check, notValid: false })
    }
    for (const foreignKey of def.foreignKeys) {
      await this.#run({ kind: 'createForeignKey', ...base, foreignKey, notValid: false })
    }
    for (const index of def.indexes) {
      await this.#run({
        kind: 'createIndex',
        ...base,
        index,
        concurrently: false,
        ifNotExists: false,
      })
    }
  }

  /**
   * `ALTER TABLE ... DROP COLUMN`. With `definition` (the column as it was), the drop can be
   * reversed.
   */
  async dropColumn(
    table: string,
    column: string,
    options: InSchema & {
      readonly ifExists?: boolean
      readonly cascade?: boolean
      readonly definition?: ColumnBuilder
    } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'dropColumn',
      schema: options.schema,
      table,
      column,
      ifExists: options.ifExists ?? false,
      cascade: options.cascade ?? false,
      definition:
        options.definition === undefined
          ? undefined
          : toColumnDef(options.definition, { table, name: column, ...this.#convention() }).column,
    })
  }

  /**
   * Changes a column's type (with `using`), nullability, default, comment or name. The `existing*`
   * options say what each property was; they are needed only to reverse the change.
   *
   * @example
   * await op.alterColumn('items', 'price', { type: numeric(10, 2), using: 'price::numeric(10,2)' })
   * await op.alterColumn('users', 'email', { nullable: false, existingNullable: true })
   * await op.alterColumn('users', 'fullname', { rename: 'full_name' })
   */
  async alterColumn(table: string, column: string, options: AlterColumnOptions): Promise<void> {
    const changes: {
      -readonly [K in keyof ColumnChanges]: ColumnChanges[K]
    } = {}
    if (options.type !== undefined) {
      changes.type = {
        to: this.#typeOf(options.type, table, column),
        ...(options.existingType === undefined
          ? {}
          : { from: this.#typeOf(options.existingType, table, column) }),
        ...(options.using === undefined ? {} : { using: sqlText(options.using) }),
        ...(options.existingUsing === undefined
          ? {}
          : { fromUsing: sqlText(options.existingUsing) }),
      }
    }
    if (options.nullable !== undefined) {
      changes.nullable = {
        to: options.nullable,
        ...(options.existingNullable === undefined ? {} : { from: options.existingNullable }),
      }
    }
    if ('default' in options) {
      changes.default = {
        to: columnDefault(options.default),
        ...('existingDefault' in options ? { from: columnDefault(options.existingDefault) } : {}),
      }
    }
    if (options.comment !== undefined) {
      changes.comment = {
        to: options.comment,
        ...(options.existingComment === undefined ? {} : { from: options.existingComment }),
      }
    }
    if (options.rename !== undefined) changes.name = { to: options.rename, from: column }
    await this.#run({ kind: 'alterColumn', schema: options.schema, table, column, changes })
  }

  /**
   * `CREATE INDEX`. Elements are column names, `sql` fragments (expression indexes) or
   * `indexElement(...)` builders (ordering, operator class).
   *
   * @example
   * await op.createIndex('ix_users_email_lower', 'users', [sql`lower(email)`], { unique: true })
   * await op.createIndex('ix_items_title', 'items', ['title'], { concurrently: true })
   */
  async createIndex(
    name: string,
    table: string,
    elements: readonly (string | SqlFragment | IndexElementBuilder)[],
    options: CreateIndexOptions = {},
  ): Promise<void> {
    const concurrently = options.concurrently ?? false
    this.#requireNoTransaction(concurrently, `op.createIndex('${name}', { concurrently: true })`)
    let builder = indexBuilder(name).on(...elements)
    if (options.unique) builder = builder.unique()
    if (options.where !== undefined) builder = builder.where(fragment(options.where))
    if (options.using !== undefined) builder = builder.using(options.using)
    if (options.include !== undefined && options.include.length > 0) {
      builder = builder.include(...options.include)
    }
    const def = toIndexDef(builder, {
      table,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...this.#convention(),
    })
    await this.#run({
      kind: 'createIndex',
      schema: def.schema,
      table,
      index: def.index,
      concurrently,
      ifNotExists: options.ifNotExists ?? false,
    })
  }

  /** `DROP INDEX`. With `table` and `definition`, the drop can be reversed. */
  async dropIndex(
    name: string,
    options: InSchema & {
      readonly table?: string
      readonly concurrently?: boolean
      readonly ifExists?: boolean
      readonly definition?: IndexDef
    } = {},
  ): Promise<void> {
    const concurrently = options.concurrently ?? false
    this.#requireNoTransaction(concurrently, `op.dropIndex('${name}', { concurrently: true })`)
    await this.#run({
      kind: 'dropIndex',
      schema: options.schema,
      name,
      table: options.table,
      concurrently,
      ifExists: options.ifExists ?? false,
      definition: options.definition,
    })
  }

  /**
   * Adds a foreign key from `sourceTable(localColumns)` to `referentTable(remoteColumns)`, argument
   * order as in Alembic.
   */
  async createForeignKey(
    name: string,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: CreateForeignKeyOptions = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createForeignKey',
      schema: options.sourceSchema,
      table: sourceTable,
      foreignKey: {
        name,
        columns: localColumns,
        referencedSchema: options.referentSchema,
        referencedTable: referentTable,
        referencedColumns: remoteColumns,
        onDelete: options.onDelete,
        onUpdate: options.onUpdate,
        deferrable: options.deferrable ?? options.initiallyDeferred ?? false,
        initiallyDeferred: options.initiallyDeferred ?? false,
      },
      notValid: options.notValid ?? false,
    })
  }

  /**
   * Adds a unique constraint. With `usingIndex`, the constraint adopts a unique index built
   * beforehand (typically `op.createIndex(..., { unique: true, concurrently: true })`), so the
   * table is locked only briefly; `columns` then name what that index covers.
   *
   * @example
   * await op.createIndex('uq_users_email', 'users', ['email'], { unique: true, concurrently: true })
   * await op.createUniqueConstraint('uq_users_email', 'users', ['email'], { usingIndex: 'uq_users_email' })
   */
  async createUniqueConstraint(
    name: string,
    table: string,
    columns: readonly string[],
    options: InSchema & { readonly nullsNotDistinct?: boolean; readonly usingIndex?: string } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createUniqueConstraint',
      schema: options.schema,
      table,
      unique: { name, columns, nullsNotDistinct: options.nullsNotDistinct ?? false },
      ...(options.usingIndex === undefined ? {} : { usingIndex: options.usingIndex }),
    })
  }

  /** Adds a check constraint; `condition` is the boolean expression. */
  async createCheckConstraint(
    name: string,
    table: string,
    condition: SqlText,
    options: InSchema & { readonly notValid?: boolean } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createCheckConstraint',
      schema: options.schema,
      table,
      check: { name, expression: sqlText(condition) },
      notValid: options.notValid ?? false,
    })
  }

  /** Adds a primary key. */
  async createPrimaryKey(
    name: string,
    table: string,
    columns: readonly string[],
    options: InSchema = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createPrimaryKey',
      schema: options.schema,
      table,
      primaryKey: { name, columns },
    })
  }

  /**
   * Checks the existing rows against a foreign key or check constraint that was added with
   * `notValid: true`. It waits for no writer and blocks none (PostgreSQL takes SHARE UPDATE
   * EXCLUSIVE), but it must not share a transaction with the `NOT VALID` add, whose stronger lock
   * would then be held for the whole scan: run it in a later migration, or in one with
   * `export const transactional = false`. Its reverse is nothing.
   *
   * @example await op.validateConstraint('items', 'fk_items_owner_id_users')
   */
  async validateConstraint(table: string, name: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'validateConstraint', schema: options.schema, table, name })
  }

  /** Drops a constraint by name. With `definition`, the drop can be reversed. */
  async dropConstraint(
    name: string,
    table: string,
    options: InSchema & {
      readonly ifExists?: boolean
      readonly cascade?: boolean
      readonly definition?: ConstraintDefinition
    } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'dropConstraint',
      schema: options.schema,
      table,
      name,
      ifExists: options.ifExists ?? false,
      cascade: options.cascade ?? false,
      definition: options.definition,
    })
  }

  /**
   * `CREATE TYPE ... AS ENUM`, from a name and values or from an `enumType(...)` declaration.
   *
   * @example await op.createEnum('mood', ['sad', 'ok', 'happy'])
   */
  async createEnum(
    nameOrEnum: string | EnumType,
    values?: readonly string[],
    options: InSchema & { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    const def = isEnumType(nameOrEnum)
      ? { schema: nameOrEnum.schema, name: nameOrEnum.name, values: nameOrEnum.values }
      : { schema: options.schema, name: nameOrEnum, values: values ?? [] }
    await this.#run({ kind: 'createEnum', enum: def, ifNotExists: options.ifNotExists ?? false })
  }

  /** `DROP TYPE`. With `values` (or an `enumType(...)`), the drop can be reversed. */
  async dropEnum(
    nameOrEnum: string | EnumType,
    options: InSchema & {
      readonly ifExists?: boolean
      readonly cascade?: boolean
      readonly values?: readonly string[]
    } = {},
  ): Promise<void> {
    const schema = isEnumType(nameOrEnum) ? nameOrEnum.schema : options.schema
    const name = isEnumType(nameOrEnum) ? nameOrEnum.name : nameOrEnum
    const values = isEnumType(nameOrEnum) ? nameOrEnum.values : options.values
    await this.#run({
      kind: 'dropEnum',
      schema,
      name,
      ifExists: options.ifExists ?? false,
      cascade: options.cascade ?? false,
      definition: values === undefined ? undefined : { schema, name, values },
    })
  }

  /**
   * `ALTER TYPE ... ADD VALUE`. PostgreSQL cannot remove enum values, so this step has no
   * automatic reverse. Before PostgreSQL 12 it cannot run inside a transaction.
   */
  async addEnumValue(
    enumName: string,
    value: string,
    options: InSchema & {
      readonly before?: string
      readonly after?: string
      readonly ifNotExists?: boolean
    } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'addEnumValue',
      schema: options.schema,
      enum: enumName,
      value,
      before: options.before,
      after: options.after,
      ifNotExists: options.ifNotExists ?? false,
    })
  }

  /** `ALTER TYPE ... RENAME VALUE`. */
  async renameEnumValue(
    enumName: string,
    from: string,
    to: string,
    options: InSchema = {},
  ): Promise<void> {
    await this.#run({ kind: 'renameEnumValue', schema: options.schema, enum: enumName, from, to })
  }

  /** Sets a table's comment. `existingComment` (null: none) makes it reversible. */
  async createTableComment(
    table: string,
    comment: string,
    options: InSchema & { readonly existingComment?: string | null } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'createTableComment',
      schema: options.schema,
      table,
      comment,
      previous: options.existingComment,
    })
  }

  /** Removes a table's comment. `existingComment` makes it reversible. */
  async dropTableComment(
    table: string,
    options: InSchema & { readonly existingComment?: string } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'dropTableComment',
      schema: options.schema,
      table,
      previous: options.existingComment,
    })
  }

  /**
   * Runs a SQL statement (or, without params, a script of several). Use it for data migrations and
   * for DDL that has no dedicated operation.
   *
   * @param params positional parameters (`$1`, `$2` on PostgreSQL)
   */
  async execute(sql: SqlText, params: readonly unknown[] = []): Promise<void> {
    await this.#run({ kind: 'execute', sql: sqlText(sql), params })
  }

  /**
   * Runs a query and returns its rows, for data migrations that compute in TypeScript. Not
   * available in offline (`--sql`) mode, where there is no database to read.
   *
   * @example
   * const rows = await op.query<{ id: number; fullname: string }>('SELECT id, fullname FROM users')
   */
  async query<Row = Record<string, unknown>>(
    sql: SqlText,
    params: readonly unknown[] = [],
  ): Promise<readonly Row[]> {
    return this.#executor.query<Row>(sqlText(sql), params)
  }

  /**
   * Inserts rows, batched (default 500 rows a statement). Given a `table(...)` definition, rows are
   * typed and keyed by its property names; given a table name, keys are column names.
   *
   * @example
   * const roles = table('roles', { id: integer().primaryKey(), name: text().notNull() })
   * await op.bulkInsert(roles, [{ id: 1, name: 'admin' }, { id: 2, name: 'member' }])
   */
  async bulkInsert<T extends AnyTable>(
    table: T,
    rows: readonly InsertOf<T>[],
    options?: { readonly batchSize?: number },
  ): Promise<void>
  async bulkInsert(
    table: string,
    rows: readonly Readonly<Record<string, unknown>>[],
    options?: InSchema & { readonly batchSize?: number },
  ): Promise<void>
  async bulkInsert(
    table: string | AnyTable,
    rows: readonly Readonly<Record<string, unknown>>[],
    options: InSchema & { readonly batchSize?: number } = {},
  ): Promise<void> {
    // Property keys map to column names only for a table definition; a bare name takes keys as is.
    const keyToColumn = new Map<string, string>()
    let schema = options.schema
    let name: string
    if (isTable(table)) {
      const def = toTableDef(table, this.#convention())
      schema = def.schema
      name = def.name
      for (const column of table[TABLE].columns) keyToColumn.set(column.key, column.name)
    } else {
      name = table
    }
    const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))]
    const columns = keys.map((key) => keyToColumn.get(key) ?? key)
    await this.#run({
      kind: 'bulkInsert',
      schema,
      table: name,
      columns,
      rows: rows.map((row) => keys.map((key) => (row[key] ?? null) as LiteralValue)),
      batchSize: options.batchSize ?? 500,
    })
  }

  async #run(op: MigrationOp): Promise<void> {
    await this.#executor.run(op)
  }

  #convention(): { namingConvention: NamingConvention } {
    return { namingConvention: this.#context.namingConvention ?? MIGRATION_NAMING_CONVENTION }
  }

  #requireNoTransaction(concurrently: boolean, what: string): void {
    if (concurrently && this.#context.transactional) throw new ConcurrentlyInTransactionError(what)
  }

  #typeOf(type: ColumnBuilder | ColumnType, table: string, column: string): ColumnType {
    return type instanceof ColumnBuilder
      ? toColumnDef(type, { table, name: column, ...this.#convention() }).column.type
      : type
  }
}

function sqlText(text: SqlText): string {
  return text instanceof SqlFragment ? text.toSql() : text
}

function fragment(text: SqlText): SqlFragment {
  return text instanceof SqlFragment ? text : new SqlFragment([text], [])
}

function columnDefault(value: LiteralValue | SqlFragment | undefined): ColumnDefault | null {
  if (value === undefined || value === null) return null
  if (value instanceof SqlFragment) return { kind: 'sql', sql: value.toSql() }
  return { kind: 'literal', value }
}
