import type {
  CheckDef,
  ColumnDef,
  IndexDef,
  SchemaSnapshot,
  TableDef,
} from '../../schema/schema-snapshot.ts'

/**
 * Rewrites of PostgreSQL's printed expressions that parse back to the same stored form. The
 * printed form is not always a fixed point of parse-and-print — the classic case is an `IN` list on
 * a varchar column, stored as `(c)::text = ANY ((ARRAY['a'::character varying])::text[])`, which
 * once parsed again stores the casts inside the array instead. Each candidate here is only a
 * guess; the caller keeps it only when PostgreSQL confirms it prints back as the original.
 */
export function sourceTextCandidates(text: string): readonly string[] {
  const candidates = new Set<string>()
  // Printed with or without parentheses around the column and the array (pretty or not).
  const inList = text.replace(
    /(\()?([A-Za-z_][\w$]*|"(?:[^"]|"")+")\)?::(?:text|character varying) (=|<>) (ANY|ALL) \(\(?ARRAY\[((?:'(?:[^']|'')*'::(?:character varying|text)(?:, )?)+)\]\)?::(?:text|character varying)\[\]\)/g,
    (
      match,
      open: string | undefined,
      column: string,
      operator: string,
      quantifier: string,
      items: string,
    ) => {
      // `= ANY` is IN, `<> ALL` is NOT IN; other combinations are left as they are.
      if ((operator === '=') !== (quantifier === 'ANY')) return match
      const values = items
        .split(/::(?:character varying|text)(?:, )?/)
        .filter((v) => v !== '')
        .join(', ')
      // A parenthesis opened around the column but not closed there belongs to the context.
      const keepOpen = open !== undefined && !match.startsWith(`(${column})`)
      return `${keepOpen ? '(' : ''}${column} ${operator === '=' ? 'IN' : 'NOT IN'} (${values})`
    },
  )
  if (inList !== text) candidates.add(inList)
  return [...candidates]
}

/** Where an expression sits in a snapshot, so that a rewritten copy can be built. */
type Slot =
  | { readonly kind: 'default'; readonly table: number; readonly column: number }
  | { readonly kind: 'check'; readonly table: number; readonly check: number }
  | {
      readonly kind: 'element'
      readonly table: number
      readonly index: number
      readonly element: number
    }
  | { readonly kind: 'where'; readonly table: number; readonly index: number }

/** Every SQL expression of a snapshot with its slot. */
export function expressionSlots(snapshot: SchemaSnapshot): readonly { slot: Slot; text: string }[] {
  const slots: { slot: Slot; text: string }[] = []
  snapshot.tables.forEach((t, table) => {
    t.columns.forEach((c, column) => {
      if (c.default?.kind === 'sql')
        slots.push({ slot: { kind: 'default', table, column }, text: c.default.sql })
    })
    t.checks.forEach((c, check) => {
      slots.push({ slot: { kind: 'check', table, check }, text: c.expression })
    })
    t.indexes.forEach((ix, index) => {
      ix.elements.forEach((e, element) => {
        if (e.expression !== undefined) {
          slots.push({ slot: { kind: 'element', table, index, element }, text: e.expression })
        }
      })
      if (ix.where !== undefined)
        slots.push({ slot: { kind: 'where', table, index }, text: ix.where })
    })
  })
  return slots
}

/** The text at a slot (undefined when the slot holds none). */
export function textAt(snapshot: SchemaSnapshot, slot: Slot): string | undefined {
  const t = snapshot.tables[slot.table]
  if (t === undefined) return undefined
  switch (slot.kind) {
    case 'default': {
      const d = t.columns[slot.column]?.default
      return d?.kind === 'sql' ? d.sql : undefined
    }
    case 'check':
      return t.checks[slot.check]?.expression
    case 'element':
      return t.indexes[slot.index]?.elements[slot.element]?.expression
    case 'where':
      return t.indexes[slot.index]?.where
  }
}

/** A copy of the snapshot with new texts at the given slots. */
export function withTexts(
  snapshot: SchemaSnapshot,
  replacements: readonly { slot: Slot; text: string }[],
): SchemaSnapshot {
  const tables: TableDef[] = [...snapshot.tables]
  for (const { slot, text } of replacements) {
    const t = tables[slot.table]!
    switch (slot.kind) {
      case 'default': {
        const columns: ColumnDef[] = [...t.columns]
        columns[slot.column] = { ...columns[slot.column]!, default: { kind: 'sql', sql: text } }
        tables[slot.table] = { ...t, columns }
        break
      }
      case 'check': {
        const checks: CheckDef[] = [...t.checks]
        checks[slot.check] = { ...checks[slot.check]!, expression: text }
        tables[slot.table] = { ...t, checks }
        break
      }
      case 'element': {
        const indexes: IndexDef[] = [...t.indexes]
        const ix = indexes[slot.index]!
        const elements = [...ix.elements]
        elements[slot.element] = { ...elements[slot.element]!, expression: text }
        indexes[slot.index] = { ...ix, elements }
        tables[slot.table] = { ...t, indexes }
        break
      }
      case 'where': {
        const indexes: IndexDef[] = [...t.indexes]
        indexes[slot.index] = { ...indexes[slot.index]!, where: text }
        tables[slot.table] = { ...t, indexes }
        break
      }
    }
  }
  return { ...snapshot, tables }
}
