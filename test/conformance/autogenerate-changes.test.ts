import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { checkModels, downgrade, revision, upgrade } from '../../src/index.ts'
import type { SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'
import { fromSources } from '../autogenerate/schema-objects-support.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * Autogenerate on every dialect: one model, then a second with a change of every kind the
 * dialects share. Each migration is upgraded, `check` then finds nothing (no false positive on a
 * second look), the downgrade brings back the first model exactly, and the upgrade runs again.
 */

const V1 = `import { boolean, check, index, integer, numeric, serial, sql, table, text, varchar } from 'aludel'

export const users = table('users', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique('uq_users_email'),
  fullName: text('full_name'),
  active: boolean().notNull().default(true),
  age: integer(),
})

export const items = table('items', {
  id: serial().primaryKey(),
  title: varchar(200).notNull(),
  price: integer().notNull().default(0),
  ownerId: integer('owner_id').notNull(),
  legacy: text(),
}, (t) => [index('ix_items_title').on(t.title)])
`

const V2 = `import { boolean, check, index, integer, numeric, serial, sql, table, text, varchar, view } from 'aludel'

export const users = table('users', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique('uq_users_email'),
  displayName: text('display_name'),
  active: boolean().notNull().default(false),
  age: integer().notNull().default(18),
  bio: text(),
}, (t) => [check('age_positive', sql\`\${t.age} > 0\`)])

export const items = table('items', {
  id: serial().primaryKey(),
  title: varchar(200).notNull(),
  price: numeric(10, 2).notNull().default(0),
  ownerId: integer('owner_id').notNull().references(() => users.id, { name: 'fk_items_owner', onDelete: 'cascade' }),
}, (t) => [index('ix_items_owner').on(t.ownerId)])

export const tags = table('tags', {
  id: serial().primaryKey(),
  name: text().notNull(),
})

export const adults = view('adults', sql\`SELECT id, email FROM users WHERE age >= 18\`)
`

/** The schema as the dialect's introspection reads it, aludel's own tables left out. */
async function snapshot(url: string): Promise<SchemaSnapshot> {
  const dialect = await openDialect(url, '/')
  const connection = await dialect.driver.connect('test')
  try {
    return await dialect.introspector.introspect(connection, {
      excludeTables: [
        'aludel_version',
        'aludel_version_ledger',
        'aludel_version_progress',
        'aludel_version_lock',
      ],
    })
  } finally {
    await connection.close()
    await dialect.driver.close()
  }
}

describe.each(conformanceBackends())(
  'autogenerate of every shared change on $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    it.skipIf(skip)('up, check clean, down to the first model exactly, up again', async () => {
      db = await createConformanceDatabase(backend)
      const project = createProject(db.url)
      let version = 0
      const models = (source: string) => {
        version++
        writeFileSync(join(project.dir, `schema-${version}.ts`), fromSources(source))
        return { ...project.config, schema: `./schema-${version}.ts` }
      }
      const first = models(V1)
      const initial = await revision(first, { message: 'v1', autogenerate: true })
      writeFileSync(initial.path, fromSources(readFileSync(initial.path, 'utf8')))
      await upgrade(first, 'head')
      expect((await checkModels(first)).differences).toEqual([])
      const before = await snapshot(db.url)
      await db.query("INSERT INTO users (email, full_name, age) VALUES ('a@x', 'Ann', 30)")
      await db.query("INSERT INTO items (title, price, owner_id) VALUES ('Pen', 3, 1)")

      const second = models(V2)
      const change = await revision(second, {
        message: 'v2',
        autogenerate: true,
        renames: new Map([['users.full_name', 'users.display_name']]),
      })
      writeFileSync(change.path, fromSources(readFileSync(change.path, 'utf8')))
      await upgrade(second, 'head')
      expect((await checkModels(second)).differences).toEqual([])
      expect(await db.query('SELECT email, display_name, age FROM users')).toEqual([
        { email: 'a@x', display_name: 'Ann', age: 30 },
      ])

      await downgrade(second, '-1')
      expect(await snapshot(db.url)).toEqual(before)
      expect(await db.query('SELECT email, full_name FROM users')).toEqual([
        { email: 'a@x', full_name: 'Ann' },
      ])
      await upgrade(second, 'head')
      expect((await checkModels(second)).differences).toEqual([])
    })
  },
)
