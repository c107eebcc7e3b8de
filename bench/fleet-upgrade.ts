/**
 * Measures one set of migrations applied to many tenant schemas of the local PostgreSQL server,
 * three ways, each from base on fresh schemas:
 *
 * - aludel's fleet run: one process, `aludel upgrade head --all-targets --concurrency C`;
 * - the shell loop users write today: one `aludel upgrade head --target T` process per tenant,
 *   one after the other;
 * - a psql floor: `C` psql sessions, each sending the same statements to its share of the
 *   tenants, with a version-row update per migration, each migration its own transaction
 *   (aludel's layout, without its lock, guard, ledger or checks).
 *
 * Usage: node bench/fleet-upgrade.ts [TENANTS] [MIGRATIONS]   (default 100 20; the figure the
 *        README quotes is 1000 20)
 * Env:   BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *        BENCH_CONCURRENCY (default 8), BENCH_LOOP_SAMPLE (tenants the shell loop runs, default
 *        all; the loop's total is scaled from the sample)
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

/**
 * `concurrency` psql sessions, each applying the same statements to its share of the tenants one
 * after another in one session (`SET search_path` per tenant), as aludel's fleet run shares its
 * sessions between targets.
 */
async function psqlFloor(url: string, prefix: string): Promise<number> {
  const script = (t: number) => {
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
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      const share = Array.from({ length: tenants }, (_, t) => t).filter(
        (t) => t % concurrency === k,
      )
      if (share.length === 0) return
      await new Promise<void>((done, fail) => {
        const child = spawn('psql', ['-q', '-X', url], { stdio: ['pipe', 'ignore', 'inherit'] })
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`psql exited ${code}`))))
        child.stdin.end(`\\set ON_ERROR_STOP on\n${share.map(script).join('\n')}\n`)
      })
    }),
  )
  return performance.now() - started
}

async function main(): Promise<void> {
  const database = `aludel_bench_fleet_${process.pid}`
  await sql(admin, `CREATE DATABASE ${database}`)
  const url = new URL(admin)
  url.pathname = `/${database}`
  const dbUrl = url.toString()
  const dirs: string[] = []
  try {
    console.log(
      `${tenants} tenant schemas x ${migrations} migrations, concurrency ${concurrency}, PostgreSQL at ${url.host}`,
    )
    // aludel's fleet run.
    await createSchemas(dbUrl, 'a_')
    const fleetDir = writeProject(dbUrl, 'a_')
    dirs.push(fleetDir)
    let started = performance.now()
    const fleet = spawnSync(
      process.execPath,
      [bin, 'upgrade', 'head', '--all-targets', '--concurrency', String(concurrency), '--quiet'],
      { cwd: fleetDir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } },
    )
    const fleetMs = performance.now() - started
    if (fleet.status !== 0) throw new Error(`fleet run failed: ${fleet.stderr}`)
    console.log(`aludel fleet run:        ${seconds(fleetMs)}`)

    // The shell loop: one process per tenant.
    await createSchemas(dbUrl, 'b_')
    const loopDir = writeProject(dbUrl, 'b_')
    dirs.push(loopDir)
    started = performance.now()
    for (let t = 0; t < loopSample; t++) {
      const run = spawnSync(
        process.execPath,
        [bin, 'upgrade', 'head', '--target', `b_${t}`, '--quiet'],
        {
          cwd: loopDir,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: '' },
        },
      )
      if (run.status !== 0) throw new Error(`loop run for b_${t} failed: ${run.stderr}`)
    }
    const loopMs = ((performance.now() - started) / loopSample) * tenants
    console.log(
      `shell loop of processes: ${seconds(loopMs)}${loopSample < tenants ? ` (${loopSample} tenants run, scaled)` : ''}`,
    )

    // The floor.
    await createSchemas(dbUrl, 'c_')
    const floorMs = await psqlFloor(dbUrl, 'c_')
    console.log(`psql floor:              ${seconds(floorMs)}`)
    console.log(
      `fleet vs loop: ${(loopMs / fleetMs).toFixed(1)}x faster; fleet vs floor: ${(fleetMs / floorMs).toFixed(2)}x`,
    )
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    await sql(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  }
}

await main()
