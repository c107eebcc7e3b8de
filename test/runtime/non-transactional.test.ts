import { afterEach, describe, expect, it } from 'vitest'
import { configOf, scriptsOf, settingsOf } from '../../src/commands/command-context.ts'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import {
  current,
  downgrade,
  MigrationFailedError,
  ResumeConflictError,
  type RunEvent,
  stamp,
  upgrade,
} from '../../src/index.ts'
import { MigrationRunner } from '../../src/runtime/migration-runner.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

function writeThreeStatements(project: TestProject, first = 'one'): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'log table',
    upgrade: "await op.execute('CREATE TABLE log (entry text)')",
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: 'three statements',
    transactional: false,
    upgrade: [
      `await op.execute("INSERT INTO log VALUES ('${first}')")`,
      "await op.execute('INSERT INTO later VALUES (1)')",
      'await op.execute("INSERT INTO log VALUES (\'three\')")',
    ].join('; '),
  })
}

describe.each(backends())(
  'non-transactional migrations, statement by statement, on $backend',
  ({ backend, skip }) => {
    let db: TestDatabase
    afterEach(async () => {
      if (!skip) await db.drop()
    })
    const log = async () =>
      (await db.query<{ entry: string }>('SELECT entry FROM log ORDER BY entry')).map(
        (r) => r.entry,
      )

    it.skipIf(skip)(
      'reports exactly what a failure left applied, and resumes after it',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url)
        writeThreeStatements(project)
        const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
        expect(failed).toBeInstanceOf(MigrationFailedError)
        expect((failed as Error).message).toBe(
          `upgrade bbbbbb (three statements) failed: relation "later" does not exist (SQLSTATE 42P01); statement: INSERT INTO later VALUES (1); it ran outside a transaction: 1 of its statements was applied and recorded (\`INSERT INTO log VALUES ('one')\`); the version table still says aaaaaa; run the command again to resume after the applied statements`,
        )
        expect(await log()).toEqual(['one'])
        const state = await current(project.config)
        expect(state.atHead).toBe(false)
        expect(state.interrupted).toEqual([
          {
            revision: 'bbbbbb',
            direction: 'upgrade',
            file: 'bbbbbb_three_statements.ts',
            statements: ["INSERT INTO log VALUES ('one')"],
          },
        ])
        const listed = await project.cli(['current'])
        expect(listed.stderr).toBe(
          "warning: upgrade bbbbbb (bbbbbb_three_statements.ts) was interrupted after 1 applied statement (`INSERT INTO log VALUES ('one')`); `aludel upgrade` resumes it\n",
        )
        // Nothing else may move while it is half-applied.
        const down = await downgrade(project.config, 'base').catch((e: unknown) => e)
        expect(down).toBeInstanceOf(ResumeConflictError)
        expect((down as Error).message).toContain(
          'upgrade bbbbbb (bbbbbb_three_statements.ts) was interrupted after 1 applied statement',
        )

        await db.query('CREATE TABLE later (id int)')
        const events: RunEvent[] = []
        const resumed = await upgrade(project.config, 'head', { onEvent: (e) => events.push(e) })
        expect(resumed.currentAfter).toEqual(['bbbbbb'])
        expect(events).toContainEqual({
          type: 'warning',
          code: 'RESUMING',
          message:
            'upgrade bbbbbb (bbbbbb_three_statements.ts) was interrupted after 1 applied statement; resuming at statement 2',
        })
        // The applied statement did not run twice.
        expect(await log()).toEqual(['one', 'three'])
        expect(await db.query('SELECT count(*)::int AS n FROM aludel_version_progress')).toEqual([
          { n: 0 },
        ])
        expect((await current(project.config)).atHead).toBe(true)
      },
    )

    it.skipIf(skip)(
      'on a database whose DDL commits on its own, every migration runs statement by statement',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url)
        project.writeMigration({
          revision: 'aaaaaa',
          message: 'log table',
          upgrade: [
            "await op.execute('CREATE TABLE log (entry text)')",
            'await op.execute("INSERT INTO log VALUES (\'one\')")',
            "await op.execute('INSERT INTO later VALUES (1)')",
          ].join('; '),
        })
        // The same server, told that it cannot roll DDL back (as MySQL cannot): a transaction
        // would promise a rollback that cannot happen.
        const opened = await openDialect(db.url, project.dir)
        const dialect: Dialect = {
          ...opened,
          adapter: Object.create(opened.adapter, { supportsTransactionalDdl: { value: false } }),
        }
        const config = configOf(project.config)
        const scripts = scriptsOf(config)
        const runner = new MigrationRunner(dialect, scripts, settingsOf(config))
        const failed = await runner
          .run('upgrade', 'head', (heads) =>
            scripts.map.planUpgrade(heads, scripts.map.resolve('head', heads), 'head'),
          )
          .catch((e: unknown) => e)
          .finally(() => dialect.driver.close())
        expect(failed).toBeInstanceOf(MigrationFailedError)
        expect((failed as Error).message).toContain(
          "it ran outside a transaction: 2 of its statements were applied and recorded (`CREATE TABLE log (entry text)`, `INSERT INTO log VALUES ('one')`); the version table still says base",
        )
        expect(await log()).toEqual(['one'])
        expect((await current(project.config)).interrupted).toEqual([
          expect.objectContaining({
            revision: 'aaaaaa',
            statements: ['CREATE TABLE log (entry text)', "INSERT INTO log VALUES ('one')"],
          }),
        ])
      },
    )

    it.skipIf(skip)('refuses to resume when a statement that ran was edited', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      writeThreeStatements(project)
      await upgrade(project.config, 'head').catch(() => undefined)
      writeThreeStatements(project, 'uno')
      await db.query('CREATE TABLE later (id int)')
      // A new process: this one has the first version of the module loaded.
      const run = await project.cli(['upgrade', 'head'])
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(
        "bbbbbb_three_statements.ts was interrupted after 1 applied statement, and statement 1 is not the one that ran (it ran `INSERT INTO log VALUES ('one')`, the file now gives `INSERT INTO log VALUES ('uno')`); restore the file as it was, or undo what those statements did by hand and forget them with DELETE FROM aludel_version_progress WHERE revision = 'bbbbbb'",
      )
      expect(await log()).toEqual(['one'])
    })

    it.skipIf(skip)('a stamp forgets an interruption, saying so', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      writeThreeStatements(project)
      await upgrade(project.config, 'head').catch(() => undefined)
      const events: RunEvent[] = []
      await stamp(project.config, 'bbbbbb', { onEvent: (e) => events.push(e) })
      expect(events).toContainEqual({
        type: 'warning',
        code: 'PROGRESS_FORGOTTEN',
        message:
          "forgot that upgrade bbbbbb was interrupted after 1 applied statement (`INSERT INTO log VALUES ('one')`); the stamp says what is applied now",
      })
      expect((await current(project.config)).atHead).toBe(true)
    })

    it.skipIf(skip)(
      'a failed concurrent index build: the invalid index is named, and rebuilt by op.createIndex',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url)
        project.writeMigration({
          revision: 'aaaaaa',
          message: 'emails',
          upgrade:
            "await op.execute('CREATE TABLE emails (address text)'); await op.execute(\"INSERT INTO emails VALUES ('a@x'), ('a@x')\")",
        })
        project.writeMigration({
          revision: 'bbbbbb',
          down: 'aaaaaa',
          message: 'unique by hand',
          transactional: false,
          upgrade:
            "await op.execute('CREATE UNIQUE INDEX CONCURRENTLY ux_emails ON emails (address)')",
        })
        const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
        expect(failed).toBeInstanceOf(MigrationFailedError)
        const note =
          'index public.ux_emails on emails is INVALID (left by a failed concurrent build): op.createIndex(..., { concurrently: true }) drops and rebuilds it on the next run; for an index made with op.execute, run DROP INDEX CONCURRENTLY IF EXISTS public.ux_emails first'
        expect((failed as Error).message).toContain('(SQLSTATE 23505)')
        expect((failed as Error).message).toContain(note)
        await db.query('DELETE FROM emails WHERE ctid <> (SELECT min(ctid) FROM emails)')
        // Run again as written: PostgreSQL says the index exists; the report says which and why.
        const again = await upgrade(project.config, 'head').catch((e: unknown) => e)
        expect((again as Error).message).toContain('already exists (SQLSTATE 42P07)')
        expect((again as Error).message).toContain(note)
        // Written with op.createIndex, the leftover is dropped and built again.
        project.writeMigration({
          revision: 'bbbbbb',
          down: 'aaaaaa',
          message: 'unique by hand',
          transactional: false,
          upgrade:
            "await op.createIndex('ux_emails', 'emails', ['address'], { unique: true, concurrently: true })",
        })
        // A new process, which loads the edited file.
        const run = await project.cli(['upgrade', 'head'])
        expect(run.code).toBe(0)
        expect(run.stderr).toBe(
          'warning: index public.ux_emails on emails was left invalid by an earlier concurrent build that failed or was interrupted; dropping it to build it again\n',
        )
        expect(
          await db.query(
            "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'ux_emails'::regclass",
          ),
        ).toEqual([{ valid: true }])
      },
    )
  },
)
