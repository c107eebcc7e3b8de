import type { ColumnType, SchemaSnapshot } from '../schema/schema-snapshot.ts'
import { foldCodeObjects } from './fold-code-objects.ts'

/**
 * The snapshot with the default schema spelled `undefined` everywhere (tables, enums, foreign key
 * targets, enum column types), as the models and the introspector both spell it, so that a
 * snapshot written with `'public'` compares equal. Returns the same object when nothing changes.
 */
export function foldDefaultSchema(input: SchemaSnapshot, defaultSchema: string): SchemaSnapshot {
  const snapshot = foldCodeObjects(input, defaultSchema)
  const fold = (schema: string | undefined) => (schema === defaultSchema ? undefined : schema)
  const others = [
    ...snapshot.sequences,
    ...snapshot.domains,
    ...snapshot.compositeTypes,
    ...snapshot.extensions,
  ]
  const mentions =
    snapshot.enums.some((e) => e.schema === defaultSchema) ||
    others.some((o) => o.schema === defaultSchema) ||
    snapshot.tables.some(
      (t) =>
        t.schema === defaultSchema ||
        t.foreignKeys.some((fk) => fk.referencedSchema === defaultSchema) ||
        (t.partitions ?? []).some((p) => p.schema === defaultSchema) ||
        t.columns.some((c) => typeMentions(c.type, defaultSchema)),
    )
  if (!mentions) return snapshot
  const foldType = (type: ColumnType): ColumnType => {
    if (type.kind === 'enum') return { ...type, schema: fold(type.schema) }
    if (type.kind === 'array') return { kind: 'array', element: foldType(type.element) }
    return type
  }
  return {
    ...snapshot,
    sequences: snapshot.sequences.map((o) => ({ ...o, schema: fold(o.schema) })),
    domains: snapshot.domains.map((o) => ({ ...o, schema: fold(o.schema) })),
    compositeTypes: snapshot.compositeTypes.map((o) => ({ ...o, schema: fold(o.schema) })),
    extensions: snapshot.extensions.map((o) => ({ ...o, schema: fold(o.schema) })),
    enums: snapshot.enums.map((e) => ({ ...e, schema: fold(e.schema) })),
    tables: snapshot.tables.map((t) => ({
      ...t,
      schema: fold(t.schema),
      columns: t.columns.map((c) => ({ ...c, type: foldType(c.type) })),
      foreignKeys: t.foreignKeys.map((fk) => ({
        ...fk,
        referencedSchema: fold(fk.referencedSchema),
      })),
      ...(t.partitions === undefined
        ? {}
        : { partitions: t.partitions.map((p) => ({ ...p, schema: fold(p.schema) })) }),
    })),
  }
}

function typeMentions(type: ColumnType, schema: string): boolean {
  if (type.kind === 'enum') return type.schema === schema
  if (type.kind === 'array') return typeMentions(type.element, schema)
  return false
}
