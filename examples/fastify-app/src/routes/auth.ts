import type { FastifyPluginAsync } from 'fastify'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema.ts'
import { HttpError } from '../http-errors.ts'
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost, verifyPassword } from '../passwords.ts'
import { errorResponses, ref } from './schemas.ts'
import { normalizeEmail, selectUser } from './users.ts'

interface LoginBody {
  email: string
  password: string
}

export interface AuthRoutesOptions {
  readonly db: Kysely<Database>
  readonly passwordCost?: ScryptCost
}

/**
 * POST /login: checks a password and records the time in users.last_login_at (the column the
 * login-tracking branch added). It issues no session or token; that is the next feature.
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, options) => {
  const { db } = options
  // Verified against when the email is unknown, so that a miss costs as much time as a wrong
  // password and response times do not reveal which addresses have accounts.
  const decoy = hashPassword('not anyone’s password', options.passwordCost ?? DEFAULT_SCRYPT_COST)

  app.post<{ Body: LoginBody }>(
    '/login',
    {
      schema: {
        tags: ['users'],
        summary: 'Check a user’s password',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password'],
          properties: {
            email: { type: 'string', format: 'email', maxLength: 255 },
            password: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
        response: {
          200: { description: 'The password is right', ...ref('User') },
          401: { description: 'Unknown email, wrong password or inactive user', ...ref('Error') },
          422: errorResponses[422],
        },
      },
    },
    async (request) => {
      const found = await db
        .selectFrom('users')
        .select(['id', 'hashed_password', 'is_active'])
        .where('email', '=', normalizeEmail(request.body.email))
        .executeTakeFirst()
      const matches = await verifyPassword(
        request.body.password,
        found?.hashed_password ?? (await decoy),
      )
      // One answer for every failure: which part was wrong is useful only to an attacker.
      if (found === undefined || !matches || !found.is_active) unauthorized()
      // The database's clock, as for created_at; CURRENT_TIMESTAMP is the same on every engine.
      await db
        .updateTable('users')
        .set({ last_login_at: sql<Date>`CURRENT_TIMESTAMP` })
        .where('id', '=', found.id)
        .execute()
      return (await selectUser(db, found.id)) ?? unauthorized()
    },
  )
}

function unauthorized(): never {
  throw new HttpError(401, 'wrong email or password')
}
