/**
 * JSON schemas shared by the routes. Fastify validates requests against them (ajv) and
 * serializes responses through them (fast-json-stringify), and @fastify/swagger publishes them
 * in the OpenAPI document at /docs. Serialization writes only the properties a response schema
 * lists, so a column that is not listed here — hashed_password — cannot reach a client even if a
 * query selected it by mistake.
 */

/** A user as the API shows it. There is deliberately no password or hash property. */
export const userSchema = {
  $id: 'User',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'first_name', 'last_name', 'is_active', 'created_at', 'last_login_at'],
  properties: {
    id: { type: 'integer', examples: [1] },
    email: { type: 'string', format: 'email', examples: ['ada@example.com'] },
    first_name: { type: 'string', examples: ['Ada'] },
    last_name: { type: ['string', 'null'], examples: ['Lovelace'] },
    is_active: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    last_login_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const

export const itemSchema = {
  $id: 'Item',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'description', 'owner_id', 'price_cents', 'created_at'],
  properties: {
    id: { type: 'integer', examples: [1] },
    title: { type: 'string', examples: ['Analytical Engine'] },
    description: { type: ['string', 'null'] },
    owner_id: { type: 'integer' },
    price_cents: { type: ['integer', 'null'], description: 'Price in cents; null when unpriced' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const

/** Every error response but 422: 400, 401, 404, 409, and the rare 500. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated' },
    error: { type: 'string', description: 'The status’s name, e.g. Conflict' },
    message: { type: 'string', description: 'What went wrong, for a person' },
  },
} as const

/** 422: the request did not match its schema; `details` says where and why. */
export const validationErrorSchema = {
  $id: 'ValidationError',
  type: 'object',
  required: ['statusCode', 'error', 'message', 'details'],
  properties: {
    statusCode: { type: 'integer', examples: [422] },
    error: { type: 'string', examples: ['Unprocessable Entity'] },
    message: { type: 'string', examples: ["body/email must match format 'email'"] },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['location', 'path', 'message'],
        properties: {
          location: { type: 'string', enum: ['body', 'params', 'querystring', 'headers'] },
          path: {
            type: 'string',
            description: 'JSON pointer into the location',
            examples: ['/email'],
          },
          message: { type: 'string', examples: ["must match format 'email'"] },
        },
      },
    },
  },
} as const

export const SHARED_SCHEMAS = [userSchema, itemSchema, errorSchema, validationErrorSchema]

/** `/users/:id`, `/items/:id`: ids are positive integers (PostgreSQL `integer`). */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
} as const

export interface IdParams {
  id: number
}

/** `?limit=&offset=` on list routes: bounded, so one request cannot read a whole table. */
export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const

export interface PageQuery {
  limit: number
  offset: number
}

export const ref = (id: string) => ({ $ref: `${id}#` }) as const

/** The error responses every route documents, besides its own. */
export const errorResponses = {
  404: { description: 'No such row', ...ref('Error') },
  422: { description: 'The request does not match its schema', ...ref('ValidationError') },
} as const
