/**
 * MySQL's and MariaDB's lexical rules (MySQL manual, 11.1 "Literal Values", 11.2 "Schema Object
 * Names", 11.7 "Comments"), enough to compare the expressions the server prints with those the
 * models write, to rename names inside them, and to split a script into statements. The default
 * SQL mode is assumed: backslash escapes in strings, and double quotes around strings (models
 * write names in double quotes, so callers decide what a double-quoted token means).
 */

/** What a token is. */
export type TokenKind =
  /** A bare word: a keyword, a function or a name. */
  | 'word'
  /** `` `name` ``, delimiters included. */
  | 'name'
  /** `"text"`: a string in MySQL's default mode, a name in ANSI_QUOTES mode and in models. */
  | 'double'
  /** `'text'` (or `N'text'`), delimiters included. */
  | 'string'
  /** `X'0aff'`, `0x0aff`, `B'0101'`, `0b0101`: bytes. */
  | 'hex'
  /** A decimal number without its sign. */
  | 'number'
  /** `@name` or `@@name`. */
  | 'variable'
  /** An operator or punctuation. */
  | 'other'

export interface Token {
  readonly kind: TokenKind
  /** The token as written. */
  readonly text: string
  /**
   * What it stands for: a string's or name's text without quotes and escapes, a byte literal's
   * hex digits in lower case; the text itself for the other kinds.
   */
  readonly value: string
  /** Offset of the first character. */
  readonly start: number
  /** Offset just past the last character. */
  readonly end: number
}

/** Operators of more than one character, longest first (manual, 14.4 "Operators"). */
const OPERATORS = ['<=>', '->>', '<>', '!=', '<=', '>=', '<<', '>>', '&&', '||', ':=', '->']

/** Letters of a bare word: ASCII letters, digits, `_`, `$` and any non-ASCII character. */
const WORD = /[A-Za-z0-9_$\u0080-\uffff]/
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y
const HEX_NUMBER = /0x[0-9a-fA-F]+|0b[01]+/y

/** Backslash escapes in strings (manual, table 11.1); any other `\x` stands for `x`. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  // `\%` and `\_` keep their backslash: they are LIKE patterns' escapes.
  '%': '\\%',
  _: '\\_',
}

/**
 * The tokens of `sql`; blanks and comments (`#`, `-- ` and `/* *\/`, executable comments too) are
 * skipped. An unterminated string, name or comment runs to the end of the text.
 */
export function tokenize(sql: string): readonly Token[] {
  const tokens: Token[] = []
  let i = 0
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end)
    tokens.push({ kind, text, value: value ?? text, start, end })
  }
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1] ?? ''
    if (/\s/.test(c)) {
      i++
    } else if (
      c === '#' ||
      (c === '-' && next === '-' && /^$|[\s\x00-\x1f]/.test(sql[i + 2] ?? ''))
    ) {
      // `--` starts a comment only when a blank or a control character follows (manual, 11.7).
      const end = sql.indexOf('\n', i)
      i = end < 0 ? sql.length : end + 1
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === "'" || c === '"' || c === '`') {
      const [end, value] = quoted(sql, i, c)
      push(c === "'" ? 'string' : c === '"' ? 'double' : 'name', i, end, value)
      i = end
    } else if ((c === 'x' || c === 'X' || c === 'b' || c === 'B') && next === "'") {
      const close = sql.indexOf("'", i + 2)
      const end = close < 0 ? sql.length : close + 1
      const digits = sql.slice(i + 2, close < 0 ? sql.length : close)
      push('hex', i, end, c === 'x' || c === 'X' ? digits.toLowerCase() : bitsToHex(digits))
      i = end
    } else if ((c === 'n' || c === 'N' || c === 'e' || c === 'E') && next === "'") {
      // A national string: utf8 text, the same value as without the N. A model's escape string
      // `E'...'` reads its backslashes as MySQL's strings do (MySQL itself has no E prefix).
      const [end, value] = quoted(sql, i + 1, "'")
      push('string', i, end, value)
      i = end
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next))) {
      const hexEnd = matchAt(HEX_NUMBER, sql, i)
      const end = matchAt(NUMBER, sql, i)!
      if (hexEnd !== undefined && !WORD.test(sql[hexEnd] ?? '')) {
        const digits = sql.slice(i + 2, hexEnd)
        push('hex', i, hexEnd, sql[i + 1] === 'x' ? digits.toLowerCase() : bitsToHex(digits))
        i = hexEnd
      } else if (WORD.test(sql[hexEnd ?? end] ?? '')) {
        // `1st_place` and `0xzz` are names: names may start with digits (manual, 11.2).
        const wordStop = wordEnd(sql, i)
        push('word', i, wordStop)
        i = wordStop
      } else {
        push('number', i, end)
        i = end
      }
    } else if (c === '@') {
      let end = i + 1
      if (sql[end] === '@') end++
      if (sql[end] === "'" || sql[end] === '"' || sql[end] === '`')
        end = quoted(sql, end, sql[end]!)[0]
      else end = wordEnd(sql, end)
      push('variable', i, end)
      i = end
    } else if (WORD.test(c)) {
      const end = wordEnd(sql, i)
      push('word', i, end)
      i = end
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i)) ?? c
      push('other', i, i + op.length)
      i += op.length
    }
  }
  return tokens
}

/** The end of a quoted token opened at `start` by `quote`, and its unescaped value. */
function quoted(sql: string, start: number, quote: string): [end: number, value: string] {
  let value = ''
  let i = start + 1
  while (i < sql.length) {
    const c = sql[i]!
    if (c === quote) {
      if (sql[i + 1] === quote) {
        value += quote
        i += 2
        continue
      }
      return [i + 1, value]
    }
    if (c === '\\' && quote !== '`' && i + 1 < sql.length) {
      const e = sql[i + 1]!
      value += ESCAPES[e] ?? e
      i += 2
      continue
    }
    value += c
    i++
  }
  return [sql.length, value]
}

function wordEnd(sql: string, start: number): number {
  let i = start
  while (i < sql.length && WORD.test(sql[i]!)) i++
  return i
}

function matchAt(pattern: RegExp, sql: string, at: number): number | undefined {
  pattern.lastIndex = at
  const match = pattern.exec(sql)
  return match === null || match[0] === '' ? undefined : at + match[0].length
}

function bitsToHex(bits: string): string {
  if (bits === '') return ''
  return BigInt(`0b${bits}`)
    .toString(16)
    .padStart(Math.ceil(bits.length / 8) * 2, '0')
}

/** A name token's text as the server compares it: unquoted; a bare word as written. */
export function nameOf(token: Token): string {
  return token.kind === 'word' ? token.text : token.value
}

/** Words that open a stored program's body, whose `;` end its inner statements, not it. */
const ROUTINES = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT'])
/** Words after END that close an inner statement rather than a BEGIN or CASE. */
const END_OF_INNER = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT'])

/**
 * The statements of a script, split at semicolons outside strings, names and comments, trimmed,
 * without empty ones (a statement of comments alone is empty: the server refuses it as "Query was
 * empty"). The compound body of `CREATE TRIGGER`, `PROCEDURE`, `FUNCTION` or `EVENT`, and a
 * MariaDB `BEGIN NOT ATOMIC` block, stay one statement: there BEGIN and CASE open a level that
 * END closes (`END IF`, `END LOOP`, `END WHILE` and `END REPEAT` close statements that opened
 * none). Scripts with `DELIMITER` lines (a client command, not SQL) are not supported.
 *
 * @example
 * splitStatements("CREATE TABLE a (x int); INSERT INTO a VALUES (1); -- done")
 * // ['CREATE TABLE a (x int)', 'INSERT INTO a VALUES (1)']
 */
export function splitStatements(script: string): string[] {
  const tokens = tokenize(script)
  const statements: string[] = []
  let start = 0
  /** The index of the current statement's first token; -1 before it has one. */
  let first = -1
  let depth = 0
  let compound: boolean | undefined
  tokens.forEach((token, i) => {
    if (token.kind === 'other' && token.text === ';' && depth <= 0) {
      if (first >= 0) statements.push(script.slice(start, token.start).trim())
      start = token.end
      first = -1
      depth = 0
      compound = undefined
      return
    }
    if (first < 0) first = i
    if (token.kind !== 'word') return
    const upper = token.text.toUpperCase()
    if (upper !== 'BEGIN' && upper !== 'CASE' && upper !== 'END') return
    compound ??= hasCompoundBody(tokens, first)
    if (!compound) return
    const afterEnd = tokens[i - 1]?.kind === 'word' && tokens[i - 1]!.text.toUpperCase() === 'END'
    if (upper === 'BEGIN' || upper === 'CASE') {
      // The CASE of `END CASE` closes, with its END, rather than opens.
      if (!afterEnd) depth++
    } else if (!END_OF_INNER.has(tokens[i + 1]?.text.toUpperCase() ?? '')) depth--
  })
  if (first >= 0) statements.push(script.slice(start).trim())
  return statements
}

/**
 * Whether the statement starting at token `first` has a compound body: its first words say so,
 * and twelve tokens cover `CREATE OR REPLACE DEFINER = user@host TRIGGER`.
 */
function hasCompoundBody(tokens: readonly Token[], first: number): boolean {
  const words = tokens
    .slice(first, first + 12)
    .filter((t) => t.kind === 'word')
    .map((t) => t.text.toUpperCase())
  if (words[0] === 'BEGIN' && words[1] === 'NOT' && words[2] === 'ATOMIC') return true
  return words[0] === 'CREATE' && words.slice(1).some((w) => ROUTINES.has(w))
}
