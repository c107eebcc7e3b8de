/**
 * The set-up step: what the benchmark needs beyond `npm install` — Debian's Alembic and psycopg2
 * (installed with apt when missing; without apt only Alembic is skipped, with the reason printed),
 * an up-to-date `dist/` for aludel's CLI, and no databases left over from an interrupted run.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { alembicUnavailable } from '../tools/alembic.ts'
import { log } from './measure.ts'
import { ALUDEL_SNAPSHOT, REPO, WORK } from './paths.ts'

/** Installs python3-alembic and python3-psycopg2 with apt if they are missing. */
export function ensureAlembic(): void {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import alembic, psycopg2'])
  if (probe.status === 0) return
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'])
  if (apt.status !== 0) {
    log('set-up: apt-get is not available; Alembic will be skipped')
    return
  }
  log('set-up: installing python3-alembic and python3-psycopg2 with apt')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const run = (args: readonly string[]) => {
    // Not root: sudo without a password prompt, or fail (CI runs as root).
    const [program, ...rest] = process.getuid?.() === 0 ? args : ['sudo', '-n', ...args]
    return spawnSync(program!, rest, { env, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  run(['apt-get', 'update', '-q'])
  const install = run([
    'apt-get',
    'install',
    '-y',
    '-q',
    '--no-install-recommends',
    'python3-alembic',
    'python3-psycopg2',
  ])
  if (install.status !== 0) log('set-up: apt-get install failed; Alembic will be skipped')
  const reason = alembicUnavailable()
  if (reason !== undefined) log(`set-up: ${reason}`)
}

/**
 * Rebuilds aludel's `dist/` when a source file is newer than it, with the repository's own build
 * (`scripts/build.ts`: the bundle by rolldown, the declarations by tsc, swapped in whole). tsc alone
 * would not do: since the bundle, it writes only declarations.
 */
export function ensureAludelBuilt(): void {
  const built = join(REPO, 'dist', 'index.js')
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    )
  if (existsSync(built) && newest(join(REPO, 'src')) <= statSync(built).mtimeMs) return
  log('set-up: building aludel (src/ is newer than dist/)')
  try {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.ts')], {
      cwd: REPO,
      stdio: 'inherit',
    })
  } catch {
    // A type error stops the build before the bundle is swapped in; dist/ is left as it was.
    if (!existsSync(built)) throw new Error('building aludel failed and there is no dist/')
    log('set-up: building aludel failed (see above); measuring the dist/ already there')
  }
}

/**
 * Copies the built aludel (bin/, dist/, package.json) into bench/.work/aludel and links it as
 * bench/.work/node_modules/aludel, where the generated projects' `import ... from 'aludel'`
 * finds it. The benchmark then measures one fixed build even while someone rebuilds `dist/` in
 * the repository (`npm test` does) during a run that lasts the better part of an hour.
 */
export function snapshotAludel(): void {
  rmSync(ALUDEL_SNAPSHOT, { recursive: true, force: true })
  for (const part of ['bin', 'dist', 'package.json']) {
    cpSync(join(REPO, part), join(ALUDEL_SNAPSHOT, part), { recursive: true })
  }
  const link = join(WORK, 'node_modules', 'aludel')
  rmSync(link, { recursive: true, force: true })
  mkdirSync(join(WORK, 'node_modules'), { recursive: true })
  symlinkSync('../aludel', link, 'dir')
}
