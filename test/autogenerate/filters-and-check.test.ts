import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

const MODELS = `import { integer, table, text } from 'aludel'

export const notes = table('notes', { id: integer().primaryKey(), body: text() })
`

describe('check, --allow-empty and include filters', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  async function project(config: Record<string, unknown> = {}): Promise<TestProject> {
    db = await createDatabase('pglite')
    const p = createProject(db.url, { schema: './schema.ts', ...config })
    writeFileSync(join(p.dir, 'schema.ts'), MODELS)
    expect((await p.cli(['revision', '--autogenerate', '-m', 'init'])).code).toBe(0)
    expect((await p.cli(['upgrade', 'head'])).code).toBe(0)
    return p
  }

  it('check lists the differences and exits 1; --json says the same', async () => {
    const p = await project()
    writeFileSync(
      join(p.dir, 'schema.ts'),
      MODELS.replace('body: text()', 'body: text(), title: text().notNull()'),
    )
    const run = await p.cli(['check'])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      'The models and the database differ (1); a migration is missing:\n  add column notes.title (text not null)\n',
    )
    expect(run.stderr).toBe(
      'error: the models have changes no migration makes; run `aludel revision --autogenerate -m MSG`\n',
    )
    const json = await p.cli(['check', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      clean: false,
      differences: ['add column notes.title (text not null)'],
    })
  })

  it('check refuses a database that is not at head', async () => {
    const p = await project()
    expect((await p.cli(['downgrade', 'base'])).code).toBe(0)
    const run = await p.cli(['check'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^error: the database is at base, not at head \(1 migration pending\); run `aludel upgrade head` first/,
    )
  })

  it('autogenerate prints each change and its warning; --dry-run prints the plan and writes nothing', async () => {
    const p = await project()
    writeFileSync(join(p.dir, 'schema.ts'), MODELS.replace('body: text()', 'title: text()'))
    const files = () =>
      readdirSync(p.migrationsDir)
        .filter((f) => f.endsWith('.ts'))
        .sort()
    const before = files()
    // body is gone and title is new: a drop and an add, not a rename.
    const dropBody = ['--no-rename', 'notes.body:notes.title']
    const dry = await p.cli(['revision', '--autogenerate', '--dry-run', ...dropBody])
    expect(dry.stderr).toBe('')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('Detected add column notes.title (text)\n')
    expect(dry.stdout).toMatch(/Detected drop column notes\.body\n {2}warning: .+\n/)
    expect(dry.stdout).toContain("await op.dropColumn('notes', 'body', { definition: text() })")
    expect(dry.stdout).toContain('Dry run: nothing was written.\n')
    expect(files()).toEqual(before)
    const json = JSON.parse(
      (await p.cli(['revision', '--autogenerate', '--dry-run', '--json', ...dropBody])).stdout,
    )
    expect(json.changes.map((c: { description: string }) => c.description).sort()).toEqual([
      'add column notes.title (text)',
      'drop column notes.body',
    ])
    const run = await p.cli(['revision', '--autogenerate', '-m', 'title', ...dropBody])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^Detected add column notes\.title \(text\)\nDetected drop column notes\.body\n {2}warning: .+\nGenerated .+_title\.ts\nReview it/,
    )
    expect(files()).toHaveLength(before.length + 1)
    const refused = await p.cli(['revision', '--dry-run', '-m', 'x'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^error: --dry-run shows what --autogenerate would write/)
  })

  it('autogenerate with nothing to do writes nothing, unless --allow-empty', async () => {
    const p = await project()
    const run = await p.cli(['revision', '--autogenerate', '-m', 'nothing'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'error: the models and the database agree: there is nothing to migrate; pass --allow-empty to write an empty revision anyway\n',
    )
    expect(readdirSync(p.migrationsDir).filter((f) => f.endsWith('.ts'))).toHaveLength(1)
    const empty = await p.cli(['revision', '--autogenerate', '-m', 'nothing', '--allow-empty'])
    expect(empty.code).toBe(0)
    expect(readdirSync(p.migrationsDir).filter((f) => f.endsWith('.ts'))).toHaveLength(2)
  })

  it('leaves alone tables in schemas the models never use, and tables the filter excludes', async () => {
    const p = await project({ include: { excludeTables: ['legacy_*'] } })
    await db!.query('CREATE SCHEMA postgis')
    await db!.query('CREATE TABLE postgis.spatial_ref_sys (srid int PRIMARY KEY)')
    await db!.query('CREATE TABLE legacy_orders (id int)')
    expect((await p.cli(['check'])).stdout).toBe('The models and the database agree.\n')
    await db!.query('CREATE TABLE stray (id int)')
    expect((await p.cli(['check'])).stdout).toContain('  drop table stray\n')
  })

  it('a filter function and a schema list', async () => {
    db = await createDatabase('pglite')
    const p = createProject(db.url, { schema: './schema.ts' })
    writeFileSync(join(p.dir, 'schema.ts'), MODELS)
    // The config is code: a function filter needs the config module itself.
    writeFileSync(
      join(p.dir, 'aludel.config.ts'),
      `import { defineConfig } from 'aludel'
export default defineConfig({
  url: ${JSON.stringify(db.url)},
  schema: './schema.ts',
  include: { schemas: ['public'], filter: (object) => !object.name.startsWith('tmp_') },
})
`,
    )
    expect((await p.cli(['revision', '--autogenerate', '-m', 'init'])).code).toBe(0)
    expect((await p.cli(['upgrade', 'head'])).code).toBe(0)
    await db.query('CREATE TABLE tmp_import (id int)')
    expect((await p.cli(['check'])).stdout).toBe('The models and the database agree.\n')
  })
})
