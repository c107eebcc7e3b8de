/**
 * An index as the catalog reader reads it from `pg_index` (manual, 53.26): its keys as attribute
 * numbers (0 for an expression), their ordering options and operator classes, the expressions and
 * predicate as `pg_get_indexdef` and `pg_get_expr` print them. Exclusion constraints are read in
 * the same shape, since an index enforces them.
 */
export interface IndexRow {
  readonly rel: number
  readonly name: string
  readonly unique: boolean
  readonly method: string
  readonly key_count: number
  readonly keys: readonly number[]
  readonly options: readonly number[]
  readonly classes: readonly number[]
  readonly expressions: readonly string[] | null
  readonly predicate: string | null
}
