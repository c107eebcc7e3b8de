import { execFile } from 'node:child_process'
import { appendFileSync, cpSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { backends, createDatabase } from '../support/databases.ts'
import { type CliRun, createProject, type TestProject } from '../support/project.ts'

/**
 * What aludel prints falls in two kinds. SQL scripts (`--sql`) and generated code (`pull`) are
 * data: a DBA applies them, so they must come out exactly as compiled, even where a value looks
 * like `user:secret@host`. Messages have the credentials aludel was given taken out, and nothing
 * else.
 */

const postgres = backends().find((b) => b.backend === 'postgres')!

/** Values that look like URLs with passwords, addresses, or hold quotes, backslashes and more. */
const VALUES: readonly string[] = [
  'http://example.com:8080/',
  'admin@example.com',
  'https://bot:tok3n@host',
  'postgres://app:S3cret@db.internal:5432/prod?sslmode=require&password=other',
  'see http://example.com:8080/ or mail admin@example.com',
  'ftp://user:pa:ss@files.example.com/a b?x=1#frag',
  "it's a 'quoted' \"string\"",
  'C:\\Users\\admin\\file.txt',
  'back\\slash, \\n is not a newline, \\\\ two of them',
  'line one\nline two\ttabbed\r\n',
  '$$dollar quoted$$ and $1 and $tag$',
  '-- not a comment; /* nor this */ ;',
  'unicode: żółć ☃ 🎉',
  'host=db password=hunter2 sslpassword=x',
  '***',
  '',
]

/** A migration inserting VALUES with `bulkInsert` (ids 1..n) and with raw SQL (ids 1001..). */
const DATA_MIGRATION = `
  await op.execute('CREATE TABLE samples (id integer PRIMARY KEY, value text NOT NULL)')
  await op.bulkInsert('samples', ${JSON.stringify(VALUES.map((value, i) => ({ id: i + 1, value })))})
  await op.execute(${JSON.stringify(
    "INSERT INTO samples VALUES (1001, 'https://bot:tok3n@host'), (1002, 'admin@example.com'), (1003, 'it''s C:\\path'), (1004, E'tab\\there')",
  )})`

/** The rows the migration means to insert, by id. */
const EXPECTED: readonly { id: number; value: string }[] = [
  ...VALUES.map((value, i) => ({ id: i + 1, value })),
  { id: 1001, value: 'https://bot:tok3n@host' },
  { id: 1002, value: 'admin@example.com' },
  { id: 1003, value: "it's C:\\path" },
  { id: 1004, value: 'tab\there' },
]

/** Secrets given to aludel in every way it takes them; none may show in a message. */
const SECRETS = {
  config: 'c0nfig/Pw@x#1',
  env: 'env-Pa55:word',
  pgpassword: 'pg-env-Secret9',
  flag: 'fl@g?Secret 7',
  scratch: 'scr@tch%Secret',
} as const

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

function project(url: string | undefined, config = {}): TestProject {
  const p = createProject(url, config)
  made.push(p.dir)
  return p
}

/** A PostgreSQL URL with a password that must never be printed; nothing listens on port 1. */
function closedUrl(password: string, database = 'app'): string {
  return `postgres://app:${encodeURIComponent(password)}@127.0.0.1:1/${database}`
}

function run(command: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(command, [...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

describe('SQL scripts are data', () => {
  it.skipIf(postgres.skip)(
    'upgrade --sql writes values as the migration wrote them; psql applies them byte for byte',
    async () => {
      // The configured URL has a password, and nothing listens there: a range needs no database.
      const p = project(closedUrl(SECRETS.config))
      p.writeMigration({
        revision: 'aaa',
        message: 'samples from https://bot:tok3n@host',
        upgrade: DATA_MIGRATION,
      })
      const script = await p.cli(['upgrade', 'base:head', '--sql'])
      expect(script.code, script.stderr).toBe(0)
      expect(script.stderr).toBe('')
      expect(script.stdout).toContain("'https://bot:tok3n@host'")
      expect(script.stdout).toContain("'admin@example.com'")
      expect(script.stdout).toContain(
        '-- Running upgrade <base> -> aaa, samples from https://bot:tok3n@host',
      )
      const file = join(p.dir, 'upgrade.sql')
      writeFileSync(file, script.stdout)
      const database = await createDatabase('postgres')
      try {
        const psql = await run('psql', [
          '-v',
          'ON_ERROR_STOP=1',
          '-X',
          '-q',
          '-f',
          file,
          database.url,
        ])
        expect(psql.code, psql.stderr).toBe(0)
        const applied = await database.query('SELECT id, value FROM samples ORDER BY id')
        expect(applied).toEqual(EXPECTED)
        // Byte for byte, as the server stores them.
        const bytes = await database.query(
          "SELECT id, encode(convert_to(value, 'UTF8'), 'hex') AS hex FROM samples ORDER BY id",
        )
        expect(bytes).toEqual(
          EXPECTED.map((r) => ({ id: r.id, hex: Buffer.from(r.value, 'utf8').toString('hex') })),
        )
        expect(await database.query('SELECT version_num FROM aludel_version')).toEqual([
          { version_num: 'aaa' },
        ])
      } finally {
        await database.drop()
      }
    },
  )

  it('stamp --sql writes migration messages as they are', async () => {
    const p = project(closedUrl(SECRETS.config))
    p.writeMigration({ revision: 'aaa', message: 'import from https://bot:tok3n@host' })
    const script = await p.cli(['stamp', 'base:head', '--sql'])
    expect(script.code, script.stderr).toBe(0)
    expect(script.stdout).toContain("'import from https://bot:tok3n@host'")
  })

  it('pull without --output prints the models module as generated', async () => {
    const p = project('pglite:./db')
    cpSync(inject('pgliteTemplate'), join(p.dir, 'db'), { recursive: true })
    p.writeMigration({
      revision: 'aaa',
      upgrade: `await op.execute(${JSON.stringify(
        "CREATE TABLE links (id integer PRIMARY KEY, url text DEFAULT 'https://bot:tok3n@host'); COMMENT ON COLUMN links.url IS 'mirror of ftp://user:pa55@files.example.com/'",
      )})`,
    })
    const upgrade = await p.cli(['upgrade', 'head'])
    expect(upgrade.code, upgrade.stderr).toBe(0)
    const pulled = await p.cli(['pull'])
    expect(pulled.code, pulled.stderr).toBe(0)
    expect(pulled.stdout).toContain('https://bot:tok3n@host')
    expect(pulled.stdout).toContain('ftp://user:pa55@files.example.com/')
  })
})

describe('messages never show the credentials aludel was given', () => {
  /** Checks that no form of the given secrets (as written, percent-encoded) was printed. */
  function expectNoSecret(result: CliRun, what: string, secrets: readonly string[]): void {
    for (const form of secrets.flatMap((s) => [s, encodeURIComponent(s)])) {
      expect(`${result.stdout}\n${result.stderr}`, `${what} showed ${form}`).not.toContain(form)
    }
  }

  it('from the config, DATABASE_URL, PGPASSWORD, --url and --scratch-url', async () => {
    const p = project(closedUrl(SECRETS.config))
    // A message that quotes every secret: only the mask can keep them out of the output.
    p.writeMigration({
      revision: 'aaa',
      message: `rotate ${Object.values(SECRETS).join(' and ')}`,
    })
    const env = { DATABASE_URL: closedUrl(SECRETS.env), PGPASSWORD: SECRETS.pgpassword }
    const always = [SECRETS.config, SECRETS.env, SECRETS.pgpassword]
    const flag = closedUrl(SECRETS.flag)
    // In the query string, where a redaction that only knows `user:password@` would miss it.
    const scratch = `postgres://app@127.0.0.1:1/scratch?password=${encodeURIComponent(SECRETS.scratch)}`
    const runs: readonly (readonly [readonly string[], number, readonly string[]])[] = [
      [['history'], 0, always],
      [['history', '--json'], 0, always],
      [['history', '--url', flag], 0, [...always, SECRETS.flag]],
      [['upgrade', 'head'], 1, always],
      [['upgrade', 'head', `--url=${flag}`], 1, [...always, SECRETS.flag]],
      [['current', '--verbose'], 1, always],
      [['upgrade', 'head', '--sql'], 1, always],
      [['upgrade', 'head', '--json'], 1, always],
      [['test', '--skip-models', '--scratch-url', scratch], 1, [...always, SECRETS.scratch]],
    ]
    for (const [args, status, secrets] of runs) {
      const result = await p.cli(args, env)
      const what = `aludel ${args.join(' ')}`
      expect(result.code, `${what}: ${result.stderr}`).toBe(status)
      expectNoSecret(result, what, secrets)
    }
    // Only what aludel was given is hidden: here, not the --url and --scratch-url secrets.
    const history = await p.cli(['history'], env)
    expect(history.stdout).toBe(
      `<base> -> aaa (head), rotate *** and *** and *** and ${SECRETS.flag} and ${SECRETS.scratch}\n`,
    )
    const withFlag = await p.cli(['history', '--url', flag], env)
    expect(withFlag.stdout).toBe(
      `<base> -> aaa (head), rotate *** and *** and *** and *** and ${SECRETS.scratch}\n`,
    )
    const refused = await p.cli(['upgrade', 'head'], env)
    expect(refused.stderr).toBe(
      'error: cannot connect to postgres://app:***@127.0.0.1:1/app: connection refused; is PostgreSQL running and listening on that host and port?\n',
    )
    const test = await p.cli(['test', '--skip-models', '--scratch-url', scratch], env)
    expect(test.stdout).toContain(
      'FAIL upgrade base -> head: cannot connect to postgres://app@127.0.0.1:1/scratch?password=***: connection refused',
    )
  })

  it('but values in messages that merely look like credentials are left alone', async () => {
    const p = project(closedUrl(SECRETS.config))
    p.writeMigration({
      revision: 'aaa',
      message: 'mirror https://bot:tok3n@host for admin@example.com',
    })
    const history = await p.cli(['history'])
    expect(history.stdout).toBe(
      '<base> -> aaa (head), mirror https://bot:tok3n@host for admin@example.com\n',
    )
  })
})

describe('upgrade --sql with a bare target checks applied files for edits', () => {
  /** A PGlite project at aaa whose aaa file was then edited, with bbb waiting on top. */
  async function editedProject(checksums: 'error' | 'warn'): Promise<TestProject> {
    const p = project('pglite:./db', { checksums })
    cpSync(inject('pgliteTemplate'), join(p.dir, 'db'), { recursive: true })
    const aaa = p.writeMigration({
      revision: 'aaa',
      upgrade: "await op.execute('CREATE TABLE a (id int)')",
    })
    const up = await p.cli(['upgrade', 'head'])
    expect(up.code, up.stderr).toBe(0)
    appendFileSync(aaa, '// edited after it ran\n')
    p.writeMigration({ revision: 'bbb', down: 'aaa' })
    return p
  }

  it("refuses with checksums: 'error', as the online upgrade does", async () => {
    const p = await editedProject('error')
    const offline = await p.cli(['upgrade', 'head', '--sql'])
    expect(offline.code).toBe(1)
    expect(offline.stdout).toBe('')
    expect(offline.stderr).toMatch(
      /^error: an applied migration was edited after running \(aaa_step\.ts\); .*aludel rehash`\n$/,
    )
    const online = await p.cli(['upgrade', 'head'])
    expect(online.code).toBe(1)
    expect(online.stderr).toBe(offline.stderr)
  })

  it("warns with checksums: 'warn', and downgrade --sql warns too", async () => {
    const p = await editedProject('warn')
    const offline = await p.cli(['upgrade', 'head', '--sql'])
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stderr).toMatch(
      /^warning: an applied migration was edited after running \(aaa_step\.ts\)/,
    )
    expect(offline.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(offline.stdout).toContain('-- Running upgrade aaa -> bbb')
    const down = await p.cli(['downgrade', 'base', '--sql'])
    expect(down.code, down.stderr).toBe(0)
    expect(down.stderr).toMatch(/^warning: an applied migration was edited/)
    expect(down.stdout).toContain('-- Running downgrade aaa -> <base>')
  })

  it('does not look with a FROM:TO range, which reads no database', async () => {
    const p = await editedProject('error')
    const range = await p.cli(['upgrade', 'aaa:head', '--sql'])
    expect(range.code, range.stderr).toBe(0)
    expect(range.stderr).toBe('')
  })
})
