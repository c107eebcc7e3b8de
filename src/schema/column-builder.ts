import { brand } from './brand.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type {
  ColumnType,
  CompositeTypeDef,
  DomainDef,
  EnumDef,
  IdentityDef,
  LiteralValue,
  ReferentialAction,
} from './schema-snapshot.ts'
import {
  checkSequenceNumbers,
  identityExtras,
  type SequenceNumberOptions,
} from './sequence-numbers.ts'
import { columnSqlPart, SQL_PART, SqlFragment, type SqlInterpolable, type SqlPart } from './sql.ts'

const COLUMNBUILDER_BRAND = brand('ColumnBuilder')

/** The `kind` of a {@link ColumnType}: `'integer'`, `'varchar'`, `'array'`, ... */
export type ColumnKind = ColumnType['kind']

/**
 * What the type system knows about a column builder; every modifier returns a builder whose config
 * says what it changed. `RowOf`, `InsertOf` and `DatabaseOf` read it.
 */
export interface ColumnConfig {
  /** The TypeScript type of a non-null value, as the driver returns it. */
  readonly data: unknown
  /** The column type's kind; `.identity()` is only offered on integer kinds. */
  readonly kind: ColumnKind
  /** True after `.notNull()`, `.primaryKey()`, `.identity()`, and for serial columns. */
  readonly notNull: boolean
  /** True when the database fills the value if an insert omits it (default, identity, serial). */
  readonly hasDefault: boolean
  /** `GENERATED ALWAYS` or `BY DEFAULT AS IDENTITY`; undefined for other columns. */
  readonly identity: 'always' | 'byDefault' | undefined
  /** The database name given to the builder; undefined means "the property key". */
  readonly name: string | undefined
}

/** The config of a fresh builder: nullable, no default, not an identity. */
export interface NewColumnConfig<TData, TKind extends ColumnKind, TName extends string | undefined>
  extends ColumnConfig {
  readonly data: TData
  readonly kind: TKind
  readonly notNull: false
  readonly hasDefault: false
  readonly identity: undefined
  readonly name: TName
}

/** `C` with the properties of `U` replaced; a mapped type, so editors show it flat. */
export type WithConfig<C extends ColumnConfig, U> = {
  readonly [K in keyof C]: K extends keyof U ? U[K] : C[K]
}

/** A table as far as a column reference needs to know it: its name and schema. */
export interface TableIdentity {
  readonly name: string
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
}

/**
 * A column bound to a table (`users.id`, `t.email`): what `.references()` and `foreignKey()` point
 * at. Table columns implement it.
 */
export interface ColumnTarget {
  /** The column's database name. */
  readonly name: string
  /** The table that holds the column. */
  readonly table: TableIdentity
}

/** Options of a foreign key; every one may be omitted. */
export interface ReferenceOptions {
  /** `ON DELETE` action; default: none given (the database's `no action`). */
  readonly onDelete?: ReferentialAction
  /** `ON UPDATE` action; default: none given (the database's `no action`). */
  readonly onUpdate?: ReferentialAction
  /** `DEFERRABLE`; default false, or true when `initiallyDeferred` is true. */
  readonly deferrable?: boolean
  /** `INITIALLY DEFERRED`; default false. Implies `deferrable`. */
  readonly initiallyDeferred?: boolean
  /** The constraint's name; default: the naming convention's `fk`. */
  readonly name?: string
}

/** Where a column-level foreign key points: a callback returning a table column, or names. */
export type ReferenceTarget =
  | { readonly kind: 'column'; readonly target: () => ColumnTarget }
  | {
      readonly kind: 'named'
      readonly schema: string | undefined
      readonly table: string
      readonly column: string
    }

/** One `.references()` of a column builder. */
export interface ReferenceSpec {
  readonly target: ReferenceTarget
  readonly options: ReferenceOptions
}

/** The column a column-level check may name: renders as the column's own name in `sql`. */
export interface SelfColumn extends SqlInterpolable {
  /** The column's database name. */
  readonly name: string
}

/** One `.check()` of a column builder. */
export interface CheckSpec {
  readonly name: string
  readonly expression: SqlFragment | ((column: SelfColumn) => SqlFragment)
}

/** A column default as the builder holds it: a literal, or a fragment rendered at conversion. */
export type DefaultSpec =
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'sql'; readonly fragment: SqlFragment }

/** Options of a column-level unique constraint. */
export interface UniqueOptions {
  /** The constraint's name; default: the naming convention's `uq` (or `ix` with `.index()`). */
  readonly name?: string
  /** PostgreSQL 15+ `NULLS NOT DISTINCT`: at most one row may be null; default false. */
  readonly nullsNotDistinct?: boolean
}

/** Options of `.identity()`: the sequence's options besides `always`. */
export interface IdentityOptions extends SequenceNumberOptions {
  /** `GENERATED ALWAYS` (inserts may not supply a value); default false: `BY DEFAULT`. */
  readonly always?: boolean
}

/** Everything a column builder holds, as plain readonly data; converters read it. */
export interface ColumnState {
  readonly name: string | undefined
  readonly type: ColumnType
  readonly notNull: boolean
  readonly primaryKey: boolean
  readonly default: DefaultSpec | undefined
  readonly identity: IdentityDef | undefined
  readonly serial: boolean
  readonly unique:
    | { readonly name: string | undefined; readonly nullsNotDistinct: boolean }
    | undefined
  readonly index: { readonly name: string | undefined } | undefined
  readonly references: readonly ReferenceSpec[]
  readonly checks: readonly CheckSpec[]
  readonly comment: string | undefined
  /** The enum the column's type (or its array element type) uses, for collection by models. */
  readonly enum: EnumDef | undefined
  /** `GENERATED ALWAYS AS (expression) STORED`; absent: an ordinary column. */
  readonly generated?: SqlFragment
  /** `COLLATE`: a collation name; absent: the type's default. */
  readonly collation?: string
  /** The domain or composite type the column's type is, for collection by models; absent: none. */
  readonly typeObject?: TypeObject
}

/**
 * A domain or composite type a column (or a composite attribute) is declared with, and the
 * columns states its own definition was built from, so that models collect what it uses in turn.
 */
export type TypeObject =
  | {
      readonly kind: 'domain'
      readonly def: DomainDef
      readonly uses: readonly ColumnState[]
    }
  | {
      readonly kind: 'composite'
      readonly def: CompositeTypeDef
      readonly uses: readonly ColumnState[]
    }

const INTEGER_KINDS: ReadonlySet<ColumnKind> = new Set(['smallint', 'integer', 'bigint'])
const REFERENTIAL_ACTIONS: ReadonlySet<string> = new Set([
  'no action',
  'restrict',
  'cascade',
  'set null',
  'set default',
])

/** The kinds `.identity()` accepts. */
export type IntegerKind = 'smallint' | 'integer' | 'bigint'

/**
 * A column declaration: its type and modifiers, immutable. Every modifier returns a new builder
 * whose type parameter records what changed (nullability, default, identity, TypeScript type), so
 * `RowOf`, `InsertOf` and `DatabaseOf` can derive row types from a table.
 *
 * Builders come from the type functions (`integer()`, `varchar(255)`, `timestamptz()`, ...); a
 * builder is bound to a name by the key it has in `table(name, { key: builder })`, unless it was
 * given a database name (`text('hashed_password')`).
 *
 * @example
 * email: varchar(255).notNull().unique()
 * createdAt: timestamptz('created_at').notNull().default(sql`now()`)
 */
export class ColumnBuilder<C extends ColumnConfig = ColumnConfig> implements SqlInterpolable {
  /** Answers `instanceof` across copies of aludel (see brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return COLUMNBUILDER_BRAND.has(value)
  }

  /** The brand `instanceof` checks. */
  readonly [COLUMNBUILDER_BRAND.symbol] = true

  /** Type-level only: what the builder's modifiers recorded. Absent at run time. */
  declare readonly '~config': C
  /** The builder's data; read it through `toColumnDef`, not directly. */
  readonly state: ColumnState

  constructor(state: ColumnState) {
    this.state = Object.freeze(state)
  }

  #with<D extends ColumnConfig>(patch: Partial<ColumnState>): ColumnBuilder<D> {
    return new ColumnBuilder<D>({ ...this.state, ...patch })
  }

  /** `NOT NULL`. Without it a column is nullable and its row type includes `null`. */
  notNull(): ColumnBuilder<WithConfig<C, { notNull: true }>> {
    return this.#with({ notNull: true })
  }

  /**
   * Makes the column (part of) the primary key, which implies `NOT NULL`. Several columns marked
   * this way form one composite key, in column order; use the table-level `primaryKey()` to
   * choose another order or a name.
   */
  primaryKey(): ColumnBuilder<WithConfig<C, { notNull: true }>> {
    return this.#with({ notNull: true, primaryKey: true })
  }

  /**
   * `GENERATED BY DEFAULT AS IDENTITY` (or `ALWAYS` with `{ always: true }`): the database numbers
   * the rows. Only for smallint, integer and bigint columns, and not with `.default()`; implies
   * `NOT NULL` like PostgreSQL does.
   *
   * @example
   * id: integer().primaryKey().identity()
   * id: bigint({ mode: 'number' }).primaryKey().identity({ always: true, start: 1000 })
   */
  identity<const O extends IdentityOptions = { readonly always: false }>(
    this: ColumnBuilder<C & { readonly kind: IntegerKind; readonly hasDefault: false }>,
    options?: O,
  ): ColumnBuilder<
    WithConfig<
      C,
      {
        notNull: true
        hasDefault: true
        identity: O extends { readonly always: true } ? 'always' : 'byDefault'
      }
    >
  > {
    const state = this.state
    if (!INTEGER_KINDS.has(state.type.kind)) {
      throw new SchemaModelError(
        'IDENTITY_NOT_INTEGER',
        `.identity() needs a smallint, integer or bigint column, not ${describeType(state.type)}; change the column type or drop .identity()`,
        { column: state.name },
      )
    }
    if (state.default !== undefined || state.serial) {
      throw identityWithDefault(state)
    }
    if (state.generated !== undefined) throw generatedWithDefault(state)
    const always = options?.always ?? false
    const start = options?.start
    const increment = options?.increment
    for (const [key, value] of [
      ['start', start],
      ['increment', increment],
    ] as const) {
      if (value !== undefined && !Number.isSafeInteger(value)) {
        throw new SchemaModelError(
          'INVALID_ARGUMENT',
          `.identity({ ${key}: ${String(value)} }) must be an integer`,
          { column: state.name },
        )
      }
    }
    if (increment === 0) {
      throw new SchemaModelError('INVALID_ARGUMENT', '.identity({ increment: 0 }) must not be 0', {
        column: state.name,
      })
    }
    const kind = state.type.kind as IntegerKind
    const what = `the identity of column ${state.name ?? '(unnamed)'}`
    checkSequenceNumbers(kind, { ...options, start, increment }, what)
    const extras = identityExtras(kind, options ?? {}, what)
    return this.#with({
      notNull: true,
      identity: Object.freeze({ always, start, increment, ...extras }),
    })
  }

  /**
   * The value the database stores when an insert omits the column: a JavaScript value of the
   * column's type (rendered as a literal by the dialect) or an `sql` fragment. Makes the column
   * optional in `InsertOf` and `Generated` in `DatabaseOf`. Not for identity or serial columns,
   * whose sequence is their default, and only once.
   *
   * @example
   * isActive: boolean('is_active').notNull().default(true)
   * createdAt: timestamptz('created_at').notNull().default(sql`now()`)
   * id: uuid().primaryKey().default(sql`gen_random_uuid()`)
   */
  default(
    this: ColumnBuilder<C & { readonly identity: undefined; readonly hasDefault: false }>,
    value: C['data'] | SqlFragment,
  ): ColumnBuilder<WithConfig<C, { hasDefault: true }>> {
    const state = this.state
    if (state.identity !== undefined) throw identityWithDefault(state)
    if (state.serial) {
      throw new SchemaModelError(
        'SERIAL_WITH_DEFAULT',
        `a serial column's default is its sequence, so .default() cannot be added${at(state)}; use integer().default(...) instead`,
        { column: state.name },
      )
    }
    if (state.generated !== undefined) throw generatedWithDefault(state)
    const spec: DefaultSpec =
      value instanceof SqlFragment
        ? { kind: 'sql', fragment: value }
        : { kind: 'literal', value: literalDefault(value, state) }
    return this.#with({ default: Object.freeze(spec) })
  }

  /**
   * A single-column unique constraint (named by the convention's `uq` unless a name is given).
   * Together with `.index()` it becomes one unique index instead, as SQLAlchemy does for
   * `unique=True, index=True`.
   *
   * @example
   * email: varchar(255).notNull().unique()
   * code: text().unique({ name: 'uq_code', nullsNotDistinct: true })
   */
  unique(nameOrOptions?: string | UniqueOptions): ColumnBuilder<C> {
    const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions
    return this.#with({
      unique: {
        name: options?.name,
        nullsNotDistinct: options?.nullsNotDistinct ?? false,
      },
    })
  }

  /**
   * A plain single-column index (named by the convention's `ix` unless a name is given); with
   * `.unique()`, one unique index. Use the table-level `index()` for expressions, ordering,
   * partial or multi-column indexes.
   */
  index(name?: string): ColumnBuilder<C> {
    return this.#with({ index: { name } })
  }

  /**
   * A foreign key from this column to a column of another (or the same) table. The callback form
   * is evaluated only when the schema is converted, so tables may reference each other in any
   * order; the string form (`'users', 'id'` or `'auth.users', 'id'`) needs no import, for
   * migrations that do not load the models. A table that references itself (or two tables that
   * reference each other) must spell out the callback's return type, `(): ColumnTarget =>`, or
   * TypeScript cannot type the table, whose type would depend on itself.
   *
   * @example
   * ownerId: integer('owner_id').references(() => users.id, { onDelete: 'cascade' })
   * ownerId: integer('owner_id').references('auth.users', 'id')
   * parentId: integer('parent_id').references((): ColumnTarget => categories.id)
   */
  references(target: () => ColumnTarget, options?: ReferenceOptions): ColumnBuilder<C>
  references(table: string, column: string, options?: ReferenceOptions): ColumnBuilder<C>
  references(
    target: (() => ColumnTarget) | string,
    columnOrOptions?: string | ReferenceOptions,
    maybeOptions?: ReferenceOptions,
  ): ColumnBuilder<C> {
    let spec: ReferenceSpec
    if (typeof target === 'function') {
      const options = typeof columnOrOptions === 'object' ? columnOrOptions : {}
      spec = { target: { kind: 'column', target }, options: checkReferenceOptions(options) }
    } else {
      if (typeof columnOrOptions !== 'string' || columnOrOptions === '' || target === '') {
        throw new SchemaModelError(
          'INVALID_ARGUMENT',
          `.references('${target}', ...) needs a table and a column name, like .references('users', 'id')`,
          { column: this.state.name },
        )
      }
      const dot = target.indexOf('.')
      spec = {
        target: {
          kind: 'named',
          schema: dot < 0 ? undefined : normalizeSchema(target.slice(0, dot)),
          table: dot < 0 ? target : target.slice(dot + 1),
          column: columnOrOptions,
        },
        options: checkReferenceOptions(maybeOptions ?? {}),
      }
    }
    return this.#with({ references: Object.freeze([...this.state.references, spec]) })
  }

  /**
   * A check constraint on this column. `name` fills the naming convention's
   * `%(constraint_name)s` (default result: `ck_<table>_<name>`). The expression may be a
   * fragment, or a function that receives the column itself so it can name it.
   *
   * @example
   * price: numeric(10, 2).check('price_positive', (price) => sql`${price} > 0`)
   */
  check(
    name: string,
    expression: SqlFragment | ((column: SelfColumn) => SqlFragment),
  ): ColumnBuilder<C> {
    if (name === '') {
      throw new SchemaModelError('INVALID_NAME', '.check() needs a non-empty name', {
        column: this.state.name,
      })
    }
    return this.#with({
      checks: Object.freeze([...this.state.checks, Object.freeze({ name, expression })]),
    })
  }

  /** `COMMENT ON COLUMN`: documentation stored in the database. */
  comment(text: string): ColumnBuilder<C> {
    return this.#with({ comment: text })
  }

  /**
   * `GENERATED ALWAYS AS (expression) STORED`: the database computes the column from other columns
   * of its row on every insert and update (manual, 5.4 "Generated Columns"); inserts and updates
   * may not set it, so `DatabaseOf` types it `GeneratedAlways`. Not with `.default()`,
   * `.identity()` or a serial type. The expression names columns by their database names.
   *
   * @example
   * fullName: text('full_name').generatedAs(sql`first_name || ' ' || last_name`)
   */
  generatedAs(
    this: ColumnBuilder<C & { readonly identity: undefined; readonly hasDefault: false }>,
    expression: SqlFragment,
  ): ColumnBuilder<WithConfig<C, { hasDefault: true; identity: 'always' }>> {
    const state = this.state
    if (!(expression instanceof SqlFragment)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `.generatedAs() needs an sql fragment, like sql\`price * quantity\`${at(state)}`,
        { column: state.name },
      )
    }
    if (state.default !== undefined || state.identity !== undefined || state.serial) {
      throw generatedWithDefault(state)
    }
    return this.#with({ generated: expression })
  }

  /**
   * `COLLATE name`: the collation that sorts and compares the column's text (`'C'` for byte
   * order, `'und-x-icu'`) instead of its type's default (manual, 24.2 "Collation Support").
   *
   * @example
   * code: text().collate('C')
   */
  collate(name: string): ColumnBuilder<C> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `.collate() needs a collation name${at(this.state)}`,
        { column: this.state.name },
      )
    }
    return this.#with({ collation: name })
  }

  /**
   * Makes the column an array of its type (`integer[]`); apply twice for two dimensions. Call it
   * before `.default()`, whose value must then be an array.
   *
   * @example
   * tags: text().array().notNull().default([])
   */
  array(
    this: ColumnBuilder<C & { readonly hasDefault: false }>,
  ): ColumnBuilder<WithConfig<C, { data: C['data'][]; kind: 'array' }>> {
    const state = this.state
    if (state.default !== undefined || state.identity !== undefined || state.serial) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `.array() must come before .default() and cannot apply to identity or serial columns${at(state)}`,
        { column: state.name },
      )
    }
    return this.#with({ type: Object.freeze({ kind: 'array', element: state.type }) })
  }

  /**
   * Narrows (or replaces) the column's TypeScript type without changing the database type; for
   * branded ids or string unions kept in a text column.
   *
   * @example
   * status: text().notNull().$type<'draft' | 'published'>()
   */
  $type<T>(): ColumnBuilder<WithConfig<C, { data: T }>> {
    return this.#with({})
  }

  /** Renders the builder's database name in an `sql` fragment; a builder without one cannot. */
  [SQL_PART](): SqlPart {
    if (this.state.name === undefined) {
      throw new SchemaModelError(
        'UNNAMED_COLUMN',
        'an sql fragment interpolates a column builder that has no name; interpolate the table column (t.email) or give the builder a name',
      )
    }
    return columnSqlPart(this.state.name)
  }
}

/** A fresh builder's type: what the column type functions return. */
export type NewColumn<
  TData,
  TKind extends ColumnKind,
  TName extends string | undefined,
> = ColumnBuilder<NewColumnConfig<TData, TKind, TName>>

/**
 * Checks a type argument (a length, a precision) is an integer within `min..max`; undefined
 * passes, meaning "the database's default".
 */
export function checkTypeArgument(
  what: string,
  value: number | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `${what} must be a whole number from ${min} to ${max}, not ${String(value)}`,
    )
  }
  return value
}

/** The state of a fresh builder of the given type. */
export function newColumnState(
  name: string | undefined,
  type: ColumnType,
  extra: Partial<ColumnState> = {},
): ColumnState {
  if (name === '') {
    throw new SchemaModelError(
      'INVALID_NAME',
      'a column name must not be empty; omit it to use the property key',
    )
  }
  return {
    name,
    type: Object.freeze(type),
    notNull: false,
    primaryKey: false,
    default: undefined,
    identity: undefined,
    serial: false,
    unique: undefined,
    index: undefined,
    references: [],
    checks: [],
    comment: undefined,
    enum: undefined,
    ...extra,
  }
}

/** Maps `'public'` to undefined: the default schema is spelled the same way everywhere. */
export function normalizeSchema(schema: string | undefined): string | undefined {
  if (schema === '') {
    throw new SchemaModelError(
      'INVALID_NAME',
      "a schema name must not be empty; omit it for the default schema ('public')",
    )
  }
  return schema === 'public' ? undefined : schema
}

/** A type as a reader would write it, for messages: `text`, `varchar(255)`, `integer[]`. */
export function describeType(type: ColumnType): string {
  switch (type.kind) {
    case 'array':
      return `${describeType(type.element)}[]`
    case 'varchar':
    case 'char':
      return type.length === undefined ? type.kind : `${type.kind}(${type.length})`
    case 'enum':
      return `enum ${type.name}`
    case 'custom':
      return type.sql
    default:
      return type.kind
  }
}

function at(state: ColumnState): string {
  return state.name === undefined ? '' : ` (column ${state.name})`
}

function generatedWithDefault(state: ColumnState): SchemaModelError {
  return new SchemaModelError(
    'GENERATED_WITH_DEFAULT',
    `a generated column is computed from its expression, so it cannot also have a default, be an identity or serial${at(state)}; keep one of them`,
    { column: state.name },
  )
}

function identityWithDefault(state: ColumnState): SchemaModelError {
  return new SchemaModelError(
    'IDENTITY_WITH_DEFAULT',
    `an identity column gets its values from its sequence, so it cannot also have a default or be serial${at(state)}; keep one of them`,
    { column: state.name },
  )
}

function literalDefault(value: unknown, state: ColumnState): LiteralValue {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new SchemaModelError(
      'INVALID_DEFAULT',
      `.default() needs a value of the column's type or an sql fragment, not ${typeof value}${at(state)}`,
      { column: state.name },
    )
  }
  const enumDef = state.type.kind === 'enum' ? state.enum : undefined
  if (enumDef !== undefined && !enumDef.values.includes(value as string)) {
    throw new SchemaModelError(
      'INVALID_DEFAULT',
      `.default(${JSON.stringify(value)}) is not a value of enum ${enumDef.name} (${enumDef.values.join(', ')})${at(state)}`,
      { column: state.name },
    )
  }
  try {
    // A copy, so that mutating the object the model was given cannot change the schema.
    return structuredClone(value) as LiteralValue
  } catch (cause) {
    throw new SchemaModelError(
      'INVALID_DEFAULT',
      `.default() value cannot be copied as plain data${at(state)}; use plain objects, arrays, dates and primitives, or an sql fragment`,
      { column: state.name, cause },
    )
  }
}

/**
 * Validates foreign key options (known actions, deferrable with initiallyDeferred) and freezes
 * them.
 */
export function checkReferenceOptions(options: ReferenceOptions): ReferenceOptions {
  for (const key of ['onDelete', 'onUpdate'] as const) {
    const action = options[key]
    if (action !== undefined && !REFERENTIAL_ACTIONS.has(action)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `${key}: '${String(action)}' is not a referential action; use one of ${[...REFERENTIAL_ACTIONS].map((a) => `'${a}'`).join(', ')}`,
      )
    }
  }
  if (options.deferrable === false && options.initiallyDeferred === true) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      'a foreign key cannot be initiallyDeferred without being deferrable; drop deferrable: false',
    )
  }
  if (options.name === '') {
    throw new SchemaModelError(
      'INVALID_NAME',
      'a foreign key name must not be empty; omit it to use the naming convention',
    )
  }
  return Object.freeze({ ...options })
}
