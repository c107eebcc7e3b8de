import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { downgradeSql, stampSql, upgrade, upgradeSql } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

function writeStory(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'create items',
    upgrade: "await op.execute('CREATE TABLE items (id int PRIMARY KEY, title text)')",
    downgrade: "await op.execute('DROP TABLE items')",
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: "seed it's data",
    upgrade:
      "await op.execute('INSERT INTO items VALUES ($1, $2)', [1, \"it's $1 -- not a comment\"])",
    downgrade: "await op.execute('DELETE FROM items WHERE id = $1', [1])",
  })
  project.writeMigration({
    revision: 'cccccc',
    down: 'bbbbbb',
    message: 'index concurrently',
    transactional: false,
    upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_items_title ON items (title)')",
    downgrade: "await op.execute('DROP INDEX CONCURRENTLY ix_items_title')",
  })
}

describe('offline --sql without a database', () => {
  it('writes the plan with step markers, transactions and version-table statements', async () => {
    const project = createProject(undefined)
    writeStory(project)
    const sql = await upgradeSql(project.config, 'base:head')
    const lines = sql.split('\n')
    expect(lines[0]).toMatch(/^-- aludel \d+\.\d+\.\d+: upgrade base:head$/)
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS aludel_version (')
    const markers = lines.filter((l) => l.startsWith('-- Running'))
    expect(markers).toEqual([
      '-- Running upgrade <base> -> aaaaaa, create items',
      "-- Running upgrade aaaaaa -> bbbbbb, seed it's data",
      '-- Running upgrade bbbbbb -> cccccc, index concurrently',
    ])
    const step2 = sql.slice(
      sql.indexOf('-- Running upgrade aaaaaa'),
      sql.indexOf('-- Running upgrade bbbbbb'),
    )
    expect(step2).toContain(
      "BEGIN;\nINSERT INTO items VALUES (1, 'it''s $1 -- not a comment');\nUPDATE aludel_version SET version_num = 'bbbbbb' WHERE version_num = 'aaaaaa';",
    )
    expect(step2.trimEnd().endsWith('COMMIT;')).toBe(true)
    const step3 = sql.slice(sql.indexOf('-- Running upgrade bbbbbb'))
    // The CONCURRENTLY statement comes first, outside any transaction.
    expect(step3.split('\n')[1]).toBe('CREATE INDEX CONCURRENTLY ix_items_title ON items (title);')
    expect(step3).toContain(
      "UPDATE aludel_version SET version_num = 'cccccc' WHERE version_num = 'bbbbbb';",
    )

    const partial = await upgradeSql(project.config, 'aaaaaa:bbbbbb')
    expect(partial.split('\n').filter((l) => l.startsWith('-- Running'))).toEqual([
      "-- Running upgrade aaaaaa -> bbbbbb, seed it's data",
    ])
    const down = await downgradeSql(project.config, 'head:base')
    expect(down.split('\n').filter((l) => l.startsWith('-- Running'))).toEqual([
      '-- Running downgrade cccccc -> bbbbbb, index concurrently',
      "-- Running downgrade bbbbbb -> aaaaaa, seed it's data",
      '-- Running downgrade aaaaaa -> <base>, create items',
    ])
    expect(down).toContain("DELETE FROM aludel_version WHERE version_num = 'aaaaaa';")
  })

  it('carries the same lock and statement timeouts as an online run', async () => {
    const project = createProject(undefined, { statementTimeout: '5min' })
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'patient',
      extra: "export const lockTimeout = '10s'",
      upgrade: "await op.execute('CREATE TABLE items (id int)')",
    })
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'index',
      transactional: false,
      upgrade: "await op.createIndex('ix_items_id', 'items', ['id'], { concurrently: true })",
    })
    const sql = await upgradeSql(project.config, 'base:head')
    const lines = sql.split('\n')
    expect(lines.slice(2, 4)).toEqual([
      'SET lock_timeout = 2000;',
      'SET statement_timeout = 300000;',
    ])
    const first = sql.slice(
      sql.indexOf('-- Running upgrade <base>'),
      sql.indexOf('-- Running upgrade aaaaaa'),
    )
    expect(first).toContain('BEGIN;\nSET LOCAL lock_timeout = 10000;\nCREATE TABLE items (id int);')
    // A concurrent build waits without blocking reads or writes, and a timeout would leave an
    // invalid index: it runs without a lock timeout, as online.
    const second = sql.slice(sql.indexOf('-- Running upgrade aaaaaa'))
    expect(second).toContain(
      'SET lock_timeout = 0;\nCREATE INDEX CONCURRENTLY ix_items_id ON items (id);\nSET lock_timeout = 2000;',
    )
  })

  it('uses one transaction for the run when configured', async () => {
    const project = createProject(undefined, { transactionPerMigration: false })
    writeStory(project)
    const sql = await upgradeSql(project.config, 'base:bbbbbb')
    expect(sql.match(/^BEGIN;$/gm)).toHaveLength(1)
    expect(sql.match(/^COMMIT;$/gm)).toHaveLength(1)
  })

  it('refuses op.query(), which needs a database', async () => {
    const project = createProject(undefined)
    project.writeMigration({ revision: 'aaaaaa', upgrade: "await op.query('SELECT 1')" })
    await expect(upgradeSql(project.config, 'base:head')).rejects.toThrow(
      /op\.query\(\) reads from the database, which --sql mode cannot do/,
    )
  })

  it('prints through the CLI with exit status 0', async () => {
    const project = createProject(undefined)
    writeStory(project)
    const run = await project.cli(['upgrade', 'base:head', '--sql'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('-- Running upgrade <base> -> aaaaaa, create items')
    const stamp = await project.cli(['stamp', 'base:bbbbbb', '--sql'])
    expect(stamp.code).toBe(0)
    expect(stamp.stdout).toContain("INSERT INTO aludel_version (version_num) VALUES ('bbbbbb');")
    // Stamping down records what it takes away, as online: an unstamp row per revision.
    const down = await project.cli(['stamp', 'bbbbbb:aaaaaa', '--sql'])
    expect(down.code).toBe(0)
    expect(down.stdout).toContain(
      "UPDATE aludel_version SET version_num = 'aaaaaa' WHERE version_num = 'bbbbbb';",
    )
    expect(down.stdout).toContain("'bbbbbb', 'unstamp', 'bbbbbb', '', 'seed it''s data', NULL")
  })
})

const postgres = backends().find((b) => b.backend === 'postgres')!

describe('offline SQL applied with psql leaves the database as online mode does', () => {
  let offline: TestDatabase
  let online: TestDatabase
  afterEach(async () => {
    await offline?.drop()
    await online?.drop()
  })

  it.skipIf(postgres.skip)('matches tables, data and version rows', async () => {
    offline = await createDatabase('postgres')
    online = await createDatabase('postgres')
    const project = createProject(online.url)
    writeStory(project)
    const script = join(project.dir, 'upgrade.sql')
    writeFileSync(script, await upgradeSql({ ...project.config, url: undefined }, 'base:head'))
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', offline.url, '-f', script], {
      stdio: 'pipe',
    })
    await upgrade(project.config, 'head')
    const snapshot = async (db: TestDatabase) => ({
      versions: await db.query('SELECT version_num FROM aludel_version ORDER BY 1'),
      items: await db.query('SELECT * FROM items ORDER BY id'),
      indexes: await db.query(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'items' ORDER BY 1",
      ),
      ledger: await db.query(
        'SELECT revision, direction, from_revisions, to_revisions, checksum FROM aludel_version_ledger ORDER BY id',
      ),
    })
    expect(await snapshot(offline)).toEqual(await snapshot(online))

    // And back down again, offline.
    const down = join(project.dir, 'downgrade.sql')
    writeFileSync(down, await downgradeSql({ ...project.config, url: undefined }, 'head:base'))
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', offline.url, '-f', down], {
      stdio: 'pipe',
    })
    expect(await offline.query("SELECT to_regclass('items') AS t")).toEqual([{ t: null }])
    expect(await offline.query('SELECT count(*)::int AS n FROM aludel_version')).toEqual([{ n: 0 }])
  })

  it.skipIf(postgres.skip)(
    'reads the starting point from the database when no range is given',
    async () => {
      online = await createDatabase('postgres')
      offline = await createDatabase('postgres')
      const project = createProject(online.url)
      writeStory(project)
      await upgrade(project.config, 'aaaaaa')
      const sql = await upgradeSql(project.config, 'head')
      expect(sql.split('\n').filter((l) => l.startsWith('-- Running'))).toEqual([
        "-- Running upgrade aaaaaa -> bbbbbb, seed it's data",
        '-- Running upgrade bbbbbb -> cccccc, index concurrently',
      ])
      const stamp = await stampSql(project.config, 'head')
      expect(stamp).toContain(
        "UPDATE aludel_version SET version_num = 'cccccc' WHERE version_num = 'aaaaaa';",
      )
    },
  )
})
