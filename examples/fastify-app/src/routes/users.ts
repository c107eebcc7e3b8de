import type { FastifyPluginAsync } from 'fastify'
import type { Kysely, Updateable } from 'kysely'
import type { Queries } from '../db/database.ts'
import { type ConstraintRef, isUniqueViolation } from '../db/errors.ts'
import type { Database } from '../db/schema.ts'
import { HttpError } from '../http-errors.ts'
import { hashPassword, type ScryptCost } from '../passwords.ts'
import {
  errorResponses,
  type IdParams,
  idParams,
  type PageQuery,
  pageQuery,
  ref,
} from './schemas.ts'

/**
 * The columns a user response is built from. Every response is read by {@link selectUser} (or
 * the list query), selecting exactly these, never `*`: the response schema would drop
 * hashed_password anyway, but a hash that is never read cannot leak through a log line or a
 * future code path either.
 */
export const USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'is_active',
  'created_at',
  'last_login_at',
] as const

const email = {
  type: 'string',
  format: 'email',
  maxLength: 255,
  examples: ['ada@example.com'],
} as const
// NIST SP 800-63B: at least 8 characters, and allow long passphrases; the upper bound keeps a
// single request from making the server hash megabytes.
const password = {
  type: 'string',
  minLength: 8,
  maxLength: 128,
  examples: ['correct horse battery staple'],
} as const
const firstName = { type: 'string', minLength: 1, maxLength: 100, examples: ['Ada'] } as const
const lastName = {
  type: ['string', 'null'],
  minLength: 1,
  maxLength: 100,
  examples: ['Lovelace'],
} as const

interface CreateUserBody {
  email: string
  password: string
  first_name: string
  last_name?: string | null
}

interface UpdateUserBody {
  email?: string
  password?: string
  first_name?: string
  last_name?: string | null
  is_active?: boolean
}

/** A user as the API shows it, or undefined when there is none with this id. */
export function selectUser(db: Kysely<Database>, id: number) {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export interface UserRoutesOptions extends Queries {
  readonly passwordCost?: ScryptCost
}

/**
 * CRUD for users: POST /users, GET /users, GET/PATCH/DELETE /users/:id.
 *
 * A write is followed by a read of the row (rather than `RETURNING`, which MySQL lacks), so every
 * response comes from {@link selectUser} and looks the same on every engine.
 */
export const userRoutes: FastifyPluginAsync<UserRoutesOptions> = async (app, options) => {
  const { db, insertId, passwordCost } = options

  app.post<{ Body: CreateUserBody }>(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password', 'first_name'],
          properties: { email, password, first_name: firstName, last_name: lastName },
        },
        response: {
          201: { description: 'Created; Location names the new user', ...ref('User') },
          409: { description: 'The email is already registered', ...ref('Error') },
          422: errorResponses[422],
        },
      },
    },
    async (request, reply) => {
      const { body } = request
      const hashed = await hashPassword(body.password, passwordCost)
      let id: number
      try {
        id = await insertId(
          db.insertInto('users').values({
            email: normalizeEmail(body.email),
            hashed_password: hashed,
            first_name: body.first_name,
            last_name: body.last_name ?? null,
          }),
        )
      } catch (error) {
        throw emailTaken(error) ?? error
      }
      const user = (await selectUser(db, id)) ?? userNotFound(id)
      return reply.code(201).header('location', `/users/${id}`).send(user)
    },
  )

  app.get<{ Querystring: PageQuery }>(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users, oldest first',
        querystring: { type: 'object', additionalProperties: false, properties: pageQuery },
        response: {
          200: { type: 'array', items: ref('User') },
          422: errorResponses[422],
        },
      },
    },
    async (request) =>
      db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .orderBy('id')
        .limit(request.query.limit)
        .offset(request.query.offset)
        .execute(),
  )

  app.get<{ Params: IdParams }>(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Get one user',
        params: idParams,
        response: { 200: ref('User'), ...errorResponses },
      },
    },
    async (request) => (await selectUser(db, request.params.id)) ?? userNotFound(request.params.id),
  )

  app.patch<{ Params: IdParams; Body: UpdateUserBody }>(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change some of a user’s fields',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            email,
            password,
            first_name: firstName,
            last_name: lastName,
            is_active: { type: 'boolean' },
          },
        },
        response: {
          200: ref('User'),
          409: { description: 'The email is already registered', ...ref('Error') },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { body } = request
      const changes: Updateable<Database['users']> = {
        first_name: body.first_name,
        last_name: body.last_name,
        is_active: body.is_active,
      }
      if (body.email !== undefined) changes.email = normalizeEmail(body.email)
      if (body.password !== undefined) {
        changes.hashed_password = await hashPassword(body.password, passwordCost)
      }
      try {
        await db.updateTable('users').set(changes).where('id', '=', request.params.id).execute()
      } catch (error) {
        throw emailTaken(error) ?? error
      }
      return (await selectUser(db, request.params.id)) ?? userNotFound(request.params.id)
    },
  )

  app.delete<{ Params: IdParams }>(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Delete a user and their items',
        params: idParams,
        response: { 204: { description: 'Deleted', type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      // items.owner_id is ON DELETE CASCADE: the user's items go in the same statement.
      const result = await db
        .deleteFrom('users')
        .where('id', '=', request.params.id)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) userNotFound(request.params.id)
      return reply.code(204).send()
    },
  )
}

/**
 * Addresses are compared case-insensitively, as mail providers treat them, so Ada@Example.com
 * and ada@example.com cannot become two accounts.
 */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase()
}

function userNotFound(id: number): never {
  throw new HttpError(404, `user ${id} does not exist`)
}

/**
 * users.email's unique constraint: the name the first migration gave it, which PostgreSQL and
 * MySQL report; SQLite reports the columns instead.
 */
const EMAIL_UNIQUE: ConstraintRef = {
  name: 'uq_users_email',
  columns: { table: 'users', names: ['email'] },
}

/** The 409 for a duplicate email, when that is what the database refused. */
function emailTaken(error: unknown): HttpError | undefined {
  return isUniqueViolation(error, EMAIL_UNIQUE)
    ? new HttpError(409, 'a user with this email already exists')
    : undefined
}
