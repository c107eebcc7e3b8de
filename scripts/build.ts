/**
 * Builds `dist/`: declarations with tsc, code with rolldown, into a fresh folder that then takes
 * the place of the old one — so a process importing aludel during a build sees the old build or
 * the new one, never a half-written or missing one.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const next = join(repo, 'dist.next')
const old = join(repo, 'dist.old')
const run = (tool: string, args: readonly string[]) =>
  execFileSync(process.execPath, [join(repo, tool), ...args], { cwd: repo, stdio: 'inherit' })

rmSync(next, { recursive: true, force: true })
run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json', '--outDir', next])
run('node_modules/rolldown/bin/cli.mjs', [
  '-c',
  'rolldown.config.mjs',
  '--dir',
  next,
  '--log-level',
  'warn',
])
rmSync(old, { recursive: true, force: true })
if (existsSync(join(repo, 'dist'))) renameSync(join(repo, 'dist'), old)
renameSync(next, join(repo, 'dist'))
rmSync(old, { recursive: true, force: true })
