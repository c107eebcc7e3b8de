import type { ColumnBuilder } from '../schema/column-builder.ts'
import type { CompositeType } from '../schema/composite-type.ts'
import type { Domain, DomainOptions } from '../schema/domain.ts'
import { type EngineTableOptions, engineOptionsOf } from '../schema/engine-options.ts'
import type { EnumType } from '../schema/enum-type.ts'
import { isEnumType } from '../schema/enum-type.ts'
import type { ExclusionOptions } from '../schema/exclusion.ts'
import type { Extension, ExtensionOptions } from '../schema/extension.ts'
import type { IndexElementBuilder } from '../schema/index-element.ts'
import type { InsertOf } from '../schema/insert-of.ts'
import type { NamingConvention } from '../schema/naming-convention.ts'
import type { PartitionBoundSpec } from '../schema/partition.ts'
import type { Aggregate, DbFunction } from '../schema/routine.ts'
import { SchemaModelError } from '../schema/schema-model-error.ts'
import type { LiteralValue } from '../schema/schema-snapshot.ts'
import type { Sequence, SequenceOptions } from '../schema/sequence.ts'
import type { SqlFragment } from '../schema/sql.ts'
import type { AnyTable } from '../schema/table.ts'
import { isTable, TABLE } from '../schema/table.ts'
import { toTableDef } from '../schema/to-table-def.ts'
import type { EventTrigger, Trigger } from '../schema/trigger.ts'
import type { View } from '../schema/view.ts'
import { BatchOperations } from './batch-operations.ts'
import {
  createAggregateOp,
  createEventTriggerOp,
  createRoutineOp,
  createTriggerOp,
  createViewOp,
  dropEventTriggerOp,
  dropRoutineOp,
  dropTriggerOp,
  dropViewOp,
  replaceRoutineOp,
  replaceViewOp,
} from './code-object-operations.ts'
import type { BatchTableOp, MigrationOp } from './migration-op.ts'
import type { OpExecutor } from './op-executor.ts'
import { ConcurrentlyInTransactionError } from './operation-errors.ts'
import {
  attachPartitionOp,
  createExclusionConstraintOp,
  createPartitionOp,
  detachPartitionOp,
  dropPartitionOp,
  type PartitionDefinitionOptions,
  type PartitionPlacement,
} from './partition-ops.ts'
import {
  type AlterDomainOptions,
  type AlterSequenceOptions,
  alterCompositeTypeOp,
  alterDomainOp,
  alterSequenceOp,
  type CompositeTypeChanges,
  createCompositeTypeOp,
  createDomainOp,
  createExtensionOp,
  createSequenceOp,
  type DropObjectOptions,
  dropCompositeTypeOp,
  dropDomainOp,
  dropExtensionOp,
  dropSequenceOp,
} from './schema-object-ops.ts'
import {
  type AlterColumnOptions,
  addColumnOps,
  alterColumnOp,
  type CreateForeignKeyOptions,
  type CreateIndexOptions,
  type CreateUniqueConstraintOptions,
  createCheckConstraintOp,
  createForeignKeyOp,
  createIndexOp,
  createPrimaryKeyOp,
  createUniqueConstraintOp,
  type DropColumnOptions,
  type DropConstraintOptions,
  type DropIndexOptions,
  dropColumnOp,
  dropConstraintOp,
  dropIndexOp,
  type InSchema,
  type SqlText,
  sqlText,
} from './table-ops.ts'

export type { BatchOperations } from './batch-operations.ts'
export type {
  AlterColumnOptions,
  CreateForeignKeyOptions,
  CreateIndexOptions,
  InSchema,
  SqlText,
} from './table-ops.ts'

/**
 * Names in migrations: unnamed objects get the default convention's names, but a check's name is
 * taken as written (in models, `check('positive', ...)` becomes `ck_items_positive`; a migration
 * states the final name, as autogenerate writes it).
 */
export const MIGRATION_NAMING_CONVENTION: NamingConvention = Object.freeze({
  ck: '%(constraint_name)s',
})

/** The database engine a migration runs on; PGlite is PostgreSQL, MariaDB is MySQL. */
export type Engine = 'postgresql' | 'sqlite' | 'mysql'

/** What the running migration is, as far as its operations care. */
export interface OperationsContext {
  /** False when the migration runs outside a transaction (`transactional = false`). */
  readonly transactional: boolean
  /** The engine the operations run on. Default: `postgresql`. */
  readonly engine?: Engine
  /**
   * Names for constraints and indexes the DSL leaves unnamed. Default:
   * {@link MIGRATION_NAMING_CONVENTION}.
   */
  readonly namingConvention?: NamingConvention
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

  /**
   * The engine this migration runs on, for the rare statement that must be written per engine
   * (`op.execute`); operations themselves are compiled for it already.
   *
   * @example
   * if (op.engine === 'mysql') await op.execute('OPTIMIZE TABLE items')
   */
  get engine(): Engine {
    return this.#context.engine ?? 'postgresql'
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
    for (const op of addColumnOps(table, name, column, options, this.#convention())) {
      await this.#run(op)
    }
  }

  /**
   * `ALTER TABLE ... DROP COLUMN`. With `definition` (the column as it was), the drop can be
   * reversed.
   */
  async dropColumn(table: string, column: string, options: DropColumnOptions = {}): Promise<void> {
    await this.#run(dropColumnOp(table, column, options, this.#convention()))
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
    await this.#run(alterColumnOp(table, column, options, this.#convention()))
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
    await this.#run(
      createIndexOp(name, table, elements, { ...options, concurrently }, this.#convention()),
    )
  }

  /** `DROP INDEX`. With `table` and `definition`, the drop can be reversed. */
  async dropIndex(name: string, options: DropIndexOptions = {}): Promise<void> {
    const concurrently = options.concurrently ?? false
    this.#requireNoTransaction(concurrently, `op.dropIndex('${name}', { concurrently: true })`)
    await this.#run(dropIndexOp(name, options))
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
    await this.#run(
      createForeignKeyOp(name, sourceTable, referentTable, localColumns, remoteColumns, options),
    )
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
    options: CreateUniqueConstraintOptions = {},
  ): Promise<void> {
    await this.#run(createUniqueConstraintOp(name, table, columns, options))
  }

  /** Adds a check constraint; `condition` is the boolean expression. */
  async createCheckConstraint(
    name: string,
    table: string,
    condition: SqlText,
    options: InSchema & { readonly notValid?: boolean } = {},
  ): Promise<void> {
    await this.#run(createCheckConstraintOp(name, table, condition, options))
  }

  /** Adds a primary key. */
  async createPrimaryKey(
    name: string,
    table: string,
    columns: readonly string[],
    options: InSchema = {},
  ): Promise<void> {
    await this.#run(createPrimaryKeyOp(name, table, columns, options))
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
    options: DropConstraintOptions = {},
  ): Promise<void> {
    await this.#run(dropConstraintOp(name, table, options))
  }

  /**
   * Several changes to one table as one operation: `body` records them on `batch` (the
   * table-level methods of `op`, without the table), and they run when it returns. On PostgreSQL
   * they run one after the other, as if written alone; on SQLite, which can make some changes (a
   * type or default, a foreign key, a unique or primary key) only by rebuilding the table, the
   * table is rebuilt once for all of them, its rows copied once.
   *
   * @example
   * await op.batch('items', (batch) => {
   *   batch.alterColumn('price', { type: numeric(10, 2), existingType: integer() })
   *   batch.createForeignKey('fk_items_owner', 'users', ['owner_id'], ['id'])
   *   batch.dropColumn('legacy', { definition: text() })
   * })
   */
  async batch(
    table: string,
    body: (batch: BatchOperations) => void | Promise<void>,
    options: InSchema = {},
  ): Promise<void> {
    const ops: BatchTableOp[] = []
    await body(new BatchOperations(table, options.schema, this.#convention(), ops))
    await this.#run({ kind: 'batchAlterTable', schema: options.schema, table, ops })
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

  /**
   * `CREATE SEQUENCE`, from a `sequence(...)` declaration or a name and options.
   *
   * @example
   * await op.createSequence('order_no_seq', { start: 1000, cache: 20 })
   */
  async createSequence(
    nameOrSequence: string | Sequence,
    options: SequenceOptions & { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    await this.#run(createSequenceOp(nameOrSequence, options))
  }

  /** `DROP SEQUENCE`. Given its `sequence(...)` declaration, the drop can be reversed. */
  async dropSequence(
    nameOrSequence: string | Sequence,
    options: DropObjectOptions = {},
  ): Promise<void> {
    await this.#run(dropSequenceOp(nameOrSequence, options))
  }

  /**
   * `ALTER SEQUENCE`: data type, start, increment, bounds (null: the default), cache, cycle, owner.
   * The `existing*` options say what each was; they are needed only to reverse the change.
   *
   * @example
   * await op.alterSequence('order_no_seq', { increment: 10, existingIncrement: 1 })
   */
  async alterSequence(name: string, options: AlterSequenceOptions): Promise<void> {
    await this.#run(alterSequenceOp(name, options))
  }

  /** `ALTER SEQUENCE ... RENAME TO`. */
  async renameSequence(from: string, to: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'renameSequence', schema: options.schema, from, to })
  }

  /**
   * `CREATE DOMAIN`, from a `domain(...)` declaration or a name, a base type and options.
   *
   * @example
   * await op.createDomain('email', text(), { checks: [check('email_format', sql`VALUE ~ '@'`)] })
   */
  async createDomain(
    nameOrDomain: string | Domain,
    base?: ColumnBuilder,
    options: DomainOptions<unknown> = {},
  ): Promise<void> {
    await this.#run(createDomainOp(nameOrDomain, base, options))
  }

  /** `DROP DOMAIN`. Given its `domain(...)` declaration, the drop can be reversed. */
  async dropDomain(nameOrDomain: string | Domain, options: DropObjectOptions = {}): Promise<void> {
    await this.#run(dropDomainOp(nameOrDomain, options))
  }

  /**
   * `ALTER DOMAIN`: default, NOT NULL, checks dropped and added. `existing*` and checks dropped as
   * `check(...)` make it reversible.
   *
   * @example
   * await op.alterDomain('email', { notNull: true, existingNotNull: false })
   */
  async alterDomain(name: string, options: AlterDomainOptions): Promise<void> {
    await this.#run(alterDomainOp(name, options))
  }

  /**
   * `CREATE TYPE ... AS (...)`, from a `compositeType(...)` declaration or a name and attributes.
   *
   * @example
   * await op.createCompositeType('address', { street: text(), zip: varchar(10) })
   */
  async createCompositeType(
    nameOrType: string | CompositeType,
    attributes?: Readonly<Record<string, ColumnBuilder>>,
    options: InSchema = {},
  ): Promise<void> {
    await this.#run(createCompositeTypeOp(nameOrType, attributes, options))
  }

  /** `DROP TYPE` of a composite type. Given its declaration, the drop can be reversed. */
  async dropCompositeType(
    nameOrType: string | CompositeType,
    options: DropObjectOptions = {},
  ): Promise<void> {
    await this.#run(dropCompositeTypeOp(nameOrType, options))
  }

  /**
   * `ALTER TYPE ... DROP ATTRIBUTE`, then `ADD ATTRIBUTE` (at the end, in order), in one
   * statement. A dropped attribute's values are lost in every column of the type; PostgreSQL
   * cannot move an attribute, nor change its type while a column uses the type.
   *
   * @example
   * await op.alterCompositeType('address', { addAttributes: { country: text() }, dropAttributes: { fax: text() } })
   */
  async alterCompositeType(
    name: string,
    changes: CompositeTypeChanges,
    options: InSchema = {},
  ): Promise<void> {
    await this.#run(alterCompositeTypeOp(name, changes, options))
  }

  /**
   * `ALTER TYPE ... RENAME TO`: an enum, a domain or a composite type. Its columns keep their
   * values and follow the new name.
   */
  async renameType(from: string, to: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'renameType', schema: options.schema, from, to })
  }

  /**
   * `CREATE EXTENSION IF NOT EXISTS` (`ifNotExists` defaults to true), from an `extension(...)`
   * declaration or a name and options.
   *
   * @example
   * await op.createExtension('pg_trgm')
   */
  async createExtension(
    nameOrExtension: string | Extension,
    options: ExtensionOptions & { readonly ifNotExists?: boolean } = {},
  ): Promise<void> {
    await this.#run(createExtensionOp(nameOrExtension, options))
  }

  /** `DROP EXTENSION`. Given its `extension(...)` declaration, the drop can be reversed. */
  async dropExtension(
    nameOrExtension: string | Extension,
    options: Omit<DropObjectOptions, 'schema'> = {},
  ): Promise<void> {
    await this.#run(dropExtensionOp(nameOrExtension, options))
  }

  /**
   * Adds an exclusion constraint; elements name columns by their database names.
   *
   * @example
   * await op.createExclusionConstraint('no_overlap', 'booking', {
   *   using: 'gist',
   *   elements: [['room_id', '='], ['during', '&&']],
   * })
   */
  async createExclusionConstraint(
    name: string,
    table: string,
    options: ExclusionOptions & InSchema,
  ): Promise<void> {
    await this.#run(createExclusionConstraintOp(name, table, options))
  }

  /**
   * `CREATE TABLE name PARTITION OF table FOR VALUES ...`: a new partition of a partitioned table,
   * in the parent's schema unless `partitionSchema` says otherwise.
   *
   * @example
   * await op.createPartition('payment_p2024_01', 'payment', { from: '2024-01-01', to: '2024-02-01' })
   * await op.createPartition('payment_default', 'payment', 'default')
   */
  async createPartition(
    name: string,
    table: string,
    bound: PartitionBoundSpec,
    options: PartitionPlacement & {
      readonly comment?: string
      readonly ifNotExists?: boolean
    } = {},
  ): Promise<void> {
    await this.#run(createPartitionOp(name, table, bound, options))
  }

  /**
   * Drops a partition, rows and all (`DROP TABLE`). With its `bound`, the drop can be reversed
   * (the rows cannot).
   */
  async dropPartition(
    name: string,
    table: string,
    options: PartitionPlacement & PartitionDefinitionOptions & { readonly ifExists?: boolean } = {},
  ): Promise<void> {
    await this.#run(dropPartitionOp(name, table, options))
  }

  /**
   * `ALTER TABLE table ATTACH PARTITION name FOR VALUES ...`: an existing table with the parent's
   * columns becomes a partition; PostgreSQL scans it to check its rows fit the bound.
   */
  async attachPartition(
    name: string,
    table: string,
    bound: PartitionBoundSpec,
    options: PartitionPlacement = {},
  ): Promise<void> {
    await this.#run(attachPartitionOp(name, table, bound, options))
  }

  /**
   * `ALTER TABLE table DETACH PARTITION name`: the partition becomes an ordinary table, rows kept.
   * With its `bound`, the detach can be reversed.
   */
  async detachPartition(
    name: string,
    table: string,
    options: PartitionPlacement & PartitionDefinitionOptions = {},
  ): Promise<void> {
    await this.#run(detachPartitionOp(name, table, options))
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

  /**
   * Sets options that particular engines read: `{ mysql: { engine, charset, collation } }` (an
   * `ALTER TABLE`; a new engine copies the table) and `{ sqlite: { strict, withoutRowid } }` (a
   * table rebuild; a flag left out is false). Other engines do nothing. `existingOptions` makes
   * it reversible.
   *
   * @example
   * await op.alterTableOptions('events', { mysql: { engine: 'InnoDB' } }, {
   *   existingOptions: { mysql: { engine: 'MyISAM' } },
   * })
   */
  async alterTableOptions(
    table: string,
    options: EngineTableOptions,
    settings: InSchema & { readonly existingOptions?: EngineTableOptions } = {},
  ): Promise<void> {
    const where = settings.schema === undefined ? table : `${settings.schema}.${table}`
    await this.#run({
      kind: 'alterTableOptions',
      schema: settings.schema,
      table,
      options: engineOptionsOf(where, options, true) ?? {},
      previous:
        settings.existingOptions === undefined
          ? undefined
          : (engineOptionsOf(where, settings.existingOptions, true) ?? {}),
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
   * `CREATE VIEW`, from a `view(...)` declaration.
   *
   * @example await op.createView(view('active_customers', 'SELECT * FROM customer WHERE active'))
   */
  async createView(view: View): Promise<void> {
    await this.#run(this.#plainView(createViewOp(view, this.#convention().namingConvention)))
  }

  /** `DROP VIEW`. Given the view's declaration rather than its name, the drop can be reversed. */
  async dropView(view: string | View, options: DropObjectOptions = {}): Promise<void> {
    await this.#run(dropViewOp('dropView', view, options, this.#convention().namingConvention))
  }

  /**
   * `CREATE OR REPLACE VIEW`: a new query whose columns are those of the view, or those followed
   * by new ones (`addedColumns`). `previous` (the view as it was) makes it reversible. For a
   * materialized view, whose query PostgreSQL cannot replace, only the comment is set.
   */
  async replaceView(
    view: View,
    options: { readonly previous?: View; readonly addedColumns?: readonly string[] } = {},
  ): Promise<void> {
    await this.#run(replaceViewOp(view, options, this.#convention().namingConvention))
  }

  /** `CREATE MATERIALIZED VIEW` with its indexes, from a `materializedView(...)` declaration. */
  async createMaterializedView(view: View): Promise<void> {
    const op = createViewOp(view, this.#convention().namingConvention)
    if (op.kind !== 'createMaterializedView') {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `view ${view.name} is not materialized; use op.createView`,
      )
    }
    await this.#run(op)
  }

  /** `DROP MATERIALIZED VIEW`; given the declaration, the drop can be reversed. */
  async dropMaterializedView(view: string | View, options: DropObjectOptions = {}): Promise<void> {
    await this.#run(
      dropViewOp('dropMaterializedView', view, options, this.#convention().namingConvention),
    )
  }

  /**
   * `REFRESH MATERIALIZED VIEW`: runs the view's query again. `concurrently` lets reads go on
   * (the view needs a unique index and must be populated); `withData: false` empties it.
   *
   * @example await op.refreshMaterializedView('sales_by_category', { concurrently: true })
   */
  async refreshMaterializedView(
    view: string | View,
    options: InSchema & { readonly concurrently?: boolean; readonly withData?: boolean } = {},
  ): Promise<void> {
    await this.#run({
      kind: 'refreshMaterializedView',
      schema: typeof view === 'string' ? options.schema : view.schema,
      name: typeof view === 'string' ? view : view.name,
      concurrently: options.concurrently ?? false,
      withData: options.withData ?? true,
    })
  }

  /**
   * `ALTER VIEW ... RENAME TO`; the views that read it follow the new name.
   *
   * @example await op.renameView('active_customers', 'current_customers')
   */
  async renameView(from: string, to: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'renameView', schema: options.schema, from, to, materialized: false })
  }

  /**
   * `ALTER MATERIALIZED VIEW ... RENAME TO`: the view keeps its rows and indexes, so nothing is
   * computed again.
   */
  async renameMaterializedView(from: string, to: string, options: InSchema = {}): Promise<void> {
    await this.#run({ kind: 'renameView', schema: options.schema, from, to, materialized: true })
  }

  /** `CREATE FUNCTION`, from a `dbFunction(...)` declaration. */
  async createFunction(fn: DbFunction): Promise<void> {
    await this.#run(createRoutineOp('createFunction', fn))
  }

  /**
   * `DROP FUNCTION`. Given the declaration, the drop can be reversed; given a name,
   * `parameters` (the types of the parameters that are not `OUT`) pick one of its overloads.
   */
  async dropFunction(
    fn: string | DbFunction,
    options: DropObjectOptions & { readonly parameters?: readonly string[] } = {},
  ): Promise<void> {
    await this.#run(dropRoutineOp('dropFunction', fn, options))
  }

  /**
   * `CREATE OR REPLACE FUNCTION`: a new body or options, the same parameter types and return
   * type. `previous` (the function as it was) makes it reversible.
   */
  async replaceFunction(
    fn: DbFunction,
    options: { readonly previous?: DbFunction } = {},
  ): Promise<void> {
    await this.#run(replaceRoutineOp('replaceFunction', fn, options.previous))
  }

  /** `CREATE PROCEDURE`, from a `procedure(...)` declaration. */
  async createProcedure(procedure: DbFunction): Promise<void> {
    await this.#run(createRoutineOp('createProcedure', procedure))
  }

  /** `DROP PROCEDURE`; see {@link Operations.dropFunction}. */
  async dropProcedure(
    procedure: string | DbFunction,
    options: DropObjectOptions & { readonly parameters?: readonly string[] } = {},
  ): Promise<void> {
    await this.#run(dropRoutineOp('dropProcedure', procedure, options))
  }

  /** `CREATE OR REPLACE PROCEDURE`; see {@link Operations.replaceFunction}. */
  async replaceProcedure(
    procedure: DbFunction,
    options: { readonly previous?: DbFunction } = {},
  ): Promise<void> {
    await this.#run(replaceRoutineOp('replaceProcedure', procedure, options.previous))
  }

  /** `CREATE AGGREGATE`, from an `aggregate(...)` declaration. */
  async createAggregate(aggregate: Aggregate): Promise<void> {
    await this.#run(createAggregateOp(aggregate))
  }

  /** `DROP AGGREGATE`; see {@link Operations.dropFunction}. */
  async dropAggregate(
    aggregate: string | Aggregate,
    options: DropObjectOptions & { readonly parameters?: readonly string[] } = {},
  ): Promise<void> {
    await this.#run(dropRoutineOp('dropAggregate', aggregate, options))
  }

  /**
   * `CREATE TRIGGER`, from a `trigger(...)` declaration that names its table or view (`on`).
   *
   * @example
   * await op.createTrigger(
   *   trigger('last_updated', { on: 'film', before: ['update'], forEach: 'row', execute: 'last_updated' }),
   * )
   */
  async createTrigger(trigger: Trigger): Promise<void> {
    await this.#run(createTriggerOp(trigger))
  }

  /**
   * `DROP TRIGGER name ON table`. Given the declaration (with `on`), the drop can be reversed.
   *
   * @example
   * await op.dropTrigger('last_updated', 'film')
   * await op.dropTrigger(trigger('last_updated', { on: 'film', ... }), { ifExists: true })
   */
  async dropTrigger(trigger: Trigger, options?: DropObjectOptions): Promise<void>
  async dropTrigger(name: string, table: string, options?: DropObjectOptions): Promise<void>
  async dropTrigger(
    trigger: string | Trigger,
    tableOrOptions?: string | DropObjectOptions,
    options: DropObjectOptions = {},
  ): Promise<void> {
    const table = typeof tableOrOptions === 'string' ? tableOrOptions : undefined
    const given = typeof tableOrOptions === 'object' ? tableOrOptions : options
    await this.#run(dropTriggerOp(trigger, table, given))
  }

  /** `CREATE EVENT TRIGGER`, from an `eventTrigger(...)` declaration (a superuser's statement). */
  async createEventTrigger(trigger: EventTrigger): Promise<void> {
    await this.#run(createEventTriggerOp(trigger))
  }

  /** `DROP EVENT TRIGGER`; given the declaration, the drop can be reversed. */
  async dropEventTrigger(
    trigger: string | EventTrigger,
    options: Omit<DropObjectOptions, 'schema'> = {},
  ): Promise<void> {
    await this.#run(dropEventTriggerOp(trigger, options))
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
    const index = rows.findIndex(
      (row) => typeof row !== 'object' || row === null || Array.isArray(row),
    )
    if (index >= 0) {
      // An array's keys are its indexes: it would insert into columns named 0, 1, 2.
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `op.bulkInsert('${name}') row ${index + 1} is ${Array.isArray(rows[index]) ? 'an array' : `a ${typeof rows[index]}`}; give each row as an object keyed by column, like { id: 1, name: 'admin' }`,
      )
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

  #plainView(op: MigrationOp): MigrationOp {
    if (op.kind === 'createMaterializedView') {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `view ${op.view.name} is materialized; use op.createMaterializedView`,
      )
    }
    return op
  }

  #requireNoTransaction(concurrently: boolean, what: string): void {
    if (concurrently && this.#context.transactional) throw new ConcurrentlyInTransactionError(what)
  }
}
