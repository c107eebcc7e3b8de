import type { ColumnTarget } from './column-builder.ts'
import { IndexBuilder, type IndexMethod } from './index-builder.ts'
import type { IndexElementBuilder, IndexTarget } from './index-element.ts'
import { checkExplicitName } from './naming-convention.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { ExclusionDef } from './schema-snapshot.ts'
import type { SqlFragment } from './sql.ts'
import type { ColumnScope } from './to-index-def.ts'
import { pendingIndex } from './to-index-def.ts'

/** Options of {@link exclude}. */
export interface ExclusionOptions {
  /** The index access method; default `btree` (PostgreSQL's), though `gist` is the usual one. */
  readonly using?: IndexMethod
  /**
   * The elements and the operator each excludes with: two rows conflict when every operator
   * returns true. An element is a column, a name, an `sql` expression or an index element.
   */
  readonly elements: readonly (readonly [IndexTarget | IndexElementBuilder, string])[]
  /** Only rows matching this predicate are constrained. */
  readonly where?: SqlFragment
  /** Non-key columns of the constraint's index. */
  readonly include?: readonly (ColumnTarget | string)[]
  /** `DEFERRABLE`; default false, or true with `initiallyDeferred`. */
  readonly deferrable?: boolean
  /** `INITIALLY DEFERRED`; default false. */
  readonly initiallyDeferred?: boolean
}

/** A table-level exclusion constraint: `exclude(name, { ... })` in a table's extras. */
export interface ExclusionConstraint {
  /** Tells table extras apart. */
  readonly kind: 'exclude'
  /** The constraint's name, taken as written. */
  readonly name: string
  readonly options: ExclusionOptions
}

/**
 * An exclusion constraint (`EXCLUDE USING method (element WITH operator, ...)`, manual, CREATE
 * TABLE and 5.5.6 "Exclusion Constraints"): no two rows may have every element compare true
 * under its operator — no two bookings of one room that overlap. The name is taken as written.
 * A gist constraint over scalar equality needs the `btree_gist` extension.
 *
 * @example
 * (t) => [
 *   exclude('no_overlap', {
 *     using: 'gist',
 *     elements: [[t.roomId, '='], [t.during, '&&']],
 *     where: sql`${t.cancelled} IS NOT TRUE`,
 *   }),
 * ]
 */
export function exclude(name: string, options: ExclusionOptions): ExclusionConstraint {
  checkExplicitName('exclusion constraint name', name)
  if (typeof options !== 'object' || options === null || !Array.isArray(options.elements)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `exclude('${name}', ...) needs { elements: [[column, operator], ...] }`,
    )
  }
  if (options.elements.length === 0) {
    throw new SchemaModelError(
      'EMPTY_CONSTRAINT',
      `exclusion constraint ${name} has no elements; list them as [[column, operator], ...]`,
    )
  }
  for (const element of options.elements) {
    if (!Array.isArray(element) || typeof element[1] !== 'string' || element[1].trim() === '') {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `each element of exclusion constraint ${name} is [column or expression, operator], like [t.during, '&&']`,
      )
    }
  }
  if (options.deferrable === false && options.initiallyDeferred === true) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `exclusion constraint ${name} cannot be initiallyDeferred without being deferrable`,
    )
  }
  return Object.freeze({ kind: 'exclude', name, options: Object.freeze({ ...options }) })
}

/**
 * The constraint as snapshot data, its elements resolved through the table's scope the way an
 * index's are (the constraint is enforced by an index of its method).
 */
export function exclusionDef(constraint: ExclusionConstraint, scope: ColumnScope): ExclusionDef {
  const { options } = constraint
  let builder = new IndexBuilder({
    name: constraint.name,
    elements: [],
    unique: false,
    method: options.using,
    where: options.where,
    include: options.include ?? [],
    concurrently: false,
  }).on(...options.elements.map(([element]) => element))
  if (options.where !== undefined) builder = builder.where(options.where)
  const index = pendingIndex(builder, scope)
  return {
    name: constraint.name,
    elements: index.elements.map((element, i) => ({
      ...element,
      operator: options.elements[i]![1].trim(),
    })),
    method: index.method,
    where: index.where,
    include: index.include,
    deferrable: options.deferrable ?? options.initiallyDeferred ?? false,
    initiallyDeferred: options.initiallyDeferred ?? false,
  }
}
