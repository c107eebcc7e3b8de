import { downgrade, upgrade } from 'aludel'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { call } from './support/http.ts'
import { buildTestApp, configFor, type TestApp } from './support/test-app.ts'

const HEAD = '4f781bf0ac9f'
const BRANCH_HEADS = ['17a70fc71df7', '335b7cdb5bff']

for (const backend of backends()) {
  const title = `GET /health on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase
    let t: TestApp | undefined

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
    })
    // The app is closed before aludel migrates: a PGlite folder is open in one place at a time.
    afterEach(async () => {
      await t?.close()
      t = undefined
    })
    afterAll(async () => {
      await database?.drop()
    })

    async function health() {
      t = await buildTestApp(database.url)
      const response = await call(t.app, 'GET', '/health')
      await t.close()
      t = undefined
      return { status: response.statusCode, body: response.json() }
    }

    it('at head: 200, with the revision', async () => {
      await upgrade(await configFor(database.url), 'head')
      expect(await health()).toEqual({
        status: 200,
        body: { status: 'ok', revisions: [HEAD], heads: [HEAD], at_head: true, pending: [] },
      })
    })

    it('behind (the merge not applied): 503, saying what is pending', async () => {
      // Undoes only the merge: both branch heads stay applied.
      await downgrade(await configFor(database.url), BRANCH_HEADS[0]!)
      expect(await health()).toEqual({
        status: 503,
        body: {
          status: 'not at head',
          revisions: BRANCH_HEADS,
          heads: [HEAD],
          at_head: false,
          pending: [HEAD],
        },
      })
    })

    it('at base: 503, with every migration pending', async () => {
      await downgrade(await configFor(database.url), 'base')
      const { status, body } = await health()
      expect(status).toBe(503)
      expect(body).toMatchObject({ status: 'not at head', revisions: [], at_head: false })
      expect(body.pending).toHaveLength(6)
    })

    it('at a revision this code does not know: 503', async () => {
      await upgrade(await configFor(database.url), 'head')
      await database.query(`UPDATE aludel_version SET version_num = 'ffffffffffff'`)
      const { status, body } = await health()
      expect(status).toBe(503)
      expect(body).toMatchObject({ revisions: ['ffffffffffff'], at_head: false })
    })

    it('with the database unreachable: 503, and no error text leaks', async () => {
      t = await buildTestApp(database.url)
      const app = await buildApp({
        database: t.database,
        revisionStatus: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:5432')),
      })
      const response = await call(app, 'GET', '/health')
      await app.close()
      expect(response.statusCode).toBe(503)
      expect(response.json()).toEqual({
        status: 'database unavailable',
        revisions: [],
        heads: [],
        at_head: false,
        pending: [],
      })
    })
  })
}
