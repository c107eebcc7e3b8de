/**
 * The benchmark's command line. Defaults are the full benchmark; `--smoke` shrinks
 * every size and does one run without warm-up, so CI can check the harness end to end quickly.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH, WORK } from './paths.ts'

export interface Sizes {
  /** S1: migration files for `upgrade head` with nothing to do. */
  readonly s1: readonly number[]
  /** S2: migrations applied from empty. */
  readonly s2: number
  /** S3: migrations reverted to base. */
  readonly s3: number
  /** S4: tables in the model compared by every autogenerating tool. */
  readonly s4: number
  /** S4: tables in aludel's own larger run. */
  readonly s4Large: number
  /** S5: revisions in the graph (a multiple of 10). */
  readonly s5: number
  /** S6: migration files `aludel lint --all` checks (whole cycles of 10). */
  readonly s6Files: number
  /** S6: tables of the schema the traced migrations change. */
  readonly s6Tables: number
  /** S6: pending migrations `aludel lint --trace` applies and measures. */
  readonly s6Pending: number
  /** S7: tables, views and functions of the database `pull` reads. */
  readonly s7Tables: number
  readonly s7Views: number
  readonly s7Functions: number
}

export interface BenchOptions {
  readonly smoke: boolean
  readonly warmups: number
  readonly runs: number
  /** Scenario ids to run, e.g. `S1`. */
  readonly only: ReadonlySet<string>
  /** Peer-name prefixes to keep (lower case); empty keeps all. aludel always runs. */
  readonly tools: readonly string[]
  readonly sizes: Sizes
  /** The Markdown report to write. */
  readonly out: string
}

const FULL: Sizes = {
  s1: [100, 1000, 10000],
  s2: 1000,
  s3: 1000,
  s4: 300,
  s4Large: 1000,
  s5: 10000,
  s6Files: 1000,
  s6Tables: 300,
  s6Pending: 50,
  s7Tables: 300,
  s7Views: 100,
  s7Functions: 200,
}
const SMOKE: Sizes = {
  s1: [5, 20],
  s2: 10,
  s3: 10,
  s4: 4,
  s4Large: 8,
  s5: 30,
  s6Files: 20,
  s6Tables: 10,
  s6Pending: 5,
  s7Tables: 10,
  s7Views: 3,
  s7Functions: 5,
}

/** Every scenario, in report order: what runs without `--only`. */
const SCENARIO_IDS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7']

export const USAGE = `usage: node bench/run-all.ts [options]
  --smoke              tiny sizes, one run, no warm-up; writes bench/.work/smoke/RESULTS.md
  --only S1,S4         scenarios to run (default: all)
  --tools knex,alembic peers to run beside aludel (name prefixes; default: all)
  --runs N             timed runs per cell (default 5; smoke 1)
  --warmups N          warm-up runs per cell (default 1; smoke 0)
  --s1 100,1000,10000  sizes; likewise --s2 N --s3 N --s4 N --s4-large N --s5 N
  --s6-files N --s6-tables N --s6-pending N   S6: files linted; schema and pending migrations traced
  --s7-tables N --s7-views N --s7-functions N   S7: the database that pull reads
  --out FILE           report to write (default bench/RESULTS.md)`

/** Parses argv; throws with the usage on a bad flag. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      tools: { type: 'string' },
      runs: { type: 'string' },
      warmups: { type: 'string' },
      s1: { type: 'string' },
      s2: { type: 'string' },
      s3: { type: 'string' },
      s4: { type: 'string' },
      's4-large': { type: 'string' },
      s5: { type: 'string' },
      's6-files': { type: 'string' },
      's6-tables': { type: 'string' },
      's6-pending': { type: 'string' },
      's7-tables': { type: 'string' },
      's7-views': { type: 'string' },
      's7-functions': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const smoke = values.smoke === true
  const base = smoke ? SMOKE : FULL
  const count = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number\n${USAGE}`)
    return n
  }
  const list = (text: string | undefined) =>
    text === undefined ? [] : text.split(',').map((s) => s.trim().toLowerCase())
  const sizes: Sizes = {
    s1: values.s1 === undefined ? base.s1 : list(values.s1).map((s) => count(s, 0, 's1')),
    s2: count(values.s2, base.s2, 's2'),
    s3: count(values.s3, base.s3, 's3'),
    s4: count(values.s4, base.s4, 's4'),
    s4Large: count(values['s4-large'], base.s4Large, 's4-large'),
    s5: count(values.s5, base.s5, 's5'),
    s6Files: count(values['s6-files'], base.s6Files, 's6-files'),
    s6Tables: count(values['s6-tables'], base.s6Tables, 's6-tables'),
    s6Pending: count(values['s6-pending'], base.s6Pending, 's6-pending'),
    s7Tables: count(values['s7-tables'], base.s7Tables, 's7-tables'),
    s7Views: count(values['s7-views'], base.s7Views, 's7-views'),
    s7Functions: count(values['s7-functions'], base.s7Functions, 's7-functions'),
  }
  const only = list(values.only).map((s) => s.toUpperCase())
  return {
    smoke,
    runs: count(values.runs, smoke ? 1 : 5, 'runs'),
    warmups: count(values.warmups, smoke ? 0 : 1, 'warmups'),
    only: new Set(only.length > 0 ? only : SCENARIO_IDS),
    tools: list(values.tools),
    sizes,
    out: values.out ?? (smoke ? join(WORK, 'smoke', 'RESULTS.md') : join(BENCH, 'RESULTS.md')),
  }
}

/** Whether a tool runs under `--tools` (aludel, its variants and the floors always do). */
export function keeps(options: BenchOptions, tool: { name: string; role: string }): boolean {
  if (tool.role !== 'peer' || options.tools.length === 0) return true
  const name = tool.name.toLowerCase()
  return options.tools.some((prefix) => name.startsWith(prefix))
}
