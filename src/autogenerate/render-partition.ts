import type { MigrationOp } from '../operations/migration-op.ts'
import { quoteIdentifier } from '../schema/quote-identifier.ts'
import type {
  ExclusionDef,
  ExclusionElement,
  PartitionBound,
  PartitionDef,
  TableDef,
} from '../schema/schema-snapshot.ts'
import { renderSql } from './render-column.ts'
import type { RenderContext } from './render-context.ts'
import { array, call, type Doc, object } from './render-layout.ts'
import { flag, type Option, schemaOption, statement } from './render-statement.ts'
import { renderLiteral, renderString } from './render-value.ts'

/**
 * Partition bounds, exclusion constraints and their operations as the DSL and the `op` facade
 * spell them.
 */

/** The operations {@link renderPartitionOp} writes (exclusion constraints are table changes). */
export type RenderedPartitionOp = Extract<
  MigrationOp,
  {
    readonly kind: 'createPartition' | 'dropPartition' | 'attachPartition' | 'detachPartition'
  }
>

/**
 * One value of a partition bound, given as SQL: the JavaScript value the DSL writes back as the
 * same SQL (`'2024-01-01'` → `'2024-01-01'`, `42`, `null`, `true`), else an `sql` fragment
 * (`sql\`MINVALUE\``).
 */
export function renderBoundValue(text: string, ctx: RenderContext): Doc {
  if (text === 'NULL') return 'null'
  if (text === 'true' || text === 'false') return text
  if (/^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return text
  const string = /^'((?:[^']|'')*)'$/s.exec(text)
  // A backslash would come back in the E'' form, which PostgreSQL reads the same way but which
  // is not the same text: write it as SQL.
  if (string !== null && !string[1]!.includes('\\')) {
    return renderString(string[1]!.replaceAll("''", "'"))
  }
  return renderSql(text, ctx)
}

/**
 * A partition bound as `partition()` and `op.createPartition` take it: `'default'`,
 * `{ from, to }` (single values unwrapped), `{ in: [...] }` or `{ modulus, remainder }`.
 */
export function renderPartitionBound(bound: PartitionBound, ctx: RenderContext): Doc {
  const values = (list: readonly string[]): Doc =>
    list.length === 1
      ? renderBoundValue(list[0]!, ctx)
      : array(list.map((value) => renderBoundValue(value, ctx)))
  switch (bound.kind) {
    case 'default':
      return renderString('default')
    case 'range':
      return object([
        ['from', values(bound.from)],
        ['to', values(bound.to)],
      ])
    case 'list':
      return object([['in', array(bound.values.map((value) => renderBoundValue(value, ctx)))]])
    case 'hash':
      return object([
        ['modulus', String(bound.modulus)],
        ['remainder', String(bound.remainder)],
      ])
  }
}

/**
 * The options of `exclude(name, { ... })` and `op.createExclusionConstraint`; `element` writes
 * one element (a table column in models, a name in migrations).
 */
export function renderExclusionOptions(
  exclusion: ExclusionDef,
  element: (element: ExclusionElement) => Doc,
  ctx: RenderContext,
  include: (column: string) => string,
): readonly (readonly [string, Doc])[] {
  const options: [string, Doc][] = []
  if (exclusion.method !== undefined) options.push(['using', renderString(exclusion.method)])
  // Like the formatter, a list of several pairs goes one pair per line.
  const pairs = exclusion.elements.map((e) => array([element(e), renderString(e.operator)]))
  options.push(['elements', array(pairs, { breakAlways: pairs.length > 1 })])
  if (exclusion.where !== undefined) options.push(['where', renderSql(exclusion.where, ctx)])
  if (exclusion.include.length > 0) options.push(['include', array(exclusion.include.map(include))])
  if (exclusion.initiallyDeferred) options.push(['initiallyDeferred', 'true'])
  else if (exclusion.deferrable) options.push(['deferrable', 'true'])
  return options
}

/**
 * A table's exclusion constraints and partition key as table extras: `exclude('name', { ... })`
 * and `partitionBy('range', t.createdAt)`. `column` names a column of the table (`t.createdAt`),
 * `element` writes an exclusion element as index elements are written.
 */
export function renderTableExtras(
  table: TableDef,
  column: (name: string) => string,
  ctx: RenderContext,
  element: (element: ExclusionElement) => Doc,
): readonly Doc[] {
  const extras: Doc[] = []
  for (const exclusion of table.exclusions ?? []) {
    if (exclusion.name === undefined) {
      ctx.note(`an exclusion constraint on ${table.name} has no name, which exclude() requires`)
    }
    extras.push(
      call(ctx.use('exclude'), [
        renderString(exclusion.name ?? ''),
        object(renderExclusionOptions(exclusion, element, ctx, column)),
      ]),
    )
  }
  const key = table.partitionBy
  if (key !== undefined) {
    // A key element that is a column's (quoted) name is the column; anything else is SQL.
    const columns = new Map(table.columns.map((c) => [quoteIdentifier(c.name), c.name]))
    const elements = key.elements.map((sql) => {
      const name = columns.get(sql)
      return name === undefined ? renderSql(sql, ctx) : column(name)
    })
    extras.push(call(ctx.use('partitionBy'), [renderString(key.strategy), ...elements]))
  }
  return extras
}

/** The `await op.xxx(...)` statement of a partition operation. */
export function renderPartitionOp(op: RenderedPartitionOp, ctx: RenderContext): Doc {
  const str = renderString
  const placement = (partitionSchema: string | undefined): Option[] => [
    schemaOption(op.schema),
    // The facade's default is the parent's schema; `public` spells the default schema.
    [
      'partitionSchema',
      partitionSchema === op.schema ? undefined : str(partitionSchema ?? 'public'),
    ],
  ]
  const definition = (def: PartitionDef | undefined): Option[] => [
    ['bound', def === undefined ? undefined : renderPartitionBound(def.bound, ctx)],
    ['comment', def?.comment === undefined ? undefined : str(def.comment)],
  ]
  switch (op.kind) {
    case 'createPartition':
      return statement(
        'createPartition',
        [str(op.partition.name), str(op.table), renderPartitionBound(op.partition.bound, ctx)],
        [
          ...placement(op.partition.schema),
          ['comment', op.partition.comment === undefined ? undefined : str(op.partition.comment)],
          ['ifNotExists', flag(op.ifNotExists)],
        ],
      )
    case 'dropPartition':
      return statement(
        'dropPartition',
        [str(op.name), str(op.table)],
        [
          ...placement(op.partitionSchema),
          ['ifExists', flag(op.ifExists)],
          ...definition(op.definition),
        ],
      )
    case 'attachPartition':
      return statement(
        'attachPartition',
        [str(op.partition.name), str(op.table), renderPartitionBound(op.partition.bound, ctx)],
        placement(op.partition.schema),
      )
    case 'detachPartition':
      return statement(
        'detachPartition',
        [str(op.name), str(op.table)],
        [...placement(op.partitionSchema), ...definition(op.definition)],
      )
  }
}

/**
 * `partition('name', parent, bound, { schema, comment })`, the declaration of one partition in a
 * models module; `schema` only when it is not the parent's.
 */
export function renderPartition(
  partition: PartitionDef,
  parent: { readonly identifier: string; readonly schema: string | undefined },
  ctx: RenderContext,
): Doc {
  const options: [string, Doc][] = []
  if (partition.schema !== parent.schema) {
    options.push(['schema', renderString(partition.schema ?? 'public')])
  }
  if (partition.comment !== undefined) options.push(['comment', renderString(partition.comment)])
  return call(ctx.use('partition'), [
    renderString(partition.name),
    parent.identifier,
    renderPartitionBound(partition.bound, ctx),
    ...(options.length === 0 ? [] : [object(options)]),
  ])
}

/** An `ExclusionDef` as plain data, for `op.dropConstraint({ definition })`. */
export function exclusionDefLiteral(def: ExclusionDef): Doc {
  return renderLiteral({
    name: def.name,
    elements: def.elements.map((e) => ({
      column: e.column,
      expression: e.expression,
      order: e.order,
      nulls: e.nulls,
      opclass: e.opclass,
      operator: e.operator,
    })),
    method: def.method,
    where: def.where,
    include: def.include,
    deferrable: def.deferrable,
    initiallyDeferred: def.initiallyDeferred,
  })
}
