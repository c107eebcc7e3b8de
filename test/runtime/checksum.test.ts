import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChecksumMismatchError, current, downgrade, rehash, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

describe.each(backends())('checksums of applied migrations on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  let project: TestProject
  let first: string

  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
    project = createProject(db.url)
    first = project.writeMigration({
      revision: 'aaaaaa',
      message: 'first',
      upgrade: "await op.execute('CREATE TABLE one (id int)')",
    })
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa', message: 'second' })
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)('detects an edit, refuses to upgrade, and accepts it after rehash', async () => {
    await upgrade(project.config, 'aaaaaa')
    appendFileSync(first, '\n// reformatted\n')
    expect((await current(project.config)).edited.map((e) => e.revision)).toEqual(['aaaaaa'])

    const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChecksumMismatchError)
    expect((error as Error).message).toBe(
      'an applied migration was edited after running (aaaaaa_first.ts); restore the original, put the change in a new migration, or accept the edit with `aludel rehash`',
    )
    const cli = await project.cli(['upgrade', 'head'])
    expect(cli.code).toBe(1)
    expect(cli.stderr).toMatch(
      /^error: an applied migration was edited after running \(aaaaaa_first\.ts\)/,
    )
    const status = await project.cli(['current'])
    expect(status.stderr).toContain('warning: aaaaaa_first.ts was edited after it was applied')

    const accepted = await rehash(project.config)
    expect(accepted.map((e) => e.revision)).toEqual(['aaaaaa'])
    const run = await upgrade(project.config, 'head')
    expect(run.steps.map((s) => s.revision)).toEqual(['bbbbbb'])
    const ledger = await db.query<{ direction: string }>(
      "SELECT direction FROM aludel_version_ledger WHERE revision = 'aaaaaa' ORDER BY id",
    )
    expect(ledger.map((l) => l.direction)).toEqual(['upgrade', 'rehash'])
  })

  it.skipIf(skip)('ignores line-ending changes', async () => {
    await upgrade(project.config, 'head')
    writeFileSync(first, readFileSync(first, 'utf8').replace(/\n/g, '\r\n'))
    expect((await current(project.config)).edited).toEqual([])
    expect((await upgrade(project.config, 'head')).steps).toEqual([])
  })

  it.skipIf(skip)("only warns with checksums: 'warn', and downgrades always run", async () => {
    const warnProject = createProject(db.url, { checksums: 'warn' })
    warnProject.writeMigration({ revision: 'aaaaaa', message: 'first' })
    const file = warnProject.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'second',
    })
    await upgrade(warnProject.config, 'aaaaaa')
    appendFileSync(file.replace('bbbbbb_second', 'aaaaaa_first'), '\n// edited\n')
    const warnings: string[] = []
    const onEvent = (e: { type: string; code?: string }) => {
      if (e.type === 'warning') warnings.push(e.code ?? '')
    }
    await upgrade(warnProject.config, 'head', { onEvent })
    expect(warnings).toEqual(['CHECKSUM_MISMATCH'])
    await downgrade(warnProject.config, 'base', { onEvent })
    expect(warnings).toEqual(['CHECKSUM_MISMATCH', 'CHECKSUM_MISMATCH'])
  })
})
