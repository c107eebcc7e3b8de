import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/databases.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

/** Debian's Chromium; CI installs it (`apt-get install chromium`). */
const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))

function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const reason = `${CHROMIUM} is missing (apt-get install chromium)`
  if (process.env.ALUDEL_REQUIRE_SERVERS === '1') {
    throw new Error(`${reason}, and ALUDEL_REQUIRE_SERVERS=1 forbids skipping`)
  }
  console.warn(`\n[fastify-app tests] skipping the browser check of /docs: ${reason}\n`)
  return reason
}

const skip = chromiumMissing()

/**
 * The OpenAPI page as a person sees it: a real browser loads /docs from the running app, Swagger
 * UI fetches /docs/json and renders an entry per route. The documentation does not depend on the
 * database, so this runs on PGlite only.
 */
describe.skipIf(skip !== undefined)(`/docs in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let database: TestDatabase
  let t: TestApp
  let browser: Browser
  let base: string

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    t = await startTestApp(database.url)
    base = await t.app.listen({ host: '127.0.0.1', port: 0 })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await database?.drop()
  })

  it('renders Swagger UI listing every route', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const failures: string[] = []
    page.on('pageerror', (error) => failures.push(error.message))
    await page.goto(`${base}/docs`)
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 })

    await expect(page.locator('.info .title').textContent()).resolves.toContain(
      'aludel example: users and items',
    )
    const operations = await page.locator('.opblock-summary').evaluateAll((summaries) =>
      summaries.map((summary) => {
        const method = summary.querySelector('.opblock-summary-method')?.textContent ?? ''
        const path = summary.querySelector('.opblock-summary-path')?.getAttribute('data-path')
        return `${method} ${path ?? ''}`
      }),
    )
    expect(operations.sort()).toEqual([
      'DELETE /items/{id}',
      'DELETE /users/{id}',
      'GET /health',
      'GET /items',
      'GET /items/{id}',
      'GET /users',
      'GET /users/{id}',
      'PATCH /items/{id}',
      'PATCH /users/{id}',
      'POST /items',
      'POST /login',
      'POST /users',
    ])
    // The shared schemas are listed by name.
    await expect(page.locator('.models').textContent()).resolves.toMatch(/User[\s\S]*Item/)

    // Opening POST /users shows its documented responses.
    const createUser = page.locator('.opblock-post', {
      has: page.locator('.opblock-summary-path[data-path="/users"]'),
    })
    await createUser.locator('.opblock-summary').click()
    const codes = createUser.locator('.responses-table tbody .response-col_status')
    await codes.first().waitFor()
    const statuses = (await codes.allTextContents()).map((code) => code.trim())
    expect(statuses).toEqual(['201', '409', '422'])

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}docs.png`, fullPage: true })
    expect(failures).toEqual([])
    await page.close()
  })
})
