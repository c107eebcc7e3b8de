import { assertNever, type MigrationOp } from '../../operations/migration-op.ts'
import type { CompiledStatement, DdlCompiler } from '../dialect.ts'
import { POSTGRES_KEYWORDS } from './postgres-keywords.ts'

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/

/** Compiles operations to PostgreSQL statements and renders identifiers and literals. */
export class PostgresDdlCompiler implements DdlCompiler {
  compile(op: MigrationOp): readonly CompiledStatement[] {
    switch (op.kind) {
      case 'execute':
        return [{ sql: op.sql, params: op.params }]
      default:
        return assertNever(op.kind)
    }
  }

  /**
   * Quotes a name unless it is lower case, plain and not a keyword: PostgreSQL folds unquoted
   * names to lower case (manual, 4.1.1 "Identifiers and Key Words").
   */
  quoteIdentifier(name: string): string {
    if (PLAIN_IDENTIFIER.test(name) && !POSTGRES_KEYWORDS.has(name)) return name
    return `"${name.replace(/"/g, '""')}"`
  }

  quoteQualified(schema: string | undefined, name: string): string {
    return schema === undefined
      ? this.quoteIdentifier(name)
      : `${this.quoteIdentifier(schema)}.${this.quoteIdentifier(name)}`
  }

  /**
   * Renders a value the way node-postgres would send it as a parameter, but inline: strings with
   * doubled quotes (standard_conforming_strings is on by default since 9.1), numbers and booleans
   * bare, dates in ISO 8601, buffers as bytea hex, arrays as array literals, objects as JSON.
   */
  renderLiteral(value: unknown): string {
    if (value === null || value === undefined) return 'NULL'
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `'${String(value)}'`
      return String(value)
    }
    if (typeof value === 'bigint') return value.toString()
    if (typeof value === 'boolean') return value ? 'true' : 'false'
    if (value instanceof Date) return quoteString(value.toISOString())
    if (value instanceof Uint8Array) return `'\\x${Buffer.from(value).toString('hex')}'`
    if (Array.isArray(value)) return quoteString(arrayLiteral(value))
    if (typeof value === 'object') return quoteString(JSON.stringify(value))
    return quoteString(String(value))
  }

  inlineParams(sql: string, params: readonly unknown[]): string {
    if (params.length === 0) return sql
    return replacePlaceholders(sql, (index) => {
      if (index < 1 || index > params.length) {
        throw new RangeError(`$${index} has no parameter (${params.length} given)`)
      }
      return this.renderLiteral(params[index - 1])
    })
  }

  placeholder(index: number): string {
    return `$${index}`
  }
}

function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

function arrayLiteral(items: readonly unknown[]): string {
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL'
    if (Array.isArray(item)) return arrayLiteral(item)
    const text =
      item instanceof Date
        ? item.toISOString()
        : typeof item === 'object'
          ? JSON.stringify(item)
          : String(item)
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  })
  return `{${parts.join(',')}}`
}

/**
 * Calls `render` for each `$n` placeholder that is not inside a string, a quoted identifier, a
 * dollar-quoted body or a comment, and splices in what it returns.
 */
function replacePlaceholders(sql: string, render: (index: number) => string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c)
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

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  return sql.length
}
