import { afterEach, describe, expect, it } from 'vitest'
import { SessionPool } from '../../src/dialect/session-pool.ts'
import { MigrationFailedError, type RunEvent, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * A fleet run's target sends consecutive steps in one round trip (`stepsPerRoundTrip`): each step
 * still commits on its own, and whatever stops the script — a failing statement, the step's own
 * code, a lock it cannot get — is put on the step it belongs to, with the steps before it
 * committed and reported, and the version table true.
 */
const ids = ['a1a1a1', 'b2b2b2', 'c3c3c3', 'd4d4d4', 'e5e5e5'] as const

/** A step creating table `name`. */
const creates = (name: string) => `await op.execute('CREATE TABLE ${name} (id int)')`

function writeChain(project: TestProject, upgrades: readonly string[]): void {
  upgrades.forEach((body, i) => {
    project.writeMigration({
      revision: ids[i]!,
      down: i === 0 ? null : ids[i - 1]!,
      message: `step ${i + 1}`,
      upgrade: body,
    })
  })
}

/** `upgrade head` as a fleet run's target runs it: with sessions shared, steps travel together. */
async function fleetUpgrade(project: TestProject, onEvent: (event: RunEvent) => void = () => {}) {
  const sessions = new SessionPool(2)
  try {
    return await upgrade(project.config, 'head', { sessions, onEvent })
  } finally {
    await sessions.close()
  }
}

describe.each(backends())('steps sent together on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  afterEach(async () => {
    await db?.drop()
  })

  const versions = async () =>
    (await db.query<{ version_num: string }>('SELECT version_num FROM aludel_version')).map(
      (row) => row.version_num,
    )
  const ledger = async () =>
    (
      await db.query<{ revision: string }>(
        "SELECT revision FROM aludel_version_ledger WHERE direction = 'upgrade' ORDER BY id",
      )
    ).map((row) => row.revision)

  it.skipIf(skip)(
    'a statement failing mid-script is its step’s failure; the steps before it stay',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      // The third step's table is the first's: it fails, in the script that carries them all.
      writeChain(project, ['t1', 't2', 't1', 't4', 't5'].map(creates))
      const events: RunEvent[] = []
      const error = await fleetUpgrade(project, (e) => events.push(e)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      const failure = error as MigrationFailedError
      expect(failure.revision).toBe('c3c3c3')
      expect(failure.statement).toBe('CREATE TABLE t1 (id int)')
      expect(failure.currentAfter).toEqual(['b2b2b2'])
      expect(failure.applied).toBe(2)
      expect(failure.message).toMatch(/rolled back; the database is still at b2b2b2/)
      expect(await versions()).toEqual(['b2b2b2'])
      expect(await ledger()).toEqual(['a1a1a1', 'b2b2b2'])
      const ended = events.flatMap((e) => (e.type === 'step-end' ? [e.step.revision] : []))
      expect(ended).toEqual(['a1a1a1', 'b2b2b2'])
      const tables = await db.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE tablename LIKE 't_' ORDER BY 1",
      )
      expect(tables.map((r) => r.t)).toEqual(['t1', 't2'])
    },
  )

  it.skipIf(skip)(
    'a step whose own code throws comes after the steps held back for it',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      writeChain(project, [
        ...['t1', 't2', 't3'].map(creates),
        "throw new Error('the fourth step is broken')",
        creates('t5'),
      ])
      const error = await fleetUpgrade(project).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      const failure = error as MigrationFailedError
      expect(failure.revision).toBe('d4d4d4')
      expect(failure.message).toContain('the fourth step is broken')
      expect(failure.currentAfter).toEqual(['c3c3c3'])
      expect(await versions()).toEqual(['c3c3c3'])
      expect(await ledger()).toEqual(['a1a1a1', 'b2b2b2', 'c3c3c3'])
    },
  )

  it.skipIf(skip)('each step is timed on its own, in the result and in the ledger', async () => {
    db = await createDatabase(backend)
    const project = createProject(db.url)
    writeChain(project, [creates('t1'), "await op.execute('SELECT pg_sleep(0.6)')", creates('t3')])
    const result = await fleetUpgrade(project)
    expect(result.currentAfter).toEqual(['c3c3c3'])
    const times = result.steps.map((s) => s.durationMs)
    expect(times[1]).toBeGreaterThanOrEqual(550)
    expect(times[0]).toBeLessThan(550)
    expect(times[2]).toBeLessThan(550)
    const rows = await db.query<{ revision: string; duration_ms: number }>(
      'SELECT revision, duration_ms FROM aludel_version_ledger ORDER BY id',
    )
    expect(rows.map((r) => r.revision)).toEqual(['a1a1a1', 'b2b2b2', 'c3c3c3'])
    expect(rows[1]!.duration_ms).toBeGreaterThanOrEqual(550)
    expect(rows[0]!.duration_ms).toBeLessThan(550)
    expect(rows[2]!.duration_ms).toBeLessThan(550)
    expect(rows.map((r) => r.duration_ms)).toEqual(times.map((t) => Math.round(t)))
  })
})
