import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { downgrade, upgrade, upgradeSql } from '../../src/index.ts'
import { catalogSnapshot } from '../support/catalog.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * The seed example of Alembic's tutorial, written as an aludel migration by hand: `users` (id,
 * email unique and indexed, hashed_password, is_active default true) and `items` (id, title
 * indexed, description).
 */
const CREATE_USERS_AND_ITEMS = {
  revision: '3f2a1b9c0d4e',
  message: 'Create initial user and item tables',
  upgrade: `
  await op.createTable(table('users', {
    id: integer().primaryKey().identity().index(),
    email: varchar(255).notNull().unique().index(),
    hashedPassword: text('hashed_password').notNull(),
    isActive: boolean('is_active').notNull().default(true),
  }))
  await op.createTable(table('items', {
    id: integer().primaryKey().identity().index(),
    title: varchar(200).notNull().index(),
    description: text(),
  }))`,
  downgrade: `
  await op.dropTable('items')
  await op.dropTable('users')`,
}

const SPLIT_FULLNAME = {
  revision: '9d8e7f6a5b4c',
  down: '3f2a1b9c0d4e',
  message: 'Split fullname into first and last name',
  upgrade: `
  await op.addColumn('users', 'first_name', text())
  await op.addColumn('users', 'last_name', text())
  const rows = await op.query<{ id: number; fullname: string | null }>('SELECT id, fullname FROM users')
  for (const row of rows) {
    if (row.fullname === null) continue
    const [first, ...rest] = row.fullname.trim().split(/\\s+/)
    await op.execute('UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3', [first, rest.join(' ') || null, row.id])
  }
  await op.dropColumn('users', 'fullname')`,
  downgrade: `
  await op.addColumn('users', 'fullname', text())
  await op.execute("UPDATE users SET fullname = concat_ws(' ', first_name, last_name) WHERE first_name IS NOT NULL OR last_name IS NOT NULL")
  await op.dropColumn('users', 'last_name')
  await op.dropColumn('users', 'first_name')`,
}

const IMPORTS = "import { boolean, integer, table, text, varchar } from 'aludel'"

function write(
  project: TestProject,
  spec: typeof CREATE_USERS_AND_ITEMS & { down?: string },
): void {
  const file = project.writeMigration(spec)
  // The test helper writes only `import type`; these migrations use the DSL at run time too.
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      "import type { Operations } from 'aludel'",
      `import type { Operations } from 'aludel'\n${IMPORTS}`,
    ),
  )
}

describe.each(backends())(
  "Alembic's tutorial as an aludel migration on $backend",
  ({ backend, skip }) => {
    let db: TestDatabase
    let project: TestProject
    beforeEach(async () => {
      if (skip) return
      db = await createDatabase(backend)
      project = createProject(db.url)
    })
    afterEach(async () => {
      if (!skip) await db.drop()
    })

    const columns = () =>
      db.query<{
        table_name: string
        column_name: string
        data_type: string
        is_nullable: string
        column_default: string | null
        is_identity: string
        character_maximum_length: number | null
      }>(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, character_maximum_length
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('users', 'items')
        ORDER BY table_name, ordinal_position`,
      )
    const constraints = () =>
      db.query<{ t: string }>(
        `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS t FROM pg_constraint
        WHERE conrelid IN ('users'::regclass, 'items'::regclass) AND contype IN ('p', 'f', 'u', 'c') ORDER BY 1`,
      )
    const indexes = () =>
      db.query<{ t: string }>(
        `SELECT indexdef AS t FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('users', 'items') ORDER BY indexname`,
      )

    it.skipIf(skip)(
      'creates exactly the declared schema, downgrades to base and upgrades again',
      async () => {
        write(project, CREATE_USERS_AND_ITEMS)
        await upgrade(project.config, 'head')
        const expectedColumns = [
          {
            table_name: 'items',
            column_name: 'id',
            data_type: 'integer',
            is_nullable: 'NO',
            column_default: null,
            is_identity: 'YES',
            character_maximum_length: null,
          },
          {
            table_name: 'items',
            column_name: 'title',
            data_type: 'character varying',
            is_nullable: 'NO',
            column_default: null,
            is_identity: 'NO',
            character_maximum_length: 200,
          },
          {
            table_name: 'items',
            column_name: 'description',
            data_type: 'text',
            is_nullable: 'YES',
            column_default: null,
            is_identity: 'NO',
            character_maximum_length: null,
          },
          {
            table_name: 'users',
            column_name: 'id',
            data_type: 'integer',
            is_nullable: 'NO',
            column_default: null,
            is_identity: 'YES',
            character_maximum_length: null,
          },
          {
            table_name: 'users',
            column_name: 'email',
            data_type: 'character varying',
            is_nullable: 'NO',
            column_default: null,
            is_identity: 'NO',
            character_maximum_length: 255,
          },
          {
            table_name: 'users',
            column_name: 'hashed_password',
            data_type: 'text',
            is_nullable: 'NO',
            column_default: null,
            is_identity: 'NO',
            character_maximum_length: null,
          },
          {
            table_name: 'users',
            column_name: 'is_active',
            data_type: 'boolean',
            is_nullable: 'NO',
            column_default: 'true',
            is_identity: 'NO',
            character_maximum_length: null,
          },
        ]
        expect(await columns()).toEqual(expectedColumns)
        expect((await constraints()).map((r) => r.t)).toEqual([
          'items pk_items PRIMARY KEY (id)',
          'users pk_users PRIMARY KEY (id)',
        ])
        expect((await indexes()).map((r) => r.t)).toEqual([
          'CREATE INDEX ix_items_id ON public.items USING btree (id)',
          'CREATE INDEX ix_items_title ON public.items USING btree (title)',
          'CREATE UNIQUE INDEX ix_users_email ON public.users USING btree (email)',
          'CREATE INDEX ix_users_id ON public.users USING btree (id)',
          'CREATE UNIQUE INDEX pk_items ON public.items USING btree (id)',
          'CREATE UNIQUE INDEX pk_users ON public.users USING btree (id)',
        ])
        await db.query("INSERT INTO users (email, hashed_password) VALUES ('a@example.com', 'x')")
        await expect(
          db.query("INSERT INTO users (email, hashed_password) VALUES ('a@example.com', 'y')"),
        ).rejects.toThrow(/duplicate key value violates unique constraint "ix_users_email"/)
        expect(await db.query('SELECT is_active FROM users')).toEqual([{ is_active: true }])

        await downgrade(project.config, 'base')
        expect(await columns()).toEqual([])
        await upgrade(project.config, 'head')
        expect(await columns()).toEqual(expectedColumns)

        // Offline mode writes what online mode runs: applied with psql, it builds the same schema.
        const script = await upgradeSql({ ...project.config, url: undefined }, 'base:head')
        expect(script).toContain('CREATE TABLE users (')
        expect(script).toContain('CREATE UNIQUE INDEX ix_users_email ON users (email);')
        if (backend === 'postgres') {
          const offline = await createDatabase('postgres')
          try {
            const file = join(project.dir, 'upgrade.sql')
            writeFileSync(file, script)
            execFileSync(
              'psql',
              ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', offline.url, '-f', file],
              { stdio: 'pipe' },
            )
            expect(await catalogSnapshot(offline)).toEqual(await catalogSnapshot(db))
          } finally {
            await offline.drop()
          }
        }
      },
    )

    it.skipIf(skip)(
      'splits fullname into first_name/last_name and restores it on downgrade',
      async () => {
        write(project, CREATE_USERS_AND_ITEMS)
        await upgrade(project.config, 'head')
        await db.query('ALTER TABLE users ADD COLUMN fullname text')
        await db.query(
          "INSERT INTO users (email, hashed_password, fullname) VALUES ('ada@x', 'h', 'Ada Lovelace'), ('grace@x', 'h', 'Grace Brewster Hopper'), ('cher@x', 'h', 'Cher'), ('anon@x', 'h', NULL)",
        )
        write(project, SPLIT_FULLNAME)
        await upgrade(project.config, 'head')
        expect(
          await db.query('SELECT email, first_name, last_name FROM users ORDER BY email'),
        ).toEqual([
          { email: 'ada@x', first_name: 'Ada', last_name: 'Lovelace' },
          { email: 'anon@x', first_name: null, last_name: null },
          { email: 'cher@x', first_name: 'Cher', last_name: null },
          { email: 'grace@x', first_name: 'Grace', last_name: 'Brewster Hopper' },
        ])
        expect(
          await db.query(
            "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'fullname'",
          ),
        ).toEqual([{ n: 0 }])

        await downgrade(project.config, '-1')
        expect(await db.query('SELECT email, fullname FROM users ORDER BY email')).toEqual([
          { email: 'ada@x', fullname: 'Ada Lovelace' },
          { email: 'anon@x', fullname: null },
          { email: 'cher@x', fullname: 'Cher' },
          { email: 'grace@x', fullname: 'Grace Brewster Hopper' },
        ])
      },
    )
  },
)
