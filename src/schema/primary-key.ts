import type { ColumnTarget } from './column-builder.ts'

/** A table-level (usually composite) primary key. */
export interface PrimaryKeyConstraint {
  /** Tells table extras apart. */
  readonly kind: 'primaryKey'
  /** The constraint's name; undefined: the naming convention's `pk`. */
  readonly name: string | undefined
  /** Table columns or database names, in key order. */
  readonly columns: readonly (ColumnTarget | string)[]
}

/** Options of `primaryKey()`. */
export interface PrimaryKeyOptions {
  /** The key's columns, in order; at least one. They become NOT NULL in the database. */
  readonly columns: readonly (ColumnTarget | string)[]
  /** The constraint's name; default: the naming convention's `pk` (`pk_<table>`). */
  readonly name?: string
}

/**
 * A table-level primary key, for composite keys or a chosen column order. A table has one
 * primary key: declare it here or with `.primaryKey()` on columns, not both. Mark its columns
 * `.notNull()` too, so that row types see them as non-null.
 *
 * @example
 * (t) => [primaryKey({ columns: [t.teamId, t.userId] })]
 */
export function primaryKey(options: PrimaryKeyOptions): PrimaryKeyConstraint {
  return Object.freeze({
    kind: 'primaryKey',
    name: options.name,
    columns: Object.freeze([...options.columns]),
  })
}
