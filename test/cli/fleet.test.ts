import { execFile } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/config/resolved-config.ts'
import { downgrade, runFleet, selectTargets, upgrade } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, repoRoot, type TestProject } from '../support/project.ts'

/**
 * One set of migrations on many targets of the PostgreSQL server: databases and schemas (one per
 * tenant) in mixed states, one tenant whose last migration fails, one URL nobody listens on. The
 * failing and unreachable targets are reported and stop nobody else, a rerun finishes what is
 * left and touches the rest not at all, and two fleet runs at once apply each migration once.
 */
const postgres = backends().find((b) => b.backend === 'postgres')!
const DATABASES = 50
const SCHEMAS = 200
const BROKEN = 'tenant_013'
/** The models every tenant's schema should match at head, written once without a schema. */
const MODELS = `import { boolean, integer, table, text } from 'aludel'

export const items = table('items', { id: integer().primaryKey(), note: text(), done: boolean() })
`

describe.skipIf(postgres.skip)('upgrade on many targets (PostgreSQL server)', () => {
  const databases: TestDatabase[] = []
  let shared: TestDatabase
  let project: TestProject
  let closedPort: number

  beforeAll(async () => {
    databases.push(
      ...(await Promise.all(Array.from({ length: DATABASES }, () => createDatabase('postgres')))),
    )
    shared = await createDatabase('postgres')
    const schemas = Array.from({ length: SCHEMAS }, (_, i) => tenant(i))
    await shared.query(schemas.map((s) => `CREATE SCHEMA ${s};`).join(''))
    closedPort = await freePort()
    const unreachable = new URL(shared.url)
    unreachable.port = String(closedPort)
    project = createProject(shared.url, {
      schema: './schema.ts',
      targets: [
        ...databases.map((db, i) => ({ name: `db-${i}`, url: db.url })),
        ...schemas.map((schema) => ({ name: schema.replace('_', '-'), schema })),
        { name: 'gone', url: unreachable.toString() },
      ],
    })
    writeFileSync(join(project.dir, 'schema.ts'), MODELS)
    project.writeMigration({
      revision: 'aaaaaaaaaaaa',
      message: 'items',
      upgrade:
        "await op.execute('CREATE TABLE items (id integer CONSTRAINT pk_items PRIMARY KEY, note text)')",
      downgrade: "await op.execute('DROP TABLE items')",
    })
    project.writeMigration({
      revision: 'bbbbbbbbbbbb',
      down: 'aaaaaaaaaaaa',
      message: 'first item',
      upgrade: 'await op.execute("INSERT INTO items VALUES (1, current_schema())")',
      downgrade: "await op.execute('DELETE FROM items')",
    })
    project.writeMigration({
      revision: 'cccccccccccc',
      down: 'bbbbbbbbbbbb',
      message: 'fails for one tenant',
      upgrade: `await op.execute("DO $$ BEGIN IF current_schema() = '${BROKEN}' THEN RAISE EXCEPTION 'tenant 13 is broken'; END IF; END $$")
  await op.execute('ALTER TABLE items ADD COLUMN done boolean')`,
      downgrade: "await op.execute('ALTER TABLE items DROP COLUMN done')",
    })
  }, 120_000)

  afterAll(async () => {
    await Promise.all([...databases, shared].map((db) => db?.drop()))
  })

  it('reports each target, isolates the failing and unreachable ones, and resumes', async () => {
    // Mixed states: some tenants are at head already, some one step in.
    const config = resolveConfig(project.config)
    const some = await selectTargets(config, ['tenant-00?', 'db-0'])
    expect(some.map((t) => t.name)).toEqual([
      'db-0',
      ...Array.from({ length: 10 }, (_, i) => tenant(i).replace('_', '-')),
    ])
    const early = await runFleet(some, (c) => upgrade(c, 'head'), { concurrency: 1 })
    expect({ ok: early.ok, failed: early.failed }).toEqual({ ok: 11, failed: 0 })
    await runFleet(await selectTargets(config, ['tenant-02*']), (c) => upgrade(c, '+1'))

    const run = await project.cli(['upgrade', 'head', '--all-targets', '--concurrency', '8'])
    expect(run.code).toBe(1)
    const total = DATABASES + SCHEMAS + 1
    expect(run.stdout).toContain(`${total} targets: ${total - 2} ok, 2 failed, 0 skipped`)
    expect(run.stdout).toMatch(/^tenant-013: failed after .*tenant 13 is broken/m)
    expect(run.stdout).toMatch(/^gone: failed after .*/m)
    // The summary table: a header, then one row per target in the config's order.
    expect(run.stdout).toMatch(/^target +from +to +steps +time +result$/m)
    expect(run.stdout).toMatch(/^db-0 +cccccccccccc +cccccccccccc +0 +\S+ ms +ok$/m)
    expect(run.stdout).toMatch(/^tenant-021 +aaaaaaaaaaaa +cccccccccccc +2 +\S+ ms +ok$/m)
    expect(run.stdout).toMatch(/^tenant-199 +<base> +cccccccccccc +3 +\S+ ms +ok$/m)
    // The failed tenant: where it started, the last good step it stands at, the steps applied.
    expect(run.stdout).toMatch(/^tenant-013 +<base> +bbbbbbbbbbbb +2 +\S+ ms +failed$/m)

    // Each tenant's tables and aludel's own live in its schema; the broken one kept its last
    // good step.
    for (let i = 0; i < SCHEMAS; i++) {
      const schema = tenant(i)
      expect({
        schema,
        rows: await shared.query(`SELECT version_num FROM ${schema}.aludel_version`),
      }).toEqual({
        schema,
        rows: [{ version_num: schema === BROKEN ? 'bbbbbbbbbbbb' : 'cccccccccccc' }],
      })
    }
    expect(
      await shared.query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'aludel%'",
      ),
    ).toEqual([])
    for (const db of databases) {
      expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
        { version_num: 'cccccccccccc' },
      ])
    }

    // A rerun touches only what is not at head: nothing is applied twice.
    const again = await project.cli(['upgrade', 'head', '--all-targets', '--json'])
    expect(again.code).toBe(1)
    const result = JSON.parse(again.stdout) as {
      targets: { target: string; result: string; steps: number }[]
      ok: number
      failed: number
    }
    expect(result.targets.filter((t) => t.steps > 0)).toEqual([])
    expect(result.targets.filter((t) => t.result === 'failed').map((t) => t.target)).toEqual([
      'tenant-013',
      'gone',
    ])
    const applied = await shared.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${tenant(21)}.aludel_version_ledger WHERE direction = 'upgrade'`,
    )
    expect(applied).toEqual([{ n: '3' }])
  }, 240_000)

  it('two fleet runs at once apply each migration once per target', async () => {
    const config = resolveConfig(project.config)
    const targets = await selectTargets(config, ['tenant-03*', 'db-*'])
    await runFleet(targets, (c) => upgrade(c, 'head'))
    await runFleet(await selectTargets(config, ['tenant-03*']), (c) => downgrade(c, 'base'))
    const [a, b] = await Promise.all([
      project.cli(['upgrade', 'head', '--target', 'tenant-03*', '--concurrency', '4']),
      project.cli(['upgrade', 'head', '--target', 'tenant-03*', '--concurrency', '4']),
    ])
    expect([a.code, b.code]).toEqual([0, 0])
    for (let i = 30; i < 40; i++) {
      const rows = await shared.query<{ revision: string; n: string }>(
        `SELECT revision, count(*) AS n FROM ${tenant(i)}.aludel_version_ledger WHERE direction = 'upgrade' GROUP BY revision ORDER BY revision`,
      )
      // Once before the downgrade, once after: never twice in one upgrade.
      expect(rows.map((r) => r.n)).toEqual(['2', '2', '2'])
    }
  }, 240_000)

  it('stops starting targets after a failure with --fail-fast', async () => {
    const run = await project.cli([
      'upgrade',
      'head',
      '--target',
      'tenant-01*',
      '--concurrency',
      '1',
      '--fail-fast',
    ])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^tenant-013: failed after/m)
    expect(run.stdout).toMatch(/^tenant-014: skipped: not started after an earlier target failed$/m)
    expect(run.stdout).toContain('10 targets: 3 ok, 1 failed, 6 skipped')
  }, 120_000)

  it('runs the canaries first and the rest only when they pass', async () => {
    // tenant-013 fails among the canaries: nobody else starts.
    const stopped = await project.cli([
      'upgrade',
      'head',
      '--target',
      'tenant-01*',
      '--canary',
      '4',
      '--concurrency',
      '2',
    ])
    expect(stopped.code).toBe(1)
    expect(stopped.stdout).toContain('10 targets: 3 ok, 1 failed, 6 skipped')
    // Canaries that pass (the first three in the config's order) let the others go.
    const passed = await project.cli([
      'upgrade',
      'head',
      '--target',
      'tenant-00*',
      '--target',
      'tenant-013',
      '--canary',
      '3',
      '--json',
    ])
    const result = JSON.parse(passed.stdout) as { ok: number; failed: number; skipped: number }
    expect({ code: passed.code, ...result }).toMatchObject({
      code: 1,
      ok: 10,
      failed: 1,
      skipped: 0,
    })
  }, 120_000)

  it('on a terminal, redraws one line per running target and a bar with the time left', async () => {
    // A pseudo-terminal from util-linux's script(1): the CLI sees a TTY on stdout.
    const command = [process.execPath, join(repoRoot, 'bin', 'aludel.js'), 'upgrade', 'head']
      .concat(['--target', 'tenant-1*', '--target', 'tenant-013', '--concurrency', '4'])
      .map((word) => `'${word}'`)
      .join(' ')
    const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
      execFile(
        'script',
        ['-qec', command, '/dev/null'],
        { cwd: project.dir, env: { ...process.env, DATABASE_URL: '', COLUMNS: '160' } },
        (error, stdout) => done({ code: error === null ? 0 : Number(error.code), output: stdout }),
      )
    })
    expect(code).toBe(1)
    // Live lines and the bar, redrawn in place with ANSI cursor movement.
    expect(output).toMatch(/\x1b\[\d+F\x1b\[0J/)
    expect(output).toMatch(
      / {2}tenant-1\d\d {2}(?:connecting|applying \w+|waiting for the migration lock) {2}\S+ ms/,
    )
    expect(output).toMatch(/\[#*\.*\] \d+\/101 · [01] failed · 0 skipped/)
    expect(output).toMatch(/ · about [\d.]+ (?:ms|s|min) left/)
    // The failure stays on screen; the block is cleared before the summary.
    expect(output).toMatch(/tenant-013: failed after .*tenant 13 is broken/)
    expect(output).toContain('101 targets: 100 ok, 1 failed, 0 skipped')
    const afterSummary = output.slice(output.indexOf('target  '))
    expect(afterSummary).not.toMatch(/\[#*\.*\] \d+\/101/)
  }, 120_000)

  it('current shows every target in one table, and which could not be read', async () => {
    const run = await project.cli(['current', '--target', 'tenant-01?', '--target', 'gone'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^target +revision +pending +edited +result$/m)
    expect(run.stdout).toMatch(/^tenant-012 +cccccccccccc +0 +0 +ok$/m)
    expect(run.stdout).toMatch(/^tenant-013 +bbbbbbbbbbbb +1 +0 +ok$/m)
    expect(run.stdout).toMatch(/^gone +- +- +- +failed: cannot connect to /m)
    // One vocabulary: `current` is the database's revisions, as in `current --json` of one database.
    const matrix = JSON.parse(
      (await project.cli(['current', '--target', 'tenant-01?', '--json'])).stdout,
    ) as { targets: { target: string; current: string[] }[] }
    expect(matrix.targets.find((t) => t.target === 'tenant-012')?.current).toEqual(['cccccccccccc'])
    const checked = await project.cli([
      'current',
      '--target',
      'tenant-01?',
      '--check-head',
      '--json',
    ])
    const result = JSON.parse(checked.stdout) as {
      targets: { target: string; result: string; pending?: number }[]
    }
    expect(result.targets.filter((t) => t.result !== 'ok').map((t) => t.target)).toEqual([
      'tenant-013',
    ])
    expect(checked.code).toBe(1)
  }, 120_000)

  it('says what is wrong with a selection or a target list', async () => {
    const config = resolveConfig(project.config)
    await expect(selectTargets(config, ['eu-*'])).rejects.toThrow(
      /^--target eu-\* matches none of the 251 targets \(db-0, db-1, db-2, db-3, db-4, \.\.\.\)$/,
    )
    const bad = (targets: unknown) =>
      selectTargets(resolveConfig({ ...project.config, targets } as never), ['*'])
    await expect(bad(undefined)).rejects.toThrow(/lists no targets; add targets:/)
    await expect(bad([{ name: 'a b' }])).rejects.toThrow(/target 1 needs a name of letters, digits/)
    await expect(bad([{ name: 'a' }, { name: 'a' }])).rejects.toThrow(/two targets are named a$/)
    await expect(bad([{ name: 'a', schema: 'Tenant' }])).rejects.toThrow(
      /target a: schema must be a plain lower-case name/,
    )
    await expect(bad([{ name: 'a', url: 'sqlite::memory:', schema: 't' }])).rejects.toThrow(
      /a schema target needs a postgres:\/\/ URL/,
    )
    await expect(
      bad(async () => {
        throw new Error('tenants table unreachable')
      }),
    ).rejects.toThrow(/targets\(\) failed: tenants table unreachable$/)
    const listed = await selectTargets(
      resolveConfig({ ...project.config, targets: async () => [{ name: 'x' }] } as never),
      ['*'],
    )
    expect(listed.map((t) => t.name)).toEqual(['x'])
    const cli = await project.cli(['upgrade', 'head', '--target', 'db-*', '--sql'])
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({
      code: 2,
      stderr:
        'error: --sql writes the script for one target, and 50 are selected (db-0, db-1, db-2, ...); name one with --target NAME, once per target\n',
    })
  })

  it('shares server sessions between targets: at most two per running target', async () => {
    // Read from another database, so that the test's own sessions do not count.
    const name = new URL(shared.url).pathname.slice(1)
    const observer = databases[0]!
    const opened = async () => {
      // Backends count their session in pg_stat_database as they end: wait until none is left.
      for (let i = 0; i < 100; i++) {
        const [busy] = await observer.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
          [name],
        )
        if (busy?.n === '0') break
        await new Promise((wait) => setTimeout(wait, 50))
      }
      const [row] = await observer.query<{ n: string }>(
        'SELECT sessions AS n FROM pg_stat_database WHERE datname = $1',
        [name],
      )
      return Number(row!.n)
    }
    for (const concurrency of [1, 8]) {
      const before = await opened()
      const down = await project.cli([
        'downgrade',
        'base',
        '--target',
        'tenant-1*',
        '--concurrency',
        String(concurrency),
        '--quiet',
      ])
      const up = await project.cli([
        'upgrade',
        'head',
        '--target',
        'tenant-1*',
        '--concurrency',
        String(concurrency),
        '--quiet',
      ])
      expect({ down: down.code, up: up.code, stderr: up.stderr }).toEqual({
        down: 0,
        up: 0,
        stderr: '',
      })
      // 100 targets, each once down and once up, on a handful of backends per run (one per
      // target and role would be 300 per run).
      const sessions = (await opened()) - before
      expect({ concurrency, sessions: Math.min(sessions, 2 * (2 * concurrency)) }).toEqual({
        concurrency,
        sessions,
      })
      expect(sessions).toBeGreaterThan(0)
    }
  }, 240_000)

  it('killed halfway (kill -9), a fleet run is finished by the next one, each step applied once', async () => {
    const tenants = Array.from({ length: 100 }, (_, i) => tenant(100 + i))
    const down = await project.cli(['downgrade', 'base', '--target', 'tenant-1*', '--quiet'])
    expect(down.code).toBe(0)
    const marks = await Promise.all(
      tenants.map(async (schema) => {
        const [row] = await shared.query<{ id: string | null }>(
          `SELECT max(id) AS id FROM ${schema}.aludel_version_ledger`,
        )
        return Number(row?.id ?? 0)
      }),
    )
    const running = project.start([
      'upgrade',
      'head',
      '--target',
      'tenant-1*',
      '--concurrency',
      '8',
    ])
    // Killed once some tenants are done and others are under way.
    for (
      let i = 0;
      i < 600 && (running.output.stdout.match(/^tenant-1\d\d: /gm) ?? []).length < 10;
      i++
    ) {
      await new Promise((wait) => setTimeout(wait, 25))
    }
    running.child.kill('SIGKILL')
    const killed = await running.done
    expect(killed.signal).toBe('SIGKILL')
    const rerun = await project.cli(['upgrade', 'head', '--target', 'tenant-1*', '--json'])
    expect(rerun.code).toBe(0)
    for (const [i, schema] of tenants.entries()) {
      const rows = await shared.query<{ revision: string; n: string }>(
        `SELECT revision, count(*) AS n FROM ${schema}.aludel_version_ledger WHERE direction = 'upgrade' AND id > $1 GROUP BY revision ORDER BY revision`,
        [marks[i]],
      )
      expect({ schema, rows }).toEqual({
        schema,
        rows: [
          { revision: 'aaaaaaaaaaaa', n: '1' },
          { revision: 'bbbbbbbbbbbb', n: '1' },
          { revision: 'cccccccccccc', n: '1' },
        ],
      })
      expect(await shared.query(`SELECT version_num FROM ${schema}.aludel_version`)).toEqual([
        { version_num: 'cccccccccccc' },
      ])
    }
  }, 240_000)

  it('downgrade and stamp across targets, at concurrency 1 and 8', async () => {
    const down = await project.cli([
      'downgrade',
      '-1',
      '--target',
      'tenant-04*',
      '--concurrency',
      '1',
    ])
    expect(down.code).toBe(0)
    expect(down.stdout).toMatch(
      /^tenant-041: cccccccccccc -> bbbbbbbbbbbb, 1 migration in \S+ ms$/m,
    )
    expect(down.stdout).toContain('10 targets: 10 ok, 0 failed, 0 skipped')
    const stamped = await project.cli([
      'stamp',
      'cccccccccccc',
      '--target',
      'tenant-04*',
      '--concurrency',
      '8',
    ])
    expect(stamped.code).toBe(0)
    expect(stamped.stdout).toMatch(
      /^tenant-045: bbbbbbbbbbbb -> cccccccccccc, stamped \(no migration run\) in \S+ ms$/m,
    )
    expect(stamped.stdout).toMatch(/^tenant-049 +bbbbbbbbbbbb +cccccccccccc +0 +\S+ ms +ok$/m)
    for (let i = 40; i < 50; i++) {
      expect(await shared.query(`SELECT version_num FROM ${tenant(i)}.aludel_version`)).toEqual([
        { version_num: 'cccccccccccc' },
      ])
    }
    // Nothing ran: the column the last migration adds is still gone.
    expect(
      await shared.query(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = 'tenant_044' AND column_name = 'done'",
      ),
    ).toEqual([])
    const sql = await project.cli(['stamp', 'head', '--all-targets', '--sql'])
    expect({ code: sql.code, stderr: sql.stderr }).toEqual({
      code: 2,
      stderr:
        'error: --sql writes the script for one target, and 251 are selected (db-0, db-1, db-2, ...); name one with --target NAME, once per target\n',
    })
  }, 120_000)

  it('check compares each target with the models written once without a schema', async () => {
    // tenant-04x were stamped at head without the last migration's column: they differ.
    const run = await project.cli([
      'check',
      '--target',
      'tenant-04*',
      '--target',
      'tenant-05*',
      '--target',
      'db-1',
    ])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^target +differences +result$/m)
    expect(run.stdout).toMatch(/^tenant-040 +1 +differs$/m)
    expect(run.stdout).toMatch(/^tenant-050 +0 +clean$/m)
    expect(run.stdout).toMatch(/^db-1 +0 +clean$/m)
    expect(run.stdout).toContain(
      'targets tenant-040, tenant-041, tenant-042 and 7 more differ from the models:\n  add column items.done (boolean)\n',
    )
    expect(run.stdout).toContain('21 targets: 11 clean, 10 differ, 0 failed')
    expect(run.stderr).toMatch(/^error: the models have changes no migration makes on some targets/)
    const clean = await project.cli([
      'check',
      '--target',
      'tenant-05*',
      '--concurrency',
      '1',
      '--json',
    ])
    const result = JSON.parse(clean.stdout) as { clean: number; drifted: number; failed: number }
    expect({ code: clean.code, ...result }).toMatchObject({
      code: 0,
      clean: 10,
      drifted: 0,
      failed: 0,
    })
    const gone = await project.cli(['check', '--target', 'gone'])
    expect(gone.code).toBe(1)
    expect(gone.stdout).toMatch(/^gone +- +failed: cannot connect to /m)
  }, 120_000)

  it('test runs the kit once, on a scratch database laid out like the first target', async () => {
    const ok = await project.cli(['test', '--target', 'tenant-000'])
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' })
    expect(ok.stdout).toMatch(/^Testing on a scratch database laid out like target tenant-000\n/)
    expect(ok.stdout).toContain('ok   models match the migrated schema')
    // The broken tenant's layout (its schema) is what breaks the last migration.
    const broken = await project.cli(['test', '--target', 'tenant-013'])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/^FAIL upgrade base -> head: .*tenant 13 is broken/m)
  }, 240_000)

  it("lint checks each target's pending migrations and groups the same findings", async () => {
    const file = project.writeMigration({
      revision: 'dddddddddddd',
      down: 'cccccccccccc',
      message: 'index',
      upgrade: "await op.execute('CREATE INDEX ix_items_note ON items (note)')",
      downgrade: "await op.execute('DROP INDEX ix_items_note')",
    })
    try {
      const run = await project.cli(['lint', '--target', 'tenant-01?', '--concurrency', '8'])
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/^target +migrations +errors +warnings +result$/m)
      expect(run.stdout).toMatch(/^tenant-012 +1 +1 +0 +fails$/m)
      // tenant-013 is one migration further behind.
      expect(run.stdout).toMatch(/^tenant-013 +2 +1 +0 +fails$/m)
      expect(run.stdout).toMatch(/^targets tenant-010, tenant-011, tenant-012 and 6 more:$/m)
      expect(run.stdout).toMatch(/^target tenant-013:$/m)
      expect(run.stdout).toContain('CREATE INDEX')
      const json = await project.cli([
        'lint',
        '--target',
        'tenant-01?',
        '--concurrency',
        '1',
        '--json',
      ])
      const result = JSON.parse(json.stdout) as {
        targets: { target: string; findings: unknown[] }[]
      }
      expect(result.targets.map((t) => t.findings.length)).toEqual(Array(10).fill(1))
      // GitHub annotations are per file: one per finding, however many targets share it.
      const github = await project.cli(['lint', '--target', 'tenant-01?', '--format', 'github'])
      expect(github.stdout.match(/^::error /gm)).toHaveLength(1)
      const traced = await project.cli(['lint', '--trace', '--all-targets'])
      expect(traced.stderr).toBe(
        'error: --trace measures the migrations on one scratch database; run it without --target or --all-targets\n',
      )
    } finally {
      rmSync(file)
    }
  }, 120_000)

  function tenant(i: number): string {
    return `tenant_${String(i).padStart(3, '0')}`
  }
})

/** A loopback port nothing listens on: bound, read, and closed again. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}
