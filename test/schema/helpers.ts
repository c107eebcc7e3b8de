import { expect } from 'vitest'
import { AludelError } from '../../src/aludel-error.ts'
import { SchemaModelError, type SchemaModelErrorCode } from '../../src/schema/schema-model-error.ts'
import type {
  ColumnDef,
  IndexDef,
  IndexElement,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import { column, element, index, table } from '../support/snapshot-literals.ts'

/** A ColumnDef literal with every field present: nullable, no default, not identity or serial. */
export const columnDef = column

/** An index element on a column, every field present. */
export function columnElement(name: string, overrides: Partial<IndexElement> = {}): IndexElement {
  return element({ ...overrides, column: name })
}

/** An index element on an expression, every field present. */
export function expressionElement(
  expression: string,
  overrides: Partial<IndexElement> = {},
): IndexElement {
  return element({ ...overrides, expression })
}

/** An IndexDef literal: not unique, btree, not partial, no include. */
export function indexDef(
  name: string,
  elements: readonly IndexElement[],
  overrides: Partial<IndexDef> = {},
): IndexDef {
  return { ...index(name, [], overrides), elements }
}

/** A TableDef literal with every list empty unless given. */
export function tableDef(
  name: string,
  columns: readonly ColumnDef[],
  overrides: Partial<TableDef> = {},
): TableDef {
  return table(name, { ...overrides, columns })
}

/** An identity definition: by default, no start or increment unless given. */
export function identity(overrides: { always?: boolean; start?: number; increment?: number } = {}) {
  return { always: false, start: undefined, increment: undefined, ...overrides }
}

/**
 * The SchemaModelError `fn` throws, checked to carry `code`, to be a usage AludelError and to
 * have a one-line message; fails the test when nothing is thrown.
 */
export function thrown(fn: () => unknown, code: SchemaModelErrorCode): SchemaModelError {
  let error: unknown
  try {
    fn()
  } catch (caught) {
    error = caught
  }
  if (error === undefined)
    throw new Error(`expected a SchemaModelError ${code}, but nothing was thrown`)
  expect(error).toBeInstanceOf(SchemaModelError)
  expect(error).toBeInstanceOf(AludelError)
  const e = error as SchemaModelError
  expect(e.code).toBe(code)
  expect(e.category).toBe('usage')
  expect(e.name).toBe('SchemaModelError')
  expect(e.message).not.toContain('\n')
  return e
}

/**
 * Asserts a value is plain data: objects with Object.prototype, arrays, primitives, and the
 * literal types a default may hold (Date, Uint8Array); no functions, symbols or class instances.
 */
export function expectPlainData(value: unknown, path = 'snapshot'): void {
  if (value === null || value === undefined) return
  const type = typeof value
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return
  if (type === 'function' || type === 'symbol') throw new Error(`${path} is a ${type}`)
  if (value instanceof Date || value instanceof Uint8Array) return
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      expectPlainData(item, `${path}[${i}]`)
    })
    return
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new Error(`${path} is not a plain object (${Object.prototype.toString.call(value)})`)
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Error(`${path} has symbol keys`)
  for (const [key, item] of Object.entries(value as object)) expectPlainData(item, `${path}.${key}`)
}
