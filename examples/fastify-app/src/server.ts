/**
 * Starts the service: `node src/server.ts` (or `npm start`).
 *
 * It never migrates the database itself. Migrating is a deploy step (`npx aludel upgrade head`)
 * that runs once, under aludel's lock, before new instances start; an application that
 * migrated on start-up would race its own replicas and couple every restart to a schema change.
 * Instead it refuses to serve unless the database is exactly at the head of the migrations it
 * ships with.
 */
import { assertAtHead } from 'aludel'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'
import { type AppDatabase, openDatabase } from './db/database.ts'
import { revisionStatusCheck } from './db/revision-status.ts'
import { loadSettings } from './settings.ts'

async function main(): Promise<void> {
  const settings = await loadSettings()
  let app: FastifyInstance | undefined
  const database: AppDatabase = await openDatabase(settings.database, {
    onIdleError: (error) => app?.log.warn({ err: error }, 'idle database connection lost'),
  })
  // Through the application's own session where aludel can borrow it: with PGlite, the folder
  // is already this process's.
  try {
    await assertAtHead(settings.aludel, { connection: database.aludelSession })
  } catch (error) {
    await database.close()
    throw error
  }
  app = await buildApp({
    database,
    revisionStatus: revisionStatusCheck(settings.aludel, database),
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  })
  const running = app

  // Orchestrators stop containers with SIGTERM: finish the requests in flight, then close the
  // pool, so no transaction is cut off halfway.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.log.info({ signal }, 'shutting down')
      void running
        .close()
        .then(() => database.close())
        .then(
          () => process.exit(0),
          (error: unknown) => fail('shutdown failed', error),
        )
    })
  }

  try {
    await running.listen({ host: settings.host, port: settings.port })
  } catch (error) {
    await database.close()
    throw error
  }
}

/**
 * One line on stderr and exit status 1: what a deploy script or an orchestrator shows the
 * operator. aludel's messages already say what to do (and never contain a URL's password).
 */
function fail(what: string, error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error)
  process.stderr.write(`fastify-app: ${what}: ${reason.replace(/\s*\n\s*/g, ' ')}\n`)
  process.exit(1)
}

main().catch((error: unknown) => fail('refusing to start', error))
