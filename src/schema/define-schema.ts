import { type CodeObjects, codeObjectsSnapshot, listCodeObjects } from './code-objects.ts'
import {
  checkSchemaObjectNames,
  collectSchemaObjects,
  type ListedSchemaObjects,
} from './collect-schema-objects.ts'
import type { TableIdentity } from './column-builder.ts'
import { type CompositeType, isCompositeType } from './composite-type.ts'
import { type Domain, isDomain } from './domain.ts'
import { ENUM_DEF, type EnumType, isEnumType } from './enum-type.ts'
import { type Extension, isExtension } from './extension.ts'
import { partitionsByParent, withPartitions } from './model-partitions.ts'
import { type NamingConvention, resolveNamingConvention } from './naming-convention.ts'
import { isPartition, type Partition } from './partition.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { EnumDef, SchemaSnapshot, TableDef } from './schema-snapshot.ts'
import { isSequence, type Sequence } from './sequence.ts'
import { type AnyTable, isTable, qualifiedName, TABLE, type TableState } from './table.ts'
import {
  compare,
  plainEnum,
  type ReferenceResolver,
  type ResolvedReference,
} from './to-column-def.ts'
import { buildTableDef } from './to-table-def.ts'

/** Options of `defineSchema()`. */
export interface DefineSchemaOptions {
  /**
   * Templates for the names of constraints and indexes left unnamed; kinds not given keep
   * `DEFAULT_NAMING_CONVENTION`'s.
   */
  readonly namingConvention?: NamingConvention
}

/**
 * A schema model: the tables and enums an application declares, with the naming convention that
 * names their constraints. Autogenerate compares its {@link SchemaModel.snapshot} with the
 * database; `DatabaseOf<typeof model>` types a query builder.
 */
export class SchemaModel<TEntries extends object = Record<string, unknown>>
  implements ListedSchemaObjects
{
  /** What was passed to `defineSchema`, as given; row types read it. */
  readonly entries: TEntries
  /** The tables, once each, in the order given. */
  readonly tables: readonly AnyTable[]
  /** The enums listed explicitly (those columns use are collected by `snapshot()`). */
  readonly enums: readonly EnumType[]
  /** The naming convention, defaults filled in. */
  readonly namingConvention: Required<NamingConvention>
  /** The sequences listed explicitly (those defaults use are collected by `snapshot()`). */
  readonly sequences: readonly Sequence[]
  /** The domains listed explicitly (those columns use are collected by `snapshot()`). */
  readonly domains: readonly Domain[]
  /** The composite types listed explicitly (those columns use are collected by `snapshot()`). */
  readonly compositeTypes: readonly CompositeType[]
  /** The extensions the schema needs. */
  readonly extensions: readonly Extension[]
  /** The partitions of the model's partitioned tables. */
  readonly partitions: readonly Partition[]
  /** Views, functions, procedures, aggregates, triggers and event triggers listed. */
  readonly codeObjects: CodeObjects

  constructor(entries: TEntries, options: DefineSchemaOptions = {}) {
    this.entries = entries
    this.namingConvention = resolveNamingConvention(options.namingConvention)
    const tables = new Set<AnyTable>()
    const enums = new Set<EnumType>()
    const sequences = new Set<Sequence>()
    const domains = new Set<Domain>()
    const composites = new Set<CompositeType>()
    const extensions = new Set<Extension>()
    const partitions = new Set<Partition>()
    // Other values are skipped, so that a models module's namespace (`import * as models`) can be
    // passed as it is, helpers and constants included.
    for (const value of Object.values(entries)) {
      if (isTable(value)) tables.add(value)
      else if (isEnumType(value)) enums.add(value)
      else if (isSequence(value)) sequences.add(value)
      else if (isDomain(value)) domains.add(value)
      else if (isCompositeType(value)) composites.add(value)
      else if (isExtension(value)) extensions.add(value)
      else if (isPartition(value)) partitions.add(value)
    }
    this.tables = Object.freeze([...tables])
    this.enums = Object.freeze([...enums])
    this.sequences = Object.freeze([...sequences])
    this.domains = Object.freeze([...domains])
    this.compositeTypes = Object.freeze([...composites])
    this.extensions = Object.freeze([...extensions])
    this.partitions = Object.freeze([...partitions])
    this.codeObjects = listCodeObjects(Object.values(entries))
    const byName = new Map<string, AnyTable>()
    for (const table of this.tables) {
      const name = qualifiedName(table[TABLE].schema, table[TABLE].name)
      if (byName.has(name)) {
        throw new SchemaModelError(
          'DUPLICATE_TABLE',
          `the model holds two different tables named ${name}; rename one, or put it in another schema`,
          { table: name },
        )
      }
      byName.set(name, table)
    }
    Object.freeze(this)
  }

  /**
   * The model as a {@link SchemaSnapshot}: plain readonly data, every constraint and index named,
   * tables and enums sorted by schema and name, and every enum a column uses included. Throws a
   * `SchemaModelError` when the model is inconsistent (a reference to a table outside the model,
   * two indexes with one name, ...).
   */
  snapshot(): SchemaSnapshot {
    return toSnapshot(this)
  }
}

/**
 * Collects tables and enums into a schema model; enums that columns use are collected even when
 * not listed, and values that are neither tables nor enums are ignored. Conversion (and its
 * validation) happens in `snapshot()`.
 *
 * @example
 * export const model = defineSchema({ users, items, mood })
 * export const strict = defineSchema(await import('./models.ts'), {
 *   namingConvention: { ix: '%(table_name)s_%(column_0_N_name)s_idx' },
 * })
 */
export function defineSchema<const TEntries extends object>(
  entries: TEntries,
  options: DefineSchemaOptions = {},
): SchemaModel<TEntries> {
  if (typeof entries !== 'object' || entries === null) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      'defineSchema() needs an object of tables and enums, like defineSchema({ users, items })',
    )
  }
  return new SchemaModel(entries, options)
}

/**
 * Converts a schema model to a {@link SchemaSnapshot}; the same as `model.snapshot()`.
 *
 * @example
 * const snapshot = toSnapshot(defineSchema({ users, items }))
 */
export function toSnapshot(model: SchemaModel<object>): SchemaSnapshot {
  const convention = model.namingConvention
  const tablesByState = new Map<TableIdentity, AnyTable>()
  const tablesByName = new Map<string, TableState>()
  for (const table of model.tables) {
    tablesByState.set(table[TABLE], table)
    tablesByName.set(qualifiedName(table[TABLE].schema, table[TABLE].name), table[TABLE])
  }
  const resolver: ReferenceResolver = {
    column(target, source): ResolvedReference {
      if (!tablesByState.has(target.table)) {
        const name = qualifiedName(target.table.schema, target.table.name)
        throw new SchemaModelError(
          'UNRESOLVED_REFERENCE',
          `${source.description} references ${name}.${target.name}, but table ${name} is not in the model; add it to defineSchema({ ... })`,
          { table: source.table, column: source.column },
        )
      }
      return { schema: target.table.schema, table: target.table.name, column: target.name }
    },
    named(reference, source): ResolvedReference {
      const name = qualifiedName(reference.schema, reference.table)
      const table = tablesByName.get(name)
      if (table === undefined) {
        throw new SchemaModelError(
          'UNRESOLVED_REFERENCE',
          `${source.description} references table ${name}, which is not in the model; add it to defineSchema({ ... }) or correct the name`,
          { table: source.table, column: source.column },
        )
      }
      if (!table.columns.some((column) => column.name === reference.column)) {
        throw new SchemaModelError(
          'UNRESOLVED_REFERENCE',
          `${source.description} references ${name}.${reference.column}, but table ${name} has no such column; use the column's database name`,
          { table: source.table, column: source.column },
        )
      }
      return reference
    },
  }

  const partitions = partitionsByParent(model.tables, model.partitions)
  const tables = [...model.tables]
    .sort((a, b) => compareQualified(a[TABLE], b[TABLE]))
    .map((table) =>
      withPartitions(buildTableDef(table, convention, resolver), partitions.get(table) ?? []),
    )
  const objects = collectSchemaObjects(model, model.tables)
  const enums = collectEnums(model, objects.enums)
  checkSchemaNames(tables, enums)
  checkSchemaObjectNames(tables, enums, objects)
  const { sequences, domains, compositeTypes, extensions } = objects
  const code = codeObjectsSnapshot(model.codeObjects, model.tables, tables, convention)
  return { tables, enums, sequences, domains, compositeTypes, extensions, ...code }
}

function collectEnums(model: SchemaModel<object>, typeEnums: readonly EnumDef[]): EnumDef[] {
  const byName = new Map<string, EnumDef>()
  const add = (def: EnumDef, where: string): void => {
    const name = qualifiedName(def.schema, def.name)
    const known = byName.get(name)
    if (known === undefined) {
      byName.set(name, plainEnum(def))
    } else if (known.values.join('\u0000') !== def.values.join('\u0000')) {
      throw new SchemaModelError(
        'DUPLICATE_ENUM',
        `enum ${name} is declared twice with different values (${known.values.join(', ')} / ${def.values.join(', ')})${where}; declare it once and reuse it`,
      )
    }
  }
  for (const type of model.enums) add(type[ENUM_DEF], '')
  for (const def of typeEnums) add(def, ' (used by a domain or composite type)')
  for (const table of [...model.tables].sort((a, b) => compareQualified(a[TABLE], b[TABLE]))) {
    for (const column of table[TABLE].columns) {
      const def = column.builder.state.enum
      if (def !== undefined) {
        add(
          def,
          ` (used by ${qualifiedName(table[TABLE].schema, table[TABLE].name)}.${column.name})`,
        )
      }
    }
  }
  return [...byName.values()].sort(compareQualified)
}

/**
 * Tables, indexes and the indexes behind primary keys and unique constraints share one namespace
 * per schema (pg_class), and a table's row type shares pg_type with enums: a clash in either
 * would fail when the schema is created.
 */
function checkSchemaNames(tables: readonly TableDef[], enums: readonly EnumDef[]): void {
  const relations = new Map<string, string>()
  const claim = (schema: string | undefined, name: string, what: string): void => {
    const key = qualifiedName(schema, name)
    const previous = relations.get(key)
    if (previous !== undefined) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `${what} and ${previous} are both named ${key}, and PostgreSQL keeps them in one namespace; name one of them differently`,
        { table: key },
      )
    }
    relations.set(key, what)
  }
  for (const table of tables) claim(table.schema, table.name, `table ${table.name}`)
  for (const table of tables) {
    const on = ` on table ${table.name}`
    // Names are always filled in by the convention; the snapshot type allows none for databases.
    const pk = table.primaryKey?.name
    if (pk !== undefined) claim(table.schema, pk, `primary key${on}`)
    for (const uq of table.uniques) {
      if (uq.name !== undefined) claim(table.schema, uq.name, `unique constraint${on}`)
    }
    for (const ix of table.indexes) claim(table.schema, ix.name, `index${on}`)
  }
  const tableTypes = new Set(tables.map((table) => qualifiedName(table.schema, table.name)))
  for (const def of enums) {
    const key = qualifiedName(def.schema, def.name)
    if (tableTypes.has(key)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `enum ${key} has the name of a table, whose row type PostgreSQL names the same; rename the enum`,
      )
    }
  }
}

function compareQualified(
  a: { readonly schema: string | undefined; readonly name: string },
  b: { readonly schema: string | undefined; readonly name: string },
): number {
  return compare(a.schema ?? '', b.schema ?? '') || compare(a.name, b.name)
}
