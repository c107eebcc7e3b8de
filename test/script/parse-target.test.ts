import { describe, expect, it } from 'vitest'
import { AludelError } from '../../src/aludel-error.ts'
import { parseTarget, splitRange, type Target } from '../../src/script/parse-target.ts'
import { InvalidTargetError } from '../../src/script/script-errors.ts'

/** The error `fn` throws; fails the test when it throws nothing. */
function thrown(fn: () => unknown): InvalidTargetError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTargetError)
    expect(error).toBeInstanceOf(AludelError)
    const e = error as InvalidTargetError
    expect(e.category).toBe('usage')
    expect(e.message).not.toContain('\n')
    return e
  }
  throw new Error('expected an InvalidTargetError, but nothing was thrown')
}

describe('parseTarget', () => {
  const forms: ReadonlyArray<readonly [string, Target]> = [
    ['heads', { kind: 'heads', branch: undefined }],
    ['base', { kind: 'base', branch: undefined }],
    ['head', { kind: 'head', branch: undefined, offset: 0 }],
    ['head-1', { kind: 'head', branch: undefined, offset: -1 }],
    ['head-12', { kind: 'head', branch: undefined, offset: -12 }],
    ['+1', { kind: 'current', branch: undefined, offset: 1 }],
    ['+25', { kind: 'current', branch: undefined, offset: 25 }],
    ['-2', { kind: 'current', branch: undefined, offset: -2 }],
    ['ae10', { kind: 'revision', ref: 'ae10', branch: undefined, offset: 0, raw: 'ae10' }],
    ['ae10+2', { kind: 'revision', ref: 'ae10', branch: undefined, offset: 2, raw: 'ae10+2' }],
    ['ae10-1', { kind: 'revision', ref: 'ae10', branch: undefined, offset: -1, raw: 'ae10-1' }],
    ['feature@head', { kind: 'head', branch: 'feature', offset: 0 }],
    ['feature@head-3', { kind: 'head', branch: 'feature', offset: -3 }],
    ['feature@heads', { kind: 'heads', branch: 'feature' }],
    ['feature@base', { kind: 'base', branch: 'feature' }],
    ['feature@+1', { kind: 'current', branch: 'feature', offset: 1 }],
    ['feature@-2', { kind: 'current', branch: 'feature', offset: -2 }],
    ['feature@ae10', { kind: 'revision', ref: 'ae10', branch: 'feature', offset: 0, raw: 'ae10' }],
    [
      'feature@ae10+1',
      { kind: 'revision', ref: 'ae10', branch: 'feature', offset: 1, raw: 'ae10+1' },
    ],
    [
      'feature@ae10-2',
      { kind: 'revision', ref: 'ae10', branch: 'feature', offset: -2, raw: 'ae10-2' },
    ],
    // A label with a '-N' tail parses as a step count; the map tries the whole name first.
    [
      'release-2',
      { kind: 'revision', ref: 'release', branch: undefined, offset: -2, raw: 'release-2' },
    ],
    [
      'release-2-1',
      { kind: 'revision', ref: 'release-2', branch: undefined, offset: -1, raw: 'release-2-1' },
    ],
    // Only a final sign and digits are a step count.
    ['v1-beta', { kind: 'revision', ref: 'v1-beta', branch: undefined, offset: 0, raw: 'v1-beta' }],
    ['  head  ', { kind: 'head', branch: undefined, offset: 0 }],
  ]

  it.each(forms)('parses %j', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected)
  })

  it('keeps keywords case-sensitive: HEAD is a revision reference', () => {
    expect(parseTarget('HEAD')).toEqual({
      kind: 'revision',
      ref: 'HEAD',
      branch: undefined,
      offset: 0,
      raw: 'HEAD',
    })
  })

  const bad: ReadonlyArray<readonly [string, RegExp]> = [
    ['', /a target is required/],
    ['   ', /a target is required/],
    ['a@b@c', /LABEL@REV/],
    ['@', /LABEL@REV/],
    ['@head', /LABEL@REV/],
    ['feature@', /expected a revision after @/],
    ['heads-1', /'heads' takes no step count/],
    ['heads+1', /'heads' takes no step count/],
    ['feature@heads-1', /'heads' takes no step count/],
    ['base+1', /'base' takes no step count/],
    ['base-1', /'base' takes no step count/],
    ['feature@base-1', /'base' takes no step count/],
    ['head+1', /nothing lies above head/],
    ['feature@head+2', /nothing lies above head/],
    ['a:b', /FROM:TO range is only accepted with --sql/],
    ['base:head', /FROM:TO range is only accepted with --sql/],
    [':head', /FROM:TO range is only accepted with --sql/],
    ['+99999999999999999999', /too large/],
    // Two signs, or a sign with no digits: no id or label takes that shape.
    ['+-1', /it is malformed; a target is head, heads, base, .*\+N or -N .*LABEL@head/],
    ['-+1', /it is malformed/],
    ['head--1', /it is malformed/],
    ['ae10+-2', /it is malformed/],
    ['feature@+-1', /it is malformed/],
    ['ae10+', /it is malformed/],
    ['+', /it is malformed/],
    ['-', /it is malformed/],
  ]

  it.each(bad)('rejects %j', (text, reason) => {
    const error = thrown(() => parseTarget(text))
    expect(error.code).toBe('BAD_TARGET')
    expect(error.target).toBe(text)
    expect(error.message).toMatch(reason)
  })
})

describe('a long target', () => {
  it('is echoed as its first 60 characters', () => {
    const error = thrown(() => parseTarget(`${'x'.repeat(100_000)}+-1`))
    expect(error.message).toMatch(/^cannot use 'x{60}…': it is malformed; /)
    expect(error.message.length).toBeLessThan(400)
    expect(error.target).toHaveLength(100_003)
  })
})

describe('splitRange', () => {
  it.each([
    ['ae10:head', { from: 'ae10', to: 'head' }],
    [':head', { from: '', to: 'head' }],
    ['base:', { from: 'base', to: '' }],
    [':', { from: '', to: '' }],
    [' ae10 : feature@head ', { from: 'ae10', to: 'feature@head' }],
  ])('splits %j', (text, expected) => {
    expect(splitRange(text)).toEqual(expected)
  })

  it.each(['ae10', 'a:b:c', ''])('rejects %j', (text) => {
    const error = thrown(() => splitRange(text))
    expect(error.code).toBe('BAD_TARGET')
    expect(error.message).toMatch(/FROM:TO/)
  })
})
