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
  runCli(process.argv.slice(2)).then((code) => {
    settled = true
    process.exitCode = code
  })
} else {
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
