/**
 * Password hashing with scrypt from node:crypto: a memory-hard function, so guessing passwords
 * from a stolen table costs an attacker memory as well as time, and no dependency to audit.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt's cost parameters: N (CPU and memory), r (block size), p (parallelism). */
export interface ScryptCost {
  readonly N: number
  readonly r: number
  readonly p: number
}

/**
 * One of OWASP's equivalent scrypt settings (Password Storage Cheat Sheet): N=2^15, r=8, p=3
 * costs as much CPU as N=2^17, p=1 but needs 32 MiB per hash instead of 128 MiB, which matters
 * when several people sign up at once. The cost is stored in each hash, so it can be raised
 * later without invalidating existing passwords.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 3 })

const SALT_BYTES = 16
const KEY_BYTES = 32

/**
 * Hashes a password with a fresh random salt, as `$scrypt$ln=15,r=8,p=3$<salt>$<key>` (the PHC
 * string format, base64 without padding), so every hash says how to verify it.
 */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, KEY_BYTES, cost)
  const ln = Math.log2(cost.N)
  return `$scrypt$ln=${ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`
}

/**
 * Whether `password` matches a hash made by {@link hashPassword}. The comparison takes the same
 * time wherever the keys differ (timingSafeEqual), so response times leak nothing about the
 * hash. A malformed hash never matches.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash)
  if (parsed === undefined) return false
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.cost)
  return timingSafeEqual(key, parsed.key)
}

const HASH_FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

function parseHash(
  hash: string,
): { readonly cost: ScryptCost; readonly salt: Buffer; readonly key: Buffer } | undefined {
  const match = HASH_FORMAT.exec(hash)
  if (match === null) return undefined
  const [, ln, r, p, salt, key] = match
  const cost = { N: 2 ** Number(ln), r: Number(r), p: Number(p) }
  const keyBytes = Buffer.from(key!, 'base64')
  if (keyBytes.length < 16) return undefined
  return { cost, salt: Buffer.from(salt!, 'base64'), key: keyBytes }
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  // NFKC: the same password typed on another keyboard or OS (composed or decomposed accents)
  // must give the same hash (NIST SP 800-63B, 5.1.1.2).
  const normalized = password.normalize('NFKC')
  // scrypt needs 128 * N * r bytes; Node refuses anything above `maxmem` (32 MiB by default).
  const maxmem = 256 * cost.N * cost.r
  return new Promise((resolve, reject) => {
    // The async form runs on libuv's thread pool, so hashing never blocks other requests.
    scrypt(normalized, salt, length, { ...cost, maxmem }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    )
  })
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '')
}
