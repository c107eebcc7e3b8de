import {
  type ColumnBuilder,
  type NewColumn,
  normalizeSchema,
  type TypeObject,
} from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { CompositeTypeDef } from './schema-snapshot.ts'
import type { SqlInterpolable } from './sql.ts'
import { baseTypeOf, typeFunction } from './type-object.ts'

/** The key under which a composite type keeps its plain {@link CompositeTypeDef}; marks them. */
export const COMPOSITE_TYPE_DEF: unique symbol = Symbol.for('aludel.compositeTypeDef')

/** Options of `compositeType()`. */
export interface CompositeTypeOptions {
  /** The schema that holds the type; default: the default schema (`public`). */
  readonly schema?: string
}

/**
 * A composite type (`CREATE TYPE name AS (...)`) that is also a column type function:
 * `address()` or `address('home')` declares a column of the type. Its row type is `string`, the
 * record's text form (`(Main St,12345)`) that node-postgres and PGlite return for it.
 */
export interface CompositeType<TName extends string = string> extends SqlInterpolable {
  (): NewColumn<string, 'custom', undefined>
  <const N extends string>(name: N): NewColumn<string, 'custom', N>
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  /** The type as plain data. */
  readonly [COMPOSITE_TYPE_DEF]: CompositeTypeDef
}

/**
 * Declares a composite type from attributes given as bare column types, keyed by attribute name
 * (a builder's own name argument wins, as for table columns). Models collect the composite types
 * their columns use, and what the attributes use in turn.
 *
 * @example
 * export const address = compositeType('address', { street: text(), zip: varchar(10) })
 * export const stores = table('stores', { id: serial().primaryKey(), location: address() })
 */
export function compositeType<const N extends string>(
  name: N,
  attributes: Readonly<Record<string, ColumnBuilder>>,
  options: CompositeTypeOptions = {},
): CompositeType<N> {
  checkExplicitName('composite type name', name)
  const schema = normalizeSchema(options.schema)
  const what = `composite type ${quoteQualifiedName(schema, name)}`
  const entries = Object.entries(attributes ?? {})
  if (entries.length === 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} has no attributes; give at least one, like { street: text() }`,
    )
  }
  const seen = new Set<string>()
  const defs = entries.map(([key, builder]) => {
    const type = baseTypeOf(builder, `attribute ${key} of ${what}`)
    const attribute = (builder as ColumnBuilder).state.name ?? key
    checkExplicitName(`attribute name of ${what}`, attribute)
    if (seen.has(attribute)) {
      throw new SchemaModelError(
        'DUPLICATE_COLUMN',
        `${what} has two attributes named ${attribute}; rename one`,
      )
    }
    seen.add(attribute)
    return Object.freeze({ name: attribute, type })
  })
  const def: CompositeTypeDef = Object.freeze({ schema, name, attributes: Object.freeze(defs) })
  const object: TypeObject = {
    kind: 'composite',
    def,
    uses: entries.map(([, builder]) => builder.state),
  }
  return typeFunction(object, COMPOSITE_TYPE_DEF) as unknown as CompositeType<N>
}

/** True for a value made by `compositeType()`. */
export function isCompositeType(value: unknown): value is CompositeType {
  return typeof value === 'function' && COMPOSITE_TYPE_DEF in value
}
