import { type ResolvedConfig, upgrade } from 'aludel'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type AppDatabase, openDatabase } from '../../src/db/database.ts'
import { revisionStatusCheck } from '../../src/db/revision-status.ts'
import type { ScryptCost } from '../../src/passwords.ts'
import { loadSettings } from '../../src/settings.ts'

/**
 * A cheap scrypt cost for tests, where hundreds of hashes at the production cost would take
 * minutes. The format and the verification are the same; test/passwords.test.ts checks the
 * production default on its own.
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 }

/** The application, built exactly as server.ts builds it, on a test database. */
export interface TestApp {
  readonly app: FastifyInstance
  readonly database: AppDatabase
  readonly config: ResolvedConfig
  close(): Promise<void>
}

/** aludel's config as the app and the CLI load it, pointed at `url`. */
export async function configFor(url: string): Promise<ResolvedConfig> {
  return (await loadSettings({ url })).aludel
}

/**
 * Migrates the database at `url` to `target` with aludel's programmatic API (the deploy step),
 * then opens it and builds the app over it.
 */
export async function startTestApp(url: string, target = 'head'): Promise<TestApp> {
  const settings = await loadSettings({ url })
  await upgrade(settings.aludel, target)
  return buildTestApp(url)
}

/** Builds the app over the database at `url` as it is, without migrating. */
export async function buildTestApp(url: string): Promise<TestApp> {
  const settings = await loadSettings({ url })
  const database = await openDatabase(settings.database)
  const app = await buildApp({
    database,
    revisionStatus: revisionStatusCheck(settings.aludel, database),
    passwordCost: TEST_PASSWORD_COST,
  })
  return {
    app,
    database,
    config: settings.aludel,
    async close() {
      await app.close()
      await database.close()
    },
  }
}
