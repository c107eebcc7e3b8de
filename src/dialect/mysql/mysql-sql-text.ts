import type { LiteralValue } from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { quoteString } from './mysql-quoting.ts'
import { mysqlLiteral } from './mysql-type-mapper.ts'

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
function pieces(sql: string): Piece[] {
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
 * A model's SQL expression (a default, a check, an index expression) in MySQL's spelling. The
 * models write expressions in standard SQL, as PostgreSQL and SQLite read it: names in double
 * quotes, strings with backslashes taken literally (or PostgreSQL's `E'...'`). MySQL reads double
 * quotes as a string and backslashes as escapes, so names move to backticks and every string
 * holding a backslash is written in a form no SQL mode can misread.
 */
export function mysqlExpression(sql: string): string {
  return pieces(sql)
    .map((p) => {
      switch (p.kind) {
        case 'doubleQuoted':
          return `\`${p.text.slice(1, -1).replace(/""/g, '"').replace(/`/g, '``')}\``
        case 'string':
          return p.text.includes('\\')
            ? quoteString(p.text.slice(1, -1).replace(/''/g, "'"))
            : p.text
        case 'escapeString':
          return quoteString(escapeStringBody(p.text.slice(1, -1)))
        default:
          return p.text
      }
    })
    .join('')
}

/** The text of a PostgreSQL `E'...'` string's body. */
function escapeStringBody(body: string): string {
  return body
    .replace(/''/g, "'")
    .replace(/\\(.)/gs, (_, ch: string) =>
      ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === 'r' ? '\r' : ch,
    )
}

/**
 * Replaces the `?` parameters of `sql` by literals, for offline scripts and for bookkeeping sent
 * in one script: strings, quoted names and comments are copied as they are, so a `?` inside them
 * stays.
 */
export function inlineMysqlParams(sql: string, params: readonly unknown[]): string {
  if (params.length === 0) return sql
  let next = 0
  const out = pieces(sql).map((p) => {
    if (p.kind !== 'code') return p.text
    return p.text.replace(/\?/g, () => {
      if (next >= params.length) {
        throw new InvalidOperationError(
          `the statement has more ? parameters than the ${params.length} given`,
        )
      }
      return mysqlLiteralOf(params[next++])
    })
  })
  return out.join('')
}

/**
 * A bound value as a literal: what the driver would send, written as SQL (the type mapper's
 * literal, read without a column type).
 */
export function mysqlLiteralOf(value: unknown): string {
  return value === undefined ? 'NULL' : mysqlLiteral(value as LiteralValue, undefined)
}
