/**
 * Builds the operations on one table's columns, indexes and keys from the model DSL, for the `op`
 * facade (`op.addColumn`, `op.createIndex`, ...) and for `op.batch`, which takes the same changes
 * without repeating the table: both must build exactly the same operations.
 */
import { ColumnBuilder } from '../schema/column-builder.ts'
import { index as indexBuilder } from '../schema/index-builder.ts'
import type { IndexElementBuilder } from '../schema/index-element.ts'
import type { NamingConvention } from '../schema/naming-convention.ts'
import { SchemaModelError } from '../schema/schema-model-error.ts'
import type {
  ColumnDefault,
  ColumnType,
  IndexDef,
  LiteralValue,
  ReferentialAction,
} from '../schema/schema-snapshot.ts'
import { SqlFragment } from '../schema/sql.ts'
import { toColumnDef } from '../schema/to-column-def.ts'
import { toIndexDef } from '../schema/to-index-def.ts'
import type {
  AlterColumnOp,
  BatchTableOp,
  ColumnChanges,
  ConstraintDefinition,
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropColumnOp,
  DropConstraintOp,
  DropIndexOp,
} from './migration-op.ts'

/** SQL as a string, or an `sql` fragment. */
export type SqlText = string | SqlFragment

/** A table, optionally in a schema: every operation on an existing object accepts `schema`. */
export interface InSchema {
  /** Default: the connection's current schema (`public`). */
  readonly schema?: string
}

/** The names the DSL gives what a migration leaves unnamed. */
export interface NamingOptions {
  readonly namingConvention: NamingConvention
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
  /**
   * New collation (`ALTER COLUMN ... TYPE ... COLLATE`); null: the type's default. The statement
   * names the column's type: `type`, or `existingType` when the type does not change.
   */
  readonly collation?: string | null
  /** What the collation was (null: the type's default) — needed only to reverse the change. */
  readonly existingCollation?: string | null
}

const ALTER_COLUMN_OPTIONS: ReadonlySet<string> = new Set(
  Object.keys({
    schema: true,
    type: true,
    using: true,
    nullable: true,
    default: true,
    rename: true,
    comment: true,
    existingType: true,
    existingUsing: true,
    existingNullable: true,
    existingDefault: true,
    existingComment: true,
    collation: true,
    existingCollation: true,
  } satisfies Record<keyof AlterColumnOptions, true>),
)

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

/** Options of {@link Operations.dropIndex}. */
export interface DropIndexOptions extends InSchema {
  readonly table?: string
  readonly concurrently?: boolean
  readonly ifExists?: boolean
  readonly definition?: IndexDef
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

/** Options of {@link Operations.dropColumn}. */
export interface DropColumnOptions extends InSchema {
  readonly ifExists?: boolean
  readonly cascade?: boolean
  /** The column as it was: makes the drop reversible. */
  readonly definition?: ColumnBuilder
}

/** Options of {@link Operations.dropConstraint}. */
export interface DropConstraintOptions extends InSchema {
  readonly ifExists?: boolean
  readonly cascade?: boolean
  /** The constraint as it was: makes the drop reversible. */
  readonly definition?: ConstraintDefinition
}

/** Options of {@link Operations.createUniqueConstraint}. */
export interface CreateUniqueConstraintOptions extends InSchema {
  readonly nullsNotDistinct?: boolean
  /** Adopt this existing unique index instead of building one. */
  readonly usingIndex?: string
}

/**
 * `op.addColumn`'s operations: the column, then whatever its modifiers imply (`.primaryKey()`,
 * `.unique()`, `.check()`, `.references()`, `.index()`), in that order.
 */
export function addColumnOps(
  table: string,
  name: string,
  column: ColumnBuilder,
  options: InSchema & { readonly ifNotExists?: boolean },
  naming: NamingOptions,
): readonly BatchTableOp[] {
  const def = toColumnDef(column, {
    table,
    name,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...naming,
  })
  const base = { schema: options.schema, table }
  const ops: BatchTableOp[] = [
    { kind: 'addColumn', ...base, column: def.column, ifNotExists: options.ifNotExists ?? false },
  ]
  if (def.primaryKey) ops.push({ kind: 'createPrimaryKey', ...base, primaryKey: def.primaryKey })
  for (const unique of def.uniques) ops.push({ kind: 'createUniqueConstraint', ...base, unique })
  for (const check of def.checks) {
    ops.push({ kind: 'createCheckConstraint', ...base, check, notValid: false })
  }
  for (const foreignKey of def.foreignKeys) {
    ops.push({ kind: 'createForeignKey', ...base, foreignKey, notValid: false })
  }
  for (const index of def.indexes) {
    ops.push({ kind: 'createIndex', ...base, index, concurrently: false, ifNotExists: false })
  }
  return ops
}

/** `op.dropColumn`'s operation. */
export function dropColumnOp(
  table: string,
  column: string,
  options: DropColumnOptions,
  naming: NamingOptions,
): DropColumnOp {
  return {
    kind: 'dropColumn',
    schema: options.schema,
    table,
    column,
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition:
      options.definition === undefined
        ? undefined
        : toColumnDef(options.definition, { table, name: column, ...naming }).column,
  }
}

/** `op.alterColumn`'s operation; an option it does not have is an error, not a silent no-op. */
export function alterColumnOp(
  table: string,
  column: string,
  options: AlterColumnOptions,
  naming: NamingOptions,
): AlterColumnOp {
  // A migration is plain JavaScript at run time: a misspelt option would change nothing.
  const unknown = Object.keys(options).filter((key) => !ALTER_COLUMN_OPTIONS.has(key))
  if (unknown.length > 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `op.alterColumn('${table}', '${column}') has no option ${unknown.map((k) => `'${k}'`).join(', ')}${unknown.includes('name') ? " (a new name is given as rename: '...')" : ''}; the options are ${[...ALTER_COLUMN_OPTIONS].join(', ')}`,
    )
  }
  const typeOf = (type: ColumnBuilder | ColumnType): ColumnType =>
    type instanceof ColumnBuilder
      ? toColumnDef(type, { table, name: column, ...naming }).column.type
      : type
  const changes: {
    -readonly [K in keyof ColumnChanges]: ColumnChanges[K]
  } = {}
  if (options.type !== undefined) {
    changes.type = {
      to: typeOf(options.type),
      ...(options.existingType === undefined ? {} : { from: typeOf(options.existingType) }),
      ...(options.using === undefined ? {} : { using: sqlText(options.using) }),
      ...(options.existingUsing === undefined ? {} : { fromUsing: sqlText(options.existingUsing) }),
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
  if (options.collation !== undefined) {
    const type = options.type ?? options.existingType
    if (type === undefined) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `op.alterColumn('${table}', '${column}', { collation }) names the column's type: pass type, or existingType when it does not change`,
      )
    }
    changes.collation = {
      to: options.collation,
      type: typeOf(type),
      ...(options.existingCollation === undefined ? {} : { from: options.existingCollation }),
    }
  }
  if (options.rename !== undefined) changes.name = { to: options.rename, from: column }
  return { kind: 'alterColumn', schema: options.schema, table, column, changes }
}

/** `op.createIndex`'s operation. */
export function createIndexOp(
  name: string,
  table: string,
  elements: readonly (string | SqlFragment | IndexElementBuilder)[],
  options: CreateIndexOptions,
  naming: NamingOptions,
): CreateIndexOp {
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
    ...naming,
  })
  return {
    kind: 'createIndex',
    schema: def.schema,
    table,
    index: def.index,
    concurrently: options.concurrently ?? false,
    ifNotExists: options.ifNotExists ?? false,
  }
}

/** `op.dropIndex`'s operation. */
export function dropIndexOp(name: string, options: DropIndexOptions): DropIndexOp {
  return {
    kind: 'dropIndex',
    schema: options.schema,
    name,
    table: options.table,
    concurrently: options.concurrently ?? false,
    ifExists: options.ifExists ?? false,
    definition: options.definition,
  }
}

/** `op.createForeignKey`'s operation. */
export function createForeignKeyOp(
  name: string,
  sourceTable: string,
  referentTable: string,
  localColumns: readonly string[],
  remoteColumns: readonly string[],
  options: CreateForeignKeyOptions,
): CreateForeignKeyOp {
  return {
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
  }
}

/** `op.createUniqueConstraint`'s operation. */
export function createUniqueConstraintOp(
  name: string,
  table: string,
  columns: readonly string[],
  options: CreateUniqueConstraintOptions,
): CreateUniqueConstraintOp {
  return {
    kind: 'createUniqueConstraint',
    schema: options.schema,
    table,
    unique: { name, columns, nullsNotDistinct: options.nullsNotDistinct ?? false },
    ...(options.usingIndex === undefined ? {} : { usingIndex: options.usingIndex }),
  }
}

/** `op.createCheckConstraint`'s operation. */
export function createCheckConstraintOp(
  name: string,
  table: string,
  condition: SqlText,
  options: InSchema & { readonly notValid?: boolean },
): CreateCheckConstraintOp {
  return {
    kind: 'createCheckConstraint',
    schema: options.schema,
    table,
    check: { name, expression: sqlText(condition) },
    notValid: options.notValid ?? false,
  }
}

/** `op.createPrimaryKey`'s operation. */
export function createPrimaryKeyOp(
  name: string,
  table: string,
  columns: readonly string[],
  options: InSchema,
): CreatePrimaryKeyOp {
  return { kind: 'createPrimaryKey', schema: options.schema, table, primaryKey: { name, columns } }
}

/** `op.dropConstraint`'s operation. */
export function dropConstraintOp(
  name: string,
  table: string,
  options: DropConstraintOptions,
): DropConstraintOp {
  return {
    kind: 'dropConstraint',
    schema: options.schema,
    table,
    name,
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition: options.definition,
  }
}

/** The SQL text of a string or an `sql` fragment. */
export function sqlText(text: SqlText): string {
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
