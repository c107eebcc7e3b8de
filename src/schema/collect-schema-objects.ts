import { byQualifiedName } from './by-qualified-name.ts'
import { COMPOSITE_TYPE_DEF, type CompositeType } from './composite-type.ts'
import { DOMAIN_DEF, type Domain } from './domain.ts'
import { EXTENSION_DEF, type Extension } from './extension.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  CompositeTypeDef,
  DomainDef,
  EnumDef,
  ExtensionDef,
  SequenceDef,
  TableDef,
} from './schema-snapshot.ts'
import { type Sequence, sequencesOf, toSequenceDef } from './sequence.ts'
import { SqlFragment } from './sql.ts'
import { type AnyTable, TABLE } from './table.ts'
import { compare } from './to-column-def.ts'
import { collectUsedTypes, type UsedTypes } from './type-object.ts'

/** The sequences, domains, composite types and extensions a model lists. */
export interface ListedSchemaObjects {
  readonly sequences: readonly Sequence[]
  readonly domains: readonly Domain[]
  readonly compositeTypes: readonly CompositeType[]
  readonly extensions: readonly Extension[]
}

/** The model's objects besides tables, as snapshots hold them, each list sorted. */
export interface CollectedSchemaObjects {
  readonly sequences: readonly SequenceDef[]
  readonly domains: readonly DomainDef[]
  readonly compositeTypes: readonly CompositeTypeDef[]
  readonly extensions: readonly ExtensionDef[]
  /** Enums that domains and composite types use, for the model's enums. */
  readonly enums: readonly EnumDef[]
}

/**
 * Collects the objects a model lists and those its tables use: the sequences their defaults draw
 * from (`nextval(seq)`), the domains and composite types of their columns and what those are made
 * of in turn. One name declared twice with different definitions is refused.
 */
export function collectSchemaObjects(
  listed: ListedSchemaObjects,
  tables: readonly AnyTable[],
): CollectedSchemaObjects {
  const used: UsedTypes = { enums: [], domains: [], compositeTypes: [] }
  const sequences: Sequence[] = [...listed.sequences]
  const domains = listed.domains.map((d) => d[DOMAIN_DEF])
  const composites = listed.compositeTypes.map((c) => c[COMPOSITE_TYPE_DEF])
  for (const table of tables) {
    for (const column of table[TABLE].columns) {
      const state = column.builder.state
      collectUsedTypes(state, used)
      if (state.default?.kind === 'sql' && state.default.fragment instanceof SqlFragment) {
        sequences.push(...sequencesOf(state.default.fragment))
      }
    }
  }
  return {
    sequences: unique('sequence', sequences.map(toSequenceDef)),
    domains: unique('domain', [...domains, ...used.domains]),
    compositeTypes: unique('composite type', [...composites, ...used.compositeTypes]),
    // An extension's name is unique in the database, whatever its schema.
    extensions: [
      ...unique(
        'extension',
        listed.extensions.map((e) => e[EXTENSION_DEF]),
        (e) => e.name,
      ),
    ].sort((a, b) => compare(a.name, b.name)),
    enums: used.enums,
  }
}

/**
 * Names that PostgreSQL keeps in one namespace per schema: sequences and composite types are
 * relations like tables and indexes (pg_class), and domains, composite types, enums and every
 * table's row type are types (pg_type). A clash would fail when the schema is created.
 */
export function checkSchemaObjectNames(
  tables: readonly TableDef[],
  enums: readonly EnumDef[],
  objects: CollectedSchemaObjects,
): void {
  const relations = new Map<string, string>()
  const types = new Map<string, string>()
  const claim = (
    names: Map<string, string>,
    schema: string | undefined,
    name: string | undefined,
    what: string,
  ) => {
    if (name === undefined) return
    const key = quoteQualifiedName(schema, name)
    const previous = names.get(key)
    if (previous !== undefined && previous !== what) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `${what} and ${previous} are both named ${key}, and PostgreSQL keeps them in one namespace; name one of them differently`,
      )
    }
    names.set(key, what)
  }
  for (const t of tables) {
    claim(relations, t.schema, t.name, `table ${t.name}`)
    claim(types, t.schema, t.name, `table ${t.name}`)
    claim(relations, t.schema, t.primaryKey?.name, `primary key on table ${t.name}`)
    for (const u of t.uniques) claim(relations, t.schema, u.name, `unique constraint ${u.name}`)
    for (const i of t.indexes) claim(relations, t.schema, i.name, `index ${i.name}`)
  }
  for (const e of enums) claim(types, e.schema, e.name, `enum ${e.name}`)
  for (const s of objects.sequences) claim(relations, s.schema, s.name, `sequence ${s.name}`)
  for (const d of objects.domains) claim(types, d.schema, d.name, `domain ${d.name}`)
  for (const c of objects.compositeTypes) {
    claim(relations, c.schema, c.name, `composite type ${c.name}`)
    claim(types, c.schema, c.name, `composite type ${c.name}`)
  }
}

/**
 * One definition per name, sorted by schema and name; the same object (or an equal definition)
 * met twice counts once.
 */
function unique<T extends { readonly schema: string | undefined; readonly name: string }>(
  what: string,
  defs: readonly T[],
  keyOf: (def: T) => string = (def) => quoteQualifiedName(def.schema, def.name),
): readonly T[] {
  const byKey = new Map<string, T>()
  for (const def of defs) {
    const key = keyOf(def)
    const known = byKey.get(key)
    if (known === undefined) byKey.set(key, def)
    else if (known !== def && JSON.stringify(known) !== JSON.stringify(def)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `${what} ${key} is declared twice with different definitions; declare it once and reuse it`,
      )
    }
  }
  return [...byKey.values()].sort(byQualifiedName)
}
