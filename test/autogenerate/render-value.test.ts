import { describe, expect, it } from 'vitest'
import { printDoc } from '../../src/autogenerate/render-layout.ts'
import { camelCase } from '../../src/autogenerate/render-names.ts'
import { columnKeys } from '../../src/autogenerate/render-table.ts'
import {
  isVerbatimTemplateText,
  propertyKey,
  renderLiteral,
  renderString,
} from '../../src/autogenerate/render-value.ts'
import { column, T } from '../support/snapshot-literals.ts'

/** Evaluates a rendered expression (plain JavaScript once types are gone). */
function evaluate(code: string): unknown {
  return new Function(`return (${code})`)()
}

const render = (value: unknown): string => printDoc(renderLiteral(value), 0)

/** `${x}` as text, which generated code must keep text. */
const PLACEHOLDER = '$' + '{x}'

describe('literal values', () => {
  const values: Readonly<Record<string, unknown>> = {
    plain: 'hello',
    quotes: `it's "quoted"`,
    backslashes: 'C:\\path\\to\\file \\n not a newline',
    controls: 'a\nb\r\nc\td\u0000e\u00001\b\f\v',
    separators: 'line\u2028para\u2029end',
    loneSurrogates: '\ud800 and \udfff',
    emoji: '🎉 family 👨‍👩‍👧 ünïcödé 日本語',
    invisible: 'zero\u200bwidth\ufeffbom',
    template: `\`${PLACEHOLDER}\` and ${PLACEHOLDER}`,
    numbers: [0, -0, 1.5, -2e-7, 1e21, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE],
    special: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    bigints: [0n, -12345678901234567890n],
    booleans: [true, false],
    nulls: [null, [null]],
    date: new Date('1999-12-31T23:59:59.999Z'),
    bytes: new Uint8Array([0, 127, 128, 255]),
    nested: { a: [1, { b: 'c' }], 'with space': null, 'quo"te': true, 1: 'one', '': 'empty' },
    protoKey: Object.defineProperty({}, '__proto__', {
      value: 'own',
      enumerable: true,
      writable: true,
      configurable: true,
    }),
  }

  it.each(Object.entries(values))('%s renders as a literal that evaluates to it', (_, value) => {
    expect(evaluate(render(value))).toStrictEqual(value)
  })

  it('keeps strings readable: single quotes, double quotes when that saves escapes', () => {
    expect(renderString('plain')).toBe("'plain'")
    expect(renderString("it's")).toBe(`"it's"`)
    expect(renderString(`it's "x"`)).toBe(`'it\\'s "x"'`)
    expect(renderString('日本 🎉')).toBe("'日本 🎉'")
    expect(renderString('a\u2028b')).toBe("'a\\u2028b'")
  })

  it('writes `__proto__` keys as computed keys, and quotes keys that are not identifiers', () => {
    expect(propertyKey('__proto__')).toBe("['__proto__']")
    expect(propertyKey('default')).toBe('default')
    expect(propertyKey('first name')).toBe("'first name'")
    expect(propertyKey('1st')).toBe("'1st'")
  })

  it('puts text in a template literal only when it needs no escaping there', () => {
    expect(isVerbatimTemplateText('lower(email)')).toBe(true)
    expect(isVerbatimTemplateText('a\nb')).toBe(true)
    expect(isVerbatimTemplateText('a`b')).toBe(false)
    expect(isVerbatimTemplateText(PLACEHOLDER)).toBe(false)
    expect(isVerbatimTemplateText('a\\d')).toBe(false)
    expect(isVerbatimTemplateText('a\r\nb')).toBe(false)
  })

  it('wraps long values over lines within 100 columns', () => {
    const text = render({ list: Array.from({ length: 30 }, (_, i) => `item number ${i}`) })
    expect(text.split('\n').every((line) => line.length <= 100)).toBe(true)
    expect(evaluate(text)).toStrictEqual({
      list: Array.from({ length: 30 }, (_, i) => `item number ${i}`),
    })
  })
})

describe('names', () => {
  it('camelCases database names', () => {
    expect(camelCase('hashed_password')).toBe('hashedPassword')
    expect(camelCase('ID_card')).toBe('idCard')
    expect(camelCase('User ID')).toBe('userID')
    expect(camelCase('createdAt')).toBe('createdAt')
    expect(camelCase('__proto__')).toBe('proto')
    expect(camelCase('!!!')).toBe('')
  })

  it('keys columns by camelCase, falling back to the name on a clash', () => {
    const keys = columnKeys(
      ['user_id', 'userId', 'hashed_password', '1st', '!!!', 'proto', '__proto__'].map((name) =>
        column(name, T.text),
      ),
    )
    expect([...keys]).toEqual([
      ['userId', 'userId'],
      ['1st', '1st'],
      ['proto', 'proto'],
      ['user_id', 'user_id'],
      ['hashed_password', 'hashedPassword'],
      ['!!!', '!!!'],
      ['__proto__', '__proto__'],
    ])
  })
})
