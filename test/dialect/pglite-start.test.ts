import { chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { emptyClusterCache } from '../../src/dialect/postgres/pglite-empty-cluster.ts'

/** Opens `folder` as aludel does, runs `sql`, closes it; the first row. */
async function queryFolder(folder: string, sql: string): Promise<Record<string, unknown>> {
  const dialect = await openDialect(`pglite:${folder}`, '/')
  try {
    const connection = await dialect.driver.connect('test')
    const { rows } = await connection.query<Record<string, unknown>>(sql)
    await connection.close()
    return rows[0]!
  } finally {
    await dialect.driver.close()
  }
}

const systemId = (folder: string) =>
  queryFolder(folder, 'SELECT system_identifier::text AS id FROM pg_control_system()').then((row) =>
    String(row.id),
  )

describe('how aludel starts a PGlite database', () => {
  let work: string
  let savedTmp: string | undefined
  const caches = () => readdirSync(work).filter((n) => n.startsWith('aludel-pglite-cluster-'))

  // A temporary directory of its own, where the cache of empty clusters lives; the tests share it
  // (each initdb takes seconds) and run in order.
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'aludel-pglite-start-'))
    savedTmp = process.env.TMPDIR
    process.env.TMPDIR = work
  })
  afterAll(() => {
    process.env.TMPDIR = savedTmp
    rmSync(work, { recursive: true, force: true })
  })

  it('with a small buffer pool, which PostgreSQL zeroes at every start', async () => {
    const row = await queryFolder(
      join(work, 'db'),
      "SELECT current_setting('shared_buffers') AS buffers, current_setting('max_connections') AS slots",
    )
    expect(row).toEqual({ buffers: '8MB', slots: '5' })
  })

  it('a new folder is a copy of one cached empty cluster, not a new initdb', async () => {
    const first = await systemId(join(work, 'a'))
    expect(caches()).toHaveLength(1)
    expect(await systemId(join(work, 'db'))).toBe(first)
    // initdb gives every cluster its own identifier; copies share the cached one's.
    expect(await systemId(join(work, 'b'))).toBe(first)
    // A folder that holds a database already is opened as it is.
    expect(await systemId(join(work, 'a'))).toBe(first)
  })

  it('a damaged cache is thrown away, and the folder gets a cluster of its own', async () => {
    const first = await systemId(join(work, 'a'))
    const [cache] = caches()
    // What a cleaner of old temporary files may leave: the marker, without the control file.
    rmSync(join(work, cache!, 'global', 'pg_control'))
    expect(existsSync(join(work, cache!, 'PG_VERSION'))).toBe(true)
    const fresh = await systemId(join(work, 'c'))
    expect(fresh).not.toBe(first)
    // Thrown away; the next new folder makes a new one.
    expect(caches()).toEqual([])
  })

  it.skipIf(process.getuid?.() !== 0)(
    'a cache another user owns is not used (run as root to give it away)',
    async () => {
      // A cache as initdb leaves one, without running it again: the suite's template.
      const cache = emptyClusterCache(import.meta.resolve('@electric-sql/pglite'))
      cpSync(inject('pgliteTemplate'), cache, { recursive: true })
      const first = await systemId(join(work, 'd'))
      expect(await systemId(join(work, 'e'))).toBe(first)
      chownSync(cache, 12345, 12345)
      expect(await systemId(join(work, 'f'))).not.toBe(first)
    },
  )
})
