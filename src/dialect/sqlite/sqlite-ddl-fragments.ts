import type {
  CheckDef,
  ColumnDef,
  ForeignKeyDef,
  IndexDef,
  ReferentialAction,
  TableDef,
} from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { sqliteExpression } from './sqlite-expression.ts'
import { quoteIdentifier, quoteQualified } from './sqlite-quoting.ts'
import type { SqliteTypeMapper } from './sqlite-type-mapper.ts'

/**
 * The pieces of SQLite DDL that creating a table and rebuilding one share: a table, a column, an
 * index, a key, a check, as SQLite declares them.
 */

export const INDENT = '    '

/**
 * What a CREATE TABLE may say that the snapshot has no place for, which a table rebuild must
 * carry over (manual, "CREATE TABLE"); absent: none of it. STRICT and WITHOUT ROWID are the
 * table's `engineOptions`.
 */
export interface TableTextExtras {
  /** The rowid column is `INTEGER PRIMARY KEY AUTOINCREMENT`: rowids are never reused. */
  readonly autoincrement: boolean
  /** The generated columns computed when read (VIRTUAL) instead of stored. */
  readonly virtual: ReadonlySet<string>
}

const NO_EXTRAS: TableTextExtras = { autoincrement: false, virtual: new Set() }

/**
 * `CREATE TABLE` of `t` (named `name`, default its own), without its indexes, with the table
 * options its `engineOptions.sqlite` sets: `STRICT` (whose columns take only the six storage
 * types, see {@link SqliteTypeMapper.strictType}) and `WITHOUT ROWID`.
 */
export function createTableSql(
  t: TableDef,
  types: SqliteTypeMapper,
  ifNotExists: boolean,
  extra: TableTextExtras = NO_EXTRAS,
  name: string = quoteQualified(t.schema, t.name),
): string {
  if (t.comment !== undefined || t.columns.some((c) => c.comment !== undefined)) {
    throw unsupported('comments')
  }
  if ((t.exclusions?.length ?? 0) > 0) throw unsupported('exclusion constraints')
  if (t.partitionBy !== undefined) throw unsupported('partitioned tables')
  const strict = t.engineOptions?.sqlite?.strict === true
  const withoutRowid = t.engineOptions?.sqlite?.withoutRowid === true
  if (withoutRowid) {
    // A WITHOUT ROWID table is stored by its primary key, and has no rowid for a serial or
    // identity column to take its numbers from (manual, "The WITHOUT ROWID Optimization").
    if (t.primaryKey === undefined) {
      throw new InvalidOperationError(
        `table ${name} is WITHOUT ROWID, which needs a primary key; declare one, or drop withoutRowid`,
      )
    }
    const generated = t.columns.find((c) => c.serial || c.identity !== undefined)
    if (generated !== undefined) {
      throw new InvalidOperationError(
        `column ${quoteIdentifier(generated.name)} of ${name} is serial or an identity column, which SQLite numbers through the rowid, and a WITHOUT ROWID table has none; drop serial/identity and give the key its values, or drop withoutRowid`,
      )
    }
  }
  // The rowid alias: a single integer primary-key column declared INTEGER PRIMARY KEY, inline.
  const rowid = rowidColumn(t)
  for (const c of t.columns) {
    if ((c.serial || c.identity !== undefined) && c !== rowid) {
      throw new InvalidOperationError(
        `column ${quoteIdentifier(c.name)} of ${name} is serial or an identity column, which SQLite has only for a table's single integer primary key; make it the primary key, or drop serial/identity`,
      )
    }
  }
  const lines = t.columns.map(
    (c) =>
      INDENT +
      columnDefinition(c, types, {
        rowid: c === rowid,
        rowidKey: t.primaryKey?.name,
        autoincrement: extra.autoincrement,
        virtual: extra.virtual.has(c.name),
        strict,
      }),
  )
  if (t.primaryKey !== undefined && rowid === undefined) {
    lines.push(
      INDENT + constraint(t.primaryKey.name, `PRIMARY KEY (${list(t.primaryKey.columns)})`),
    )
  }
  for (const u of t.uniques) {
    if (u.nullsNotDistinct) throw unsupported('UNIQUE NULLS NOT DISTINCT')
    lines.push(INDENT + constraint(u.name, `UNIQUE (${list(u.columns)})`))
  }
  for (const fk of t.foreignKeys) lines.push(INDENT + foreignKeyClause(fk))
  for (const check of t.checks) lines.push(INDENT + checkClause(check))
  const options = [...(strict ? ['STRICT'] : []), ...(withoutRowid ? ['WITHOUT ROWID'] : [])]
  return `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${name} (\n${lines.join(',\n')}\n)${options.length === 0 ? '' : ` ${options.join(', ')}`}`
}

/** The column a table declares as its rowid (INTEGER PRIMARY KEY), if any. */
export function rowidColumn(t: TableDef): ColumnDef | undefined {
  return t.primaryKey?.columns.length === 1
    ? t.columns.find(
        (c) => c.name === t.primaryKey!.columns[0] && (c.serial || c.identity !== undefined),
      )
    : undefined
}

/**
 * A column as SQLite declares it; `rowid` marks the table's INTEGER PRIMARY KEY (named
 * `rowidKey`), which must be declared `integer` exactly to be the rowid; `strict`, a column of a
 * STRICT table, declared with its storage type.
 */
export function columnDefinition(
  column: ColumnDef,
  types: SqliteTypeMapper,
  as: {
    readonly rowid?: boolean
    readonly rowidKey?: string | undefined
    readonly autoincrement?: boolean
    readonly virtual?: boolean
    readonly strict?: boolean
  } = {},
): string {
  if (column.comment !== undefined) throw unsupported('comments')
  const parts = [
    quoteIdentifier(column.name),
    as.rowid ? 'integer' : columnType(column, types, as.strict === true),
  ]
  if (as.rowid) {
    parts.push(
      constraint(as.rowidKey, as.autoincrement ? 'PRIMARY KEY AUTOINCREMENT' : 'PRIMARY KEY'),
    )
  }
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`)
  if (column.generated !== undefined) {
    parts.push(
      `GENERATED ALWAYS AS (${sqliteExpression(column.generated)}) ${as.virtual ? 'VIRTUAL' : 'STORED'}`,
    )
  }
  if (column.default !== undefined) {
    parts.push(`DEFAULT ${types.sqlDefault(column.default, column.type)}`)
  }
  if (!column.nullable) parts.push('NOT NULL')
  return parts.join(' ')
}

/**
 * A column's declared type. A STRICT table's column is declared with its storage type, after a
 * note of the models' type where that is spelled otherwise (`varchar(20)` in a block comment
 * before `text`): SQLite keeps the note in the table's text, through ADD and RENAME COLUMN too
 * (manual, "The Schema Table"), so introspection reads the models' type back, `check` compares
 * it with the models, and a rebuild that drops STRICT declares it again. A type a STRICT table
 * cannot take is refused naming the column.
 */
function columnType(column: ColumnDef, types: SqliteTypeMapper, strict: boolean): string {
  const declared = types.sqlType(column.type, { serial: column.serial })
  if (!strict) return declared
  let storage: string
  try {
    storage = types.sqlType(column.type, { serial: column.serial, strict })
  } catch (error) {
    if (!(error instanceof InvalidOperationError)) throw error
    throw new InvalidOperationError(`column ${quoteIdentifier(column.name)}: ${error.message}`)
  }
  return declared.trim().toLowerCase() === storage.toLowerCase() || declared.includes('*/')
    ? storage
    : `/* ${declared} */ ${storage}`
}

export function createIndexSql(
  schema: string | undefined,
  table: string,
  index: IndexDef,
  ifNotExists: boolean,
): string {
  if (index.method !== undefined && index.method !== 'btree') {
    throw unsupported(`${index.method} indexes`)
  }
  if (index.include.length > 0) throw unsupported('INCLUDE columns in an index')
  const elements = index.elements.map((e) => {
    if (e.opclass !== undefined) throw unsupported('operator classes')
    if (e.nulls !== undefined) throw unsupported('NULLS FIRST/LAST in an index')
    const target =
      e.column !== undefined
        ? quoteIdentifier(e.column)
        : `(${sqliteExpression(e.expression ?? '')})`
    return e.order === 'desc' ? `${target} DESC` : target
  })
  return [
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteQualified(schema, index.name)}`,
    `ON ${quoteIdentifier(table)} (${elements.join(', ')})`,
    ...(index.where === undefined ? [] : [`WHERE ${sqliteExpression(index.where)}`]),
  ].join(' ')
}

export function foreignKeyClause(fk: ForeignKeyDef): string {
  const parts = [
    `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteIdentifier(fk.referencedTable)} (${list(fk.referencedColumns)})`,
  ]
  if (fk.onDelete !== undefined) parts.push(`ON DELETE ${action(fk.onDelete)}`)
  if (fk.onUpdate !== undefined) parts.push(`ON UPDATE ${action(fk.onUpdate)}`)
  if (fk.deferrable)
    parts.push(`DEFERRABLE INITIALLY ${fk.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`)
  return constraint(fk.name, parts.join(' '))
}

export function checkClause(check: CheckDef): string {
  return constraint(check.name, `CHECK (${sqliteExpression(check.expression)})`)
}

export function constraint(name: string | undefined, body: string): string {
  return name === undefined ? body : `CONSTRAINT ${quoteIdentifier(name)} ${body}`
}

function action(a: ReferentialAction): string {
  return a.toUpperCase()
}

export function list(names: readonly string[]): string {
  return names.map(quoteIdentifier).join(', ')
}

export function unsupported(what: string): InvalidOperationError {
  return new InvalidOperationError(
    `SQLite has no ${what}; this operation cannot run on a SQLite database`,
  )
}

export function refused(what: string, fix: string): InvalidOperationError {
  return new InvalidOperationError(`SQLite does not support ${what}; ${fix}`)
}
