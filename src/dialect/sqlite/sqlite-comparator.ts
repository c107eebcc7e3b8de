import type { EngineTableOptions } from '../../schema/engine-options.ts'
import type { ColumnDefault, ColumnType } from '../../schema/schema-snapshot.ts'
import type { Comparator, HintSql, SqlName, TableOptionChanges } from '../comparator.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { spliceSpans } from '../splice-spans.ts'
import { nameOf, stripParentheses, type Token, tokenize } from './sqlite-create-table-text.ts'
import { sqliteExpression } from './sqlite-expression.ts'
import { quoteIdentifier, quoteQualified } from './sqlite-quoting.ts'
import { SqliteTypeMapper, sqliteLiteral } from './sqlite-type-mapper.ts'

const types = new SqliteTypeMapper()

/**
 * SQLite's comparison rules. SQLite keeps every declared type, default and expression as written,
 * so most comparisons are of text; what differs between two spellings of one thing is what
 * SQLite's own rules make equal: keyword and name case, blanks, redundant outer parentheses, and
 * the integer types, which are all one 64-bit INTEGER storage class.
 */
export const sqliteComparator: Comparator = {
  typesEquivalent: (a, b) => typeKey(a) === typeKey(b),
  typeChangeWarning: (column, from, to) =>
    `changes ${column} from ${typeKey(from)} to ${typeKey(to)}: SQLite changes a column's type only by rebuilding the table, and keeps each stored value as its new type's affinity converts it`,
  defaultsEquivalent,
  sqlEquivalent: (a, b) => (a === undefined || b === undefined ? a === b : sqlKey(a) === sqlKey(b)),
  namesIn,
  renameSqlIdentifiers: (sql, renames) =>
    rewriteNames(sql, (token) => renames.get(nameOf(token).toLowerCase())),
  renameRelationInQuery: (sql, _schema, from, to) =>
    rewriteNames(sql, (token, tokens, i) => {
      if (nameOf(token).toLowerCase() !== from.toLowerCase()) return undefined
      // A name after a dot is a column (`films.title`); the relation is the qualifier.
      const previous = tokens[i - 1]
      return previous?.kind === 'other' && previous.text === '.' ? undefined : to
    }),
  // SQLite has no sequences: a default never names one.
  renameSequenceInDefault: (sql) => sql,
  tableOptionChanges,
  hints: sqliteHints(),
}

/** One key per type as SQLite stores it: the integer types are one, names compare in any case. */
function typeKey(type: ColumnType): string {
  switch (type.kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer'
    case 'custom': {
      const sql = type.sql.trim().toLowerCase().replace(/\s+/g, ' ')
      return sql === 'int' ? 'integer' : sql
    }
    case 'enum':
    case 'array':
    case 'interval':
      return JSON.stringify(type)
    default:
      return types.sqlType(type).toLowerCase()
  }
}

/**
 * STRICT and WITHOUT ROWID where the models and the database differ, a flag left out being false
 * (manual, "STRICT Tables", "The WITHOUT ROWID Optimization"); other engines' options are not
 * SQLite's business. Both flags are said either way: an operation reads a flag left out as false.
 */
function tableOptionChanges(
  model: EngineTableOptions | undefined,
  database: EngineTableOptions | undefined,
): TableOptionChanges | undefined {
  const flags = (options: EngineTableOptions | undefined) => ({
    strict: options?.sqlite?.strict === true,
    withoutRowid: options?.sqlite?.withoutRowid === true,
  })
  const to = flags(model)
  const from = flags(database)
  if (to.strict === from.strict && to.withoutRowid === from.withoutRowid) return undefined
  const changed = [
    ...(to.strict === from.strict ? [] : [to.strict ? 'STRICT' : 'not STRICT']),
    ...(to.withoutRowid === from.withoutRowid
      ? []
      : [to.withoutRowid ? 'WITHOUT ROWID' : 'a rowid table']),
  ]
  const costs = [
    ...(to.strict && !from.strict
      ? ["the copy fails, rolling the migration back, on a value its column's type cannot hold"]
      : []),
    ...(to.withoutRowid && !from.withoutRowid
      ? ['an INTEGER PRIMARY KEY keeps its values but numbers no new row']
      : []),
  ]
  return {
    options: { sqlite: to },
    previous: { sqlite: from },
    warning: `rebuilds the table to make it ${changed.join(' and ')}, copying every row${costs.map((c) => `; ${c}`).join('')}`,
  }
}

/** The default as SQLite keeps it: SQL text, a literal rendered, `NULL` for none. */
function defaultText(value: ColumnDefault | undefined, type?: ColumnType): string {
  if (value === undefined) return 'null'
  if (value.kind === 'literal') return sqlKey(sqliteLiteral(value.value, type))
  return sqlKey(value.sql)
}

function defaultsEquivalent(
  model: ColumnDefault | undefined,
  database: ColumnDefault | undefined,
): boolean {
  return defaultText(model) === defaultText(database)
}

/** An expression's tokens, keywords and bare names in lower case, outer parentheses removed. */
function sqlKey(sql: string): string {
  let text = sqliteExpression(sql).trim()
  for (;;) {
    const inner = stripParentheses(text)
    if (inner === text) break
    text = inner
  }
  return tokenize(text)
    .map((t) => (t.kind === 'word' ? t.text.toLowerCase() : t.text === '!=' ? '<>' : t.text))
    .join(' ')
}

function namesIn(sql: string): readonly SqlName[] {
  const tokens = tokenize(sql)
  const out: SqlName[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'word' && token.kind !== 'quoted') return
    const dot = tokens[i - 1]
    const qualifier =
      dot?.kind === 'other' && dot.text === '.' && i >= 2 ? nameOf(tokens[i - 2]!) : undefined
    out.push({ name: token.kind === 'word' ? token.text.toLowerCase() : nameOf(token), qualifier })
  })
  return out
}

/** Replaces each name (not a function name) that `pick` renames, quoted as SQLite needs it. */
function rewriteNames(
  sql: string,
  pick: (token: Token, tokens: readonly Token[], i: number) => string | undefined,
): string {
  const tokens = tokenize(sql)
  return spliceSpans(sql, tokens, (token, i) => {
    if (token.kind !== 'word' && token.kind !== 'quoted') return undefined
    const next = tokens[i + 1]
    if (next?.kind === 'other' && next.text === '(') return undefined
    const renamed = pick(token, tokens, i)
    return renamed === undefined ? undefined : quoteIdentifier(renamed)
  })
}

/**
 * Manual steps on SQLite. It has no enums, domains, composite types, sequences or extensions, so
 * their hints cannot arise from a SQLite database; a change of how a column generates values, or
 * of a generated column, is a table rebuild.
 */
function sqliteHints(): HintSql {
  const none = (what: string) => (): never => {
    throw new InvalidOperationError(`SQLite has no ${what}`)
  }
  const rebuild = (table: string) =>
    `-- rebuild ${table}: CREATE TABLE new_${table} (...); INSERT INTO new_${table} SELECT ... FROM ${table}; DROP TABLE ${table}; ALTER TABLE new_${table} RENAME TO ${table}`
  return {
    describeGenerator: (g) =>
      g.kind === 'none' ? 'no generator' : 'the rowid (INTEGER PRIMARY KEY)',
    changeGenerator: (column) => [rebuild(quoteQualified(column.schema, column.table))],
    changeGeneration: () => undefined,
    rebuildEnum: none('enum types'),
    rebuildDomain: none('domains'),
    alterCompositeType: none('composite types'),
    restartSequence: none('sequences'),
    updateExtension: none('extensions'),
    moveExtension: none('extensions'),
  }
}
