import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkModels, downgrade, revision, upgrade } from '../../src/index.ts'
import { type CatalogSnapshot, catalogSnapshot } from '../support/catalog.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

const BASE = `import { enumType, index, integer, sql, table, text, varchar } from 'aludel'

export const mood = enumType('mood', ['sad', 'ok'])

export const users = table(
  'users',
  {
    id: integer().primaryKey().identity(),
    email: varchar(100).notNull().unique(),
    name: text(),
    age: integer().check('adult', sql\`age >= 18\`),
    status: mood().default('ok'),
  },
  { comment: 'people', extras: (t) => [index('ix_users_name').on(t.name)] },
)

export const posts = table('posts', {
  id: integer().primaryKey().identity(),
  authorId: integer('author_id').references(() => users.id),
  title: varchar(200).notNull(),
  body: text(),
})
`

/** Each kind of change: the models after it, and the rename answers it needs. */
interface Change {
  readonly edit: (source: string) => string
  readonly renames?: [string, string | null][]
  /** PostgreSQL cannot undo this: the downgrade leaves a manual step, repaired by hand here. */
  readonly irreversible?: { readonly todo: RegExp; readonly repair: string }
}

const CHANGES: Record<string, Change> = {
  'add a table': {
    edit: (s) =>
      `${s}\nexport const tags = table('tags', { id: integer().primaryKey(), label: text().notNull().unique() })\n`,
  },
  'drop a table': { edit: (s) => s.slice(0, s.indexOf('export const posts')) },
  'rename a table (answered: rename)': {
    edit: (s) => s.replace("table('posts'", "table('articles'"),
    renames: [['posts', 'articles']],
  },
  'rename a table (answered: drop and add)': {
    edit: (s) => s.replace("table('posts'", "table('articles'"),
    renames: [['posts', null]],
  },
  'add a column': {
    edit: (s) =>
      s.replace('  body: text(),', '  body: text(),\n  views: integer().notNull().default(0),'),
  },
  'drop a column': { edit: (s) => s.replace('  body: text(),\n', '') },
  'rename a column (answered: rename)': {
    edit: (s) => s.replace('  body: text(),', '  content: text(),'),
    renames: [['posts.body', 'posts.content']],
  },
  'rename a column (answered: drop and add)': {
    edit: (s) => s.replace('  body: text(),', '  content: text(),'),
    renames: [['posts.body', null]],
  },
  'widen a type': { edit: (s) => s.replace('title: varchar(200)', 'title: varchar(400)') },
  'change a type': {
    edit: (s) =>
      s
        .replace("authorId: integer('author_id')", "authorId: bigint('author_id')")
        .replace('import { enumType,', 'import { bigint, enumType,'),
  },
  'make a column not null': {
    edit: (s) => s.replace('    name: text(),', '    name: text().notNull(),'),
  },
  'allow nulls': { edit: (s) => s.replace('title: varchar(200).notNull()', 'title: varchar(200)') },
  'add a default': {
    edit: (s) => s.replace('    name: text(),', "    name: text().default('anonymous'),"),
  },
  'change a default': {
    edit: (s) => s.replace("status: mood().default('ok')", "status: mood().default('sad')"),
  },
  'drop a default': { edit: (s) => s.replace("status: mood().default('ok')", 'status: mood()') },
  'comment a column': {
    edit: (s) => s.replace('    name: text(),', "    name: text().comment('display name'),"),
  },
  'change a table comment': {
    edit: (s) => s.replace("comment: 'people'", "comment: 'users of the site'"),
  },
  'drop a table comment': { edit: (s) => s.replace("{ comment: 'people', extras:", '{ extras:') },
  'add an index': {
    edit: (s) =>
      s.replace(
        '  body: text(),\n})',
        "  body: text(),\n}, (t) => [index('ix_posts_title').on(t.title)])",
      ),
  },
  'drop an index': {
    edit: (s) =>
      s.replace(
        "{ comment: 'people', extras: (t) => [index('ix_users_name').on(t.name)] }",
        "{ comment: 'people' }",
      ),
  },
  'make an index unique': {
    edit: (s) =>
      s.replace("index('ix_users_name').on(t.name)", "index('ix_users_name').on(t.name).unique()"),
  },
  'add a unique constraint': {
    edit: (s) =>
      s.replace('title: varchar(200).notNull()', 'title: varchar(200).notNull().unique()'),
  },
  'drop a unique constraint': {
    edit: (s) =>
      s.replace('email: varchar(100).notNull().unique()', 'email: varchar(100).notNull()'),
  },
  'add a check': {
    edit: (s) =>
      s.replace(
        'title: varchar(200).notNull()',
        "title: varchar(200).notNull().check('title_not_blank', sql`title <> ''`)",
      ),
  },
  'change a check': { edit: (s) => s.replace('age >= 18', 'age >= 21') },
  'drop a check': { edit: (s) => s.replace(".check('adult', sql`age >= 18`)", '') },
  'add a foreign key': {
    edit: (s) =>
      s.replace(
        '  body: text(),',
        "  body: text(),\n  editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' }),",
      ),
  },
  'drop a foreign key': { edit: (s) => s.replace('.references(() => users.id)', '') },
  'change a foreign key action': {
    edit: (s) =>
      s.replace(
        '.references(() => users.id)',
        ".references(() => users.id, { onDelete: 'cascade' })",
      ),
  },
  'add an enum and a column using it': {
    edit: (s) =>
      s
        .replace(
          "export const mood = enumType('mood', ['sad', 'ok'])",
          "export const mood = enumType('mood', ['sad', 'ok'])\nexport const kind = enumType('post_kind', ['note', 'link'])",
        )
        .replace('  body: text(),', "  body: text(),\n  kind: kind().notNull().default('note'),"),
  },
  'add an enum value': {
    edit: (s) => s.replace("['sad', 'ok']", "['sad', 'meh', 'ok', 'happy']"),
    irreversible: {
      todo: /TODO \(manual step\): .*addEnumValue/,
      repair: `ALTER TYPE mood RENAME TO mood_old;
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        ALTER TABLE users ALTER COLUMN status DROP DEFAULT,
          ALTER COLUMN status TYPE mood USING status::text::mood,
          ALTER COLUMN status SET DEFAULT 'ok';
        DROP TYPE mood_old`,
    },
  },
  'drop an enum and its column': {
    edit: (s) =>
      s
        .replace("export const mood = enumType('mood', ['sad', 'ok'])\n", '')
        .replace("    status: mood().default('ok'),\n", ''),
  },
  'add a table in another schema': {
    edit: (s) =>
      `${s.replace('import { enumType,', 'import { dbSchema, enumType,')}\nexport const audit = dbSchema('audit').table('events', { id: integer().primaryKey().identity(), userId: integer('user_id').references(() => users.id), note: text() })\n`,
  },
}

// With safeMigrations, the same changes: one or two files, the same end state, the same way back.
describe.each(
  backends().flatMap((b) => [
    { ...b, safe: false, label: '' },
    { ...b, safe: true, label: ', with safeMigrations' },
  ]),
)('each kind of change on $backend$label', ({ backend, skip, safe }) => {
  let db: TestDatabase
  let project: TestProject
  let base: CatalogSnapshot
  let version = 0
  const useModels = (source: string) => {
    // A new file each time: an imported module is cached for the life of the process.
    version++
    writeFileSync(join(project.dir, `schema-${version}.ts`), source)
    return { ...project.config, schema: `./schema-${version}.ts`, safeMigrations: safe }
  }

  beforeAll(async () => {
    if (skip) return
    db = await createDatabase(backend)
    project = createProject(db.url)
    const config = useModels(BASE)
    await revision(config, { message: 'base', autogenerate: true, revisionId: 'base00000000' })
    await upgrade(config, 'head')
    expect((await checkModels(config)).clean).toBe(true)
    base = await catalogSnapshot(db)
  })
  afterAll(async () => {
    if (!skip) await db.drop()
  })

  it.skipIf(skip).each(Object.entries(CHANGES))('%s', async (_, change) => {
    const config = useModels(change.edit(BASE))
    const script = await revision(config, {
      message: 'change',
      autogenerate: true,
      renames: new Map(change.renames ?? []),
    })
    const written = [script.path, ...(script.concurrentPart ? [script.concurrentPart.path] : [])]
    try {
      // The edit changes the models: autogenerate found something to do.
      expect(written.map((path) => readFileSync(path, 'utf8')).join('\n')).toMatch(
        /upgrade\(op: Operations\)[^}]*await op\./,
      )
      await upgrade(config, 'head')
      const after = await checkModels(config)
      expect(after.differences).toEqual([])
      await downgrade(config, 'base00000000')
      if (change.irreversible === undefined) {
        expect(await catalogSnapshot(db)).toEqual(base)
      } else {
        // The downgrade says what a person must do, and leaves the rest as it was.
        expect(readFileSync(script.path, 'utf8')).toMatch(change.irreversible.todo)
        for (const statement of change.irreversible.repair.split(';')) await db.query(statement)
        expect(await catalogSnapshot(db)).toEqual(base)
      }
    } finally {
      for (const path of written) rmSync(path)
    }
  })
})
