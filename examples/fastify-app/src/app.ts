import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Queries } from './db/database.ts'
import type { RevisionStatusCheck } from './db/revision-status.ts'
import { errorHandler } from './http-errors.ts'
import type { ScryptCost } from './passwords.ts'
import { authRoutes } from './routes/auth.ts'
import { healthRoutes } from './routes/health.ts'
import { itemRoutes } from './routes/items.ts'
import { SHARED_SCHEMAS } from './routes/schemas.ts'
import { userRoutes } from './routes/users.ts'

/** What the application is built from; tests pass their own database. */
export interface AppOptions {
  /** Kysely and `insertId` (an `AppDatabase` from `openDatabase`, whatever the engine). */
  readonly database: Queries
  /** Backs GET /health. */
  readonly revisionStatus: RevisionStatusCheck
  /** scrypt cost for new password hashes; tests lower it to run fast. */
  readonly passwordCost?: ScryptCost
  /** Fastify's logger option; off by default (server.ts turns it on). */
  readonly logger?: FastifyServerOptions['logger']
}

/**
 * Builds the Fastify application without listening, so tests can drive it with `app.inject()`
 * against a database of their choosing. The caller owns the database and closes it.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: {
      customOptions: {
        // Fastify's default silently drops unknown properties; a typo such as `emial` should be
        // a 422 that names it, not a request that half-works.
        removeAdditional: false,
      },
    },
  })
  app.setErrorHandler(errorHandler)

  // Registered before the routes: @fastify/swagger documents the routes added after it.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'aludel example: users and items',
        description:
          'A Fastify service whose schema is migrated by aludel. Errors are JSON; invalid requests get 422 with the offending fields.',
        version: '1.0.0',
      },
      tags: [
        {
          name: 'users',
          description: 'Accounts; passwords are stored only as salted scrypt hashes',
        },
        { name: 'items', description: 'Things users own' },
        { name: 'health', description: 'Readiness: database reachable and at head' },
      ],
    },
    // Shared schemas appear under their own names (User, Item, ...) instead of def-0, def-1.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  const { db, insertId } = options.database
  const passwords = options.passwordCost === undefined ? {} : { passwordCost: options.passwordCost }
  await app.register(userRoutes, { db, insertId, ...passwords })
  await app.register(authRoutes, { db, ...passwords })
  await app.register(itemRoutes, { db, insertId })
  await app.register(healthRoutes, { revisionStatus: options.revisionStatus })
  return app
}
