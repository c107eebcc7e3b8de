import {
  conventionName,
  type NamingConvention,
  type NamingSubject,
} from '../schema/naming-convention.ts'
import type {
  ColumnDef,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
  TableDef,
  UniqueDef,
} from '../schema/schema-snapshot.ts'
import { renderColumn, renderSql } from './render-column.ts'
import type { RenderContext } from './render-context.ts'
import { array, arrow, call, chain, type Doc, method, object } from './render-layout.ts'
import { camelCase } from './render-names.ts'
import { renderTableExtras } from './render-partition.ts'
import { memberAccess, propertyKey, renderLiteral, renderString } from './render-value.ts'

/**
 * Table declarations (`table('users', { ... }, (t) => [...])`) whose conversion by `toTableDef`
 * gives back a {@link TableDef}: columns with their modifiers, and constraints and indexes as
 * column modifiers where the DSL has one, as table extras otherwise.
 */

/** How a foreign key's referenced columns are written. */
export type ReferenceStyle =
  /** By name: `.references('users', 'id')`, `foreignTable: 'auth.users'`. */
  | { readonly kind: 'named' }
  /**
   * As table columns of the module (`() => users.id`); `annotate` spells out the callback's
   * return type, which TypeScript needs when the tables reference each other.
   */
  | { readonly kind: 'columns'; readonly columns: readonly string[]; readonly annotate: boolean }

/** Choices that differ between a migration and a models module. */
export interface TablePolicy {
  /** The function that declares the table: `table`, or a schema's `auth.table`. */
  callee(table: TableDef, ctx: RenderContext): string
  /** Whether the table's schema goes into the options (`{ schema: 'auth' }`). */
  readonly schemaOption: boolean
  /** The naming convention the table will be converted with. */
  readonly convention: Required<NamingConvention>
  /**
   * Whether a name of this kind, declared on a column (`.primaryKey()`, `.unique()`) or in the
   * extras, may be left out when the convention gives it anyway; other names are written out.
   */
  omitName(kind: NamingSubject['kind'], where: 'column' | 'extras'): boolean
  /** How a foreign key names what it references. */
  reference(fk: ForeignKeyDef): ReferenceStyle
}

/**
 * The property keys of a table's columns: camelCase of the name (`hashed_password` →
 * `hashedPassword`), the name itself when camelCase would clash or leave nothing.
 */
export function columnKeys(columns: readonly ColumnDef[]): ReadonlyMap<string, string> {
  const keys = new Map<string, string>()
  const taken = new Set<string>()
  // Names that are their own camelCase keep it first, so another column cannot take it.
  for (const column of columns) {
    if (camelCase(column.name) === column.name) {
      keys.set(column.name, column.name)
      taken.add(column.name)
    }
  }
  for (const column of columns) {
    if (keys.has(column.name)) continue
    const camel = camelCase(column.name)
    const key =
      camel !== '' && !/^\p{N}/u.test(camel) && !taken.has(camel) && !keys.has(camel)
        ? camel
        : column.name
    let unique = key
    for (let n = 2; taken.has(unique); n++) unique = `${key}${n}`
    keys.set(column.name, unique)
    taken.add(unique)
  }
  return keys
}

/** The name of a reference target: `users`, `auth.users`, `public.odd.name` for a dotted name. */
export function referenceTarget(
  schema: string | undefined,
  table: string,
  ctx: RenderContext,
): string {
  if (schema?.includes('.')) {
    ctx.note(
      `schema ${schema} contains a dot, which references by name cannot spell ('schema.table' splits at the first dot)`,
    )
  }
  // The DSL splits at the first dot, and reads `public` as the default schema.
  if (schema === undefined) return table.includes('.') ? `public.${table}` : table
  return `${schema}.${table}`
}

/**
 * A table declaration. Constraint names are written unless the policy's convention gives them
 * anyway; each column carries at most one of `.unique()`, `.index()` (a unique index being
 * `.unique().index()`), since a builder with both makes one unique index.
 */
export function renderTable(table: TableDef, ctx: RenderContext, policy: TablePolicy): Doc {
  const keys = columnKeys(table.columns)
  const names = new Set(table.columns.map((column) => column.name))
  // Columns of this table are named through the extras' parameter (`t.email`), others by name.
  let usesT = false
  const colRef = (name: string): string => {
    const key = keys.get(name)
    if (key === undefined) return renderString(name)
    usesT = true
    return memberAccess('t', key)
  }
  const implicit = (
    subject: NamingSubject & { readonly name: string | undefined },
    where: 'column' | 'extras',
  ): boolean => {
    if (subject.name === undefined) return true
    if (!policy.omitName(subject.kind, where)) return false
    try {
      return conventionName(policy.convention, { ...subject, name: undefined }) === subject.name
    } catch {
      return false
    }
  }
  const base = { table: table.name }

  const columnLinks = new Map<string, Doc[]>()
  const addLink = (column: string, link: Doc): void => {
    const links = columnLinks.get(column) ?? []
    links.push(link)
    columnLinks.set(column, links)
  }
  const slotTaken = new Set<string>()
  const extras: Doc[] = []

  // Primary key: `.primaryKey()` on the column when its name needs no spelling out.
  const pk = table.primaryKey
  let pkColumn: string | undefined
  if (pk !== undefined) {
    const only = pk.columns.length === 1 ? pk.columns[0] : undefined
    const subject = { kind: 'pk', ...base, columns: pk.columns, name: pk.name } as const
    if (only !== undefined && names.has(only) && implicit(subject, 'column')) {
      pkColumn = only
    } else {
      const entries: [string, Doc][] = []
      if (!implicit(subject, 'extras') && pk.name !== undefined) {
        entries.push(['name', renderString(pk.name)])
      }
      entries.push(['columns', array(pk.columns.map(colRef))])
      extras.push(call(ctx.use('primaryKey'), [object(entries)]))
    }
  }

  // Indexes first: a unique index on one column is `.unique().index()`.
  const tableIndexes: IndexDef[] = []
  for (const index of table.indexes) {
    const only = simpleColumn(index)
    const subject = { kind: 'ix', ...base, columns: indexColumns(index), name: index.name } as const
    const name = implicit(subject, 'column') ? undefined : index.name
    if (only !== undefined && names.has(only) && !slotTaken.has(only)) {
      slotTaken.add(only)
      const indexLink = method('index', name === undefined ? [] : [renderString(name)])
      if (index.unique) addLink(only, method('unique'))
      addLink(only, indexLink)
    } else {
      tableIndexes.push(index)
    }
  }

  const tableUniques: UniqueDef[] = []
  for (const unique of table.uniques) {
    const only = unique.columns.length === 1 ? unique.columns[0] : undefined
    if (only !== undefined && names.has(only) && !slotTaken.has(only)) {
      slotTaken.add(only)
      const subject = { kind: 'uq', ...base, columns: unique.columns, name: unique.name } as const
      const name = implicit(subject, 'column') ? undefined : unique.name
      const args: Doc[] = unique.nullsNotDistinct
        ? [
            object([
              ...(name === undefined ? [] : [['name', renderString(name)] as const]),
              ['nullsNotDistinct', 'true'],
            ]),
          ]
        : name === undefined
          ? []
          : [renderString(name)]
      addLink(only, method('unique', args))
    } else {
      tableUniques.push(unique)
    }
  }
  for (const unique of tableUniques) {
    const subject = { kind: 'uq', ...base, columns: unique.columns, name: unique.name } as const
    const name = implicit(subject, 'extras') ? undefined : unique.name
    const links = [method('on', unique.columns.map(colRef))]
    if (unique.nullsNotDistinct) links.push(method('nullsNotDistinct'))
    extras.push(
      chain(call(ctx.use('unique'), name === undefined ? [] : [renderString(name)]), links),
    )
  }

  for (const fk of table.foreignKeys) {
    const subject = {
      kind: 'fk',
      ...base,
      columns: fk.columns,
      referredTable: fk.referencedTable,
      referredColumns: fk.referencedColumns,
      name: fk.name,
    } as const
    const style = policy.reference(fk)
    const only = fk.columns.length === 1 ? fk.columns[0] : undefined
    if (only !== undefined && names.has(only)) {
      const options = foreignKeyOptions(fk, implicit(subject, 'column') ? undefined : fk.name, ctx)
      const args: Doc[] =
        style.kind === 'named'
          ? [
              renderString(referenceTarget(fk.referencedSchema, fk.referencedTable, ctx)),
              renderString(fk.referencedColumns[0] ?? ''),
            ]
          : [
              style.annotate
                ? `(): ${ctx.use('ColumnTarget')} => ${style.columns[0]}`
                : `() => ${style.columns[0]}`,
            ]
      if (options.length > 0) args.push(object(options))
      addLink(only, method('references', args))
    } else {
      const name = implicit(subject, 'extras') ? undefined : fk.name
      const entries: [string, Doc][] = []
      if (name !== undefined) entries.push(['name', renderString(name)])
      entries.push(['columns', array(fk.columns.map(colRef))])
      if (style.kind === 'named') {
        entries.push([
          'foreignTable',
          renderString(referenceTarget(fk.referencedSchema, fk.referencedTable, ctx)),
        ])
        entries.push(['foreignColumns', array(fk.referencedColumns.map(renderString))])
      } else {
        entries.push(['foreignColumns', array(style.columns)])
        if (style.columns.some((column) => column.startsWith('t.') || column.startsWith('t['))) {
          usesT = true
        }
      }
      entries.push(...foreignKeyOptions(fk, undefined, ctx))
      extras.push(call(ctx.use('foreignKey'), [object(entries)]))
    }
  }

  for (const check of table.checks) {
    if (check.name === undefined) {
      ctx.note(`a check constraint on ${table.name} has no name, which check() requires`)
    }
    extras.push(
      call(ctx.use('check'), [renderString(check.name ?? ''), renderSql(check.expression, ctx)]),
    )
  }

  for (const index of tableIndexes) {
    const subject = { kind: 'ix', ...base, columns: indexColumns(index), name: index.name } as const
    const name = implicit(subject, 'extras') ? undefined : index.name
    const head = call(
      ctx.use(index.unique ? 'uniqueIndex' : 'index'),
      name === undefined ? [] : [renderString(name)],
    )
    const links = [
      method(
        'on',
        index.elements.map((element) => renderIndexElement(element, colRef, ctx, 'indexElement')),
      ),
    ]
    if (index.where !== undefined) links.push(method('where', [renderSql(index.where, ctx)]))
    if (index.method !== undefined) links.push(method('using', [renderString(index.method)]))
    if (index.include.length > 0) links.push(method('include', index.include.map(colRef)))
    extras.push(chain(head, links))
  }

  extras.push(
    ...renderTableExtras(table, colRef, ctx, (element) =>
      renderIndexElement(element, colRef, ctx, 'indexElement'),
    ),
  )

  const columns = table.columns.map((column): readonly [string, Doc] => {
    const key = keys.get(column.name) ?? column.name
    const inPk = pk?.columns.includes(column.name) ?? false
    const def = inPk && pkColumn === undefined ? { ...column, nullable: false } : column
    return [
      propertyKey(key),
      renderColumn(def, ctx, {
        nameArgument: key === column.name ? undefined : column.name,
        primaryKey: column.name === pkColumn,
        constraints: columnLinks.get(column.name) ?? [],
      }),
    ]
  })

  const args: Doc[] = [renderString(table.name), object(columns, { breakAlways: true })]
  const extrasDoc = extras.length === 0 ? undefined : arrow(usesT ? '(t)' : '()', array(extras))
  const options: [string, Doc][] = []
  if (policy.schemaOption && table.schema !== undefined) {
    options.push(['schema', renderString(table.schema)])
  }
  if (table.comment !== undefined) options.push(['comment', renderString(table.comment)])
  for (const [engine, bag] of Object.entries(table.engineOptions ?? {})) {
    options.push([engine, renderLiteral(bag)])
  }
  if (options.length === 0) {
    if (extrasDoc !== undefined) args.push(extrasDoc)
  } else {
    if (extrasDoc !== undefined) options.push(['extras', extrasDoc])
    args.push(object(options))
  }
  return call(policy.callee(table, ctx), args)
}

/**
 * One index element: a column (`t.email`, or `'email'`), an expression (`sql\`lower(email)\``),
 * with ordering and operator class as element methods.
 */
export function renderIndexElement(
  element: IndexElement,
  column: (name: string) => string,
  ctx: RenderContext,
  elementFn: string,
): Doc {
  const links: Doc[] = []
  if (element.order !== undefined) links.push(method(element.order))
  if (element.nulls !== undefined) {
    links.push(method(element.nulls === 'first' ? 'nullsFirst' : 'nullsLast'))
  }
  if (element.opclass !== undefined) links.push(method('opclass', [renderString(element.opclass)]))
  const target =
    element.column !== undefined ? column(element.column) : renderSql(element.expression ?? '', ctx)
  if (links.length === 0) return target
  // Table columns have the element methods; expressions and names need indexElement() first.
  const head =
    typeof target === 'string' && (target.startsWith('t.') || target.startsWith('t['))
      ? target
      : call(ctx.use(elementFn), [target])
  return chain(head, links)
}

/** The columns the naming convention sees in an index: its column elements, in order. */
export function indexColumns(index: IndexDef): readonly string[] {
  return index.elements.flatMap((element) => (element.column === undefined ? [] : [element.column]))
}

/** The column of a plain one-column btree index, which `.index()` can declare; else undefined. */
function simpleColumn(index: IndexDef): string | undefined {
  const [only, ...rest] = index.elements
  if (only === undefined || rest.length > 0) return undefined
  const plain =
    only.column !== undefined &&
    only.order === undefined &&
    only.nulls === undefined &&
    only.opclass === undefined &&
    index.method === undefined &&
    index.where === undefined &&
    index.include.length === 0
  return plain ? only.column : undefined
}

/** `name`, `onDelete`, `onUpdate`, `deferrable`, `initiallyDeferred`, as far as they are set. */
export function foreignKeyOptions(
  fk: ForeignKeyDef,
  name: string | undefined,
  ctx: RenderContext,
): [string, Doc][] {
  const options: [string, Doc][] = []
  if (name !== undefined) options.push(['name', renderString(name)])
  if (fk.onDelete !== undefined) options.push(['onDelete', renderString(fk.onDelete)])
  if (fk.onUpdate !== undefined) options.push(['onUpdate', renderString(fk.onUpdate)])
  if (fk.initiallyDeferred) {
    if (!fk.deferrable) {
      ctx.note(`foreign key ${fk.name ?? ''} is initially deferred but not deferrable`.trim())
    }
    options.push(['initiallyDeferred', 'true'])
  } else if (fk.deferrable) {
    options.push(['deferrable', 'true'])
  }
  return options
}
