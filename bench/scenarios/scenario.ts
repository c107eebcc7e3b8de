/** A benchmark scenario, and the helpers the scenarios share. */
import type { BenchOptions } from '../lib/options.ts'
import type { ScenarioReport } from '../lib/results.ts'
import { type Cell, medianOf, type Row, type TargetResult } from '../lib/results.ts'
import { formatMs } from '../lib/stats.ts'

export interface Scenario {
  readonly id: string
  readonly title: string
  run(options: BenchOptions): Promise<ScenarioReport>
}

/** `1000` → `1,000`. */
export const count = (n: number) => n.toLocaleString('en-US')

/**
 * The target "aludel's median is at most `fraction` of the fastest peer's" for one case; not
 * judged when aludel or every peer has no time.
 */
export function fractionOfFastestPeer(
  scenario: string,
  rows: readonly Row[],
  subject: string,
  caseLabel: string,
  fraction: number,
  target: string,
): TargetResult {
  const mine = medianOf(rows.find((r) => r.tool === subject)?.cells[caseLabel])
  const fastest = fastestPeer(rows, caseLabel)
  if (mine === undefined || fastest === undefined) {
    return { scenario, target, measured: 'not measured', met: undefined }
  }
  return {
    scenario,
    target,
    measured: `${formatMs(mine)} vs ${fastest.tool} ${formatMs(fastest.median)} (${(mine / fastest.median).toFixed(2)}×)`,
    met: mine <= fraction * fastest.median,
  }
}

/** The peer with the lowest median in the case `caseLabel`, if any was measured. */
export function fastestPeer(
  rows: readonly Row[],
  caseLabel: string,
): { readonly tool: string; readonly median: number } | undefined {
  return rows
    .filter((r) => r.role === 'peer')
    .map((r) => ({ tool: r.tool, median: medianOf(r.cells[caseLabel]) }))
    .filter((p): p is { tool: string; median: number } => p.median !== undefined)
    .sort((a, b) => a.median - b.median)[0]
}

/** The target "`a` / `b` at most (or under) `limit`" between two cells. */
export function ratioTarget(
  scenario: string,
  target: string,
  a: { label: string; cell: Cell | undefined },
  b: { label: string; cell: Cell | undefined },
  limit: number,
  strict = false,
): TargetResult {
  const x = medianOf(a.cell)
  const y = medianOf(b.cell)
  if (x === undefined || y === undefined) {
    return { scenario, target, measured: 'not measured', met: undefined }
  }
  const ratio = x / y
  return {
    scenario,
    target,
    measured: `${a.label} ${formatMs(x)} / ${b.label} ${formatMs(y)} = ${ratio.toFixed(2)}×`,
    met: strict ? ratio < limit : ratio <= limit,
  }
}

/**
 * The targets of applying or reverting migrations (S2, S3): aludel within `limit` of the psql
 * floor of its own transaction layout, in both layouts, and ahead of every peer.
 */
export function floorAndPeerTargets(
  scenario: string,
  rows: readonly Row[],
  caseLabel: string,
  floors: { readonly perMigration: string; readonly oneTransaction: string },
  limit: number,
): TargetResult[] {
  const cell = (tool: string) => ({
    label: tool.startsWith('psql') ? 'floor' : 'aludel',
    cell: rows.find((r) => r.tool === tool)?.cells[caseLabel],
  })
  return [
    ratioTarget(
      scenario,
      `aludel within ${limit}× of the psql floor, one transaction per migration`,
      cell('aludel'),
      cell(floors.perMigration),
      limit,
    ),
    ratioTarget(
      scenario,
      `aludel (one transaction) within ${limit}× of the psql floor, one transaction`,
      cell('aludel (one transaction)'),
      cell(floors.oneTransaction),
      limit,
    ),
    fractionOfFastestPeer(scenario, rows, 'aludel', caseLabel, 1, 'aludel ahead of every peer'),
    fractionOfFastestPeer(
      scenario,
      rows,
      'aludel (one transaction)',
      caseLabel,
      1,
      'aludel (one transaction) ahead of every peer',
    ),
  ]
}

/** The target "under `limitMs`" for one cell. */
export function underTarget(
  scenario: string,
  target: string,
  cell: Cell | undefined,
  limitMs: number,
): TargetResult {
  const x = medianOf(cell)
  if (x === undefined) return { scenario, target, measured: 'not measured', met: undefined }
  return { scenario, target, measured: formatMs(x), met: x < limitMs }
}

/** In a smoke run the sizes are too small for the targets to mean anything. */
export function judged(options: BenchOptions, targets: TargetResult[]): TargetResult[] {
  return options.smoke
    ? targets.map((t) => ({
        ...t,
        met: undefined,
        measured: `${t.measured} (smoke sizes: not judged)`,
      }))
    : targets
}
