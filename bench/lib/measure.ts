/**
 * The measuring loop: warm-up runs, then timed runs, each a whole process, with untimed
 * preparation before and validation after every run (fresh database, tables counted).
 */
import { type Command, CommandError, runTimed } from './command.ts'
import { waitForQuiet } from './quiet.ts'
import type { Cell } from './results.ts'
import { formatMs, summarize } from './stats.ts'

export interface MeasureOptions {
  readonly warmups: number
  readonly runs: number
  /** Untimed, before every run (warm-ups included): e.g. a fresh database. */
  readonly before?: () => Promise<void> | void
  /** Untimed, after every run: throws if the run did not do its job. */
  readonly after?: () => Promise<void> | void
  /** Printed in the progress line. */
  readonly label: string
}

/** Times `command`; a failing tool becomes a `failed` cell and the benchmark goes on. */
export async function measure(command: Command, options: MeasureOptions): Promise<Cell> {
  const times: number[] = []
  try {
    for (let i = 0; i < options.warmups + options.runs; i++) {
      await options.before?.()
      await waitForQuiet()
      const { ms } = runTimed(command)
      await options.after?.()
      if (i >= options.warmups) times.push(ms)
    }
  } catch (error) {
    const reason = error instanceof CommandError ? error.message : String(error)
    log(`${options.label}: FAILED ${reason}`)
    return { kind: 'failed', reason: reason.slice(0, 300) }
  }
  const s = summarize(times)
  log(`${options.label}: ${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)})`)
  return { kind: 'times', times }
}

/** Runs untimed set-up commands in order; throws CommandError on the first failure. */
export function runSetup(commands: readonly Command[], label: string): void {
  const start = performance.now()
  for (const command of commands) runTimed(command)
  log(`${label}: set-up took ${formatMs(performance.now() - start)}`)
}

/** A progress line on stderr, with the time of day, so a long run can be followed. */
export function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`)
}

/** One command of an interleaved measurement, under its progress label. */
export interface Contender {
  readonly label: string
  readonly command: Command
  /** Untimed, before each of its runs (e.g. a fresh database); a throw drops it out. */
  readonly before?: () => Promise<void> | void
  /** Untimed, after each of its runs: throws if the run did not do its job. */
  readonly after?: () => Promise<void> | void
}

/**
 * Times several commands round-robin — warm-up round(s), then each timed round runs every
 * command once — so that a disturbance on the machine lands on every tool alike rather than on
 * whichever tool was being measured at the time. A failing command drops out with its reason.
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  options: { readonly warmups: number; readonly runs: number },
): Promise<Map<string, Cell>> {
  const times = new Map<string, number[]>(contenders.map((c) => [c.label, []]))
  const failed = new Map<string, Cell>()
  for (let round = 0; round < options.warmups + options.runs; round++) {
    for (const { label, command, before, after } of contenders) {
      if (failed.has(label)) continue
      try {
        await before?.()
        await waitForQuiet()
        const { ms } = runTimed(command)
        await after?.()
        if (round >= options.warmups) times.get(label)!.push(ms)
      } catch (error) {
        const reason = error instanceof CommandError ? error.message : String(error)
        log(`${label}: FAILED ${reason}`)
        failed.set(label, { kind: 'failed', reason: reason.slice(0, 300) })
      }
    }
  }
  const cells = new Map<string, Cell>()
  for (const { label } of contenders) {
    const cell = failed.get(label) ?? { kind: 'times', times: times.get(label)! }
    if (cell.kind === 'times') {
      const s = summarize(cell.times)
      log(`${label}: ${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)})`)
    }
    cells.set(label, cell)
  }
  return cells
}
