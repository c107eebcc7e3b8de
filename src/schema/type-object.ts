import {
  ColumnBuilder,
  type ColumnState,
  describeType,
  newColumnState,
  type TypeObject,
} from './column-builder.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { ColumnType, CompositeTypeDef, DomainDef, EnumDef } from './schema-snapshot.ts'
import { SQL_PART, type SqlPart } from './sql.ts'

/**
 * The column type function of a domain or composite type: `email()` or `email('contact')` makes
 * a column of the type (a `custom` type spelled by its qualified name) that carries the type for
 * models to collect. The function also holds `name`, `schema`, the definition under `key`, and
 * renders as the type's qualified name in an `sql` fragment.
 */
export function typeFunction(
  object: TypeObject,
  key: symbol,
): (columnName?: string) => ColumnBuilder {
  const { schema, name } = object.def
  const sql = quoteQualifiedName(schema, name)
  const make = (columnName?: string): ColumnBuilder =>
    new ColumnBuilder(newColumnState(columnName, { kind: 'custom', sql }, { typeObject: object }))
  // Function objects have a read-only `name`; it is configurable, so it is redefined.
  Object.defineProperties(make, {
    name: { value: name, enumerable: true },
    schema: { value: schema, enumerable: true },
    [key]: { value: object.def },
    [SQL_PART]: { value: (): SqlPart => ({ sql, columns: [] }) },
  })
  return make
}

/**
 * The type of a fresh column builder used as the base of a domain or the type of a composite
 * attribute (`text()`, `varchar(10)`, `mood()`, `email()`, `.array()` of any of them). Modifiers
 * that belong to a column (NOT NULL, defaults, keys, identity) are refused: the type alone counts.
 * `what` names the declaration in the message.
 */
export function baseTypeOf(builder: unknown, what: string): ColumnType {
  if (!(builder instanceof ColumnBuilder)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} needs a column type, such as text() or varchar(255)`,
    )
  }
  const s = builder.state
  const modified =
    s.notNull ||
    s.primaryKey ||
    s.default !== undefined ||
    s.identity !== undefined ||
    s.serial ||
    s.unique !== undefined ||
    s.index !== undefined ||
    s.references.length > 0 ||
    s.checks.length > 0 ||
    s.comment !== undefined
  if (modified) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} takes a bare type (${describeType(s.type)}), without column modifiers such as .notNull(), .default() or serial`,
    )
  }
  return s.type
}

/** What a column state's type uses, as models collect it: enums, domains and composite types. */
export interface UsedTypes {
  readonly enums: EnumDef[]
  readonly domains: DomainDef[]
  readonly compositeTypes: CompositeTypeDef[]
}

/**
 * Adds the enum, domain or composite type a column state is declared with to `used`, and what
 * their own definitions use, depth first (a domain's base before the domain), each once.
 */
export function collectUsedTypes(state: ColumnState, used: UsedTypes): void {
  if (state.enum !== undefined && !used.enums.includes(state.enum)) used.enums.push(state.enum)
  const object = state.typeObject
  if (object === undefined) return
  const list: (DomainDef | CompositeTypeDef)[] =
    object.kind === 'domain' ? used.domains : used.compositeTypes
  if (list.includes(object.def)) return
  for (const inner of object.uses) collectUsedTypes(inner, used)
  list.push(object.def)
}
