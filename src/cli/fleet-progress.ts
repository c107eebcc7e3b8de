import type { TargetOutcome } from '../commands/fleet.ts'
import type { RunEvent } from '../runtime/run-events.ts'
import { duration } from './format.ts'
import type { Terminal } from './terminal.ts'

/** What a fleet run reports as it goes; see {@link fleetProgress}. */
export interface FleetProgress {
  start(target: string): void
  event(target: string, event: RunEvent): void
  done(outcome: TargetOutcome, line: string): void
  /** Clears the live lines; the summary follows. */
  finish(): void
}

/** How often the live lines are redrawn at most, so that 250 targets do not flood a terminal. */
const REDRAW_MS = 100
const BAR_WIDTH = 30

/**
 * Progress of a run on `total` targets. Without a terminal (CI logs), one line per finished
 * target. On a terminal, a live block below the finished failures: one line per running target
 * (what it is doing, for how long) and a bar with the counts and the time left, estimated from the
 * pace so far; the block is redrawn in place with ANSI cursor movement.
 */
export function fleetProgress(terminal: Terminal, total: number): FleetProgress {
  if (!terminal.isTTY) {
    return {
      start: () => {},
      event: () => {},
      done: (_, line) => terminal.out(`${line}\n`),
      finish: () => {},
    }
  }
  const started = performance.now()
  const running = new Map<string, { since: number; doing: string }>()
  const counts = { ok: 0, failed: 0, skipped: 0 }
  let drawn = 0
  let last = 0
  const clear = () => {
    // Up to the block's first line, then erase to the end of the screen.
    if (drawn > 0) terminal.out(`\x1b[${drawn}F\x1b[0J`)
    drawn = 0
  }
  const draw = (force = false) => {
    const now = performance.now()
    if (!force && now - last < REDRAW_MS) return
    last = now
    clear()
    const lines = [...running].map(
      ([target, r]) => `  ${target}  ${r.doing}  ${duration(now - r.since)}`,
    )
    lines.push(barLine(counts, total, now - started))
    terminal.out(`${lines.join('\n')}\n`)
    drawn = lines.length
  }
  const timer = setInterval(() => draw(), 500)
  timer.unref()
  return {
    start(target) {
      running.set(target, { since: performance.now(), doing: 'connecting' })
      draw()
    },
    event(target, event) {
      const r = running.get(target)
      if (r === undefined) return
      if (event.type === 'lock-wait') r.doing = 'waiting for the migration lock'
      else if (event.type === 'step-start') {
        r.doing = `${event.step.direction === 'upgrade' ? 'applying' : 'undoing'} ${event.step.revision}`
      } else if (event.type === 'lock-retry') r.doing = 'waiting for a table lock'
      draw()
    },
    done(outcome, line) {
      running.delete(outcome.target)
      counts[outcome.result]++
      if (outcome.result !== 'ok') {
        // Failures stay on screen above the live block; the summary lists every target.
        clear()
        terminal.out(`${line}\n`)
      }
      draw(true)
    },
    finish() {
      clearInterval(timer)
      clear()
    },
  }
}

/** `[#####.....] 120/251 · 2 failed · 0 skipped · about 12 s left`. */
function barLine(
  counts: { readonly ok: number; readonly failed: number; readonly skipped: number },
  total: number,
  elapsedMs: number,
): string {
  const finished = counts.ok + counts.failed + counts.skipped
  const filled = total === 0 ? BAR_WIDTH : Math.round((finished / total) * BAR_WIDTH)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`
  const left =
    finished === 0 || finished === total
      ? ''
      : ` · about ${duration((elapsedMs / finished) * (total - finished))} left`
  return `${bar} ${finished}/${total} · ${counts.failed} failed · ${counts.skipped} skipped${left}`
}
