import { escapeStringText } from '../escape-string-text.ts'

/** A stretch of SQL text as MySQL's lexer sees it. */
interface Piece {
  readonly kind: 'string' | 'escapeString' | 'doubleQuoted' | 'backtick' | 'comment' | 'code'
  readonly text: string
}

/**
 * Cuts SQL text into strings, quoted names, comments and the code between them, so that a
 * rewrite touches only what it means to. Strings are read both ways a model or a migration may
 * write them: `'...'` with doubled quotes (and MySQL's backslash escapes skipped over), and
 * PostgreSQL's `E'...'`.
 */
export function pieces(sql: string): Piece[] {
  const out: Piece[] = []
  let code = ''
  const flush = () => {
    if (code !== '') out.push({ kind: 'code', text: code })
    code = ''
  }
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === "'" || c === '"' || c === '`') {
      const escapeString =
        c === "'" && /[eE]$/.test(code) && !/[A-Za-z0-9_$]$/.test(code.slice(0, -1))
      let j = i + 1
      for (; j < sql.length; j++) {
        if (sql[j] === '\\' && c !== '`') j++
        else if (sql[j] === c) {
          if (sql[j + 1] === c) j++
          else break
        }
      }
      if (escapeString) code = code.slice(0, -1)
      flush()
      const kind =
        c === '`'
          ? 'backtick'
          : c === '"'
            ? 'doubleQuoted'
            : escapeString
              ? 'escapeString'
              : 'string'
      out.push({ kind, text: sql.slice(i, j + 1) })
      i = j + 1
    } else if ((c === '-' && next === '-') || c === '#') {
      const end = sql.indexOf('\n', i)
      flush()
      out.push({ kind: 'comment', text: sql.slice(i, end < 0 ? sql.length : end) })
      i = end < 0 ? sql.length : end
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      flush()
      out.push({ kind: 'comment', text: sql.slice(i, end < 0 ? sql.length : end + 2) })
      i = end < 0 ? sql.length : end + 2
    } else {
      code += c
      i++
    }
  }
  flush()
  return out
}

/**
 * A model's SQL expression (a default, a check, an index expression, a view) in MySQL's spelling.
 * The models write expressions in standard SQL, as PostgreSQL and SQLite read it: names in double
 * quotes, strings with backslashes taken literally (or PostgreSQL's `E'...'`). MySQL reads double
 * quotes as a string, so names move to backticks; a string holding a backslash is written the way
 * the session's `sql_mode` reads it. The server keeps these expressions as text and parses them
 * again, so the mode-proof hex form used for data will not do: MariaDB 10.11 prints
 * `_utf8mb4 X'5c74'` back as `'\t'` and then checks a CHECK against a tab.
 */
export function mysqlExpression(
  sql: string,
  server: { readonly backslashEscapes: boolean },
): string {
  const string = (text: string) =>
    `'${(server.backslashEscapes ? text.replace(/\\/g, '\\\\') : text).replace(/'/g, "''")}'`
  return pieces(sql)
    .map((p) => {
      switch (p.kind) {
        case 'doubleQuoted':
          return `\`${p.text.slice(1, -1).replace(/""/g, '"').replace(/`/g, '``')}\``
        case 'string':
          return p.text.includes('\\') ? string(p.text.slice(1, -1).replace(/''/g, "'")) : p.text
        case 'escapeString':
          return string(escapeStringText(p.text.slice(1, -1)))
        default:
          return p.text
      }
    })
    .join('')
}
