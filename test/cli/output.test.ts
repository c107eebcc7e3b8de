import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
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
    expect(readdirSync(dir).sort()).toEqual(['.env.example', 'aludel.config.ts', 'migrations'])
    const again = await project.cli(['init', dir])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^error: .*aludel\.config\.ts already exists/)
  })
})
