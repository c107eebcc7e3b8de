import { ColumnBuilder, type NewColumn, newColumnState, normalizeSchema } from './column-builder.ts'
import { checkExplicitName, MAX_IDENTIFIER_BYTES } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { EnumDef } from './schema-snapshot.ts'
import { SQL_PART, type SqlInterpolable, type SqlPart } from './sql.ts'

/** The key under which an enum type keeps its plain {@link EnumDef}; marks enum types. */
export const ENUM_DEF: unique symbol = Symbol.for('aludel.enumDef')

/**
 * A PostgreSQL enum type (`CREATE TYPE name AS ENUM (...)`) that is also a column type function:
 * `mood()` or `mood('current_mood')` declares a column whose row type is the union of the values.
 * Structurally it is an {@link EnumDef} (`name`, `schema`, `values`).
 */
export interface EnumType<
  TName extends string = string,
  TValues extends readonly string[] = readonly string[],
> extends SqlInterpolable {
  (): NewColumn<TValues[number], 'enum', undefined>
  <const N extends string>(name: N): NewColumn<TValues[number], 'enum', N>
  /** The type's name. */
  readonly name: TName
  /** The type's schema; undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  /** The labels, in their sort order. */
  readonly values: TValues
  /** The enum as plain data. */
  readonly [ENUM_DEF]: EnumDef
}

/** Options of `enumType()`. */
export interface EnumTypeOptions {
  /** The schema that holds the type; default: the default schema (`public`). */
  readonly schema?: string
}

/**
 * Declares an enum type and returns it as a column type function. Values are sorted as listed
 * (PostgreSQL orders enum values by declaration, not alphabetically); there must be at least one,
 * each non-empty, at most 63 bytes, and no value twice. Models collect the enums their columns
 * use, so listing an enum in `defineSchema` is needed only for one no column uses.
 *
 * @example
 * export const mood = enumType('mood', ['sad', 'ok', 'happy'])
 * export const people = table('people', { id: serial().primaryKey(), mood: mood().notNull() })
 * type Mood = (typeof mood.values)[number]   // 'sad' | 'ok' | 'happy'
 */
export function enumType<const N extends string, const V extends readonly string[]>(
  name: N,
  values: V,
  options: EnumTypeOptions = {},
): EnumType<N, V> {
  checkExplicitName('enum name', name)
  const schema = normalizeSchema(options.schema)
  checkEnumValues(name, values)
  const frozenValues = Object.freeze([...values]) as unknown as V
  const def: EnumDef = Object.freeze({ schema, name, values: frozenValues })
  const make = (columnName?: string): ColumnBuilder =>
    new ColumnBuilder(newColumnState(columnName, { kind: 'enum', name, schema }, { enum: def }))
  // Function objects have a read-only `name` (the function's own name); it is configurable, so it
  // is redefined to the enum's name, which makes the type structurally an EnumDef.
  Object.defineProperties(make, {
    name: { value: name, enumerable: true },
    schema: { value: schema, enumerable: true },
    values: { value: frozenValues, enumerable: true },
    [ENUM_DEF]: { value: def },
    [SQL_PART]: { value: (): SqlPart => ({ sql: quoteQualifiedName(schema, name), columns: [] }) },
  })
  return make as unknown as EnumType<N, V>
}

/** True for a value made by `enumType()`. */
export function isEnumType(value: unknown): value is EnumType {
  return typeof value === 'function' && ENUM_DEF in value
}

function checkEnumValues(name: string, values: readonly string[]): void {
  const invalid = (reason: string): SchemaModelError =>
    new SchemaModelError('INVALID_ENUM', `enum ${name} ${reason}`)
  if (!Array.isArray(values) || values.length === 0) {
    throw invalid("has no values; list at least one, like enumType('mood', ['sad', 'happy'])")
  }
  const seen = new Set<string>()
  for (const value of values) {
    if (typeof value !== 'string' || value === '') {
      throw invalid(
        `has an empty or non-string value (${JSON.stringify(value)}); every value must be a non-empty string`,
      )
    }
    if (Buffer.byteLength(value) > MAX_IDENTIFIER_BYTES) {
      throw invalid(
        `value '${value}' is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes; shorten it`,
      )
    }
    if (seen.has(value)) throw invalid(`lists '${value}' twice; remove the duplicate`)
    seen.add(value)
  }
}
