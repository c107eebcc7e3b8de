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
    'a step’s time includes its last statement, which travels with the commit: in the result and the ledger',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaa111',
        message: 'slow',
        upgrade: "await op.execute('SELECT pg_sleep(0.3)')",
      })
      project.writeMigration({
        revision: 'bbb222',
        down: 'aaa111',
        message: 'slow too',
        upgrade:
          "await op.execute('CREATE TABLE t (id int)'); await op.execute('SELECT pg_sleep(0.3)')",
      })
      const run = await upgrade(project.config, 'head')
      expect(run.steps.map((s) => s.durationMs >= 300)).toEqual([true, true])
      const ledger = await db.query<{ ms: number; span: number }>(
        'SELECT duration_ms AS ms, (extract(epoch FROM finished_at - started_at) * 1000)::int AS span FROM aludel_version_ledger ORDER BY id',
      )
      expect(ledger).toHaveLength(2)
      for (const row of ledger) {
        expect(row.ms).toBeGreaterThanOrEqual(300)
        // The finish is the start plus the duration, whatever the two clocks say.
        expect(Math.abs(row.span - row.ms)).toBeLessThanOrEqual(1)
      }
    },
  )
  it.skipIf(skip)(
    'the progress table appears with the first transactional = false step, and reads work before it',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaa111',
        upgrade: "await op.execute('CREATE TABLE t (id int)')",
      })
      await upgrade(project.config, 'head')
      const progressTable = "SELECT to_regclass('aludel_version_progress')::text AS t"
      expect(await db.query(progressTable)).toEqual([{ t: null }])
      // The ledger carries no index but its key (a file less per database, per tenant).
      expect(
        await db.query(
          "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'aludel_version_ledger'",
        ),
      ).toEqual([{ n: 1 }])
      expect((await current(project.config)).atHead).toBe(true)
      project.writeMigration({
        revision: 'bbb222',
        down: 'aaa111',
        transactional: false,
        upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_t ON t (id)')",
      })
      await upgrade(project.config, 'head')
      expect(await db.query(progressTable)).toEqual([{ t: 'aludel_version_progress' }])
      expect((await current(project.config)).atHead).toBe(true)
      await downgrade(project.config, 'base')
      expect((await current(project.config)).current).toEqual([])
    },
  )
})
