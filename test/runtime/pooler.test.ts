import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  assertAtHead,
  current,
  LockLostError,
  TransactionPoolerError,
  upgrade,
} from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { type Pooler, poolerMissing, startPooler } from '../support/pgbouncer.ts'
import { createProject, type TestProject } from '../support/project.ts'

const postgres = backends().find((b) => b.backend === 'postgres')!
const skip = postgres.skip ?? poolerMissing()
if (skip) console.warn(`[aludel tests] skipping PgBouncer tests: ${skip}`)

function writeSteps(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'accounts',
    upgrade:
      "await op.execute('CREATE TABLE accounts (id int)'); await op.execute('INSERT INTO accounts VALUES (1)')",
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: 'index accounts',
    transactional: false,
    upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_accounts ON accounts (id)')",
  })
}

describe.skipIf(skip)('behind PgBouncer', () => {
  let db: TestDatabase
  let transactionPooler: Pooler
  let sessionPooler: Pooler
  beforeAll(async () => {
    transactionPooler = await startPooler('transaction')
    sessionPooler = await startPooler('session')
  })
  afterAll(async () => {
    await transactionPooler?.stop()
    await sessionPooler?.stop()
  })
  afterEach(async () => {
    await db?.drop()
  })

  const nothingApplied = async () => {
    expect(
      await db.query(
        "SELECT to_regclass('aludel_version')::text AS v, to_regclass('accounts')::text AS a",
      ),
    ).toEqual([{ v: null, a: null }])
  }

  it('in transaction mode, stops at once and names the fix', async () => {
    db = await createDatabase('postgres')
    const project = createProject(transactionPooler.through(db.url))
    writeSteps(project)
    const run = await project.cli(['upgrade', 'head'])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      `error: ${transactionPooler.through(db.url)} goes through a connection pooler in transaction mode (e.g. PgBouncer with pool_mode = transaction): the migration lock and session settings would not stay with aludel's sessions, so nothing was run; give migrations a direct connection to the server with \`migrationUrl\` in aludel.config.ts (or --url), and keep the pooler for the application\n`,
    )
    await nothingApplied()
  })

  it('in transaction mode, two runners at once never apply a step twice', async () => {
    db = await createDatabase('postgres')
    const project = createProject(transactionPooler.through(db.url))
    writeSteps(project)
    const outcomes = await Promise.all([
      upgrade(project.config, 'head').catch((e: unknown) => e),
      upgrade(project.config, 'head').catch((e: unknown) => e),
    ])
    // Which server sessions the pooler hands out depends on timing: a run stops when it notices
    // (at the start, or at a commit that reaches another server session), and a run whose every
    // statement reached its own server session completes correctly.
    for (const outcome of outcomes) {
      if (!(outcome instanceof Error)) continue
      const pooled =
        outcome instanceof TransactionPoolerError ||
        (outcome instanceof LockLostError && outcome.message.includes('connection pooler'))
      expect(pooled, outcome.message).toBe(true)
    }
    const completed = outcomes.filter((o) => !(o instanceof Error)).length
    expect(completed).toBeLessThanOrEqual(1)
    if (completed === 0 && outcomes.every((o) => o instanceof TransactionPoolerError)) {
      await nothingApplied()
      return
    }
    const [exists] = await db.query<{ accounts: string | null }>(
      "SELECT to_regclass('accounts')::text AS accounts",
    )
    if (exists?.accounts !== null) {
      expect(await db.query('SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 1 }])
    }
    // aludel's tables come with the first step: a run stopped there left none.
    const [tables] = await db.query<{ ledger: string | null }>(
      "SELECT to_regclass('aludel_version_ledger')::text AS ledger",
    )
    if (tables?.ledger === null) return
    const ledger = await db.query<{ revision: string; n: number }>(
      "SELECT revision, count(*)::int AS n FROM aludel_version_ledger WHERE direction = 'upgrade' GROUP BY revision",
    )
    for (const row of ledger) expect(row.n).toBe(1)
  })

  it('a commit that reaches a server session the run did not prepare stops the run', async () => {
    // What a pooler that handed out the marked server session at the start and another one later
    // would do, made certain: the step itself replaces the work session's mark.
    db = await createDatabase('postgres')
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      upgrade:
        "await op.execute('CREATE TABLE accounts (id int)'); await op.execute(\"SELECT set_config('aludel.probe', 'another session', false)\")",
    })
    const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LockLostError)
    expect((error as Error).message).toMatch(
      /^lost the migration lock during upgrade aaaaaa .*\(a statement reached a server session other than this run's: a connection pooler in transaction mode shares server sessions between clients; give migrations a direct connection to the server with `migrationUrl` in aludel.config.ts \(or --url\)\); it was rolled back, and nothing more runs/,
    )
    expect(
      await db.query(
        "SELECT to_regclass('accounts')::text AS a, to_regclass('aludel_version')::text AS versions",
      ),
    ).toEqual([{ a: null, versions: null }])
  })

  it('with migrationUrl going straight to the server, migrations run and the application reads through the pooler', async () => {
    db = await createDatabase('postgres')
    const project = createProject(transactionPooler.through(db.url), { migrationUrl: db.url })
    writeSteps(project)
    const run = await project.cli(['upgrade', 'head'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect((await current(project.config)).atHead).toBe(true)
    await assertAtHead(project.config)
    expect(await db.query('SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 1 }])
  })

  it('in session mode, runs as on a direct connection', async () => {
    db = await createDatabase('postgres')
    const project = createProject(sessionPooler.through(db.url))
    writeSteps(project)
    const runs = await Promise.all([
      project.cli(['upgrade', 'head']),
      project.cli(['upgrade', 'head']),
    ])
    for (const run of runs) expect(run.stderr).not.toMatch(/error|warning/)
    for (const run of runs) expect(run.code).toBe(0)
    expect(await db.query('SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 1 }])
    expect(
      await db.query(
        "SELECT count(*)::int AS n FROM aludel_version_ledger WHERE direction = 'upgrade'",
      ),
    ).toEqual([{ n: 2 }])
  })
})
