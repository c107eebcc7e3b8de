/** Where things are: the repository, the bench package, its work folder, the tools' entry points. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** The aludel repository root. */
export const REPO = resolve(import.meta.dirname, '..', '..')
/** The bench package. */
export const BENCH = join(REPO, 'bench')
/** Scratch space for generated projects (gitignored). */
export const WORK = join(BENCH, '.work')
/** The copy of aludel the benchmark runs (see `snapshotAludel`). */
export const ALUDEL_SNAPSHOT = join(WORK, 'aludel')

/** The installed version of an npm package (hoisted to the repository's node_modules). */
export function packageVersion(name: string): string {
  return packageJson(name).version as string
}

/** The script behind a package's bin, run with this Node the way `node_modules/.bin/x` runs it. */
export function binScript(name: string, bin: string = name): string {
  const manifest = packageJson(name)
  const bins = manifest.bin as string | Record<string, string>
  const relative = typeof bins === 'string' ? bins : bins[bin]
  if (relative === undefined) throw new Error(`${name} has no bin named ${bin}`)
  return join(REPO, 'node_modules', name, relative)
}

function packageJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8'))
}

/** Empties (or creates) `dir` and returns it. */
export function emptyDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Writes `text` to `file`, creating its folder. */
export function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * Marks a generated project as an ES module package, as a TypeScript service's package.json
 * would, so `.js` and `.ts` files are loaded as ESM without Node's syntax detection.
 */
export function writeModulePackage(dir: string): void {
  write(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`)
}
