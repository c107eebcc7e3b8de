import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertAtHead, current, TransactionPoolerError, upgrade } from '../../src/index.ts'
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

  it('in transaction mode, two runners at once apply nothing, twice or once', async () => {
    db = await createDatabase('postgres')
    const project = createProject(transactionPooler.through(db.url))
    writeSteps(project)
    const outcomes = await Promise.all([
      upgrade(project.config, 'head').catch((e: unknown) => e),
      upgrade(project.config, 'head').catch((e: unknown) => e),
    ])
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(TransactionPoolerError)
    await nothingApplied()
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
