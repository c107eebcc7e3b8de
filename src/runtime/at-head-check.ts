import type { Dialect } from '../dialect/dialect.ts'
import type { FolderSummary } from '../script/script-cache.ts'
import { sessionName } from './migration-runner.ts'
import type { RuntimeSettings } from './runtime-settings.ts'
import { VersionStore } from './version-store.ts'

/**
 * Whether the database is exactly at the folder's heads with every applied file unchanged — the
 * answer to almost every deploy's `upgrade head` — in one session and one query, without the
 * migration lock and without building the revision graph.
 *
 * Skipping the lock is safe because the answer only ever leads to doing nothing: a database that a
 * concurrent runner is still migrating is not at head yet, so the caller falls back to the full,
 * locked path.
 *
 * @returns the heads when the database is at them, else undefined (the caller takes the full path)
 */
export async function checkAtHeads(
  dialect: Dialect,
  settings: RuntimeSettings,
  summary: Pick<FolderSummary, 'heads' | 'checksumDigest'>,
): Promise<readonly string[] | undefined> {
  const store = new VersionStore(dialect, settings.names)
  const connection = await dialect.driver.connect(sessionName('upgrade'))
  try {
    const state = await store.summary(connection)
    if (state === undefined) return undefined
    const expected = [...summary.heads].sort(byCodeUnit)
    if (state.heads.join(',') !== expected.join(',')) return undefined
    if (settings.checksums !== 'off' && state.digest !== summary.checksumDigest) return undefined
    return state.heads
  } finally {
    await connection.close({ untouched: true })
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
