import { afterEach, describe, expect, it } from 'vitest'
import { current, upgrade } from '../../src/index.ts'
import { type ConformanceDatabase, createConformanceDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * A deploy killed with SIGKILL in the middle of a SQLite migration: the journal undoes the
 * half-done step, the lock row it leaves names a process that no longer exists, and the next run
 * takes the lock over and applies every migration exactly once.
 */
describe('kill -9 during a SQLite migration', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('leaves the database as before the step, and the next run finishes the job', async () => {
    db = await createConformanceDatabase('sqlite')
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'log',
      // How long the slow step counts: long for the killed run, short for the one after.
      upgrade:
        "await op.execute('CREATE TABLE log (step text NOT NULL)'); await op.execute('CREATE TABLE knob (n integer NOT NULL)'); await op.execute('INSERT INTO knob VALUES (1000000000)')",
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'slow backfill',
      // A write, then a query that keeps SQLite busy for seconds: the kill lands inside it.
      upgrade: [
        `await op.execute("INSERT INTO log VALUES ('bbbbbb')")`,
        "await op.execute('CREATE TABLE big AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT n FROM knob)) SELECT count(*) AS c FROM n')",
      ].join('; '),
    })
    const running = project.start(['upgrade', 'head'])
    // Killed once the first step has committed and the slow one is running.
    for (let waited = 0; waited < 30_000; waited += 50) {
      const rows = await db
        .query<{ version_num: string }>('SELECT version_num FROM aludel_version')
        .catch(() => [])
      if (rows.some((r) => r.version_num === 'aaaaaa')) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    running.child.kill('SIGKILL')
    const killed = await running.done
    expect(killed.signal).toBe('SIGKILL')

    // The half-done step left nothing: its row is not in log, big does not exist.
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
    expect(await db.query('SELECT step FROM log')).toEqual([])
    expect(
      await db.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'big'"),
    ).toEqual([])
    // The lock row names the killed process.
    expect(await db.query('SELECT pid FROM aludel_version_lock')).toEqual([
      { pid: running.child.pid },
    ])

    await db.query('UPDATE knob SET n = 10')
    const finished = await upgrade(project.config, 'head')
    expect(finished.steps.map((s) => s.revision)).toEqual(['bbbbbb'])
    expect(await db.query('SELECT step FROM log')).toEqual([{ step: 'bbbbbb' }])
    expect((await current(project.config)).atHead).toBe(true)
    expect(await db.query('SELECT token FROM aludel_version_lock')).toEqual([])
  })
})
