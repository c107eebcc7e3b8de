/** A length of time as users write it: milliseconds as a number, or text such as `'10s'`. */
export type Duration = number | string

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
}

/**
 * Milliseconds of a {@link Duration}: a number is taken as milliseconds, text as a number with one
 * of PostgreSQL's units `ms`, `s`, `min`, `h` (manual, 20.1.1 "Parameter Names and Values"), e.g.
 * `'500ms'`, `'2s'`, `'1.5min'`; text without a unit is milliseconds, as PostgreSQL reads it for
 * `lock_timeout`.
 *
 * @returns undefined when the value is not a duration (the caller names the field in its error)
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(value)
  if (match === null) return undefined
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1))
}

/** A duration for messages: `850 ms`, `2 s`, `1.5 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) {
    const seconds = ms / 1000
    return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`
  }
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`
}
