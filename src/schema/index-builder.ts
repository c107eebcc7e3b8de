import { brand } from './brand.ts'
import type { ColumnTarget } from './column-builder.ts'
import { IndexElementBuilder, type IndexTarget, indexElement } from './index-element.ts'
import { SchemaModelError } from './schema-model-error.ts'
import { SqlFragment } from './sql.ts'

const INDEXBUILDER_BRAND = brand('IndexBuilder')

/** PostgreSQL's index access methods; any other (an extension's) may be named too. */
export type IndexMethod = 'btree' | 'hash' | 'gist' | 'spgist' | 'gin' | 'brin' | (string & {})

/** An index builder's data. */
export interface IndexState {
  /** The index's name; undefined: the naming convention's `ix`. */
  readonly name: string | undefined
  readonly elements: readonly IndexElementBuilder[]
  readonly unique: boolean
  readonly method: string | undefined
  readonly where: SqlFragment | undefined
  /** Non-key columns (`INCLUDE`): table columns or database names. */
  readonly include: readonly (ColumnTarget | string)[]
  /** Build with `CREATE INDEX CONCURRENTLY` when a migration creates it; not part of a snapshot. */
  readonly concurrently: boolean
}

/**
 * A table-level index, immutable: `index(name?).on(...)` in a table's extras. Elements are table
 * columns, column names, `sql` fragments, or elements with an order (`t.createdAt.desc()`).
 *
 * @example
 * (t) => [
 *   index('ix_users_email_lower').on(sql`lower(${t.email})`).unique(),
 *   index().on(t.ownerId, t.createdAt.desc()).where(sql`${t.deletedAt} IS NULL`),
 *   index().on(t.tags).using('gin'),
 *   index().on(t.email).include(t.id),
 * ]
 */
export class IndexBuilder {
  /** Answers `instanceof` across copies of aludel (see brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return INDEXBUILDER_BRAND.has(value)
  }

  /** The brand `instanceof` checks. */
  readonly [INDEXBUILDER_BRAND.symbol] = true

  /** Tells table extras apart. */
  readonly kind = 'index' as const
  /** The index's data; converters read it. */
  readonly state: IndexState

  constructor(state: IndexState) {
    this.state = state
  }

  /** The indexed elements, in order; replaces any given before. At least one is required. */
  on(...elements: readonly (IndexTarget | IndexElementBuilder)[]): IndexBuilder {
    const normalized = elements.map((element) =>
      element instanceof IndexElementBuilder ? element : indexElement(element),
    )
    return new IndexBuilder({ ...this.state, elements: normalized })
  }

  /** `CREATE UNIQUE INDEX`. */
  unique(): IndexBuilder {
    return new IndexBuilder({ ...this.state, unique: true })
  }

  /**
   * A partial index: only rows matching `predicate` are indexed.
   *
   * @example
   * index().on(t.email).unique().where(sql`${t.deletedAt} IS NULL`)
   */
  where(predicate: SqlFragment): IndexBuilder {
    if (!(predicate instanceof SqlFragment)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        'where() needs an sql fragment, like where(sql`deleted_at IS NULL`)',
      )
    }
    return new IndexBuilder({ ...this.state, where: predicate })
  }

  /** The access method; default btree. */
  using(method: IndexMethod): IndexBuilder {
    if (method.trim() === '') {
      throw new SchemaModelError('INVALID_ARGUMENT', "using() needs an access method, like 'gin'")
    }
    return new IndexBuilder({ ...this.state, method: method.toLowerCase() })
  }

  /** Non-key columns stored in the index (`INCLUDE`), for index-only scans. */
  include(...columns: readonly (ColumnTarget | string)[]): IndexBuilder {
    return new IndexBuilder({ ...this.state, include: columns })
  }

  /**
   * Asks migrations to build the index with `CREATE INDEX CONCURRENTLY`, which does not block
   * writes but cannot run in a transaction (the migration must set `transactional = false`). A
   * hint for migrations only: snapshots do not record it.
   */
  concurrently(): IndexBuilder {
    return new IndexBuilder({ ...this.state, concurrently: true })
  }
}

/**
 * Starts a table-level index; name it, or let the naming convention (`ix_<table>_<column>`) do.
 * See {@link IndexBuilder}.
 *
 * @example
 * (t) => [index('ix_users_email_lower').on(sql`lower(${t.email})`)]
 */
export function index(name?: string): IndexBuilder {
  return new IndexBuilder({
    name,
    elements: [],
    unique: false,
    method: undefined,
    where: undefined,
    include: [],
    concurrently: false,
  })
}

/**
 * Starts a unique index: the same as `index(name).unique()`.
 *
 * @example
 * (t) => [uniqueIndex().on(t.tenantId, t.slug)]
 */
export function uniqueIndex(name?: string): IndexBuilder {
  return index(name).unique()
}
