import { SchemaModelError } from './schema-model-error.ts'

/**
 * Table options that only MySQL and MariaDB read; other engines ignore them. Each is compared by
 * `check` and autogenerate only when the models state it, since an unstated one is the server's
 * default.
 */
export interface MysqlTableOptions {
  /** The storage engine, `ENGINE=`: `InnoDB` (the usual default), `Aria`, `MyISAM`, ... */
  readonly engine?: string
  /** The default character set of the table's text columns, `DEFAULT CHARSET=`: `utf8mb4`. */
  readonly charset?: string
  /** The default collation of the table's text columns, `COLLATE=`: `utf8mb4_unicode_ci`. */
  readonly collation?: string
}

/** Table options that only SQLite reads; other engines ignore them. Unstated means false. */
export interface SqliteTableOptions {
  /** `STRICT` (SQLite 3.37+): every value must be of its column's type. */
  readonly strict?: boolean
  /** `WITHOUT ROWID`: rows are stored by the primary key, which the table must have. */
  readonly withoutRowid?: boolean
}

/** Options of one table for particular engines, keyed by engine. */
export interface EngineTableOptions {
  readonly mysql?: MysqlTableOptions
  readonly sqlite?: SqliteTableOptions
}

const MYSQL_KEYS: ReadonlySet<string> = new Set(['engine', 'charset', 'collation'])
const SQLITE_KEYS: ReadonlySet<string> = new Set(['strict', 'withoutRowid'])
/** Engines, character sets and collations are plain words; they are written into DDL bare. */
const MYSQL_WORD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/

/**
 * The engine options of table `where` as a snapshot keeps them: checked, with only the options
 * that say something (a false SQLite flag is the default), frozen; undefined when none is left.
 * `keepFalse` keeps false flags, as an operation that turns one off must say so.
 */
export function engineOptionsOf(
  where: string,
  options: { readonly mysql?: unknown; readonly sqlite?: unknown },
  keepFalse = false,
): EngineTableOptions | undefined {
  const mysql = optionBag(where, 'mysql', options.mysql, MYSQL_KEYS, (key, value) => {
    if (typeof value !== 'string' || !MYSQL_WORD.test(value)) {
      throw invalid(where, `mysql.${key} must be a name such as ${MYSQL_EXAMPLE[key]}`)
    }
    return value
  })
  const sqlite = optionBag(where, 'sqlite', options.sqlite, SQLITE_KEYS, (key, value) => {
    if (typeof value !== 'boolean') throw invalid(where, `sqlite.${key} must be true or false`)
    return value || keepFalse ? value : undefined
  })
  if (mysql === undefined && sqlite === undefined) return undefined
  return Object.freeze({
    ...(mysql === undefined ? {} : { mysql }),
    ...(sqlite === undefined ? {} : { sqlite }),
  })
}

const MYSQL_EXAMPLE: Readonly<Record<string, string>> = {
  engine: "'InnoDB'",
  charset: "'utf8mb4'",
  collation: "'utf8mb4_unicode_ci'",
}

function optionBag<T>(
  where: string,
  engine: string,
  bag: unknown,
  keys: ReadonlySet<string>,
  read: (key: string, value: unknown) => T | undefined,
): Readonly<Record<string, T>> | undefined {
  if (bag === undefined) return undefined
  if (typeof bag !== 'object' || bag === null || Array.isArray(bag)) {
    throw invalid(where, `${engine} must be an object of options, like { ${[...keys][0]}: ... }`)
  }
  const out: Record<string, T> = {}
  for (const [key, value] of Object.entries(bag)) {
    if (!keys.has(key)) {
      throw invalid(
        where,
        `${engine} has no option ${key}; the options are ${[...keys].join(', ')}`,
      )
    }
    if (value === undefined) continue
    const kept = read(key, value)
    if (kept !== undefined) out[key] = kept
  }
  return Object.keys(out).length === 0 ? undefined : Object.freeze(out)
}

function invalid(where: string, message: string): SchemaModelError {
  return new SchemaModelError('INVALID_ARGUMENT', `table ${where}: ${message}`, { table: where })
}
