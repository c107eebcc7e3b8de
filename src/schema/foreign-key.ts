import {
  type ColumnTarget,
  checkReferenceOptions,
  normalizeSchema,
  type ReferenceOptions,
} from './column-builder.ts'

/** Where a table-level foreign key points. */
export type ForeignKeyTarget =
  | { readonly kind: 'columns'; readonly columns: readonly ColumnTarget[] }
  | {
      readonly kind: 'named'
      readonly schema: string | undefined
      readonly table: string
      readonly columns: readonly string[]
    }

/** A table-level (usually composite) foreign key. */
export interface ForeignKeyConstraint {
  /** Tells table extras apart. */
  readonly kind: 'foreignKey'
  /** The referencing columns of this table, in order. */
  readonly columns: readonly (ColumnTarget | string)[]
  readonly target: ForeignKeyTarget
  readonly options: ReferenceOptions
}

/** Options of `foreignKey()` that reference table columns. */
export interface ForeignKeyOptions extends ReferenceOptions {
  /** This table's columns (or their database names), in order. */
  readonly columns: readonly (ColumnTarget | string)[]
  /** The referenced columns, all of one table, in the same order. */
  readonly foreignColumns: readonly ColumnTarget[]
}

/** Options of `foreignKey()` that reference a table by name, for migrations without models. */
export interface NamedForeignKeyOptions extends ReferenceOptions {
  /** This table's columns (or their database names), in order. */
  readonly columns: readonly (ColumnTarget | string)[]
  /** The referenced table: `'users'` or schema-qualified `'auth.users'`. */
  readonly foreignTable: string
  /** The referenced columns' database names, in the same order. */
  readonly foreignColumns: readonly string[]
}

/**
 * A table-level foreign key, for composite keys. Extras are evaluated when the schema is
 * converted, so the referenced table may be declared later in the module.
 *
 * @example
 * (t) => [
 *   foreignKey({
 *     columns: [t.tenantId, t.ownerId],
 *     foreignColumns: [users.tenantId, users.id],
 *     onDelete: 'cascade',
 *   }),
 * ]
 */
export function foreignKey(
  options: ForeignKeyOptions | NamedForeignKeyOptions,
): ForeignKeyConstraint {
  const { columns, foreignColumns, ...rest } = options
  const referenceOptions: ReferenceOptions = checkReferenceOptions({
    onDelete: rest.onDelete,
    onUpdate: rest.onUpdate,
    deferrable: rest.deferrable,
    initiallyDeferred: rest.initiallyDeferred,
    name: rest.name,
  })
  let target: ForeignKeyTarget
  if ('foreignTable' in options) {
    const dot = options.foreignTable.indexOf('.')
    target = {
      kind: 'named',
      schema: dot < 0 ? undefined : normalizeSchema(options.foreignTable.slice(0, dot)),
      table: dot < 0 ? options.foreignTable : options.foreignTable.slice(dot + 1),
      columns: Object.freeze([...options.foreignColumns]),
    }
  } else {
    target = { kind: 'columns', columns: Object.freeze([...options.foreignColumns]) }
  }
  return Object.freeze({
    kind: 'foreignKey',
    columns: Object.freeze([...columns]),
    target,
    options: referenceOptions,
  })
}
