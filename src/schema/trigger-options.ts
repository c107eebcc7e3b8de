/**
 * The declaration of a trigger, apart from `trigger()` itself so that tables can take triggers
 * among their extras without importing the DSL functions triggers name (no import cycle).
 */
import type { SqlInterpolable } from './sql.ts'

/** A function named by its schema (undefined: the default schema) and name. */
export interface FunctionName {
  readonly schema?: string | undefined
  readonly name: string
}

/** A data-changing event list of one timing: `['insert', 'update']`. */
export type TriggerEvents = readonly ('insert' | 'update' | 'delete' | 'truncate')[]

/** Options of `trigger()`: exactly one of `before`, `after` and `insteadOf`. */
export interface TriggerOptions {
  /**
   * The `table()` or `view()` it fires on, or its name (in a migration); inside a table's
   * extras, that table (and this is left out).
   */
  readonly on?: SqlInterpolable | string
  /** The schema of a table or view given by name in `on`; default: the default schema. */
  readonly schema?: string
  readonly before?: TriggerEvents
  readonly after?: TriggerEvents
  /** On views only, `forEach: 'row'`. */
  readonly insteadOf?: TriggerEvents
  /** `UPDATE OF columns`: fire on an update of these columns only (table columns or names). */
  readonly updateOf?: readonly (SqlInterpolable | string)[]
  /** Default `statement`, as in PostgreSQL. */
  readonly forEach?: 'row' | 'statement'
  /** `WHEN (condition)`: an `sql` fragment or SQL text; `OLD` and `NEW` name the rows. */
  readonly when?: SqlInterpolable | string
  /**
   * The trigger function (`RETURNS trigger`): a `dbFunction()`, its name (`'audit.log'`), or
   * `{ schema, name }`.
   */
  readonly execute: SqlInterpolable | string | FunctionName
  /** Arguments the function reads from `TG_ARGV`, as strings. */
  readonly arguments?: readonly string[]
  /** `REFERENCING OLD TABLE AS name` (AFTER triggers). */
  readonly oldTable?: string
  /** `REFERENCING NEW TABLE AS name` (AFTER triggers). */
  readonly newTable?: string
}

/** A trigger declared with `trigger()`: a table extra, or a model entry with `on`. */
export interface Trigger {
  /** Tells table extras apart. */
  readonly kind: 'trigger'
  readonly name: string
  readonly options: TriggerOptions
}
