import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI_COMMANDS } from '../../src/cli/cli-commands.ts'
import { currentRevision } from '../../src/commands/assert-at-head.ts'
import { createProject, type TestProject } from '../support/project.ts'

/** Read commands need only the files; the graph: a - b1 (billing) / c1, merged by m. */
describe('read commands print like Alembic and as JSON', () => {
  let project: TestProject
  beforeAll(() => {
    project = createProject(undefined)
    project.writeMigration({ revision: 'a0a0a0a0a0a0', message: 'create users' })
    project.writeMigration({
      revision: 'b1b1b1b1b1b1',
      down: 'a0a0a0a0a0a0',
      message: 'add billing',
      branchLabels: ['billing'],
    })
    project.writeMigration({ revision: 'c1c1c1c1c1c1', down: 'a0a0a0a0a0a0', message: 'add crm' })
    project.writeMigration({
      revision: 'ffffffffffff',
      down: ['b1b1b1b1b1b1', 'c1c1c1c1c1c1'],
      message: 'merge branches',
    })
  })

  it('history, newest first, with flags', async () => {
    const run = await project.cli(['history'])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      [
        'b1b1b1b1b1b1, c1c1c1c1c1c1 -> ffffffffffff (head) (mergepoint), merge branches',
        'a0a0a0a0a0a0 -> c1c1c1c1c1c1, add crm',
        'a0a0a0a0a0a0 -> b1b1b1b1b1b1 (billing), add billing',
        '<base> -> a0a0a0a0a0a0 (branchpoint), create users',
        '',
      ].join('\n'),
    )
    const range = await project.cli(['history', '-r', 'b1:ffff'])
    expect(range.stdout.split('\n').filter(Boolean)).toHaveLength(2)
    const branch = await project.cli(['history', '-r', 'billing@base:'])
    expect(
      branch.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' -> ')[1]?.slice(0, 12)),
    ).toEqual(['ffffffffffff', 'b1b1b1b1b1b1'])
  })

  it('heads, branches and show', async () => {
    expect((await project.cli(['heads'])).stdout).toBe(
      'ffffffffffff (head) (mergepoint), merge branches\n',
    )
    expect((await project.cli(['branches'])).stdout).toBe(
      [
        'a0a0a0a0a0a0 (branchpoint), create users',
        '    -> b1b1b1b1b1b1 (billing), add billing',
        '    -> c1c1c1c1c1c1, add crm',
        '',
      ].join('\n'),
    )
    const show = await project.cli(['show', 'ffff'])
    expect(show.stdout).toContain('Rev: ffffffffffff (head) (mergepoint)')
    expect(show.stdout).toContain('Merges: b1b1b1b1b1b1, c1c1c1c1c1c1')
    expect(show.stdout).toContain('Path: ffffffffffff_merge_branches.ts')
  })

  it('--json gives machine-readable output', async () => {
    const heads = JSON.parse((await project.cli(['heads', '--json'])).stdout)
    expect(heads).toMatchObject([
      {
        revision: 'ffffffffffff',
        isMergePoint: true,
        downRevisions: ['b1b1b1b1b1b1', 'c1c1c1c1c1c1'],
      },
    ])
    const history = JSON.parse((await project.cli(['history', '--json'])).stdout)
    expect(history.map((h: { revision: string }) => h.revision)).toEqual([
      'ffffffffffff',
      'c1c1c1c1c1c1',
      'b1b1b1b1b1b1',
      'a0a0a0a0a0a0',
    ])
    expect(history[2].branchLabels).toEqual(['billing'])
  })

  it('takes the global options before the command too', async () => {
    const run = await project.cli(['-q', '--json', 'heads'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)[0].revision).toBe('ffffffffffff')
  })

  it('--help and --version', async () => {
    const help = await project.cli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: aludel COMMAND [options]')
    for (const command of [
      'init',
      'revision',
      'upgrade',
      'downgrade',
      'current',
      'history',
      'heads',
      'branches',
      'show',
      'stamp',
      'merge',
    ]) {
      expect(help.stdout).toContain(`  ${command} `)
    }
    expect((await project.cli(['upgrade', '--help'])).stdout).toContain(
      'Usage: aludel upgrade TARGET',
    )
    expect((await project.cli(['--version'])).stdout).toMatch(/^aludel \d+\.\d+\.\d+\n$/)
  })

  it('every option of every command is described in its --help, with examples', async () => {
    for (const command of CLI_COMMANDS) {
      const undescribed = Object.keys(command.options).filter(
        (name) => command.help.options[name] === undefined,
      )
      expect(undescribed, `aludel ${command.name} --help`).toEqual([])
      expect(command.help.examples.length, command.name).toBeGreaterThan(0)
      expect(command.help.about.length, command.name).toBeGreaterThan(20)
    }
    const help = (await project.cli(['revision', '--help'])).stdout
    expect(help).toContain('  -m, --message MSG ')
    expect(help).toMatch(/ {6}--splice +allow --head to name a revision that is not a head/)
    expect(help).toMatch(/ {6}--depends-on REV +the migration needs REV applied first/)
    expect(help).toContain('Examples:\n  aludel revision -m "add account table"\n')
    const rehash = (await project.cli(['rehash', '--help'])).stdout
    expect(rehash).toContain('Without REV, every applied migration whose file changed')
    const stamp = (await project.cli(['stamp', '--help'])).stdout
    expect(stamp).toMatch(/ {6}--purge +empty the version table first/)
  })
})

describe('one vocabulary in JSON and the API', () => {
  it("current: the database's revisions; heads: the migrations' heads", async () => {
    const project = createProject('pglite:./db')
    project.writeMigration({ revision: 'a0a0a0a0a0a0', message: 'one' })
    project.writeMigration({ revision: 'b0b0b0b0b0b0', down: 'a0a0a0a0a0a0', message: 'two' })
    expect((await project.cli(['upgrade', 'a0a0a0a0a0a0', '-q'])).code).toBe(0)
    const json = JSON.parse((await project.cli(['current', '--json'])).stdout)
    expect(json.current.map((r: { revision: string }) => r.revision)).toEqual(['a0a0a0a0a0a0'])
    expect(json.heads).toEqual(['b0b0b0b0b0b0'])
    expect(json.pending).toEqual(['b0b0b0b0b0b0'])
    const status = await currentRevision(project.config)
    expect(status).toMatchObject({
      current: ['a0a0a0a0a0a0'],
      heads: ['b0b0b0b0b0b0'],
      atHead: false,
      pending: ['b0b0b0b0b0b0'],
    })
    const up = JSON.parse((await project.cli(['upgrade', 'head', '--json'])).stdout)
    expect(up).toMatchObject({ currentBefore: ['a0a0a0a0a0a0'], currentAfter: ['b0b0b0b0b0b0'] })
  })
})

describe('advice that fits the graph', () => {
  it('two heads: --check-head advises `upgrade heads`; a line has no branch points, and says so', async () => {
    const project = createProject('pglite:./db')
    project.writeMigration({ revision: 'a0a0a0a0a0a0', message: 'one' })
    project.writeMigration({ revision: 'b0b0b0b0b0b0', down: 'a0a0a0a0a0a0', message: 'two' })
    expect((await project.cli(['branches'])).stdout).toBe(
      'No branch points: every revision has at most one child\n',
    )
    expect(JSON.parse((await project.cli(['branches', '--json'])).stdout)).toEqual([])
    project.writeMigration({ revision: 'c0c0c0c0c0c0', down: 'a0a0a0a0a0a0', message: 'three' })
    const check = await project.cli(['current', '--check-head'])
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('run `aludel upgrade heads` before starting the application')
  })
})

describe('writing revisions', () => {
  it('revision and merge write files with the expected header', async () => {
    const project = createProject(undefined)
    const first = await project.cli([
      'revision',
      '-m',
      'Create users & items!',
      '--rev-id',
      'aaaaaaaaaaaa',
    ])
    expect(first.code).toBe(0)
    expect(first.stdout).toBe(
      `Generated ${join(project.migrationsDir, 'aaaaaaaaaaaa_create_users_items.ts')}\n`,
    )
    await project.cli(['revision', '-m', 'left', '--rev-id', 'bbbbbbbbbbbb'])
    const right = await project.cli([
      'revision',
      '-m',
      'right',
      '--head',
      'aaaa',
      '--splice',
      '--branch-label',
      'right',
      '--rev-id',
      'cccccccccccc',
    ])
    expect(right.code).toBe(0)
    const text = readFileSync(join(project.migrationsDir, 'cccccccccccc_right.ts'), 'utf8')
    expect(text).toContain(
      "export const downRevision: string | readonly string[] | null = 'aaaaaaaaaaaa'",
    )
    expect(text).toContain("export const branchLabels: readonly string[] = ['right']")
    const merged = await project.cli(['merge', 'heads', '-m', 'join', '--rev-id', 'dddddddddddd'])
    expect(merged.code).toBe(0)
    const merge = readFileSync(join(project.migrationsDir, 'dddddddddddd_join.ts'), 'utf8')
    expect(merge).toContain(
      "export const downRevision: string | readonly string[] | null = ['bbbbbbbbbbbb', 'cccccccccccc']",
    )
    const dep = await project.cli([
      'revision',
      '-m',
      'after',
      '--depends-on',
      'bbbb',
      '--non-transactional',
    ])
    expect(dep.code).toBe(0)
    const file = readdirSync(project.migrationsDir).find((f) => f.endsWith('_after.ts'))!
    const depText = readFileSync(join(project.migrationsDir, file), 'utf8')
    expect(file).toMatch(/^[0-9a-f]{12}_after\.ts$/)
    expect(depText).toContain(
      "export const downRevision: string | readonly string[] | null = 'dddddddddddd'",
    )
    expect(depText).toContain("export const dependsOn: readonly string[] = ['bbbbbbbbbbbb']")
    expect(depText).toContain('export const transactional = false')
    expect((await project.cli(['heads'])).stdout).toMatch(/^[0-9a-f]{12} \(head\), after\n$/)
  })

  it('init writes a project that works on PGlite with no server', async () => {
    const project = createProject(undefined)
    const dir = join(project.dir, 'fresh')
    const init = await project.cli(['init', dir])
    expect(init.code).toBe(0)
    expect(readdirSync(dir).sort()).toEqual([
      '.env.example',
      '.gitignore',
      'aludel.config.ts',
      'migrations',
    ])
    // The embedded database's files and the secrets stay out of version control.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.env\n.aludel-data/\n')
    const again = await project.cli(['init', dir])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^error: .*aludel\.config\.ts already exists/)
  })

  it('init says what it added to a .gitignore that was there', async () => {
    const project = createProject(undefined)
    const dir = join(project.dir, 'existing')
    mkdirSync(dir)
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.env')
    const init = await project.cli(['init', dir])
    expect(init.code).toBe(0)
    expect(init.stdout).toContain(`Added .aludel-data/ to ${join(dir, '.gitignore')}\n`)
    expect(init.stdout).not.toContain(`Created ${join(dir, '.gitignore')}`)
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules/\n.env\n.aludel-data/\n',
    )
  })
})
