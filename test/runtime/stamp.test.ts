import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { current, stamp, UnknownDatabaseRevisionError, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

describe.each(backends())('stamp on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  let project: TestProject
  const rows = async () =>
    (await db.query<{ v: string }>('SELECT version_num AS v FROM aludel_version ORDER BY 1')).map(
      (r) => r.v,
    )

  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
    project = createProject(db.url)
    // a - b - c, and a - x (a second branch)
    project.writeMigration({
      revision: 'aaaaaa',
      upgrade: "await op.execute('CREATE TABLE never_run (id int)')",
    })
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
    project.writeMigration({ revision: 'cccccc', down: 'bbbbbb' })
    project.writeMigration({ revision: 'xxxxxx', down: 'aaaaaa', branchLabels: ['side'] })
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)('moves the version table without running migrations', async () => {
    await stamp(project.config, 'cccccc')
    expect(await rows()).toEqual(['cccccc'])
    expect(await db.query("SELECT to_regclass('never_run') AS t")).toEqual([{ t: null }])

    await stamp(project.config, 'bbbbbb')
    expect(await rows()).toEqual(['bbbbbb'])

    await stamp(project.config, 'side@head')
    expect(await rows()).toEqual(['bbbbbb', 'xxxxxx'])

    await stamp(project.config, 'heads')
    expect(await rows()).toEqual(['cccccc', 'xxxxxx'])
    expect((await current(project.config)).atHead).toBe(true)

    await stamp(project.config, 'base')
    expect(await rows()).toEqual([])

    const ledger = await db.query<{ d: string }>(
      "SELECT direction || ' ' || revision AS d FROM aludel_version_ledger ORDER BY id",
    )
    expect(ledger.map((l) => l.d)).toEqual([
      'stamp aaaaaa',
      'stamp bbbbbb',
      'stamp cccccc',
      'unstamp cccccc',
      'stamp xxxxxx',
      'stamp cccccc',
      'unstamp xxxxxx',
      'unstamp cccccc',
      'unstamp bbbbbb',
      'unstamp aaaaaa',
    ])
  })

  it.skipIf(skip)('--purge clears rows that no file defines', async () => {
    await upgrade(project.config, 'bbbbbb')
    await db.query("UPDATE aludel_version SET version_num = 'gone12'")
    await expect(upgrade(project.config, 'cccccc')).rejects.toThrow(UnknownDatabaseRevisionError)
    await expect(stamp(project.config, 'bbbbbb')).rejects.toThrow(
      /the database is at revision gone12, which no migration file defines/,
    )
    const result = await stamp(project.config, 'bbbbbb', { purge: true })
    expect(result.purged).toBe(true)
    expect(await rows()).toEqual(['bbbbbb'])
    const run = await upgrade(project.config, 'cccccc')
    expect(run.steps.map((s) => s.revision)).toEqual(['cccccc'])
  })

  it.skipIf(skip)('prints what it did on the command line', async () => {
    const run = await project.cli(['stamp', 'head', '--url', db.url])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^error: 'head' is ambiguous: there are 2 heads/)
    const ok = await project.cli(['stamp', 'cccccc'])
    expect(ok.stdout).toBe('Stamped cccccc (was <base>); no migration was run\n')
  })
})
