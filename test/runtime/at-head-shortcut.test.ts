import { appendFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChecksumMismatchError, stamp, upgrade } from '../../src/index.ts'
import { ScriptDirectory } from '../../src/script/script-directory.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * `upgrade head` on an unchanged folder answers "already at head" from a cached summary and one
 * query. These tests make sure the shortcut never hides work or an edit.
 */
describe.each(backends())('the at-head shortcut on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  let project: TestProject
  let first: string
  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
    project = createProject(db.url)
    first = project.writeMigration({
      revision: 'aaaaaa',
      upgrade: "await op.execute('CREATE TABLE t (id int)')",
      downgrade: "await op.execute('DROP TABLE t')",
    })
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
    await upgrade(project.config, 'head')
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeDefined()
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)('reports nothing to do', async () => {
    const run = await upgrade(project.config, 'head')
    expect(run.steps).toEqual([])
    expect(run.currentAfter).toEqual(['bbbbbb'])
  })

  it.skipIf(skip)('falls back when the database moved', async () => {
    await stamp(project.config, 'aaaaaa')
    const run = await upgrade(project.config, 'head')
    expect(run.steps.map((s) => s.revision)).toEqual(['bbbbbb'])
  })

  it.skipIf(skip)('falls back when the ledger disagrees with the files', async () => {
    // The files are unchanged since the last full read, but the database recorded other
    // checksums (e.g. another checkout applied them): the full path must report it.
    await db.query(
      "UPDATE aludel_version_ledger SET checksum = repeat('0', 64) WHERE revision = 'aaaaaa'",
    )
    await expect(upgrade(project.config, 'head')).rejects.toThrow(ChecksumMismatchError)
  })

  it.skipIf(skip)('an edited file is never taken for unchanged', async () => {
    appendFileSync(first, '\n// edited\n')
    await expect(upgrade(project.config, 'head')).rejects.toThrow(ChecksumMismatchError)
  })

  it.skipIf(skip)('works the same with the cache disabled', async () => {
    const run = await project.cli(['upgrade', 'head'], { ALUDEL_NO_CACHE: '1' })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('Nothing to do: the database is at bbbbbb\n')
  })
})
