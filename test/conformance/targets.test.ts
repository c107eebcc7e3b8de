import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { current, downgrade, upgrade } from '../../src/index.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
  tableNames,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/** A linear chain r1 -> r2 -> r3 -> r4 -> r5 with branch label "core" on r2. */
function writeChain(project: TestProject): void {
  const ids = ['1a1a1a', '2b2b2b', '3c3c3c', '4d4d4d', '5e5e5e']
  ids.forEach((revision, i) => {
    project.writeMigration({
      revision,
      down: i === 0 ? null : ids[i - 1],
      branchLabels: i === 1 ? ['core'] : [],
      upgrade: `await op.execute('CREATE TABLE t${i + 1} (id int)')`,
      downgrade: `await op.execute('DROP TABLE t${i + 1}')`,
    })
  })
}

describe.each(conformanceBackends())('every target form on $backend', ({ backend, skip }) => {
  let db: ConformanceDatabase
  let project: TestProject
  const at = async () => (await current(project.config)).current.map((h) => h.revision)

  beforeEach(async () => {
    if (skip) return
    db = await createConformanceDatabase(backend)
    project = createProject(db.url)
    writeChain(project)
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)('moves through the chain with each form', async () => {
    const moves: [fn: typeof downgrade, target: string, expected: string[]][] = [
      [upgrade, '+1', ['1a1a1a']],
      [upgrade, '+2', ['3c3c3c']],
      [downgrade, '-1', ['2b2b2b']],
      [upgrade, '2b2b2b+2', ['4d4d4d']],
      [downgrade, '4d4d4d-3', ['1a1a1a']],
      [upgrade, 'head-1', ['4d4d4d']],
      [upgrade, 'head', ['5e5e5e']],
      [downgrade, '3c', ['3c3c3c']],
      [downgrade, 'core@2b', ['2b2b2b']],
      [upgrade, 'core@+1', ['3c3c3c']],
      [downgrade, 'core@-1', ['2b2b2b']],
      [upgrade, 'core@head', ['5e5e5e']],
      [downgrade, 'core@base', ['1a1a1a']],
      [upgrade, 'heads', ['5e5e5e']],
      [downgrade, '1a1a1a', ['1a1a1a']],
      [upgrade, 'core', ['2b2b2b']],
      [downgrade, 'base', []],
      [upgrade, '5e5e5e', ['5e5e5e']],
    ]
    for (const [fn, target, expected] of moves) {
      await fn(project.config, target)
      expect(await at(), `after ${fn.name} ${target}`).toEqual(expected)
    }
    expect(await tableNames(db, 't_')).toEqual(['t1', 't2', 't3', 't4', 't5'])
  })

  it.skipIf(skip)('takes relative targets on the command line', async () => {
    expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
    const down = await project.cli(['downgrade', '-2'])
    expect(down.stderr).toBe('')
    expect(down.stdout).toContain('Running downgrade 5e5e5e -> 4d4d4d')
    expect(down.stdout).toContain('Running downgrade 4d4d4d -> 3c3c3c')
    expect(await at()).toEqual(['3c3c3c'])
    const up = await project.cli(['upgrade', '+1'])
    expect(up.code).toBe(0)
    expect(await at()).toEqual(['4d4d4d'])
  })
})
