/**
 * Writes the Markdown report: how it was run, the machine and versions, a summary of the targets,
 * then per scenario a table of medians (min–max), the ratio of aludel to each peer, and the
 * targets; finally how each tool is driven and, if present, the hand-written analysis in
 * `bench/analysis.md` (what bounds aludel where it misses a target).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Environment } from './environment.ts'
import type { BenchOptions } from './options.ts'
import { BENCH, binScript, REPO, write } from './paths.ts'
import { type Cell, medianOf, type ScenarioReport, type TargetResult } from './results.ts'
import { formatMs, formatSummary, summarize } from './stats.ts'

/** A tool's line in "How each tool is driven". */
export interface ToolDescription {
  readonly name: string
  readonly layout?: string
  readonly driven: string
}

/**
 * A scenario not measured in this run and with no stored result (`bench/.work/` is not committed),
 * carried over as it stands in the report being replaced, so that `--only` in a fresh checkout
 * does not drop it.
 */
export interface KeptSection {
  readonly id: string
  readonly kept: true
  /** Its rows of the Targets table, as they were. */
  readonly targetRows: readonly string[]
  /** Its section, from its heading to the next. */
  readonly lines: readonly string[]
}

/** Scenario `id`'s section of the report in `file`, if there is one. */
export function keptSection(file: string, id: string): KeptSection | undefined {
  if (!existsSync(file)) return undefined
  const lines = readFileSync(file, 'utf8').split('\n')
  const heading = (line: string) => line.startsWith('## ')
  const start = lines.findIndex((line) => line.startsWith(`## ${id}: `))
  if (start === -1) return undefined
  const end = lines.findIndex((line, i) => i > start && heading(line))
  const targets = lines.indexOf('## Targets')
  const targetsEnd = lines.findIndex((line, i) => i > targets && heading(line))
  const row = new RegExp(`^\\|\\s*${id}\\s*\\|`)
  return {
    id,
    kept: true,
    targetRows:
      targets === -1 ? [] : lines.slice(targets, targetsEnd).filter((line) => row.test(line)),
    lines: lines.slice(start, end === -1 ? undefined : end),
  }
}

export interface Report {
  readonly options: BenchOptions
  readonly argv: readonly string[]
  readonly environment: Environment
  readonly scenarios: readonly (ScenarioReport | KeptSection)[]
  readonly tools: readonly ToolDescription[]
  /** How long this run waited for a quiet machine, and how many runs went ahead without it. */
  readonly quiet: {
    readonly noisyRuns: number
    readonly waitedMs: number
    readonly maxWaitMs: number
  }
}

export function writeResults(report: Report): void {
  const { options, environment: env } = report
  const out: string[] = []
  out.push('# Benchmark results', '')
  out.push(
    `Written by \`npm run bench${report.argv.length ? ` -- ${report.argv.join(' ')}` : ''}\` on ${env.date} (scenarios not selected by \`--only\` come from their latest full run, each dated below). Every number is a whole process (spawned, timed from before spawn to exit), ${options.runs} timed run${options.runs === 1 ? '' : 's'} after ${options.warmups} warm-up${options.warmups === 1 ? '' : 's'}, shown as median (min–max). Databases are fresh ones on the local PostgreSQL server, dropped afterwards. Ratios are aludel's median divided by the other tool's: below 1 means aludel is faster (0.25× = four times as fast).`,
    '',
  )
  out.push(
    `Before each timed run the harness waits until the machine's CPUs are mostly idle (other processes under 20% of all cores), so that a test suite or a checkpoint running beside it is not measured; this run waited ${formatMs(report.quiet.waitedMs)} in all, and ${report.quiet.noisyRuns} run${report.quiet.noisyRuns === 1 ? '' : 's'} went ahead after ${formatMs(report.quiet.maxWaitMs)} without quiet.`,
    '',
  )
  if (options.smoke) {
    out.push(
      '**Smoke run**: tiny sizes and one run, to check the harness; the numbers mean nothing.',
      '',
    )
  }
  out.push('## Machine and versions', '', '| | |', '| --- | --- |')
  out.push(`| CPU | ${env.cpu}, ${env.cores} cores |`, `| memory | ${env.memoryGiB} GiB |`)
  out.push(`| OS | ${env.os} |`, `| PostgreSQL | ${env.postgres} (127.0.0.1, default settings) |`)
  out.push(`| Node.js | ${env.node} |`, `| Python | ${env.python} |`)
  for (const [tool, version] of Object.entries(env.tools)) out.push(`| ${tool} | ${version} |`)
  out.push('')

  const targets = report.scenarios.flatMap((s) =>
    'kept' in s ? s.targetRows : s.targets.map(targetLine),
  )
  if (targets.length > 0) {
    out.push(
      '## Targets',
      '',
      '| scenario | target | measured | met |',
      '| --- | --- | --- | --- |',
    )
    out.push(...targets, '')
  }

  for (const s of report.scenarios) out.push(...('kept' in s ? s.lines : scenarioSection(s)))

  out.push(
    '## How each tool is driven',
    '',
    '| tool | transactions | what runs |',
    '| --- | --- | --- |',
  )
  for (const t of report.tools) out.push(`| ${t.name} | ${t.layout ?? '—'} | ${t.driven} |`)
  out.push('')
  const analysis = join(BENCH, 'analysis.md')
  if (!options.smoke && existsSync(analysis)) out.push(readFileSync(analysis, 'utf8').trim(), '')
  write(options.out, out.join('\n'))
  // The report is committed, and the repository's linter formats Markdown tables: write it the
  // way the formatter would, so `npm run lint` stays clean after a run. Best effort.
  spawnSync(
    process.execPath,
    [binScript('@biomejs/biome', 'biome'), 'format', '--write', options.out],
    {
      cwd: REPO,
      stdio: 'ignore',
    },
  )
}

function scenarioSection(s: ScenarioReport): string[] {
  const out = [`## ${s.id}: ${s.title}`, '']
  if (s.measuredAt !== undefined && s.elapsedMs !== undefined) {
    out.push(`Measured ${s.measuredAt}, in ${formatMs(s.elapsedMs)}.`, '')
  }
  for (const paragraph of s.about) out.push(paragraph, '')
  const footnotes: string[] = []
  const show = (cell: Cell | undefined): string => {
    if (cell === undefined) return '—'
    if (cell.kind === 'times') return formatSummary(summarize(cell.times))
    // A tool that cannot run one case usually cannot run the next for the same reason: one note.
    const note = cell.reason.replaceAll('|', '\\|').replaceAll('\n', ' ')
    if (!footnotes.includes(note)) footnotes.push(note)
    return `${cell.kind === 'failed' ? 'failed' : 'n/a'} [${footnotes.indexOf(note) + 1}]`
  }
  out.push(`| tool | ${s.cases.join(' | ')} |`, `| --- |${' ---: |'.repeat(s.cases.length)}`)
  for (const row of s.rows) {
    const name = row.role === 'subject' ? `**${row.tool}**` : row.tool
    out.push(`| ${name} | ${s.cases.map((c) => show(row.cells[c])).join(' | ')} |`)
  }
  out.push('')
  const aludel = s.rows.find((r) => r.tool === 'aludel')
  const others = s.rows.filter((r) => r.role !== 'subject')
  if (aludel !== undefined && others.length > 0) {
    out.push(
      `Ratio aludel ÷ tool (median over median):`,
      '',
      `| tool | ${s.cases.join(' | ')} |`,
      `| --- |${' ---: |'.repeat(s.cases.length)}`,
    )
    for (const row of others) {
      const ratios = s.cases.map((c) => {
        const mine = medianOf(aludel.cells[c])
        const theirs = medianOf(row.cells[c])
        return mine === undefined || theirs === undefined ? '—' : `${(mine / theirs).toFixed(2)}×`
      })
      out.push(`| ${row.tool} | ${ratios.join(' | ')} |`)
    }
    out.push('')
  }
  if (footnotes.length > 0) {
    out.push(...footnotes.map((f, i) => `[${i + 1}] ${f}  `), '')
  }
  if (s.targets.length > 0) {
    out.push('| target | measured | met |', '| --- | --- | --- |')
    for (const t of s.targets) out.push(targetLine(t).replace(/^\| [^|]+ /, ''))
    out.push('')
  }
  for (const note of s.notes) out.push(note, '')
  return out
}

function targetLine(t: TargetResult): string {
  const met = t.met === undefined ? 'not judged' : t.met ? 'met' : '**missed**'
  return `| ${t.scenario} | ${t.target} | ${t.measured} | ${met} |`
}
