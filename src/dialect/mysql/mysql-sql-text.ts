import type { LiteralValue } from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { pieces } from './mysql-expression.ts'
import { mysqlLiteral } from './mysql-type-mapper.ts'

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
