import type { ColumnType, SchemaSnapshot } from '../schema/schema-snapshot.ts'

/**
 * The snapshot with the default schema spelled `undefined` everywhere (tables, enums, foreign key
 * targets, enum column types), as the models and the introspector both spell it, so that a
 * snapshot written with `'public'` compares equal. Returns the same object when nothing changes.
 */
export function foldDefaultSchema(snapshot: SchemaSnapshot, defaultSchema: string): SchemaSnapshot {
  const fold = (schema: string | undefined) => (schema === defaultSchema ? undefined : schema)
  const mentions =
    snapshot.enums.some((e) => e.schema === defaultSchema) ||
    snapshot.tables.some(
      (t) =>
        t.schema === defaultSchema ||
        t.foreignKeys.some((fk) => fk.referencedSchema === defaultSchema) ||
        t.columns.some((c) => typeMentions(c.type, defaultSchema)),
    )
  if (!mentions) return snapshot
  const foldType = (type: ColumnType): ColumnType => {
    if (type.kind === 'enum') return { ...type, schema: fold(type.schema) }
    if (type.kind === 'array') return { kind: 'array', element: foldType(type.element) }
    return type
  }
  return {
    enums: snapshot.enums.map((e) => ({ ...e, schema: fold(e.schema) })),
    tables: snapshot.tables.map((t) => ({
      ...t,
      schema: fold(t.schema),
      columns: t.columns.map((c) => ({ ...c, type: foldType(c.type) })),
      foreignKeys: t.foreignKeys.map((fk) => ({
        ...fk,
        referencedSchema: fold(fk.referencedSchema),
      })),
    })),
  }
}

function typeMentions(type: ColumnType, schema: string): boolean {
  if (type.kind === 'enum') return type.schema === schema
  if (type.kind === 'array') return typeMentions(type.element, schema)
  return false
}
