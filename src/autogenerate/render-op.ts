import type {
  BatchAlterTableOp,
  BatchTableOp,
  ConstraintDefinition,
  MigrationOp,
} from '../operations/migration-op.ts'
import {
  assertNever,
  isBatchTableOp,
  isCodeObjectOp,
  isSchemaObjectOp,
} from '../operations/migration-op.ts'
import type {
  ColumnDefault,
  EnumDef,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
} from '../schema/schema-snapshot.ts'
import { renderCodeObjectOp } from './render-code-objects.ts'
import { renderColumn, renderColumnType, renderSql } from './render-column.ts'
import type { RenderContext } from './render-context.ts'
import { array, arrow, block, call, concat, type Doc, object } from './render-layout.ts'
import {
  exclusionDefLiteral,
  renderExclusionOptions,
  renderPartitionOp,
} from './render-partition.ts'
import { renderSchemaObjectOp } from './render-schema-objects.ts'
import { flag, type Option, schemaOption, statement } from './render-statement.ts'
import {
  foreignKeyOptions,
  renderIndexElement,
  renderTable,
  type TablePolicy,
} from './render-table.ts'
import { propertyKey, renderLiteral, renderLongString, renderString } from './render-value.ts'

/** What operation renderers need beyond a {@link RenderContext}. */
export interface OpRenderContext extends RenderContext {
  /** How `op.createTable`/`op.dropTable` declare tables. */
  readonly tables: TablePolicy
  /**
   * The constant the migration declares for an enum (`const mood = enumType(...)`), with the
   * values it was declared with, if there is one.
   */
  enumConstant(
    schema: string | undefined,
    name: string,
  ): { readonly identifier: string; readonly values: readonly string[] } | undefined
}

/** `op.bulkInsert`'s default batch size, left out when an operation uses it. */
const DEFAULT_BATCH_SIZE = 500

/**
 * The `await op.xxx(...)` statement whose execution, through the `Operations` facade, produces
 * `op`: one case per operation kind, so a new kind is a compile error here. What the facade cannot
 * reproduce is reported through `ctx.note`.
 *
 * @example
 * renderOp({ kind: 'renameTable', schema: undefined, from: 'a', to: 'b' }, ctx)
 * // await op.renameTable('a', 'b')
 */
export function renderOp(op: MigrationOp, ctx: OpRenderContext): Doc {
  if (isSchemaObjectOp(op)) return renderSchemaObjectOp(op, ctx)
  if (isCodeObjectOp(op)) return renderCodeObjectOp(op, ctx)
  if (isBatchTableOp(op)) return tableStatement(op, ctx)
  const str = renderString
  switch (op.kind) {
    case 'createSchema':
      return statement('createSchema', [str(op.name)], [['ifNotExists', flag(op.ifNotExists)]])
    case 'dropSchema':
      return statement(
        'dropSchema',
        [str(op.name)],
        [
          ['ifExists', flag(op.ifExists)],
          ['cascade', flag(op.cascade)],
        ],
      )
    case 'createTable':
      return statement(
        'createTable',
        [renderTable(op.table, ctx, ctx.tables)],
        [['ifNotExists', flag(op.ifNotExists)]],
      )
    case 'dropTable': {
      const flags: Option[] = [
        ['ifExists', flag(op.ifExists)],
        ['cascade', flag(op.cascade)],
      ]
      const def = op.definition
      if (def === undefined) {
        return statement('dropTable', [str(op.name)], [schemaOption(op.schema), ...flags])
      }
      if (def.name !== op.name || def.schema !== op.schema) {
        ctx.note(
          `the drop names table ${qualified(op.schema, op.name)} but carries the definition of ${qualified(def.schema, def.name)}; op.dropTable(table(...)) takes both from the definition`,
        )
      }
      return statement('dropTable', [renderTable(def, ctx, ctx.tables)], flags)
    }
    case 'renameTable':
      return statement('renameTable', [str(op.from), str(op.to)], [schemaOption(op.schema)])
    case 'validateConstraint':
      return statement(
        'validateConstraint',
        [str(op.table), str(op.name)],
        [schemaOption(op.schema)],
      )
    case 'createEnum': {
      const constant = ctx.enumConstant(op.enum.schema, op.enum.name)
      if (
        constant !== undefined &&
        !op.ifNotExists &&
        sameValues(constant.values, op.enum.values)
      ) {
        return statement('createEnum', [constant.identifier], [])
      }
      return statement(
        'createEnum',
        [str(op.enum.name), array(op.enum.values.map(str))],
        [schemaOption(op.enum.schema), ['ifNotExists', flag(op.ifNotExists)]],
      )
    }
    case 'dropEnum': {
      const flags: Option[] = [
        ['ifExists', flag(op.ifExists)],
        ['cascade', flag(op.cascade)],
      ]
      const def = op.definition
      const constant = ctx.enumConstant(op.schema, op.name)
      if (
        def !== undefined &&
        constant !== undefined &&
        def.schema === op.schema &&
        def.name === op.name &&
        sameValues(constant.values, def.values)
      ) {
        return statement('dropEnum', [constant.identifier], flags)
      }
      if (def !== undefined && (def.schema !== op.schema || def.name !== op.name)) {
        ctx.note(
          `the drop names enum ${qualified(op.schema, op.name)} but carries the values of ${qualified(def.schema, def.name)}; op.dropEnum records its own name`,
        )
      }
      return statement(
        'dropEnum',
        [str(op.name)],
        [
          schemaOption(op.schema),
          ...flags,
          ['values', def === undefined ? undefined : array(def.values.map(str))],
        ],
      )
    }
    case 'addEnumValue':
      return statement(
        'addEnumValue',
        [str(op.enum), str(op.value)],
        [
          schemaOption(op.schema),
          ['before', op.before === undefined ? undefined : str(op.before)],
          ['after', op.after === undefined ? undefined : str(op.after)],
          ['ifNotExists', flag(op.ifNotExists)],
        ],
      )
    case 'renameEnumValue':
      return statement(
        'renameEnumValue',
        [str(op.enum), str(op.from), str(op.to)],
        [schemaOption(op.schema)],
      )
    case 'createTableComment':
      return statement(
        'createTableComment',
        [str(op.table), str(op.comment)],
        [
          schemaOption(op.schema),
          [
            'existingComment',
            op.previous === undefined
              ? undefined
              : op.previous === null
                ? 'null'
                : str(op.previous),
          ],
        ],
      )
    case 'dropTableComment':
      return statement(
        'dropTableComment',
        [str(op.table)],
        [
          schemaOption(op.schema),
          ['existingComment', op.previous === undefined ? undefined : str(op.previous)],
        ],
      )
    case 'alterTableOptions':
      return statement(
        'alterTableOptions',
        [str(op.table), renderLiteral(op.options)],
        [
          schemaOption(op.schema),
          ['existingOptions', op.previous === undefined ? undefined : renderLiteral(op.previous)],
        ],
      )
    case 'execute':
      return concat(
        'await ',
        call('op.execute', [
          renderLongString(op.sql),
          ...(op.params.length === 0 ? [] : [array(op.params.map(renderLiteral))]),
        ]),
      )
    case 'bulkInsert': {
      // The facade reads the columns from the rows' keys, in the order objects keep them.
      const keys = Object.keys(Object.fromEntries(op.columns.map((column) => [column, true])))
      if (keys.join('\u0000') !== op.columns.join('\u0000')) {
        ctx.note(
          `op.bulkInsert reads columns from object keys, which cannot repeat a column or put an integer-like name (${op.columns.join(', ')}) after others`,
        )
      }
      if (op.rows.length === 0 && op.columns.length > 0) {
        ctx.note('op.bulkInsert with no rows records no columns')
      }
      const rows = op.rows.map((row) =>
        object(op.columns.map((column, i) => [propertyKey(column), renderLiteral(row[i] ?? null)])),
      )
      return statement(
        'bulkInsert',
        [str(op.table), array(rows, { breakAlways: rows.length > 1 })],
        [
          schemaOption(op.schema),
          ['batchSize', op.batchSize === DEFAULT_BATCH_SIZE ? undefined : String(op.batchSize)],
        ],
      )
    }
    case 'createPartition':
    case 'dropPartition':
    case 'attachPartition':
    case 'detachPartition':
      return renderPartitionOp(op, ctx)
    case 'batchAlterTable':
      return renderBatch(op, ctx)
    default:
      return assertNever(op)
  }
}

/**
 * A call of a table-level facade method, with the table and its schema apart: `op.xxx` passes
 * them, `batch.xxx` inside `op.batch` leaves them out.
 */
interface TableCall {
  readonly method: string
  /** The arguments before the table's name, and after it. */
  readonly before: readonly Doc[]
  readonly after: readonly Doc[]
  /** The table is an argument, or (`op.dropIndex`) the `table` option. */
  readonly tableAs: 'argument' | 'option'
  /** The option that names the table's schema (`sourceSchema` for a foreign key). */
  readonly schemaKey: string
  /** The options other than the schema and the table. */
  readonly options: readonly Option[]
  /** The facade wants its options object even when empty (`alterColumn`). */
  readonly keepEmpty: boolean
}

/** The `await op.xxx(...)` statement of a change to one table. */
function tableStatement(op: BatchTableOp, ctx: OpRenderContext): Doc {
  const c = tableCall(op, ctx)
  const table = op.table === undefined ? undefined : renderString(op.table)
  return statement(
    c.method,
    c.tableAs === 'argument' ? [...c.before, table ?? "''", ...c.after] : [...c.before, ...c.after],
    [
      [c.schemaKey, op.schema === undefined ? undefined : renderString(op.schema)],
      ...(c.tableAs === 'option' ? [['table', table] as const] : []),
      ...c.options,
    ],
    c.keepEmpty,
  )
}

/**
 * `await op.batch('table', (batch) => { ... })`, each change a `batch.xxx(...)` call without the
 * table; what `batch` cannot say (a change to another table, a concurrent index build) is noted.
 */
function renderBatch(op: BatchAlterTableOp, ctx: OpRenderContext): Doc {
  const calls = op.ops.map((inner) => {
    if (inner.table !== op.table || inner.schema !== op.schema) {
      ctx.note(
        `a change in the batch on ${qualified(op.schema, op.table)} is to ${qualified(inner.schema, inner.table ?? '?')}; batch.xxx changes the batch's table`,
      )
    }
    if ((inner.kind === 'createIndex' || inner.kind === 'dropIndex') && inner.concurrently) {
      ctx.note(
        `a batch runs as one piece: its index ${inner.kind === 'createIndex' ? inner.index.name : inner.name} is built or dropped without concurrently`,
      )
    }
    if (
      (inner.kind === 'addColumn' && inner.ifNotExists) ||
      (inner.kind === 'createIndex' && inner.ifNotExists)
    ) {
      ctx.note('batch.addColumn and batch.createIndex have no ifNotExists')
    }
    const c = tableCall(inner, ctx)
    const given = c.options.filter((o): o is readonly [string, Doc] => o[1] !== undefined)
    const options =
      given.length === 0 && !c.keepEmpty ? [] : [object(given.map(([k, v]) => [k, v]))]
    return call(`batch.${c.method}`, [...c.before, ...c.after, ...options])
  })
  return statement(
    'batch',
    [renderString(op.table), arrow('(batch)', block(calls))],
    [schemaOption(op.schema)],
  )
}

function tableCall(op: BatchTableOp, ctx: OpRenderContext): TableCall {
  const str = renderString
  const call = (
    method: string,
    before: readonly Doc[],
    after: readonly Doc[],
    options: readonly Option[],
    more: Partial<Pick<TableCall, 'tableAs' | 'schemaKey' | 'keepEmpty'>> = {},
  ): TableCall => ({
    method,
    before,
    after,
    options,
    tableAs: more.tableAs ?? 'argument',
    schemaKey: more.schemaKey ?? 'schema',
    keepEmpty: more.keepEmpty ?? false,
  })
  switch (op.kind) {
    case 'addColumn':
      return call(
        'addColumn',
        [],
        [str(op.column.name), renderColumn(op.column, ctx)],
        [['ifNotExists', flag(op.ifNotExists)]],
      )
    case 'dropColumn':
      if (op.definition !== undefined && op.definition.name !== op.column) {
        ctx.note(
          `the drop of column ${op.column} carries the definition of column ${op.definition.name}; op.dropColumn names the definition after the column`,
        )
      }
      return call(
        'dropColumn',
        [],
        [str(op.column)],
        [
          ['ifExists', flag(op.ifExists)],
          ['cascade', flag(op.cascade)],
          [
            'definition',
            op.definition === undefined ? undefined : renderColumn(op.definition, ctx),
          ],
        ],
      )
    case 'alterColumn':
      return call('alterColumn', [], [str(op.column)], alterOptions(op, ctx), { keepEmpty: true })
    case 'createIndex':
      return call(
        'createIndex',
        [str(op.index.name)],
        [array(op.index.elements.map((element) => indexElementArgument(element, ctx)))],
        [
          ['unique', flag(op.index.unique)],
          ['where', op.index.where === undefined ? undefined : renderLongString(op.index.where)],
          ['using', op.index.method === undefined ? undefined : str(op.index.method)],
          ['include', op.index.include.length === 0 ? undefined : array(op.index.include.map(str))],
          ['concurrently', flag(op.concurrently)],
          ['ifNotExists', flag(op.ifNotExists)],
        ],
      )
    case 'dropIndex':
      return call(
        'dropIndex',
        [str(op.name)],
        [],
        [
          ['concurrently', flag(op.concurrently)],
          ['ifExists', flag(op.ifExists)],
          ['definition', op.definition === undefined ? undefined : indexDefLiteral(op.definition)],
        ],
        { tableAs: 'option' },
      )
    case 'createForeignKey': {
      const fk = op.foreignKey
      return call(
        'createForeignKey',
        [constraintName(fk.name, 'op.createForeignKey', ctx)],
        [str(fk.referencedTable), array(fk.columns.map(str)), array(fk.referencedColumns.map(str))],
        [
          [
            'referentSchema',
            fk.referencedSchema === undefined ? undefined : str(fk.referencedSchema),
          ],
          ...foreignKeyOptions(fk, undefined, ctx),
          ['notValid', flag(op.notValid)],
        ],
        { schemaKey: 'sourceSchema' },
      )
    }
    case 'createUniqueConstraint':
      return call(
        'createUniqueConstraint',
        [constraintName(op.unique.name, 'op.createUniqueConstraint', ctx)],
        [array(op.unique.columns.map(str))],
        [
          ['nullsNotDistinct', flag(op.unique.nullsNotDistinct)],
          ['usingIndex', op.usingIndex === undefined ? undefined : str(op.usingIndex)],
        ],
      )
    case 'createCheckConstraint':
      return call(
        'createCheckConstraint',
        [constraintName(op.check.name, 'op.createCheckConstraint', ctx)],
        [renderLongString(op.check.expression)],
        [['notValid', flag(op.notValid)]],
      )
    case 'createPrimaryKey':
      return call(
        'createPrimaryKey',
        [constraintName(op.primaryKey.name, 'op.createPrimaryKey', ctx)],
        [array(op.primaryKey.columns.map(str))],
        [],
      )
    case 'createExclusionConstraint':
      return call(
        'createExclusionConstraint',
        [str(op.exclusion.name ?? '')],
        [],
        renderExclusionOptions(
          op.exclusion,
          (element) => indexElementArgument(element, ctx),
          ctx,
          str,
        ),
        { keepEmpty: true },
      )
    case 'dropConstraint':
      return call(
        'dropConstraint',
        [str(op.name)],
        [],
        [
          ['ifExists', flag(op.ifExists)],
          ['cascade', flag(op.cascade)],
          [
            'definition',
            op.definition === undefined ? undefined : constraintLiteral(op.definition),
          ],
        ],
      )
    default:
      return assertNever(op)
  }
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

function constraintName(name: string | undefined, what: string, ctx: RenderContext): Doc {
  if (name === undefined) {
    ctx.note(`the constraint has no name, which ${what} requires; name it before running this`)
    return "''"
  }
  return renderString(name)
}

/** The options of `op.alterColumn`, in the order a reader expects: new value, then old. */
function alterOptions(op: Extract<MigrationOp, { kind: 'alterColumn' }>, ctx: OpRenderContext) {
  const changes = op.changes
  const options: Option[] = []
  if (changes.type !== undefined) {
    options.push(['type', renderColumnType(changes.type.to, ctx)])
    if (changes.type.using !== undefined) {
      options.push(['using', renderLongString(changes.type.using)])
    }
    if (changes.type.from !== undefined) {
      options.push(['existingType', renderColumnType(changes.type.from, ctx)])
    }
    if (changes.type.fromUsing !== undefined) {
      options.push(['existingUsing', renderLongString(changes.type.fromUsing)])
    }
  }
  if (changes.nullable !== undefined) {
    options.push(['nullable', String(changes.nullable.to)])
    if (changes.nullable.from !== undefined) {
      options.push(['existingNullable', String(changes.nullable.from)])
    }
  }
  if (changes.default !== undefined) {
    options.push(['default', alterDefault(changes.default.to, ctx)])
    if (changes.default.from !== undefined) {
      options.push(['existingDefault', alterDefault(changes.default.from, ctx)])
    }
  }
  if (changes.comment !== undefined) {
    const { to, from } = changes.comment
    options.push(['comment', to === null ? 'null' : renderString(to)])
    if (from !== undefined) {
      options.push(['existingComment', from === null ? 'null' : renderString(from)])
    }
  }
  if (changes.collation !== undefined) {
    const { to, from, type } = changes.collation
    // The statement names the column's type: when it does not change, existingType says it.
    if (changes.type === undefined) options.push(['existingType', renderColumnType(type, ctx)])
    options.push(['collation', to === null ? 'null' : renderString(to)])
    if (from !== undefined) {
      options.push(['existingCollation', from === null ? 'null' : renderString(from)])
    }
  }
  if (changes.name !== undefined) {
    if (changes.name.from !== undefined && changes.name.from !== op.column) {
      ctx.note(
        `the rename says the column was ${changes.name.from}, but the operation names it ${op.column}; op.alterColumn records the latter`,
      )
    }
    options.push(['rename', renderString(changes.name.to)])
  }
  return options
}

/** A default for `alterColumn`: `null` (none), an `sql` fragment, or the literal. */
function alterDefault(value: ColumnDefault | null, ctx: RenderContext): Doc {
  if (value === null) return 'null'
  if (value.kind === 'sql') return renderSql(value.sql, ctx)
  if (value.value === null) {
    // op.alterColumn reads null as "drop the default"; an explicit DEFAULT NULL is spelled in SQL.
    ctx.note('a literal NULL default is written as sql`NULL`, since null means "no default" here')
    return renderSql('NULL', ctx)
  }
  return renderLiteral(value.value)
}

/**
 * An element of `op.createIndex`: a column name, an `sql` fragment, or `indexElement(...)` with
 * its ordering.
 */
function indexElementArgument(element: IndexElement, ctx: RenderContext): Doc {
  return renderIndexElement(element, renderString, ctx, 'indexElement')
}

/** An `IndexDef` as plain data, for `op.dropIndex({ definition })`. */
function indexDefLiteral(def: IndexDef): Doc {
  return object([
    ['name', renderString(def.name)],
    [
      'elements',
      array(
        def.elements.map((element) =>
          object([
            ['column', optionalString(element.column)],
            ['expression', optionalString(element.expression)],
            ['order', optionalString(element.order)],
            ['nulls', optionalString(element.nulls)],
            ['opclass', optionalString(element.opclass)],
          ]),
        ),
      ),
    ],
    ['unique', String(def.unique)],
    ['method', optionalString(def.method)],
    ['where', optionalString(def.where)],
    ['include', array(def.include.map(renderString))],
  ])
}

/** A `ConstraintDefinition` as plain data, for `op.dropConstraint({ definition })`. */
function constraintLiteral(constraint: ConstraintDefinition): Doc {
  const notValid = 'notValid' in constraint && constraint.notValid === true
  return object([
    ['type', renderString(constraint.type)],
    ['definition', constraintDefinitionLiteral(constraint)],
    ...(notValid ? [['notValid', 'true'] as const] : []),
  ])
}

function constraintDefinitionLiteral(constraint: ConstraintDefinition): Doc {
  const names = (columns: readonly string[]): Doc => array(columns.map(renderString))
  switch (constraint.type) {
    case 'foreignKey':
      return foreignKeyLiteral(constraint.definition)
    case 'unique': {
      const d = constraint.definition
      return object([
        ['name', optionalString(d.name)],
        ['columns', names(d.columns)],
        ['nullsNotDistinct', String(d.nullsNotDistinct)],
      ])
    }
    case 'check': {
      const d = constraint.definition
      return object([
        ['name', optionalString(d.name)],
        ['expression', renderLongString(d.expression)],
      ])
    }
    case 'primaryKey': {
      const d = constraint.definition
      return object([
        ['name', optionalString(d.name)],
        ['columns', names(d.columns)],
      ])
    }
    case 'exclusion':
      return exclusionDefLiteral(constraint.definition)
    default:
      return assertNever(constraint)
  }
}

function foreignKeyLiteral(d: ForeignKeyDef): Doc {
  return object([
    ['name', optionalString(d.name)],
    ['columns', array(d.columns.map(renderString))],
    ['referencedSchema', optionalString(d.referencedSchema)],
    ['referencedTable', renderString(d.referencedTable)],
    ['referencedColumns', array(d.referencedColumns.map(renderString))],
    ['onDelete', optionalString(d.onDelete)],
    ['onUpdate', optionalString(d.onUpdate)],
    ['deferrable', String(d.deferrable)],
    ['initiallyDeferred', String(d.initiallyDeferred)],
  ])
}

function optionalString(value: string | undefined): Doc {
  return value === undefined ? 'undefined' : renderString(value)
}

/** The enum definitions operations carry (created, or dropped with their values). */
export function enumsOfOps(ops: readonly MigrationOp[]): readonly EnumDef[] {
  const out: EnumDef[] = []
  for (const op of ops) {
    if (op.kind === 'createEnum') out.push(op.enum)
    else if (op.kind === 'dropEnum' && op.definition !== undefined) out.push(op.definition)
  }
  return out
}
