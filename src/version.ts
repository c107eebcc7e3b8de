import { readFileSync } from 'node:fs'

let cached: string | undefined

/**
 * aludel's own version, from its package.json: the first one named `aludel` above this module
 * (sources sit in `src/`, the bundle in `dist/` or `dist/cli/`).
 */
export function toolVersion(): string {
  if (cached === undefined) {
    cached = 'unknown'
    for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
      try {
        const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
          name?: string
          version?: string
        }
        if (pkg.name === 'aludel' && pkg.version !== undefined) {
          cached = pkg.version
          break
        }
      } catch {
        // Not there: look one level further up.
      }
    }
  }
  return cached
}
