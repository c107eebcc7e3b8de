/**
 * Measures `aludel upgrade head` with nothing to do, whole process, against the local PostgreSQL
 * server, at 100, 1,000 and 10,000 migration files (the numbers the README quotes).
 *
 * Usage: node bench/noop-upgrade.ts [sizes...]   (default 100 1000 10000)
 * Env:   BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_RUNS (5)
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { sqlMigration } from './lib/sql-migration.ts'

const repo = resolve(import.meta.dirname, '..')
const bin = join(repo, 'bin', 'aludel.js')
const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const runs = Number(process.env.BENCH_RUNS ?? 5)
const sizes = process.argv.slice(2).map(Number)

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

function project(size: number, url: string): string {
  const dir = mkdtempSync(join(tmpdir(), `aludel-bench-${size}-`))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(repo, join(dir, 'node_modules', 'aludel'), 'dir')
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations)
  writeFileSync(
    join(dir, 'aludel.config.ts'),
    `import { defineConfig } from 'aludel'\nexport default defineConfig({ url: ${JSON.stringify(url)} })\n`,
  )
  let previous: string | null = null
  for (let i = 0; i < size; i++) {
    const revision = `r${i.toString(16).padStart(11, '0')}`
    writeFileSync(
      join(migrations, `${revision}_step_${i}.ts`),
      sqlMigration({
        revision,
        parent: previous,
        message: `step ${i}`,
        up: `CREATE TABLE t_${i} (id serial PRIMARY KEY, name text NOT NULL)`,
        down: `DROP TABLE t_${i}`,
      }),
    )
    previous = revision
  }
  return dir
}

function run(dir: string): number {
  const start = performance.now()
  const result = spawnSync(process.execPath, [bin, 'upgrade', 'head', '--quiet'], { cwd: dir })
  const elapsed = performance.now() - start
  if (result.status !== 0) throw new Error(`aludel failed: ${result.stderr}`)
  return elapsed
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log(`aludel upgrade head, nothing to do — median of ${runs} runs after a warm-up`)
for (const size of sizes.length > 0 ? sizes : [100, 1000, 10000]) {
  const name = `aludel_bench_noop_${size}`
  await sql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await sql(admin, `CREATE DATABASE ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  const dir = project(size, url.toString())
  try {
    run(dir) // applies everything
    run(dir) // warm-up
    const times = Array.from({ length: runs }, () => run(dir))
    console.log(
      `${String(size).padStart(6)} migrations: ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await sql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}
