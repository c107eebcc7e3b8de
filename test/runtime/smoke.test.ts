import { afterEach, describe, expect, it } from 'vitest'
import { current, downgrade, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'

describe.each(backends())('smoke on $backend', ({ backend, skip }) => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  it.skipIf(skip)('upgrades, reports and downgrades', async () => {
    db = await createDatabase(backend)
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaa111',
      message: 'create t',
      upgrade: "await op.execute('CREATE TABLE t (id int)')",
      downgrade: "await op.execute('DROP TABLE t')",
    })
    project.writeMigration({
      revision: 'bbb222',
      down: 'aaa111',
      message: 'fill t',
      upgrade: "await op.execute('INSERT INTO t VALUES ($1)', [7])",
      downgrade: "await op.execute('DELETE FROM t')",
    })
    const run = await upgrade(project.config, 'head')
    expect(run.steps.map((s) => s.revision)).toEqual(['aaa111', 'bbb222'])
    expect(await db.query('SELECT id FROM t')).toEqual([{ id: 7 }])
    expect((await current(project.config)).current.map((h) => h.revision)).toEqual(['bbb222'])
    await downgrade(project.config, 'base')
    expect(await db.query("SELECT to_regclass('t') AS t")).toEqual([{ t: null }])
    const cli = await project.cli(['upgrade', 'head'])
    expect(cli.stderr).toBe('')
    expect(cli.stdout).toMatch(/Running upgrade <base> -> aaa111, create t \.\.\. /)
    expect(cli.code).toBe(0)
  })
  it.skipIf(skip)(
    'a database set up by aludel 0.1.0 (no progress table) gets it on its next run',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaa111',
        upgrade: "await op.execute('CREATE TABLE t (id int)')",
      })
      await upgrade(project.config, 'head')
      await db.query('DROP TABLE aludel_version_progress')
      // Read commands work on the old layout as they are.
      expect((await current(project.config)).atHead).toBe(true)
      project.writeMigration({
        revision: 'bbb222',
        down: 'aaa111',
        transactional: false,
        upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_t ON t (id)')",
      })
      await upgrade(project.config, 'head')
      expect(await db.query("SELECT to_regclass('aludel_version_progress')::text AS t")).toEqual([
        { t: 'aludel_version_progress' },
      ])
      expect((await current(project.config)).atHead).toBe(true)
    },
  )
})
