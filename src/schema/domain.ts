import type { CheckConstraint } from './check.ts'
import {
  type ColumnBuilder,
  type NewColumn,
  normalizeSchema,
  type TypeObject,
} from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { quoteQualifiedName } from './quote-identifier.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { ColumnDefault, DomainDef, LiteralValue } from './schema-snapshot.ts'
import { SqlFragment, type SqlInterpolable } from './sql.ts'
import { baseTypeOf, typeFunction } from './type-object.ts'

/** The key under which a domain keeps its plain {@link DomainDef}; marks domains. */
export const DOMAIN_DEF: unique symbol = Symbol.for('aludel.domainDef')

/** Options of `domain()`. */
export interface DomainOptions<TData> {
  /** The schema that holds the domain; default: the default schema (`public`). */
  readonly schema?: string
  /** `NOT NULL`: values of the domain may not be null; default false. */
  readonly notNull?: boolean
  /** `DEFAULT`: a value of the base type or an `sql` fragment; default: none. */
  readonly default?: TData | SqlFragment
  /**
   * `CONSTRAINT name CHECK (...)`, as `check(name, sql\`...\`)`; `VALUE` names the value
   * checked. Names are taken as written. Default: none.
   */
  readonly checks?: readonly CheckConstraint[]
}

/**
 * A PostgreSQL domain (`CREATE DOMAIN`) that is also a column type function: `email()` or
 * `email('contact_email')` declares a column of the domain, whose row type is the base type's.
 */
export interface Domain<TName extends string = string, TData = unknown> extends SqlInterpolable {
  (): NewColumn<TData, 'custom', undefined>
  <const N extends string>(name: N): NewColumn<TData, 'custom', N>
  /** The domain's name. */
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  /** The domain as plain data. */
  readonly [DOMAIN_DEF]: DomainDef
}

/**
 * Declares a domain over a base type given as a fresh column builder (`text()`, `varchar(255)`,
 * `numeric(10, 2)`, an enum's or another domain's column function), and returns it as a column
 * type function. Models collect the domains their columns use. Whether a column of the domain is
 * NOT NULL in row types is the column's own `.notNull()`: PostgreSQL lets a domain's NOT NULL be
 * bypassed (an outer join yields nulls of any type), so row types do not rely on it.
 *
 * @example
 * export const email = domain('email', text(), {
 *   notNull: true,
 *   checks: [check('email_format', sql`VALUE ~ '@'`)],
 * })
 * export const customers = table('customers', { id: serial().primaryKey(), email: email().notNull() })
 */
export function domain<const N extends string, B extends ColumnBuilder>(
  name: N,
  base: B,
  options: DomainOptions<B['~config']['data']> = {},
): Domain<N, B['~config']['data']> {
  checkExplicitName('domain name', name)
  const schema = normalizeSchema(options.schema)
  const what = `domain ${quoteQualifiedName(schema, name)}`
  const type = baseTypeOf(base, what)
  const seen = new Set<string>()
  const checks = (options.checks ?? []).map((check) => {
    if (check?.kind !== 'check' || !(check.expression instanceof SqlFragment)) {
      throw new SchemaModelError(
        'INVALID_ARGUMENT',
        `the checks of ${what} must be check('name', sql\`...\`) constraints`,
      )
    }
    if (seen.has(check.name)) {
      throw new SchemaModelError(
        'DUPLICATE_NAME',
        `${what} has two checks named ${check.name}; rename one`,
      )
    }
    seen.add(check.name)
    return Object.freeze({ name: check.name, expression: check.expression.toSql() })
  })
  const def: DomainDef = Object.freeze({
    schema,
    name,
    type,
    default: domainDefault(options.default, what),
    notNull: options.notNull ?? false,
    checks: Object.freeze(
      [...checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ),
  })
  const object: TypeObject = { kind: 'domain', def, uses: [base.state] }
  return typeFunction(object, DOMAIN_DEF) as unknown as Domain<N, B['~config']['data']>
}

/** True for a value made by `domain()`. */
export function isDomain(value: unknown): value is Domain {
  return typeof value === 'function' && DOMAIN_DEF in value
}

function domainDefault(value: unknown, what: string): ColumnDefault | undefined {
  if (value === undefined) return undefined
  if (value instanceof SqlFragment) return Object.freeze({ kind: 'sql', sql: value.toSql() })
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new SchemaModelError(
      'INVALID_DEFAULT',
      `the default of ${what} must be a value of its base type or an sql fragment`,
    )
  }
  return Object.freeze({ kind: 'literal', value: structuredClone(value) as LiteralValue })
}
