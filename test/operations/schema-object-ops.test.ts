import { describe, expect, it } from 'vitest'
import {
  check,
  compositeType,
  domain,
  extension,
  IrreversibleOperationError,
  reverse,
  reverseAll,
  sequence,
  sql,
  text,
} from '../../src/index.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import { recorder } from '../autogenerate/render-support.ts'

/** The operations `body` builds through the facade. */
async function opsOf(body: (op: ReturnType<typeof recorder>['op']) => Promise<void>) {
  const { op, ops } = recorder(true)
  await body(op)
  return ops
}

describe('the op facade for sequences, domains, composite types and extensions', () => {
  it('builds operations whose reverse undoes them, and back', async () => {
    const email = domain('email', text(), { checks: [check('at', sql`VALUE ~ '@'`)] })
    const ops = await opsOf(async (op) => {
      await op.createExtension('pg_trgm', { schema: 'ext' })
      await op.createSequence('s', { start: 5, ownedBy: 't.id', dataType: 'integer' })
      await op.alterSequence('s', {
        increment: 2,
        existingIncrement: 1,
        minValue: null,
        existingMinValue: 3,
      })
      await op.renameSequence('s', 'r')
      await op.createDomain(email)
      await op.alterDomain('email', {
        default: sql`'a@b'`,
        existingDefault: null,
        notNull: true,
        existingNotNull: false,
        dropChecks: [check('at', sql`VALUE ~ '@'`)],
        addChecks: [check('dot', sql`VALUE ~ '\\.'`)],
      })
      await op.createCompositeType('pair', { a: text(), b: email() })
      await op.alterCompositeType('pair', {
        dropAttributes: { b: email() },
        addAttributes: { c: text(), d: text('dee') },
      })
      await op.renameType('pair', 'couple')
    })
    expect(ops.map((o) => o.kind)).toEqual([
      'createExtension',
      'createSequence',
      'alterSequence',
      'renameSequence',
      'createDomain',
      'alterDomain',
      'createCompositeType',
      'alterCompositeType',
      'renameType',
    ])
    expect(ops[7]).toEqual({
      kind: 'alterCompositeType',
      schema: undefined,
      name: 'pair',
      dropAttributes: [
        { name: 'b', definition: { name: 'b', type: { kind: 'custom', sql: 'email' } } },
      ],
      addAttributes: [
        { name: 'c', type: { kind: 'text' } },
        { name: 'dee', type: { kind: 'text' } },
      ],
    })
    expect(ops[1]).toEqual({
      kind: 'createSequence',
      sequence: {
        schema: undefined,
        name: 's',
        dataType: 'integer',
        start: 5,
        increment: undefined,
        minValue: undefined,
        maxValue: undefined,
        cache: undefined,
        cycle: false,
        ownedBy: { table: 't', column: 'id' },
      },
      ifNotExists: false,
    })
    expect(ops[2]).toEqual({
      kind: 'alterSequence',
      schema: undefined,
      name: 's',
      changes: { increment: { to: 2, from: undefined }, minValue: { to: undefined, from: 3 } },
    })
    const down = reverseAll(ops)
    expect(down.map((o) => o.kind)).toEqual([
      'renameType',
      'alterCompositeType',
      'dropCompositeType',
      'alterDomain',
      'dropDomain',
      'renameSequence',
      'alterSequence',
      'dropSequence',
      'dropExtension',
    ])
    expect(reverseAll(down)).toEqual(ops)
  })

  it('drops reversibly when given the declaration, and says what is missing otherwise', async () => {
    const ops = await opsOf(async (op) => {
      await op.dropSequence(sequence('s', { cache: 3 }))
      await op.dropDomain(domain('d', text()))
      await op.dropCompositeType(compositeType('c', { a: text() }))
      await op.dropExtension(extension('citext', { version: '1.6' }))
    })
    expect(ops.flatMap((o) => reverse(o)).map((o) => o.kind)).toEqual([
      'createSequence',
      'createDomain',
      'createCompositeType',
      'createExtension',
    ])
    const irreversible: MigrationOp[] = await opsOf(async (op) => {
      await op.dropSequence('s')
      await op.dropDomain(domain('d', text()), { cascade: true })
      await op.alterDomain('d', { dropChecks: ['c'] })
      await op.alterSequence('s', { cache: 5 })
      await op.alterCompositeType('c', { dropAttributes: ['a'] })
    })
    for (const op of irreversible) expect(() => reverse(op)).toThrow(IrreversibleOperationError)
    expect(() => reverse(irreversible[4]!)).toThrow(
      "op.alterCompositeType('c', { dropAttributes: ['a'] }) cannot be reversed automatically: the type of a is unknown; give dropAttributes as { a: <its type>() } so that the downgrade can add it back",
    )
    await expect(opsOf((op) => op.alterCompositeType('c', {}))).rejects.toThrow(
      "op.alterCompositeType('c') changes nothing; give addAttributes or dropAttributes",
    )
    expect(() => reverse(irreversible[0]!)).toThrow(
      "op.dropSequence('s') cannot be reversed automatically: pass a sequence(...) declaration so that the downgrade can recreate it",
    )
  })

  it('checks sequence options as CREATE SEQUENCE does', () => {
    expect(() => sequence('s', { increment: 0 })).toThrow('increment must not be 0')
    expect(() => sequence('s', { minValue: 10, maxValue: 5 })).toThrow(
      'minValue 10 must be less than maxValue 5',
    )
    expect(() => sequence('s', { start: 0 })).toThrow(
      'start 0 must lie between minValue 1 and maxValue 9223372036854775807',
    )
    expect(() => sequence('s', { dataType: 'smallint', maxValue: 40000 })).toThrow(
      'minValue and maxValue must lie within smallint',
    )
  })
})
