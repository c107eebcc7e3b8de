import { quoteIdentifier } from './postgres-quoting.ts'
import { quotedTokenName, type SqlToken, tokenizeSql } from './postgres-sql-tokens.ts'

/**
 * A comparison key for an SQL expression: the same for spellings PostgreSQL treats as one.
 * Whitespace and comments do not count, unquoted words are folded to lower case (PostgreSQL folds
 * them, manual 4.1.1), a quoted identifier that would not need quotes counts as the bare word
 * (`"status"` = `status`), and parentheses around the whole expression are dropped
 * (`pg_get_constraintdef` prints `(price > 0)` for a check written `price > 0`). String constants
 * keep their case and spacing.
 *
 * This does not replace the database's own normalization (`Introspector.normalize`): `now()` and
 * `CURRENT_TIMESTAMP` stay different. It removes the differences of layout that remain.
 *
 * @example
 * canonicalSql("(price  > 0)") === canonicalSql('PRICE>0') // true
 */
export function canonicalSql(sql: string): string {
  return stripOuterParentheses(tokenizeSql(sql)).map(canonicalToken).join(' ')
}

/** True when two optional SQL expressions are the same expression (both absent counts). */
export function sqlEquivalent(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a === b || canonicalSql(a) === canonicalSql(b)
}

function canonicalToken(token: SqlToken): string {
  switch (token.kind) {
    case 'word':
      return token.text.toLowerCase()
    case 'quoted': {
      const name = quotedTokenName(token)
      return quoteIdentifier(name) === name ? name : token.text
    }
    default:
      return token.text
  }
}

/** Drops parentheses that enclose all of `tokens`, as many layers as there are. */
export function stripOuterParentheses(tokens: readonly SqlToken[]): readonly SqlToken[] {
  let current = tokens
  while (
    current.length >= 2 &&
    isOpen(current[0]) &&
    closingIndex(current, 0) === current.length - 1
  ) {
    current = current.slice(1, -1)
  }
  return current
}

/** The index of the parenthesis closing the one at `open`, or -1. */
function closingIndex(tokens: readonly SqlToken[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!
    if (isOpen(token)) depth++
    else if (isClose(token)) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

function isOpen(token: SqlToken | undefined): boolean {
  return token?.kind === 'punctuation' && token.text === '('
}

function isClose(token: SqlToken | undefined): boolean {
  return token?.kind === 'punctuation' && token.text === ')'
}
