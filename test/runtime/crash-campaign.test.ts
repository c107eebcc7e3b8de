import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { upgrade } from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'
import { openSession } from '../support/sessions.ts'

/**
 * The crash campaign: a 50-step upgrade mixing transactional DDL, data steps and non-transactional
 * steps (two data statements around a concurrent index build) is killed at a random moment, 100
 * times — the client process with SIGKILL, or its work session or its lock session terminated on
 * the server — and each time run again. After every kill and every rerun the database must be
 * explainable: no step applied twice, the version table in step with the schema, the data and
 * the ledger, and no run that exits 0 without being at head.
 *
 * The seed is printed; `ALUDEL_CRASH_SEED=N` replays a campaign.
 */
const postgres = backends().find((b) => b.backend === 'postgres')!
const RUNS = Number(process.env.ALUDEL_CRASH_RUNS ?? 100)
const STEPS = 50
const KINDS = ['client', 'work session', 'lock session'] as const
type Kind = (typeof KINDS)[number]

interface Step {
  readonly revision: string
  readonly kind: 'ddl' | 'data' | 'outside'
  /** The rows it adds to `applied`, in order. */
  readonly entries: readonly string[]
}

const steps: readonly Step[] = Array.from({ length: STEPS }, (_, i) => {
  const revision = `r${String(i).padStart(2, '0')}`
  if (i % 5 === 4) return { revision, kind: 'outside', entries: [`${revision}.1`, `${revision}.2`] }
  return { revision, kind: i % 5 === 2 ? 'data' : 'ddl', entries: [revision] }
})

function writeCampaign(project: TestProject): void {
  steps.forEach((step, i) => {
    const insert = (entry: string) => `await op.execute("INSERT INTO applied VALUES ('${entry}')")`
    const body =
      step.kind === 'ddl'
        ? `await op.execute('CREATE TABLE t_${step.revision} (id int)'); ${insert(step.revision)}`
        : step.kind === 'data'
          ? `${insert(step.revision)}; await op.execute('UPDATE counter SET n = n + 1')`
          : `${insert(step.entries[0]!)}; await op.createIndex('ix_${step.revision}', 'base', ['v'], { concurrently: true, ifNotExists: true }); ${insert(step.entries[1]!)}`
    project.writeMigration({
      revision: step.revision,
      down: i === 0 ? null : steps[i - 1]!.revision,
      message: `${step.kind} step ${i}`,
      transactional: step.kind !== 'outside',
      upgrade: body,
    })
  })
}

/** A small deterministic generator (mulberry32), so that a campaign can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe.skipIf(postgres.skip)('crash campaign (PostgreSQL)', () => {
  const admin = inject('postgresUrl')
  const template = `aludel_crash_tpl_${randomBytes(4).toString('hex')}`
  const urlOf = (name: string) => {
    const url = new URL(admin)
    url.pathname = `/${name}`
    return url.toString()
  }
  const adminQuery = async (sql: string) => {
    const session = await openSession(admin, 'crash campaign')
    try {
      await session.client.query(sql)
    } finally {
      await session.close()
    }
  }

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${template}`)
    const session = await openSession(urlOf(template), 'crash campaign')
    try {
      await session.client.query(`CREATE TABLE applied (entry text NOT NULL);
        CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0);
        CREATE TABLE base (v int); INSERT INTO base SELECT generate_series(1, 2000)`)
    } finally {
      await session.close()
    }
  })
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
  })

  it(
    `${RUNS} runs killed at random moments, each run again: nothing applied twice, nothing unexplained`,
    async () => {
      const seed = Number(process.env.ALUDEL_CRASH_SEED ?? Date.now() % 1_000_000)
      const next = random(seed)
      const project = createProject(undefined)
      writeCampaign(project)

      // How long an undisturbed run takes here sets the window the kills fall in.
      const measured = await withDatabase(async (db) => {
        const started = performance.now()
        const run = await project.cli(['upgrade', 'head', '--url', db.url])
        const elapsed = performance.now() - started
        expect(run.code).toBe(0)
        expect(await inspect(db)).toEqual({ head: STEPS - 1, twice: [], problem: undefined })
        return elapsed
      })

      const tally = {
        runs: 0,
        /** Kills that came after the run had ended. */
        missed: 0,
        byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>,
        killedRunExits: {} as Record<string, number>,
        appliedTwice: 0,
        inconsistent: 0,
        falseSuccess: 0,
        rerunFailures: 0,
      }
      const problems: string[] = []
      // The window ends a little before an undisturbed run would: most kills land mid-run. The
      // delays are drawn up front, so that a seed replays the same campaign.
      const delays = Array.from({ length: RUNS }, () => Math.round(20 + next() * measured * 0.85))
      const campaign = async (run: number) => {
        const kind = KINDS[run % KINDS.length]!
        const delay = delays[run]!
        await withDatabase(async (db) => {
          const running = project.start(['upgrade', 'head', '--url', db.url])
          await new Promise((resolve) => setTimeout(resolve, delay))
          if (!(await kill(db, kind, running))) tally.missed++
          const killed = await running.done
          const exit = killed.signal ?? String(killed.code)
          tally.runs++
          tally.byKind[kind]++
          tally.killedRunExits[exit] = (tally.killedRunExits[exit] ?? 0) + 1
          const where = `run ${run} (seed ${seed}, ${kind} after ${delay} ms, exit ${exit})`
          // A killed client's last COMMIT may still be landing on the server: the state to judge
          // is the one left once the run's sessions are gone.
          await sessionsGone(db)
          const after = await inspect(db)
          if (after.twice.length > 0) {
            tally.appliedTwice++
            problems.push(`${where}: applied twice: ${after.twice.join(', ')}`)
          }
          if (after.problem !== undefined) {
            tally.inconsistent++
            problems.push(`${where}: ${after.problem}`)
          }
          if (killed.code === 0 && after.head !== STEPS - 1) {
            tally.falseSuccess++
            problems.push(`${where}: exited 0 at ${after.head}`)
          }
          // The rerun is what a deploy does next; it is not killed, so it runs in this process
          // (the killed run above is a real process, as a deploy's is).
          const rerun = await upgrade({ ...project.config, url: db.url }, 'head').then(
            () => undefined,
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          )
          const final = await inspect(db)
          if (
            rerun !== undefined ||
            final.head !== STEPS - 1 ||
            final.problem ||
            final.twice.length
          ) {
            tally.rerunFailures++
            problems.push(
              `${where}: rerun ${rerun === undefined ? 'succeeded' : 'failed'} at ${final.head}: ${final.problem ?? final.twice.join(', ')} ${rerun ?? ''}`,
            )
          }
        })
      }
      // Two runs at a time, each on its own database: a run spends most of its time waiting for
      // its kill or for the server, and no run can see another's sessions or data.
      let nextRun = 0
      const lane = async () => {
        while (nextRun < RUNS) await campaign(nextRun++)
      }
      await Promise.all([lane(), lane()])
      console.log(`[crash campaign] seed ${seed}, window ${Math.round(measured)} ms:`, tally)
      expect(problems).toEqual([])
      expect(tally).toMatchObject({
        runs: RUNS,
        appliedTwice: 0,
        inconsistent: 0,
        falseSuccess: 0,
        rerunFailures: 0,
      })
    },
    20 * 60_000,
  )

  /** Runs `body` on a fresh copy of the template, dropped afterwards. */
  async function withDatabase<T>(body: (db: CampaignDatabase) => Promise<T>): Promise<T> {
    const name = `aludel_crash_${randomBytes(5).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`)
    const session = await openSession(urlOf(name), 'crash campaign check')
    const db: CampaignDatabase = {
      url: urlOf(name),
      query: async (sql, params = []) => (await session.client.query(sql, params)).rows,
    }
    try {
      return await body(db)
    } finally {
      await session.close()
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }
  }
})

interface CampaignDatabase {
  readonly url: string
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>
}

/**
 * Kills the run the way `kind` says. A session not there yet is waited for while the run lasts;
 * returns false when the run ended first.
 */
async function kill(
  db: CampaignDatabase,
  kind: Kind,
  running: ReturnType<TestProject['start']>,
): Promise<boolean> {
  if (kind === 'client') {
    return running.child.exitCode === null && running.child.kill('SIGKILL')
  }
  const pattern =
    kind === 'work session' ? 'aludel upgrade [%] work (pid %' : 'aludel upgrade [%] (pid %'
  while (running.child.exitCode === null && running.child.signalCode === null) {
    const [session] = await db.query(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE $1
          AND ($2 OR query LIKE '%pg_try_advisory_xact_lock%')`,
      [pattern, kind === 'work session'],
    )
    if (session !== undefined) {
      await db.query('SELECT pg_terminate_backend($1)', [session.pid])
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return false
}

/**
 * Waits until no session of a killed run is left on the database (the server notices a dead
 * client within `client_connection_check_interval`, 2 s; the deadline only guards a hang).
 */
async function sessionsGone(db: CampaignDatabase): Promise<void> {
  const deadline = performance.now() + 60_000
  while (performance.now() < deadline) {
    const [left] = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'aludel upgrade%'`,
    )
    if (Number(left?.n) === 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the killed run still has sessions on the database after 60 s')
}

/** What the database says, and the first thing it cannot explain. */
async function inspect(db: CampaignDatabase): Promise<{
  readonly head: number
  readonly twice: readonly string[]
  readonly problem: string | undefined
}> {
  const twice = (
    await db.query('SELECT entry FROM applied GROUP BY entry HAVING count(*) > 1 ORDER BY 1')
  ).map((r) => String(r.entry))
  const versions = await db
    .query('SELECT version_num FROM aludel_version')
    .catch(() => [] as Record<string, unknown>[])
  if (versions.length > 1) return { head: -2, twice, problem: `version rows ${versions.length}` }
  const head =
    versions.length === 0 ? -1 : steps.findIndex((s) => s.revision === versions[0]!.version_num)
  const problem = await explain(db, head)
  return { head, twice, problem }
}

/** Checks that everything up to `head` is applied once and nothing after it, but for progress. */
async function explain(db: CampaignDatabase, head: number): Promise<string | undefined> {
  const entries = new Set((await db.query('SELECT entry FROM applied')).map((r) => String(r.entry)))
  const tables = new Set(
    (await db.query("SELECT tablename FROM pg_tables WHERE tablename LIKE 't\\_r%'")).map((r) =>
      String(r.tablename),
    ),
  )
  const indexes = new Map(
    (
      await db.query(
        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'ix\\_r%'",
      )
    ).map((r) => [String(r.relname), r.indisvalid === true]),
  )
  const progress = await db
    .query('SELECT revision, seq FROM aludel_version_progress ORDER BY seq')
    .catch(() => [] as Record<string, unknown>[])
  const ledger = await db
    .query(
      "SELECT revision, count(*)::int AS n FROM aludel_version_ledger WHERE direction = 'upgrade' GROUP BY revision",
    )
    .catch(() => [] as Record<string, unknown>[])
  const upgrades = new Map(ledger.map((r) => [String(r.revision), Number(r.n)]))
  const [counter] = await db.query('SELECT n FROM counter')
  const dataSteps = steps.filter((s, i) => s.kind === 'data' && i <= head).length
  if (Number(counter?.n) !== dataSteps) return `counter ${counter?.n}, expected ${dataSteps}`
  for (const [i, step] of steps.entries()) {
    const present = step.entries.filter((e) => entries.has(e))
    const recorded = progress.filter((p) => p.revision === step.revision).length
    if (i <= head) {
      if (present.length !== step.entries.length) return `${step.revision} applied but data missing`
      if (step.kind === 'ddl' && !tables.has(`t_${step.revision}`))
        return `t_${step.revision} missing`
      if (step.kind === 'outside' && indexes.get(`ix_${step.revision}`) !== true)
        return `ix_${step.revision} missing or invalid`
      if (upgrades.get(step.revision) !== 1)
        return `${step.revision} has ${upgrades.get(step.revision) ?? 0} ledger rows`
      if (recorded > 0) return `${step.revision} applied but has progress rows`
    } else if (i === head + 1 && step.kind === 'outside') {
      // Interrupted outside a transaction: its data statements are applied exactly when recorded.
      if (entries.has(step.entries[0]!) !== recorded >= 1)
        return `${step.revision}.1 vs progress ${recorded}`
      if (entries.has(step.entries[1]!) !== recorded >= 3)
        return `${step.revision}.2 vs progress ${recorded}`
      if (upgrades.has(step.revision)) return `${step.revision} in the ledger but not applied`
    } else {
      if (present.length > 0) return `${step.revision} not applied but its data is there`
      if (tables.has(`t_${step.revision}`)) return `t_${step.revision} exists but not applied`
      if (upgrades.has(step.revision)) return `${step.revision} in the ledger but not applied`
      if (recorded > 0) return `${step.revision} has progress rows but is not next`
    }
  }
  return undefined
}
