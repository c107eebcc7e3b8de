import { createHash } from 'node:crypto'
import { SchemaModelError } from './schema-model-error.ts'

/**
 * Templates that name constraints and indexes the model leaves unnamed, in SQLAlchemy's
 * `%(token)s` syntax. Each kind may be omitted to keep the default
 * ({@link DEFAULT_NAMING_CONVENTION}).
 *
 * Tokens: `table_name`; `constraint_name` (the name given to the constraint: a check's name, or an
 * explicit name when the template uses it); `column_0_name`, `column_1_name`, ... (database names
 * of the constrained or indexed columns); `column_0_label` (`<table>_<column>`);
 * `column_0_N_name` (all columns joined by `_`), `column_0N_name` (joined with nothing), and the
 * same two for labels; `referred_table_name`, `referred_column_0_name`, `referred_column_0_N_name`
 * (foreign keys only).
 *
 * Explicit names win, except where the template uses `%(constraint_name)s`: there the explicit
 * name fills that token (SQLAlchemy's rule), which is how checks get `ck_<table>_<name>`.
 *
 * @example
 * // PostgreSQL's own names:
 * { pk: '%(table_name)s_pkey', uq: '%(table_name)s_%(column_0_N_name)s_key',
 *   fk: '%(table_name)s_%(column_0_N_name)s_fkey', ck: '%(table_name)s_%(constraint_name)s_check',
 *   ix: '%(table_name)s_%(column_0_N_name)s_idx' }
 */
export interface NamingConvention {
  /** Primary keys; default `pk_%(table_name)s`. */
  readonly pk?: string
  /** Foreign keys; default `fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`. */
  readonly fk?: string
  /** Unique constraints; default `uq_%(table_name)s_%(column_0_name)s`. */
  readonly uq?: string
  /** Check constraints; default `ck_%(table_name)s_%(constraint_name)s`. */
  readonly ck?: string
  /** Indexes, unique or not; default `ix_%(column_0_label)s`. */
  readonly ix?: string
}

/** The naming convention used when none is given, after SQLAlchemy's recommended one. */
export const DEFAULT_NAMING_CONVENTION: Required<NamingConvention> = Object.freeze({
  pk: 'pk_%(table_name)s',
  fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
  uq: 'uq_%(table_name)s_%(column_0_name)s',
  ck: 'ck_%(table_name)s_%(constraint_name)s',
  ix: 'ix_%(column_0_label)s',
})

/**
 * The shortest identifier limit of the engines aludel supports: PostgreSQL's NAMEDATALEN - 1 bytes
 * (longer names are silently truncated); MySQL allows 64 characters, SQLite has no limit.
 */
export const MAX_IDENTIFIER_BYTES = 63

/** The kinds of names a convention gives. */
export type ConventionKind = keyof NamingConvention

/** What a convention may draw on to name one constraint or index. */
export interface NamingSubject {
  readonly kind: ConventionKind
  readonly table: string
  /** Database names of the constrained (or indexed) columns, in order. */
  readonly columns: readonly string[]
  readonly referredTable?: string
  readonly referredColumns?: readonly string[]
  /** The name given in the model, if any. */
  readonly name: string | undefined
}

const TOKEN = /%\(([^)]*)\)s/g
const KIND_NAMES: Readonly<Record<ConventionKind, string>> = {
  pk: 'primary key',
  fk: 'foreign key',
  uq: 'unique constraint',
  ck: 'check constraint',
  ix: 'index',
}

/** Fills in the defaults and checks every template's tokens; throws on an unknown token. */
export function resolveNamingConvention(
  convention: NamingConvention | undefined,
): Required<NamingConvention> {
  const resolved: Required<NamingConvention> = { ...DEFAULT_NAMING_CONVENTION, ...convention }
  for (const kind of Object.keys(resolved) as ConventionKind[]) {
    const template = resolved[kind]
    if (typeof template !== 'string' || template === '') {
      throw new SchemaModelError(
        'INVALID_NAMING_CONVENTION',
        `namingConvention.${kind} must be a non-empty template such as '${DEFAULT_NAMING_CONVENTION[kind]}'`,
      )
    }
    for (const match of template.matchAll(TOKEN)) {
      if (!isKnownToken(match[1] ?? '')) {
        throw new SchemaModelError(
          'INVALID_NAMING_CONVENTION',
          `namingConvention.${kind} uses unknown token %(${match[1]})s; use table_name, constraint_name, column_0_name, column_0_label, column_0_N_name, referred_table_name or referred_column_0_name`,
        )
      }
    }
  }
  return Object.freeze(resolved)
}

/**
 * The final name of a constraint or index: the explicit name if the template does not use
 * `%(constraint_name)s`, else the filled-in template, shortened to 63 bytes.
 */
export function conventionName(
  convention: Required<NamingConvention>,
  subject: NamingSubject,
): string {
  const template = convention[subject.kind]
  if (subject.name !== undefined && !template.includes('%(constraint_name)s')) {
    return checkExplicitName(`${KIND_NAMES[subject.kind]} name`, subject.name, subject.table)
  }
  const filled = template.replace(TOKEN, (_, token: string) => fillToken(token, subject, template))
  return shortenIdentifier(filled)
}

/**
 * Shortens a generated name that PostgreSQL would truncate: keeps a prefix and appends `_` and 8
 * hex digits of the full name's MD5, so the result is deterministic, at most 63 bytes, and two
 * long names that share a prefix still differ.
 *
 * @example
 * shortenIdentifier('ix_' + 'x'.repeat(80))  // 'ix_xxx…x_1b2c3d4e' (63 bytes)
 */
export function shortenIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name
  const hash = createHash('md5').update(name).digest('hex').slice(0, 8)
  const budget = MAX_IDENTIFIER_BYTES - 1 - hash.length
  let prefix = ''
  let bytes = 0
  // Cut at a character boundary so that a multi-byte character is never split.
  for (const char of name) {
    const size = Buffer.byteLength(char)
    if (bytes + size > budget) break
    prefix += char
    bytes += size
  }
  return `${prefix}_${hash}`
}

/**
 * Checks a name written in the model fits PostgreSQL's limit; a longer one would be truncated by
 * the database and never match the model again, so it is an error rather than a silent change.
 */
export function checkExplicitName(what: string, name: string, table?: string): string {
  if (name === '') {
    throw new SchemaModelError('INVALID_NAME', `a ${what} must not be empty`, { table })
  }
  const bytes = Buffer.byteLength(name)
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new SchemaModelError(
      'NAME_TOO_LONG',
      `${what} '${name}' is ${bytes} bytes; PostgreSQL keeps only ${MAX_IDENTIFIER_BYTES}, so shorten it`,
      { table },
    )
  }
  return name
}

function isKnownToken(token: string): boolean {
  return (
    token === 'table_name' ||
    token === 'constraint_name' ||
    token === 'referred_table_name' ||
    /^(referred_)?column_(\d+_name|0_?N_name)$/.test(token) ||
    /^column_(\d+_label|0_?N_label)$/.test(token)
  )
}

function fillToken(token: string, subject: NamingSubject, template: string): string {
  const what = KIND_NAMES[subject.kind]
  const missing = (reason: string): SchemaModelError =>
    new SchemaModelError(
      'INVALID_NAMING_CONVENTION',
      `cannot name ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} on table ${subject.table} with '${template}': ${reason}`,
      { table: subject.table },
    )
  if (token === 'table_name') return subject.table
  if (token === 'constraint_name') {
    if (subject.name === undefined)
      throw missing('it has no name to fill %(constraint_name)s; give it one')
    return subject.name
  }
  if (token === 'referred_table_name') {
    if (subject.referredTable === undefined)
      throw missing('%(referred_table_name)s applies to foreign keys only')
    return subject.referredTable
  }
  const referred = token.startsWith('referred_')
  const columns = referred ? subject.referredColumns : subject.columns
  const label = token.endsWith('_label')
  const names = (columns ?? []).map((column) => (label ? `${subject.table}_${column}` : column))
  const all = /column_0(_?)N_/.exec(token)
  if (all !== null) {
    if (names.length === 0)
      throw missing(`%(${token})s needs columns, and it has none; give it a name`)
    return names.join(all[1] === '_' ? '_' : '')
  }
  const index = Number(/column_(\d+)_/.exec(token)?.[1])
  const name = names[index]
  if (name === undefined) {
    throw missing(
      names.length === 0
        ? `%(${token})s needs a column, and it has none (an expression without columns?); give it a name`
        : `%(${token})s needs ${index + 1} columns, and it has ${names.length}`,
    )
  }
  return name
}
