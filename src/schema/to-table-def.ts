import { exclusionDef } from './exclusion.ts'
import type { ForeignKeyConstraint } from './foreign-key.ts'
import { type NamingConvention, resolveNamingConvention } from './naming-convention.ts'
import { partitionKeyDef } from './partition-key.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  ColumnDef,
  EnumDef,
  ExclusionDef,
  PartitionKeyDef,
  TableDef,
} from './schema-snapshot.ts'
import { type AnyTable, isTable, qualifiedName, TABLE, type TableExtra } from './table.ts'
import {
  checkColumnTarget,
  columnParts,
  compare,
  foreignKeyOf,
  nameConstraints,
  PASS_THROUGH,
  type PendingCheck,
  type PendingForeignKey,
  type PendingIndex,
  type PendingPrimaryKey,
  type PendingUnique,
  plainEnum,
  type ReferenceResolver,
  type ReferenceSource,
  renderFragment,
  resolveReference,
} from './to-column-def.ts'
import { type ColumnScope, pendingIndex } from './to-index-def.ts'

/** Options of {@link toTableDef}. */
export interface ToTableDefOptions {
  /** Default: `DEFAULT_NAMING_CONVENTION`. */
  readonly namingConvention?: NamingConvention
}

/**
 * Converts one table object into a {@link TableDef}: columns in declaration order, every
 * constraint and index named by the naming convention, each list sorted by name. The
 * `op.createTable(table(...))` facade calls it. References are taken as written (string forms) or
 * resolved through the referenced table object (callback forms); `defineSchema` additionally
 * checks that they point into the model.
 *
 * @example
 * toTableDef(users)
 * toTableDef(users, { namingConvention: { ix: '%(table_name)s_%(column_0_N_name)s_idx' } })
 */
export function toTableDef(table: AnyTable, options: ToTableDefOptions = {}): TableDef {
  if (!isTable(table)) {
    throw new SchemaModelError('INVALID_ARGUMENT', 'toTableDef() needs a table made by table()')
  }
  return buildTableDef(table, resolveNamingConvention(options.namingConvention), PASS_THROUGH)
}

/**
 * The enum types a table's columns use (arrays of enums included), once each, in column order;
 * `op.createTable` may create those that do not exist yet, as Alembic does for `sa.Enum`.
 *
 * @example
 * enumsOfTable(people)   // [{ schema: undefined, name: 'mood', values: ['sad', 'ok', 'happy'] }]
 */
export function enumsOfTable(table: AnyTable): readonly EnumDef[] {
  const seen = new Set<EnumDef>()
  for (const column of table[TABLE].columns) {
    const def = column.builder.state.enum
    if (def !== undefined) seen.add(def)
  }
  return [...seen].map(plainEnum)
}

/** Converts a table with a resolved convention and a reference resolver; shared with models. */
export function buildTableDef(
  table: AnyTable,
  convention: Required<NamingConvention>,
  resolver: ReferenceResolver,
): TableDef {
  const state = table[TABLE]
  const where = qualifiedName(state.schema, state.name)
  const names = new Set(state.columns.map((column) => column.name))
  const scope: ColumnScope = {
    table: where,
    column(reference, what) {
      if (typeof reference === 'string') {
        if (!names.has(reference)) {
          throw new SchemaModelError(
            'UNKNOWN_COLUMN',
            `${what} names column ${reference}, which table ${where} does not have; use a column's database name or t.<column>`,
            { table: where, column: reference },
          )
        }
        return reference
      }
      const target = checkColumnTarget(reference, what, where)
      if (target.table !== state) {
        throw new SchemaModelError(
          'UNKNOWN_COLUMN',
          `${what} names ${qualifiedName(target.table.schema, target.table.name)}.${target.name}, a column of another table; use this table's columns`,
          { table: where, column: target.name },
        )
      }
      return target.name
    },
  }

  let columns: ColumnDef[] = []
  const columnPk: string[] = []
  const foreignKeys: PendingForeignKey[] = []
  const uniques: PendingUnique[] = []
  const checks: PendingCheck[] = []
  const indexes: PendingIndex[] = []
  for (const column of state.columns) {
    const parts = columnParts(column.builder.state, column.name, {
      table: where,
      resolve: (spec) => resolveReference(spec, where, column.name, resolver),
    })
    columns.push(parts.column)
    if (parts.primaryKey) columnPk.push(column.name)
    foreignKeys.push(...parts.foreignKeys)
    uniques.push(...parts.uniques)
    checks.push(...parts.checks)
    indexes.push(...parts.indexes)
  }

  let primaryKey: PendingPrimaryKey | undefined =
    columnPk.length === 0 ? undefined : { explicitName: undefined, columns: columnPk }
  const exclusions: ExclusionDef[] = []
  let partitionKey: PartitionKeyDef | undefined
  for (const extra of callExtras(table, where)) {
    switch (extra.kind) {
      case 'index':
        indexes.push(pendingIndex(extra, scope))
        break
      case 'unique': {
        const what = `unique constraint ${extra.state.name ?? '(unnamed)'} on ${where}`
        if (extra.state.columns.length === 0) throw emptyConstraint(what, where, '.on(...)')
        uniques.push({
          explicitName: extra.state.name,
          columns: extra.state.columns.map((column) => scope.column(column, what)),
          nullsNotDistinct: extra.state.nullsNotDistinct,
        })
        break
      }
      case 'check':
        checks.push({
          explicitName: extra.name,
          expression: renderFragment(extra.expression, where),
          columns: extra.expression.columns(),
        })
        break
      case 'primaryKey': {
        if (primaryKey !== undefined) {
          throw new SchemaModelError(
            'DUPLICATE_PRIMARY_KEY',
            columnPk.length > 0
              ? `table ${where} declares its primary key both on columns (${columnPk.join(', ')}) and with primaryKey(); keep one of them`
              : `table ${where} declares primaryKey() twice; a table has one primary key`,
            { table: where },
          )
        }
        const what = `the primary key of ${where}`
        if (extra.columns.length === 0) throw emptyConstraint(what, where, '{ columns: [...] }')
        primaryKey = {
          explicitName: extra.name,
          columns: extra.columns.map((column) => scope.column(column, what)),
        }
        break
      }
      case 'foreignKey':
        foreignKeys.push(tableForeignKey(extra, where, scope, resolver))
        break
      case 'trigger':
        // Not part of the table's definition: models collect it (code-objects.ts).
        if (typeof extra.name === 'string' && typeof extra.options === 'object') break
        throw notAnExtra(where)
      case 'exclude':
        exclusions.push(exclusionDef(extra, scope))
        break
      case 'partitionBy':
        if (partitionKey !== undefined) {
          throw new SchemaModelError(
            'INVALID_PARTITION',
            `table ${where} declares partitionBy() twice; a table has one partition key`,
            { table: where },
          )
        }
        partitionKey = partitionKeyDef(extra, (column) =>
          scope.column(column, `the partition key of ${where}`),
        )
        break
      default:
        throw notAnExtra(where)
    }
  }

  if (primaryKey !== undefined) {
    // PostgreSQL makes primary key columns NOT NULL whatever the column says; the snapshot says
    // so too, or it would differ from what introspection reads back.
    const keyColumns = new Set(primaryKey.columns)
    columns = columns.map((column) =>
      keyColumns.has(column.name) && column.nullable ? { ...column, nullable: false } : column,
    )
  }

  const named = nameConstraints(
    { primaryKey, foreignKeys, uniques, checks, indexes },
    state.name,
    convention,
  )
  checkUniqueNames(where, [
    ...(named.primaryKey === undefined ? [] : [named.primaryKey.name]),
    ...named.foreignKeys.map((fk) => fk.name),
    ...named.uniques.map((uq) => uq.name),
    ...named.checks.map((ck) => ck.name),
    ...named.indexes.map((ix) => ix.name),
    ...exclusions.map((ex) => ex.name!),
  ])
  exclusions.sort((a, b) => compare(a.name!, b.name!))
  return {
    schema: state.schema,
    name: state.name,
    columns,
    primaryKey: named.primaryKey,
    foreignKeys: named.foreignKeys,
    uniques: named.uniques,
    checks: named.checks,
    indexes: named.indexes,
    comment: state.comment,
    ...(state.engineOptions === undefined ? {} : { engineOptions: state.engineOptions }),
    ...(exclusions.length === 0 ? {} : { exclusions }),
    ...(partitionKey === undefined ? {} : { partitionBy: partitionKey }),
  }
}

/** What a table's extras callback returns, checked to be an array. */
export function callExtras(table: AnyTable, where: string): readonly TableExtra[] {
  const extras = table[TABLE].extras
  if (extras === undefined) return []
  let result: unknown
  try {
    result = (extras as (table: AnyTable) => unknown)(table)
  } catch (cause) {
    if (cause instanceof SchemaModelError) throw cause
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `the extras of table ${where} threw (${cause instanceof Error ? cause.message : String(cause)}); fix the callback`,
      { table: where, cause },
    )
  }
  if (!Array.isArray(result)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `the extras of table ${where} must return an array, like (t) => [index().on(t.email)]`,
      { table: where },
    )
  }
  return result as readonly TableExtra[]
}

function tableForeignKey(
  extra: ForeignKeyConstraint,
  where: string,
  scope: ColumnScope,
  resolver: ReferenceResolver,
): PendingForeignKey {
  const what = `the foreign key ${extra.options.name ?? '(unnamed)'} on ${where}`
  if (extra.columns.length === 0) throw emptyConstraint(what, where, '{ columns: [...] }')
  const columns = extra.columns.map((column) => scope.column(column, what))
  const target = extra.target
  if (target.columns.length !== columns.length) {
    throw new SchemaModelError(
      'INVALID_FOREIGN_KEY',
      `${what} has ${columns.length} columns but ${target.columns.length} foreign columns; list one foreign column per column`,
      { table: where },
    )
  }
  const source: ReferenceSource = { table: where, column: undefined, description: what }
  const resolved =
    target.kind === 'named'
      ? target.columns.map((column) =>
          resolver.named({ schema: target.schema, table: target.table, column }, source),
        )
      : target.columns.map((column) =>
          resolver.column(checkColumnTarget(column, `${what} (foreignColumns)`, where), source),
        )
  const first = resolved[0]!
  if (resolved.some((r) => r.table !== first.table || r.schema !== first.schema)) {
    throw new SchemaModelError(
      'INVALID_FOREIGN_KEY',
      `${what} references columns of several tables; a foreign key's foreign columns belong to one table`,
      { table: where },
    )
  }
  return foreignKeyOf(
    columns,
    first.schema,
    first.table,
    resolved.map((r) => r.column),
    extra.options,
  )
}

function notAnExtra(where: string): SchemaModelError {
  return new SchemaModelError(
    'INVALID_ARGUMENT',
    `the extras of table ${where} returned something that is not an index or constraint; return index(), unique(), check(), primaryKey() or foreignKey() values`,
    { table: where },
  )
}

function emptyConstraint(what: string, table: string, hint: string): SchemaModelError {
  return new SchemaModelError(
    'EMPTY_CONSTRAINT',
    `${what} has no columns; list them with ${hint}`,
    {
      table,
    },
  )
}

/** Two constraints of one table with one name cannot both be created. */
function checkUniqueNames(table: string, names: readonly string[]): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `table ${table} has two constraints or indexes named ${name}; name one of them explicitly`,
        { table },
      )
    }
    seen.add(name)
  }
}
