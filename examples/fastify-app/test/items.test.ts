import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCheckViolation } from '../src/db/errors.ts'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { call, createUser } from './support/http.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

interface ItemBody {
  id: number
  title: string
  description: string | null
  owner_id: number
  price_cents: number | null
  created_at: string
}

for (const backend of backends()) {
  const title = `items API on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase
    let t: TestApp
    let ownerId: number

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
      t = await startTestApp(database.url)
      ownerId = (await createUser(t.app)).id
    })
    afterAll(async () => {
      await t?.close()
      await database?.drop()
    })

    async function createItem(fields: Partial<ItemBody> = {}): Promise<ItemBody> {
      const response = await call(t.app, 'POST', '/items', {
        title: 'Difference Engine',
        owner_id: ownerId,
        ...fields,
      })
      expect(response.statusCode).toBe(201)
      return response.json<ItemBody>()
    }

    it('POST /items creates an item: 201 with a Location header', async () => {
      const response = await call(t.app, 'POST', '/items', {
        title: 'Analytical Engine',
        description: 'Never finished',
        owner_id: ownerId,
        price_cents: 199_999,
      })
      expect(response.statusCode).toBe(201)
      const item = response.json<ItemBody>()
      expect(response.headers.location).toBe(`/items/${item.id}`)
      expect(item).toEqual({
        id: expect.any(Number),
        title: 'Analytical Engine',
        description: 'Never finished',
        owner_id: ownerId,
        price_cents: 199_999,
        created_at: expect.stringMatching(/^\d{4}-/),
      })
    })

    it('POST /items leaves description and price null when not given', async () => {
      const item = await createItem()
      expect(item).toMatchObject({ description: null, price_cents: null })
    })

    it.each([
      ['a missing title', { owner_id: 1 }, '/title'],
      ['an empty title', { title: '', owner_id: 1 }, '/title'],
      ['a negative price', { title: 'x', owner_id: 1, price_cents: -1 }, '/price_cents'],
      ['a fractional price', { title: 'x', owner_id: 1, price_cents: 1.5 }, '/price_cents'],
      ['an unknown property', { title: 'x', owner_id: 1, price: 3 }, '/price'],
    ])('POST /items answers 422 for %s', async (_case, body, path) => {
      const response = await call(t.app, 'POST', '/items', body)
      expect(response.statusCode).toBe(422)
      expect(response.json().details).toEqual([
        { location: 'body', path, message: expect.any(String) },
      ])
    })

    it('POST /items answers 422 when owner_id names no user (the foreign key says so)', async () => {
      const response = await call(t.app, 'POST', '/items', { title: 'x', owner_id: 2_000_000 })
      expect(response.statusCode).toBe(422)
      expect(response.json()).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'body/owner_id is 2000000, which is not a user',
        details: [
          { location: 'body', path: '/owner_id', message: 'is 2000000, which is not a user' },
        ],
      })
    })

    it('GET /items/:id returns the item: 200; a missing one: 404', async () => {
      const item = await createItem()
      const found = await call(t.app, 'GET', `/items/${item.id}`)
      expect(found.statusCode).toBe(200)
      expect(found.json()).toEqual(item)
      const missing = await call(t.app, 'GET', '/items/2147483647')
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toMatchObject({ message: 'item 2147483647 does not exist' })
    })

    it('GET /items?owner_id= lists one user’s items: 200', async () => {
      const other = await createUser(t.app)
      const mine = await createItem({ owner_id: other.id, title: 'mine' })
      const response = await call(t.app, 'GET', `/items?owner_id=${other.id}`)
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual([mine])
      expect((await call(t.app, 'GET', '/items?owner_id=abc')).statusCode).toBe(422)
    })

    it('PATCH /items/:id changes the given fields: 200; 404; 422', async () => {
      const item = await createItem({ price_cents: 100 })
      const response = await call(t.app, 'PATCH', `/items/${item.id}`, {
        title: 'Renamed',
        price_cents: null,
      })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ ...item, title: 'Renamed', price_cents: null })
      expect((await call(t.app, 'PATCH', '/items/2147483647', { title: 'x' })).statusCode).toBe(404)
      expect((await call(t.app, 'PATCH', `/items/${item.id}`, {})).statusCode).toBe(422)
      const badOwner = await call(t.app, 'PATCH', `/items/${item.id}`, { owner_id: 2_000_000 })
      expect(badOwner.statusCode).toBe(422)
      expect(badOwner.json().details[0].path).toBe('/owner_id')
    })

    it('DELETE /items/:id: 204 with no body, then 404', async () => {
      const item = await createItem()
      const response = await call(t.app, 'DELETE', `/items/${item.id}`)
      expect(response.statusCode).toBe(204)
      expect(response.body).toBe('')
      expect((await call(t.app, 'GET', `/items/${item.id}`)).statusCode).toBe(404)
      expect((await call(t.app, 'DELETE', `/items/${item.id}`)).statusCode).toBe(404)
    })

    it('deleting a user deletes their items (ON DELETE CASCADE)', async () => {
      const owner = await createUser(t.app)
      const item = await createItem({ owner_id: owner.id })
      expect((await call(t.app, 'DELETE', `/users/${owner.id}`)).statusCode).toBe(204)
      expect((await call(t.app, 'GET', `/items/${item.id}`)).statusCode).toBe(404)
    })

    it('the database itself refuses a negative price, whatever the API lets through', async () => {
      const refused = await t.database.db
        .insertInto('items')
        .values({ title: 'x', owner_id: ownerId, price_cents: -5 })
        .execute()
        .catch((error: unknown) => error)
      expect(isCheckViolation(refused, { name: 'ck_items_price_cents_not_negative' })).toBe(true)
    })
  })
}
