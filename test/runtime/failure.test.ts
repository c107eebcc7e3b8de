import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { current, downgrade, MigrationFailedError, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

describe.each(backends())('a failing migration on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  let project: TestProject
  const tables = async () =>
    (
      await db.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'aludel%' ORDER BY 1",
      )
    ).map((r) => r.t)
  /** The version rows; none where the first step failed and took aludel's tables with it. */
  const rows = async () =>
    (await db.query("SELECT to_regclass('aludel_version') AS t"))[0]?.t === null
      ? []
      : (
          await db.query<{ v: string }>('SELECT version_num AS v FROM aludel_version ORDER BY 1')
        ).map((r) => r.v)

  beforeEach(async () => {
    if (skip) return
    db = await createDatabase(backend)
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  function writeChainWithBadThird(p: TestProject): void {
    p.writeMigration({
      revision: 'aaaaaa',
      message: 'first',
      upgrade: "await op.execute('CREATE TABLE one (id int)')",
    })
    p.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'second',
      upgrade:
        "await op.execute('CREATE TABLE two (id int)'); await op.execute('INSERT INTO one VALUES (1)')",
    })
    p.writeMigration({
      revision: 'cccccc',
      down: 'bbbbbb',
      message: 'third breaks',
      upgrade:
        "await op.execute('CREATE TABLE three (id int)'); await op.execute('INSERT INTO one VALUES (2)'); await op.execute('INSERT INTO nowhere VALUES (1)')",
    })
  }

  it.skipIf(skip)('rolls back its own transaction and keeps the last good step', async () => {
    project = createProject(db.url)
    writeChainWithBadThird(project)
    const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationFailedError)
    const failure = error as MigrationFailedError
    expect(failure.revision).toBe('cccccc')
    expect(failure.statement).toBe('INSERT INTO nowhere VALUES (1)')
    expect(failure.currentAfter).toEqual(['bbbbbb'])
    expect(failure.message).toContain(
      'upgrade cccccc (third breaks) failed: relation "nowhere" does not exist (SQLSTATE 42P01)',
    )
    expect(failure.message).toContain('statement: INSERT INTO nowhere VALUES (1)')
    expect(failure.message).toContain('rolled back; the database is still at bbbbbb')
    expect(failure.message).not.toContain('\n')
    expect(await tables()).toEqual(['one', 'two'])
    expect(await db.query('SELECT id FROM one')).toEqual([{ id: 1 }])
    expect(await rows()).toEqual(['bbbbbb'])
    const ledger = await db.query<{ revision: string }>(
      'SELECT revision FROM aludel_version_ledger ORDER BY id',
    )
    expect(ledger.map((l) => l.revision)).toEqual(['aaaaaa', 'bbbbbb'])
  })

  it.skipIf(skip)(
    'a step that fails only at COMMIT (a deferred constraint) is rolled back and the run stops',
    async () => {
      project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        message: 'parent and child',
        upgrade:
          "await op.execute('CREATE TABLE parent (id int PRIMARY KEY)'); await op.execute('CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)')",
      })
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        message: 'orphan row',
        upgrade:
          "await op.execute('CREATE TABLE two (id int)'); await op.execute('INSERT INTO child VALUES (42)')",
      })
      project.writeMigration({
        revision: 'cccccc',
        down: 'bbbbbb',
        message: 'never reached',
        upgrade: "await op.execute('CREATE TABLE three (id int)')",
      })
      const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      const failure = error as MigrationFailedError
      expect(failure.revision).toBe('bbbbbb')
      expect(failure.currentAfter).toEqual(['aaaaaa'])
      expect(failure.message).toContain('upgrade bbbbbb (orphan row) failed: ')
      expect(failure.message).toContain('(SQLSTATE 23503)')
      expect(failure.message).toContain('rolled back; the database is still at aaaaaa')
      expect(await tables()).toEqual(['child', 'parent'])
      expect(await rows()).toEqual(['aaaaaa'])
      const ledger = await db.query<{ revision: string }>(
        'SELECT revision FROM aludel_version_ledger ORDER BY id',
      )
      expect(ledger.map((l) => l.revision)).toEqual(['aaaaaa'])
      // Fixed, the chain applies from where it stopped.
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        message: 'orphan row',
        upgrade:
          "await op.execute('CREATE TABLE two (id int)'); await op.execute('INSERT INTO parent VALUES (42)'); await op.execute('INSERT INTO child VALUES (42)')",
      })
      // A new process: this one has the broken module loaded.
      expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
      expect(await rows()).toEqual(['cccccc'])
      expect(await tables()).toEqual(['child', 'parent', 'three', 'two'])
    },
  )

  for (const transactionPerMigration of [true, false]) {
    it.skipIf(skip)(
      `a version row taken away during a step is that step's conflict, and the step is rolled back (transactionPerMigration: ${transactionPerMigration})`,
      async () => {
        project = createProject(db.url, { transactionPerMigration })
        project.writeMigration({
          revision: 'aaaaaa',
          message: 'first',
          upgrade: "await op.execute('CREATE TABLE one (id int)')",
        })
        await upgrade(project.config, 'head')
        project.writeMigration({
          revision: 'bbbbbb',
          down: 'aaaaaa',
          message: 'fine',
          upgrade: "await op.execute('CREATE TABLE two (id int)')",
        })
        project.writeMigration({
          revision: 'cccccc',
          down: 'bbbbbb',
          message: 'meddles',
          upgrade:
            "await op.execute('CREATE TABLE three (id int)'); await op.execute('DELETE FROM aludel_version')",
        })
        project.writeMigration({
          revision: 'dddddd',
          down: 'cccccc',
          message: 'never runs',
          upgrade: "await op.execute('CREATE TABLE four (id int)')",
        })
        const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
        expect(error).toBeInstanceOf(MigrationFailedError)
        const failure = error as MigrationFailedError
        // The step that took the row is blamed, not a later one — also where one transaction
        // holds every step and the ledger rows wait for its COMMIT.
        expect(failure.revision).toBe('cccccc')
        expect(failure.message).toContain(
          'upgrade cccccc (meddles) failed: the version table no longer holds bbbbbb; someone changed it during the run',
        )
        const at = transactionPerMigration ? 'bbbbbb' : 'aaaaaa'
        expect(failure.message).toContain(`the database is still at ${at}`)
        expect(await tables()).toEqual(transactionPerMigration ? ['one', 'two'] : ['one'])
        expect(await rows()).toEqual([at])
        const ledger = await db.query<{ revision: string }>(
          'SELECT revision FROM aludel_version_ledger ORDER BY id',
        )
        expect(ledger.map((r) => r.revision)).toEqual(
          transactionPerMigration ? ['aaaaaa', 'bbbbbb'] : ['aaaaaa'],
        )
      },
    )
  }

  it.skipIf(skip)('reports through the CLI with exit status 1 and one line', async () => {
    project = createProject(db.url)
    writeChainWithBadThird(project)
    const run = await project.cli(['upgrade', 'head'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Running upgrade bbbbbb -> cccccc, third breaks ... failed\n')
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^error: upgrade cccccc \(third breaks\) failed: relation "nowhere" does not exist/,
    )
    expect((await current(project.config)).current.map((h) => h.revision)).toEqual(['bbbbbb'])
  })

  it.skipIf(skip)('with one transaction for the run, rolls back the whole run', async () => {
    project = createProject(db.url, { transactionPerMigration: false })
    writeChainWithBadThird(project)
    const error = (await upgrade(project.config, 'head').catch(
      (e: unknown) => e,
    )) as MigrationFailedError
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect(error.message).toContain('together with 2 earlier migrations of this run')
    expect(error.message).toContain('the database is still at base')
    expect(await tables()).toEqual([])
    // aludel's own tables were created in that transaction: the database is as it was.
    expect(await db.query("SELECT to_regclass('aludel_version') AS t")).toEqual([{ t: null }])
    expect(await rows()).toEqual([])
  })

  it.skipIf(skip)(
    'with one transaction for the run, every step gets its ledger row, in order, at the commit',
    async () => {
      project = createProject(db.url, { transactionPerMigration: false })
      for (const [revision, down, table] of [
        ['aaaaaa', undefined, 'one'],
        ['bbbbbb', 'aaaaaa', 'two'],
        ['cccccc', 'bbbbbb', 'three'],
      ] as const) {
        project.writeMigration({
          revision,
          down,
          upgrade: `await op.execute('CREATE TABLE ${table} (id int)')`,
          downgrade: `await op.execute('DROP TABLE ${table}')`,
        })
      }
      await upgrade(project.config, 'head')
      await downgrade(project.config, 'aaaaaa')
      const ledger = await db.query<{
        revision: string
        direction: string
        from_revisions: string
        to_revisions: string
        duration_ms: number | null
        ordered: boolean
      }>(
        'SELECT revision, direction, from_revisions, to_revisions, duration_ms, started_at <= finished_at AS ordered FROM aludel_version_ledger ORDER BY id',
      )
      expect(
        ledger.map((r) => [r.revision, r.direction, r.from_revisions, r.to_revisions]),
      ).toEqual([
        ['aaaaaa', 'upgrade', '', 'aaaaaa'],
        ['bbbbbb', 'upgrade', 'aaaaaa', 'bbbbbb'],
        ['cccccc', 'upgrade', 'bbbbbb', 'cccccc'],
        ['cccccc', 'downgrade', 'cccccc', 'bbbbbb'],
        ['bbbbbb', 'downgrade', 'bbbbbb', 'aaaaaa'],
      ])
      for (const row of ledger) {
        expect(row.duration_ms).toBeGreaterThanOrEqual(0)
        expect(row.ordered).toBe(true)
      }
      expect(await rows()).toEqual(['aaaaaa'])
    },
  )

  it.skipIf(skip)('a JavaScript error in upgrade() is reported with the revision', async () => {
    project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'throws',
      upgrade: "await op.execute('CREATE TABLE one (id int)'); throw new TypeError('boom')",
    })
    const error = (await upgrade(project.config, 'head').catch(
      (e: unknown) => e,
    )) as MigrationFailedError
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect(error.message).toMatch(
      /^upgrade aaaaaa \(throws\) failed: boom; rolled back; the database is still at base/,
    )
    expect(await tables()).toEqual([])
  })

  it.skipIf(skip)(
    'a file that does not load stops the run before anything is applied',
    async () => {
      project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        upgrade: "await op.execute('CREATE TABLE one (id int)')",
      })
      project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa', upgrade: 'const x: number = ;' })
      // Files load side by side; the one reported is the first broken one in plan order.
      project.writeMigration({ revision: 'cccccc', down: 'bbbbbb', upgrade: 'const y: number = ;' })
      const run = await project.cli(['upgrade', 'head'])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^error: cannot load bbbbbb_step\.ts:11: .+; fix the file/)
      expect(await tables()).toEqual([])
    },
  )
})

describe.each(backends())('transactional = false on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  beforeEach(async () => {
    if (!skip) db = await createDatabase(backend)
  })
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  for (const transactionPerMigration of [true, false]) {
    it.skipIf(skip)(
      `runs CREATE INDEX CONCURRENTLY outside any transaction (transactionPerMigration: ${transactionPerMigration})`,
      async () => {
        const project = createProject(db.url, { transactionPerMigration })
        project.writeMigration({
          revision: 'aaaaaa',
          upgrade: "await op.execute('CREATE TABLE items (id int, title text)')",
        })
        project.writeMigration({
          revision: 'bbbbbb',
          down: 'aaaaaa',
          transactional: false,
          message: 'index concurrently',
          upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_items_title ON items (title)')",
          downgrade: "await op.execute('DROP INDEX CONCURRENTLY ix_items_title')",
        })
        project.writeMigration({
          revision: 'cccccc',
          down: 'bbbbbb',
          upgrade: "await op.execute('ALTER TABLE items ADD COLUMN body text')",
        })
        const run = await upgrade(project.config, 'head')
        expect(run.steps.map((s) => s.transactional)).toEqual([true, false, true])
        const index = await db.query<{ valid: boolean }>(
          "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'ix_items_title'::regclass",
        )
        expect(index).toEqual([{ valid: true }])
        expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
          { version_num: 'cccccc' },
        ])
      },
    )
  }

  it.skipIf(skip)(
    'op.createIndex({ concurrently }) runs in a non-transactional migration and is refused in a transactional one',
    async () => {
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        upgrade: "await op.execute('CREATE TABLE items (id int, title text)')",
      })
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        transactional: false,
        upgrade:
          "await op.createIndex('ix_items_title', 'items', ['title'], { concurrently: true })",
        downgrade: "await op.dropIndex('ix_items_title', { concurrently: true })",
      })
      project.writeMigration({
        revision: 'cccccc',
        down: 'bbbbbb',
        upgrade: "await op.createIndex('ix_items_id', 'items', ['id'], { concurrently: true })",
      })
      const error = (await upgrade(project.config, 'head').catch((e: unknown) => e)) as Error
      expect(error.message).toMatch(
        /^upgrade cccccc \(step cccccc\) failed: op\.createIndex\('ix_items_id', \{ concurrently: true \}\) cannot run inside a transaction, and this migration runs in one; add `export const transactional = false` to the migration; rolled back; the database is still at bbbbbb/,
      )
      expect(
        await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"),
      ).toEqual([{ indexname: 'ix_items_title' }])
      await downgrade(project.config, 'aaaaaa')
      expect(await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).toEqual(
        [],
      )
    },
  )

  it.skipIf(skip)(
    'a CONCURRENTLY statement in a transactional migration fails with the fix',
    async () => {
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        upgrade:
          "await op.execute('CREATE TABLE items (id int)'); await op.execute('CREATE INDEX CONCURRENTLY ix_items_id ON items (id)')",
      })
      const error = (await upgrade(project.config, 'head').catch((e: unknown) => e)) as Error
      expect(error.message).toContain(
        'CREATE INDEX CONCURRENTLY cannot run inside a transaction block',
      )
      expect(error.message).toContain('add `export const transactional = false` to the migration')
    },
  )

  it.skipIf(skip)('a failing non-transactional migration says what stays applied', async () => {
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      transactional: false,
      upgrade:
        "await op.execute('CREATE TABLE kept (id int)'); await op.execute('SELECT * FROM missing')",
    })
    const error = (await upgrade(project.config, 'head').catch((e: unknown) => e)) as Error
    expect(error.message).toContain(
      'it ran outside a transaction: 1 of its statements was applied and recorded (`CREATE TABLE kept (id int)`); the version table still says base; run the command again to resume after the applied statements',
    )
    expect(await db.query("SELECT to_regclass('kept')::text AS t")).toEqual([{ t: 'kept' }])
    expect(await db.query('SELECT count(*)::int AS n FROM aludel_version')).toEqual([{ n: 0 }])
  })
})
