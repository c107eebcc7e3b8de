import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, repoRoot, type TestProject } from '../support/project.ts'

const MODELS = `import { boolean, integer, table, text, varchar } from 'aludel'

export const users = table('users', {
  id: integer().primaryKey().identity().index(),
  email: varchar(255).notNull().unique().index(),
  hashedPassword: text('hashed_password').notNull(),
  isActive: boolean('is_active').notNull().default(true),
})

export const items = table('items', {
  id: integer().primaryKey().identity().index(),
  title: varchar(200).notNull().index(),
  description: text(),
})
`

const postgres = backends().find((b) => b.backend === 'postgres')!

describe.each(backends())('aludel test on $backend', ({ backend, skip }) => {
  const dbs: TestDatabase[] = []
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.drop()
  })
  const healthy = async (): Promise<TestProject> => {
    const db = await createDatabase(backend)
    dbs.push(db)
    const project = createProject(db.url, { schema: './schema.ts' })
    writeFileSync(join(project.dir, 'schema.ts'), MODELS)
    expect(
      (
        await project.cli([
          'revision',
          '--autogenerate',
          '-m',
          'create tables',
          '--rev-id',
          'aaaaaaaaaaaa',
        ])
      ).code,
    ).toBe(0)
    return project
  }

  it.skipIf(skip)('passes on a healthy project, without touching its database', async () => {
    const project = await healthy()
    const run = await project.cli(['test'])
    expect(run.stdout).toBe(
      [
        'ok   single head: head is aaaaaaaaaaaa',
        'ok   lint: 1 migration checked, no error',
        'ok   upgrade base -> head: 1 migration applied to a scratch database',
        'ok   models match the migrated schema: autogenerate finds nothing to do',
        'ok   stairway aaaaaaaaaaaa: up, down, up',
        'All 5 checks passed.',
        '',
      ].join('\n'),
    )
    expect(run.code).toBe(0)
    // The project's own database was never migrated.
    expect((await project.cli(['current'])).stdout).toMatch(/^<base>\n/)
  })

  it.skipIf(skip)('passes when a downgrade adds back a column, which lands last', async () => {
    const project = await healthy()
    project.writeMigration({
      revision: 'eeeeeeeeeeee',
      down: 'aaaaaaaaaaaa',
      message: 'drop hashed_password',
      upgrade: "await op.dropColumn('users', 'hashed_password')",
      downgrade:
        "await op.execute(\"ALTER TABLE users ADD COLUMN hashed_password text NOT NULL DEFAULT ''\"); await op.execute('ALTER TABLE users ALTER COLUMN hashed_password DROP DEFAULT')",
    })
    writeFileSync(
      join(project.dir, 'schema.ts'),
      MODELS.replace("  hashedPassword: text('hashed_password').notNull(),\n", ''),
    )
    const run = await project.cli(['test'])
    expect(run.stdout).toContain('ok   stairway eeeeeeeeeeee: up, down, up\n')
    expect(run.code).toBe(0)
  })

  it.skipIf(skip)('fails on two heads, naming them', async () => {
    const project = await healthy()
    project.writeMigration({ revision: 'bbbbbbbbbbbb', down: 'aaaaaaaaaaaa', message: 'left' })
    project.writeMigration({ revision: 'cccccccccccc', down: 'aaaaaaaaaaaa', message: 'right' })
    const run = await project.cli(['test'])
    expect(run.stdout).toBe(
      'FAIL single head: 2 heads (bbbbbbbbbbbb, cccccccccccc); join them with `aludel merge heads -m MSG`\n',
    )
    expect(run.stderr).toBe('error: single head failed; see above\n')
    expect(run.code).toBe(1)
  })

  it.skipIf(skip)(
    'fails on a downgrade that forgets to drop a column, naming the revision',
    async () => {
      const project = await healthy()
      project.writeMigration({
        revision: 'dddddddddddd',
        down: 'aaaaaaaaaaaa',
        message: 'add nickname',
        upgrade: "await op.execute('ALTER TABLE users ADD COLUMN nickname text')",
        downgrade: '// forgot to drop it',
      })
      writeFileSync(
        join(project.dir, 'schema.ts'),
        MODELS.replace('  hashedPassword', '  nickname: text(),\n  hashedPassword'),
      )
      const run = await project.cli(['test'])
      expect(run.stdout).toContain('ok   stairway aaaaaaaaaaaa: up, down, up\n')
      expect(run.stdout).toContain(
        'FAIL stairway dddddddddddd: downgrade does not undo upgrade of dddddddddddd (add nickname): drop column users.nickname\n',
      )
      expect(run.stderr).toBe(
        'error: stairway dddddddddddd failed (revision dddddddddddd); see above\n',
      )
      expect(run.code).toBe(1)
    },
  )

  it.skipIf(skip)(
    'fails on a migration that lint finds unsafe, naming file, line and rule',
    async () => {
      const project = await healthy()
      project.writeMigration({
        revision: 'ffffffffffff',
        down: 'aaaaaaaaaaaa',
        message: 'index items',
        upgrade: "await op.createIndex('ix_items_title_copy', 'items', ['title'])",
        downgrade: "await op.dropIndex('ix_items_title_copy')",
      })
      const run = await project.cli(['test', '--skip-models'])
      expect(run.stdout).toContain(
        'FAIL lint: 1 error, first: ffffffffffff_index_items.ts:11 require-concurrent-index-creation: CREATE INDEX ix_items_title_copy on existing table items;',
      )
      expect(run.code).toBe(1)
      // --skip-lint leaves the decision to the team.
      const skipped = await project.cli(['test', '--skip-models', '--skip-lint'])
      expect(skipped.stdout).not.toContain('lint')
      expect(skipped.code).toBe(0)
    },
  )

  it.skipIf(skip)('fails on a model change without a migration', async () => {
    const project = await healthy()
    writeFileSync(
      join(project.dir, 'schema.ts'),
      MODELS.replace('  description: text(),', '  description: text(),\n  price: integer(),'),
    )
    const run = await project.cli(['test'])
    expect(run.stdout).toContain(
      'FAIL models match the migrated schema: the models differ from what the migrations build (add column items.price (integer)); write a migration with `aludel revision --autogenerate -m MSG`\n',
    )
    expect(run.code).toBe(1)
  })
})

describe('autogenerate of the Alembic tutorial models', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  it('writes the migration Alembic shows, indexes and unique constraint included', async () => {
    db = await createDatabase('pglite')
    const project = createProject(db.url, { schema: './schema.ts' })
    writeFileSync(join(project.dir, 'schema.ts'), MODELS)
    const run = await project.cli([
      'revision',
      '--autogenerate',
      '-m',
      'Create initial user and item tables',
      '--rev-id',
      'aaaaaaaaaaaa',
    ])
    expect(run.code).toBe(0)
    const text = readFileSync(
      join(project.migrationsDir, 'aaaaaaaaaaaa_create_initial_user_and_item_tables.ts'),
      'utf8',
    )
    const upgrade = text.slice(
      text.indexOf('export async function upgrade'),
      text.indexOf('export async function downgrade'),
    )
    const downgrade = text.slice(text.indexOf('export async function downgrade'))
    expect(upgrade).toBe(`export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    table('items', {
      id: integer().primaryKey().identity().index('ix_items_id'),
      title: varchar(200).notNull().index('ix_items_title'),
      description: text(),
    }),
  )

  await op.createTable(
    table('users', {
      id: integer().primaryKey().identity().index('ix_users_id'),
      email: varchar(255).notNull().unique().index('ix_users_email'),
      hashedPassword: text('hashed_password').notNull(),
      isActive: boolean('is_active').notNull().default(true),
    }),
  )
}

`)
    expect(downgrade).toContain("await op.dropTable(\n    table('users', {")
    expect(downgrade).toContain("await op.dropTable(\n    table('items', {")
  })
})

describe('rename questions', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  async function renamedProject(): Promise<TestProject> {
    db = await createDatabase(postgres.skip ? 'pglite' : 'postgres')
    const project = createProject(db.url, { schema: './schema.ts' })
    writeFileSync(join(project.dir, 'schema.ts'), MODELS)
    expect(
      (await project.cli(['revision', '--autogenerate', '-m', 'init', '--rev-id', 'aaaaaaaaaaaa']))
        .code,
    ).toBe(0)
    expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
    writeFileSync(
      join(project.dir, 'schema.ts'),
      MODELS.replace('  description: text(),', "  details: text('details'),"),
    )
    return project
  }

  const newest = (project: TestProject) =>
    readFileSync(
      join(
        project.migrationsDir,
        readdirSync(project.migrationsDir).find((f) => f.startsWith('bbbb'))!,
      ),
      'utf8',
    )

  it('without a terminal: exit 2 with the open questions and how to answer them', async () => {
    const project = await renamedProject()
    const run = await project.cli(['revision', '--autogenerate', '-m', 'rename'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'error: one change looks like a rename (column items.description -> items.details); answer each with --rename items.description:items.details (rename, keeps its data) or --no-rename items.description:items.details (drop and add), or with --renames FILE\n',
    )
    expect(readdirSync(project.migrationsDir).filter((f) => f.endsWith('.ts'))).toHaveLength(1)
  })

  it('--rename answers with a rename; --no-rename and --renames FILE with a drop and an add', async () => {
    const project = await renamedProject()
    const renamed = await project.cli([
      'revision',
      '--autogenerate',
      '-m',
      'rename',
      '--rev-id',
      'bbbbbbbbbbbb',
      '--rename',
      'items.description:items.details',
    ])
    expect(renamed.code).toBe(0)
    expect(newest(project)).toContain(
      "await op.alterColumn('items', 'description', { rename: 'details' })",
    )
    expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
    expect((await project.cli(['check'])).code).toBe(0)
    expect((await project.cli(['downgrade', '-1'])).code).toBe(0)

    const { rmSync } = await import('node:fs')
    rmSync(
      join(
        project.migrationsDir,
        readdirSync(project.migrationsDir).find((f) => f.startsWith('bbbb'))!,
      ),
    )
    writeFileSync(join(project.dir, 'answers.json'), JSON.stringify({ 'items.description': null }))
    const dropped = await project.cli([
      'revision',
      '--autogenerate',
      '-m',
      'rename',
      '--rev-id',
      'bbbbbbbbbbbb',
      '--renames',
      'answers.json',
    ])
    expect(dropped.code).toBe(0)
    expect(newest(project)).toContain("await op.dropColumn('items', 'description'")
    expect(newest(project)).toContain("await op.addColumn('items', 'details', text())")
  })

  it('in a terminal: asks, and takes the answer', async () => {
    const project = await renamedProject()
    // `script` gives the command a real pseudo-terminal; the answer is typed on its input.
    const command = `${process.execPath} ${join(repoRoot, 'bin', 'aludel.js')} revision --autogenerate -m rename --rev-id bbbbbbbbbbbb`
    const output = await new Promise<string>((done, fail) => {
      const child = execFile(
        'script',
        ['-qec', command, '/dev/null'],
        { cwd: project.dir, env: { ...process.env, DATABASE_URL: '' } },
        (error, stdout) => (error ? fail(error) : done(stdout)),
      )
      setTimeout(() => child.stdin?.write('rename\n'), 1500)
    })
    expect(output).toContain(
      'Column items.description is gone and items.details is new. Rename items.description to items.details (keeps its data), or drop and add? [rename/drop]',
    )
    expect(output).toContain('Generated ')
    expect(newest(project)).toContain(
      "await op.alterColumn('items', 'description', { rename: 'details' })",
    )
  })
})
