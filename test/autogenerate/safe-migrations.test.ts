import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CompareInput } from '../../src/autogenerate/compare-schemas.ts'
import {
  type SafeMigrationSplit,
  splitSafeMigration,
} from '../../src/autogenerate/safe-migration.ts'
import {
  ConfigError,
  checkModels,
  downgrade,
  type RevisionResult,
  resolveConfig,
  revision,
  upgrade,
} from '../../src/index.ts'
import { reverseAll } from '../../src/operations/reverse.ts'
import { catalogSnapshot } from '../support/catalog.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'
import {
  column,
  foreignKey,
  index,
  NO_SCHEMA_OBJECTS,
  primaryKey,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { applyOps } from './apply-ops.ts'
import { compareSchemas, kindsOf, opsOf } from './compare-helpers.ts'

/**
 * `safeMigrations`: autogenerate writes changes to existing tables in the forms that do not stall
 * a live database, the non-transactional steps in a second file. The pure cases run the two
 * migrations on the simulator (which refuses what PostgreSQL refuses, so a step in the wrong file
 * fails); the end-to-end cases write the files, run them on PGlite and the server, and downgrade.
 */

/** Compares, splits, and checks that both parts apply and reverse; returns the split. */
function splitChecked(input: CompareInput): SafeMigrationSplit {
  const split = splitSafeMigration(compareSchemas(input))
  const first = opsOf(split.transactional)
  const second = split.concurrent.map((change) => change.op)
  const upgraded = applyOps(input.database, [...first, ...second])
  expect(kindsOf(compareSchemas({ ...input, database: upgraded }))).toEqual([])
  const downgraded = applyOps(upgraded, [...reverseAll(second), ...reverseAll(first)])
  expect(kindsOf(compareSchemas({ models: input.database, database: downgraded }))).toEqual([])
  return split
}

const secondKinds = (split: SafeMigrationSplit) => split.concurrent.map((change) => change.op.kind)

const id = column('id', T.integer, { nullable: false })
const users = table('users', {
  columns: [id, column('email', T.text), column('name', T.text)],
  primaryKey: primaryKey('pk_users', ['id']),
})
const posts = table('posts', {
  columns: [id, column('author_id', T.integer), column('title', T.text), column('body', T.text)],
  primaryKey: primaryKey('pk_posts', ['id']),
  indexes: [index('ix_posts_body', ['body'])],
})
const database = { tables: [posts, users], enums: [], ...NO_SCHEMA_OBJECTS }

describe('splitSafeMigration', () => {
  it('moves what would block into a second migration, each kind in its safe form', () => {
    const split = splitChecked({
      database,
      models: {
        tables: [
          {
            ...posts,
            foreignKeys: [foreignKey('fk_posts_author', ['author_id'], 'users', ['id'])],
            checks: [{ name: 'ck_posts_title', expression: "title <> ''" }],
            indexes: [index('ix_posts_title', ['title'])],
          },
          {
            ...users,
            columns: [id, column('email', T.text), column('name', T.text, { nullable: false })],
            uniques: [{ name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false }],
          },
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(opsOf(split.transactional)).toEqual([
      {
        kind: 'createCheckConstraint',
        schema: undefined,
        table: 'users',
        check: { name: 'ck_users_name_not_null', expression: 'name IS NOT NULL' },
        notValid: true,
      },
      expect.objectContaining({ kind: 'createCheckConstraint', notValid: true }),
      expect.objectContaining({ kind: 'createForeignKey', notValid: true }),
    ])
    // The NOT NULL warning goes with the validation, which is what fails on a NULL.
    expect(split.transactional.changes.map((change) => change.warning)).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(split.concurrent.map((change) => change.op)).toEqual([
      expect.objectContaining({ kind: 'dropIndex', concurrently: true, ifExists: true }),
      {
        kind: 'validateConstraint',
        schema: undefined,
        table: 'users',
        name: 'ck_users_name_not_null',
      },
      expect.objectContaining({
        kind: 'alterColumn',
        changes: { nullable: { to: false, from: true } },
      }),
      expect.objectContaining({
        kind: 'dropConstraint',
        name: 'ck_users_name_not_null',
        ifExists: true,
      }),
      expect.objectContaining({ kind: 'validateConstraint', name: 'ck_posts_title' }),
      expect.objectContaining({
        kind: 'createIndex',
        index: expect.objectContaining({ name: 'ix_posts_title' }),
        concurrently: true,
        ifNotExists: true,
      }),
      expect.objectContaining({
        kind: 'createIndex',
        index: expect.objectContaining({ name: 'uq_users_email', unique: true }),
        concurrently: true,
        ifNotExists: true,
      }),
      expect.objectContaining({ kind: 'createUniqueConstraint', usingIndex: 'uq_users_email' }),
      expect.objectContaining({ kind: 'validateConstraint', name: 'fk_posts_author' }),
    ])
    expect(split.concurrent[1]!.warning).toBe(
      'sets users.name NOT NULL: fails if any row holds NULL; backfill it first (the previous migration already refuses new NULLs)',
    )
  })

  it('leaves tables created in the same comparison alone: nothing for a second migration', () => {
    const tags = table('tags', {
      columns: [id, column('user_id', T.integer, { nullable: false }), column('label', T.text)],
      primaryKey: primaryKey('pk_tags', ['id']),
      foreignKeys: [foreignKey('fk_tags_user', ['user_id'], 'users', ['id'])],
      uniques: [{ name: 'uq_tags_label', columns: ['label'], nullsNotDistinct: false }],
      checks: [{ name: 'ck_tags_label', expression: "label <> ''" }],
      indexes: [index('ix_tags_user', ['user_id'])],
    })
    const split = splitChecked({
      database,
      models: { tables: [posts, tags, users], enums: [], ...NO_SCHEMA_OBJECTS },
    })
    expect(kindsOf(split.transactional)).toEqual(['createTable'])
    expect(split.concurrent).toEqual([])
  })

  it('moves a foreign key to a key the second migration builds after that key, whole', () => {
    const split = splitChecked({
      database,
      models: {
        tables: [
          {
            ...posts,
            columns: [...posts.columns, column('author_email', T.text)],
            foreignKeys: [foreignKey('fk_posts_email', ['author_email'], 'users', ['email'])],
          },
          {
            ...users,
            uniques: [{ name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false }],
          },
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(kindsOf(split.transactional)).toEqual(['addColumn'])
    expect(secondKinds(split)).toEqual([
      'createIndex',
      'createUniqueConstraint',
      'createForeignKey',
      'validateConstraint',
    ])
    expect(split.concurrent[2]!.op).toMatchObject({ notValid: true })
  })

  it('keeps an index drop where its table loses a column, or where its name is taken again', () => {
    const dropsColumn = splitChecked({
      database,
      models: {
        tables: [
          { ...posts, columns: posts.columns.filter((c) => c.name !== 'title'), indexes: [] },
          users,
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(kindsOf(dropsColumn.transactional)).toEqual(['dropIndex', 'dropColumn'])
    expect(opsOf(dropsColumn.transactional)[0]).toMatchObject({
      concurrently: false,
      ifExists: false,
    })
    expect(dropsColumn.concurrent).toEqual([])

    const reused = splitChecked({
      database,
      models: {
        tables: [
          { ...posts, indexes: [] },
          users,
          table('drafts', {
            columns: [id, column('body', T.text)],
            indexes: [index('ix_posts_body', ['body'])],
          }),
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(kindsOf(reused.transactional)).toEqual(['dropIndex', 'createTable'])
    expect(reused.concurrent).toEqual([])
  })

  it('keeps SET NOT NULL on a column of a primary key added with it, and splits an alter that does more', () => {
    const keyed = splitChecked({
      database: {
        tables: [table('codes', { columns: [column('code', T.text)] })],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
      models: {
        tables: [
          table('codes', {
            columns: [column('code', T.text, { nullable: false })],
            primaryKey: primaryKey('pk_codes', ['code']),
          }),
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(kindsOf(keyed.transactional)).toEqual(['alterColumn', 'createPrimaryKey'])
    expect(keyed.concurrent).toEqual([])

    const more = splitChecked({
      database,
      models: {
        tables: [
          posts,
          {
            ...users,
            columns: [
              id,
              column('email', T.text),
              column('name', T.varchar(50), { nullable: false }),
            ],
          },
        ],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(opsOf(more.transactional)[0]).toMatchObject({
      kind: 'alterColumn',
      changes: { type: { to: T.varchar(50), from: T.text } },
    })
    expect(opsOf(more.transactional)[0]).not.toHaveProperty('changes.nullable')
    expect(secondKinds(more)).toEqual(['validateConstraint', 'alterColumn', 'dropConstraint'])
  })

  it('rebuilds a changed index concurrently: the old one dropped, then the new one built', () => {
    const split = splitChecked({
      database,
      models: {
        tables: [{ ...posts, indexes: [index('ix_posts_body', ['body', 'title'])] }, users],
        enums: [],
        ...NO_SCHEMA_OBJECTS,
      },
    })
    expect(split.transactional.changes).toEqual([])
    expect(secondKinds(split)).toEqual(['dropIndex', 'createIndex'])
  })

  it('keeps what it cannot name or build as an index in its plain form', () => {
    // An unnamed constraint has no reverse either: only the split is checked.
    const split = splitSafeMigration(
      compareSchemas({
        database,
        models: {
          tables: [
            posts,
            {
              ...users,
              uniques: [{ name: 'uq_users_email', columns: ['email'], nullsNotDistinct: true }],
              checks: [{ name: undefined, expression: "email <> ''" }],
            },
          ],
          enums: [],
          ...NO_SCHEMA_OBJECTS,
        },
      }),
    )
    expect(opsOf(split.transactional)).toEqual([
      expect.objectContaining({ kind: 'createCheckConstraint', notValid: false }),
      expect.objectContaining({ kind: 'createUniqueConstraint' }),
    ])
    expect(split.concurrent).toEqual([])
  })
})

describe('the safeMigrations option', () => {
  it('is false by default and must be a boolean', () => {
    expect(resolveConfig({}).safeMigrations).toBe(false)
    expect(resolveConfig({ safeMigrations: true }).safeMigrations).toBe(true)
    expect(() => resolveConfig({ safeMigrations: 'yes' as never })).toThrow(
      new ConfigError("the configuration: 'safeMigrations' must be true or false"),
    )
  })
})

const BASE = `import { index, integer, sql, table, text, varchar } from 'aludel'

export const users = table('users', {
  id: integer().primaryKey().identity(),
  email: varchar(100).notNull(),
  name: text(),
})

export const posts = table(
  'posts',
  {
    id: integer().primaryKey().identity(),
    authorId: integer('author_id'),
    title: varchar(200).notNull(),
    body: text(),
  },
  (t) => [index('ix_posts_body').on(t.body)],
)
`

/** Every kind the safe forms cover, on existing tables; and a new table, which keeps plain forms. */
const CHANGED = BASE.replace(
  'email: varchar(100).notNull(),',
  'email: varchar(100).notNull().unique(),',
)
  .replace('name: text(),', 'name: text().notNull(),')
  .replace(
    "authorId: integer('author_id'),",
    "authorId: integer('author_id').references(() => users.id),",
  )
  .replace(
    'title: varchar(200).notNull(),',
    "title: varchar(200).notNull().check('title_not_blank', sql`title <> ''`),",
  )
  .replace(
    "(t) => [index('ix_posts_body').on(t.body)]",
    "(t) => [index('ix_posts_title').on(t.title)]",
  )

const TAGS = `
export const tags = table(
  'tags',
  {
    id: integer().primaryKey().identity(),
    userId: integer('user_id').notNull().references(() => users.id),
    label: text().notNull().unique().check('label_not_blank', sql\`label <> ''\`),
  },
  (t) => [index('ix_tags_user_id').on(t.userId)],
)
`

/** The body of `upgrade` or `downgrade` in a migration file. */
function body(path: string, fn: 'upgrade' | 'downgrade'): string {
  const text = readFileSync(path, 'utf8')
  const start = text.indexOf(`export async function ${fn}(op: Operations): Promise<void> {\n`)
  expect(start, `${fn} in ${path}`).toBeGreaterThanOrEqual(0)
  const from = text.indexOf('\n', start) + 1
  return text.slice(from, text.indexOf('\n}\n', from))
}

describe.each(backends())('safe migrations end to end on $backend', ({ backend, skip }) => {
  const dbs: TestDatabase[] = []
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.drop()
  })

  /** A database at a first revision made from BASE, with rows in both tables. */
  async function based(config: { safeMigrations?: boolean } = {}) {
    const db = await createDatabase(backend)
    dbs.push(db)
    const project = createProject(db.url, config)
    const models = useModels(project)
    const start = models(BASE)
    await revision(start, { message: 'base', autogenerate: true, revisionId: 'base00000000' })
    await upgrade(start, 'head')
    await db.query(
      "INSERT INTO users (email, name) VALUES ('ann@example.com', 'Ann'), ('bob@example.com', 'Bob')",
    )
    await db.query("INSERT INTO posts (author_id, title, body) VALUES (1, 'Hello', 'first')")
    return { db, project, models, base: await catalogSnapshot(db) }
  }

  it.skipIf(skip)(
    'writes a transactional file and a concurrent one, which apply, match the models and downgrade',
    async () => {
      const { db, models, base } = await based({ safeMigrations: true })
      const config = models(CHANGED + TAGS)
      const result: RevisionResult = await revision(config, {
        message: 'tighten posts',
        autogenerate: true,
        revisionId: 'aaaaaaaaaaaa',
      })
      const second = result.concurrentPart!
      expect(result).toMatchObject({
        revision: 'aaaaaaaaaaaa',
        downRevisions: ['base00000000'],
        transactional: true,
      })
      expect(second).toMatchObject({
        revision: 'aaaaaaaaaaaa_concurrent',
        downRevisions: ['aaaaaaaaaaaa'],
        transactional: false,
        message: 'tighten posts (concurrent part)',
        source: 'aaaaaaaaaaaa_concurrent_tighten_posts_concurrent_part.ts',
      })
      expect(readFileSync(second.path, 'utf8')).toContain('export const transactional = false\n')
      expect(body(result.path, 'upgrade')).toBe(FIRST_UPGRADE)
      expect(body(result.path, 'downgrade')).toBe(FIRST_DOWNGRADE)
      expect(body(second.path, 'upgrade')).toBe(SECOND_UPGRADE)
      expect(body(second.path, 'downgrade')).toBe(SECOND_DOWNGRADE)

      await upgrade(config, 'head')
      expect((await checkModels(config)).differences).toEqual([])
      const after = await catalogSnapshot(db)
      // Everything validated, the helper check gone, the index renamed to the constraint.
      expect(after.constraints.filter((c) => c.includes('NOT VALID'))).toEqual([])
      expect(after.constraints.filter((c) => c.includes('ck_users_name_not_null'))).toEqual([])
      expect(after.columns).toContain('public.users.name text not null')
      expect(after.indexes).toContain(
        'CREATE UNIQUE INDEX uq_users_email ON public.users USING btree (email)',
      )

      await downgrade(config, 'base00000000')
      expect(await catalogSnapshot(db)).toEqual(base)
    },
  )

  it.skipIf(skip)(
    'refuses new NULLs at once, and stops at the validation while old ones remain',
    async () => {
      const { db, models } = await based({ safeMigrations: true })
      await db.query("INSERT INTO users (email) VALUES ('nobody@example.com')")
      const config = models(BASE.replace('name: text(),', 'name: text().notNull(),'))
      const result = await revision(config, { message: 'name required', autogenerate: true })
      await upgrade(config, result.revision)
      await expect(
        db.query("INSERT INTO users (email) VALUES ('late@example.com')"),
      ).rejects.toThrow(/ck_users_name_not_null/)
      await expect(upgrade(config, 'head')).rejects.toThrow(/ck_users_name_not_null/)
      await db.query("UPDATE users SET name = 'anonymous' WHERE name IS NULL")
      await upgrade(config, 'head')
      expect((await checkModels(config)).differences).toEqual([])
    },
  )

  it.skipIf(skip)('writes neither file when the second cannot be written', async () => {
    const { project, models } = await based({ safeMigrations: true })
    project.writeMigration({ revision: 'bbbbbbbbbbbb_concurrent', down: 'base00000000' })
    const config = models(CHANGED)
    await upgrade(config, 'head')
    const before = readdirSync(project.migrationsDir).sort()
    await expect(
      revision(config, {
        message: 'tighten posts',
        autogenerate: true,
        revisionId: 'bbbbbbbbbbbb',
      }),
    ).rejects.toMatchObject({ code: 'DUPLICATE_REVISION' })
    expect(readdirSync(project.migrationsDir).sort()).toEqual(before)
  })

  it.skipIf(skip)('without safeMigrations, writes the one file it always wrote', async () => {
    const { models } = await based()
    const config = models(CHANGED)
    const result = await revision(config, { message: 'tighten posts', autogenerate: true })
    expect(result.concurrentPart).toBeUndefined()
    expect(result.transactional).toBe(true)
    const text = readFileSync(result.path, 'utf8')
    expect(text).not.toMatch(/notValid|concurrently|validateConstraint|usingIndex/)
    expect(text).toContain(
      "await op.alterColumn('users', 'name', { nullable: false, existingNullable: true })",
    )
    expect(text).toContain("await op.createUniqueConstraint('uq_users_email', 'users', ['email'])")
  })

  it.skipIf(skip)('writes one file when only a new table changes, or only an index', async () => {
    const { db, models } = await based({ safeMigrations: true })
    const withTags = models(BASE + TAGS)
    const created = await revision(withTags, { message: 'tags', autogenerate: true })
    expect(created.concurrentPart).toBeUndefined()
    expect(created.transactional).toBe(true)
    expect(readFileSync(created.path, 'utf8')).not.toMatch(
      /notValid|concurrently|validateConstraint/,
    )
    await upgrade(withTags, 'head')

    const indexed = models(
      (BASE + TAGS).replace(
        "(t) => [index('ix_posts_body').on(t.body)]",
        "(t) => [index('ix_posts_body').on(t.body), index('ix_posts_title').on(t.title)]",
      ),
    )
    const index = await revision(indexed, { message: 'index titles', autogenerate: true })
    expect(index.concurrentPart).toBeUndefined()
    expect(index.transactional).toBe(false)
    expect(body(index.path, 'upgrade')).toBe(
      [
        "  await op.createIndex('ix_posts_title', 'posts', ['title'], {",
        '    concurrently: true,',
        '    ifNotExists: true,',
        '  })',
      ].join('\n'),
    )
    await upgrade(indexed, 'head')
    expect((await checkModels(indexed)).differences).toEqual([])
    await downgrade(indexed, '-1')
    expect(await db.query("SELECT to_regclass('ix_posts_title') AS found")).toEqual([
      { found: null },
    ])
  })
})

/** Points the project at models written to a new file each time (imports are cached). */
function useModels(project: TestProject) {
  let version = 0
  return (source: string) => {
    version++
    writeFileSync(join(project.dir, `schema-${version}.ts`), source)
    return { ...project.config, schema: `./schema-${version}.ts` }
  }
}

const FIRST_UPGRADE = `  await op.createTable(
    table(
      'tags',
      {
        id: integer().primaryKey().identity(),
        userId: integer('user_id').notNull().index('ix_tags_user_id').references('users', 'id', {
          name: 'fk_tags_user_id_users',
        }),
        label: text().notNull().unique('uq_tags_label'),
      },
      () => [check('ck_tags_label_not_blank', sql\`label <> ''\`)],
    ),
  )

  await op.createCheckConstraint('ck_users_name_not_null', 'users', 'name IS NOT NULL', {
    notValid: true,
  })

  await op.createCheckConstraint('ck_posts_title_not_blank', 'posts', "title <> ''", {
    notValid: true,
  })

  await op.createForeignKey('fk_posts_author_id_users', 'posts', 'users', ['author_id'], ['id'], {
    notValid: true,
  })`
const FIRST_DOWNGRADE = `  await op.dropConstraint('fk_posts_author_id_users', 'posts', {
    definition: {
      type: 'foreignKey',
      definition: {
        name: 'fk_posts_author_id_users',
        columns: ['author_id'],
        referencedSchema: undefined,
        referencedTable: 'users',
        referencedColumns: ['id'],
        onDelete: undefined,
        onUpdate: undefined,
        deferrable: false,
        initiallyDeferred: false,
      },
    },
  })

  await op.dropConstraint('ck_posts_title_not_blank', 'posts', {
    definition: {
      type: 'check',
      definition: { name: 'ck_posts_title_not_blank', expression: "title <> ''" },
    },
  })

  await op.dropConstraint('ck_users_name_not_null', 'users', {
    definition: {
      type: 'check',
      definition: { name: 'ck_users_name_not_null', expression: 'name IS NOT NULL' },
    },
  })

  await op.dropTable(
    table(
      'tags',
      {
        id: integer().primaryKey().identity(),
        userId: integer('user_id').notNull().index('ix_tags_user_id').references('users', 'id', {
          name: 'fk_tags_user_id_users',
        }),
        label: text().notNull().unique('uq_tags_label'),
      },
      () => [check('ck_tags_label_not_blank', sql\`label <> ''\`)],
    ),
  )`
const SECOND_UPGRADE = `  await op.dropIndex('ix_posts_body', {
    table: 'posts',
    concurrently: true,
    ifExists: true,
    definition: {
      name: 'ix_posts_body',
      elements: [
        {
          column: 'body',
          expression: undefined,
          order: undefined,
          nulls: undefined,
          opclass: undefined,
        },
      ],
      unique: false,
      method: undefined,
      where: undefined,
      include: [],
    },
  })

  // WARNING: sets users.name NOT NULL: fails if any row holds NULL; backfill it first (the previous
  // migration already refuses new NULLs)
  await op.validateConstraint('users', 'ck_users_name_not_null')

  await op.alterColumn('users', 'name', { nullable: false, existingNullable: true })

  await op.dropConstraint('ck_users_name_not_null', 'users', {
    ifExists: true,
    definition: {
      type: 'check',
      definition: { name: 'ck_users_name_not_null', expression: 'name IS NOT NULL' },
      notValid: true,
    },
  })

  await op.validateConstraint('posts', 'ck_posts_title_not_blank')

  await op.createIndex('ix_posts_title', 'posts', ['title'], {
    concurrently: true,
    ifNotExists: true,
  })

  await op.createIndex('uq_users_email', 'users', ['email'], {
    unique: true,
    concurrently: true,
    ifNotExists: true,
  })

  await op.createUniqueConstraint('uq_users_email', 'users', ['email'], {
    usingIndex: 'uq_users_email',
  })

  await op.validateConstraint('posts', 'fk_posts_author_id_users')`
const SECOND_DOWNGRADE = `  await op.dropConstraint('uq_users_email', 'users', {
    definition: {
      type: 'unique',
      definition: { name: 'uq_users_email', columns: ['email'], nullsNotDistinct: false },
    },
  })

  await op.dropIndex('uq_users_email', {
    table: 'users',
    concurrently: true,
    ifExists: true,
    definition: {
      name: 'uq_users_email',
      elements: [
        {
          column: 'email',
          expression: undefined,
          order: undefined,
          nulls: undefined,
          opclass: undefined,
        },
      ],
      unique: true,
      method: undefined,
      where: undefined,
      include: [],
    },
  })

  await op.dropIndex('ix_posts_title', {
    table: 'posts',
    concurrently: true,
    ifExists: true,
    definition: {
      name: 'ix_posts_title',
      elements: [
        {
          column: 'title',
          expression: undefined,
          order: undefined,
          nulls: undefined,
          opclass: undefined,
        },
      ],
      unique: false,
      method: undefined,
      where: undefined,
      include: [],
    },
  })

  await op.createCheckConstraint('ck_users_name_not_null', 'users', 'name IS NOT NULL', {
    notValid: true,
  })

  await op.alterColumn('users', 'name', { nullable: true, existingNullable: false })

  await op.createIndex('ix_posts_body', 'posts', ['body'], {
    concurrently: true,
    ifNotExists: true,
  })`
