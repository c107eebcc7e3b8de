import type { ColumnDef, ColumnDefault, ColumnType } from '../schema/schema-snapshot.ts'
import type { RenderContext } from './render-context.ts'
import { call, chain, type Doc, method, object } from './render-layout.ts'
import { isVerbatimTemplateText, renderLiteral, renderString } from './render-value.ts'

/**
 * Column builders (`varchar(255).notNull().default('x')`) and `sql` fragments, as the model DSL
 * spells them, for migrations and for models.
 */

/** How a column is placed where it is rendered. */
export interface ColumnPlacement {
  /**
   * The builder's database-name argument (`text('hashed_password')`); undefined when the name is
   * the property key or is given beside the builder (`op.addColumn('users', 'bio', text())`).
   */
  readonly nameArgument: string | undefined
  /** `.primaryKey()`, which also makes `.notNull()` unnecessary. */
  readonly primaryKey: boolean
  /** Links the table adds (`.unique()`, `.index()`, `.references()`), before `.comment()`. */
  readonly constraints: readonly Doc[]
}

const NO_PLACEMENT: ColumnPlacement = {
  nameArgument: undefined,
  primaryKey: false,
  constraints: [],
}

/**
 * A column definition as a builder chain whose conversion (`toColumnDef`) gives the definition
 * back: type, `.array()`, nullability, identity, default and comment.
 *
 * @example
 * renderColumn(def, ctx)   // varchar(255).notNull().default('anonymous')
 */
export function renderColumn(
  input: ColumnDef,
  ctx: RenderContext,
  placement: ColumnPlacement = NO_PLACEMENT,
): Doc {
  const column = withPlainDefault(input)
  const where = `column ${column.name}`
  const literal = column.default?.kind === 'literal' ? column.default.value : undefined
  // smallserial(), serial() and bigserial() exist for the three integer types only.
  const serial =
    column.serial &&
    (column.type.kind === 'smallint' ||
      column.type.kind === 'integer' ||
      column.type.kind === 'bigint')
  if (column.serial && !serial) {
    ctx.note(
      `${where} is a ${column.type.kind} fed by a sequence (serial), which the DSL has only for integer types; it is written without the sequence`,
    )
  }
  const type = renderType(column.type, ctx, placement.nameArgument, literal, serial, where)
  const links = [...type.links]
  if (column.collation !== undefined) {
    links.push(method('collate', [renderString(column.collation)]))
  }
  let notNull = !column.nullable
  let hasDefault = column.default !== undefined
  if (serial) {
    if (column.nullable) ctx.note(`${where} is serial, which the DSL always makes NOT NULL`)
    if (hasDefault) {
      ctx.note(
        `${where} is serial and has a default, which the DSL cannot say; the default is left out`,
      )
      hasDefault = false
    }
    notNull = false
  }
  if (column.identity !== undefined) {
    if (column.nullable) ctx.note(`${where} is an identity column, which is always NOT NULL`)
    if (hasDefault) {
      ctx.note(
        `${where} is an identity column with a default, which the DSL cannot say; the default is left out`,
      )
      hasDefault = false
    }
    notNull = false
  }
  if (
    hasDefault &&
    column.default?.kind === 'literal' &&
    !fitsDataType(column.type, column.default.value, ctx)
  ) {
    // The builder's row type would reject the value (a number default on a numeric column,
    // whose rows are strings); $type widens it without changing the database type.
    links.push(method('$type<unknown>'))
  }
  if (placement.primaryKey) {
    links.push(method('primaryKey'))
    notNull = false
  }
  if (notNull) links.push(method('notNull'))
  if (column.identity !== undefined) {
    const { always, start, increment, minValue, maxValue, cache, cycle } = column.identity
    const options: [string, Doc][] = []
    if (always) options.push(['always', 'true'])
    if (start !== undefined) options.push(['start', renderLiteral(start)])
    if (increment !== undefined) options.push(['increment', renderLiteral(increment)])
    if (minValue !== undefined) options.push(['minValue', renderLiteral(minValue)])
    if (maxValue !== undefined) options.push(['maxValue', renderLiteral(maxValue)])
    if (cache !== undefined) options.push(['cache', renderLiteral(cache)])
    if (cycle === true) options.push(['cycle', 'true'])
    links.push(method('identity', options.length === 0 ? [] : [object(options)]))
  }
  if (hasDefault && column.default !== undefined) {
    links.push(method('default', [renderDefault(column.default, ctx)]))
  }
  if (column.generated !== undefined) {
    links.push(method('generatedAs', [renderSql(column.generated, ctx)]))
  }
  links.push(...placement.constraints)
  if (column.comment !== undefined) links.push(method('comment', [renderString(column.comment)]))
  return chain(type.head, links)
}

/**
 * A column type as a builder (`numeric(10, 2)`, `timestamptz({ precision: 3 })`,
 * `text().array()`), for `alterColumn`'s `type` and inside {@link renderColumn}.
 */
export function renderColumnType(type: ColumnType, ctx: RenderContext): Doc {
  const { head, links } = renderType(type, ctx, undefined, undefined, false, 'a column type')
  return chain(head, links)
}

/**
 * The column with a database default that is a plain boolean or integer written as the literal a
 * person writes (`.default(true)`, `.default(0)`), not as `sql\`true\``: the database reports
 * every default as SQL text, and these compare equal either way.
 */
function withPlainDefault(column: ColumnDef): ColumnDef {
  if (column.default?.kind !== 'sql') return column
  const text = column.default.sql.trim()
  if (column.type.kind === 'boolean' && /^(true|false)$/i.test(text)) {
    return { ...column, default: { kind: 'literal', value: text.toLowerCase() === 'true' } }
  }
  const integer =
    column.type.kind === 'smallint' || column.type.kind === 'integer'
      ? /^\(?(-?\d{1,9})\)?$/.exec(text)?.[1]
      : undefined
  return integer === undefined
    ? column
    : { ...column, default: { kind: 'literal', value: Number(integer) } }
}

/** A column default: the literal, or `sql` fragment for an SQL expression. */
export function renderDefault(value: ColumnDefault, ctx: RenderContext): Doc {
  if (value.kind === 'literal') return renderLiteral(value.value)
  return ctx.sqlDefault?.(value.sql) ?? renderSql(value.sql, ctx)
}

/**
 * An `sql` fragment whose text is exactly `text`: a template holding it verbatim when it needs no
 * escaping, else `sql.raw('...')`, since a template's `${` or backslash would change it.
 *
 * @example
 * renderSql('now()', ctx)         // sql`now()`
 * renderSql("a ~ '\\d'", ctx)     // sql.raw('a ~ \'\\d\'')
 */
export function renderSql(text: string, ctx: RenderContext): Doc {
  const tag = ctx.use('sql')
  return isVerbatimTemplateText(text)
    ? `${tag}\`${text}\``
    : call(`${tag}.raw`, [renderString(text)])
}

interface TypeParts {
  readonly head: Doc
  readonly links: readonly Doc[]
}

function renderType(
  type: ColumnType,
  ctx: RenderContext,
  name: string | undefined,
  sample: unknown,
  serial: boolean,
  where: string,
): TypeParts {
  const nameArgs: Doc[] = name === undefined ? [] : [renderString(name)]
  const fn = (callee: string, ...args: Doc[]): TypeParts => ({
    head: call(ctx.use(callee), [...nameArgs, ...args]),
    links: [],
  })
  const options = (entries: readonly (readonly [string, Doc | undefined])[]): Doc[] => {
    const given = entries.filter((entry): entry is [string, Doc] => entry[1] !== undefined)
    return given.length === 0 ? [] : [object(given)]
  }
  switch (type.kind) {
    case 'array': {
      const element = renderType(
        type.element,
        ctx,
        name,
        Array.isArray(sample) ? sample.find((item) => item !== null) : undefined,
        false,
        where,
      )
      return { head: element.head, links: [...element.links, method('array')] }
    }
    case 'smallint':
    case 'integer':
      if (serial) return fn(type.kind === 'integer' ? 'serial' : 'smallserial')
      return fn(type.kind)
    case 'bigint': {
      // The mode only types the rows; it follows the default's type so that the default compiles.
      const mode =
        typeof sample === 'number' ? 'number' : typeof sample === 'bigint' ? 'bigint' : undefined
      return fn(
        serial ? 'bigserial' : 'bigint',
        ...options([['mode', mode === undefined ? undefined : renderString(mode)]]),
      )
    }
    case 'real':
    case 'text':
    case 'boolean':
    case 'date':
    case 'interval':
    case 'uuid':
    case 'json':
    case 'jsonb':
    case 'bytea':
      return fn(type.kind)
    case 'double':
      return fn('doublePrecision')
    case 'numeric': {
      if (type.precision === undefined && type.scale !== undefined) {
        ctx.note(`${where} has a numeric scale without a precision, which the DSL cannot say`)
      }
      const args: Doc[] = []
      if (type.precision !== undefined) args.push(String(type.precision))
      if (type.precision !== undefined && type.scale !== undefined) args.push(String(type.scale))
      return fn('numeric', ...args)
    }
    case 'varchar':
    case 'char':
      return fn(type.kind, ...(type.length === undefined ? [] : [String(type.length)]))
    case 'time':
      return fn(
        'time',
        ...options([
          ['precision', type.precision === undefined ? undefined : String(type.precision)],
          ['withTimezone', type.withTimezone ? 'true' : undefined],
        ]),
      )
    case 'timestamp':
      return fn(
        type.withTimezone ? 'timestamptz' : 'timestamp',
        ...options([
          ['precision', type.precision === undefined ? undefined : String(type.precision)],
        ]),
      )
    case 'enum':
      return { head: call(ctx.enumType(type), nameArgs), links: [] }
    case 'custom':
      return { head: call(ctx.customType(type.sql), nameArgs), links: [] }
  }
}

/**
 * Whether `.default(value)` type-checks on a builder of `type`: the value has the column's row
 * type (a string for numeric and date columns, a Date for timestamps, one of an enum's values).
 */
function fitsDataType(type: ColumnType, value: unknown, ctx: RenderContext): boolean {
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
      return typeof value === 'number'
    case 'bigint':
      // renderType picks the mode from the value.
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
    case 'numeric':
    case 'text':
    case 'varchar':
    case 'char':
    case 'uuid':
    case 'date':
    case 'time':
    case 'interval':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'timestamp':
      return value instanceof Date
    case 'bytea':
      return value instanceof Uint8Array
    case 'json':
    case 'jsonb':
    case 'custom':
      return true
    case 'enum':
      return typeof value === 'string' && (ctx.enumValues(type)?.includes(value) ?? false)
    case 'array': {
      if (!Array.isArray(value)) return false
      // Every element must fit; bigint elements must also agree on one mode.
      const kinds = new Set(value.map((item) => typeof item))
      return (
        (type.element.kind !== 'bigint' || kinds.size <= 1) &&
        value.every((item) => fitsDataType(type.element, item, ctx))
      )
    }
  }
}
