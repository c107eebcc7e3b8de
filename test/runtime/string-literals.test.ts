import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { upgrade, upgradeSql } from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * Messages and values that aludel writes as SQL literals (the ledger's message, inlined
 * parameters) must mean the same text whatever `standard_conforming_strings` says: with it off,
 * backslashes in '...' are escapes, and a crafted message could end the literal early.
 */
const HOSTILE_MESSAGES = [
  "it's \\'; DROP TABLE victim; --",
  'ends with a backslash \\',
  "quote ' and backslash \\\\ and \\n not a newline",
]
const HOSTILE_VALUE = "back\\slash 'quoted' \\' E'\\x41' end\\"

/**
 * The first migration can switch the setting for the rest of the run's session: the setting is
 * then in force for every later step and its bookkeeping, on any backend.
 */
function writeHostile(project: TestProject, setting?: 'on' | 'off'): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'notes table',
    upgrade: `await op.execute('CREATE TABLE notes (body text)')${setting === undefined ? '' : `; await op.execute('SET standard_conforming_strings = ${setting}')`}`,
  })
  HOSTILE_MESSAGES.forEach((message, i) => {
    project.writeMigration({
      revision: `b${i}b${i}b${i}`,
      down: i === 0 ? 'aaaaaa' : `b${i - 1}b${i - 1}b${i - 1}`,
      message,
      upgrade: `await op.execute("INSERT INTO seen SELECT current_setting('standard_conforming_strings')"); await op.execute('INSERT INTO notes VALUES ($1)', [${JSON.stringify(HOSTILE_VALUE)}])`,
    })
  })
}

describe.each(backends())(
  'string literals under either standard_conforming_strings on $backend',
  ({ backend, skip }) => {
    let db: TestDatabase
    afterEach(async () => {
      if (!skip) await db.drop()
    })

    for (const setting of ['on', 'off'] as const) {
      it.skipIf(skip)(
        `hostile messages and values stay text (standard_conforming_strings ${setting})`,
        async () => {
          db = await createDatabase(backend)
          await db.query('CREATE TABLE victim (id int)')
          await db.query('CREATE TABLE seen (setting text)')
          const project = createProject(db.url)
          writeHostile(project, setting)
          await upgrade(project.config, 'head')
          expect(await db.query("SELECT to_regclass('victim')::text AS t")).toEqual([
            { t: 'victim' },
          ])
          expect(await db.query('SELECT DISTINCT setting FROM seen')).toEqual([{ setting }])
          const ledger = await db.query<{ message: string }>(
            "SELECT message FROM aludel_version_ledger WHERE revision LIKE 'b%' ORDER BY id",
          )
          expect(ledger.map((r) => r.message)).toEqual(HOSTILE_MESSAGES)
          const notes = await db.query<{ body: string }>('SELECT body FROM notes')
          expect(notes.map((r) => r.body)).toEqual(HOSTILE_MESSAGES.map(() => HOSTILE_VALUE))
        },
      )
    }
  },
)

const postgres = backends().find((b) => b.backend === 'postgres')!

describe.skipIf(postgres.skip)('offline scripts under standard_conforming_strings off', () => {
  let db: TestDatabase
  afterEach(async () => {
    await db?.drop()
  })

  it('an offline script applied with psql under standard_conforming_strings off writes the same text', async () => {
    db = await createDatabase('postgres')
    await db.query(
      "DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET standard_conforming_strings = off', current_database()); END$$",
    )
    await db.query('CREATE TABLE victim (id int)')
    await db.query('CREATE TABLE seen (setting text)')
    const project = createProject(undefined)
    writeHostile(project)
    const file = join(project.dir, 'upgrade.sql')
    writeFileSync(file, await upgradeSql(project.config, 'base:head'))
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file], {
      stdio: 'pipe',
    })
    expect(await db.query("SELECT to_regclass('victim')::text AS t")).toEqual([{ t: 'victim' }])
    expect(await db.query('SELECT DISTINCT setting FROM seen')).toEqual([{ setting: 'off' }])
    const ledger = await db.query<{ message: string }>(
      "SELECT message FROM aludel_version_ledger WHERE revision LIKE 'b%' ORDER BY id",
    )
    expect(ledger.map((r) => r.message)).toEqual(HOSTILE_MESSAGES)
    const notes = await db.query<{ body: string }>('SELECT body FROM notes')
    expect(notes.map((r) => r.body)).toEqual(HOSTILE_MESSAGES.map(() => HOSTILE_VALUE))
  })
})
