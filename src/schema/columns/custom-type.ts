import { ColumnBuilder, type NewColumn, newColumnState } from '../column-builder.ts'
import { SchemaModelError } from '../schema-model-error.ts'

/** A column type function made by {@link customType}: call it like `text()` or `text('name')`. */
export interface CustomType<T> {
  (): NewColumn<T, 'custom', undefined>
  <const N extends string>(name: N): NewColumn<T, 'custom', N>
  /** The type as the database spells it. */
  readonly sql: string
}

/**
 * Declares a column type aludel has no function for, spelled as the database spells it
 * (`tsvector`, `citext`, `geometry(Point, 4326)`, `int4range`), with `T` as its row type (default
 * `unknown`). It returns a type function, so one declaration serves every column of that type and
 * each column still gets its name inferred.
 *
 * @example
 * const tsvector = customType<string>('tsvector')
 * const citext = customType<string>('citext')
 * export const docs = table('docs', {
 *   body: text().notNull(),
 *   search: tsvector('search_vector'),
 *   email: citext().notNull(),
 * })
 */
export function customType<T = unknown>(sql: string): CustomType<T> {
  const spelled = sql.trim()
  if (spelled === '') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      "customType() needs the type as the database spells it, like customType<string>('tsvector')",
    )
  }
  const make = (name?: string): ColumnBuilder =>
    new ColumnBuilder(newColumnState(name, { kind: 'custom', sql: spelled }))
  return Object.assign(make, { sql: spelled }) as CustomType<T>
}
