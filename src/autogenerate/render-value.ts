import { array, call, type Doc, object } from './render-layout.ts'

/**
 * TypeScript literals for JavaScript values: strings, numbers, bigints, booleans, null, dates,
 * bytes, arrays and plain objects, written so that evaluating the code gives back an equal value.
 */

/**
 * A string literal, single-quoted unless the text has more single quotes than double ones (the
 * formatter's rule: fewest escapes). Control characters, invisible format characters, line and
 * paragraph separators and lone surrogates are escaped (a lone surrogate cannot even be stored in
 * a UTF-8 file); other characters, accents and CJK included, are kept as they are, so the code
 * reads like the data.
 *
 * @example
 * renderString('ok')    // 'ok'
 * renderString("it's")  // "it's"
 */
export function renderString(text: string): string {
  const singles = text.split("'").length - 1
  const doubles = text.split('"').length - 1
  const quote = singles > doubles ? '"' : "'"
  return `${quote}${escapeChars(text, quote)}${quote}`
}

/**
 * A string for a statement that reads better across lines (SQL with newlines): a template
 * literal when the text needs no escaping inside one, otherwise a single-quoted string.
 */
export function renderLongString(text: string): string {
  return /\n/.test(text) && isVerbatimTemplateText(text) ? `\`${text}\`` : renderString(text)
}

/**
 * True when `text` can sit between backticks unchanged: no backtick, no backslash, no `${`, and
 * no carriage return (template literals fold CR and CRLF into LF) or other escaped character.
 */
export function isVerbatimTemplateText(text: string): boolean {
  if (/[`\\]/.test(text) || text.includes('${')) return false
  const lines = text.split('\n')
  return lines.every((line) => escapeChars(line, '') === line)
}

/** A JavaScript value as a TypeScript expression that evaluates to an equal value. */
export function renderLiteral(value: unknown): Doc {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'undefined':
      return 'undefined'
    case 'string':
      return renderString(value)
    case 'number':
      return renderNumber(value)
    case 'bigint':
      return `${value.toString()}n`
    case 'boolean':
      return String(value)
    case 'object':
      break
    default:
      throw new TypeError(`cannot write a ${typeof value} as a TypeScript literal`)
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? "new Date('invalid')"
      : call('new Date', [renderString(value.toISOString())])
  }
  if (value instanceof Uint8Array) {
    return call('new Uint8Array', [array([...value].map((byte) => String(byte)))])
  }
  if (Array.isArray(value)) {
    return array(
      Array.from({ length: value.length }, (_, i) =>
        i in value ? renderLiteral(value[i]) : 'undefined',
      ),
    )
  }
  return object(
    Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => [propertyKey(key), renderLiteral(item)] as const,
    ),
  )
}

/**
 * An object literal key: bare when it is an identifier (reserved words included, which are valid
 * keys), quoted otherwise; `__proto__` is computed, because as a plain key it would set the
 * object's prototype instead of a property.
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return "['__proto__']"
  return isIdentifierName(key) ? key : renderString(key)
}

/** Property access on an expression: `t.email`, or `t['first name']`. */
export function memberAccess(target: string, key: string): string {
  return isIdentifierName(key) ? `${target}.${key}` : `${target}[${renderString(key)}]`
}

/** True for an IdentifierName (which reserved words are too): what may follow a dot. */
export function isIdentifierName(text: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(text)
}

function renderNumber(value: number): string {
  if (Number.isNaN(value)) return 'Number.NaN'
  if (value === Number.POSITIVE_INFINITY) return 'Number.POSITIVE_INFINITY'
  if (value === Number.NEGATIVE_INFINITY) return 'Number.NEGATIVE_INFINITY'
  if (Object.is(value, -0)) return '-0'
  // `1e21`, as the formatter writes exponents, not `1e+21`.
  return String(value).replace('e+', 'e')
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
}

/** Escapes backslashes, the quote character and everything that is not visible text. */
function escapeChars(text: string, quote: string): string {
  let out = ''
  for (const char of text) {
    const escaped = ESCAPES[char]
    if (escaped !== undefined) out += escaped
    else if (char === quote) out += `\\${quote}`
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u.test(char)) out += unicodeEscape(char)
    else out += char
  }
  return out
}

function unicodeEscape(char: string): string {
  // A lone surrogate is one UTF-16 unit; any other character here is in the BMP or astral.
  const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i))
  return units.map((unit) => `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`).join('')
}
