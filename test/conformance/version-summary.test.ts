import { afterEach, describe, expect, it } from 'vitest'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { upgrade } from '../../src/index.ts'
import { VersionStore } from '../../src/runtime/version-store.ts'
import { checksumDigest } from '../../src/script/script-cache.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * The one-row answer to "already at head?" that a no-op `upgrade head` and `assertAtHead` read:
 * the heads, and an MD5 over the applied checksums that must equal the one aludel computes over
 * the files — over more than the 1,024 bytes MySQL's GROUP_CONCAT keeps by default.
 */
const HAS_SUMMARY: Record<ConformanceBackend, boolean> = {
  pglite: true,
  postgres: true,
  // SQLite has no md5(): its no-op upgrade reads the whole state, under the lock.
  sqlite: false,
  mariadb: true,
}

describe.each(conformanceBackends())('the version summary on $backend', ({ backend, skip }) => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it.skipIf(skip)('holds the heads and the digest of every applied checksum', async () => {
    db = await createConformanceDatabase(backend)
    const project = createProject(db.url)
    const ids = Array.from({ length: 40 }, (_, i) => `rev${String(i).padStart(4, '0')}`)
    ids.forEach((revision, i) => {
      project.writeMigration({ revision, down: i === 0 ? null : ids[i - 1]!, upgrade: '' })
    })
    await upgrade(project.config, 'head')
    const dialect = await openDialect(db.url, '/')
    const connection = await dialect.driver.connect('test')
    try {
      const store = new VersionStore(dialect, {
        schema: undefined,
        versionTable: 'aludel_version',
        ledgerTable: 'aludel_version_ledger',
        progressTable: 'aludel_version_progress',
        lockTable: 'aludel_version_lock',
      })
      const summary = await store.summary(connection)
      if (!HAS_SUMMARY[backend]) {
        expect(summary).toBeUndefined()
        return
      }
      const ledger = await db.query<{ revision: string; checksum: string }>(
        'SELECT revision, checksum FROM aludel_version_ledger',
      )
      expect(ledger).toHaveLength(40)
      expect(summary).toEqual({
        heads: ['rev0039'],
        digest: checksumDigest(ledger.map((row) => [row.revision, row.checksum] as const)),
      })
    } finally {
      await connection.close()
      await dialect.driver.close()
    }
  })
})
