/**
 * Recognizing constraint violations. Letting the database enforce uniqueness and references,
 * then translating its verdict, is race-free; checking first with a SELECT is not (two requests
 * can both pass the check). Each driver reports a violation its own way, so this module reads
 * the three shapes into one:
 *
 * - node-postgres and PGlite: PostgreSQL's SQLSTATE in `code` (manual, Appendix A), the
 *   constraint's name in `constraint`;
 * - mysql2 (MySQL and MariaDB): the server's error number in `errno`, the constraint's name only
 *   inside the message;
 * - node:sqlite: SQLite's extended result code in `errcode`; the message names a check, but for a
 *   unique constraint only its columns (`users.email`) and for a foreign key nothing at all.
 */

/** A constraint as the routes know it: by name, and by what SQLite reports instead. */
export interface ConstraintRef {
  readonly name: string
  /** The table and columns, for a unique constraint on SQLite, which names them instead. */
  readonly columns?: { readonly table: string; readonly names: readonly string[] }
}

export type ViolationKind = 'unique' | 'foreignKey' | 'check'

/** What a driver's error says was violated. */
export interface Violation {
  readonly kind: ViolationKind
  /** The constraint's name, when the engine reports it. */
  readonly constraint?: string
  /** `table.column, table.column`: what SQLite reports for a unique constraint. */
  readonly columns?: string
}

const POSTGRES: Readonly<Record<string, ViolationKind>> = {
  '23505': 'unique',
  '23503': 'foreignKey',
  '23514': 'check',
}

/** MySQL and MariaDB error numbers (ER_DUP_ENTRY, ER_NO_REFERENCED_ROW_2, check failures). */
const MYSQL: Readonly<Record<number, ViolationKind>> = {
  1062: 'unique',
  1452: 'foreignKey',
  3819: 'check', // MySQL 8: ER_CHECK_CONSTRAINT_VIOLATED
  4025: 'check', // MariaDB: ER_CONSTRAINT_FAILED
}

/** SQLite extended result codes: SQLITE_CONSTRAINT_UNIQUE, _FOREIGNKEY, _CHECK. */
const SQLITE: Readonly<Record<number, ViolationKind>> = {
  2067: 'unique',
  787: 'foreignKey',
  275: 'check',
}

/** The constraint violation `error` reports, or undefined when it is something else. */
export function violation(error: unknown): Violation | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as Record<string, unknown>
  const message = typeof e.message === 'string' ? e.message : ''
  if (typeof e.errno === 'number' && typeof e.sqlMessage === 'string') {
    const kind = MYSQL[e.errno]
    if (kind === undefined) return undefined
    // "for key 'uq_users_email'" (MySQL 8 writes 'users.uq_users_email'), "CONSTRAINT `fk_..`",
    // "Check constraint 'ck_..' is violated".
    const name =
      /for key '(?:[^'.]*\.)?([^']*)'/.exec(e.sqlMessage)?.[1] ??
      /CONSTRAINT `([^`]*)`/.exec(e.sqlMessage)?.[1] ??
      /constraint '([^']*)'/i.exec(e.sqlMessage)?.[1]
    return { kind, constraint: name }
  }
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const kind = SQLITE[e.errcode]
    if (kind === undefined) return undefined
    const detail = /constraint failed: (.*)$/.exec(message)?.[1]
    return kind === 'unique' ? { kind, columns: detail } : { kind, constraint: detail }
  }
  const kind = typeof e.code === 'string' ? POSTGRES[e.code] : undefined
  if (kind === undefined) return undefined
  return { kind, constraint: typeof e.constraint === 'string' ? e.constraint : undefined }
}

/**
 * Whether `error` is a violation of this kind, of `ref` when given. When the engine does not say
 * which constraint it was (a foreign key on SQLite), any of that kind matches: a statement that
 * can break only one such constraint should be the only one asking.
 */
function violates(error: unknown, kind: ViolationKind, ref?: ConstraintRef): boolean {
  const found = violation(error)
  if (found?.kind !== kind) return false
  if (ref === undefined) return true
  if (found.constraint !== undefined) return found.constraint === ref.name
  if (found.columns !== undefined && ref.columns !== undefined) {
    const { table, names } = ref.columns
    return found.columns === names.map((name) => `${table}.${name}`).join(', ')
  }
  return found.columns === undefined
}

/** Whether `error` is a unique violation, of `ref` when given. */
export function isUniqueViolation(error: unknown, ref?: ConstraintRef): boolean {
  return violates(error, 'unique', ref)
}

/** Whether `error` is a foreign-key violation, of `ref` when given. */
export function isForeignKeyViolation(error: unknown, ref?: ConstraintRef): boolean {
  return violates(error, 'foreignKey', ref)
}

/** Whether `error` is a CHECK violation, of `ref` when given. */
export function isCheckViolation(error: unknown, ref?: ConstraintRef): boolean {
  return violates(error, 'check', ref)
}
