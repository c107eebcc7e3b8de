import { afterEach, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'
import { sessionsLike, terminate, waitUntil } from '../support/sessions.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

/** The lock session of a run: named like the work session, without " work". */
const LOCK_SESSION = 'aludel upgrade [______] (pid %'
const WORK_SESSION = 'aludel upgrade [______] work (pid %'

describe.skipIf(postgres.skip)('a run that loses its migration lock (PostgreSQL)', () => {
  let db: TestDatabase
  afterEach(async () => {
    await db?.drop()
  })

  it('stops with exit 1 when the lock session is terminated, committing nothing more', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE gate (open boolean)')
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'slow step',
      // Runs until the test opens the gate, however slow the machine.
      upgrade:
        "await op.execute('CREATE TABLE one (id int)'); await op.execute('DO $$BEGIN WHILE NOT EXISTS (SELECT FROM gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END$$')",
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      upgrade: "await op.execute('CREATE TABLE two (id int)')",
    })
    const run = project.start(['upgrade', 'head'])
    const [worker] = await waitUntil('the step to be running', async () => {
      const found = await sessionsLike(db, WORK_SESSION)
      return found.some((s) => s.query.includes('gate')) ? found : undefined
    })
    const [lockSession] = await sessionsLike(db, LOCK_SESSION)
    expect(lockSession).toBeDefined()
    expect(lockSession!.state).toBe('idle in transaction')
    await terminate(db, lockSession!.pid)
    await db.query('INSERT INTO gate VALUES (true)')
    const result = await run.done
    expect(result.code).toBe(1)
    const errors = result.stderr.trimEnd().split('\n')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^error: lost the migration lock during upgrade aaaaaa \(slow step\) \(the session holding it ended: terminating connection due to administrator command\); it was rolled back, and nothing more runs, so that no other runner can apply a step twice; the database is at base; run the command again$/,
    )
    expect(worker).toBeDefined()
    // The first step rolled back, and with it aludel's tables, created in its transaction.
    expect(
      await db.query("SELECT to_regclass('one') AS t, to_regclass('aludel_version') AS v"),
    ).toEqual([{ t: null, v: null }])
    // The next run applies everything.
    const rerun = await project.cli(['upgrade', 'head'])
    expect(rerun.code).toBe(0)
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'bbbbbb' },
    ])
  })

  it('in a fleet run, the target that lost its lock says where it started and where it stands', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE public.gate (open boolean); CREATE SCHEMA tenant_a')
    const project = createProject(db.url, { targets: [{ name: 'a', schema: 'tenant_a' }] })
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'quick step',
      upgrade: "await op.execute('CREATE TABLE one (id int)')",
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'slow step',
      // Runs until the test opens the gate, however slow the machine.
      upgrade:
        "await op.execute('CREATE TABLE two (id int)'); await op.execute('DO $$BEGIN WHILE NOT EXISTS (SELECT FROM public.gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END$$')",
    })
    const run = project.start(['upgrade', 'head', '--all-targets', '--json'])
    await waitUntil('the slow step to be running', async () => {
      const found = await sessionsLike(db, 'aludel upgrade [______] work (pid %')
      return found.some((s) => s.query.includes('gate')) ? found : undefined
    })
    const [lockSession] = await sessionsLike(db, LOCK_SESSION)
    await terminate(db, lockSession!.pid)
    await db.query('INSERT INTO public.gate VALUES (true)')
    const result = await run.done
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      targets: {
        target: string
        result: string
        from: string[]
        to: string[]
        steps: number
        error: string
      }[]
    }
    expect(report.targets).toHaveLength(1)
    const [a] = report.targets
    expect(a).toMatchObject({ target: 'a', result: 'failed', from: [], to: ['aaaaaa'], steps: 1 })
    expect(a!.error).toContain('lost the migration lock during upgrade bbbbbb (slow step)')
    expect(await db.query('SELECT version_num FROM tenant_a.aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
  })

  it('a second runner waits for the first one’s work session: a non-transactional data step runs once', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE log (entry text NOT NULL); CREATE TABLE gate (open boolean)')
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'data in steps',
      transactional: false,
      upgrade: [
        'await op.execute("INSERT INTO log VALUES (\'a1\')")',
        // Its second statement runs until the test opens the gate, however slow the machine.
        "await op.execute('DO $$BEGIN WHILE NOT EXISTS (SELECT FROM gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END$$')",
        'await op.execute("INSERT INTO log VALUES (\'a2\')")',
      ].join('; '),
    })
    const first = project.start(['upgrade', 'head'])
    await waitUntil('the gated statement to be running', async () => {
      const found = await sessionsLike(db, WORK_SESSION)
      return found.some((s) => s.query.includes('gate')) ? true : undefined
    })
    const [lockSession] = await sessionsLike(db, LOCK_SESSION)
    await terminate(db, lockSession!.pid)
    // The second runner gets the lock at once, but the first one's work session is still there.
    const second = project.start(['upgrade', 'head'])
    await waitUntil('the second runner to wait for the first one’s work session', async () =>
      second.output.stderr.includes('Waiting (up to 1 min) for pid') ? true : undefined,
    )
    await db.query('INSERT INTO gate VALUES (true)')
    const [a, b] = await Promise.all([first.done, second.done])
    expect(a.code).toBe(1)
    expect(a.stderr).toContain(
      'error: lost the migration lock during upgrade aaaaaa (data in steps)',
    )
    expect(a.stderr).toContain(
      "it ran outside a transaction: 1 of its statements was applied and recorded (`INSERT INTO log VALUES ('a1')`)",
    )
    expect(b.code).toBe(0)
    expect(b.stderr).toMatch(
      /Waiting \(up to 1 min\) for pid \d+ \(aludel upgrade \[[0-9a-f]{6}\] work/,
    )
    expect(b.stderr).toContain(
      'warning: upgrade aaaaaa (aaaaaa_data_in_steps.ts) was interrupted after 1 applied statement; resuming at statement 2',
    )
    expect(await db.query('SELECT entry FROM log ORDER BY entry')).toEqual([
      { entry: 'a1' },
      { entry: 'a2' },
    ])
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
    expect(await db.query('SELECT count(*)::int AS n FROM aludel_version_progress')).toEqual([
      { n: 0 },
    ])
  })

  it('server-side idle timeouts end neither the lock session nor the work session', async () => {
    db = await createDatabase('postgres')
    const name = new URL(db.url).pathname.slice(1)
    await db.query(`ALTER DATABASE ${name} SET idle_in_transaction_session_timeout = '200ms'`)
    await db.query(`ALTER DATABASE ${name} SET idle_session_timeout = '200ms'`)
    const project = createProject(db.url)
    const pause = 'await new Promise((resolve) => setTimeout(resolve, 800))'
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'thinks inside a transaction',
      upgrade: `await op.execute('CREATE TABLE settings (name text, value text)'); ${pause}; await op.execute("INSERT INTO settings SELECT name, setting FROM pg_settings WHERE name IN ('tcp_keepalives_idle', 'client_connection_check_interval', 'lock_timeout', 'idle_in_transaction_session_timeout', 'idle_session_timeout')")`,
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'thinks outside a transaction',
      transactional: false,
      upgrade: `${pause}; await op.execute("INSERT INTO settings VALUES ('outside', 'ok')")`,
    })
    const run = await project.cli(['upgrade', 'head'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const settings = await db.query<{ name: string; value: string }>(
      'SELECT name, value FROM settings ORDER BY name',
    )
    expect(Object.fromEntries(settings.map((s) => [s.name, s.value]))).toEqual({
      client_connection_check_interval: '2000',
      idle_in_transaction_session_timeout: '0',
      idle_session_timeout: '0',
      lock_timeout: '2000',
      outside: 'ok',
      tcp_keepalives_idle: '30',
    })
  })
})
