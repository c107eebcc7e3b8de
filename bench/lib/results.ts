/** What a scenario hands to the report writer. */
import type { Role } from '../tools/tool.ts'

/** One cell of a scenario's table: run times, a failure, or why the tool has no such command. */
export type Cell =
  | { readonly kind: 'times'; readonly times: readonly number[] }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'n/a'; readonly reason: string }

/** One tool's line in a scenario's table, keyed by case (column) label. */
export interface Row {
  readonly tool: string
  readonly role: Role
  readonly cells: Readonly<Record<string, Cell>>
}

/** A target of the benchmark and whether this run met it. */
export interface TargetResult {
  readonly scenario: string
  readonly target: string
  /** What was measured against the target, e.g. `94 ms vs 225 ms (0.42×)`. */
  readonly measured: string
  /** Undefined when it could not be judged (a tool failed, or the smoke run's tiny sizes). */
  readonly met: boolean | undefined
}

export interface ScenarioReport {
  readonly id: string
  readonly title: string
  /** Markdown paragraphs: what is measured and how. */
  readonly about: readonly string[]
  /** Column labels, in order. */
  readonly cases: readonly string[]
  readonly rows: readonly Row[]
  readonly targets: readonly TargetResult[]
  /** Markdown paragraphs after the table (which tools were left out and why, ...). */
  readonly notes: readonly string[]
  /** Set by the runner: when the scenario ran and how long it took. */
  readonly measuredAt?: string
  readonly elapsedMs?: number
}

/** The median of a cell's runs, or undefined when it has none. */
export function medianOf(cell: Cell | undefined): number | undefined {
  if (cell?.kind !== 'times') return undefined
  const sorted = [...cell.times].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2
}
