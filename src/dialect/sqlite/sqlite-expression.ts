import { escapeStringText } from '../escape-string-text.ts'
import { spliceSpans } from '../splice-spans.ts'
import { tokenize } from './sqlite-create-table-text.ts'

/** A string literal: SQLite reads backslashes literally, so only quotes are doubled. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/**
 * A model's SQL expression (a default, a check, an index expression, a view) in SQLite's
 * spelling. Models write standard SQL, which SQLite reads as it is, except for the escape-string
 * form `E'...'` a model uses for text holding a backslash: SQLite has no such form and takes
 * backslashes literally, so each one becomes a plain string of the same text.
 */
export function sqliteExpression(sql: string): string {
  if (!/[eE]'/.test(sql)) return sql
  const tokens = tokenize(sql)
  const spans = tokens.flatMap((token, i) => {
    const string = tokens[i + 1]
    return /^[eE]$/.test(token.text) && string?.kind === 'string' && string.start === token.end
      ? [{ start: token.start, end: string.end, body: string.text.slice(1, -1) }]
      : []
  })
  return spliceSpans(sql, spans, (span) => quote(escapeStringText(span.body)))
}
