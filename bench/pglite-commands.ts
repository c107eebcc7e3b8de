/**
 * The embedded default, command by command: each `aludel` command a newcomer types, timed as a
 * whole process on a PGlite folder (no server), the way the README's quick start runs them.
 *
 * Usage: node bench/pglite-commands.ts [--runs N] [--before DIR]
 *   --before DIR  also time the aludel checkout in DIR (its bin/ and dist/, built), side by side,
 *                 alternating run by run so that a slow spell of the machine lands on both
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, before: { type: 'string' } },
})
const runs = Number(values.runs)
const repo = resolve(import.meta.dirname, '..')
const builds = [
  { name: 'this build', root: repo },
  ...(values.before === undefined ? [] : [{ name: 'before', root: resolve(values.before) }]),
]
const MIGRATIONS = 6

/** A project on `pglite:./data` with the quick start's kind of migrations, for `build`. */
function project(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aludel-bench-pglite-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules', 'aludel'), 'dir')
  mkdirSync(join(dir, 'migrations'))
  writeFileSync(
    join(dir, 'aludel.config.ts'),
    "import { defineConfig } from 'aludel'\nexport default defineConfig({ url: 'pglite:./data' })\n",
  )
  let previous = 'null'
  for (let i = 0; i < MIGRATIONS; i++) {
    const revision = `a${i.toString().padStart(11, '0')}`
    writeFileSync(
      join(dir, 'migrations', `${revision}_step_${i}.ts`),
      `import type { Operations } from 'aludel'
export const revision = '${revision}'
export const downRevision: string | null = ${previous}
export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE TABLE t_${i} (id serial PRIMARY KEY, name text NOT NULL)')
}
export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE t_${i}')
}
`,
    )
    previous = `'${revision}'`
  }
  return dir
}

function time(root: string, dir: string, args: readonly string[]): number {
  const start = performance.now()
  const result = spawnSync(process.execPath, [join(root, 'bin', 'aludel.js'), ...args, '-q'], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: '' },
  })
  const elapsed = performance.now() - start
  if (result.status !== 0) throw new Error(`aludel ${args.join(' ')}: ${result.stderr}`)
  return elapsed
}

/** Each command, with what must be true before it runs (set up untimed). */
const COMMANDS: readonly {
  readonly label: string
  readonly args: readonly string[]
  readonly before?: readonly (readonly string[])[]
  readonly fresh?: boolean
}[] = [
  {
    label: `upgrade head on a new folder (${MIGRATIONS} migrations)`,
    args: ['upgrade', 'head'],
    fresh: true,
  },
  { label: 'current', args: ['current'] },
  { label: 'upgrade head, nothing to do', args: ['upgrade', 'head'] },
  { label: 'history', args: ['history'] },
  { label: 'downgrade -1', args: ['downgrade', '-1'], before: [['upgrade', 'head']] },
  { label: 'upgrade +1', args: ['upgrade', '+1'], before: [['downgrade', '-1']] },
]

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const dirs = builds.map((b) => project(b.root))
try {
  console.log(
    `aludel on PGlite, whole process per command — median of ${runs} runs after a warm-up`,
  )
  console.log(
    ['command', ...builds.map((b) => b.name), ...(builds.length > 1 ? ['ratio'] : [])].join(' | '),
  )
  for (const command of COMMANDS) {
    const times = builds.map(() => [] as number[])
    for (let run = 0; run <= runs; run++) {
      builds.forEach((build, i) => {
        const dir = dirs[i]!
        if (command.fresh) rmSync(join(dir, 'data'), { recursive: true, force: true })
        else time(build.root, dir, ['upgrade', 'head'])
        for (const args of command.before ?? []) time(build.root, dir, args)
        const elapsed = time(build.root, dir, command.args)
        if (run > 0) times[i]!.push(elapsed)
      })
    }
    const medians = times.map(median)
    console.log(
      [
        command.label,
        ...medians.map((m) => `${Math.round(m)} ms`),
        ...(medians.length > 1 ? [`${(medians[0]! / medians[1]!).toFixed(2)}×`] : []),
      ].join(' | '),
    )
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}
