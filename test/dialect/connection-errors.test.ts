import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { toConnectError } from '../../src/dialect/postgres/postgres-errors.ts'
import { ConnectionError, current } from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { createProject, repoRoot } from '../support/project.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

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
