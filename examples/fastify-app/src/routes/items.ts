import type { FastifyPluginAsync } from 'fastify'
import type { Kysely } from 'kysely'
import type { Queries } from '../db/database.ts'
import { type ConstraintRef, isForeignKeyViolation } from '../db/errors.ts'
import type { Database } from '../db/schema.ts'
import { HttpError, UnprocessableError } from '../http-errors.ts'
import {
  errorResponses,
  type IdParams,
  idParams,
  type PageQuery,
  pageQuery,
  ref,
} from './schemas.ts'

const ITEM_COLUMNS = [
  'id',
  'title',
  'description',
  'owner_id',
  'price_cents',
  'created_at',
] as const

const title = { type: 'string', minLength: 1, maxLength: 200 } as const
const description = { type: ['string', 'null'], maxLength: 10_000 } as const
const ownerId = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const
// The database checks price_cents >= 0 as well (ck_items_price_cents_not_negative); validating
// here first gives the client a 422 that names the field instead of a constraint error.
const priceCents = { type: ['integer', 'null'], minimum: 0, maximum: 2_147_483_647 } as const

interface CreateItemBody {
  title: string
  description?: string | null
  owner_id: number
  price_cents?: number | null
}

type UpdateItemBody = Partial<CreateItemBody>

interface ListItemsQuery extends PageQuery {
  owner_id?: number
}

export type ItemRoutesOptions = Queries

/** An item as the API shows it, or undefined when there is none with this id. */
function selectItem(db: Kysely<Database>, id: number) {
  return db.selectFrom('items').select(ITEM_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/**
 * CRUD for items: POST /items, GET /items, GET/PATCH/DELETE /items/:id. Like the users routes, a
 * write is followed by a read of the row ({@link selectItem}), since MySQL has no `RETURNING`.
 */
export const itemRoutes: FastifyPluginAsync<ItemRoutesOptions> = async (app, { db, insertId }) => {
  app.post<{ Body: CreateItemBody }>(
    '/items',
    {
      schema: {
        tags: ['items'],
        summary: 'Create an item',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'owner_id'],
          properties: { title, description, owner_id: ownerId, price_cents: priceCents },
        },
        response: {
          201: { description: 'Created; Location names the new item', ...ref('Item') },
          422: errorResponses[422],
        },
      },
    },
    async (request, reply) => {
      const { body } = request
      let id: number
      try {
        id = await insertId(
          db.insertInto('items').values({
            title: body.title,
            description: body.description ?? null,
            owner_id: body.owner_id,
            price_cents: body.price_cents ?? null,
          }),
        )
      } catch (error) {
        throw unknownOwner(error, body.owner_id) ?? error
      }
      const item = (await selectItem(db, id)) ?? itemNotFound(id)
      return reply.code(201).header('location', `/items/${id}`).send(item)
    },
  )

  app.get<{ Querystring: ListItemsQuery }>(
    '/items',
    {
      schema: {
        tags: ['items'],
        summary: 'List items, oldest first; ?owner_id= for one user’s',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { owner_id: ownerId, ...pageQuery },
        },
        response: { 200: { type: 'array', items: ref('Item') }, 422: errorResponses[422] },
      },
    },
    async (request) => {
      const { owner_id, limit, offset } = request.query
      let query = db.selectFrom('items').select(ITEM_COLUMNS)
      // Served by ix_items_owner_id, built CONCURRENTLY by migration 392e940e3c2e.
      if (owner_id !== undefined) query = query.where('owner_id', '=', owner_id)
      return query.orderBy('id').limit(limit).offset(offset).execute()
    },
  )

  app.get<{ Params: IdParams }>(
    '/items/:id',
    {
      schema: {
        tags: ['items'],
        summary: 'Get one item',
        params: idParams,
        response: { 200: ref('Item'), ...errorResponses },
      },
    },
    async (request) => (await selectItem(db, request.params.id)) ?? itemNotFound(request.params.id),
  )

  app.patch<{ Params: IdParams; Body: UpdateItemBody }>(
    '/items/:id',
    {
      schema: {
        tags: ['items'],
        summary: 'Change some of an item’s fields',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { title, description, owner_id: ownerId, price_cents: priceCents },
        },
        response: { 200: ref('Item'), ...errorResponses },
      },
    },
    async (request) => {
      const { body } = request
      try {
        await db
          .updateTable('items')
          .set({
            title: body.title,
            description: body.description,
            owner_id: body.owner_id,
            price_cents: body.price_cents,
          })
          .where('id', '=', request.params.id)
          .execute()
      } catch (error) {
        throw (body.owner_id !== undefined && unknownOwner(error, body.owner_id)) || error
      }
      return (await selectItem(db, request.params.id)) ?? itemNotFound(request.params.id)
    },
  )

  app.delete<{ Params: IdParams }>(
    '/items/:id',
    {
      schema: {
        tags: ['items'],
        summary: 'Delete an item',
        params: idParams,
        response: { 204: { description: 'Deleted', type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await db
        .deleteFrom('items')
        .where('id', '=', request.params.id)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) itemNotFound(request.params.id)
      return reply.code(204).send()
    },
  )
}

function itemNotFound(id: number): never {
  throw new HttpError(404, `item ${id} does not exist`)
}

/**
 * items.owner_id's foreign key, named by the first migration. SQLite does not say which key
 * failed; items has only this one, so on SQLite any foreign-key failure of an items write is it.
 */
const OWNER_KEY: ConstraintRef = { name: 'fk_items_owner_id_users' }

/** The 422 for an owner_id that names no user, when that is what the database refused. */
function unknownOwner(error: unknown, ownerId: number): UnprocessableError | undefined {
  return isForeignKeyViolation(error, OWNER_KEY)
    ? new UnprocessableError({
        location: 'body',
        path: '/owner_id',
        message: `is ${ownerId}, which is not a user`,
      })
    : undefined
}
