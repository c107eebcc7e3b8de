#!/usr/bin/env node
// The `aludel` command. Migrations and configs are TypeScript, loaded through Node's own type
// stripping; Node versions that have it behind a flag get a re-run with the flag.
import { spawnSync } from 'node:child_process'
import module from 'node:module'
import { fileURLToPath } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `error: aludel needs Node.js 22.12 or newer to load TypeScript migrations; this is Node.js ${process.versions.node}\n`,
  )
  process.exit(2)
}

if (process.features.typescript) {
  // V8's code cache for aludel's own modules and, above all, for the TypeScript config and
  // migrations: with it, Node skips loading its type stripper on every run (about 40 ms).
  module.enableCompileCache?.()
  const { runCli, reportUnfinished } = await import('../dist/cli/main.js')
  // The command is not awaited at the top level: if a migration awaits a promise that nothing can
  // resolve, the event loop runs empty and the process exits, and that must be reported as the
  // failure it is (exit status 1), not pass for success.
  let settled = false
  process.on('exit', () => {
    if (settled) return
    reportUnfinished()
    process.exitCode = 1
  })
  runCli(process.argv.slice(2), undefined, {
    beforeEmbeddedDatabase: restartForWebAssembly(),
  }).then((code) => {
    settled = true
    process.exitCode = code
  })
} else {
  // Node 22.12-22.17 without type stripping on by default: the same program again with the flag.
  const result = spawnSync(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  )
  process.exitCode = result.status ?? 1
}

/**
 * PGlite is PostgreSQL compiled to WebAssembly. V8 first compiles it quickly (Liftoff), then
 * recompiles its hottest functions with its optimizing compiler in the background, and a process
 * cannot exit before that work ends: about 2 s after every PGlite command had printed its
 * result. A command is far too short to gain from optimized code, so a command that will open a
 * PGlite database replaces this process (same pid, so signals still reach it) with one started
 * with `--liftoff-only`. Where Node cannot replace a process (Windows, Node < 22.15) the command
 * runs as it is, only slower to exit.
 */
function restartForWebAssembly() {
  if (typeof process.execve !== 'function' || process.execArgv.includes('--liftoff-only')) {
    return undefined
  }
  return () => {
    process.execve(process.execPath, [
      process.execPath,
      '--liftoff-only',
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ])
  }
}
