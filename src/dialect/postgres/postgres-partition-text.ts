/**
 * Reads the partition keys and bounds PostgreSQL prints (`pg_get_partkeydef`, and
 * `pg_get_expr(relpartbound, ...)`) back into snapshot data.
 */
import type {
  PartitionBound,
  PartitionKeyDef,
  PartitionStrategy,
} from '../../schema/schema-snapshot.ts'

/**
 * Splits a comma-separated SQL list at its top level: commas inside parentheses, brackets, string
 * constants and quoted identifiers are not separators. Items are trimmed.
 *
 * @example splitSqlList("'a,b', f(x, y), 3") // ["'a,b'", 'f(x, y)', '3']
 */
export function splitSqlList(text: string): readonly string[] {
  const items: string[] = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(' || ch === '[') depth++
    else if (ch === ')' || ch === ']') depth--
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  const last = text.slice(start).trim()
  if (last !== '' || items.length > 0) items.push(last)
  return items
}

/**
 * A partition key as `pg_get_partkeydef` prints it (`RANGE (payment_date)`, `LIST (lower(name))`);
 * undefined for text of another shape.
 */
export function parsePartitionKey(text: string): PartitionKeyDef | undefined {
  const match = /^(RANGE|LIST|HASH) \((.*)\)$/s.exec(text)
  if (match === null) return undefined
  return {
    strategy: match[1]!.toLowerCase() as PartitionStrategy,
    elements: splitSqlList(match[2]!),
  }
}

/**
 * A partition bound as `pg_get_expr(relpartbound, oid)` prints it (ruleutils.c,
 * get_rule_expr for PartitionBoundSpec): `DEFAULT`, `FOR VALUES IN (...)`, `FOR VALUES FROM (...)
 * TO (...)` or `FOR VALUES WITH (modulus m, remainder r)`; undefined for anything else.
 */
export function parsePartitionBound(text: string): PartitionBound | undefined {
  if (text === 'DEFAULT') return { kind: 'default' }
  const list = /^FOR VALUES IN \((.*)\)$/s.exec(text)
  if (list !== null) return { kind: 'list', values: splitSqlList(list[1]!) }
  const hash = /^FOR VALUES WITH \(modulus (\d+), remainder (\d+)\)$/.exec(text)
  if (hash !== null) return { kind: 'hash', modulus: Number(hash[1]), remainder: Number(hash[2]) }
  const range = /^FOR VALUES FROM \((.*)\) TO \((.*)\)$/s.exec(text)
  if (range === null) return undefined
  // The FROM list may itself hold ") TO (" inside a string: split where both halves are lists.
  const whole = text.slice('FOR VALUES FROM ('.length, -1)
  for (let at = whole.indexOf(') TO ('); at >= 0; at = whole.indexOf(') TO (', at + 1)) {
    const from = whole.slice(0, at)
    const to = whole.slice(at + ') TO ('.length)
    if (balanced(from) && balanced(to)) {
      return { kind: 'range', from: splitSqlList(from), to: splitSqlList(to) }
    }
  }
  return undefined
}

/** Whether parentheses balance outside string constants and quoted identifiers. */
function balanced(text: string): boolean {
  let depth = 0
  let quote: string | undefined
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')' && --depth < 0) return false
  }
  return depth === 0 && quote === undefined
}
