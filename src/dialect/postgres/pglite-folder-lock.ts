import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ConnectionError } from '../dialect-errors.ts'

/** A held PGlite folder; `release()` lets another process open it. */
export interface PgliteFolderLock {
  release(): void
}

/**
 * Claims a PGlite data folder for this process. PGlite does not lock its folder, and two processes
 * that open it (the application and `aludel upgrade`, say) each see their own copy and write over
 * each other's files. The claim is a file holding the owner's pid; a claim whose process is gone
 * is stale and taken over. The same process may claim a folder more than once.
 *
 * @throws ConnectionError when another live process holds the folder
 */
export function lockPgliteFolder(folder: string): PgliteFolderLock {
  // Beside the folder, not in it: PGlite expects the folder to hold a data directory only.
  const path = join(dirname(folder), `.${basename(folder)}.aludel-lock`)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return { release: () => unlinkQuietly(path) }
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error
      const owner = Number(readQuietly(path))
      if (owner === process.pid) return { release: () => {} }
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new ConnectionError(
          `the PGlite folder ${folder} is in use by process ${owner} (your application, or another aludel command); a PGlite folder can be open in one process at a time — stop that process, or give your application's PGlite instance to aludel with { connection }`,
          'PGLITE_FOLDER_BUSY',
        )
      }
      // The owner is gone: the claim is stale.
      unlinkQuietly(path)
    }
  }
  throw new ConnectionError(
    `cannot claim the PGlite folder ${folder}; try again`,
    'PGLITE_FOLDER_BUSY',
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as { code?: string }).code === 'EPERM'
  }
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return ''
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}
