import { brand } from './brand.ts'
import type { ColumnTarget } from './column-builder.ts'
import { SchemaModelError } from './schema-model-error.ts'
import { SqlFragment } from './sql.ts'

const INDEXELEMENTBUILDER_BRAND = brand('IndexElementBuilder')

/** What an index element indexes: a table column, a column's database name, or an expression. */
export type IndexTarget = ColumnTarget | SqlFragment | string

/** An index element's data. */
export interface IndexElementState {
  readonly target: IndexTarget
  readonly order: 'asc' | 'desc' | undefined
  readonly nulls: 'first' | 'last' | undefined
  readonly opclass: string | undefined
}

/**
 * One element of an index with its ordering and operator class, immutable. Table columns start
 * one directly (`t.createdAt.desc()`); {@link indexElement} starts one for an expression.
 *
 * @example
 * index().on(t.createdAt.desc().nullsLast(), t.id)
 * index().on(t.title.opclass('gin_trgm_ops')).using('gin')
 */
export class IndexElementBuilder {
  /** Answers `instanceof` across copies of aludel (see brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return INDEXELEMENTBUILDER_BRAND.has(value)
  }

  /** The brand `instanceof` checks. */
  readonly [INDEXELEMENTBUILDER_BRAND.symbol] = true

  /** The element's data; converters read it. */
  readonly state: IndexElementState

  constructor(state: IndexElementState) {
    this.state = state
  }

  /** Ascending order (the default). */
  asc(): IndexElementBuilder {
    return new IndexElementBuilder({ ...this.state, order: 'asc' })
  }

  /** Descending order. */
  desc(): IndexElementBuilder {
    return new IndexElementBuilder({ ...this.state, order: 'desc' })
  }

  /** `NULLS FIRST` (the default for descending order). */
  nullsFirst(): IndexElementBuilder {
    return new IndexElementBuilder({ ...this.state, nulls: 'first' })
  }

  /** `NULLS LAST` (the default for ascending order). */
  nullsLast(): IndexElementBuilder {
    return new IndexElementBuilder({ ...this.state, nulls: 'last' })
  }

  /**
   * An operator class (`text_pattern_ops`, `gin_trgm_ops`, `jsonb_path_ops`) instead of the type's
   * default one.
   */
  opclass(name: string): IndexElementBuilder {
    if (name.trim() === '') {
      throw new SchemaModelError('INVALID_ARGUMENT', 'opclass() needs an operator class name')
    }
    return new IndexElementBuilder({ ...this.state, opclass: name })
  }
}

/**
 * Starts an index element, to give an expression (or a column named by string) an order or an
 * operator class.
 *
 * @example
 * index('ix_users_email_lower_desc').on(indexElement(sql`lower(${t.email})`).desc())
 */
export function indexElement(target: IndexTarget): IndexElementBuilder {
  if (
    typeof target !== 'string' &&
    !(target instanceof SqlFragment) &&
    (typeof target !== 'object' || target === null || typeof target.name !== 'string')
  ) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `an index element must be a table column, a column name or an sql fragment, not ${typeof target}`,
    )
  }
  return new IndexElementBuilder({ target, order: undefined, nulls: undefined, opclass: undefined })
}
