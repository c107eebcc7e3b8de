/**
 * Waiting for a quiet machine. The benchmark shares a 2-core machine with whatever else runs
 * there (a test suite, PostgreSQL's own checkpoints and autovacuum); a timed run that overlaps
 * with them measures them. Before each timed run the harness samples /proc/stat and waits until
 * the CPUs are mostly idle, up to a limit, then runs anyway and counts the run as noisy.
 */
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** Busy share of all CPUs above which the machine is not quiet. */
const BUSY_LIMIT = 0.2
/** Longest wait for quiet before a run goes ahead anyway; see {@link setQuietWait}. */
let maxWaitMs = 180_000

let noisyRuns = 0
let waitedMs = 0

/** Sets the longest wait for quiet (the smoke run, whose numbers mean nothing, waits little). */
export function setQuietWait(ms: number): void {
  maxWaitMs = ms
}

/** Runs that went ahead on a busy machine, and the total time spent waiting, for the report. */
export function quietStats(): {
  readonly noisyRuns: number
  readonly waitedMs: number
  readonly maxWaitMs: number
} {
  return { noisyRuns, waitedMs, maxWaitMs }
}

/** Resolves once the CPUs have been mostly idle for a sample window (or the limit passed). */
export async function waitForQuiet(): Promise<void> {
  if (!canSample()) return
  const start = performance.now()
  let quietSamples = 0
  while (performance.now() - start < maxWaitMs) {
    // Two quiet samples in a row: a test suite between two files is briefly idle.
    quietSamples = (await busyShare(300)) < BUSY_LIMIT ? quietSamples + 1 : 0
    if (quietSamples === 2) {
      waitedMs += performance.now() - start
      return
    }
    if (quietSamples === 0) await sleep(500)
  }
  waitedMs += performance.now() - start
  noisyRuns++
}

function canSample(): boolean {
  try {
    readFileSync('/proc/stat')
    return true
  } catch {
    return false
  }
}

/**
 * Share of CPU time not idle across all CPUs over `ms`. Time waiting for I/O counts as busy: it
 * is someone's disk traffic (another database's checkpoint), which slows our queries' commits.
 */
async function busyShare(ms: number): Promise<number> {
  const a = cpuTimes()
  await sleep(ms)
  const b = cpuTimes()
  const total = b.total - a.total
  return total <= 0 ? 0 : 1 - (b.idle - a.idle) / total
}

function cpuTimes(): { total: number; idle: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  const fields = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal
  const idle = fields[3] ?? 0
  return { total: fields.slice(0, 8).reduce((x, y) => x + y, 0), idle }
}
