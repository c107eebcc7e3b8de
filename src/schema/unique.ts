import type { ColumnTarget } from './column-builder.ts'

/** A unique constraint builder's data. */
export interface UniqueState {
  /** The constraint's name; undefined: the naming convention's `uq`. */
  readonly name: string | undefined
  /** Table columns or database names, in order. */
  readonly columns: readonly (ColumnTarget | string)[]
  readonly nullsNotDistinct: boolean
}

/**
 * A table-level unique constraint, immutable: `unique(name?).on(...columns)` in a table's extras.
 *
 * @example
 * (t) => [
 *   unique().on(t.tenantId, t.slug),
 *   unique('uq_one_null_code').on(t.code).nullsNotDistinct(),
 * ]
 */
export class UniqueBuilder {
  /** Tells table extras apart. */
  readonly kind = 'unique' as const
  /** The constraint's data; converters read it. */
  readonly state: UniqueState

  constructor(state: UniqueState) {
    this.state = state
  }

  /** The constrained columns, in order; replaces any given before. At least one is required. */
  on(...columns: readonly (ColumnTarget | string)[]): UniqueBuilder {
    return new UniqueBuilder({ ...this.state, columns })
  }

  /**
   * PostgreSQL 15+ `NULLS NOT DISTINCT`: nulls count as equal, so at most one row may have them.
   */
  nullsNotDistinct(): UniqueBuilder {
    return new UniqueBuilder({ ...this.state, nullsNotDistinct: true })
  }
}

/**
 * Starts a table-level unique constraint; see {@link UniqueBuilder}.
 *
 * @example
 * (t) => [unique('uq_members_team_user').on(t.teamId, t.userId)]
 */
export function unique(name?: string): UniqueBuilder {
  return new UniqueBuilder({ name, columns: [], nullsNotDistinct: false })
}
