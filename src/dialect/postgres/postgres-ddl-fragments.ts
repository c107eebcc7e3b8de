/**
 * Pieces of PostgreSQL DDL shared by several operations: column definitions, table constraints,
 * index definitions and comments. Every name goes through `quoteIdentifier`, every string through
 * `quoteString`; expressions the user wrote as SQL (checks, predicates, SQL defaults, custom
 * types, operator classes) are passed through verbatim.
 */
import type {
  CheckDef,
  ColumnDef,
  ForeignKeyDef,
  IdentityDef,
  IndexDef,
  IndexElement,
  PrimaryKeyDef,
  UniqueDef,
} from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './postgres-quoting.ts'
import type { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** Indentation of the lines inside `CREATE TABLE (...)` and multi-part `ALTER TABLE`. */
export const INDENT = '    '

/** Joins the parts that are present with single spaces; `false` marks an absent option. */
export function words(...parts: readonly (string | false)[]): string {
  return parts.filter((part) => part !== false).join(' ')
}

/** `(a, b)`: a parenthesised list of quoted column names. */
export function columnList(columns: readonly string[]): string {
  return `(${columns.map(quoteIdentifier).join(', ')})`
}

/**
 * A column definition: `name type [COLLATE c] [GENERATED ... AS IDENTITY | GENERATED ALWAYS AS
 * (expr) STORED] [DEFAULT ...] [NOT NULL]`.
 */
export function columnDefinition(
  column: ColumnDef,
  types: PostgresTypeMapper,
  table: string,
): string {
  checkColumn(column, table)
  const parts = [
    quoteIdentifier(column.name),
    types.sqlType(column.type, { serial: column.serial }),
  ]
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdentifier(column.collation)}`)
  if (column.identity !== undefined) parts.push(identityClause(column.identity, column, table))
  if (column.generated !== undefined) {
    parts.push(`GENERATED ALWAYS AS (${column.generated}) STORED`)
  }
  if (column.default !== undefined) {
    parts.push(`DEFAULT ${types.sqlDefault(column.default, column.type)}`)
  }
  // Identity and serial columns are NOT NULL by themselves; PostgreSQL only rejects an explicit
  // NULL on them, so NOT NULL is written whenever the model asks for it and never NULL.
  if (!column.nullable) parts.push('NOT NULL')
  return parts.join(' ')
}

const INTEGER_KINDS: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint'])

/** Rejects column definitions PostgreSQL would refuse, with a message that names the column. */
function checkColumn(column: ColumnDef, table: string): void {
  const where = `column ${quoteIdentifier(column.name)} of ${table}`
  if (column.identity !== undefined && column.serial) {
    throw new InvalidOperationError(
      `${where} is both an identity column and serial; keep one of them`,
    )
  }
  if (column.default !== undefined && (column.identity !== undefined || column.serial)) {
    const kind = column.serial ? 'serial' : 'an identity column'
    throw new InvalidOperationError(
      `${where} is ${kind} and has a default; drop the default, the sequence supplies it`,
    )
  }
  if (
    column.generated !== undefined &&
    (column.default !== undefined || column.identity !== undefined || column.serial)
  ) {
    throw new InvalidOperationError(
      `${where} is generated from an expression and also has a default, identity or serial; keep one of them`,
    )
  }
  if ((column.serial || column.identity !== undefined) && !INTEGER_KINDS.has(column.type.kind)) {
    throw new InvalidOperationError(
      `${where} is ${column.serial ? 'serial' : 'an identity column'} but its type is ${column.type.kind}; use smallint, integer or bigint`,
    )
  }
}

/**
 * `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(START WITH n INCREMENT BY m MINVALUE ... MAXVALUE
 * ... CACHE c CYCLE)]`.
 */
function identityClause(identity: IdentityDef, column: ColumnDef, table: string): string {
  const options: string[] = []
  const option = (label: string, value: number | undefined, name: string): void => {
    if (value === undefined) return
    if (!Number.isSafeInteger(value)) {
      throw new InvalidOperationError(
        `the identity ${name} of column ${quoteIdentifier(column.name)} of ${table} must be an integer, not ${String(value)}`,
      )
    }
    options.push(`${label} ${value}`)
  }
  option('START WITH', identity.start, 'start')
  option('INCREMENT BY', identity.increment, 'increment')
  option('MINVALUE', identity.minValue, 'minValue')
  option('MAXVALUE', identity.maxValue, 'maxValue')
  option('CACHE', identity.cache, 'cache')
  if (identity.cycle === true) options.push('CYCLE')
  const generated = `GENERATED ${identity.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`
  return options.length === 0 ? generated : `${generated} (${options.join(' ')})`
}

/** `CONSTRAINT name ` when the constraint is named, else nothing (PostgreSQL picks a name). */
function constraintName(name: string | undefined): string {
  return name === undefined ? '' : `CONSTRAINT ${quoteIdentifier(name)} `
}

/** `(a, b)` for a constraint, which needs at least one column (`what` names it in the error). */
function constraintColumns(columns: readonly string[], what: string): string {
  if (columns.length === 0) {
    throw new InvalidOperationError(`${what} has no columns; list at least one`)
  }
  return columnList(columns)
}

/** How a constraint is named in messages: `primary key users_pkey of app.users`. */
function constraintLabel(kind: string, name: string | undefined, table: string): string {
  return name === undefined
    ? `the ${kind} of ${table}`
    : `${kind} ${quoteIdentifier(name)} of ${table}`
}

/** `[CONSTRAINT name] PRIMARY KEY (a, b)`; `table` (quoted) is for messages. */
export function primaryKeyClause(primaryKey: PrimaryKeyDef, table: string): string {
  const label = constraintLabel('primary key', primaryKey.name, table)
  return `${constraintName(primaryKey.name)}PRIMARY KEY ${constraintColumns(primaryKey.columns, label)}`
}

/**
 * `[CONSTRAINT name] FOREIGN KEY (a) REFERENCES s.t (b) [ON DELETE ...] [ON UPDATE ...]
 * [DEFERRABLE [INITIALLY DEFERRED]]`. No referenced columns means the referenced table's primary
 * key. INITIALLY DEFERRED implies DEFERRABLE, which PostgreSQL requires alongside it.
 */
export function foreignKeyClause(foreignKey: ForeignKeyDef, table: string): string {
  const label = constraintLabel('foreign key', foreignKey.name, table)
  const { onDelete, onUpdate, referencedColumns } = foreignKey
  return words(
    `${constraintName(foreignKey.name)}FOREIGN KEY ${constraintColumns(foreignKey.columns, label)}`,
    `REFERENCES ${quoteQualified(foreignKey.referencedSchema, foreignKey.referencedTable)}`,
    referencedColumns.length > 0 && columnList(referencedColumns),
    onDelete !== undefined && `ON DELETE ${onDelete.toUpperCase()}`,
    onUpdate !== undefined && `ON UPDATE ${onUpdate.toUpperCase()}`,
    (foreignKey.deferrable || foreignKey.initiallyDeferred) && 'DEFERRABLE',
    foreignKey.initiallyDeferred && 'INITIALLY DEFERRED',
  )
}

/** `[CONSTRAINT name] UNIQUE [NULLS NOT DISTINCT] (a, b)` (NULLS NOT DISTINCT: PostgreSQL 15+). */
export function uniqueClause(unique: UniqueDef, table: string): string {
  const label = constraintLabel('unique constraint', unique.name, table)
  return words(
    `${constraintName(unique.name)}UNIQUE`,
    unique.nullsNotDistinct && 'NULLS NOT DISTINCT',
    constraintColumns(unique.columns, label),
  )
}

/**
 * `[CONSTRAINT name] UNIQUE USING INDEX index`: the constraint adopts an existing unique index,
 * which PostgreSQL renames to the constraint's name (manual, ALTER TABLE, `table_constraint_using_index`).
 * Columns and `NULLS NOT DISTINCT` come from the index, so the syntax has no place for them.
 */
export function uniqueUsingIndexClause(unique: UniqueDef, index: string): string {
  return `${constraintName(unique.name)}UNIQUE USING INDEX ${quoteIdentifier(index)}`
}

/** `[CONSTRAINT name] CHECK (expression)`. */
export function checkClause(check: CheckDef): string {
  return `${constraintName(check.name)}CHECK (${check.expression})`
}

/** Options of `CREATE INDEX` that come from the operation rather than the index. */
export interface CreateIndexOptions {
  readonly concurrently: boolean
  readonly ifNotExists: boolean
}

/**
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON s.t [USING method] (elements)
 * [INCLUDE (...)] [WHERE predicate]`. The index name is never qualified: an index always lives
 * in its table's schema (manual, CREATE INDEX).
 */
export function createIndexSql(
  schema: string | undefined,
  table: string,
  index: IndexDef,
  options: CreateIndexOptions,
): string {
  const on = quoteQualified(schema, table)
  if (index.elements.length === 0) {
    throw new InvalidOperationError(
      `index ${quoteIdentifier(index.name)} on ${on} has no columns or expressions`,
    )
  }
  const parts = [
    index.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX',
    ...(options.concurrently ? ['CONCURRENTLY'] : []),
    ...(options.ifNotExists ? ['IF NOT EXISTS'] : []),
    quoteIdentifier(index.name),
    'ON',
    on,
  ]
  if (index.method !== undefined) parts.push(`USING ${quoteIdentifier(index.method)}`)
  parts.push(`(${index.elements.map((e) => indexElement(e, index.name, on)).join(', ')})`)
  if (index.include.length > 0) parts.push(`INCLUDE ${columnList(index.include)}`)
  if (index.where !== undefined) parts.push(`WHERE ${index.where}`)
  return parts.join(' ')
}

/** `column | (expression)` followed by `[opclass] [ASC | DESC] [NULLS {FIRST | LAST}]`. */
export function indexElement(element: IndexElement, name: string, on: string): string {
  if ((element.column === undefined) === (element.expression === undefined)) {
    throw new InvalidOperationError(
      `an element of index ${quoteIdentifier(name)} on ${on} must have exactly one of column and expression`,
    )
  }
  const parts = [
    element.column === undefined ? `(${element.expression})` : quoteIdentifier(element.column),
  ]
  // An operator class may be schema-qualified or carry parameters (`gist_trgm_ops(siglen=32)`),
  // so it is SQL, like the expression, and is not quoted.
  if (element.opclass !== undefined) parts.push(element.opclass)
  if (element.order !== undefined) parts.push(element.order.toUpperCase())
  if (element.nulls !== undefined) parts.push(`NULLS ${element.nulls.toUpperCase()}`)
  return parts.join(' ')
}

/** `COMMENT ON TABLE s.t IS '...'`; null removes the comment. */
export function commentOnTable(
  schema: string | undefined,
  table: string,
  comment: string | null,
): string {
  return `COMMENT ON TABLE ${quoteQualified(schema, table)} IS ${commentText(comment)}`
}

/** `COMMENT ON COLUMN s.t.c IS '...'`; null removes the comment. */
export function commentOnColumn(
  schema: string | undefined,
  table: string,
  column: string,
  comment: string | null,
): string {
  return `COMMENT ON COLUMN ${quoteQualified(schema, table)}.${quoteIdentifier(column)} IS ${commentText(comment)}`
}

function commentText(comment: string | null): string {
  // An empty string removes a comment just as NULL does (manual, COMMENT).
  return comment === null ? 'NULL' : quoteString(comment)
}
