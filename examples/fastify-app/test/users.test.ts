import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { call, createUser, type UserBody, uniqueEmail } from './support/http.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

for (const backend of backends()) {
  const title = `users API on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase
    let t: TestApp

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
      t = await startTestApp(database.url)
    })
    afterAll(async () => {
      await t?.close()
      await database?.drop()
    })

    describe('POST /users', () => {
      it('creates a user: 201, a Location header, the public fields only', async () => {
        const email = uniqueEmail('Ada')
        const response = await call(t.app, 'POST', '/users', {
          email,
          password: 'correct horse battery',
          first_name: 'Ada',
          last_name: 'Lovelace',
        })
        expect(response.statusCode).toBe(201)
        const user = response.json<UserBody>()
        expect(response.headers.location).toBe(`/users/${user.id}`)
        expect(user).toEqual({
          id: expect.any(Number),
          email: email.toLowerCase(),
          first_name: 'Ada',
          last_name: 'Lovelace',
          is_active: true,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          last_login_at: null,
        })
        expect(Object.keys(user).sort()).toEqual([
          'created_at',
          'email',
          'first_name',
          'id',
          'is_active',
          'last_login_at',
          'last_name',
        ])
      })

      it('accepts a one-word name: last_name is optional', async () => {
        const user = await createUser(t.app, { first_name: 'Cher', last_name: undefined })
        expect(user.last_name).toBeNull()
      })

      it('answers 409 for an email already registered, whatever its case', async () => {
        const email = uniqueEmail('taken')
        await createUser(t.app, { email })
        const response = await call(t.app, 'POST', '/users', {
          email: email.toUpperCase(),
          password: 'another password',
          first_name: 'Other',
        })
        expect(response.statusCode).toBe(409)
        expect(response.json()).toEqual({
          statusCode: 409,
          error: 'Conflict',
          message: 'a user with this email already exists',
        })
      })

      it.each([
        ['a missing field', { password: 'long enough', first_name: 'A' }, '/email', 'is required'],
        [
          'a malformed email',
          { email: 'not-an-email', password: 'long enough', first_name: 'A' },
          '/email',
          "must match format 'email'",
        ],
        [
          'a short password',
          { email: 'short@example.com', password: 'short', first_name: 'A' },
          '/password',
          'must NOT have fewer than 8 characters',
        ],
        [
          'an unknown property',
          {
            emial: 'typo@example.com',
            email: 'x@example.com',
            password: 'long enough',
            first_name: 'A',
          },
          '/emial',
          'is not a known property',
        ],
        [
          'an empty first name',
          { email: 'empty@example.com', password: 'long enough', first_name: '' },
          '/first_name',
          'must NOT have fewer than 1 characters',
        ],
      ])('answers 422 for %s, naming the field', async (_case, body, path, message) => {
        const response = await call(t.app, 'POST', '/users', body)
        expect(response.statusCode).toBe(422)
        expect(response.json()).toEqual({
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: `body${path} ${message}`,
          details: [{ location: 'body', path, message }],
        })
      })

      it('answers 400, not 422, for a body that is not JSON at all', async () => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/users',
          headers: { 'content-type': 'application/json' },
          payload: '{"email": ',
        })
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' })
      })
    })

    describe('GET /users and /users/:id', () => {
      it('returns one user: 200', async () => {
        const created = await createUser(t.app)
        const response = await call(t.app, 'GET', `/users/${created.id}`)
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual(created)
      })

      it('lists users oldest first, a page at a time: 200', async () => {
        const a = await createUser(t.app)
        const b = await createUser(t.app)
        const response = await call(t.app, 'GET', '/users?limit=100')
        expect(response.statusCode).toBe(200)
        const ids = response.json<UserBody[]>().map((u) => u.id)
        expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id))
        const page = await call(t.app, 'GET', `/users?limit=1&offset=${ids.indexOf(b.id)}`)
        expect(page.json<UserBody[]>()).toEqual([b])
      })

      it('answers 404 for a user that does not exist', async () => {
        const response = await call(t.app, 'GET', '/users/2147483647')
        expect(response.statusCode).toBe(404)
        expect(response.json()).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'user 2147483647 does not exist',
        })
      })

      it.each([
        ['/users/abc', 'params', '/id'],
        ['/users/0', 'params', '/id'],
        ['/users?limit=1000', 'querystring', '/limit'],
        ['/users?sort=name', 'querystring', '/sort'],
      ])('answers 422 for %s', async (url, location, path) => {
        const response = await call(t.app, 'GET', url)
        expect(response.statusCode).toBe(422)
        expect(response.json().details).toEqual([{ location, path, message: expect.any(String) }])
      })
    })

    describe('PATCH /users/:id', () => {
      it('changes the given fields only: 200', async () => {
        const user = await createUser(t.app)
        const response = await call(t.app, 'PATCH', `/users/${user.id}`, {
          first_name: 'Augusta Ada',
          is_active: false,
        })
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual({ ...user, first_name: 'Augusta Ada', is_active: false })
      })

      it('can clear the last name with null', async () => {
        const user = await createUser(t.app)
        const response = await call(t.app, 'PATCH', `/users/${user.id}`, { last_name: null })
        expect(response.json<UserBody>().last_name).toBeNull()
      })

      it('changes the password: the old one stops working, the new one works', async () => {
        const user = await createUser(t.app, { password: 'first password' })
        const patched = await call(t.app, 'PATCH', `/users/${user.id}`, {
          password: 'second password',
        })
        expect(patched.statusCode).toBe(200)
        const login = (password: string) =>
          call(t.app, 'POST', '/login', { email: user.email, password })
        expect((await login('first password')).statusCode).toBe(401)
        expect((await login('second password')).statusCode).toBe(200)
      })

      it('answers 409 when the new email belongs to someone else', async () => {
        const a = await createUser(t.app)
        const b = await createUser(t.app)
        const response = await call(t.app, 'PATCH', `/users/${b.id}`, { email: a.email })
        expect(response.statusCode).toBe(409)
      })

      it('answers 404 for a user that does not exist', async () => {
        const response = await call(t.app, 'PATCH', '/users/2147483647', { first_name: 'X' })
        expect(response.statusCode).toBe(404)
      })

      it.each([
        ['an empty body', {}, '', 'must NOT have fewer than 1 properties'],
        ['a wrong type', { is_active: 'maybe' }, '/is_active', 'must be boolean'],
      ])('answers 422 for %s', async (_case, body, path, message) => {
        const user = await createUser(t.app)
        const response = await call(t.app, 'PATCH', `/users/${user.id}`, body)
        expect(response.statusCode).toBe(422)
        expect(response.json().details).toEqual([{ location: 'body', path, message }])
      })
    })

    describe('DELETE /users/:id', () => {
      it('deletes: 204 with no body, then 404', async () => {
        const user = await createUser(t.app)
        const response = await call(t.app, 'DELETE', `/users/${user.id}`)
        expect(response.statusCode).toBe(204)
        expect(response.body).toBe('')
        expect((await call(t.app, 'GET', `/users/${user.id}`)).statusCode).toBe(404)
        expect((await call(t.app, 'DELETE', `/users/${user.id}`)).statusCode).toBe(404)
      })
    })

    describe('POST /login', () => {
      it('accepts the right password and records last_login_at: 200', async () => {
        const user = await createUser(t.app, { password: 'open sesame!' })
        const response = await call(t.app, 'POST', '/login', {
          email: user.email.toUpperCase(),
          password: 'open sesame!',
        })
        expect(response.statusCode).toBe(200)
        const body = response.json<UserBody>()
        expect(body.id).toBe(user.id)
        expect(Date.parse(body.last_login_at ?? '')).toBeGreaterThanOrEqual(
          Date.parse(user.created_at),
        )
      })

      it('answers 401 alike for a wrong password, an unknown email and an inactive user', async () => {
        const active = await createUser(t.app, { password: 'open sesame!' })
        const inactive = await createUser(t.app, { password: 'open sesame!' })
        await call(t.app, 'PATCH', `/users/${inactive.id}`, { is_active: false })
        for (const body of [
          { email: active.email, password: 'open sesame?' },
          { email: uniqueEmail('nobody'), password: 'open sesame!' },
          { email: inactive.email, password: 'open sesame!' },
        ]) {
          const response = await call(t.app, 'POST', '/login', body)
          expect(response.statusCode).toBe(401)
          expect(response.json()).toEqual({
            statusCode: 401,
            error: 'Unauthorized',
            message: 'wrong email or password',
          })
        }
      })
    })
  })
}
