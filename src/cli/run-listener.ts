import type { RunEventListener, StepInfo } from '../runtime/run-events.ts'
import { describeSession } from '../runtime/runtime-errors.ts'
import { formatDuration } from '../util/duration.ts'
import { duration, lockWaitLine, stepLine } from './format.ts'
import type { Terminal } from './terminal.ts'

/** What the process was doing for the command, for {@link unfinishedWork}. */
interface Work {
  /** Migration files whose import has not settled. */
  readonly importing: Set<string>
  step: StepInfo | undefined
}

let current: Work | undefined

/**
 * Prints a run's progress: lock waits, one line per step, lock retries with who blocks, warnings.
 * It also remembers what is in progress, so that {@link unfinishedWork} can tell what never
 * finished if the process runs out of work before the command settles.
 */
export function runListener(options: {
  readonly terminal: Terminal
  readonly quiet: boolean
  readonly json: boolean
}): RunEventListener {
  const { terminal, quiet, json } = options
  const work: Work = { importing: new Set(), step: undefined }
  current = work
  let openLine = false
  const breakLine = () => {
    if (openLine) terminal.out('\n')
    openLine = false
  }
  return (event) => {
    switch (event.type) {
      case 'lock-wait':
        if (!quiet) terminal.err(`${lockWaitLine(event.holder, event.timeoutMs)}\n`)
        break
      case 'lock-acquired':
        if (!quiet) terminal.err(`Got the migration lock after ${duration(event.waitedMs)}\n`)
        break
      case 'session-wait':
        if (!quiet) {
          terminal.err(
            `Waiting (up to ${formatDuration(event.timeoutMs)}) for ${event.sessions.map((s) => describeSession(s)).join('; ')}: left by an earlier run that died or lost its lock, it still works on the database ...\n`,
          )
        }
        break
      case 'import':
        if (event.done) work.importing.delete(event.file)
        else work.importing.add(event.file)
        break
      case 'step-start':
        work.step = event.step
        if (!quiet && !json) {
          terminal.out(`${stepLine(event.step)} ...`)
          openLine = true
        }
        break
      case 'step-end':
        work.step = undefined
        if (openLine) {
          terminal.out(` ${duration(event.durationMs)}\n`)
          openLine = false
        }
        break
      case 'lock-retry': {
        breakLine()
        if (quiet) break
        const who =
          event.blockers.length === 0
            ? ''
            : `; blocked by ${event.blockers.map((b) => describeSession(b)).join('; ')}`
        terminal.err(
          `warning: ${event.step.direction} ${event.step.revision} waited ${formatDuration(event.lockTimeoutMs)} for a lock and was rolled back (try ${event.attempt} of ${event.attempts})${who}; trying again in ${formatDuration(event.delayMs)}\n`,
        )
        break
      }
      case 'warning':
        breakLine()
        terminal.err(`warning: ${event.message}\n`)
        break
    }
  }
}

/**
 * What the last run was still doing, as one error line, when the process is about to exit before
 * the command settled: a migration (or its import) awaited a promise that nothing can resolve, so
 * Node's event loop ran empty. Undefined when nothing was in progress.
 */
export function unfinishedWork(): string | undefined {
  const work = current
  if (work === undefined) return undefined
  const never = 'waits for something that can never happen (a promise that nothing resolves)'
  const ending = 'the process is ending, which also releases the migration lock'
  if (work.importing.size > 0) {
    return `loading ${[...work.importing].join(', ')} never finished: its top-level code ${never}; nothing was applied; ${ending}`
  }
  const step = work.step
  if (step === undefined) return undefined
  const what = `${step.direction} ${step.revision} (${step.message || step.file})`
  const undone = step.transactional
    ? 'its transaction was not committed and is rolled back'
    : 'it ran outside a transaction: its statements that completed stay applied and recorded, and the next run resumes after them'
  return `${what} never finished: its ${step.direction}() ${never}; ${undone}; ${ending}`
}
