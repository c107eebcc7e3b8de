import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import {
  current,
  downgrade,
  LockTimeoutError,
  MigrationFailedError,
  stamp,
  upgrade,
} from '../../src/index.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * The runtime on every dialect: the same migrations, the same commands, the same expectations,
 * except where an engine differs — and those differences are total maps per backend, so a new
 * dialect that forgets one does not compile.
 */

/** Counting rows: PostgreSQL's count(*) is a bigint, which its driver returns as a string. */
const COUNT: Record<ConformanceBackend, string> = {
  pglite: 'count(*)::int',
  postgres: 'count(*)::int',
  sqlite: 'count(*)',
  mariadb: 'count(*)',
}

/** How each engine reports a table that does not exist, in a failed migration's message. */
const MISSING_TABLE: Record<ConformanceBackend, RegExp> = {
  pglite: /relation "nowhere" does not exist \(SQLSTATE 42P01\)/,
  postgres: /relation "nowhere" does not exist \(SQLSTATE 42P01\)/,
  sqlite: /no such table: nowhere/,
  mariadb: /Table '\w+\.nowhere' doesn't exist/,
}

/**
 * What a migration that fails at its second statement leaves behind: where DDL is transactional,
 * nothing; on MariaDB, whose every DDL statement commits, the table its first statement created,
 * and a report that says so.
 */
const HALFWAY: Record<ConformanceBackend, { readonly report: string; readonly audit: string }> = {
  pglite: { report: 'rolled back; the database is still at bbbbbb', audit: 'missing' },
  postgres: { report: 'rolled back; the database is still at bbbbbb', audit: 'missing' },
  sqlite: { report: 'rolled back; the database is still at bbbbbb', audit: 'missing' },
  mariadb: {
    report: 'it ran outside a transaction: 1 of its statements was applied and recorded',
    audit: 'exists',
  },
}

/** A name quoted as each engine reads it in plain SQL. */
const QUOTE: Record<ConformanceBackend, (name: string) => string> = {
  pglite: (name) => `"${name.replace(/"/g, '""')}"`,
  postgres: (name) => `"${name.replace(/"/g, '""')}"`,
  sqlite: (name) => `"${name.replace(/"/g, '""')}"`,
  mariadb: (name) => `\`${name.replace(/`/g, '``')}\``,
}

/** The tables named authors or books in the test's database. */
const SHOP_TABLES: Record<ConformanceBackend, string> = {
  pglite:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('authors', 'books')",
  postgres:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('authors', 'books')",
  sqlite: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('authors', 'books')",
  mariadb:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('authors', 'books')",
}

/**
 * How many processes upgrade at once: PGlite opens its folder in one process at a time, so there
 * the processes would queue for the folder itself, not for the migration lock.
 */
const PROCESSES: Record<ConformanceBackend, number> = {
  pglite: 1,
  postgres: 8,
  sqlite: 8,
  mariadb: 8,
}

/** Names that need quoting in every engine: quotes, a space, a reserved word, non-ASCII letters. */
const HOSTILE_TABLE = 'we"ird t`able'
const HOSTILE_COLUMN = 'select'
const UNICODE_COLUMN = 'prénom_名'

function writeShop(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'authors and books',
    extra: "import { integer, serial, table, text, varchar } from 'aludel'",
    upgrade: `await op.createTable(table('authors', {
    id: serial().primaryKey(),
    name: varchar(100).notNull(),
  }))
  await op.createTable(table('books', {
    id: serial().primaryKey(),
    title: varchar(200).notNull(),
    authorId: integer('author_id').notNull().references('authors', 'id', { name: 'fk_books_author', onDelete: 'cascade' }),
  }))
  await op.createIndex('ix_books_title', 'books', ['title'])`,
    downgrade: `await op.dropTable('books')
  await op.dropTable('authors')`,
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: 'seed and rename',
    extra: "import { text } from 'aludel'",
    upgrade: `await op.bulkInsert('authors', [{ name: 'Ann' }, { name: "O'Brien" }])
  await op.addColumn('books', 'isbn', text())
  await op.alterColumn('authors', 'name', { rename: 'full_name' })`,
    downgrade: `await op.alterColumn('authors', 'full_name', { rename: 'name' })
  await op.dropColumn('books', 'isbn')
  await op.execute('DELETE FROM authors')`,
  })
}

describe.each(conformanceBackends())('the runtime on $backend', ({ backend, skip }) => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })
  const count = async (table: string) =>
    (await db!.query<{ n: number }>(`SELECT ${COUNT[backend]} AS n FROM ${table}`))[0]!.n

  for (const transactionPerMigration of [true, false]) {
    it.skipIf(skip)(
      `upgrades, reports, downgrades and stamps (transactionPerMigration: ${transactionPerMigration})`,
      async () => {
        db = await createConformanceDatabase(backend)
        const project = createProject(db.url, { transactionPerMigration })
        writeShop(project)
        const up = await upgrade(project.config, 'head')
        expect(up.steps.map((s) => s.revision)).toEqual(['aaaaaa', 'bbbbbb'])
        expect(await db.query('SELECT full_name FROM authors ORDER BY full_name')).toEqual([
          { full_name: 'Ann' },
          { full_name: "O'Brien" },
        ])
        expect((await current(project.config)).atHead).toBe(true)
        expect(await count('aludel_version_ledger')).toBe(2)

        await downgrade(project.config, 'aaaaaa')
        expect(await count('authors')).toBe(0)
        await downgrade(project.config, 'base')
        expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([])
        // Every step has its ledger row, however the run's transactions were laid out.
        expect(await count('aludel_version_ledger')).toBe(4)
        const tables = await db.query<{ name: string }>(SHOP_TABLES[backend])
        expect(tables).toEqual([])

        await stamp(project.config, 'head')
        expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
          { version_num: 'bbbbbb' },
        ])
        await stamp(project.config, 'base')
        expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([])
      },
    )
  }

  it.skipIf(skip)(
    'a failing migration is rolled back, and the version table stays true',
    async () => {
      db = await createConformanceDatabase(backend)
      const project = createProject(db.url)
      writeShop(project)
      project.writeMigration({
        revision: 'cccccc',
        down: 'bbbbbb',
        message: 'breaks halfway',
        extra: "import { integer, table } from 'aludel'",
        upgrade: `await op.createTable(table('audit', { id: integer().primaryKey() }))
  await op.execute('INSERT INTO nowhere VALUES (1)')`,
      })
      const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
      expect(failed).toBeInstanceOf(MigrationFailedError)
      expect((failed as Error).message).toMatch(MISSING_TABLE[backend])
      expect((failed as Error).message).toContain(HALFWAY[backend].report)
      expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
        { version_num: 'bbbbbb' },
      ])
      const audit = await db
        .query('SELECT 1 FROM audit')
        .then(() => 'exists')
        .catch(() => 'missing')
      expect(audit).toBe(HALFWAY[backend].audit)
    },
  )

  it.skipIf(skip)('hostile names are quoted everywhere they go', async () => {
    db = await createConformanceDatabase(backend)
    const project = createProject(db.url)
    project.writeMigration({
      revision: 'aaaaaa',
      message: 'hostile',
      extra: "import { integer, table, text } from 'aludel'",
      upgrade: `await op.createTable(table(${JSON.stringify(HOSTILE_TABLE)}, {
    id: integer().primaryKey(),
    ${JSON.stringify(HOSTILE_COLUMN)}: text(${JSON.stringify(HOSTILE_COLUMN)}),
    ${JSON.stringify(UNICODE_COLUMN)}: text(${JSON.stringify(UNICODE_COLUMN)}),
  }))
  await op.createIndex('ix "odd"', ${JSON.stringify(HOSTILE_TABLE)}, [${JSON.stringify(UNICODE_COLUMN)}])
  await op.bulkInsert(${JSON.stringify(HOSTILE_TABLE)}, [{ id: 1, ${JSON.stringify(HOSTILE_COLUMN)}: "it's; DROP TABLE x --", ${JSON.stringify(UNICODE_COLUMN)}: 'Zoë' }])`,
      downgrade: `await op.dropTable(${JSON.stringify(HOSTILE_TABLE)})`,
    })
    await upgrade(project.config, 'head')
    const q = QUOTE[backend]
    const quoted = q(HOSTILE_TABLE)
    expect(
      await db.query(`SELECT ${q('select')}, ${q(UNICODE_COLUMN)} AS u FROM ${quoted}`),
    ).toEqual([{ select: "it's; DROP TABLE x --", u: 'Zoë' }])
    await downgrade(project.config, 'base')
    const left = await db
      .query(`SELECT 1 FROM ${quoted}`)
      .then(() => 'exists')
      .catch(() => 'gone')
    expect(left).toBe('gone')
  })

  it.skipIf(skip)('processes upgrading at once apply each migration exactly once', async () => {
    db = await createConformanceDatabase(backend)
    const project = createProject(db.url)
    const ids = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(5, '0')}`)
    ids.forEach((revision, i) => {
      project.writeMigration({
        revision,
        down: i === 0 ? null : ids[i - 1],
        upgrade:
          i === 0
            ? "await op.execute('CREATE TABLE applied (revision text NOT NULL)')"
            : `await op.execute("INSERT INTO applied (revision) VALUES ('${revision}')")`,
      })
    })
    const runs = await Promise.all(
      Array.from({ length: PROCESSES[backend] }, () => project.cli(['upgrade', 'head'])),
    )
    for (const run of runs)
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 0,
        stderr: expect.any(String),
      })
    expect(await count('applied')).toBe(19)
    expect(
      await db.query(
        `SELECT ${COUNT[backend]} AS n FROM aludel_version_ledger WHERE direction = 'upgrade'`,
      ),
    ).toEqual([{ n: 20 }])
  })
})

describe('offline SQL on SQLite', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('a --sql script, applied as it is, leaves what the online upgrade leaves', async () => {
    db = await createConformanceDatabase('sqlite')
    const project = createProject(db.url)
    writeShop(project)
    const script = await project.cli(['upgrade', 'base:head', '--sql'])
    expect(script.code).toBe(0)
    expect(script.stdout).toContain('BEGIN IMMEDIATE;')
    const { DatabaseSync } = await import('node:sqlite')
    const file = db.url.slice('sqlite:'.length)
    const direct = new DatabaseSync(file)
    try {
      direct.exec(script.stdout)
    } finally {
      direct.close()
    }
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([
      { version_num: 'bbbbbb' },
    ])
    expect(await db.query('SELECT full_name FROM authors ORDER BY full_name')).toEqual([
      { full_name: 'Ann' },
      { full_name: "O'Brien" },
    ])
    // lint's rules are PostgreSQL's: on SQLite it says so in one line instead of guessing.
    const linted = await project.cli(['lint', '--all'])
    expect({ code: linted.code, stderr: linted.stderr }).toEqual({
      code: 2,
      stderr:
        "error: aludel lint checks what PostgreSQL's DDL locks, rewrites and scans; it has no rules for sqlite databases\n",
    })
    // The database the script built is one the online runtime continues from.
    expect((await current(project.config)).atHead).toBe(true)
    await downgrade(project.config, 'base')
    expect(await db.query('SELECT version_num FROM aludel_version')).toEqual([])
  })
})

describe('SQLite lock waits', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('a file another connection keeps locked is waited for, up to lockWaitTimeout', async () => {
    db = await createConformanceDatabase('sqlite')
    const project = createProject(db.url, { lockWaitTimeout: 300 })
    writeShop(project)
    const { DatabaseSync } = await import('node:sqlite')
    const other = new DatabaseSync(db.url.slice('sqlite:'.length))
    // An application's long write transaction holds the file's write lock.
    other.exec('BEGIN IMMEDIATE')
    try {
      const failed = await upgrade(project.config, 'head').catch((e: unknown) => e)
      expect(failed).toBeInstanceOf(LockTimeoutError)
      expect((failed as Error).message).toBe(
        'gave up waiting for the migration lock after 0.3 s: it is held by another connection writing to the database file; wait for that run to finish, or raise lockWaitTimeout in aludel.config',
      )
      // Released while a runner waits: the runner goes on.
      setTimeout(() => other.exec('COMMIT'), 150)
      const waiting = createProject(db.url, { lockWaitTimeout: 5000 })
      writeShop(waiting)
      expect((await upgrade(waiting.config, 'head')).steps).toHaveLength(2)
    } finally {
      if (other.isTransaction) other.exec('ROLLBACK')
      other.close()
    }
  })
})

describe('the SQLite migration lock', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('is taken over from a holder whose process is gone, and waited for while it lives', async () => {
    db = await createConformanceDatabase('sqlite')
    const project = createProject(db.url, { lockWaitTimeout: 1000 })
    writeShop(project)
    await db.query(
      'CREATE TABLE aludel_version_lock (id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL, pid integer NOT NULL, host text NOT NULL, holder text NOT NULL, since text NOT NULL)',
    )
    const { hostname } = await import('node:os')
    // A process that has exited: its pid is free (a run killed with kill -9 leaves such a row).
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!
    await db.query('INSERT INTO aludel_version_lock VALUES (1, ?, ?, ?, ?, ?)', [
      'stale',
      dead,
      hostname(),
      `aludel upgrade (pid ${dead} on ${hostname()})`,
      new Date().toISOString(),
    ])
    const up = await upgrade(project.config, 'head')
    expect(up.steps).toHaveLength(2)
    expect(await db.query('SELECT token FROM aludel_version_lock')).toEqual([])

    // A live holder (this very process, as another run would be) is waited for, then named.
    await db.query('INSERT INTO aludel_version_lock VALUES (1, ?, ?, ?, ?, ?)', [
      'live',
      process.pid,
      hostname(),
      `aludel upgrade (pid ${process.pid} on ${hostname()})`,
      new Date().toISOString(),
    ])
    const blocked = await downgrade(project.config, 'base').catch((e: unknown) => e)
    expect(blocked).toBeInstanceOf(LockTimeoutError)
    expect((blocked as Error).message).toBe(
      `gave up waiting for the migration lock after 1 s: it is held by aludel upgrade (pid ${process.pid} on ${hostname()}) (connected since ${(await db.query<{ since: string }>('SELECT since FROM aludel_version_lock'))[0]!.since}); wait for that run to finish, or raise lockWaitTimeout in aludel.config`,
    )
    expect((await current(project.config)).current.map((h) => h.revision)).toEqual(['bbbbbb'])
  })
})
