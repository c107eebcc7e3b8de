/**
 * Calls `render` for each `$n` placeholder of `sql` that is not inside a string, a quoted
 * identifier, a dollar-quoted body or a comment, and splices in what it returns. This is how
 * offline scripts inline parameters, so it must read SQL the way PostgreSQL's lexer does
 * (manual, 4.1 "Lexical Structure").
 */
export function replacePlaceholders(sql: string, render: (index: number) => string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c, c === "'" && isEscapeStringPrefix(sql, i))
      out += sql.slice(i, end)
      i = end
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end < 0 ? sql.length : end
      out += sql.slice(i, stop)
      i = stop
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      const stop = end < 0 ? sql.length : end + 2
      out += sql.slice(i, stop)
      i = stop
    } else if (c === '$') {
      const digits = /^\$(\d+)/.exec(sql.slice(i, i + 12))
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66))
      if (digits && !/[\w$]/.test(sql[i - 1] ?? '')) {
        out += render(Number(digits[1]))
        i += digits[0].length
      } else if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length)
        const stop = end < 0 ? sql.length : end + tag[0].length
        out += sql.slice(i, stop)
        i = stop
      } else {
        out += c
        i++
      }
    } else {
      out += c
      i++
    }
  }
  return out
}

/**
 * True when the quote at `start` opens an escape string, `E'...'`: the `E` (either case) must
 * stand alone, not end a longer word such as `some'` (manual, 4.1.2.2 "String Constants with
 * C-Style Escapes").
 */
function isEscapeStringPrefix(sql: string, start: number): boolean {
  const prefix = sql[start - 1]
  if (prefix !== 'E' && prefix !== 'e') return false
  return !/[\w$]/.test(sql[start - 2] ?? '')
}

/**
 * The index just past the quote that closes the literal opened at `start`. A doubled quote is an
 * escaped quote; in an escape string a backslash also escapes the character after it (`\'`).
 */
function closingQuote(
  sql: string,
  start: number,
  quote: string,
  backslashEscapes: boolean,
): number {
  let i = start + 1
  while (i < sql.length) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') i += 2
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  return sql.length
}
