import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import {
  current,
  downgrade,
  LockLostError,
  MigrationFailedError,
  type RunEvent,
  upgrade,
} from '../../src/index.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
  tableNames,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * What MariaDB does differently, on an operator's bad day: every DDL statement commits on its own,
 * so a step is applied statement by statement and a failure says what was applied; an ALTER TABLE
 * must not copy a big table under a write lock unnoticed; a foreign key is added without blocking
 * writes and the rows that break it are named; a metadata lock held by an open transaction is
 * waited for up to lockTimeout and retried; a killed lock session stops the run; a killed run's
 * statement still executing on the server is waited for; and an offline script applies with the
 * mysql client as the online run would.
 */

const mariadb = conformanceBackends().find((b) => b.backend === 'mariadb')!

function writeItems(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'items',
    extra: "import { integer, serial, table, text, varchar } from 'aludel'",
    upgrade: `await op.createTable(table('owners', { id: integer().primaryKey(), name: varchar(50).notNull() }))
  await op.createTable(table('items', {
    id: serial().primaryKey(),
    title: varchar(200).notNull(),
    code: varchar(20),
    ownerId: integer('owner_id'),
    note: text(),
  }))
  await op.createIndex('ix_items_title', 'items', ['title'])
  await op.bulkInsert('owners', [{ id: 1, name: 'Ann' }])
  await op.bulkInsert('items', [{ title: 'apple', code: '10', owner_id: 1 }, { title: 'pear', code: '20', owner_id: 1 }])`,
    downgrade: `await op.dropTable('items')
  await op.dropTable('owners')`,
  })
}

/** Waits until a statement of the test's database is in `DO SLEEP` (for at most 10 s). */
async function untilSleeping(db: ConformanceDatabase): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const sleeping = await db.query(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'DO SLEEP%'",
    )
    if (sleeping.length > 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('no statement of the test database started sleeping within 10 s')
}

const CODE_AS_INTEGER = {
  revision: 'bbbbbb',
  down: 'aaaaaa',
  message: 'code as integer',
  extra: "import { integer, varchar } from 'aludel'",
  upgrade: "await op.alterColumn('items', 'code', { type: integer(), existingType: varchar(20) })",
  downgrade:
    "await op.alterColumn('items', 'code', { type: varchar(20), existingType: integer() })",
}

describe.skipIf(mariadb.skip)('MariaDB: DDL that commits on its own', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('a type change copies a small table, and is refused on a big one unless the URL allows it', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    writeItems(project)
    project.writeMigration(CODE_AS_INTEGER)
    await upgrade(project.config, 'head')
    expect(await db.query('SELECT code FROM items ORDER BY id')).toEqual([
      { code: 10 },
      { code: 20 },
    ])
    await downgrade(project.config, 'aaaaaa')

    // Over a megabyte of rows: the copy would block writes for as long as it takes.
    await db.query(
      "INSERT INTO items (title, code, note) SELECT CONCAT('t', seq), '1', REPEAT('x', 2000) FROM seq_1_to_2000",
    )
    await db.query('ANALYZE TABLE items')
    const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(MigrationFailedError)
    expect((failed as Error).message).toContain(
      'ALGORITHM=INPLACE is not supported. Reason: Cannot change column type. Try ALGORITHM=COPY',
    )
    expect((failed as Error).message).toContain(
      'the server can make this change only by copying the table, which blocks writes to it until the copy ends',
    )
    expect((failed as Error).message).toContain('none of its statements was applied')
    expect((await current(project.config)).current.map((h) => h.revision)).toEqual(['aaaaaa'])

    // The operator decides the copy is acceptable: the URL lets the server choose.
    const allowed = createProject(`${db.url}?onlineDdl=off`)
    writeItems(allowed)
    allowed.writeMigration(CODE_AS_INTEGER)
    expect((await upgrade(allowed.config, 'head')).steps).toHaveLength(1)
  })

  it('a foreign key is added without blocking writes, then the rows that break it are named', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    writeItems(project)
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'owners',
      upgrade: `await op.execute('UPDATE items SET owner_id = 99 WHERE id = 2')
  await op.createForeignKey('fk_items_owner', 'items', 'owners', ['owner_id'], ['id'])`,
      downgrade: "await op.dropConstraint('fk_items_owner', 'items')",
    })
    const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(MigrationFailedError)
    const message = (failed as Error).message
    expect(message).toContain(
      'foreign key fk_items_owner of items now guards new rows, but existing rows break it; fix or delete them (owner_id): 99',
    )
    expect(message).toContain('2 of its statements were applied and recorded')
    // The key is in place and refuses a new orphan.
    await expect(
      db.query('INSERT INTO items (title, owner_id) VALUES (?, ?)', ['x', 42]),
    ).rejects.toThrow(/foreign key constraint fails/)
    // Fixed by hand, the run resumes after what was applied.
    await db.query('UPDATE items SET owner_id = 1 WHERE id = 2')
    const resumed: RunEvent[] = []
    await upgrade(project.config, 'head', { onEvent: (e) => resumed.push(e) })
    expect(resumed.some((e) => e.type === 'warning' && e.code === 'RESUMING')).toBe(true)
    expect((await current(project.config)).atHead).toBe(true)
  })

  it('an ALTER that waits behind an open transaction gives up at lockTimeout and is retried alone', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url, {
      lockTimeout: '1s',
      lockRetry: { attempts: 5, initialDelay: '200ms', maxDelay: '200ms' },
    })
    writeItems(project)
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'a column',
      extra: "import { text } from 'aludel'",
      upgrade: `await op.execute('CREATE TABLE audit (id int)')
  await op.addColumn('items', 'extra', text())`,
      downgrade: `await op.dropColumn('items', 'extra')
  await op.execute('DROP TABLE audit')`,
    })
    await upgrade(project.config, 'aaaaaa')
    const mysql = (await import('mysql2/promise')).default
    const app = await mysql.createConnection({ uri: db.url })
    try {
      // An application's transaction read the table and stays open: it holds a metadata lock.
      await app.query('START TRANSACTION')
      await app.query('SELECT * FROM items')
      const events: RunEvent[] = []
      const run = upgrade(project.config, 'head', { onEvent: (e) => events.push(e) })
      // Released after the first try has given up.
      await new Promise((resolve) => setTimeout(resolve, 1600))
      await app.query('COMMIT')
      expect((await run).steps).toHaveLength(1)
      // The ALTER alone was tried again: the CREATE TABLE before it ran once.
      expect(events.filter((e) => e.type === 'lock-retry').length).toBeGreaterThanOrEqual(1)
      expect(events.some((e) => e.type === 'warning')).toBe(false)
    } finally {
      await app.end()
    }
    expect(
      await db.query(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'extra'",
      ),
    ).toEqual([{ n: 1 }])
  })

  it('a killed lock session stops the run before its next statement', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    writeItems(project)
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'slow',
      upgrade: `await op.execute('CREATE TABLE first_one (id int)')
  await op.execute('DO SLEEP(1.5)')
  await op.execute('CREATE TABLE never (id int)')`,
      downgrade: "await op.execute('DROP TABLE first_one')",
    })
    await upgrade(project.config, 'aaaaaa')
    const run = upgrade(project.config, 'head').catch((e: unknown) => e)
    // The run's lock session holds the named lock: kill it while the step sleeps.
    await untilSleeping(db)
    const locks = await db.query<{ id: number | null }>(
      "SELECT IS_USED_LOCK(CONCAT('aludel:', LEFT(SHA2(CONCAT(DATABASE(), CHAR(0), '', CHAR(0), 'aludel_version'), 256), 40))) AS id",
    )
    const holder = locks[0]?.id ?? undefined
    expect(holder).toBeDefined()
    await db.query(`KILL ${holder}`)
    const failed = await run
    expect(failed).toBeInstanceOf(LockLostError)
    expect(await tableNames(db, 'first_one')).toEqual(['first_one'])
    expect(await tableNames(db, 'never')).toEqual([])
  })

  it('after kill -9, the next run waits for the statement still running on the server, then resumes', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url, { lockWaitTimeout: 20_000 })
    writeItems(project)
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'slow',
      upgrade: `await op.execute('CREATE TABLE first_one (id int)')
  await op.execute('DO SLEEP(2)')
  await op.execute('CREATE TABLE second_one (id int)')`,
      downgrade: `await op.execute('DROP TABLE second_one')
  await op.execute('DROP TABLE first_one')`,
    })
    await upgrade(project.config, 'aaaaaa')
    const killed = project.start(['upgrade', 'head'])
    await untilSleeping(db)
    killed.child.kill('SIGKILL')
    expect((await killed.done).signal).toBe('SIGKILL')
    // The server frees the dead run's migration lock at once, but its work session still sleeps.
    const events: RunEvent[] = []
    await upgrade(project.config, 'head', { onEvent: (e) => events.push(e) })
    expect(events.some((e) => e.type === 'session-wait')).toBe(true)
    expect(events.some((e) => e.type === 'warning' && e.code === 'RESUMING')).toBe(true)
    expect(await tableNames(db, '%_one')).toEqual(['first_one', 'second_one'])
    expect((await current(project.config)).atHead).toBe(true)
  })

  it('a version row taken away during a step is a conflict: the step stays applied, the version table true', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    writeItems(project)
    project.writeMigration({
      revision: 'bbbbbb',
      down: 'aaaaaa',
      message: 'meddles',
      upgrade: `await op.execute('CREATE TABLE two (id int)')
  await op.execute('DELETE FROM aludel_version')`,
    })
    await upgrade(project.config, 'aaaaaa')
    const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect((error as Error).message).toContain(
      'upgrade bbbbbb (meddles) failed: the version table no longer holds aaaaaa; someone changed it during the run',
    )
    expect((error as Error).message).toContain('2 of its statements were applied and recorded')
    // The bookkeeping was rolled back as a whole: no ledger row, no version row for bbbbbb.
    expect(
      await db.query("SELECT revision FROM aludel_version_ledger WHERE revision = 'bbbbbb'"),
    ).toEqual([])
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([])
  })

  it('an upgrade --sql script, applied with the mysql client, leaves what the online upgrade leaves', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    writeItems(project)
    const script = await project.cli(['upgrade', 'base:head', '--sql'])
    expect({ code: script.code, stderr: script.stderr }).toEqual({ code: 0, stderr: '' })
    const url = new URL(db.url)
    execFileSync(
      'mysql',
      ['-h', url.hostname, '-P', url.port || '3306', '-u', url.username, url.pathname.slice(1)],
      {
        input: script.stdout,
      },
    )
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'aaaaaa' },
    ])
    expect(await db.query('SELECT title FROM items ORDER BY id')).toEqual([
      { title: 'apple' },
      { title: 'pear' },
    ])
    expect((await current(project.config)).atHead).toBe(true)
    await downgrade(project.config, 'base')
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([])
  })

  it('an --sql script means the same text on a server whose sql_mode takes backslashes literally', async () => {
    db = await createConformanceDatabase('mariadb')
    const project = createProject(db.url)
    // A default with a backslash in the DDL, and a value with backslashes and quotes as data.
    project.writeMigration({
      revision: 'aaaaaa',
      extra: "import { integer, sql, table, varchar } from 'aludel'",
      upgrade: `await op.createTable(table('notes', { id: integer().primaryKey(), body: varchar(40).default(sql\`'a\\\\b'\`) }))
  await op.execute('INSERT INTO notes (id, body) VALUES (?, ?)', [1, "back\\\\slash 'q' end\\\\"])
  await op.execute('INSERT INTO notes (id) VALUES (2)')`,
    })
    const script = await project.cli(['upgrade', 'base:head', '--sql'])
    expect({ code: script.code, stderr: script.stderr }).toEqual({ code: 0, stderr: '' })
    const url = new URL(db.url)
    execFileSync(
      'mysql',
      [
        '-h',
        url.hostname,
        '-P',
        url.port || '3306',
        '-u',
        url.username,
        "--init-command=SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')",
        url.pathname.slice(1),
      ],
      { input: script.stdout },
    )
    expect(await db.query('SELECT id, body FROM notes ORDER BY id')).toEqual([
      { id: 1, body: "back\\slash 'q' end\\" },
      { id: 2, body: 'a\\b' },
    ])
  })
})
