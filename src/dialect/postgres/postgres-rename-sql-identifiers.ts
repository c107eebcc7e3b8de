import { quoteIdentifier } from './postgres-quoting.ts'
import { identifierName, type SqlToken, tokenizeSql } from './postgres-sql-tokens.ts'

/**
 * Rewrites the column names an SQL expression mentions, `renames` mapping old names to new ones.
 * PostgreSQL stores checks, index expressions and predicates as parse trees, so after `RENAME
 * COLUMN` it prints them with the new name; the comparison rewrites the database's old text the
 * same way before comparing it with the models.
 *
 * Only identifiers are rewritten: string constants, function names (a word followed by `(`) and
 * type names (after `::`) are left alone.
 *
 * @example
 * renameSqlIdentifiers("lower(fullname) <> 'fullname'", new Map([['fullname', 'full_name']]))
 * // "lower(full_name) <> 'fullname'"
 */
export function renameSqlIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return sql
  return rewriteIdentifiers(sql, (name) => renames.get(name))
}

/**
 * Rewrites the mentions of a renamed table or view in a view's query as `pg_get_viewdef` prints
 * it: a name after a `.` is a column unless what precedes it is the relation's schema
 * (`app.films`); any other mention is taken for the relation or the alias PostgreSQL derives
 * from it (a column of the same name, unqualified, would be rewritten too, and the view then
 * compares as changed and is created again: more work, never a wrong result).
 */
export function renameRelationInQuery(
  sql: string,
  schema: string | undefined,
  from: string,
  to: string,
): string {
  return rewriteIdentifiers(sql, (name, tokens, i) => {
    if (name !== from) return undefined
    const previous = tokens[i - 1]
    if (previous?.kind !== 'punctuation' || previous.text !== '.') return to
    const qualifier = tokens[i - 2]
    const named = qualifier === undefined ? undefined : identifierName(qualifier)
    return schema !== undefined && named === schema ? to : undefined
  })
}

/** Replaces each identifier (not a function or type name) that `pick` gives a new name. */
function rewriteIdentifiers(
  sql: string,
  pick: (name: string, tokens: readonly SqlToken[], i: number) => string | undefined,
): string {
  const tokens = tokenizeSql(sql)
  let out = ''
  let copied = 0
  tokens.forEach((token, i) => {
    const name = identifierName(token)
    if (name === undefined) return
    const renamed = pick(name, tokens, i)
    if (renamed === undefined || isFunctionName(tokens, i) || isTypeName(tokens, i)) return
    out += sql.slice(copied, token.start) + quoteIdentifier(renamed)
    copied = token.end
  })
  return out + sql.slice(copied)
}

function isFunctionName(tokens: readonly SqlToken[], i: number): boolean {
  const next = tokens[i + 1]
  return next?.kind === 'punctuation' && next.text === '('
}

function isTypeName(tokens: readonly SqlToken[], i: number): boolean {
  const previous = tokens[i - 1]
  return previous?.kind === 'operator' && previous.text === '::'
}
