import type { ColumnBuilder } from '../schema/column-builder.ts'
import type { ExclusionOptions } from '../schema/exclusion.ts'
import type { IndexElementBuilder } from '../schema/index-element.ts'
import type { SqlFragment } from '../schema/sql.ts'
import type { BatchTableOp } from './migration-op.ts'
import { createExclusionConstraintOp } from './partition-ops.ts'
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
  type NamingOptions,
  type SqlText,
} from './table-ops.ts'

/**
 * The changes `op.batch(table, (batch) => ...)` groups: the table-level methods of `op`, without
 * the table and its schema, which the batch names once. Each call records its operation at once,
 * in order; nothing runs until the callback returns. There is no `concurrently`: a batch runs as
 * one piece, inside the migration's transaction.
 *
 * @example
 * await op.batch('items', (batch) => {
 *   batch.addColumn('note', text())
 *   batch.alterColumn('price', { type: numeric(10, 2), existingType: integer() })
 *   batch.createForeignKey('fk_items_owner', 'users', ['owner_id'], ['id'])
 * })
 */
export class BatchOperations {
  readonly #table: string
  readonly #schema: { readonly schema?: string }
  readonly #naming: NamingOptions
  readonly #ops: BatchTableOp[]

  /** @param ops where the recorded operations go, in order */
  constructor(
    table: string,
    schema: string | undefined,
    naming: NamingOptions,
    ops: BatchTableOp[],
  ) {
    this.#table = table
    this.#schema = schema === undefined ? {} : { schema }
    this.#naming = naming
    this.#ops = ops
  }

  /** Adds a column, followed by what its modifiers imply (see `op.addColumn`). */
  addColumn(name: string, column: ColumnBuilder): void {
    this.#ops.push(...addColumnOps(this.#table, name, column, this.#schema, this.#naming))
  }

  /** Drops a column; with `definition` (the column as it was), the drop can be reversed. */
  dropColumn(column: string, options: Omit<DropColumnOptions, 'schema'> = {}): void {
    this.#ops.push(dropColumnOp(this.#table, column, { ...options, ...this.#schema }, this.#naming))
  }

  /** Changes a column's type, nullability, default, comment, collation or name (see `op.alterColumn`). */
  alterColumn(column: string, options: Omit<AlterColumnOptions, 'schema'>): void {
    this.#ops.push(
      alterColumnOp(this.#table, column, { ...options, ...this.#schema }, this.#naming),
    )
  }

  /** Creates an index on the table (see `op.createIndex`). */
  createIndex(
    name: string,
    elements: readonly (string | SqlFragment | IndexElementBuilder)[],
    options: Omit<CreateIndexOptions, 'schema' | 'concurrently'> = {},
  ): void {
    this.#ops.push(
      createIndexOp(name, this.#table, elements, { ...options, ...this.#schema }, this.#naming),
    )
  }

  /** Drops an index of the table; with `definition`, the drop can be reversed. */
  dropIndex(
    name: string,
    options: Omit<DropIndexOptions, 'schema' | 'table' | 'concurrently'> = {},
  ): void {
    this.#ops.push(dropIndexOp(name, { ...options, ...this.#schema, table: this.#table }))
  }

  /** Adds a foreign key from this table's `localColumns` to `referentTable(remoteColumns)`. */
  createForeignKey(
    name: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: Omit<CreateForeignKeyOptions, 'sourceSchema'> = {},
  ): void {
    const source = this.#schema.schema === undefined ? {} : { sourceSchema: this.#schema.schema }
    this.#ops.push(
      createForeignKeyOp(name, this.#table, referentTable, localColumns, remoteColumns, {
        ...options,
        ...source,
      }),
    )
  }

  /** Adds a unique constraint (see `op.createUniqueConstraint`). */
  createUniqueConstraint(
    name: string,
    columns: readonly string[],
    options: Omit<CreateUniqueConstraintOptions, 'schema'> = {},
  ): void {
    this.#ops.push(
      createUniqueConstraintOp(name, this.#table, columns, { ...options, ...this.#schema }),
    )
  }

  /** Adds a check constraint; `condition` is the boolean expression. */
  createCheckConstraint(
    name: string,
    condition: SqlText,
    options: { readonly notValid?: boolean } = {},
  ): void {
    this.#ops.push(
      createCheckConstraintOp(name, this.#table, condition, { ...options, ...this.#schema }),
    )
  }

  /** Adds a primary key. */
  createPrimaryKey(name: string, columns: readonly string[]): void {
    this.#ops.push(createPrimaryKeyOp(name, this.#table, columns, this.#schema))
  }

  /** Adds an exclusion constraint (see `op.createExclusionConstraint`). */
  createExclusionConstraint(name: string, options: ExclusionOptions): void {
    this.#ops.push(createExclusionConstraintOp(name, this.#table, { ...options, ...this.#schema }))
  }

  /** Drops a constraint by name; with `definition`, the drop can be reversed. */
  dropConstraint(name: string, options: Omit<DropConstraintOptions, 'schema'> = {}): void {
    this.#ops.push(dropConstraintOp(name, this.#table, { ...options, ...this.#schema }))
  }
}
