import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lint } from '../../src/commands/lint.ts'
import { createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

const BEFORE = `import { bigint, table, text } from 'aludel'
export const users = table('users', { id: bigint().primaryKey(), email: text() })
export const orders = table('orders', {
  id: bigint().primaryKey(),
  userId: bigint('user_id'),
  status: text(),
  total: bigint(),
})
`

/** The same tables with an index, a foreign key, a check, a NOT NULL and a unique constraint. */
const AFTER = `import { bigint, sql, table, text } from 'aludel'
export const users = table('users', { id: bigint().primaryKey(), email: text().notNull().unique() })
export const orders = table('orders', {
  id: bigint().primaryKey(),
  userId: bigint('user_id').references(() => users.id),
  status: text().index(),
  total: bigint().check('total_positive', sql\`total >= 0\`),
})
`

/** Autogenerate with `safeMigrations` writes files that pass their own lint; without, they do not. */
describe('safe autogenerate passes lint', () => {
  let db: TestDatabase
  let project: TestProject
  beforeAll(async () => {
    db = await createDatabase('pglite')
    project = createProject(db.url, { schema: './schema.ts' })
    writeFileSync(join(project.dir, 'schema.ts'), BEFORE)
    expect(
      (await project.cli(['revision', '--autogenerate', '-m', 'create', '--rev-id', 'a0'])).code,
    ).toBe(0)
    expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
    writeFileSync(join(project.dir, 'schema.ts'), AFTER)
  })
  afterAll(async () => {
    await db?.drop()
    rmSync(project.dir, { recursive: true, force: true })
  })

  it('lints the plain forms as errors', async () => {
    const plain = await project.cli([
      'revision',
      '--autogenerate',
      '--no-safe',
      '-m',
      'constrain',
      '--rev-id',
      'b1',
    ])
    expect(plain.stderr).toBe('')
    expect(plain.code).toBe(0)
    const { findings } = await lint(project.config, { selection: { kind: 'pending' } })
    expect(
      findings
        .filter((f) => f.severity === 'error')
        .map((f) => f.rule)
        .sort(),
    ).toEqual([
      'adding-not-nullable-field',
      'constraint-missing-not-valid',
      'constraint-missing-not-valid',
      'disallowed-unique-constraint',
      'require-concurrent-index-creation',
    ])
    rmSync(join(project.migrationsDir, 'b1_constrain.ts'))
  })

  it('writes two files with --safe, and lint (rules and trace) finds no error in them', async () => {
    const safe = await project.cli([
      'revision',
      '--autogenerate',
      '--safe',
      '-m',
      'constrain',
      '--rev-id',
      'c2',
    ])
    expect(safe.code).toBe(0)
    expect(safe.stdout).toMatch(
      /Generated .*c2_constrain\.ts\nGenerated .*c2_concurrent_.*\.ts \(concurrent part: runs outside a transaction, after c2\)\n/,
    )
    const result = await lint(project.config, { selection: { kind: 'pending' }, trace: true })
    expect(result.migrations.map((m) => m.transactional)).toEqual([true, false])
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(result.traces?.every((t) => t.error === undefined)).toBe(true)
    // And they apply.
    expect((await project.cli(['upgrade', 'head'])).code).toBe(0)
  })
})
