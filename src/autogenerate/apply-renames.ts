import type { Comparator } from '../dialect/comparator.ts'
import { nameKey, quoteQualifiedName } from '../schema/quote-identifier.ts'
import type {
  ColumnType,
  ForeignKeyDef,
  SchemaSnapshot,
  TableDef,
} from '../schema/schema-snapshot.ts'
import { tableId } from './object-keys.ts'
import type { RenamePlan } from './resolve-renames.ts'

/**
 * The database snapshot as it will be once the renames ran: tables and columns carry their new
 * names everywhere — in keys, indexes, checks, predicates, and in other tables' foreign keys —
 * because the database tracks those references by identity, not by name, and prints expressions
 * and queries with the new names (`comparator` rewrites the text the way the engine prints it).
 * Constraint and index names stay as they were: renaming a table or column does not rename them.
 */
export function applyRenames(
  database: SchemaSnapshot,
  plan: RenamePlan,
  comparator: Comparator,
): SchemaSnapshot {
  return renameViews(
    renameTypes(
      renameSequences(
        renamePartitions(renameTablesAndColumns(database, plan, comparator), plan),
        plan,
        comparator,
      ),
      plan,
    ),
    plan,
    comparator,
  )
}

/**
 * Views under their new names, with the triggers on them, and the queries of the views that read
 * them: PostgreSQL prints those with the new name once the view is renamed. (The models' text of
 * such a view names a view the database does not have yet, so PostgreSQL cannot spell it, and it
 * is created again after the rename: its old query, rewritten here, still runs at that point of
 * the downgrade.)
 */
function renameViews(
  database: SchemaSnapshot,
  plan: RenamePlan,
  comparator: Comparator,
): SchemaSnapshot {
  if (plan.views.length === 0) return database
  const newName = new Map(plan.views.map((r) => [tableId(r.schema, r.from), r.to]))
  const renamed = (schema: string | undefined, name: string) =>
    newName.get(tableId(schema, name)) ?? name
  const query = (definition: string) =>
    plan.views.reduce(
      (text, r) => comparator.renameRelationInQuery(text, r.schema, r.from, r.to),
      definition,
    )
  return {
    ...database,
    views: database.views.map((v) => ({
      ...v,
      name: renamed(v.schema, v.name),
      definition: query(v.definition),
    })),
    triggers: database.triggers.map((t) => ({ ...t, table: renamed(t.schema, t.table) })),
  }
}

function renameTablesAndColumns(
  database: SchemaSnapshot,
  plan: RenamePlan,
  comparator: Comparator,
): SchemaSnapshot {
  if (plan.tables.length === 0 && plan.columns.length === 0) return database
  const newTableName = new Map(plan.tables.map((r) => [tableId(r.schema, r.from), r.to]))
  const columnRenames = new Map<string, Map<string, string>>()
  for (const r of plan.columns) {
    const id = tableId(r.schema, r.table)
    const renames = columnRenames.get(id) ?? new Map<string, string>()
    renames.set(r.from, r.to)
    columnRenames.set(id, renames)
  }
  const renameReference = (fk: ForeignKeyDef): ForeignKeyDef => {
    const oldId = tableId(fk.referencedSchema, fk.referencedTable)
    const referencedTable = newTableName.get(oldId) ?? fk.referencedTable
    const renames = columnRenames.get(tableId(fk.referencedSchema, referencedTable))
    return {
      ...fk,
      referencedTable,
      referencedColumns:
        renames === undefined ? fk.referencedColumns : fk.referencedColumns.map(rename(renames)),
    }
  }
  return {
    ...database,
    enums: database.enums,
    tables: database.tables.map((table) => {
      const name = newTableName.get(tableId(table.schema, table.name)) ?? table.name
      const renamed = renameColumns(
        { ...table, name },
        columnRenames.get(tableId(table.schema, name)),
        comparator,
      )
      return { ...renamed, foreignKeys: renamed.foreignKeys.map(renameReference) }
    }),
  }
}

/** Partitions under their new names, in their partitioned tables (named as after the renames). */
function renamePartitions(database: SchemaSnapshot, plan: RenamePlan): SchemaSnapshot {
  if (plan.partitions.length === 0) return database
  return {
    ...database,
    tables: database.tables.map((table) => {
      const renames = plan.partitions.filter(
        (r) => r.parentSchema === table.schema && r.parent === table.name,
      )
      if (renames.length === 0 || table.partitions === undefined) return table
      return {
        ...table,
        partitions: table.partitions.map((p) => {
          const rename = renames.find((r) => r.schema === p.schema && r.from === p.name)
          return rename === undefined ? p : { ...p, name: rename.to }
        }),
      }
    }),
  }
}

/**
 * Sequences under their new names, and the defaults that draw from them: the database stores such
 * a default by the sequence's identity and prints its current name (PostgreSQL's `nextval`).
 */
function renameSequences(
  database: SchemaSnapshot,
  plan: RenamePlan,
  comparator: Comparator,
): SchemaSnapshot {
  if (plan.sequences.length === 0) return database
  const newName = new Map(plan.sequences.map((r) => [tableId(r.schema, r.from), r.to]))
  const renameDefault = (text: string) =>
    plan.sequences.reduce(
      (out, r) => comparator.renameSequenceInDefault(out, r.schema, r.from, r.to),
      text,
    )
  return {
    ...database,
    sequences: database.sequences.map((s) => ({
      ...s,
      name: newName.get(tableId(s.schema, s.name)) ?? s.name,
    })),
    tables: database.tables.map((table) => ({
      ...table,
      columns: table.columns.map((c) =>
        c.default?.kind === 'sql'
          ? { ...c, default: { kind: 'sql', sql: renameDefault(c.default.sql) } }
          : c,
      ),
    })),
  }
}

/**
 * Enums, domains and composite types under their new names, and every column, attribute and
 * domain of theirs: PostgreSQL refers to a type by identity, so all of them follow a rename.
 */
function renameTypes(database: SchemaSnapshot, plan: RenamePlan): SchemaSnapshot {
  if (plan.types.length === 0) return database
  const newName = new Map(plan.types.map((r) => [tableId(r.schema, r.from), r.to]))
  // Domains and composite types are named in columns as custom types, spelled as quoted names.
  const newSql = new Map(
    plan.types.map((r) => [
      nameKey(quoteQualifiedName(r.schema, r.from)),
      quoteQualifiedName(r.schema, r.to),
    ]),
  )
  const type = (t: ColumnType): ColumnType => {
    switch (t.kind) {
      case 'array':
        return { ...t, element: type(t.element) }
      case 'enum':
        return { ...t, name: newName.get(tableId(t.schema, t.name)) ?? t.name }
      case 'custom':
        return { ...t, sql: newSql.get(nameKey(t.sql)) ?? t.sql }
      default:
        return t
    }
  }
  const named = <T extends { readonly schema: string | undefined; readonly name: string }>(
    object: T,
  ): T => ({ ...object, name: newName.get(tableId(object.schema, object.name)) ?? object.name })
  return {
    ...database,
    enums: database.enums.map(named),
    domains: database.domains.map((d) => ({ ...named(d), type: type(d.type) })),
    compositeTypes: database.compositeTypes.map((c) => ({
      ...named(c),
      attributes: c.attributes.map((a) => ({ ...a, type: type(a.type) })),
    })),
    tables: database.tables.map((table) => ({
      ...table,
      columns: table.columns.map((c) => ({ ...c, type: type(c.type) })),
    })),
  }
}

/** The table with its columns renamed wherever the table itself mentions them. */
function renameColumns(
  table: TableDef,
  renames: ReadonlyMap<string, string> | undefined,
  comparator: Comparator,
): TableDef {
  if (renames === undefined) return table
  const r = rename(renames)
  const sql = (text: string) => comparator.renameSqlIdentifiers(text, renames)
  return {
    ...table,
    columns: table.columns.map((c) => ({ ...c, name: r(c.name) })),
    primaryKey:
      table.primaryKey === undefined
        ? undefined
        : { ...table.primaryKey, columns: table.primaryKey.columns.map(r) },
    foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: fk.columns.map(r) })),
    uniques: table.uniques.map((u) => ({ ...u, columns: u.columns.map(r) })),
    checks: table.checks.map((c) => ({ ...c, expression: sql(c.expression) })),
    indexes: table.indexes.map((index) => ({
      ...index,
      elements: index.elements.map((e) => ({
        ...e,
        column: e.column === undefined ? undefined : r(e.column),
        expression: e.expression === undefined ? undefined : sql(e.expression),
      })),
      where: index.where === undefined ? undefined : sql(index.where),
      include: index.include.map(r),
    })),
  }
}

function rename(renames: ReadonlyMap<string, string>): (name: string) => string {
  return (name) => renames.get(name) ?? name
}
