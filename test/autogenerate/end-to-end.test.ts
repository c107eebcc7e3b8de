import { copyFileSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { catalogSnapshot } from '../support/catalog.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, repoRoot } from '../support/project.ts'
import { schemaDump } from '../support/schema-dump.ts'

const fixtures = resolve(repoRoot, 'test', 'fixtures')

describe.each(backends())('autogenerate end to end on $backend', ({ backend, skip }) => {
  const dropped: TestDatabase[] = []
  const database = async () => {
    const db = await createDatabase(backend)
    dropped.push(db)
    return db
  }
  afterEach(async () => {
    for (const db of dropped.splice(0)) await db.drop()
  })

  it.skipIf(skip)(
    'hand-written realistic models: autogenerate, upgrade, check clean, aludel test passes, downgrade to base',
    async () => {
      const db = await database()
      const project = createProject(db.url, { schema: './schema.ts' })
      copyFileSync(join(fixtures, 'realistic-models.ts'), join(project.dir, 'schema.ts'))
      const generate = await project.cli(['revision', '--autogenerate', '-m', 'initial schema'])
      expect(generate.stderr).toBe('')
      expect(generate.code).toBe(0)
      expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
      const checked = await project.cli(['check'])
      expect(checked.stdout).toBe('The models and the database agree.\n')
      expect(checked.code).toBe(0)
      const tables = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'billing') AND tablename NOT LIKE 'aludel%'",
      )
      expect(tables).toEqual([{ n: 23 }])

      const kit = await project.cli(['test'])
      expect(kit.stderr).toBe('')
      expect(kit.stdout).toMatch(/^ok {3}single head: head is [0-9a-f]{12}\n/)
      expect(kit.stdout).toContain(
        'ok   upgrade base -> head: 1 migration applied to a scratch database\n',
      )
      expect(kit.stdout).toContain(
        'ok   models match the migrated schema: autogenerate finds nothing to do\n',
      )
      expect(kit.stdout).toMatch(/ok {3}stairway [0-9a-f]{12}: up, down, up\n/)
      expect(kit.code).toBe(0)

      expect((await project.cli(['downgrade', 'base'])).code).toBe(0)
      const after = await catalogSnapshot(db)
      expect(after.columns).toEqual([])
      expect(after.enums).toEqual([])
    },
  )

  it.skipIf(skip)(
    'pull a hand-made database, check it clean, rebuild it from the pulled models: identical schema',
    async () => {
      const source = await database()
      const sql = readFileSync(join(fixtures, 'realistic-schema.sql'), 'utf8')
      await runScript(source, sql)
      const adopted = createProject(source.url, { schema: './schema.ts' })
      const pulled = await adopted.cli(['pull', '--output', 'schema.ts'])
      expect(pulled.stderr).toBe('')
      expect(pulled.stdout).toMatch(/^Wrote .*schema\.ts: 23 tables, 2 enums\n$/)
      const checkSource = await adopted.cli(['check'])
      expect(checkSource.stdout).toBe('The models and the database agree.\n')

      const target = await database()
      const rebuilt = createProject(target.url, { schema: './schema.ts' })
      copyFileSync(join(adopted.dir, 'schema.ts'), join(rebuilt.dir, 'schema.ts'))
      expect((await rebuilt.cli(['revision', '--autogenerate', '-m', 'from pull'])).code).toBe(0)
      expect((await rebuilt.cli(['upgrade', 'head'])).code).toBe(0)
      expect((await rebuilt.cli(['check'])).stdout).toBe('The models and the database agree.\n')
      expect(await catalogSnapshot(target)).toEqual(await catalogSnapshot(source))
      if (backend === 'postgres') {
        expect(schemaDump(target.url)).toBe(schemaDump(source.url))
      }
    },
  )
})

async function runScript(db: TestDatabase, sql: string): Promise<void> {
  // One statement at a time, so that an error names the statement; in one session, so that PGlite
  // starts once, not once a statement (that made this test take 40 s).
  await db.inspect(async (query) => {
    for (const statement of sql
      .replace(/--.*$/gm, '')
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      await query(statement)
    }
  })
}

void readdirSync
