import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

const CREATE =
  "await op.execute('CREATE TABLE orders (id bigint PRIMARY KEY, qty integer NOT NULL, note text); INSERT INTO orders SELECT g, g, repeat(\\'x\\', 40) FROM generate_series(1, 5000) g')"

/** a1 creates and fills orders; b2 changes a column type (a rewrite); c3 only warns. */
function writeMigrations(project: TestProject): void {
  project.writeMigration({ revision: 'a1a1a1a1a1a1', message: 'create orders', upgrade: CREATE })
  project.writeMigration({
    revision: 'b2b2b2b2b2b2',
    down: 'a1a1a1a1a1a1',
    message: 'widen qty',
    upgrade: "await op.execute('ALTER TABLE orders ALTER COLUMN qty TYPE bigint')",
  })
  project.writeMigration({
    revision: 'c3c3c3c3c3c3',
    down: 'b2b2b2b2b2b2',
    message: 'rename note',
    upgrade: "await op.execute('ALTER TABLE orders RENAME COLUMN note TO remark')",
  })
}

describe('aludel lint without a database', () => {
  let project: TestProject
  beforeAll(() => {
    project = createProject(undefined)
    writeMigrations(project)
  })
  afterAll(() => rmSync(project.dir, { recursive: true, force: true }))

  it('lints every file, worst migration first, and exits 1 on an error', async () => {
    const run = await project.cli(['lint'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('b2b2b2b2b2b2_widen_qty.ts')
    expect(lines[1]).toBe('  ERROR changing-column-type  line 11')
    expect(lines[2]).toBe('        ALTER TABLE orders ALTER COLUMN qty TYPE bigint')
    expect(lines[3]).toBe('        changes orders.qty from int4 to int8, which rewrites the table')
    expect(lines[4]).toMatch(
      /^ {8}why: rewrites orders and rebuilds every index on it under an ACCESS EXCLUSIVE lock/,
    )
    expect(lines[5]).toMatch(/^ {8}fix: expand and contract/)
    expect(run.stdout).toContain('c3c3c3c3c3c3_rename_note.ts\n  WARN  renaming-column  line 11\n')
    expect(lines.at(-2)).toBe('Linted 3 migrations (4 statements): 1 error, 1 warning, 0 info')
  })

  it('--fail-on sets the exit status; a range needs no database', async () => {
    expect((await project.cli(['lint', 'b2b2:c3c3'])).code).toBe(0)
    expect((await project.cli(['lint', 'b2b2:c3c3', '--fail-on', 'warning'])).code).toBe(1)
    expect((await project.cli(['lint', '--fail-on', 'never'])).code).toBe(0)
  })

  it('--json gives every finding with its texts', async () => {
    const run = await project.cli(['lint', '--json'])
    const parsed = JSON.parse(run.stdout) as {
      migrations: unknown[]
      findings: { rule: string; file: string; line: number; why: string; fix: string }[]
    }
    expect(parsed.migrations).toHaveLength(3)
    expect(parsed.findings.map((f) => f.rule)).toEqual(['changing-column-type', 'renaming-column'])
    expect(parsed.findings[0]).toMatchObject({ file: 'b2b2b2b2b2b2_widen_qty.ts', line: 11 })
    expect(run.code).toBe(1)
  })

  it('--format github writes workflow annotations on the file and line', async () => {
    const run = await project.cli(['lint', '--format', 'github'])
    const [first, second] = run.stdout.split('\n')
    expect(first).toMatch(
      /^::error file=migrations\/b2b2b2b2b2b2_widen_qty\.ts,line=11,title=aludel lint%3A changing-column-type::changes orders\.qty from int4 to int8, which rewrites the table%0AWhy: /,
    )
    expect(second).toMatch(
      /^::warning file=migrations\/c3c3c3c3c3c3_rename_note\.ts,line=11,title=aludel lint%3A renaming-column::/,
    )
  })

  it('refuses bad options with one line and exit 2', async () => {
    const bad = await project.cli(['lint', '--format', 'xml'])
    expect(bad.stderr).toBe("error: --format must be text, json or github, not 'xml'\n")
    expect(bad.code).toBe(2)
    const both = await project.cli(['lint', '--all', '--pending'])
    expect(both.stderr).toBe('error: give one of TARGET, FROM:TO, --pending or --all\n')
    expect(both.code).toBe(2)
    const unknown = await project.cli(['lint', 'nope:head'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.split('\n')).toHaveLength(2)
  })
})

for (const { backend, skip } of backends()) {
  describe.skipIf(skip !== undefined)(`aludel lint --trace on ${backend}`, () => {
    let db: TestDatabase
    let project: TestProject
    beforeAll(async () => {
      db = await createDatabase(backend)
      project = createProject(db.url)
      writeMigrations(project)
      expect((await project.cli(['upgrade', 'a1a1'])).code).toBe(0)
      await db.query('ANALYZE orders')
    })
    afterAll(async () => {
      await db?.drop()
      rmSync(project.dir, { recursive: true, force: true })
    })

    it('lints the pending migrations by default, and measures them with the sizes of the real tables', async () => {
      const run = await project.cli(['lint', '--trace'])
      expect(run.code).toBe(1)
      expect(run.stdout).not.toContain('a1a1a1a1a1a1_create_orders.ts')
      expect(run.stdout).toMatch(
        /measured: AccessExclusiveLock on orders \(≈5\.0 k rows, \d+(\.\d)? kB\); rewrote orders, .*orders_pkey/,
      )
      expect(run.stdout).toContain(
        'Trace (measured on a scratch database; sizes from the configured one):',
      )
      expect(run.stdout).toContain('Linted 2 migrations (2 statements): 1 error, 1 warning, 0 info')
      // The configured database was only read.
      expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
        { version_num: 'a1a1a1a1a1a1' },
      ])
    })
  })
}
