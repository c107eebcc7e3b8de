import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { downgrade, MultipleHeadsError, upgrade } from '../../src/index.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
  tableNames,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 *        ┌─ b1 ─ b2 ─┐
 *  a ────┤           ├── m ── z
 *        └─ c1 ──────┘
 *  d1 (label "reporting", an independent base) ── d2 (depends on c1)
 */
function writeGraph(project: TestProject): void {
  const table = (rev: string) => ({
    upgrade: `await op.execute('CREATE TABLE t_${rev} (id int)')`,
    downgrade: `await op.execute('DROP TABLE t_${rev}')`,
  })
  project.writeMigration({ revision: 'a0a0a0', message: 'a', ...table('a') })
  project.writeMigration({
    revision: 'b1b1b1',
    down: 'a0a0a0',
    branchLabels: ['billing'],
    ...table('b1'),
  })
  project.writeMigration({ revision: 'b2b2b2', down: 'b1b1b1', ...table('b2') })
  project.writeMigration({
    revision: 'c1c1c1',
    down: 'a0a0a0',
    branchLabels: ['crm'],
    ...table('c1'),
  })
  project.writeMigration({ revision: 'mmmmmm', down: ['b2b2b2', 'c1c1c1'], message: 'merge' })
  project.writeMigration({ revision: 'zzzzzz', down: 'mmmmmm', ...table('z') })
  project.writeMigration({ revision: 'd1d1d1', branchLabels: ['reporting'], ...table('d1') })
  project.writeMigration({
    revision: 'd2d2d2',
    down: 'd1d1d1',
    dependsOn: ['c1c1c1'],
    ...table('d2'),
  })
}

describe.each(conformanceBackends())(
  'branches, merges and dependencies on $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase
    let project: TestProject
    const rows = async () =>
      (
        await db.query<{ version_num: string }>('SELECT version_num FROM aludel_version ORDER BY 1')
      ).map((r) => r.version_num)
    const tables = () => tableNames(db, 't\\_%')

    beforeEach(async () => {
      if (skip) return
      db = await createConformanceDatabase(backend)
      project = createProject(db.url)
      writeGraph(project)
    })
    afterEach(async () => {
      if (!skip) await db.drop()
    })

    it.skipIf(skip)('walks branches and keeps one version row per applied head', async () => {
      await expect(upgrade(project.config, 'head')).rejects.toThrow(MultipleHeadsError)

      await upgrade(project.config, 'b1b1b1')
      expect(await rows()).toEqual(['b1b1b1'])

      // A second branch from an applied revision adds a row. (`crm@head` would be z: a label
      // covers everything built on its revision, merges included.)
      await upgrade(project.config, 'crm@c1')
      expect(await rows()).toEqual(['b1b1b1', 'c1c1c1'])

      await upgrade(project.config, 'billing@b2')
      expect(await rows()).toEqual(['b2b2b2', 'c1c1c1'])

      // The merge joins the rows into one.
      const merged = await upgrade(project.config, 'mmmmmm')
      expect(merged.steps.map((s) => s.revision)).toEqual(['mmmmmm'])
      expect(await rows()).toEqual(['mmmmmm'])

      // d2 depends on c1 (applied) and builds on d1: an independent base gets its own row.
      await upgrade(project.config, 'reporting@head')
      expect(await rows()).toEqual(['d2d2d2', 'mmmmmm'])

      await upgrade(project.config, 'heads')
      expect(await rows()).toEqual(['d2d2d2', 'zzzzzz'])
      expect(await tables()).toEqual(['t_a', 't_b1', 't_b2', 't_c1', 't_d1', 't_d2', 't_z'])

      // Downgrading below the merge splits the row again; the other base is left alone.
      const down = await downgrade(project.config, 'b2b2b2')
      expect(down.steps.map((s) => s.revision)).toEqual(['zzzzzz', 'mmmmmm'])
      expect(await rows()).toEqual(['b2b2b2', 'c1c1c1', 'd2d2d2'])

      // Downgrading c1 first removes d2, which depends on it.
      const dependents = await downgrade(project.config, 'a0a0a0')
      expect(dependents.steps.map((s) => s.revision)).toEqual([
        'd2d2d2',
        'c1c1c1',
        'b2b2b2',
        'b1b1b1',
      ])
      expect(await rows()).toEqual(['a0a0a0', 'd1d1d1'])

      await downgrade(project.config, 'reporting@base')
      expect(await rows()).toEqual(['a0a0a0'])
      await downgrade(project.config, 'base')
      expect(await rows()).toEqual([])
      expect(await tables()).toEqual([])
    })

    it.skipIf(skip)('repairs a version table holding a redundant row, and says so', async () => {
      await upgrade(project.config, 'b2b2b2')
      // An ancestor of the real head, as a hand edit or another tool might leave.
      await db.query("INSERT INTO aludel_version VALUES ('a0a0a0')")
      const warnings: string[] = []
      const run = await upgrade(project.config, 'mmmmmm', {
        onEvent: (e) => {
          if (e.type === 'warning') warnings.push(e.message)
        },
      })
      expect(warnings).toEqual([
        'the version table held a0a0a0, b2b2b2; it now holds the applied heads b2b2b2 (a row was redundant or missing)',
      ])
      expect(run.steps.map((s) => s.revision)).toEqual(['c1c1c1', 'mmmmmm'])
      expect(await rows()).toEqual(['mmmmmm'])
    })

    it.skipIf(skip)('downgrade -1 at a merge undoes just the merge', async () => {
      await upgrade(project.config, 'mmmmmm')
      const run = await downgrade(project.config, '-1')
      expect(run.steps.map((s) => s.revision)).toEqual(['mmmmmm'])
      expect(await rows()).toEqual(['b2b2b2', 'c1c1c1'])
    })

    it.skipIf(skip)('upgrading a dependent applies its dependency first', async () => {
      const run = await upgrade(project.config, 'd2d2d2')
      expect(run.steps.map((s) => s.revision)).toEqual(['a0a0a0', 'c1c1c1', 'd1d1d1', 'd2d2d2'])
      expect(await rows()).toEqual(['c1c1c1', 'd2d2d2'])
    })

    it.skipIf(skip)('records every step in the ledger', async () => {
      await upgrade(project.config, 'heads')
      await downgrade(project.config, 'mmmmmm')
      const ledger = await db.query<{
        revision: string
        direction: string
        from_revisions: string
        to_revisions: string
        checksum: string
        duration_ms: number
        run_by: string
        tool_version: string
        // A timestamp on PostgreSQL, ISO 8601 text on SQLite.
        started_at: Date | string
        finished_at: Date | string
      }>('SELECT * FROM aludel_version_ledger ORDER BY id')
      expect(ledger.map((l) => `${l.direction} ${l.revision}`)).toEqual([
        'upgrade a0a0a0',
        'upgrade b1b1b1',
        'upgrade b2b2b2',
        'upgrade c1c1c1',
        'upgrade mmmmmm',
        'upgrade zzzzzz',
        'upgrade d1d1d1',
        'upgrade d2d2d2',
        'downgrade zzzzzz',
      ])
      const merge = ledger.find((l) => l.revision === 'mmmmmm')!
      expect(merge.from_revisions).toBe('b2b2b2,c1c1c1')
      expect(merge.to_revisions).toBe('mmmmmm')
      for (const row of ledger) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
        expect(row.duration_ms).toBeGreaterThanOrEqual(0)
        expect(row.run_by).toMatch(/.+@.+/)
        expect(row.tool_version).toMatch(/^\d+\.\d+\.\d+/)
        expect(new Date(row.finished_at).getTime()).toBeGreaterThanOrEqual(
          new Date(row.started_at).getTime(),
        )
      }
    })
  },
)
