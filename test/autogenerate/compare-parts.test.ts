import { describe, expect, it } from 'vitest'
import { matchByName } from '../../src/autogenerate/match-by-name.ts'
import { compareKeys } from '../../src/autogenerate/planned-change.ts'
import { orderTables } from '../../src/autogenerate/table-order.ts'
import { sqlEquivalent } from '../../src/dialect/postgres/postgres-canonical-sql.ts'
import type { CheckDef } from '../../src/schema/schema-snapshot.ts'
import { check } from '../support/snapshot-literals.ts'

describe('matchByName', () => {
  const model = (...checks: CheckDef[]) => checks.map((def) => ({ def, norm: def }))
  const equal = (a: CheckDef, b: CheckDef) => sqlEquivalent(a.expression, b.expression)

  it('pairs by name, then unnamed objects by definition', () => {
    const result = matchByName(
      model(
        check('a', 'x > 0'),
        check('b', 'x > 1'),
        check(undefined, 'x > 2'),
        check('d', 'x > 3'),
      ),
      [check('a', '(x > 0)'), check('b', 'x > 9'), check('c', 'x > 2'), check(undefined, 'x > 5')],
      equal,
    )
    expect(result.unchanged.map((p) => [p.model.def.name, p.database.name])).toEqual([
      ['a', 'a'],
      [undefined, 'c'],
    ])
    expect(result.changed.map((p) => p.database.name)).toEqual(['b'])
    expect(result.added.map((m) => m.def.name)).toEqual(['d'])
    expect(result.removed).toEqual([check(undefined, 'x > 5')])
  })

  it('does not pair two named objects by definition', () => {
    const result = matchByName(model(check('a', 'x > 0')), [check('b', 'x > 0')], equal)
    expect(result.added).toHaveLength(1)
    expect(result.removed).toHaveLength(1)
  })
})

describe('orderTables', () => {
  const edge = (from: string, to: string) => ({ from, to, payload: `${from}->${to}` })

  it('puts referenced tables first, ties by id', () => {
    expect(orderTables(['c', 'b', 'a'], [edge('a', 'c')])).toEqual({
      order: ['b', 'c', 'a'],
      deferred: [],
    })
  })

  it('ignores self references and edges to tables outside the set', () => {
    expect(orderTables(['a'], [edge('a', 'a'), edge('a', 'z')])).toEqual({
      order: ['a'],
      deferred: [],
    })
  })

  it('defers one edge per cycle, from the smallest table of the cycle', () => {
    const result = orderTables(
      ['a', 'b', 'c', 'd'],
      [edge('a', 'b'), edge('b', 'a'), edge('c', 'd'), edge('d', 'c'), edge('c', 'a')],
    )
    expect(result.deferred.map((e) => e.payload)).toEqual(['a->b', 'c->d'])
    expect(result.order).toEqual(['a', 'b', 'c', 'd'])
  })

  it('breaks a cycle that depends on another cycle only after the first', () => {
    // b <-> c depends on a; a <-> d is the closed cycle to break first.
    const result = orderTables(
      ['a', 'b', 'c', 'd'],
      [edge('b', 'c'), edge('c', 'b'), edge('b', 'a'), edge('a', 'd'), edge('d', 'a')],
    )
    expect(result.deferred.map((e) => e.payload)).toEqual(['a->d', 'b->c'])
    expect(result.order).toEqual(['a', 'd', 'b', 'c'])
  })
})

describe('compareKeys', () => {
  it('orders element by element, numbers before strings, shorter first', () => {
    const keys = [['b'], ['a', 2], ['a', 'x'], ['a', 10], ['a'], [1]]
    expect([...keys].sort(compareKeys)).toEqual([
      [1],
      ['a'],
      ['a', 2],
      ['a', 10],
      ['a', 'x'],
      ['b'],
    ])
  })
})
