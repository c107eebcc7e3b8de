import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { cp, mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Starts a PGlite backend on a folder and shuts it down: enough to create a cluster there. */
export type CreateCluster = (folder: string) => Promise<void>

/**
 * Fills a new, empty PGlite folder with an empty cluster copied from a cache, instead of letting
 * PGlite run initdb there: initdb in WebAssembly takes seconds, a copy takes a tenth of that. It
 * matters for every fresh folder: a new project's first command, and each scratch database of
 * `aludel test`. The cache is made once per PGlite build and user, in the temporary directory, from
 * a cluster created and cleanly shut down by PGlite itself, so a copy is exactly what initdb
 * would have left. The cache can make a start faster, never different: one owned by another user
 * is not used, a failed copy leaves the folder empty for PGlite's own initdb, and a cluster that
 * does not start (a temporary-files cleaner may have removed part of the cache) is thrown away
 * with the cache by the caller through `discard`.
 *
 * @returns undefined when the folder was left as it was
 */
export async function seedEmptyFolder(
  folder: string,
  pgliteEntry: string,
  createCluster: CreateCluster,
): Promise<{ discard(): Promise<void> } | undefined> {
  // A folder with anything in it (a database, or files PGlite would refuse) is left as it is.
  if ((await readdir(folder)).length > 0) return undefined
  try {
    const cluster = await cachedCluster(pgliteEntry, createCluster)
    if (cluster === undefined) return undefined
    await cp(cluster, folder, { recursive: true })
    return {
      discard: async () => {
        await rm(cluster, { recursive: true, force: true })
        await emptyFolder(folder)
      },
    }
  } catch {
    // A partial copy would not start; an empty folder gets initdb.
    await emptyFolder(folder)
    return undefined
  }
}

/** Where the empty cluster for this PGlite build and user is kept. */
export function emptyClusterCache(pgliteEntry: string): string {
  return join(tmpdir(), `aludel-pglite-cluster-${userId()}-${buildKey(pgliteEntry)}`)
}

async function cachedCluster(
  pgliteEntry: string,
  createCluster: CreateCluster,
): Promise<string | undefined> {
  const cache = emptyClusterCache(pgliteEntry)
  if (existsSync(join(cache, 'PG_VERSION'))) return ownedByUs(cache) ? cache : undefined
  const work = await mkdtemp(join(tmpdir(), 'aludel-pglite-cluster-'))
  try {
    const fresh = join(work, 'cluster')
    await createCluster(fresh)
    // Atomic: a concurrent process either finds the whole cache or none of it; when two make one,
    // the second rename fails and its copy is thrown away.
    await rename(fresh, cache).catch(() => undefined)
    return ownedByUs(cache) ? cache : undefined
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** Identifies the PGlite build: a cluster made by one build may not start on another. */
function buildKey(pgliteEntry: string): string {
  const file = pgliteEntry.startsWith('file:') ? fileURLToPath(pgliteEntry) : pgliteEntry
  const { size, mtimeMs } = statSync(file)
  return createHash('sha256').update(`${file}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16)
}

/** The temporary directory may be shared: only a cache this user made is used. */
function ownedByUs(path: string): boolean {
  const uid = process.getuid?.()
  return uid === undefined || statSync(path).uid === uid
}

function userId(): string {
  return String(process.getuid?.() ?? 'user')
}

async function emptyFolder(folder: string): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [])) {
    await rm(join(folder, entry), { recursive: true, force: true })
  }
}
