import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Sends a request through Fastify's router without a socket (light-my-request). */
export function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) })
}

let counter = 0

/** An email address no other test in this process uses. */
export function uniqueEmail(name = 'user'): string {
  counter += 1
  return `${name}.${process.pid}.${counter}@example.com`
}

export interface UserBody {
  id: number
  email: string
  first_name: string
  last_name: string | null
  is_active: boolean
  created_at: string
  last_login_at: string | null
}

/** Creates a user through the API and returns the response body. */
export async function createUser(
  app: FastifyInstance,
  fields: Partial<{
    email: string
    password: string
    first_name: string
    last_name: string | null
  }> = {},
): Promise<UserBody> {
  const response = await call(app, 'POST', '/users', {
    email: uniqueEmail(),
    password: 'correct horse battery',
    first_name: 'Ada',
    last_name: 'Lovelace',
    ...fields,
  })
  if (response.statusCode !== 201)
    throw new Error(`POST /users: ${response.statusCode} ${response.body}`)
  return response.json<UserBody>()
}
