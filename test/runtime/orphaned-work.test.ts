import { afterEach, describe, expect, it } from 'vitest'
import { lockTag } from '../../src/runtime/run-session.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'
import { openSession, sessionsLike, waitUntil } from '../support/sessions.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

describe.skipIf(postgres.skip)('work left running by a run that died (PostgreSQL)', () => {
  let db: TestDatabase
  const sessions: { close(): Promise<void> }[] = []
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()))
    await db?.drop()
  })

  it('kill -9 during CREATE INDEX CONCURRENTLY: the server stops the build, the rerun waits for it and rebuilds the index', async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE TABLE t (v int); INSERT INTO t SELECT generate_series(1, 1000)')
    // A transaction holding an old snapshot makes the concurrent build wait: it is "running".
    const old = await openSession(db.url, 'old snapshot')
    sessions.push(old)
    await old.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
    await old.client.query('SELECT count(*) FROM pg_class')
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'index t',
      transactional: false,
      upgrade: "await op.createIndex('ix_t_v', 't', ['v'], { concurrently: true })",
    })
    const first = project.start(['upgrade', 'head'])
    const [orphan] = await waitUntil('the index build to wait', async () => {
      const found = (await sessionsLike(db, 'aludel upgrade [______] work (pid %')).filter((s) =>
        s.query.startsWith('CREATE INDEX CONCURRENTLY'),
      )
      return found.length > 0 ? found : undefined
    })
    first.child.kill('SIGKILL')
    expect((await first.done).signal).toBe('SIGKILL')

    const second = project.start(['upgrade', 'head'])
    await waitUntil('the rerun to rebuild the index', async () =>
      second.output.stderr.includes('dropping it to build it again') ? true : undefined,
    )
    // The orphaned build is gone, ended by the server (client_connection_check_interval).
    expect(
      await db.query('SELECT pid FROM pg_stat_activity WHERE pid = $1', [orphan!.pid]),
    ).toEqual([])
    await old.client.query('COMMIT')
    const result = await second.done
    expect(result.code).toBe(0)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      new RegExp(
        `^Waiting \\(up to 1 min\\) for pid ${orphan!.pid} \\(aludel upgrade \\[[0-9a-f]{6}\\] work \\(pid \\d+ on [^)]+\\), user postgres, active for [^:]+: CREATE INDEX CONCURRENTLY ix_t_v ON t \\(v\\)\\): left by an earlier run that died or lost its lock, it still works on the database \\.\\.\\.$`,
      ),
    )
    expect(lines[1]).toBe(
      'warning: index public.ix_t_v on t was left invalid by an earlier concurrent build that failed or was interrupted; dropping it to build it again',
    )
    expect(
      await db.query(
        "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'ix_t_v'::regclass",
      ),
    ).toEqual([{ valid: true }])
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
  })

  it('a work session that does not end stops the run with the pid to cancel', async () => {
    db = await createDatabase('postgres')
    const tag = lockTag({
      names: {
        schema: undefined,
        versionTable: 'aludel_version',
        ledgerTable: '',
        progressTable: '',
        lockTable: '',
      },
    })
    const stale = await openSession(db.url, `aludel upgrade [${tag}] work (pid 1 on elsewhere)`)
    sessions.push(stale)
    void stale.client.query('SELECT pg_sleep(60)').catch(() => undefined)
    await waitUntil('the stale session to be active', async () =>
      (await sessionsLike(db, 'aludel upgrade [%] work (pid 1 on elsewhere)'))[0]?.state ===
      'active'
        ? true
        : undefined,
    )
    const project = createProject(db.url, { lockWaitTimeout: 600 })
    project.writeMigration({
      revision: 'aaaaaa',
      upgrade: "await op.execute('CREATE TABLE t (id int)')",
    })
    const run = await project.cli(['upgrade', 'head'])
    expect(run.code).toBe(1)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(
        `^error: pid ${stale.pid} \\(aludel upgrade \\[${tag}\\] work \\(pid 1 on elsewhere\\), user postgres, active for [^:]+: SELECT pg_sleep\\(60\\)\\) is still running, left by an earlier aludel run that died or lost its lock, and did not end within \\d+ ms; wait for it, or stop it with SELECT pg_cancel_backend\\(${stale.pid}\\) and run the command again$`,
      ),
    )
    expect(await db.query("SELECT to_regclass('t') AS t")).toEqual([{ t: null }])
    await db.query('SELECT pg_cancel_backend($1)', [stale.pid])
  })
})
