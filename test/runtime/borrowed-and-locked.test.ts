import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import {
  assertAtHead,
  currentRevision,
  lockPgliteFolder,
  NotAtHeadError,
  upgrade,
} from '../../src/index.ts'
import { backends, createDatabase, openPglite, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

function twoSteps(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    upgrade: "await op.execute('CREATE TABLE t (id int)')",
  })
  project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
}

describe('read commands on a session the application holds', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  it.skipIf(postgres.skip)('a node-postgres client: nothing else is opened', async () => {
    db = await createDatabase('postgres')
    const project = createProject(db.url)
    twoSteps(project)
    await upgrade(project.config, 'aaaaaa')
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      // A config whose own URL leads nowhere: only the borrowed session can answer.
      const config = { ...project.config, url: 'postgres://nobody@127.0.0.1:1/none' }
      const status = await currentRevision(config, { connection: client })
      expect(status).toEqual({
        current: ['aaaaaa'],
        heads: ['bbbbbb'],
        atHead: false,
        pending: ['bbbbbb'],
        unknown: [],
      })
      await expect(assertAtHead(config, { connection: client })).rejects.toThrow(NotAtHeadError)
    } finally {
      await client.end()
    }
  })

  it('a PGlite instance whose folder this process holds', async () => {
    db = await createDatabase('pglite')
    const project = createProject(db.url)
    twoSteps(project)
    await upgrade(project.config, 'head')
    const folder = db.url.slice('pglite:'.length)
    const lock = lockPgliteFolder(folder)
    const instance = await openPglite(folder)
    try {
      await expect(assertAtHead(project.config, { connection: instance })).resolves.toBeUndefined()
      expect((await currentRevision(project.config, { connection: instance })).atHead).toBe(true)
      // Another process is refused the folder while this one holds it.
      const run = await project.cli(['current'])
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(
        new RegExp(
          `^error: the PGlite folder .* is in use by process ${process.pid} \\(your application, or another aludel command\\)`,
        ),
      )
    } finally {
      await instance.close()
      lock.release()
    }
    expect((await project.cli(['current'])).code).toBe(0)
  })

  it('a stale claim (its process is gone) is taken over', async () => {
    db = await createDatabase('pglite')
    const project = createProject(db.url)
    twoSteps(project)
    const folder = db.url.slice('pglite:'.length)
    const { writeFileSync } = await import('node:fs')
    const { basename, dirname, join } = await import('node:path')
    // A pid that cannot be running: beyond the kernel's pid_max.
    writeFileSync(join(dirname(folder), `.${basename(folder)}.aludel-lock`), '99999999')
    const run = await project.cli(['upgrade', 'head'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
  })
})
