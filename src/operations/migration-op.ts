import type {
  CheckDef,
  ColumnDef,
  ColumnDefault,
  ColumnType,
  EnumDef,
  ForeignKeyDef,
  IndexDef,
  LiteralValue,
  PrimaryKeyDef,
  TableDef,
  UniqueDef,
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

/** Every operation a migration can perform. */
export type MigrationOp =
  | CreateSchemaOp
  | DropSchemaOp
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateForeignKeyOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreatePrimaryKeyOp
  | ValidateConstraintOp
  | DropConstraintOp
  | CreateEnumOp
  | DropEnumOp
  | AddEnumValueOp
  | RenameEnumValueOp
  | CreateTableCommentOp
  | DropTableCommentOp
  | ExecuteOp
  | BulkInsertOp

/** Every operation kind. */
export type MigrationOpKind = MigrationOp['kind']

/** Compile-time exhaustiveness guard for switches over {@link MigrationOp}. */
export function assertNever(value: never): never {
  throw new Error(`unhandled operation: ${JSON.stringify(value)}`)
}
