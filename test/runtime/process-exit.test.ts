import { afterEach, describe, expect, it } from 'vitest'
import { MigrationFailedError, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * Migrations that end the process or never settle: the run must end with exit status 1, a message
 * naming the file, nothing committed, and the migration lock released (the next run gets it at
 * once: its lockWaitTimeout is short).
 */
describe.each(backends())(
  'a migration that ends the process or never settles, on $backend',
  ({ backend, skip }) => {
    let db: TestDatabase
    afterEach(async () => {
      if (!skip) await db.drop()
    })

    const versionRows = async () =>
      (await db.query<{ v: string }>('SELECT version_num AS v FROM aludel_version')).map((r) => r.v)

    async function firstStepThen(
      project: TestProject,
      spec: { upgrade?: string; extra?: string; transactional?: boolean },
    ) {
      project.writeMigration({
        revision: 'aaaaaa',
        message: 'good step',
        upgrade: "await op.execute('CREATE TABLE good (id int)')",
      })
      project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa', message: 'bad step', ...spec })
    }

    /** A second run right after: it gets the lock at once and applies the fixed migration. */
    async function rerunAfterFix(project: TestProject): Promise<void> {
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        message: 'bad step',
        upgrade: "await op.execute('CREATE TABLE fixed (id int)')",
      })
      const run = await project.cli(['upgrade', 'head'])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(await versionRows()).toEqual(['bbbbbb'])
    }

    it.skipIf(skip)('process.exit(0) in upgrade() fails the run with exit 1', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url, { lockWaitTimeout: 2000 })
      await firstStepThen(project, {
        upgrade: "await op.execute('CREATE TABLE half (id int)'); process.exit(0)",
      })
      const run = await project.cli(['upgrade', 'head'])
      expect(run.code).toBe(1)
      expect(run.stderr).toBe(
        'error: upgrade bbbbbb (bad step) failed: the migration called process.exit(0); a migration must return or throw, never end the process; rolled back; the database is still at aaaaaa\n',
      )
      expect(await versionRows()).toEqual(['aaaaaa'])
      expect(await db.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }])
      await rerunAfterFix(project)
    })

    it.skipIf(skip)(
      'process.exit() while the file loads fails the run before any step',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url, { lockWaitTimeout: 2000 })
        await firstStepThen(project, { extra: 'process.exit(0)' })
        const run = await project.cli(['upgrade', 'head'])
        expect(run.code).toBe(1)
        expect(run.stderr).toBe(
          'error: bbbbbb_bad_step.ts (while loading) called process.exit(0); a migration must return or throw, never end the process\n',
        )
        expect(await db.query("SELECT to_regclass('good') AS t")).toEqual([{ t: null }])
        await rerunAfterFix(project)
      },
    )

    it.skipIf(skip)('the programmatic API rejects instead of exiting', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      await firstStepThen(project, { upgrade: 'process.exit(3)' })
      const exit = process.exit
      const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      expect((error as Error).message).toContain('the migration called process.exit(3)')
      // process.exit is what it was before the run.
      expect(process.exit).toBe(exit)
    })

    it.skipIf(skip)('an upgrade() that never settles ends the run with exit 1', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url, { lockWaitTimeout: 2000 })
      await firstStepThen(project, {
        upgrade: "await op.execute('CREATE TABLE half (id int)'); await new Promise(() => {})",
      })
      const run = await project.cli(['upgrade', 'head'])
      expect(run.code).toBe(1)
      expect(run.stderr).toBe(
        'error: upgrade bbbbbb (bad step) never finished: its upgrade() waits for something that can never happen (a promise that nothing resolves); its transaction was not committed and is rolled back; the process is ending, which also releases the migration lock\n',
      )
      expect(await versionRows()).toEqual(['aaaaaa'])
      expect(await db.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }])
      await rerunAfterFix(project)
    })

    it.skipIf(skip)(
      'an import that never settles ends the run with exit 1, naming the file',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url, { lockWaitTimeout: 2000 })
        await firstStepThen(project, { extra: 'await new Promise(() => {})' })
        const run = await project.cli(['upgrade', 'head'])
        expect(run.code).toBe(1)
        expect(run.stderr).toBe(
          'error: loading bbbbbb_bad_step.ts never finished: its top-level code waits for something that can never happen (a promise that nothing resolves); nothing was applied; the process is ending, which also releases the migration lock\n',
        )
        expect(await db.query("SELECT to_regclass('good') AS t")).toEqual([{ t: null }])
        await rerunAfterFix(project)
      },
    )
  },
)
