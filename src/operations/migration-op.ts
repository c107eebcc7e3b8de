import type { EngineTableOptions } from '../schema/engine-options.ts'
import type {
  AggregateDef,
  CheckDef,
  ColumnDef,
  ColumnDefault,
  ColumnType,
  CompositeAttributeDef,
  CompositeTypeDef,
  DomainDef,
  EnumDef,
  EventTriggerDef,
  ExclusionDef,
  ExtensionDef,
  ForeignKeyDef,
  FunctionDef,
  IndexDef,
  LiteralValue,
  PartitionDef,
  PrimaryKeyDef,
  SequenceDataType,
  SequenceDef,
  SequenceOwner,
  TableDef,
  TriggerDef,
  UniqueDef,
  ViewDef,
} from '../schema/schema-snapshot.ts'

/**
 * Operation objects: readonly data tagged by `kind`, one per thing a migration can do. The `op`
 * facade builds them, autogenerate produces them, the renderer writes them back as TypeScript,
 * `reverse()` inverts them, dialects compile them to SQL, lint inspects them. Each consumer
 * switches over `kind` exhaustively, so an operation one of them forgets is a compile error.
 *
 * Fields named `previous`, `definition` or `from` are optional knowledge that only `reverse()`
 * needs (what a drop removes, what an alter replaces); compilers ignore them.
 */

/** `CREATE SCHEMA`. */
export interface CreateSchemaOp {
  readonly kind: 'createSchema'
  readonly name: string
  readonly ifNotExists: boolean
}

/** `DROP SCHEMA`. */
export interface DropSchemaOp {
  readonly kind: 'dropSchema'
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
}

/** `CREATE TABLE`, with its constraints, followed by `CREATE INDEX` for its indexes. */
export interface CreateTableOp {
  readonly kind: 'createTable'
  readonly table: TableDef
  readonly ifNotExists: boolean
}

/** `DROP TABLE`. `definition` (the table as it was) makes it reversible. */
export interface DropTableOp {
  readonly kind: 'dropTable'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: TableDef | undefined
}

/** `ALTER TABLE ... RENAME TO`. */
export interface RenameTableOp {
  readonly kind: 'renameTable'
  readonly schema: string | undefined
  readonly from: string
  readonly to: string
}

/** `ALTER TABLE ... ADD COLUMN`. */
export interface AddColumnOp {
  readonly kind: 'addColumn'
  readonly schema: string | undefined
  readonly table: string
  readonly column: ColumnDef
  readonly ifNotExists: boolean
}

/** `ALTER TABLE ... DROP COLUMN`. `definition` (the column as it was) makes it reversible. */
export interface DropColumnOp {
  readonly kind: 'dropColumn'
  readonly schema: string | undefined
  readonly table: string
  readonly column: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: ColumnDef | undefined
}

/** A change of one property, with what it was (needed only to reverse it). */
export interface Change<T> {
  readonly to: T
  readonly from?: T
}

/** Changes to one column; absent properties are left alone. */
export interface ColumnChanges {
  /** New type; `using` converts existing values (`USING expr`). */
  readonly type?: Change<ColumnType> & { readonly using?: string; readonly fromUsing?: string }
  readonly nullable?: Change<boolean>
  /** `null` drops the default. */
  readonly default?: Change<ColumnDefault | null>
  /** Rename the column. */
  readonly name?: Change<string>
  /** `null` removes the comment. */
  readonly comment?: Change<string | null>
  /**
   * New collation (`null`: the type's default), set with `ALTER COLUMN ... TYPE type COLLATE`;
   * `type` is the column's type that statement names when the type itself does not change.
   */
  readonly collation?: Change<string | null> & { readonly type: ColumnType }
}

/** `ALTER TABLE ... ALTER COLUMN` (type, nullability, default, comment) and `RENAME COLUMN`. */
export interface AlterColumnOp {
  readonly kind: 'alterColumn'
  readonly schema: string | undefined
  readonly table: string
  readonly column: string
  readonly changes: ColumnChanges
}

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY]`. */
export interface CreateIndexOp {
  readonly kind: 'createIndex'
  readonly schema: string | undefined
  readonly table: string
  readonly index: IndexDef
  /** Build without blocking writes; the migration must be `transactional = false`. */
  readonly concurrently: boolean
  readonly ifNotExists: boolean
}

/** `DROP INDEX [CONCURRENTLY]`. `definition` and `table` make it reversible. */
export interface DropIndexOp {
  readonly kind: 'dropIndex'
  readonly schema: string | undefined
  readonly name: string
  readonly table: string | undefined
  readonly concurrently: boolean
  readonly ifExists: boolean
  readonly definition: IndexDef | undefined
}

/** `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`. */
export interface CreateForeignKeyOp {
  readonly kind: 'createForeignKey'
  readonly schema: string | undefined
  readonly table: string
  readonly foreignKey: ForeignKeyDef
  /** `NOT VALID`: skip checking existing rows now (validate later). */
  readonly notValid: boolean
}

/** `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE [USING INDEX]`. */
export interface CreateUniqueConstraintOp {
  readonly kind: 'createUniqueConstraint'
  readonly schema: string | undefined
  readonly table: string
  readonly unique: UniqueDef
  /**
   * Adopt this existing unique index (`UNIQUE USING INDEX`, renamed to the constraint's name)
   * instead of building one under a lock that blocks writes; `unique` then records what the
   * index covers. Absent: build a new index.
   */
  readonly usingIndex?: string
}

/** `ALTER TABLE ... ADD CONSTRAINT ... CHECK`. */
export interface CreateCheckConstraintOp {
  readonly kind: 'createCheckConstraint'
  readonly schema: string | undefined
  readonly table: string
  readonly check: CheckDef
  readonly notValid: boolean
}

/** `ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY`. */
export interface CreatePrimaryKeyOp {
  readonly kind: 'createPrimaryKey'
  readonly schema: string | undefined
  readonly table: string
  readonly primaryKey: PrimaryKeyDef
}

/** `ALTER TABLE ... ADD CONSTRAINT ... EXCLUDE`. */
export interface CreateExclusionConstraintOp {
  readonly kind: 'createExclusionConstraint'
  readonly schema: string | undefined
  readonly table: string
  readonly exclusion: ExclusionDef
}

/**
 * `CREATE TABLE partition PARTITION OF parent FOR VALUES ...` (or `DEFAULT`), then its comment.
 * `schema` and `table` name the parent.
 */
export interface CreatePartitionOp {
  readonly kind: 'createPartition'
  readonly schema: string | undefined
  readonly table: string
  readonly partition: PartitionDef
  readonly ifNotExists: boolean
}

/**
 * `DROP TABLE partition`, rows included. `definition` (the partition as it was) makes it
 * reversible.
 */
export interface DropPartitionOp {
  readonly kind: 'dropPartition'
  /** The parent's schema. */
  readonly schema: string | undefined
  /** The parent table. */
  readonly table: string
  /** The partition's schema. */
  readonly partitionSchema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly definition: PartitionDef | undefined
}

/**
 * `ALTER TABLE parent ATTACH PARTITION partition FOR VALUES ...`: an existing table becomes a
 * partition.
 */
export interface AttachPartitionOp {
  readonly kind: 'attachPartition'
  readonly schema: string | undefined
  readonly table: string
  readonly partition: PartitionDef
}

/**
 * `ALTER TABLE parent DETACH PARTITION partition`: the partition becomes an ordinary table, rows
 * kept. `definition` (its bound) makes it reversible.
 */
export interface DetachPartitionOp {
  readonly kind: 'detachPartition'
  readonly schema: string | undefined
  readonly table: string
  readonly partitionSchema: string | undefined
  readonly name: string
  readonly definition: PartitionDef | undefined
}

/**
 * What a dropped constraint was, so that `reverse()` can recreate it. `notValid` (default false)
 * has a foreign key or check recreated `NOT VALID`, without a scan of the rows under lock.
 */
export type ConstraintDefinition =
  | {
      readonly type: 'foreignKey'
      readonly definition: ForeignKeyDef
      readonly notValid?: boolean
    }
  | { readonly type: 'unique'; readonly definition: UniqueDef }
  | { readonly type: 'check'; readonly definition: CheckDef; readonly notValid?: boolean }
  | { readonly type: 'primaryKey'; readonly definition: PrimaryKeyDef }
  | { readonly type: 'exclusion'; readonly definition: ExclusionDef }

/**
 * `ALTER TABLE ... VALIDATE CONSTRAINT`: checks the existing rows against a foreign key or check
 * added `NOT VALID`, under a lock that lets reads and writes go on. It changes no definition, so
 * its reverse is nothing.
 */
export interface ValidateConstraintOp {
  readonly kind: 'validateConstraint'
  readonly schema: string | undefined
  readonly table: string
  readonly name: string
}

/** `ALTER TABLE ... DROP CONSTRAINT`. */
export interface DropConstraintOp {
  readonly kind: 'dropConstraint'
  readonly schema: string | undefined
  readonly table: string
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: ConstraintDefinition | undefined
}

/** The operations {@link BatchAlterTableOp} groups: changes to one table's columns, indexes and keys. */
export type BatchTableOp =
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateForeignKeyOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreatePrimaryKeyOp
  | CreateExclusionConstraintOp
  | DropConstraintOp

/**
 * Several changes to one table, in order (`op.batch`). A database that alters tables in place runs
 * them one by one, as if they were not grouped; one that must rebuild a table for some of them
 * (SQLite) rebuilds it once for all, copying the rows once. Each inner operation names the same
 * table and schema as the batch.
 */
export interface BatchAlterTableOp {
  readonly kind: 'batchAlterTable'
  readonly schema: string | undefined
  readonly table: string
  readonly ops: readonly BatchTableOp[]
}

/** The kinds of {@link BatchTableOp}: a record, so that a kind missing from it does not compile. */
const BATCH_TABLE_OP_KINDS: Readonly<Record<BatchTableOp['kind'], true>> = {
  addColumn: true,
  dropColumn: true,
  alterColumn: true,
  createIndex: true,
  dropIndex: true,
  createForeignKey: true,
  createUniqueConstraint: true,
  createCheckConstraint: true,
  createPrimaryKey: true,
  createExclusionConstraint: true,
  dropConstraint: true,
}

/** True for an operation a batch may hold. */
export function isBatchTableOp(op: MigrationOp): op is BatchTableOp {
  return Object.hasOwn(BATCH_TABLE_OP_KINDS, op.kind)
}

/** `CREATE TYPE ... AS ENUM`. */
export interface CreateEnumOp {
  readonly kind: 'createEnum'
  readonly enum: EnumDef
  readonly ifNotExists: boolean
}

/** `DROP TYPE`. `definition` (its values) makes it reversible. */
export interface DropEnumOp {
  readonly kind: 'dropEnum'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: EnumDef | undefined
}

/** `ALTER TYPE ... ADD VALUE`. PostgreSQL cannot remove an enum value, so this has no reverse. */
export interface AddEnumValueOp {
  readonly kind: 'addEnumValue'
  readonly schema: string | undefined
  readonly enum: string
  readonly value: string
  readonly before: string | undefined
  readonly after: string | undefined
  readonly ifNotExists: boolean
}

/** `ALTER TYPE ... RENAME VALUE`. */
export interface RenameEnumValueOp {
  readonly kind: 'renameEnumValue'
  readonly schema: string | undefined
  readonly enum: string
  readonly from: string
  readonly to: string
}

/** `COMMENT ON TABLE ... IS '...'`. */
export interface CreateTableCommentOp {
  readonly kind: 'createTableComment'
  readonly schema: string | undefined
  readonly table: string
  readonly comment: string
  /** The comment it replaces (null: none), needed only to reverse it. */
  readonly previous: string | null | undefined
}

/**
 * Sets options that particular engines read (`ENGINE=` and the default character set on MySQL,
 * `STRICT` and `WITHOUT ROWID` on SQLite); an engine whose options are not named does nothing.
 */
export interface AlterTableOptionsOp {
  readonly kind: 'alterTableOptions'
  readonly schema: string | undefined
  readonly table: string
  /** The options to set; for SQLite, a flag left out is false. */
  readonly options: EngineTableOptions
  /** The options they replace, needed only to reverse it. */
  readonly previous: EngineTableOptions | undefined
}

/** `COMMENT ON TABLE ... IS NULL`. */
export interface DropTableCommentOp {
  readonly kind: 'dropTableComment'
  readonly schema: string | undefined
  readonly table: string
  readonly previous: string | undefined
}

/**
 * Runs arbitrary SQL (a data migration, or DDL aludel has no operation for). `params` are
 * positional (`$1`, `$2` on PostgreSQL).
 */
export interface ExecuteOp {
  readonly kind: 'execute'
  readonly sql: string
  readonly params: readonly unknown[]
}

/** Inserts rows, in batches of `batchSize` rows per statement. */
export interface BulkInsertOp {
  readonly kind: 'bulkInsert'
  readonly schema: string | undefined
  readonly table: string
  readonly columns: readonly string[]
  /** One value per column, in `columns` order. */
  readonly rows: readonly (readonly LiteralValue[])[]
  readonly batchSize: number
}

/** `CREATE SEQUENCE`. */
export interface CreateSequenceOp {
  readonly kind: 'createSequence'
  readonly sequence: SequenceDef
  readonly ifNotExists: boolean
}

/** `DROP SEQUENCE`. `definition` (the sequence as it was) makes it reversible. */
export interface DropSequenceOp {
  readonly kind: 'dropSequence'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: SequenceDef | undefined
}

/**
 * Changes to a sequence's options; absent ones are left alone. `undefined` as `to` (or `from`)
 * means PostgreSQL's default: `NO MINVALUE`, `NO MAXVALUE`, `INCREMENT BY 1`, `CACHE 1`,
 * `AS bigint`, `OWNED BY NONE`.
 */
export interface SequenceChanges {
  readonly dataType?: Change<SequenceDataType | undefined>
  /** `START WITH`: the value a `RESTART` goes back to; the current value stays. */
  readonly start?: Change<number>
  readonly increment?: Change<number | undefined>
  readonly minValue?: Change<number | undefined>
  readonly maxValue?: Change<number | undefined>
  readonly cache?: Change<number | undefined>
  readonly cycle?: Change<boolean>
  readonly ownedBy?: Change<SequenceOwner | undefined>
}

/** `ALTER SEQUENCE ... [AS ...] [INCREMENT BY ...] ... [OWNED BY ...]`. */
export interface AlterSequenceOp {
  readonly kind: 'alterSequence'
  readonly schema: string | undefined
  readonly name: string
  readonly changes: SequenceChanges
}

/** `ALTER SEQUENCE ... RENAME TO`. */
export interface RenameSequenceOp {
  readonly kind: 'renameSequence'
  readonly schema: string | undefined
  readonly from: string
  readonly to: string
}

/** `CREATE DOMAIN`, with its default, NOT NULL and checks. */
export interface CreateDomainOp {
  readonly kind: 'createDomain'
  readonly domain: DomainDef
}

/** `DROP DOMAIN`. `definition` (the domain as it was) makes it reversible. */
export interface DropDomainOp {
  readonly kind: 'dropDomain'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: DomainDef | undefined
}

/** Changes to a domain; absent ones are left alone. */
export interface DomainChanges {
  /** `SET DEFAULT` / `DROP DEFAULT` (`null`). */
  readonly default?: Change<ColumnDefault | null>
  /** `SET NOT NULL` / `DROP NOT NULL`. */
  readonly notNull?: Change<boolean>
  /** `DROP CONSTRAINT`, first; each `definition` is needed only to reverse it. */
  readonly dropChecks?: readonly { readonly name: string; readonly definition?: CheckDef }[]
  /** `ADD CONSTRAINT ... CHECK`, last. */
  readonly addChecks?: readonly CheckDef[]
}

/** `ALTER DOMAIN`: one statement per change (checks dropped first, added last). */
export interface AlterDomainOp {
  readonly kind: 'alterDomain'
  readonly schema: string | undefined
  readonly name: string
  readonly changes: DomainChanges
}

/** `CREATE TYPE ... AS (...)`. */
export interface CreateCompositeTypeOp {
  readonly kind: 'createCompositeType'
  readonly type: CompositeTypeDef
}

/** `DROP TYPE` of a composite type. `definition` (its attributes) makes it reversible. */
export interface DropCompositeTypeOp {
  readonly kind: 'dropCompositeType'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: CompositeTypeDef | undefined
}

/**
 * `ALTER TYPE ... RENAME TO`: an enum, a domain or a composite type. Columns, attributes and
 * domains of the type follow it (PostgreSQL refers to a type by identity, not by name).
 */
export interface RenameTypeOp {
  readonly kind: 'renameType'
  readonly schema: string | undefined
  readonly from: string
  readonly to: string
}

/**
 * `ALTER TYPE ... DROP ATTRIBUTE` for each of `dropAttributes`, then `ADD ATTRIBUTE` for each of
 * `addAttributes` (added at the end, in order). A dropped attribute's values are lost in every
 * column of the type; its `definition` is needed only to reverse the drop.
 */
export interface AlterCompositeTypeOp {
  readonly kind: 'alterCompositeType'
  readonly schema: string | undefined
  readonly name: string
  readonly dropAttributes: readonly {
    readonly name: string
    readonly definition?: CompositeAttributeDef
  }[]
  readonly addAttributes: readonly CompositeAttributeDef[]
}

/** `CREATE EXTENSION [IF NOT EXISTS] name [SCHEMA s] [VERSION v]`. */
export interface CreateExtensionOp {
  readonly kind: 'createExtension'
  readonly extension: ExtensionDef
  readonly ifNotExists: boolean
}

/** `DROP EXTENSION`. `definition` makes it reversible. */
export interface DropExtensionOp {
  readonly kind: 'dropExtension'
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: ExtensionDef | undefined
}

/** The operations on sequences, domains, composite types and extensions. */
export type SchemaObjectOp =
  | CreateSequenceOp
  | DropSequenceOp
  | AlterSequenceOp
  | RenameSequenceOp
  | CreateDomainOp
  | DropDomainOp
  | AlterDomainOp
  | CreateCompositeTypeOp
  | DropCompositeTypeOp
  | RenameTypeOp
  | AlterCompositeTypeOp
  | CreateExtensionOp
  | DropExtensionOp

/**
 * `CREATE VIEW ... AS query [WITH CHECK OPTION]`, then its comment. `view.materialized` must be
 * false (see {@link CreateMaterializedViewOp}).
 */
export interface CreateViewOp {
  readonly kind: 'createView'
  readonly view: ViewDef
}

/** `DROP VIEW`. `definition` (the view as it was) makes it reversible. */
export interface DropViewOp {
  readonly kind: 'dropView'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: ViewDef | undefined
}

/**
 * `CREATE OR REPLACE VIEW`, then its comment: a new query for a view whose columns stay the
 * same, or only gain new ones at the end (PostgreSQL's rule). For a materialized view, whose
 * query PostgreSQL cannot replace, only the comment is set.
 */
export interface ReplaceViewOp {
  readonly kind: 'replaceView'
  readonly view: ViewDef
  /** The view as it was, needed only to reverse it. */
  readonly previous: ViewDef | undefined
  /**
   * The columns the new query adds at the end: `CREATE OR REPLACE` cannot take them away again,
   * so the reverse drops the view and creates the previous one.
   */
  readonly addedColumns: readonly string[]
}

/** `CREATE MATERIALIZED VIEW ... AS query [WITH NO DATA]`, its indexes, then its comment. */
export interface CreateMaterializedViewOp {
  readonly kind: 'createMaterializedView'
  readonly view: ViewDef
}

/** `DROP MATERIALIZED VIEW`. `definition` makes it reversible. */
export interface DropMaterializedViewOp {
  readonly kind: 'dropMaterializedView'
  readonly schema: string | undefined
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: ViewDef | undefined
}

/**
 * `REFRESH MATERIALIZED VIEW [CONCURRENTLY] ... [WITH NO DATA]`: runs its query again. It
 * changes no definition; its reverse is nothing (or a refresh, for one that emptied the view).
 */
export interface RefreshMaterializedViewOp {
  readonly kind: 'refreshMaterializedView'
  readonly schema: string | undefined
  readonly name: string
  /** Without blocking reads; needs a unique index on the view and a populated view. */
  readonly concurrently: boolean
  /** False: `WITH NO DATA`, which empties the view. */
  readonly withData: boolean
}

/**
 * `ALTER [MATERIALIZED] VIEW ... RENAME TO`: a materialized view keeps its rows and indexes; the
 * views that read it follow the new name.
 */
export interface RenameViewOp {
  readonly kind: 'renameView'
  readonly schema: string | undefined
  readonly from: string
  readonly to: string
  readonly materialized: boolean
}

/** `CREATE FUNCTION`, then its comment. */
export interface CreateFunctionOp {
  readonly kind: 'createFunction'
  readonly function: FunctionDef
}

/**
 * `DROP FUNCTION name(types)`. `definition` makes it reversible; without it, `parameters` are the
 * types of the parameters that are not `OUT` (undefined: the name alone, when it is unique).
 */
export interface DropFunctionOp {
  readonly kind: 'dropFunction'
  readonly schema: string | undefined
  readonly name: string
  readonly parameters: readonly string[] | undefined
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: FunctionDef | undefined
}

/**
 * `CREATE OR REPLACE FUNCTION`, then its comment: a new body or new options for a function whose
 * parameter types and return type stay.
 */
export interface ReplaceFunctionOp {
  readonly kind: 'replaceFunction'
  readonly function: FunctionDef
  /** The function as it was, needed only to reverse it. */
  readonly previous: FunctionDef | undefined
}

/** `CREATE PROCEDURE`, then its comment. */
export interface CreateProcedureOp {
  readonly kind: 'createProcedure'
  readonly procedure: FunctionDef
}

/** `DROP PROCEDURE name(types)`; see {@link DropFunctionOp}. */
export interface DropProcedureOp {
  readonly kind: 'dropProcedure'
  readonly schema: string | undefined
  readonly name: string
  readonly parameters: readonly string[] | undefined
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: FunctionDef | undefined
}

/** `CREATE OR REPLACE PROCEDURE`, then its comment. */
export interface ReplaceProcedureOp {
  readonly kind: 'replaceProcedure'
  readonly procedure: FunctionDef
  readonly previous: FunctionDef | undefined
}

/** `CREATE AGGREGATE`, then its comment. */
export interface CreateAggregateOp {
  readonly kind: 'createAggregate'
  readonly aggregate: AggregateDef
}

/** `DROP AGGREGATE name(types)`; see {@link DropFunctionOp}. */
export interface DropAggregateOp {
  readonly kind: 'dropAggregate'
  readonly schema: string | undefined
  readonly name: string
  readonly parameters: readonly string[] | undefined
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: AggregateDef | undefined
}

/** `CREATE TRIGGER ... ON table`. */
export interface CreateTriggerOp {
  readonly kind: 'createTrigger'
  readonly trigger: TriggerDef
}

/** `DROP TRIGGER name ON table`. `definition` makes it reversible. */
export interface DropTriggerOp {
  readonly kind: 'dropTrigger'
  readonly schema: string | undefined
  readonly table: string
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: TriggerDef | undefined
}

/** `CREATE EVENT TRIGGER` (a superuser's statement). */
export interface CreateEventTriggerOp {
  readonly kind: 'createEventTrigger'
  readonly eventTrigger: EventTriggerDef
}

/** `DROP EVENT TRIGGER`. `definition` makes it reversible. */
export interface DropEventTriggerOp {
  readonly kind: 'dropEventTrigger'
  readonly name: string
  readonly ifExists: boolean
  readonly cascade: boolean
  readonly definition: EventTriggerDef | undefined
}

/** The operations on views, functions, procedures, aggregates, triggers and event triggers. */
export type CodeObjectOp =
  | CreateViewOp
  | DropViewOp
  | ReplaceViewOp
  | CreateMaterializedViewOp
  | DropMaterializedViewOp
  | RefreshMaterializedViewOp
  | RenameViewOp
  | CreateFunctionOp
  | DropFunctionOp
  | ReplaceFunctionOp
  | CreateProcedureOp
  | DropProcedureOp
  | ReplaceProcedureOp
  | CreateAggregateOp
  | DropAggregateOp
  | CreateTriggerOp
  | DropTriggerOp
  | CreateEventTriggerOp
  | DropEventTriggerOp

/** The kinds of {@link CodeObjectOp}: a record, so that a kind missing from it does not compile. */
const CODE_OBJECT_KINDS: Readonly<Record<CodeObjectOp['kind'], true>> = {
  createView: true,
  dropView: true,
  replaceView: true,
  createMaterializedView: true,
  dropMaterializedView: true,
  refreshMaterializedView: true,
  renameView: true,
  createFunction: true,
  dropFunction: true,
  replaceFunction: true,
  createProcedure: true,
  dropProcedure: true,
  replaceProcedure: true,
  createAggregate: true,
  dropAggregate: true,
  createTrigger: true,
  dropTrigger: true,
  createEventTrigger: true,
  dropEventTrigger: true,
}

/**
 * True for an operation on a view, function, procedure, aggregate, trigger or event trigger:
 * consumers hand those to their code-object module, and switch exhaustively over the rest.
 */
export function isCodeObjectOp(op: MigrationOp): op is CodeObjectOp {
  return Object.hasOwn(CODE_OBJECT_KINDS, op.kind)
}

/** Every operation a migration can perform. */
export type MigrationOp =
  | CreateSchemaOp
  | DropSchemaOp
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  /** Columns, indexes and constraints of a table. */
  | BatchTableOp
  | ValidateConstraintOp
  | BatchAlterTableOp
  | CreateEnumOp
  | DropEnumOp
  | AddEnumValueOp
  | RenameEnumValueOp
  | CreateTableCommentOp
  | DropTableCommentOp
  | AlterTableOptionsOp
  | CreatePartitionOp
  | DropPartitionOp
  | AttachPartitionOp
  | DetachPartitionOp
  | CreateSequenceOp
  | DropSequenceOp
  | AlterSequenceOp
  | RenameSequenceOp
  | CreateDomainOp
  | DropDomainOp
  | AlterDomainOp
  | CreateCompositeTypeOp
  | DropCompositeTypeOp
  | RenameTypeOp
  | AlterCompositeTypeOp
  | CreateExtensionOp
  | DropExtensionOp
  | CodeObjectOp
  | ExecuteOp
  | BulkInsertOp

/** Every operation kind. */
export type MigrationOpKind = MigrationOp['kind']

const SCHEMA_OBJECT_OP_KINDS: ReadonlySet<string> = new Set(
  Object.keys({
    createSequence: true,
    dropSequence: true,
    alterSequence: true,
    renameSequence: true,
    renameType: true,
    alterCompositeType: true,
    createDomain: true,
    dropDomain: true,
    alterDomain: true,
    createCompositeType: true,
    dropCompositeType: true,
    createExtension: true,
    dropExtension: true,
  } satisfies Record<SchemaObjectOp['kind'], true>),
)

/**
 * True for an operation on a sequence, domain, composite type or extension: consumers hand those
 * to their own module before switching over the rest.
 */
export function isSchemaObjectOp(op: MigrationOp): op is SchemaObjectOp {
  return SCHEMA_OBJECT_OP_KINDS.has(op.kind)
}

/** Compile-time exhaustiveness guard for switches over {@link MigrationOp}. */
export function assertNever(value: never): never {
  throw new Error(`unhandled operation: ${JSON.stringify(value)}`)
}
