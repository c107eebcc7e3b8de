import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { call, uniqueEmail } from './support/http.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

/**
 * The password hash must never leave the server. Rather than trusting each route, this drives
 * every route (successes and failures) and then searches every response body the app sent for
 * every hash in the database, and for any part of one.
 */
for (const backend of backends()) {
  const title = `password hashes never leak, on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase
    let t: TestApp
    const responses: { status: number; body: unknown }[] = []

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
      t = await startTestApp(database.url)
      // Sees the serialized payload of every response, errors included.
      t.app.addHook('onSend', async (_request, reply, payload) => {
        responses.push({ status: reply.statusCode, body: payload })
        return payload
      })
    })
    afterAll(async () => {
      await t?.close()
      await database?.drop()
    })

    it('no response body contains a hash, a salt or a key', async () => {
      const email = uniqueEmail('leak')
      const password = 'leak test password'
      const created = await call(t.app, 'POST', '/users', {
        email,
        password,
        first_name: 'Leak',
        last_name: 'Test',
      })
      expect(created.statusCode).toBe(201)
      const id = created.json<{ id: number }>().id
      const other = await call(t.app, 'POST', '/users', {
        email: uniqueEmail('leak'),
        password,
        first_name: 'Other',
      })
      const otherId = other.json<{ id: number }>().id
      const item = await call(t.app, 'POST', '/items', { title: 'thing', owner_id: id })
      const itemId = item.json<{ id: number }>().id

      const requests: [Parameters<typeof call>[1], string, unknown?][] = [
        ['GET', '/users'],
        ['GET', `/users/${id}`],
        ['PATCH', `/users/${id}`, { first_name: 'Leaky' }],
        ['PATCH', `/users/${id}`, { password: 'a brand new password' }],
        ['PATCH', `/users/${otherId}`, { email }], // 409
        ['POST', '/users', { email, password, first_name: 'Dup' }], // 409
        ['POST', '/users', { email: 'x@example.com', password: 'short', first_name: 'A' }], // 422
        ['POST', '/login', { email, password: 'a brand new password' }],
        ['POST', '/login', { email, password: 'wrong password' }], // 401
        ['GET', '/items'],
        ['GET', `/items/${itemId}`],
        ['PATCH', `/items/${itemId}`, { title: 'renamed' }],
        ['GET', '/health'],
        ['GET', '/docs/json'],
        ['DELETE', `/items/${itemId}`],
        ['DELETE', `/users/${otherId}`],
      ]
      for (const [method, url, body] of requests) await call(t.app, method, url, body)

      const hashes = (
        await t.database.db.selectFrom('users').select('hashed_password').execute()
      ).map((row) => row.hashed_password)
      expect(hashes.length).toBeGreaterThan(0)
      const secrets = hashes.flatMap((hash) => [hash, ...hash.split('$').slice(3)])
      expect(responses).toHaveLength(requests.length + 3)
      // Every response but the 204s has a serialized body to search.
      const bodies = responses.filter((r) => r.status !== 204).map((r) => r.body)
      expect(bodies.every((body) => typeof body === 'string' && body.length > 0)).toBe(true)
      for (const body of bodies as string[]) {
        for (const secret of secrets) expect(body).not.toContain(secret)
        expect(body).not.toContain('$scrypt$')
        expect(body).not.toContain(password)
      }
    })

    it('the published User schema has no password or hash property', async () => {
      const openapi = (await call(t.app, 'GET', '/docs/json')).json<{
        components: { schemas: Record<string, { properties: Record<string, unknown> }> }
      }>()
      const properties = Object.keys(openapi.components.schemas.User?.properties ?? {})
      expect(properties).toContain('email')
      expect(properties.filter((p) => /pass|hash/i.test(p))).toEqual([])
    })
  })
}
