/** Summary statistics of a set of timed runs. */

/** Median, min and max of some run times, in milliseconds. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
}

/** Summarizes run times; the median of an even count is the mean of the middle two. */
export function summarize(times: readonly number[]): Summary {
  if (times.length === 0) throw new Error('no runs to summarize')
  const sorted = [...times].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

/** A duration as people read it: `87 ms`, `1.24 s`, `2 min 05 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 100_000) return `${(ms / 1000).toFixed(2)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}

/** `94 ms (91–99)` or `1.24 s (1.20–1.31)`: median, then min–max in the median's unit. */
export function formatSummary(s: Summary): string {
  if (s.max < 1000) return `${Math.round(s.median)} ms (${Math.round(s.min)}–${Math.round(s.max)})`
  if (s.median < 100_000) {
    const sec = (ms: number) => (ms / 1000).toFixed(2)
    return `${sec(s.median)} s (${sec(s.min)}–${sec(s.max)})`
  }
  return `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)})`
}
