import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assertAtHead, currentRevision, NotAtHeadError, stamp, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

describe.each(backends())('assertAtHead and currentRevision on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  let project: TestProject
  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
    project = createProject(db.url)
    project.writeMigration({ revision: 'aaaaaa' })
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)('refuses a database that is behind, then passes at head', async () => {
    const behind = (await assertAtHead(project.config).catch((e: unknown) => e)) as NotAtHeadError
    expect(behind).toBeInstanceOf(NotAtHeadError)
    expect(behind.reason).toBe('behind')
    expect(behind.message).toBe(
      'the database is at base and 2 migrations are not applied (next: aaaaaa); run `aludel upgrade head` before starting the application',
    )
    expect(await currentRevision(project.config)).toEqual({
      current: [],
      heads: ['bbbbbb'],
      atHead: false,
      pending: ['aaaaaa', 'bbbbbb'],
      unknown: [],
    })
    await upgrade(project.config, 'head')
    await expect(assertAtHead(project.config)).resolves.toBeUndefined()
    expect(await currentRevision(project.config)).toEqual({
      current: ['bbbbbb'],
      heads: ['bbbbbb'],
      atHead: true,
      pending: [],
      unknown: [],
    })
    await stamp(project.config, 'aaaaaa')
    await expect(assertAtHead(project.config)).rejects.toThrow(
      /at aaaaaa and 1 migration is not applied \(next: bbbbbb\)/,
    )
  })

  it.skipIf(skip)('refuses a database migrated by code it does not know', async () => {
    await upgrade(project.config, 'head')
    await db.query("INSERT INTO aludel_version VALUES ('cccccc')")
    const error = (await assertAtHead(project.config).catch((e: unknown) => e)) as NotAtHeadError
    expect(error.reason).toBe('unknown-revision')
    expect(error.message).toMatch(
      /^the database is at cccccc, which this code's migrations do not contain/,
    )
    const check = await project.cli(['current', '--check-head'])
    expect(check.code).toBe(1)
    expect(check.stderr).toMatch(/^error: the database is at cccccc/)
  })
})
