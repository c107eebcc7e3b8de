import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { checkModels, downgrade, pull, revision, testMigrations, upgrade } from '../../src/index.ts'
import { fromSources } from '../autogenerate/schema-objects-support.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * The first steps of every user, on every dialect: models of users and items, autogenerate,
 * upgrade, a new column in the models, `check` sees it, autogenerate again, upgrade, and a
 * downgrade to base that leaves nothing behind.
 */

const MODELS = (
  extra: string,
) => `import { boolean, integer, serial, sql, table, text, timestamptz, varchar } from 'aludel'

export const users = table('users', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique('uq_users_email'),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamptz('created_at').notNull().default(sql\`CURRENT_TIMESTAMP\`),
})

export const items = table('items', {
  id: serial().primaryKey(),
  title: varchar(200).notNull().index('ix_items_title'),
  ownerId: integer('owner_id').notNull().references(() => users.id, { name: 'fk_items_owner', onDelete: 'cascade' }),${extra}
})
`

/** What the test kit's lint check says: PostgreSQL's rules do not apply to SQLite. */
const LINT: Record<ConformanceBackend, string> = {
  pglite: '2 migrations checked, no error',
  postgres: '2 migrations checked, no error',
  sqlite:
    "skipped: aludel lint checks what PostgreSQL's DDL locks, rewrites and scans; it has no rules for sqlite databases",
  mariadb:
    "skipped: aludel lint checks what PostgreSQL's DDL locks, rewrites and scans; it has no rules for mysql databases",
}

/** The tables each engine lists in its catalog, for "nothing left behind". */
const USER_TABLES: Record<ConformanceBackend, string> = {
  pglite:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'aludel%' ORDER BY 1",
  postgres:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'aludel%' ORDER BY 1",
  sqlite:
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'aludel%' AND name NOT LIKE 'sqlite%' ORDER BY 1",
  mariadb:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT LIKE 'aludel%' ORDER BY 1",
}

describe.each(conformanceBackends())('the seed walkthrough on $backend', ({ backend, skip }) => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it.skipIf(skip)(
    'autogenerate, upgrade, change, check, autogenerate, downgrade base',
    async () => {
      db = await createConformanceDatabase(backend)
      const project = createProject(db.url)
      const { writeFileSync } = await import('node:fs')
      const { join } = await import('node:path')
      let version = 0
      const models = (source: string) => {
        version++
        writeFileSync(join(project.dir, `schema-${version}.ts`), fromSources(source))
        return { ...project.config, schema: `./schema-${version}.ts` }
      }
      const generate = async (config: ReturnType<typeof models>, message: string) => {
        const script = await revision(config, { message, autogenerate: true })
        writeFileSync(script.path, fromSources(readFileSync(script.path, 'utf8')))
        return readFileSync(script.path, 'utf8')
      }

      const first = models(MODELS(''))
      const initial = await generate(first, 'users and items')
      expect(initial).toContain('op.createTable(')
      await upgrade(first, 'head')
      expect((await checkModels(first)).differences).toEqual([])
      expect(await db.query(USER_TABLES[backend])).toEqual([{ name: 'items' }, { name: 'users' }])

      const second = models(MODELS('\n  description: text(),'))
      expect((await checkModels(second)).differences).toEqual([
        'add column items.description (text)',
      ])
      // The command line says the same, with exit status 1, as CI would see it (its models import
      // the built package, as a user's do).
      writeFileSync(join(project.dir, 'schema-cli.ts'), MODELS('\n  description: text(),'))
      writeFileSync(
        join(project.dir, 'aludel.config.ts'),
        `import { defineConfig } from 'aludel'\n\nexport default defineConfig(${JSON.stringify({ url: db.url, schema: './schema-cli.ts' })})\n`,
      )
      const drift = await project.cli(['check'])
      expect({ code: drift.code, stdout: drift.stdout }).toEqual({
        code: 1,
        stdout: expect.stringContaining('add column items.description (text)'),
      })
      const added = await generate(second, 'describe items')
      expect(added).toContain("await op.addColumn('items', 'description', text())")
      await upgrade(second, 'head')
      expect((await checkModels(second)).differences).toEqual([])

      // Adopting the database: pull writes models that check finds nothing against, and the
      // test kit takes a scratch database of the same kind from base to head and back.
      const pulled = models((await pull(second)).text)
      expect((await checkModels(pulled)).differences).toEqual([])
      const kit = await testMigrations(second)
      expect(kit.checks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([])
      expect(kit.checks.find((c) => c.name === 'lint')?.detail).toBe(LINT[backend])

      await downgrade(second, 'base')
      expect(await db.query(USER_TABLES[backend])).toEqual([])
    },
  )
})
