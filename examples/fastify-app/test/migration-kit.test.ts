import { testMigrations } from 'aludel'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { configFor } from './support/test-app.ts'

/** The six revisions of the story (migrations.test.ts walks them one by one). */
const REVISIONS = 6

/**
 * The stairway runs dozens of DDL statements. On MySQL each commits and syncs on its own, and a
 * server busy with other DDL work (other test suites) can take a minute where it alone takes
 * seconds: a long limit keeps this test about correctness, not the server's load.
 */
const TIMEOUT_MS = 180_000

/**
 * `aludel test` on every engine: aludel's migration test kit, on the test's own empty database
 * (what `aludel test` does on a scratch database it creates beside the configured one). A file
 * of its own so that vitest can run it beside the story's walk.
 */
for (const backend of backends()) {
  const title = `aludel test on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
    })
    afterAll(async () => {
      await database?.drop()
    })

    it(
      'the migration test kit passes: one head, lint, base → head, models, stairway',
      async () => {
        const config = await configFor(database.url)
        const result = await testMigrations(config, { scratchUrl: database.url })
        expect(result.checks.filter((check) => !check.ok)).toEqual([])
        expect(result.ok).toBe(true)
        // single head, lint, base → head, models match, and a stairway step per revision
        expect(result.checks).toHaveLength(4 + REVISIONS)
      },
      TIMEOUT_MS,
    )
  })
}
