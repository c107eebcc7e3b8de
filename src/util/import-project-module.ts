import { existsSync, readFileSync } from 'node:fs'
import module from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Imports one of the project's own modules — the config, a migration, the models — as the ES
 * module it is written as, whatever the `"type"` of the package around it.
 *
 * A project whose package.json says `"type": "commonjs"` (what `npm init` writes) makes Node read
 * every `.ts` and `.js` file in it as CommonJS, and `import`/`export` then fail to load. aludel's
 * files are ES modules by contract, so for the files it imports, and the project's TypeScript files
 * they import in turn (not packages under node_modules, not the package's CommonJS `.js` files), a
 * module hook tells Node to load them as ES modules.
 * Only files in such a package are touched, and the hook is installed only when one is met.
 */
export async function importProjectModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  if (inCommonJsPackage(file)) {
    installHook()
    if (!hookInstalled) throw new CommonJsPackageError(file)
    asModules.add(url)
  }
  return (await import(url)) as Record<string, unknown>
}

/**
 * The first line of an import failure's message, without the "imported from" that Node adds when
 * it names aludel's own module as the importer (a bundle file the user never wrote).
 */
export function importFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.replace(` imported from ${fileURLToPath(import.meta.url)}`, '')
}

/** A project file in a CommonJS package, where this Node.js cannot load it as an ES module. */
export class CommonJsPackageError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is in a package whose package.json says "type": "commonjs", and this Node.js (${process.versions.node}) cannot load it as the ES module it is; use Node.js 22.15 or newer, or rename the file to .mts`,
    )
  }
}

/** The URLs to load as ES modules: aludel's own imports and the project files they import. */
const asModules = new Set<string>()
let hookInstalled = false

function installHook(): void {
  // `registerHooks` (synchronous, in this thread) arrived in Node.js 22.15 and 23.5.
  const register = (module as { registerHooks?: (hooks: object) => unknown }).registerHooks
  if (hookInstalled || register === undefined) return
  register({
    resolve(
      specifier: string,
      context: { parentURL?: string },
      next: (s: string, c: object) => { url: string },
    ) {
      const resolved = next(specifier, context)
      if (
        context.parentURL !== undefined &&
        asModules.has(context.parentURL) &&
        isProjectSource(resolved.url)
      ) {
        asModules.add(resolved.url)
      }
      return resolved
    },
    load(url: string, context: { format?: string }, next: (u: string, c: object) => unknown) {
      if (asModules.has(url)) {
        if (context.format === 'commonjs-typescript') {
          return next(url, { ...context, format: 'module-typescript' })
        }
        if (context.format === 'commonjs') return next(url, { ...context, format: 'module' })
      }
      return next(url, context)
    },
  })
  hookInstalled = true
}

/**
 * A TypeScript file of the project's own (not a package's), imported by a file aludel loads. Only
 * TypeScript: a `.js` file it imports may well be a CommonJS module of the package, and stays one.
 */
function isProjectSource(url: string): boolean {
  return url.startsWith('file:') && !url.includes('/node_modules/') && url.endsWith('.ts')
}

/** Whether the nearest package.json above `file` says `"type": "commonjs"`, by folder, cached. */
function inCommonJsPackage(file: string): boolean {
  if (!/\.(ts|js)$/.test(file)) return false
  return nearestPackageType(dirname(file)) === 'commonjs'
}

const typeByFolder = new Map<string, string | undefined>()

/**
 * The `"type"` of the nearest package.json at or above `folder`: `'module'`, `'commonjs'`, `'none'`
 * when it has no "type" (Node then tells the format from the syntax), undefined when there is no
 * package.json at all. Cached by folder.
 */
export function nearestPackageType(folder: string): string | undefined {
  if (typeByFolder.has(folder)) return typeByFolder.get(folder)
  const manifest = join(folder, 'package.json')
  let type: string | undefined
  if (existsSync(manifest)) {
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }
      // Without "type", Node tells the format from the syntax, and ES modules load as they are.
      type = typeof parsed.type === 'string' ? parsed.type : 'none'
    } catch {
      // Node itself refuses a package.json it cannot parse, with its own message.
      type = undefined
    }
  } else {
    const parent = dirname(folder)
    type = parent === folder ? undefined : nearestPackageType(parent)
  }
  typeByFolder.set(folder, type)
  return type
}
