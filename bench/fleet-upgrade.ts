/**
 * Measures one set of migrations applied to many tenant schemas of the local PostgreSQL server,
 * five ways, each from base on fresh schemas:
 *
 * - aludel's fleet run: one process, `aludel upgrade head --all-targets --concurrency C`;
 * - the shell loop users write today: one `aludel upgrade head --target T` process per tenant,
 *   one after the other;
 * - a psql floor: `C` psql sessions, each sending the same statements to its share of the
 *   tenants, with a version-row update per migration, each migration its own transaction
 *   (aludel's layout, without its lock, guard, ledger or checks);
 * - aludel's own statements sent by psql: the script `aludel upgrade base:head --sql --target T`
 *   writes (the migrations, aludel's version table and ledger, each migration with its version
 *   row and ledger row in its own transaction), applied by `C` psql sessions kept open as the
 *   floor's are — everything the fleet run sends but its lock, lock guards and set-up reads;
 * - the same psql statements with one psql session per tenant, `C` at a time: what a script
 *   calling psql per tenant costs (a new server backend per tenant).
 *
 * Usage: node bench/fleet-upgrade.ts [TENANTS] [MIGRATIONS]   (default 100 20; the figure the
 *        README quotes is 1000 20)
 * Env:   BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *        BENCH_CONCURRENCY (default 8), BENCH_LOOP_SAMPLE (tenants the shell loop runs, default
 *        all; the loop's total is scaled from the sample), BENCH_REPEAT (fleet runs and floors,
 *        alternating, default 3; the medians are compared)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ADMIN_URL, query } from './lib/postgres.ts'
import { sqlMigration } from './lib/sql-migration.ts'

const repo = resolve(import.meta.dirname, '..')
const bin = join(repo, 'bin', 'aludel.js')
const admin = ADMIN_URL
const tenants = Number(process.argv[2] ?? 100)
const migrations = Number(process.argv[3] ?? 20)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)
const loopSample = Math.min(tenants, Number(process.env.BENCH_LOOP_SAMPLE ?? tenants))
const repeat = Number(process.env.BENCH_REPEAT ?? 3)

async function sql(url: string, text: string): Promise<void> {
  await query(url, text)
}

/** The statement migration `i` runs: a table, then columns and an index on it. */
function statement(i: number): string {
  if (i === 0) return 'CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)'
  return i % 2 === 1
    ? `ALTER TABLE items ADD COLUMN c_${i} integer`
    : `CREATE INDEX ix_items_c_${i - 1} ON items (c_${i - 1})`
}

const schemaOf = (t: number) => `tenant_${String(t).padStart(4, '0')}`

function writeProject(url: string, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aludel-bench-fleet-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(repo, join(dir, 'node_modules', 'aludel'), 'dir')
  mkdirSync(join(dir, 'migrations'))
  const targets = Array.from({ length: tenants }, (_, t) => ({
    name: `${prefix}${t}`,
    schema: `${prefix}${schemaOf(t)}`,
  }))
  writeFileSync(
    join(dir, 'aludel.config.ts'),
    `import { defineConfig } from 'aludel'\nexport default defineConfig(${JSON.stringify({ url, targets })})\n`,
  )
  let previous: string | null = null
  for (let i = 0; i < migrations; i++) {
    const revision = `f${i.toString(16).padStart(11, '0')}`
    writeFileSync(
      join(dir, 'migrations', `${revision}_step_${i}.ts`),
      sqlMigration({
        revision,
        parent: previous,
        message: `step ${i}`,
        up: statement(i),
        down: 'SELECT 1',
      }),
    )
    previous = revision
  }
  return dir
}

async function createSchemas(url: string, prefix: string): Promise<void> {
  const names = Array.from({ length: tenants }, (_, t) => `${prefix}${schemaOf(t)}`)
  await sql(url, names.map((n) => `CREATE SCHEMA ${n};`).join(''))
}

/** Busy CPU time of the whole machine so far, in seconds (Linux's /proc/stat), or undefined. */
function busyCpu(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1)
    const ticks = fields.map(Number)
    // user nice system idle iowait irq softirq steal: everything but idle and iowait.
    const busy = ticks.reduce((a, b) => a + b, 0) - (ticks[3] ?? 0) - (ticks[4] ?? 0)
    return busy / 100
  } catch {
    return undefined
  }
}

/** Runs `body` and says how long it took and how much CPU the machine spent meanwhile. */
async function measured(body: () => Promise<void> | void): Promise<{ ms: number; cpu: string }> {
  const cpu0 = busyCpu()
  const started = performance.now()
  await body()
  const ms = performance.now() - started
  const cpu1 = busyCpu()
  return {
    ms,
    cpu:
      cpu0 === undefined || cpu1 === undefined
        ? ''
        : ` (machine CPU ${(cpu1 - cpu0).toFixed(1)} core-s)`,
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

/** The statements psql sends for tenant `t`: what aludel's migrations run, with a version row. */
function floorScript(prefix: string, t: number): string {
  const schema = `${prefix}${schemaOf(t)}`
  const lines = [
    `SET search_path = ${schema};`,
    'CREATE TABLE floor_version (version_num text PRIMARY KEY);',
  ]
  for (let i = 0; i < migrations; i++) {
    lines.push(
      'BEGIN;',
      `${statement(i)};`,
      i === 0
        ? `INSERT INTO floor_version VALUES ('f${i}');`
        : `UPDATE floor_version SET version_num = 'f${i}';`,
      'COMMIT;',
    )
  }
  return lines.join('\n')
}

/** The script a psql session sends for tenant `t`. */
type TenantScript = (t: number) => string

/** One psql process sending `tenantsOf`'s scripts in one session. */
function psql(url: string, script: TenantScript, tenantsOf: readonly number[]): Promise<void> {
  return new Promise<void>((done, fail) => {
    const child = spawn('psql', ['-q', '-X', url], { stdio: ['pipe', 'ignore', 'inherit'] })
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`psql exited ${code}`))))
    const scripts = tenantsOf.map(script).join('\n')
    child.stdin.end(`\\set ON_ERROR_STOP on\nSET client_min_messages = warning;\n${scripts}\n`)
  })
}

/**
 * `concurrency` psql sessions, each applying `script` to its share of the tenants one after
 * another in one session, as aludel's fleet run shares its sessions.
 */
async function psqlKeptOpen(url: string, script: TenantScript): Promise<void> {
  const all = Array.from({ length: tenants }, (_, t) => t)
  await Promise.all(
    Array.from({ length: concurrency }, (_, k) =>
      psql(
        url,
        script,
        all.filter((t) => t % concurrency === k),
      ),
    ),
  )
}

/**
 * aludel's own script for every tenant: `upgrade base:head --sql` written once for the first
 * tenant (no database is read for a range), and given each tenant's schema in place of the
 * first's — the scripts differ in nothing else.
 */
function aludelScripts(dir: string, prefix: string): TenantScript {
  const run = spawnSync(
    process.execPath,
    [bin, 'upgrade', 'base:head', '--sql', '--target', `${prefix}0`],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } },
  )
  if (run.status !== 0) throw new Error(`upgrade --sql failed: ${run.stderr}`)
  const first = new RegExp(`\\b${prefix}${schemaOf(0)}\\b`, 'g')
  if (run.stdout.match(first)?.length === undefined) {
    throw new Error(`the script does not name the schema ${prefix}${schemaOf(0)}`)
  }
  return (t) => run.stdout.replace(first, `${prefix}${schemaOf(t)}`)
}

/** The same statements with a psql session per tenant, `concurrency` at a time. */
async function psqlPerTenant(url: string, prefix: string): Promise<void> {
  let next = 0
  const worker = async () => {
    for (let t = next++; t < tenants; t = next++) {
      await psql(url, (n) => floorScript(prefix, n), [t])
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** A fresh database for one measurement, with the tenants' schemas; dropped by `drop()`. */
async function freshDatabase(
  label: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const database = `aludel_bench_fleet_${process.pid}_${label}`
  await sql(admin, `CREATE DATABASE ${database}`)
  const url = new URL(admin)
  url.pathname = `/${database}`
  await createSchemas(url.toString(), prefix)
  return {
    url: url.toString(),
    drop: () => sql(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  }
}

/** `body` on a fresh database of tenants, measured. */
async function onFresh(
  label: string,
  prefix: string,
  body: (url: string) => Promise<void> | void,
): Promise<{ ms: number; cpu: string }> {
  const db = await freshDatabase(label, prefix)
  try {
    // The previous measurement's dirty pages are written now, not during this one.
    await sql(admin, 'CHECKPOINT')
    return await measured(() => body(db.url))
  } finally {
    await db.drop()
    await settle()
  }
}

/**
 * Lets the disk finish what the drop left (tens of thousands of files unlinked) before the next
 * measurement starts: otherwise the next one may pay for it, and since the ways take turns, each
 * for another's database (without it, the fleet run's times rose after a benchmark's first run).
 */
async function settle(): Promise<void> {
  spawnSync('sync')
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
}

const SETTLE_MS = 3000

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main(): Promise<void> {
  const dirs: string[] = []
  const project = (url: string, prefix: string) => {
    const dir = writeProject(url, prefix)
    dirs.push(dir)
    return dir
  }
  try {
    console.log(
      `${tenants} tenant schemas x ${migrations} migrations, concurrency ${concurrency}, PostgreSQL at ${new URL(admin).host}; fleet and floor ${repeat} times each, alternating (medians)`,
    )
    // The fleet run and the floor alternate, each on a fresh database: this machine's speed drifts
    // by a third over minutes, which one measurement of each would put in the ratio.
    const fleetTimes: number[] = []
    const floorTimes: number[] = []
    const ownTimes: number[] = []
    const own = aludelScripts(project(admin, 'e_'), 'e_')
    for (let r = 0; r < repeat; r++) {
      const fleet = await onFresh(`a${r}`, 'a_', (url) => {
        const run = spawnSync(
          process.execPath,
          [
            bin,
            'upgrade',
            'head',
            '--all-targets',
            '--concurrency',
            String(concurrency),
            '--quiet',
          ],
          { cwd: project(url, 'a_'), encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } },
        )
        if (run.status !== 0) throw new Error(`fleet run failed: ${run.stderr}`)
      })
      fleetTimes.push(fleet.ms)
      console.log(`aludel fleet run:         ${seconds(fleet.ms)}${fleet.cpu}`)
      const floor = await onFresh(`c${r}`, 'c_', (url) =>
        psqlKeptOpen(url, (t) => floorScript('c_', t)),
      )
      floorTimes.push(floor.ms)
      console.log(`psql floor:               ${seconds(floor.ms)}${floor.cpu}`)
      const same = await onFresh(`e${r}`, 'e_', (url) => psqlKeptOpen(url, own))
      ownTimes.push(same.ms)
      console.log(`psql, aludel's script:    ${seconds(same.ms)}${same.cpu}`)
    }

    // The shell loop: one process per tenant.
    const loop = await onFresh('b', 'b_', (url) => {
      const dir = project(url, 'b_')
      for (let t = 0; t < loopSample; t++) {
        const run = spawnSync(
          process.execPath,
          [bin, 'upgrade', 'head', '--target', `b_${t}`, '--quiet'],
          {
            cwd: dir,
            encoding: 'utf8',
            env: { ...process.env, DATABASE_URL: '' },
          },
        )
        if (run.status !== 0) throw new Error(`loop run for b_${t} failed: ${run.stderr}`)
      }
    })
    const loopMs = (loop.ms / loopSample) * tenants
    console.log(
      `shell loop of processes:  ${seconds(loopMs)}${loopSample < tenants ? ` (${loopSample} tenants run, scaled)` : loop.cpu}`,
    )
    const perTenant = await onFresh('d', 'd_', (url) => psqlPerTenant(url, 'd_'))
    console.log(`psql, session per tenant: ${seconds(perTenant.ms)}${perTenant.cpu}`)
    const fleetMs = median(fleetTimes)
    const floorMs = median(floorTimes)
    const ownMs = median(ownTimes)
    console.log(
      `medians: fleet ${seconds(fleetMs)}, floor ${seconds(floorMs)}, aludel's script by psql ${seconds(ownMs)}; fleet vs loop: ${(loopMs / fleetMs).toFixed(1)}x faster; fleet vs floor: ${(fleetMs / floorMs).toFixed(2)}x; vs aludel's script by psql: ${(fleetMs / ownMs).toFixed(2)}x (that script vs the floor: ${(ownMs / floorMs).toFixed(2)}x); vs psql with a session per tenant: ${(fleetMs / perTenant.ms).toFixed(2)}x`,
    )
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
