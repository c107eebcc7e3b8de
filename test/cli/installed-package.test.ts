import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { repoRoot } from '../support/project.ts'
import { runQuickStart } from '../support/quickstart.ts'

/**
 * A new user's project, as `npm init -y` makes it (a CommonJS package) or turned into an ES-module
 * package, with aludel installed from its packed tarball, exactly as `npm install aludel` would
 * put it there: the README's quick start end to end, and an application that reads the same
 * database as the command line.
 */
const postgres = backends().find((b) => b.backend === 'postgres')!
const npm = (args: readonly string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  })

let home: string
let tarball: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'aludel-installed-'))
  // dist/ is what the package ships; `npm test` builds it first.
  const name = npm(['pack', '--pack-destination', home], repoRoot).trim().split('\n').at(-1)!
  tarball = join(home, name)
}, 120_000)
afterAll(() => rmSync(home, { recursive: true, force: true }))

/** Versions of the drivers this repository tests with, so that npm finds them in its cache. */
function devVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  return `${name}@${manifest.devDependencies[name]}`
}

describe.each(['commonjs', 'module'] as const)('a new %s package with aludel installed', (type) => {
  let project: string
  let db: TestDatabase | undefined
  beforeAll(() => {
    project = join(home, type)
    mkdirSync(project)
    npm(['init', '-y'], project)
    npm(['pkg', 'set', `type=${type}`], project)
    npm(
      [
        'install',
        '--prefer-offline',
        tarball,
        devVersion('@electric-sql/pglite'),
        devVersion('pg'),
      ],
      project,
    )
  }, 300_000)
  afterAll(async () => {
    await db?.drop()
  })

  /** `aludel ARGS` in `cwd`, through the installed bin, with no DATABASE_URL of the test's. */
  const run = (cwd: string, program: string, args: readonly string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const env = { ...process.env }
      delete env.DATABASE_URL
      execFile(process.execPath, [program, ...args], { cwd, env, timeout: 120_000 }, (e, o, s) =>
        done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: o, stderr: s }),
      )
    })
  const cli =
    (cwd: string) =>
    async (...args: string[]) => {
      const bin = join(project, 'node_modules', 'aludel', 'bin', 'aludel.js')
      const result = await run(cwd, bin, args)
      expect(result.stderr, `aludel ${args.join(' ')}`).toBe('')
      expect(result.code, `aludel ${args.join(' ')}`).toBe(0)
      return result.stdout
    }
  const configName = type === 'module' ? 'aludel.config.ts' : 'aludel.config.mts'

  it('the quick start on the embedded PGlite database', async () => {
    const dir = join(project, 'embedded')
    await cli(project)('init', dir)
    // TypeScript accepts import.meta in a CommonJS package only in .mts files.
    expect(existsSync(join(dir, configName))).toBe(true)
    await runQuickStart(cli(dir), dir)
    expect(existsSync(join(dir, '.aludel-data', 'PG_VERSION'))).toBe(true)
  }, 180_000)

  it.skipIf(postgres.skip)(
    'the quick start on PostgreSQL from .env, and the application reads the same database',
    async () => {
      db = await createDatabase('postgres')
      const dir = join(project, 'server')
      await cli(project)('init', dir)
      writeFileSync(join(dir, '.env'), `DATABASE_URL=${db.url}\n`)
      const { first } = await runQuickStart(cli(dir), dir)
      await cli(dir)('upgrade', first)
      expect(existsSync(join(dir, '.aludel-data')), 'no embedded database').toBe(false)

      // The application imports the config (its import.meta.dirname .env) and asks where the
      // database stands: what the command line says.
      const app =
        type === 'module'
          ? `import config from './${configName}'\nimport { currentRevision } from 'aludel'\nconsole.log(JSON.stringify(await currentRevision(config)))\n`
          : `const { currentRevision, loadConfig } = require('aludel')\nloadConfig().then(currentRevision).then((s) => console.log(JSON.stringify(s)))\n`
      const appFile = join(dir, type === 'module' ? 'app.ts' : 'app.cjs')
      writeFileSync(appFile, app)
      const status = await run(dir, appFile, [])
      expect(status.stderr).toBe('')
      expect(JSON.parse(status.stdout)).toMatchObject({ current: [first], atHead: false })
      const current = JSON.parse(await cli(dir)('current', '--json'))
      expect(current.current.map((r: { revision: string }) => r.revision)).toEqual([first])
      expect(existsSync(join(dir, '.aludel-data')), 'the app used no embedded database').toBe(false)
    },
    180_000,
  )

  // No server needed: the URL in .env is only read, never connected to.
  it('an application importing a config that does not read .env is warned, not silently sent to PGlite', async () => {
    const dir = join(project, 'legacy')
    mkdirSync(dir)
    writeFileSync(
      join(dir, 'aludel.config.mts'),
      "import { defineConfig } from 'aludel'\nexport default defineConfig({ url: process.env.DATABASE_URL || 'pglite:./.aludel-data' })\n",
    )
    writeFileSync(join(dir, '.env'), 'DATABASE_URL=postgres://app@127.0.0.1:1/app\n')
    mkdirSync(join(dir, 'migrations'))
    const appFile = join(dir, 'app.mts')
    writeFileSync(
      appFile,
      "import config from './aludel.config.mts'\nimport { resolveConfig } from 'aludel'\nconsole.log(resolveConfig(config).url)\n",
    )
    const app = await run(dir, appFile, [])
    expect(app.stdout).toBe('pglite:./.aludel-data\n')
    expect(app.stderr).toContain('[ALUDEL_UNREAD_ENV]')
    expect(app.stderr).toContain('sets DATABASE_URL, which this process never read')
    expect(app.stderr).not.toContain('postgres://app')
  })
})
