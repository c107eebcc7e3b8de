import { describe, expect, it } from 'vitest'
import { databaseUrlSecrets, parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { DatabaseUrlError } from '../../src/dialect/dialect-errors.ts'
import { keywordPairs } from '../../src/dialect/keyword-connection-string.ts'
import { redactSecrets, redactUrl, redactWholeUrl } from '../../src/util/redact-url.ts'

/** The ways a password travels in a URL, with the redacted form and the secrets it carries. */
const URLS: readonly (readonly [string, string, readonly string[]])[] = [
  ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app', ['s3cret']],
  [
    'postgres://app:p%40ss%2Fw%3F@db/app',
    'postgres://app:***@db/app',
    ['p%40ss%2Fw%3F', 'p@ss/w?'],
  ],
  // The driver's URL parser encodes what it reads: that form is hidden too.
  ['postgres://app:p@ss:w0rd@db/app', 'postgres://app:***@db/app', ['p@ss:w0rd', 'p%40ss%3Aw0rd']],
  [
    'postgres://app@db/app?sslmode=require&password=qu%3Dery',
    'postgres://app@db/app?sslmode=require&password=***',
    ['qu%3Dery', 'qu=ery'],
  ],
  [
    'postgres://app@db/app?sslpassword=k3y&application_name=a@b',
    'postgres://app@db/app?sslpassword=***&application_name=a@b',
    ['k3y'],
  ],
  ['postgres://app@db/app', 'postgres://app@db/app', []],
  ['pglite:./data', 'pglite:./data', []],
]

describe('database URLs', () => {
  it.each(URLS)('%s is shown as %s', (url, redacted, secrets) => {
    expect(redactWholeUrl(url)).toBe(redacted)
    expect(new Set(databaseUrlSecrets(url))).toEqual(new Set(secrets))
    const parsed = parseDatabaseUrl(url, '/')
    expect(parsed.redacted).toBe(redacted)
    expect(new Set(parsed.secrets)).toEqual(new Set(secrets))
  })

  it('finds a password in a URL too broken to parse', () => {
    const url = 'postgres://app:sl/ash?q#h@db/app'
    expect(databaseUrlSecrets(url)).toContain('sl/ash?q#h')
    expect(() => parseDatabaseUrl(url, '/')).toThrow(
      /^'postgres:\/\/app:\*\*\*@db\/app' is not a valid URL; .*percent-encode/,
    )
  })

  it('reads the contrib extensions a pglite: URL names, and refuses any other option', () => {
    const parsed = parseDatabaseUrl('pglite:./data?extensions=citext, pg_trgm,uuid-ossp', '/app')
    expect(parsed.path).toBe('/app/data')
    expect(parsed.extensions).toEqual(['citext', 'pg_trgm', 'uuid-ossp'])
    expect(parseDatabaseUrl('pglite:memory?extensions=citext', '/').path).toBeUndefined()
    expect(parseDatabaseUrl('postgres://db/app', '/').extensions).toEqual([])
    expect(() => parseDatabaseUrl('pglite:./data?extension=citext', '/')).toThrow(
      "'pglite:./data?extension=citext' has the option 'extension', which pglite: URLs do not take; the one they take is extensions (pglite:./data?extensions=citext,pg_trgm)",
    )
  })

  it('shortens a long URL in messages', () => {
    const url = `postgres://app:s3cret@db/${'x'.repeat(100_000)}`
    const parsed = parseDatabaseUrl(url, '/')
    expect(parsed.redacted).toBe(`postgres://app:***@db/${'x'.repeat(178)}…`)
    expect(parsed.url).toBe(url)
  })
})

describe('libpq key=value strings', () => {
  it('are read with quotes and escapes', () => {
    expect(keywordPairs(String.raw`host = db password='a \'b\' c' dbname=app`)).toEqual([
      { key: 'host', value: 'db', start: 7, end: 9 },
      { key: 'password', value: "a 'b' c", start: 19, end: 30 },
      { key: 'dbname', value: 'app', start: 38, end: 41 },
    ])
    expect(keywordPairs('postgres://db/app')).toBeUndefined()
    expect(keywordPairs('./relative/path')).toBeUndefined()
  })

  it('are refused with the password hidden and the URL to write', () => {
    const text = "host=db port=6432 user=app password='s3 cret' dbname=shop sslmode=require"
    expect(databaseUrlSecrets(text)).toEqual(['s3 cret'])
    let error: unknown
    try {
      parseDatabaseUrl(text, '/')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(DatabaseUrlError)
    expect((error as Error).message).toBe(
      "'host=db port=6432 user=app password=*** dbname=shop sslmode=require' is a key=value connection string, and aludel takes a URL; write it as postgres://app:PASSWORD@db:6432/shop?sslmode=require with the password percent-encoded",
    )
  })
})

describe('hiding secrets in messages', () => {
  it('hides known secrets raw, percent-encoded and JSON-escaped, and nothing else', () => {
    const secrets = ['p@ss"word', 'ab']
    const text = 'p@ss"word p%40ss%22word "p@ss\\"word" https://bot:tok3n@host ab'
    expect(redactSecrets(text, secrets)).toBe('*** *** "***" https://bot:tok3n@host ab')
  })

  it('redactUrl hides the passwords of URLs inside a driver message', () => {
    expect(redactUrl('failed: postgres://a:b@h/d?password=c and more')).toBe(
      'failed: postgres://a:***@h/d?password=*** and more',
    )
  })
})
