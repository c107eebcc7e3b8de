import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AludelConfig } from '../../src/config/aludel-config.ts'

export const repoRoot = resolve(import.meta.dirname, '../..')
const bin = join(repoRoot, 'bin', 'aludel.js')

/** A migration written by a test. Bodies are TypeScript statements run with `op` in scope. */
export interface MigrationSpec {
  readonly revision: string
  readonly down?: string | readonly string[] | null
  readonly message?: string
  readonly branchLabels?: readonly string[]
  readonly dependsOn?: readonly string[]
  readonly transactional?: boolean
  readonly upgrade?: string
  readonly downgrade?: string
  /** More top-level code, e.g. `export const lockTimeout = '10s'`. */
  readonly extra?: string
}

/** Output of one `aludel` process. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** A throwaway project folder with an aludel.config.ts, as a user would have. */
export interface TestProject {
  readonly dir: string
  readonly migrationsDir: string
  /** The same configuration, for the programmatic API. */
  readonly config: AludelConfig
  writeMigration(spec: MigrationSpec): string
  /** Runs `aludel ARGS` in the project folder (or in `cwd`). DATABASE_URL is cleared unless given. */
  cli(args: readonly string[], env?: Record<string, string>, cwd?: string): Promise<CliRun>
  /** Starts `aludel ARGS` and returns at once, so that a test can watch it and kill it. */
  start(args: readonly string[], env?: Record<string, string>): RunningCli
}

/** An `aludel` process a test started. */
export interface RunningCli {
  readonly child: ChildProcess
  /** Output so far. */
  readonly output: { stdout: string; stderr: string }
  /** Settles when the process has exited; `code` is 128 + the signal number after a signal. */
  readonly done: Promise<CliRun & { readonly signal: NodeJS.Signals | null }>
}

/**
 * Creates a project folder whose `node_modules/aludel` points at this repository, so that
 * `import ... from 'aludel'` in its config and migrations resolves as in a real install.
 */
export function createProject(
  url: string | undefined,
  config: Partial<AludelConfig> = {},
): TestProject {
  const dir = mkdtempSync(join(tmpdir(), 'aludel-project-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(repoRoot, join(dir, 'node_modules', 'aludel'), 'dir')
  const migrationsDir = join(dir, 'migrations')
  mkdirSync(migrationsDir)
  const full: AludelConfig = { ...(url === undefined ? {} : { url }), ...config }
  writeFileSync(
    join(dir, 'aludel.config.ts'),
    `import { defineConfig } from 'aludel'\n\nexport default defineConfig(${JSON.stringify(full, null, 2)})\n`,
  )
  return {
    dir,
    migrationsDir,
    config: { ...full, root: dir },
    writeMigration(spec) {
      const file = join(
        migrationsDir,
        `${spec.revision}_${(spec.message ?? 'step').replace(/\W+/g, '_')}.ts`,
      )
      writeFileSync(file, migrationSource(spec))
      return file
    },
    start(args, env = {}) {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const output = { stdout: '', stderr: '' }
      child.stdout.on('data', (chunk: Buffer) => {
        output.stdout += chunk.toString()
      })
      child.stderr.on('data', (chunk: Buffer) => {
        output.stderr += chunk.toString()
      })
      const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve) => {
        child.on('close', (code, signal) => {
          resolve({ code: code ?? 128, signal, stdout: output.stdout, stderr: output.stderr })
        })
      })
      return { child, output, done }
    },
    cli(args, env = {}, cwd = dir) {
      return new Promise((done) => {
        execFile(
          process.execPath,
          [bin, ...args],
          { cwd, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
            done({ code, stdout, stderr })
          },
        )
      })
    },
  }
}

/** The text of a migration module for `spec`. */
export function migrationSource(spec: MigrationSpec): string {
  const down =
    spec.down === undefined || spec.down === null
      ? 'null'
      : typeof spec.down === 'string'
        ? `'${spec.down}'`
        : `[${spec.down.map((d) => `'${d}'`).join(', ')}]`
  return `/** ${spec.message ?? `step ${spec.revision}`} */
import type { Operations } from 'aludel'

export const revision = '${spec.revision}'
export const downRevision: string | readonly string[] | null = ${down}
export const branchLabels: readonly string[] = [${(spec.branchLabels ?? []).map((l) => `'${l}'`).join(', ')}]
export const dependsOn: readonly string[] = [${(spec.dependsOn ?? []).map((l) => `'${l}'`).join(', ')}]
export const transactional = ${spec.transactional ?? true}
${spec.extra === undefined ? '' : `${spec.extra}\n`}
export async function upgrade(op: Operations): Promise<void> {
  ${spec.upgrade ?? ''}
}

export async function downgrade(op: Operations): Promise<void> {
  ${spec.downgrade ?? ''}
}
`
}
