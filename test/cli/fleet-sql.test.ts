import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * `--sql` for one target of a fleet: the script a DBA applies to one tenant's schema finds the
 * tenant's tables unqualified, as an online run does, and leaves that tenant exactly where
 * `aludel upgrade --target` would; a selection of several targets is refused with the count.
 */
const postgres = backends().find((b) => b.backend === 'postgres')!

describe.skipIf(postgres.skip)('--sql for one target (PostgreSQL server)', () => {
  let db: TestDatabase
  let project: TestProject

  beforeAll(async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c')
    project = createProject(db.url, {
      targets: [
        { name: 'tenant-a', schema: 'tenant_a' },
        { name: 'tenant-b', schema: 'tenant_b' },
        { name: 'tenant-c', schema: 'tenant_c' },
      ],
    })
    // The second step writes the schema it ran in: the script's search_path, seen from inside.
    const steps = [
      [
        'aaaaaaaaaaaa',
        'CREATE TABLE items (id integer PRIMARY KEY, note text)',
        'DROP TABLE items',
      ],
      ['bbbbbbbbbbbb', 'INSERT INTO items VALUES (1, current_schema())', 'DELETE FROM items'],
    ] as const
    for (const [i, [revision, up, down]] of steps.entries()) {
      project.writeMigration({
        revision,
        ...(i === 0 ? {} : { down: steps[i - 1]![0] }),
        upgrade: `await op.execute(${JSON.stringify(up)})`,
        downgrade: `await op.execute(${JSON.stringify(down)})`,
      })
    }
  }, 60_000)

  afterAll(async () => {
    await db?.drop()
    if (project !== undefined) rmSync(project.dir, { recursive: true, force: true })
  })

  it('writes one tenant its script, which applied by hand leaves it where upgrade would', async () => {
    const script = await project.cli(['upgrade', 'head', '--target', 'tenant-b', '--sql'])
    expect({ code: script.code, stderr: script.stderr }).toEqual({ code: 0, stderr: '' })
    expect(script.stdout).toContain('SET search_path = tenant_b;')
    expect(script.stdout).toContain('CREATE TABLE IF NOT EXISTS tenant_b.aludel_version (')

    await db.query(script.stdout)
    // The tenant's own schema got the table and the row, the others nothing.
    expect(await db.query('SELECT id, note FROM tenant_b.items')).toEqual([
      { id: 1, note: 'tenant_b' },
    ])
    expect(
      await db.query(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'items' ORDER BY 1",
      ),
    ).toEqual([{ table_schema: 'tenant_b' }])

    // An online run over every target finds tenant-b at head and applies only the others.
    const run = await project.cli(['upgrade', 'head', '--all-targets'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^tenant-a +<base> +bbbbbbbbbbbb +2 +\S+ ms +ok$/m)
    expect(run.stdout).toMatch(/^tenant-b +bbbbbbbbbbbb +bbbbbbbbbbbb +0 +\S+ ms +ok$/m)
    const ledger = await db.query<{ revision: string; run_by: string }>(
      'SELECT revision, run_by FROM tenant_b.aludel_version_ledger ORDER BY id',
    )
    expect(ledger.map((row) => row.revision)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb'])
    expect(ledger.every((row) => row.run_by.endsWith('(offline script)'))).toBe(true)

    // Down again, by script, for one tenant.
    const down = await project.cli(['downgrade', 'base', '--target', 'tenant-a', '--sql'])
    expect(down.code).toBe(0)
    await db.query(down.stdout)
    expect(
      await db.query(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'items' ORDER BY 1",
      ),
    ).toEqual([{ table_schema: 'tenant_b' }, { table_schema: 'tenant_c' }])
    expect(await db.query('SELECT version_num FROM tenant_a.aludel_version')).toEqual([])
  }, 120_000)

  it('stamps one tenant by script', async () => {
    const script = await project.cli(['stamp', 'aaaaaaaaaaaa', '--target', 'tenant-a', '--sql'])
    expect(script.code).toBe(0)
    await db.query(script.stdout)
    expect(await db.query('SELECT version_num FROM tenant_a.aludel_version')).toEqual([
      { version_num: 'aaaaaaaaaaaa' },
    ])
  }, 60_000)

  it('refuses a selection of several targets, saying how many and what to do', async () => {
    const all = await project.cli(['upgrade', 'head', '--all-targets', '--sql'])
    expect({ code: all.code, stdout: all.stdout, stderr: all.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --sql writes the script for one target, and 3 are selected (tenant-a, tenant-b, tenant-c); name one with --target NAME, once per target\n',
    })
    const two = await project.cli([
      'stamp',
      'head',
      '--target',
      'tenant-a',
      '--target',
      'tenant-c',
      '--sql',
    ])
    expect({ code: two.code, stderr: two.stderr }).toEqual({
      code: 2,
      stderr:
        'error: --sql writes the script for one target, and 2 are selected (tenant-a, tenant-c); name one with --target NAME, once per target\n',
    })
  }, 60_000)
})
