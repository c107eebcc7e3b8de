import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadEnv } from '../../src/config/load-env.ts'

describe('loadEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aludel-env-'))
  const names = ['ALUDEL_TEST_A', 'ALUDEL_TEST_B', 'ALUDEL_TEST_C']
  afterEach(() => {
    for (const name of names) delete process.env[name]
  })

  it('reads .env in a folder, or the file named; variables already set win; no file is no change', () => {
    writeFileSync(
      join(dir, '.env'),
      'ALUDEL_TEST_A=from-file\nALUDEL_TEST_B="quoted # not a comment"\n',
    )
    process.env.ALUDEL_TEST_A = 'already set'
    loadEnv(dir)
    expect(process.env.ALUDEL_TEST_A).toBe('already set')
    expect(process.env.ALUDEL_TEST_B).toBe('quoted # not a comment')
    writeFileSync(join(dir, 'other.env'), 'ALUDEL_TEST_C=other\n')
    loadEnv(join(dir, 'other.env'))
    expect(process.env.ALUDEL_TEST_C).toBe('other')
    const empty = mkdtempSync(join(tmpdir(), 'aludel-env-'))
    try {
      expect(() => loadEnv(empty)).not.toThrow()
      expect(() => loadEnv(join(empty, 'missing.env'))).not.toThrow()
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
    rmSync(dir, { recursive: true, force: true })
  })
})
