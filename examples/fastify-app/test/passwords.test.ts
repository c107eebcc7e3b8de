import { describe, expect, it } from 'vitest'
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword } from '../src/passwords.ts'

describe('passwords', () => {
  it('stores a salted scrypt hash at the production cost, never the password', async () => {
    const hash = await hashPassword('correct horse battery')
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 2 ** 15, r: 8, p: 3 })
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(hash).not.toContain('correct horse battery')
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('correct horse battery!', hash)).toBe(false)
  })

  it('salts every hash with fresh random bytes', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 }
    const [a, b] = await Promise.all([hashPassword('same', cost), hashPassword('same', cost)])
    expect(a).not.toBe(b)
    expect(a.split('$')[3]).not.toBe(b.split('$')[3])
  })

  it('verifies hashes made at another cost: the cost travels with the hash', async () => {
    const hash = await hashPassword('s3cret-passphrase', { N: 2 ** 12, r: 8, p: 2 })
    expect(hash.startsWith('$scrypt$ln=12,r=8,p=2$')).toBe(true)
    expect(await verifyPassword('s3cret-passphrase', hash)).toBe(true)
  })

  it('treats composed and decomposed accents as the same password (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait', { N: 2 ** 10, r: 8, p: 1 })
    expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true)
  })

  it('never matches a malformed or tampered hash', async () => {
    const hash = await hashPassword('password1', { N: 2 ** 10, r: 8, p: 1 })
    // A character inside the key, not the last one: the last base64 character of a 32-byte key
    // carries two padding bits, and changing only those changes nothing.
    const at = hash.length - 10
    const tampered = hash.slice(0, at) + (hash[at] === 'A' ? 'B' : 'A') + hash.slice(at + 1)
    for (const bad of ['', 'password1', '$scrypt$ln=10,r=8,p=1$abc', tampered]) {
      expect(await verifyPassword('password1', bad)).toBe(false)
    }
  })
})
