import type { ResolvedLockRetry } from '../config/resolved-config.ts'

/**
 * The pause before try `attempt + 1` after try `attempt` (1-based) hit its lock timeout:
 * exponential (`initialDelay` doubled each time, capped at `maxDelay`) with "equal jitter" — half
 * fixed, half random — so that two runners, or a runner and the application's own retries, do not
 * keep colliding in step.
 */
export function retryDelay(
  attempt: number,
  retry: ResolvedLockRetry,
  random: () => number = Math.random,
): number {
  const full = Math.min(retry.maxDelay, retry.initialDelay * 2 ** Math.max(0, attempt - 1))
  return Math.round(full / 2 + random() * (full / 2))
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
