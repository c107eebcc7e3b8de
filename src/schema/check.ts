import { SchemaModelError } from './schema-model-error.ts'
import { SqlFragment } from './sql.ts'

/** A table-level check constraint. */
export interface CheckConstraint {
  /** Tells table extras apart. */
  readonly kind: 'check'
  /** The name that fills the convention's `%(constraint_name)s` (default `ck_<table>_<name>`). */
  readonly name: string
  /** The boolean expression. */
  readonly expression: SqlFragment
}

/**
 * A table-level check constraint; `name` fills the naming convention's `%(constraint_name)s`, so
 * with the default convention the constraint is named `ck_<table>_<name>`.
 *
 * @example
 * (t) => [check('dates_ordered', sql`${t.startsAt} < ${t.endsAt}`)]
 */
export function check(name: string, expression: SqlFragment): CheckConstraint {
  if (typeof name !== 'string' || name === '') {
    throw new SchemaModelError(
      'INVALID_NAME',
      "check() needs a name, like check('price_positive', sql`price > 0`)",
    )
  }
  if (!(expression instanceof SqlFragment)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `check('${name}', ...) needs an sql fragment, like sql\`price > 0\``,
    )
  }
  return Object.freeze({ kind: 'check', name, expression })
}
