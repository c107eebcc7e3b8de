import type { EngineTableOptions } from '../schema/engine-options.ts'
import {
  conventionName,
  type NamingConvention,
  type NamingSubject,
  resolveNamingConvention,
} from '../schema/naming-convention.ts'
import type {
  ColumnType,
  ForeignKeyDef,
  PartitionDef,
  SchemaSnapshot,
  TableDef,
} from '../schema/schema-snapshot.ts'
import { ImportSet, type RenderContext } from './render-context.ts'
import {
  array,
  braces,
  call,
  commentLines,
  concat,
  type Doc,
  object,
  printDoc,
} from './render-layout.ts'
import { modelCodeObjects } from './render-model-code-objects.ts'
import { modelObjects } from './render-model-objects.ts'
import { camelCase, DSL_NAMES, IdentifierPool } from './render-names.ts'
import { renderPartition } from './render-partition.ts'
import {
  columnKeys,
  indexColumns,
  type ReferenceStyle,
  renderTable,
  type TablePolicy,
} from './render-table.ts'
import { memberAccess, renderString } from './render-value.ts'

/** Options of {@link renderModels}. */
export interface RenderModelsOptions {
  /** The module the DSL is imported from; default `'aludel'`. */
  readonly importPath?: string
  /**
   * The doc comment at the top of the module; default: a line saying `aludel pull` wrote it.
   * An empty string writes none.
   */
  readonly header?: string
}

/**
 * Writes a TypeScript module that declares a database's schema with the model DSL, for
 * `aludel pull`: every enum (`enumType`), every table (`table`, or `dbSchema('auth').table` in
 * other schemas) with its columns, constraints and indexes, and `export const schema =
 * defineSchema({ ... })` listing them all. Converting that schema (`toSnapshot`) gives `snapshot`
 * back: constraint and index names are written out unless the module's naming convention gives
 * them anyway (aludel's own convention or PostgreSQL's, whichever reproduces more names; check
 * names are always written as they are). Pure: no database, no files.
 *
 * @example
 * const text = renderModels(snapshot, { importPath: 'aludel' })
 * // export const users = table('users', { id: integer().primaryKey().identity(), ... })
 */
export function renderModels(snapshot: SchemaSnapshot, options: RenderModelsOptions = {}): string {
  const imports = new ImportSet()
  const convention = chooseConvention(snapshot.tables)
  const resolved = resolveNamingConvention(convention.convention)

  // Names: tables first (public before other schemas), then enums, schemas and custom types.
  const pool = new IdentifierPool([...DSL_NAMES, 'schema', 't'])
  const ordered = declarationOrder(snapshot.tables)
  const tableNames = new Map<TableDef, string>()
  for (const table of [...ordered].sort(
    (a, b) => Number(a.schema !== undefined) - Number(b.schema !== undefined),
  )) {
    const camel = camelCase(table.name)
    tableNames.set(
      table,
      pool.claim(
        table.schema === undefined
          ? [camel, `${camel}Table`]
          : [camel, camelCase(`${table.schema}_${table.name}`), `${camel}Table`],
      ),
    )
  }
  const partitionNames = new Map<PartitionDef, string>()
  for (const table of ordered) {
    for (const partition of table.partitions ?? []) {
      const camel = camelCase(partition.name)
      partitionNames.set(partition, pool.claim([camel, `${camel}Partition`]))
    }
  }
  const enums = [...snapshot.enums]
  for (const type of usedEnums(snapshot.tables)) {
    if (!enums.some((e) => e.schema === type.schema && e.name === type.name)) {
      enums.push({ schema: type.schema, name: type.name, values: [] })
    }
  }
  const enumNames = new Map<string, string>()
  for (const def of enums) {
    const camel = camelCase(def.name)
    enumNames.set(
      enumKey(def.schema, def.name),
      pool.claim(
        def.schema === undefined
          ? [camel, `${camel}Enum`]
          : [camel, camelCase(`${def.schema}_${def.name}`), `${camel}Enum`],
      ),
    )
  }
  const schemaNames = new Map<string, string>()
  for (const schema of [...tableSchemas(snapshot.tables), ...enums.map((e) => e.schema)]) {
    if (schema === undefined || schemaNames.has(schema)) continue
    const camel = camelCase(schema)
    schemaNames.set(schema, pool.claim([camel, `${camel}Schema`]))
  }
  const objects = modelObjects(snapshot, pool)
  const code = modelCodeObjects(snapshot, pool, (table) => tableNames.get(table)!)
  const customNames = new Map<string, string>()
  for (const sql of [...customTypes(snapshot.tables), ...objects.partTypes]) {
    // Domains and composite types have constants of their own.
    if (customNames.has(sql) || objects.typeConstant(sql) !== undefined) continue
    const camel = camelCase(sql)
    customNames.set(sql, pool.claim(camel === '' ? ['customColumnType'] : [camel, `${camel}Type`]))
  }

  const notes: string[] = []
  const ctx: RenderContext = {
    use: (name) => imports.use(name),
    enumType: (type) => enumNames.get(enumKey(type.schema, type.name))!,
    enumValues: (type) =>
      enums.find((e) => e.schema === type.schema && e.name === type.name)?.values,
    customType: (sql) => objects.typeConstant(sql) ?? customNames.get(sql)!,
    note: (text) => {
      if (!notes.includes(text)) notes.push(text)
    },
    sqlDefault: (sql) => objects.nextval(sql, ctx),
  }

  const position = new Map(ordered.map((table, i) => [table, i]))
  const keysOf = new Map(ordered.map((table) => [table, columnKeys(table.columns)]))
  const find = (schema: string | undefined, name: string): TableDef | undefined =>
    snapshot.tables.find((t) => t.schema === schema && t.name === name)
  let current: TableDef | undefined
  const policy: TablePolicy = {
    callee: (table, c) =>
      table.schema === undefined ? c.use('table') : `${schemaNames.get(table.schema)!}.table`,
    schemaOption: false,
    convention: resolved,
    // check() always takes a name, written as it is under the module's `ck` template.
    omitName: (kind) => kind !== 'ck',
    reference: (fk): ReferenceStyle => {
      const target = find(fk.referencedSchema, fk.referencedTable)
      const keys = target === undefined ? undefined : keysOf.get(target)
      if (target === undefined || keys === undefined || current === undefined) {
        const what = fk.name === undefined ? 'a foreign key' : `foreign key ${fk.name}`
        ctx.note(
          `${what} references ${qualified(fk.referencedSchema, fk.referencedTable)}, which is not in this module; add that table or remove the key`,
        )
        return { kind: 'named' }
      }
      if (fk.referencedColumns.some((column) => !keys.has(column))) return { kind: 'named' }
      const self = target === current
      const later = position.get(target)! >= position.get(current)!
      if (fk.columns.length === 1) {
        // A callback returning a table declared later, or this table, needs its return type
        // spelled out, or TypeScript cannot type the tables that refer to each other.
        const owner = tableNames.get(target)!
        return {
          kind: 'columns',
          columns: fk.referencedColumns.map((column) => memberAccess(owner, keys.get(column)!)),
          annotate: later,
        }
      }
      if (self) {
        return {
          kind: 'columns',
          columns: fk.referencedColumns.map((column) => memberAccess('t', keys.get(column)!)),
          annotate: false,
        }
      }
      // Extras run when the schema is converted, but TypeScript types them with the table: a
      // table declared later is named instead.
      if (later) return { kind: 'named' }
      const owner = tableNames.get(target)!
      return {
        kind: 'columns',
        columns: fk.referencedColumns.map((column) => memberAccess(owner, keys.get(column)!)),
        annotate: false,
      }
    },
  }

  const blocks: string[][] = []
  const tableBlocks: string[][] = []
  for (const table of ordered) {
    current = table
    const doc = renderTable(withoutDefaultOptions(table, snapshot.engineDefaults), ctx, policy)
    tableBlocks.push([
      ...notes.flatMap((note) => commentLines('NOTE: ', note, 0)),
      ...statement(concat(`export const ${tableNames.get(table)!} = `, doc)),
    ])
    notes.length = 0
    const parent = { identifier: tableNames.get(table)!, schema: table.schema }
    const partitions = (table.partitions ?? []).map((partition) =>
      statement(
        concat(
          `export const ${partitionNames.get(partition)!} = `,
          renderPartition(partition, parent, ctx),
        ),
      ),
    )
    if (partitions.length > 0) tableBlocks.push(partitions.flat())
  }
  current = undefined

  const schemaBlock = [...schemaNames].map(([schema, name]) =>
    statement(concat(`const ${name} = `, call(imports.use('dbSchema'), [renderString(schema)]))),
  )
  if (schemaBlock.length > 0) blocks.push(schemaBlock.flat())
  const customBlock = [...customNames].map(([sql, name]) =>
    statement(concat(`const ${name} = `, call(imports.use('customType'), [renderString(sql)]))),
  )
  if (customBlock.length > 0) blocks.push(customBlock.flat())
  const enumBlock = enums.map((def) => {
    const callee =
      def.schema === undefined
        ? imports.use('enumType')
        : `${schemaNames.get(def.schema)!}.enumType`
    const values = def.values.length === 0 ? ['unknown'] : def.values
    return [
      ...(def.values.length === 0
        ? commentLines(
            'NOTE: ',
            `enum ${qualified(def.schema, def.name)} is used by a column but not part of the snapshot; its values are unknown`,
            0,
          )
        : []),
      ...statement(
        concat(
          `export const ${enumNames.get(enumKey(def.schema, def.name))!} = `,
          call(callee, [renderString(def.name), array(values.map(renderString))]),
        ),
      ),
    ]
  })
  if (enumBlock.length > 0) blocks.push(enumBlock.flat())
  blocks.push(...objects.blocks(ctx).map((block) => [...block]))
  blocks.push(...code.before(ctx).map((block) => [...block]))
  blocks.push(...tableBlocks)
  blocks.push(...code.after(ctx).map((block) => [...block]))

  const entries = [
    ...enums.map((def) => enumNames.get(enumKey(def.schema, def.name))!),
    ...objects.entries,
    ...ordered.map((table) => tableNames.get(table)!),
    ...partitionNames.values(),
    ...code.entries,
  ]
  blocks.push([
    ...commentLines('', convention.explanation, 0),
    ...statement(
      concat(
        'export const schema = ',
        call(imports.use('defineSchema'), [
          braces(entries, 'object'),
          object([['namingConvention', conventionLiteral(convention.convention)]]),
        ]),
      ),
    ),
  ])

  const header = options.header ?? 'Models of the database schema, written by `aludel pull`.'
  const lines: string[] = []
  if (header !== '') {
    lines.push(
      '/**',
      ...header
        .replace(/\*\//g, '*\\/')
        .split(/\r\n|\r|\n/)
        .map((line) => ` * ${line}`.trimEnd()),
      ' */',
    )
  }
  lines.push(
    printDoc(
      concat(
        'import ',
        braces(imports.specifiers(new Set(['ColumnTarget']))),
        ` from ${renderString(options.importPath ?? 'aludel')}`,
      ),
      0,
    ),
  )
  for (const block of blocks) lines.push('', ...block)
  return `${lines.join('\n')}\n`
}

/** A naming convention for the module, and the comment that explains it. */
interface ChosenConvention {
  readonly convention: NamingConvention
  readonly explanation: string
}

const ALUDEL_CONVENTION: ChosenConvention = {
  convention: { ck: '%(constraint_name)s' },
  explanation:
    "Unnamed constraints and indexes get aludel's default names (pk_users, ix_users_email); checks keep the names they are given.",
}

const POSTGRES_CONVENTION: ChosenConvention = {
  convention: {
    pk: '%(table_name)s_pkey',
    fk: '%(table_name)s_%(column_0_N_name)s_fkey',
    uq: '%(table_name)s_%(column_0_N_name)s_key',
    ck: '%(constraint_name)s',
    ix: '%(table_name)s_%(column_0_N_name)s_idx',
  },
  explanation:
    "Unnamed constraints and indexes get PostgreSQL's own names (users_pkey, users_email_key); checks keep the names they are given.",
}

/**
 * The convention that gives the most of the database's names by itself, so that fewer names need
 * writing out; aludel's on a tie.
 */
function chooseConvention(tables: readonly TableDef[]): ChosenConvention {
  const score = (chosen: ChosenConvention): number => {
    const convention = resolveNamingConvention(chosen.convention)
    let matches = 0
    const matchesName = (subject: NamingSubject & { readonly name: string | undefined }) => {
      try {
        if (conventionName(convention, { ...subject, name: undefined }) === subject.name) {
          matches++
        }
      } catch {
        // A template that cannot name this subject (no columns) reproduces nothing.
      }
    }
    for (const table of tables) {
      const base = { table: table.name }
      const pk = table.primaryKey
      if (pk !== undefined) matchesName({ kind: 'pk', ...base, columns: pk.columns, name: pk.name })
      for (const fk of table.foreignKeys) matchesName(fkSubject(fk, table.name))
      for (const uq of table.uniques) {
        matchesName({ kind: 'uq', ...base, columns: uq.columns, name: uq.name })
      }
      for (const ix of table.indexes) {
        matchesName({ kind: 'ix', ...base, columns: indexColumns(ix), name: ix.name })
      }
    }
    return matches
  }
  return score(POSTGRES_CONVENTION) > score(ALUDEL_CONVENTION)
    ? POSTGRES_CONVENTION
    : ALUDEL_CONVENTION
}

function fkSubject(
  fk: ForeignKeyDef,
  table: string,
): NamingSubject & { readonly name: string | undefined } {
  return {
    kind: 'fk',
    table,
    columns: fk.columns,
    referredTable: fk.referencedTable,
    referredColumns: fk.referencedColumns,
    name: fk.name,
  }
}

function conventionLiteral(convention: NamingConvention): Doc {
  return object(
    (['pk', 'fk', 'uq', 'ck', 'ix'] as const).flatMap((kind) => {
      const template = convention[kind]
      return template === undefined ? [] : [[kind, renderString(template)] as const]
    }),
  )
}

/**
 * Tables in an order where each comes after those it references, as far as cycles allow; ties
 * keep the snapshot's order (schema, then name).
 */
function declarationOrder(tables: readonly TableDef[]): readonly TableDef[] {
  const out: TableDef[] = []
  const state = new Map<TableDef, 'visiting' | 'done'>()
  const visit = (table: TableDef): void => {
    if (state.has(table)) return
    state.set(table, 'visiting')
    for (const fk of table.foreignKeys) {
      const target = tables.find(
        (t) => t.schema === fk.referencedSchema && t.name === fk.referencedTable,
      )
      if (target !== undefined && target !== table) visit(target)
    }
    state.set(table, 'done')
    out.push(table)
  }
  for (const table of tables) visit(table)
  return out
}

function tableSchemas(tables: readonly TableDef[]): readonly (string | undefined)[] {
  return tables.map((table) => table.schema)
}

function usedEnums(tables: readonly TableDef[]): readonly Extract<ColumnType, { kind: 'enum' }>[] {
  const out: Extract<ColumnType, { kind: 'enum' }>[] = []
  for (const table of tables) {
    for (const column of table.columns) {
      let type = column.type
      while (type.kind === 'array') type = type.element
      if (type.kind === 'enum') out.push(type)
    }
  }
  return out
}

function customTypes(tables: readonly TableDef[]): readonly string[] {
  const out = new Set<string>()
  for (const table of tables) {
    for (const column of table.columns) {
      let type = column.type
      while (type.kind === 'array') type = type.element
      if (type.kind === 'custom') out.add(type.sql)
    }
  }
  return [...out]
}

function statement(doc: Doc): string[] {
  return printDoc(doc, 0).split('\n')
}

function enumKey(schema: string | undefined, name: string): string {
  return `${schema ?? ''}\u0000${name}`
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

/**
 * `table` without the engine options that equal what the database gives a table stating none
 * (compared without regard to case), so that models written from a database name only what is
 * particular to a table, not the server's engine and character set on every one of them.
 */
function withoutDefaultOptions(
  table: TableDef,
  defaults: EngineTableOptions | undefined,
): TableDef {
  if (table.engineOptions === undefined || defaults === undefined) return table
  const same = (a: unknown, b: unknown) =>
    typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b
  const kept = Object.entries(table.engineOptions).flatMap(([engine, bag]) => {
    const given = defaults[engine as keyof EngineTableOptions] as
      | Readonly<Record<string, unknown>>
      | undefined
    const left = Object.entries(bag as Readonly<Record<string, unknown>>).filter(
      ([key, value]) => !same(value, given?.[key]),
    )
    return left.length === 0 ? [] : [[engine, Object.fromEntries(left)] as const]
  })
  const { engineOptions: _, ...rest } = table
  return kept.length === 0 ? rest : { ...rest, engineOptions: Object.fromEntries(kept) }
}
