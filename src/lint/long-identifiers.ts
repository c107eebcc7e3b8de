/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated (manual, 4.1.1). */
export const MAX_IDENTIFIER_BYTES = 63

/**
 * The identifiers in a SQL statement that are longer than PostgreSQL keeps. The parser cannot
 * report them: like the server, it truncates them to 63 bytes before anyone sees the tree. So
 * this walks the text itself, skipping string literals, dollar-quoted bodies and comments, and
 * measures quoted (`"..."`) and bare words in UTF-8 bytes.
 */
export function longIdentifiers(sql: string): readonly string[] {
  const found: string[] = []
  let i = 0
  const n = sql.length
  while (i < n) {
    const c = sql[i]!
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? n : end + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? n : end + 2
    } else if (c === "'") {
      i = skipQuoted(sql, i, "'")
    } else if (c === '"') {
      const end = skipQuoted(sql, i, '"')
      const name = sql.slice(i + 1, end - 1).replace(/""/g, '"')
      if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) found.push(name)
      i = end
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))
      if (tag === null) {
        i++
      } else {
        const end = sql.indexOf(tag[0], i + tag[0].length)
        i = end === -1 ? n : end + tag[0].length
      }
    } else if (/[\p{L}_]/u.test(c)) {
      let end = i + 1
      while (end < n && /[\p{L}\p{N}_$]/u.test(sql[end]!)) end++
      const word = sql.slice(i, end)
      if (Buffer.byteLength(word, 'utf8') > MAX_IDENTIFIER_BYTES) found.push(word)
      i = end
    } else {
      i++
    }
  }
  return found
}

/** The index just past a literal that starts at `start` with `quote` (a doubled quote escapes). */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else {
      i++
    }
  }
  return sql.length
}
