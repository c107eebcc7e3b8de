import { afterEach, describe, expect, it } from 'vitest'
import { SessionPool } from '../../src/dialect/session-pool.ts'
import { MigrationFailedError, type RunEvent, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'
import { openSession } from '../support/sessions.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

/** A quick lock timeout and short pauses keep the test fast; the logic is the same at 2 s. */
const FAST = {
  lockTimeout: 300,
  lockRetry: { attempts: 3, initialDelay: 200, maxDelay: 400 },
}

function writeAlterAfterGoodStep(project: TestProject, after: string | null = null): void {
  project.writeMigration({
    revision: 'aaaaaa',
    down: after,
    message: 'good step',
    upgrade: "await op.execute('CREATE TABLE good (id int)')",
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: 'add note to orders',
    upgrade: "await op.execute('ALTER TABLE orders ADD COLUMN note text')",
  })
}

describe.skipIf(postgres.skip)('statements under lock_timeout, with retries (PostgreSQL)', () => {
  let db: TestDatabase
  const sessions: { close(): Promise<void> }[] = []
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()))
    await db?.drop()
  })

  /** A session named `name` that ran `sql` in a transaction it keeps open: a blocker. */
  async function holding(name: string, sql: string) {
    const blocker = await openSession(db.url, name)
    sessions.push(blocker)
    await blocker.client.query('BEGIN')
    await blocker.client.query(sql)
    return blocker
  }

  it('retries behind a reader idle in its transaction, names it, and never stalls other readers longer than the lock timeout', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)')
    const blocker = await holding('reporting job', 'SELECT * FROM orders')
    const reader = await openSession(db.url, 'web request')
    sessions.push(reader)

    const project = createProject(db.url, FAST)
    writeAlterAfterGoodStep(project)
    const run = project.start(['upgrade', 'head'])
    // Meanwhile the application keeps reading the table.
    const waits: number[] = []
    let finished = false
    void run.done.then(() => {
      finished = true
    })
    while (!finished) {
      const t0 = performance.now()
      await reader.client.query('SELECT count(*) FROM orders')
      waits.push(performance.now() - t0)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const result = await run.done
    expect(result.code).toBe(1)
    const stderr = result.stderr.trimEnd().split('\n')
    const retries = stderr.filter((line) => line.startsWith('warning: '))
    expect(retries).toHaveLength(2)
    for (const [i, line] of retries.entries()) {
      expect(line).toMatch(
        new RegExp(
          `^warning: upgrade bbbbbb waited 300 ms for a lock and was rolled back \\(try ${i + 1} of 3\\); blocked by pid ${blocker.pid} \\(reporting job, user postgres, idle in transaction for [^:]+: SELECT \\* FROM orders\\); trying again in \\d+ ms$`,
        ),
      )
    }
    const errors = stderr.filter((line) => line.startsWith('error: '))
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: upgrade bbbbbb \\(add note to orders\\) failed: a statement could not get its lock within 300 ms on any of 3 tries \\(lockTimeout\\); blocked by pid ${blocker.pid} \\(reporting job, user postgres, idle in transaction for [^:]+: SELECT \\* FROM orders\\); statement: ALTER TABLE orders ADD COLUMN note text; rolled back; the database is still at aaaaaa; end the blocking session's transaction`,
        ),
      ),
    ])
    // The reader was held up at most by one lock timeout at a time, never by the whole run.
    expect(waits.length).toBeGreaterThan(3)
    expect(Math.max(...waits)).toBeLessThan(FAST.lockTimeout + 1000)
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
    expect(
      await db.query(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE column_name = 'note'",
      ),
    ).toEqual([{ n: 0 }])
  })

  it('retries from the step that hit the lock when steps travel together (a fleet run)', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE orders (id int)')
    const blocker = await holding('long report', 'SELECT * FROM orders')
    const project = createProject(db.url, FAST)
    // Two steps before the blocked one and one after, all in one script.
    project.writeMigration({
      revision: 'a0a0a0',
      upgrade: "await op.execute('CREATE TABLE t0 (id int)')",
    })
    writeAlterAfterGoodStep(project, 'a0a0a0')
    project.writeMigration({
      revision: 'cccccc',
      down: 'bbbbbb',
      upgrade: "await op.execute('CREATE TABLE t2 (id int)')",
    })
    const events: RunEvent[] = []
    const pool = new SessionPool(2)
    const result = await upgrade(project.config, 'head', {
      sessions: pool,
      onEvent: (event) => {
        events.push(event)
        if (event.type === 'lock-retry') void blocker.client.query('COMMIT')
      },
    }).finally(() => pool.close())
    expect(result.currentAfter).toEqual(['cccccc'])
    const retries = events.filter((e) => e.type === 'lock-retry')
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({ attempt: 1, step: { revision: 'bbbbbb' } })
    const rows = await db.query<{ revision: string }>(
      "SELECT revision FROM aludel_version_ledger WHERE direction = 'upgrade' ORDER BY id",
    )
    const order = ['a0a0a0', 'aaaaaa', 'bbbbbb', 'cccccc']
    expect(rows.map((r) => r.revision)).toEqual(order)
    expect(result.steps.map((s) => s.revision)).toEqual(order)
  })

  it('succeeds once the blocker lets go, after saying who it was', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE orders (id int)')
    const blocker = await holding('long report', 'SELECT * FROM orders')
    const project = createProject(db.url, FAST)
    writeAlterAfterGoodStep(project)
    const events: RunEvent[] = []
    const result = await upgrade(project.config, 'head', {
      onEvent: (event) => {
        events.push(event)
        if (event.type === 'lock-retry') void blocker.client.query('COMMIT')
      },
    })
    expect(result.currentAfter).toEqual(['bbbbbb'])
    const retries = events.filter((e) => e.type === 'lock-retry')
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({
      attempt: 1,
      attempts: 3,
      lockTimeoutMs: 300,
      step: { revision: 'bbbbbb' },
      blockers: [{ pid: blocker.pid, application: 'long report', state: 'idle in transaction' }],
    })
    // The rolled-back try left nothing behind: one ledger row per step.
    expect(
      await db.query<{ revision: string }>(
        "SELECT revision FROM aludel_version_ledger WHERE direction = 'upgrade' ORDER BY id",
      ),
    ).toEqual([{ revision: 'aaaaaa' }, { revision: 'bbbbbb' }])
  })

  it('retries a non-transactional step’s blocked statement alone, never the ones applied before it', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE orders (id int); CREATE TABLE log (entry text)')
    const blocker = await holding('holder', 'LOCK TABLE orders IN ACCESS SHARE MODE')
    const project = createProject(db.url, FAST)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'blocked first',
      transactional: false,
      upgrade:
        "await op.execute('ALTER TABLE orders ADD COLUMN a int'); await op.execute(\"INSERT INTO log VALUES ('after a')\")",
    })
    const events: RunEvent[] = []
    const retried = await upgrade(project.config, 'head', {
      onEvent: (event) => {
        events.push(event)
        if (event.type === 'lock-retry') void blocker.client.query('COMMIT')
      },
    })
    expect(retried.currentAfter).toEqual(['aaaaaa'])
    expect(events.filter((e) => e.type === 'lock-retry')).toHaveLength(1)

    await blocker.client.query('BEGIN')
    await blocker.client.query('LOCK TABLE orders IN ACCESS SHARE MODE')
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'blocked second',
      transactional: false,
      upgrade:
        "await op.execute(\"INSERT INTO log VALUES ('before b')\"); await op.execute('ALTER TABLE orders ADD COLUMN b int')",
    })
    const seen: RunEvent[] = []
    const error = await upgrade(project.config, 'head', { onEvent: (e) => seen.push(e) }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MigrationFailedError)
    // The blocked statement alone was tried again, twice; the INSERT before it ran once.
    expect(seen.filter((e) => e.type === 'lock-retry')).toHaveLength(2)
    expect((error as Error).message).toContain(
      'could not get its lock within 300 ms on any of 3 tries (lockTimeout); blocked by pid',
    )
    expect((error as Error).message).toContain(
      "it ran outside a transaction: 1 of its statements was applied and recorded (`INSERT INTO log VALUES ('before b')`); the version table still says aaaaaa",
    )
    await blocker.client.query('COMMIT')
    // Run again, it resumes after the applied statement.
    const resumed = await upgrade(project.config, 'head')
    expect(resumed.currentAfter).toEqual(['bbbbbb'])
    expect(await db.query('SELECT entry FROM log ORDER BY entry')).toEqual([
      { entry: 'after a' },
      { entry: 'before b' },
    ])
  })
})

describe.each(backends())('timeouts set by a migration on $backend', ({ backend, skip }) => {
  let db: TestDatabase
  afterEach(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip)(
    'a migration’s own lockTimeout and statementTimeout hold for it alone',
    async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url, { statementTimeout: '1min' })
      const record = (label: string) =>
        `await op.execute("INSERT INTO seen SELECT '${label}', current_setting('lock_timeout'), current_setting('statement_timeout')")`
      project.writeMigration({
        revision: 'aaaaaa',
        upgrade: `await op.execute('CREATE TABLE seen (label text, lock text, statement text)'); ${record('default')}`,
      })
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        extra: "export const lockTimeout = '10s'\nexport const statementTimeout = '2h'",
        upgrade: record('own'),
      })
      project.writeMigration({
        revision: 'cccccc',
        down: 'bbbbbb',
        transactional: false,
        extra: 'export const lockTimeout = 500',
        upgrade: record('outside'),
      })
      project.writeMigration({ revision: 'dddddd', down: 'cccccc', upgrade: record('after') })
      await upgrade(project.config, 'head')
      expect(await db.query('SELECT label, lock, statement FROM seen ORDER BY label')).toEqual([
        { label: 'after', lock: '2s', statement: '1min' },
        { label: 'default', lock: '2s', statement: '1min' },
        { label: 'outside', lock: '500ms', statement: '1min' },
        { label: 'own', lock: '10s', statement: '2h' },
      ])
    },
  )

  it.skipIf(skip)('a bad timeout export stops the run before anything runs', async () => {
    db = await createDatabase(backend)
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      upgrade: "await op.execute('CREATE TABLE t (id int)')",
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      extra: "export const lockTimeout = 'soon'",
    })
    const run = await project.cli(['upgrade', 'head'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /^error: bbbbbb_step\.ts: `export const lockTimeout` must be a duration such as '10s' or a number of milliseconds\n$/,
    )
    expect(await db.query("SELECT to_regclass('t') AS t")).toEqual([{ t: null }])
  })
})
