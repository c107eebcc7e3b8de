import {
  ColumnBuilder,
  type ColumnState,
  type ColumnTarget,
  normalizeSchema,
  type ReferenceOptions,
  type ReferenceSpec,
  type SelfColumn,
} from './column-builder.ts'
import {
  conventionName,
  type NamingConvention,
  resolveNamingConvention,
} from './naming-convention.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  CheckDef,
  ColumnDef,
  EnumDef,
  ForeignKeyDef,
  IndexDef,
  PrimaryKeyDef,
  UniqueDef,
} from './schema-snapshot.ts'
import { columnSqlPart, SQL_PART, SqlFragment } from './sql.ts'

/**
 * A column as the operations layer needs it: its {@link ColumnDef} and the constraints and
 * indexes its modifiers imply, each named by the naming convention. What `op.addColumn` turns
 * into an `AddColumnOp` followed by the ops that add the rest.
 */
export interface ColumnDefinition {
  readonly column: ColumnDef
  /** From `.primaryKey()`: a one-column primary key. */
  readonly primaryKey: PrimaryKeyDef | undefined
  /** From `.references()`. */
  readonly foreignKeys: readonly ForeignKeyDef[]
  /** From `.unique()` without `.index()`. */
  readonly uniques: readonly UniqueDef[]
  /** From `.check()`. */
  readonly checks: readonly CheckDef[]
  /** From `.index()` (unique when `.unique()` is also given). */
  readonly indexes: readonly IndexDef[]
  /** The enum the column's type uses, which must exist before the column; empty if none. */
  readonly enums: readonly EnumDef[]
}

/** Options of {@link toColumnDef}. */
export interface ToColumnDefOptions {
  /** The table the column is added to; names constraints. */
  readonly table: string
  /** The table's schema; default: the default schema (`public`). */
  readonly schema?: string
  /**
   * The column's database name, when the builder has none (`op.addColumn('users', 'email', ...)`).
   */
  readonly name?: string
  /** Default: {@link DEFAULT_NAMING_CONVENTION}. */
  readonly namingConvention?: NamingConvention
}

/**
 * Converts one column builder into a {@link ColumnDef} plus the constraints it implies, named by
 * the naming convention; the `op.addColumn` facade calls it. String references
 * (`.references('users', 'id')`) are taken as written; callback references are resolved through
 * the referenced table object.
 *
 * @example
 * toColumnDef(integer().references('users', 'id').index(), { table: 'items', name: 'owner_id' })
 * // { column: { name: 'owner_id', type: { kind: 'integer' }, ... },
 * //   foreignKeys: [{ name: 'fk_items_owner_id_users', ... }],
 * //   indexes: [{ name: 'ix_items_owner_id', ... }], ... }
 */
export function toColumnDef(builder: ColumnBuilder, options: ToColumnDefOptions): ColumnDefinition {
  if (!(builder instanceof ColumnBuilder)) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      'toColumnDef() needs a column builder, such as text() or integer().notNull()',
    )
  }
  const name = builder.state.name ?? options.name
  const schema = normalizeSchema(options.schema)
  const where = qualified(schema, options.table)
  if (name === undefined) {
    throw new SchemaModelError(
      'UNNAMED_COLUMN',
      `a column added to ${where} needs a name; pass it, or give the builder one (text('email'))`,
      { table: where },
    )
  }
  if (builder.state.name !== undefined && options.name !== undefined && options.name !== name) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `the column is named both '${options.name}' and '${builder.state.name}' (by its builder); keep one`,
      { table: where, column: name },
    )
  }
  const convention = resolveNamingConvention(options.namingConvention)
  const parts = columnParts(builder.state, name, {
    table: where,
    resolve: (spec) => resolveReference(spec, where, name, PASS_THROUGH),
  })
  const named = nameConstraints(
    {
      primaryKey: parts.primaryKey ? { explicitName: undefined, columns: [name] } : undefined,
      foreignKeys: parts.foreignKeys,
      uniques: parts.uniques,
      checks: parts.checks,
      indexes: parts.indexes,
    },
    options.table,
    convention,
  )
  return {
    column: parts.column,
    primaryKey: named.primaryKey,
    foreignKeys: named.foreignKeys,
    uniques: named.uniques,
    checks: named.checks,
    indexes: named.indexes,
    enums: builder.state.enum === undefined ? [] : [plainEnum(builder.state.enum)],
  }
}

// ---------------------------------------------------------------------------------------------
// Shared with toTableDef: constraints before naming, and the naming step.
// ---------------------------------------------------------------------------------------------

/** A constraint or index before the naming convention gives it its final name. */
type Pending<T extends { readonly name: unknown }> = Omit<T, 'name'> & {
  /** The name given in the model, if any. */
  readonly explicitName: string | undefined
}

/** A foreign key before naming. */
export type PendingForeignKey = Pending<ForeignKeyDef>
/** A unique constraint before naming. */
export type PendingUnique = Pending<UniqueDef>
/** A check constraint before naming; `columns` feed the convention's column tokens. */
export type PendingCheck = Pending<CheckDef> & { readonly columns: readonly string[] }
/**
 * An index before naming; `columns` (element columns, or those an expression names) feed tokens.
 */
export type PendingIndex = Pending<IndexDef> & { readonly columns: readonly string[] }
/** A primary key before naming. */
export type PendingPrimaryKey = Pending<PrimaryKeyDef>

/** A table's (or a column's) constraints and indexes before naming. */
export interface PendingConstraints {
  readonly primaryKey: PendingPrimaryKey | undefined
  readonly foreignKeys: readonly PendingForeignKey[]
  readonly uniques: readonly PendingUnique[]
  readonly checks: readonly PendingCheck[]
  readonly indexes: readonly PendingIndex[]
}

/** A definition whose name the convention has filled in. */
export type Named<T> = T & { readonly name: string }

/** The same, named, each list sorted by name so that snapshots are deterministic. */
export interface NamedConstraints {
  readonly primaryKey: Named<PrimaryKeyDef> | undefined
  readonly foreignKeys: readonly Named<ForeignKeyDef>[]
  readonly uniques: readonly Named<UniqueDef>[]
  readonly checks: readonly Named<CheckDef>[]
  readonly indexes: readonly IndexDef[]
}

/** What a column-level reference resolves to. */
export interface ResolvedReference {
  readonly schema: string | undefined
  readonly table: string
  readonly column: string
}

/**
 * Resolves references: against a whole model (`defineSchema`, which checks the target exists) or
 * as written (`toTableDef`, `toColumnDef`).
 */
export interface ReferenceResolver {
  /** A column returned by a `.references()` callback or listed in `foreignColumns`. */
  column(target: ColumnTarget, source: ReferenceSource): ResolvedReference
  /** A table and column named by strings. */
  named(reference: ResolvedReference, source: ReferenceSource): ResolvedReference
}

/**
 * Where a reference is made, for messages: the table, the column if column-level, a description.
 */
export interface ReferenceSource {
  /** The referencing table, schema-qualified. */
  readonly table: string
  /** The referencing column (column-level references only). */
  readonly column: string | undefined
  /** `items.owner_id`, or `the foreign key fk_x on items`. */
  readonly description: string
}

/** Takes every reference as written: the resolver of the stand-alone conversions. */
export const PASS_THROUGH: ReferenceResolver = {
  column: (target) => ({
    schema: target.table.schema,
    table: target.table.name,
    column: target.name,
  }),
  named: (reference) => reference,
}

/** The column's definition and its column-level constraints, before naming. */
export interface ColumnParts {
  readonly column: ColumnDef
  readonly primaryKey: boolean
  readonly foreignKeys: readonly PendingForeignKey[]
  readonly uniques: readonly PendingUnique[]
  readonly checks: readonly PendingCheck[]
  readonly indexes: readonly PendingIndex[]
}

/** Converts a column's state, given its database name; the table-independent half of the work. */
export function columnParts(
  state: ColumnState,
  name: string,
  context: {
    readonly table: string
    readonly resolve: (spec: ReferenceSpec) => ResolvedReference
  },
): ColumnParts {
  const column: ColumnDef = {
    name,
    type: state.type,
    nullable: !state.notNull,
    default:
      state.default === undefined
        ? undefined
        : state.default.kind === 'literal'
          ? { kind: 'literal', value: structuredClone(state.default.value) }
          : { kind: 'sql', sql: renderFragment(state.default.fragment, context.table, name) },
    identity: state.identity,
    serial: state.serial,
    comment: state.comment,
    ...(state.generated === undefined
      ? {}
      : { generated: renderFragment(state.generated, context.table, name) }),
    ...(state.collation === undefined ? {} : { collation: state.collation }),
  }
  const foreignKeys = state.references.map((spec) => {
    const target = context.resolve(spec)
    return foreignKeyOf([name], target.schema, target.table, [target.column], spec.options)
  })
  const uniques: PendingUnique[] = []
  const indexes: PendingIndex[] = []
  if (state.index !== undefined) {
    indexes.push({
      explicitName: state.index.name ?? state.unique?.name,
      elements: [
        {
          column: name,
          expression: undefined,
          order: undefined,
          nulls: undefined,
          opclass: undefined,
        },
      ],
      unique: state.unique !== undefined,
      method: undefined,
      where: undefined,
      include: [],
      columns: [name],
    })
  } else if (state.unique !== undefined) {
    uniques.push({
      explicitName: state.unique.name,
      columns: [name],
      nullsNotDistinct: state.unique.nullsNotDistinct,
    })
  }
  const self: SelfColumn = { name, [SQL_PART]: () => columnSqlPart(name) }
  const checks = state.checks.map((spec): PendingCheck => {
    const fragment = typeof spec.expression === 'function' ? spec.expression(self) : spec.expression
    if (!(fragment instanceof SqlFragment)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `check '${spec.name}' on ${context.table}.${name} must be an sql fragment, or a function returning one`,
        { table: context.table, column: name },
      )
    }
    return {
      explicitName: spec.name,
      expression: renderFragment(fragment, context.table, name),
      columns: [name],
    }
  })
  return { column, primaryKey: state.primaryKey, foreignKeys, uniques, checks, indexes }
}

/** A foreign key before naming, with its options' defaults filled in. */
export function foreignKeyOf(
  columns: readonly string[],
  referencedSchema: string | undefined,
  referencedTable: string,
  referencedColumns: readonly string[],
  options: ReferenceOptions,
): PendingForeignKey {
  return {
    explicitName: options.name,
    columns,
    referencedSchema,
    referencedTable,
    referencedColumns,
    onDelete: options.onDelete,
    onUpdate: options.onUpdate,
    deferrable: options.deferrable ?? options.initiallyDeferred ?? false,
    initiallyDeferred: options.initiallyDeferred ?? false,
  }
}

/**
 * Resolves one `.references()`: calls the callback (a reference to a table not yet initialized
 * throws there) and checks it returned a table column.
 */
export function resolveReference(
  spec: ReferenceSpec,
  table: string,
  column: string,
  resolver: ReferenceResolver,
): ResolvedReference {
  const where = `${table}.${column}`
  const source: ReferenceSource = { table, column, description: where }
  if (spec.target.kind === 'named') {
    return resolver.named(
      { schema: spec.target.schema, table: spec.target.table, column: spec.target.column },
      source,
    )
  }
  let target: unknown
  try {
    target = spec.target.target()
  } catch (cause) {
    throw new SchemaModelError(
      'UNRESOLVED_REFERENCE',
      `the .references() callback of ${where} threw (${cause instanceof Error ? cause.message : String(cause)}); make sure it returns a column of a declared table, like () => users.id`,
      { table, column, cause },
    )
  }
  return resolver.column(
    checkColumnTarget(target, `the .references() callback of ${where}`, table, column),
    source,
  )
}

/** Checks a value is a table column (`users.id`), as references and foreign keys require. */
export function checkColumnTarget(
  value: unknown,
  what: string,
  table: string,
  column?: string,
): ColumnTarget {
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof ColumnBuilder) &&
    typeof (value as ColumnTarget).name === 'string' &&
    typeof (value as ColumnTarget).table === 'object' &&
    typeof (value as ColumnTarget).table?.name === 'string'
  ) {
    return value as ColumnTarget
  }
  const got =
    value instanceof ColumnBuilder
      ? 'a column builder that belongs to no table'
      : value === undefined
        ? 'undefined (a misspelled column?)'
        : typeof value
  throw new SchemaModelError(
    'UNRESOLVED_REFERENCE',
    `${what} gave ${got}; reference a column of a declared table, like users.id`,
    { table, column },
  )
}

/**
 * Names every pending constraint and index with the convention and sorts each list by name. A
 * primary key never has a name clash, so only the lists are sorted.
 */
export function nameConstraints(
  pending: PendingConstraints,
  table: string,
  convention: Required<NamingConvention>,
): NamedConstraints {
  const byName = <T extends { readonly name: string }>(items: T[]): T[] =>
    items.sort((a, b) => compare(a.name, b.name))
  const pk = pending.primaryKey
  return {
    primaryKey:
      pk === undefined
        ? undefined
        : {
            name: conventionName(convention, {
              kind: 'pk',
              table,
              columns: pk.columns,
              name: pk.explicitName,
            }),
            columns: pk.columns,
          },
    foreignKeys: byName(
      pending.foreignKeys.map(({ explicitName, ...fk }) => ({
        name: conventionName(convention, {
          kind: 'fk',
          table,
          columns: fk.columns,
          referredTable: fk.referencedTable,
          referredColumns: fk.referencedColumns,
          name: explicitName,
        }),
        ...fk,
      })),
    ),
    uniques: byName(
      pending.uniques.map(({ explicitName, ...uq }) => ({
        name: conventionName(convention, {
          kind: 'uq',
          table,
          columns: uq.columns,
          name: explicitName,
        }),
        ...uq,
      })),
    ),
    checks: byName(
      pending.checks.map(({ explicitName, columns, ...ck }) => ({
        name: conventionName(convention, { kind: 'ck', table, columns, name: explicitName }),
        ...ck,
      })),
    ),
    indexes: byName(
      pending.indexes.map(({ explicitName, columns, ...ix }) => ({
        name: conventionName(convention, { kind: 'ix', table, columns, name: explicitName }),
        ...ix,
      })),
    ),
  }
}

/** Renders a fragment, attributing a failure (an unnamed builder inside it) to the column. */
export function renderFragment(fragment: SqlFragment, table: string, column?: string): string {
  try {
    return fragment.toSql()
  } catch (error) {
    if (error instanceof SchemaModelError) {
      throw new SchemaModelError(
        error.code,
        `${column === undefined ? table : `${table}.${column}`}: ${error.message}`,
        { table, column, cause: error },
      )
    }
    throw error
  }
}

/** An enum as plain data, detached from the enum type function. */
export function plainEnum(def: EnumDef): EnumDef {
  return { schema: def.schema, name: def.name, values: [...def.values] }
}

/** Code-point order, independent of the process locale, so every machine sorts alike. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}
