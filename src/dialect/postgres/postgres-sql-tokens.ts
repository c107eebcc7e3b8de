import type { SqlName } from '../comparator.ts'

/** What a token of an SQL expression is. */
export type SqlTokenKind =
  /** `'text'`, `E'a\'b'`, `$tag$text$tag$`: a string constant, delimiters included. */
  | 'string'
  /** A bare word: a keyword, a column, a function or type name. */
  | 'word'
  /** A double-quoted identifier, quotes included. */
  | 'quoted'
  | 'number'
  /** `$1`: a positional parameter. */
  | 'param'
  /** `::`, `=`, `<>`, `||`, ...: a run of operator characters. */
  | 'operator'
  /** `(`, `)`, `[`, `]`, `,`, `;`, `.` */
  | 'punctuation'

/** One token of an SQL expression, with its place in the text. */
export interface SqlToken {
  readonly kind: SqlTokenKind
  readonly text: string
  /** Offset of the first character. */
  readonly start: number
  /** Offset just past the last character. */
  readonly end: number
}

const OPERATOR_CHARS = new Set('+-*/<>=~!@#%^&|`?:')
const PUNCTUATION = new Set('()[],;.')
const WORD_START = /[A-Za-z_\u0080-\uffff]/
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/

/**
 * Splits an SQL expression (a default, a check, an index expression or predicate) into tokens,
 * following PostgreSQL's lexical rules closely enough to compare and rewrite expressions: string
 * constants (standard, `E'...'` with backslash escapes, dollar-quoted), quoted identifiers,
 * numbers, parameters, operators and punctuation (manual, 4.1 "Lexical Structure"). Whitespace and
 * comments are dropped. Unterminated quotes run to the end of the text rather than throw: the
 * tokens are only ever compared, never executed.
 */
export function tokenizeSql(sql: string): readonly SqlToken[] {
  const tokens: SqlToken[] = []
  let i = 0
  const push = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end })
    i = end
  }
  while (i < sql.length) {
    const c = sql[i]!
    if (/\s/.test(c)) {
      i++
    } else if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i)
      i = newline < 0 ? sql.length : newline + 1
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2)
      i = close < 0 ? sql.length : close + 2
    } else if (c === "'") {
      // An E prefix right before the quote turns on backslash escapes (manual 4.1.2.2).
      const previous = tokens.at(-1)
      const escapes =
        previous !== undefined &&
        previous.kind === 'word' &&
        previous.end === i &&
        previous.text.toLowerCase() === 'e'
      if (escapes) {
        tokens.pop()
        i = previous.start
      }
      push('string', quotedEnd(sql, escapes ? i + 2 : i + 1, "'", escapes))
    } else if (c === '"') {
      push('quoted', quotedEnd(sql, i + 1, '"', false))
    } else if (c === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i))
      if (tag !== null) {
        const close = sql.indexOf(tag[0], i + tag[0].length)
        push('string', close < 0 ? sql.length : close + tag[0].length)
      } else {
        let end = i + 1
        while (end < sql.length && /\d/.test(sql[end]!)) end++
        push(end > i + 1 ? 'param' : 'operator', end)
      }
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(sql[i + 1] ?? ''))) {
      push('number', i + NUMBER.exec(sql.slice(i))![0].length)
    } else if (WORD_START.test(c)) {
      let end = i + 1
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++
      push('word', end)
    } else if (sql.startsWith('::', i)) {
      // The cast operator stands alone, so that `)::text` and `) :: text` compare equal.
      push('operator', i + 2)
    } else if (OPERATOR_CHARS.has(c)) {
      let end = i + 1
      while (end < sql.length && OPERATOR_CHARS.has(sql[end]!) && !sql.startsWith('::', end)) {
        end++
      }
      push('operator', end)
    } else if (PUNCTUATION.has(c)) {
      push('punctuation', i + 1)
    } else {
      push('operator', i + 1)
    }
  }
  return tokens
}

/** The end of a quoted token whose body starts at `from`; a doubled quote is part of the body. */
function quotedEnd(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from
  while (i < sql.length) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') {
      i += 2
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else {
      i++
    }
  }
  return sql.length
}

/** The value of a standard string token (`'it''s'` -> `it's`); undefined for other strings. */
export function stringTokenValue(token: SqlToken): string | undefined {
  if (token.kind !== 'string' || !token.text.startsWith("'")) return undefined
  const body = token.text.endsWith("'") && token.text.length >= 2 ? token.text.slice(1, -1) : ''
  return body.replace(/''/g, "'")
}

/** The name a quoted-identifier token stands for (`"Foo""s"` -> `Foo"s`). */
export function quotedTokenName(token: SqlToken): string {
  const body = token.text.endsWith('"') && token.text.length >= 2 ? token.text.slice(1, -1) : ''
  return body.replace(/""/g, '"')
}

/** The name an identifier token stands for: a bare word folds to lower case (manual 4.1.1). */
export function identifierName(token: SqlToken): string | undefined {
  if (token.kind === 'word') return token.text.toLowerCase()
  if (token.kind === 'quoted') return quotedTokenName(token)
  return undefined
}

/** Every word and quoted name of `sql`, each with the name before a `.` in front of it. */
export function namesIn(sql: string): readonly SqlName[] {
  const tokens = tokenizeSql(sql)
  const out: SqlName[] = []
  tokens.forEach((token, i) => {
    const name = identifierName(token)
    if (name === undefined) return
    const dot = tokens[i - 1]
    const qualifier = tokens[i - 2]
    out.push({
      name,
      qualifier:
        dot?.kind === 'punctuation' && dot.text === '.' && qualifier !== undefined
          ? identifierName(qualifier)
          : undefined,
    })
  })
  return out
}
