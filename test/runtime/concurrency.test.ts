import { afterEach, describe, expect, it } from 'vitest'
import { LockTimeoutError, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!

describe('concurrent runners on PostgreSQL', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  it.skipIf(postgres.skip)(
    '8 processes upgrading 200 migrations apply each exactly once',
    async () => {
      db = await createDatabase('postgres')
      const project = createProject(db.url)
      const ids = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(5, '0')}`)
      ids.forEach((revision, i) => {
        project.writeMigration({
          revision,
          down: i === 0 ? null : ids[i - 1],
          upgrade:
            i === 0
              ? // The first step holds the lock long enough for every other process to queue.
                "await op.execute('CREATE TABLE applied (revision text NOT NULL, pid int NOT NULL DEFAULT pg_backend_pid())'); await op.execute('SELECT pg_sleep(1)')"
              : `await op.execute("INSERT INTO applied (revision) VALUES ('${revision}')")`,
        })
      })
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => project.cli(['upgrade', 'head'])),
      )
      for (const run of runs) {
        expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([])
        expect(run.code).toBe(0)
      }
      const applied = await db.query<{ n: number; distinct: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT revision)::int AS distinct FROM applied',
      )
      expect(applied).toEqual([{ n: 199, distinct: 199 }])
      const ledger = await db.query<{ n: number; distinct: number; runs: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT revision)::int AS distinct, count(DISTINCT run_id)::int AS runs FROM aludel_version_ledger WHERE direction = 'upgrade'",
      )
      expect(ledger).toEqual([{ n: 200, distinct: 200, runs: 1 }])
      expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
        { version_num: 'c00199' },
      ])
      // One process did the work; the others waited, said for whom, and found nothing to do.
      const workers = runs.filter((r) => r.stdout.includes('Running upgrade'))
      expect(workers).toHaveLength(1)
      const waiters = runs.filter((r) =>
        r.stdout.startsWith('Nothing to do: the database is at c00199'),
      )
      expect(waiters).toHaveLength(7)
      expect(
        runs.some((r) =>
          /Waiting for the migration lock held by aludel upgrade \[[0-9a-f]{6}\] \(pid \d+ on /.test(
            r.stderr,
          ),
        ),
      ).toBe(true)
    },
  )

  it.skipIf(postgres.skip)(
    'runners waiting for the lock do not hold up the holder’s CREATE INDEX CONCURRENTLY',
    async () => {
      db = await createDatabase('postgres')
      await db.query('CREATE TABLE big (v int); INSERT INTO big SELECT generate_series(1, 1000)')
      const project = createProject(db.url)
      project.writeMigration({
        revision: 'aaaaaa',
        message: 'slow start',
        upgrade: "await op.execute('SELECT pg_sleep(0.5)')",
      })
      project.writeMigration({
        revision: 'bbbbbb',
        down: 'aaaaaa',
        message: 'index big',
        transactional: false,
        upgrade: "await op.createIndex('ix_big_v', 'big', ['v'], { concurrently: true })",
      })
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => project.cli(['upgrade', 'head'])),
      )
      for (const run of runs) {
        expect(run.stderr).not.toMatch(/error|warning/)
        expect(run.code).toBe(0)
      }
      // Had the waiters held snapshots, the build would have waited for them until its lock
      // timeout: a warning, or an invalid index.
      expect(
        await db.query(
          "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'ix_big_v'::regclass",
        ),
      ).toEqual([{ valid: true }])
    },
  )

  it.skipIf(postgres.skip)('gives up after lockWaitTimeout and names the holder', async () => {
    db = await createDatabase('postgres')
    const slow = createProject(db.url)
    // The slow run holds the lock until the test lets it go, however slow the machine.
    await db.query('CREATE TABLE gate (open boolean)')
    slow.writeMigration({
      revision: 'aaaaaa',
      upgrade:
        "await op.execute('DO $$BEGIN WHILE NOT EXISTS (SELECT FROM gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END$$')",
    })
    let finished = false
    const holder = slow.cli(['upgrade', 'head']).finally(() => {
      finished = true
    })
    // Wait until the slow run holds the lock, however long its start takes on a busy machine.
    for (;;) {
      const held = await db.query<{ n: number }>(
        // This database's locks only: pg_locks lists the whole server's, other tests' included.
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
      if (held[0]!.n > 0) break
      expect(finished, 'the slow run ended before it was seen holding the lock').toBe(false)
      await new Promise((r) => setTimeout(r, 50))
    }
    const impatient = createProject(db.url, { lockWaitTimeout: 300 })
    impatient.writeMigration({ revision: 'aaaaaa' })
    const error = await upgrade(impatient.config, 'head').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LockTimeoutError)
    expect((error as Error).message).toMatch(
      /^gave up waiting for the migration lock after 0\.3 s: it is held by aludel upgrade \[[0-9a-f]{6}\] \(pid \d+ on [^)]+\) \(backend pid \d+, user postgres/,
    )
    await db.query('INSERT INTO gate VALUES (true)')
    expect((await holder).code).toBe(0)
  })
})
