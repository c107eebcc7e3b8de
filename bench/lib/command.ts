/**
 * Whole-process commands: every measurement in the benchmark is one spawned process, timed from
 * before spawn to after exit, so start-up, module loading and connection set-up all count — what a
 * deploy or a start-up check pays.
 */
import { spawnSync } from 'node:child_process'

/** A process to run: program, arguments, folder and extra environment. */
export interface Command {
  readonly program: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly env?: Readonly<Record<string, string>>
  /** Text the output must contain for the run to count (a tool that exits 0 having done nothing). */
  readonly expectOutput?: RegExp
  /** Text the output must not contain (a `check` that reports differences). */
  readonly rejectOutput?: RegExp
}

/** The outcome of one timed run. */
export interface RunOutcome {
  readonly ms: number
  readonly stdout: string
  readonly stderr: string
}

/** A command that failed, timed out or printed something other than what was expected. */
export class CommandError extends Error {
  readonly command: Command
  constructor(message: string, command: Command, options?: ErrorOptions) {
    super(message, options)
    this.command = command
  }
}

/** Longest a single run may take before it is recorded as timed out (ms); a peer may be slow. */
export const RUN_TIMEOUT_MS = 15 * 60_000

/** Runs `command` to completion and returns its wall time; throws CommandError on failure. */
export function runTimed(command: Command, timeoutMs = RUN_TIMEOUT_MS): RunOutcome {
  const env = { ...process.env, ...command.env }
  const start = performance.now()
  const result = spawnSync(command.program, command.args, {
    cwd: command.cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    // Peers are chatty at 10,000 migrations (node-pg-migrate prints every statement).
    maxBuffer: 512 * 1024 * 1024,
  })
  const ms = performance.now() - start
  const shown = `${command.program.split('/').pop()} ${command.args.join(' ')}`
  if (result.error !== undefined) {
    const reason =
      (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : result.error.message
    throw new CommandError(`${shown}: ${reason}`, command, { cause: result.error })
  }
  const stdout = result.stdout ?? ''
  const stderr = result.stderr ?? ''
  if (result.status !== 0) {
    throw new CommandError(
      `${shown} exited with ${result.status ?? result.signal}: ${tail(stderr || stdout)}`,
      command,
    )
  }
  if (command.expectOutput !== undefined && !command.expectOutput.test(stdout + stderr)) {
    throw new CommandError(
      `${shown} did not print ${command.expectOutput}: ${tail(stdout + stderr)}`,
      command,
    )
  }
  if (command.rejectOutput?.test(stdout + stderr)) {
    throw new CommandError(
      `${shown} printed ${command.rejectOutput}: ${tail(stdout + stderr)}`,
      command,
    )
  }
  return { ms, stdout, stderr }
}

/**
 * A tool's output shortened for an error message: its first lines (where Node and Python print
 * the error itself) and its last lines (where the stack or the tool's summary ends).
 */
function tail(text: string): string {
  const lines = text.trim().split('\n')
  const shown = lines.length <= 8 ? lines : [...lines.slice(0, 4), '…', ...lines.slice(-4)]
  return shown.join(' | ').slice(0, 1500)
}
