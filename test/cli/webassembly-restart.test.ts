import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, createDatabase, openPglite, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/** A step that records the process that ran it: its pid and the flags Node was started with. */
function writeWitness(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    upgrade: `const flags = process.execArgv.join(' ')
  await op.execute('CREATE TABLE witness (pid int, flags text)')
  await op.bulkInsert('witness', [{ pid: process.pid, flags }])`,
  })
}

describe('the aludel command and WebAssembly', () => {
  const postgres = backends().find((b) => b.backend === 'postgres')!
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('on PGlite, replaces itself with a process that skips optimizing recompilation, keeping its pid', async () => {
    const project = createProject('pglite:./db')
    writeWitness(project)
    const run = project.start(['upgrade', 'head'])
    const done = await run.done
    expect(done.stderr).toBe('')
    expect(done.code).toBe(0)
    const instance = await openPglite(join(project.dir, 'db'))
    try {
      const { rows } = await instance.query<{ pid: number; flags: string }>(
        'SELECT pid, flags FROM witness',
      )
      // The same pid: a signal sent to the command still reaches the process doing the work.
      expect(rows).toEqual([
        { pid: run.child.pid, flags: expect.stringContaining('--liftoff-only') },
      ])
    } finally {
      await instance.close()
    }
  })

  it.skipIf(postgres.skip)('on a PostgreSQL server, runs as started', async () => {
    db = await createDatabase('postgres')
    const project = createProject(db.url)
    writeWitness(project)
    const run = project.start(['upgrade', 'head'])
    const done = await run.done
    expect(done.stderr).toBe('')
    expect(done.code).toBe(0)
    const rows = await db.query<{ pid: number; flags: string }>('SELECT pid, flags FROM witness')
    expect(rows).toEqual([{ pid: run.child.pid, flags: expect.not.stringContaining('liftoff') }])
  })
})
