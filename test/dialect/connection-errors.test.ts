import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { toConnectError } from '../../src/dialect/postgres/postgres-errors.ts'
import { AludelError, ConnectionError, current } from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { createProject, repoRoot } from '../support/project.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

/** Folders the tests made, removed at the end. */
const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

describe('connection failures are one line without the password', () => {
  it.skipIf(postgres.skip)('a database that does not exist', async () => {
    const url = new URL(inject('postgresUrl'))
    url.password = 's3cr3t-pw'
    url.pathname = '/no_such_database_here'
    const project = createProject(url.toString())
    project.writeMigration({ revision: 'aaaaaa' })
    const error = (await current(project.config).catch((e: unknown) => e)) as ConnectionError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toMatch(
      /^cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/no_such_database_here: database "no_such_database_here" does not exist; create it \(createdb\) or fix the database name in DATABASE_URL$/,
    )
    const run = await project.cli(['current'])
    expect(run.code).toBe(1)
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(run.stderr + run.stdout).not.toContain('s3cr3t-pw')
  })

  it.skipIf(postgres.skip)('a role that does not exist', async () => {
    const url = new URL(inject('postgresUrl'))
    url.username = 'nobody_here'
    url.password = 'hunter22'
    const project = createProject(url.toString())
    project.writeMigration({ revision: 'aaaaaa' })
    const error = (await current(project.config).catch((e: unknown) => e)) as ConnectionError
    expect(error.message).toMatch(/role "nobody_here" does not exist; check the user name/)
    expect(error.message).not.toContain('hunter22')
  })

  it('a wrong password (the server here trusts every local user, so the driver error is built)', () => {
    const url = parseDatabaseUrl('postgres://app:Pa55word!@db.internal:5432/app', '/')
    const error = toConnectError(
      Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }),
      url,
    )
    expect(error.message).toBe(
      'cannot connect to postgres://app:***@db.internal:5432/app: password authentication failed for user "app"; check the user and password in DATABASE_URL',
    )
  })
})

/**
 * Every way a password can be written in a URL the drivers take, on every way connecting can fail:
 * neither the error aludel throws nor what the CLI prints may hold it, as written or decoded.
 */
describe('a password never shows, however the URL carries it', () => {
  /** Where each failure happens; `{db}` is replaced by the database name. */
  const server = postgres.skip ? undefined : new URL(inject('postgresUrl'))
  const paths = {
    refused: { host: '127.0.0.1:1', db: 'app', status: 1, says: /connection refused/ },
    'unknown database': {
      host: server?.host ?? '127.0.0.1:5432',
      db: 'no_such_database_aludel',
      status: 1,
      says: /database "no_such_database_aludel" does not exist|password authentication failed/,
    },
    'unknown host': {
      host: 'no-such-host.invalid:5432',
      db: 'app',
      status: 1,
      says: /the host name does not resolve/,
    },
    'bad URL': { host: '127.0.0.1:notaport', db: 'app', status: 2, says: /is not a valid URL/ },
  } as const
  const user = server?.username || 'postgres'
  type Path = (typeof paths)[keyof typeof paths]

  /** Each form: the URL for a place, the secret it carries, and whether it is refused outright. */
  const forms: readonly {
    readonly name: string
    readonly secret: string
    readonly url: (path: Path) => string
    /** Exit status and message whatever the place: the form itself is bad input. */
    readonly refused?: { readonly status: number; readonly says: RegExp }
  }[] = [
    {
      name: 'user:password@',
      secret: 'Pw0rd-s3cret',
      url: (p) => `postgres://${user}:Pw0rd-s3cret@${p.host}/${p.db}`,
    },
    {
      name: '?password=',
      secret: 'Qu3ry-s3cret',
      url: (p) => `postgres://${user}@${p.host}/${p.db}?password=Qu3ry-s3cret`,
    },
    {
      name: '?sslpassword=',
      secret: 'SslKey-s3cret',
      url: (p) =>
        `postgres://${user}@${p.host}/${p.db}?application_name=x&sslpassword=SslKey-s3cret`,
    },
    {
      name: 'a percent-encoded password with @ : / ? # %',
      secret: 'p@ss:w/rd?#%x',
      url: (p) => `postgres://${user}:${encodeURIComponent('p@ss:w/rd?#%x')}@${p.host}/${p.db}`,
    },
    {
      name: 'an unencoded @ and : in the password',
      secret: 'Un@enc:oded',
      url: (p) => `postgres://${user}:Un@enc:oded@${p.host}/${p.db}`,
    },
    {
      name: 'an unencoded / ? # in the password',
      secret: 'sl/ash?q#h',
      url: (p) => `postgres://${user}:sl/ash?q#h@${p.host}/${p.db}`,
      refused: { status: 2, says: /is not a valid URL.*percent-encode/ },
    },
    {
      name: 'a libpq key=value string',
      secret: 'kv s3cret',
      url: (p) => {
        const [host, port] = p.host.split(':')
        return `host=${host} port=${port} user=${user} password='kv s3cret' dbname=${p.db}`
      },
      refused: { status: 2, says: /is a key=value connection string, and aludel takes a URL/ },
    },
  ]
  const cases = forms.flatMap((form) =>
    Object.entries(paths).map(([where, path]) => ({ form, where, path })),
  )

  it.concurrent.for(cases.map((c) => [`${c.form.name}, ${c.where}`, c] as const))(
    '%s',
    async ([, { form, where, path }], { expect, skip }) => {
      if (where === 'unknown database' && postgres.skip) skip(postgres.skip)
      const url = form.url(path)
      const forms = [form.secret, encodeURIComponent(form.secret)]
      const expected = form.refused ?? path
      const project = createProject(url)
      made.push(project.dir)
      project.writeMigration({ revision: 'aaaaaa' })
      // The library's own error, before the CLI's mask could hide anything.
      const error = (await current(project.config).catch((e: unknown) => e)) as Error
      expect(error).toBeInstanceOf(AludelError)
      expect(error.message).toMatch(expected.says)
      for (const secret of forms) expect(error.message).not.toContain(secret)
      const run = await project.cli(['current', '--verbose'])
      expect(run.code, run.stderr).toBe(expected.status)
      expect(run.stderr.split('\n')[0]).toMatch(/^error: cannot connect to |^error: '/)
      for (const secret of forms) expect(run.stdout + run.stderr).not.toContain(secret)
    },
  )
})

describe('sslmode=require and its kin print no driver warning', () => {
  it.skipIf(postgres.skip).for(['prefer', 'require', 'verify-ca'])('sslmode=%s', async (mode) => {
    const url = new URL(inject('postgresUrl'))
    url.searchParams.set('sslmode', mode)
    const project = createProject(url.toString())
    made.push(project.dir)
    project.writeMigration({ revision: 'aaaaaa' })
    const run = await project.cli(['current'])
    // The server here may or may not take TLS: either way, at most one line and no warning.
    expect(run.stderr).not.toContain('SECURITY WARNING')
    expect(run.stderr.split('\n').filter(Boolean).length, run.stderr).toBeLessThanOrEqual(1)
    if (run.code !== 0) expect(run.stderr).toMatch(/^error: cannot connect to /)
  })
})

describe('a missing driver names the package to install', () => {
  // An install of aludel without its optional peer dependencies, as in a fresh project.
  function bareInstall(): string {
    const dir = mkdtempSync(join(tmpdir(), 'aludel-bare-'))
    const pkg = join(dir, 'node_modules', 'aludel')
    mkdirSync(pkg, { recursive: true })
    for (const entry of ['dist', 'bin', 'package.json']) {
      cpSync(join(repoRoot, entry), join(pkg, entry), { recursive: true })
    }
    return dir
  }

  it.each([
    ['postgres://u:topsecret@127.0.0.1:5432/db', 'pg'],
    ['pglite:./data', '@electric-sql/pglite'],
    ['mysql://u:topsecret@127.0.0.1:1/db', 'mysql2'],
  ])('%s', async (url, packageName) => {
    const project = createProject(url)
    project.writeMigration({ revision: 'aaaaaa' })
    // Point the project's aludel at the bare install and run that install's own bin.
    const bare = join(bareInstall(), 'node_modules', 'aludel')
    rmSync(join(project.dir, 'node_modules', 'aludel'))
    symlinkSync(bare, join(project.dir, 'node_modules', 'aludel'), 'dir')
    const run = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [join(bare, 'bin', 'aludel.js'), 'upgrade', 'head'],
        { cwd: project.dir },
        (error, _stdout, stderr) => done({ code: error ? Number(error.code) : 0, stderr }),
      )
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `error: ${url.split(':')[0]}: URLs need the '${packageName}' package, which is not installed; run \`npm install ${packageName}\`\n`,
    )
  })
})
