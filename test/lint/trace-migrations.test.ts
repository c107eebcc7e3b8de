import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { TraceUnsupportedError, traceMigrations } from '../../src/lint/trace-migrations.ts'
import type { StatementTrace } from '../../src/lint/trace-types.ts'
import { backends } from '../support/databases.ts'
import { buildFixture, codeMigration, sqlMigration, useTraceDatabase } from './trace-support.ts'

function locksOf(statement: StatementTrace | undefined): readonly string[] {
  return (statement?.locks ?? []).map((l) => `${l.relation}: ${l.mode}`)
}

describe.each(backends())('traceMigrations on $backend', ({ backend, skip }) => {
  const database = useTraceDatabase(backend, skip)
  let dialect: Dialect
  let session: Connection
  const rows = async <Row>(sql: string) => (await session.query<Row>(sql)).rows
  beforeAll(async () => {
    if (skip) return
    dialect = database()
    session = await dialect.driver.connect('aludel test (assertions)')
  })
  afterAll(async () => {
    await session?.close()
  })
  const fixture = (setup?: string) => buildFixture(dialect, setup)

  it.skipIf(skip)(
    'numbers statements across operations as lint does; op.query really reads; data changes commit',
    async () => {
      await fixture()
      const [trace] = await traceMigrations(dialect, [
        codeMigration('data', async (op) => {
          await op.createIndex('child_note_idx', 'child', ['note'])
          const [top] = await op.query<{ n: number }>('SELECT max(amount) AS n FROM child')
          await op.execute('UPDATE child SET amount = $1 WHERE id = 1', [Number(top?.n) + 1])
          await op.execute("ALTER TABLE child ADD COLUMN extra int; COMMENT ON TABLE child IS 'x'")
        }),
      ])
      expect(trace?.error).toBeUndefined()
      const statements = trace?.statements ?? []
      expect(statements.map((s) => [s.index, s.sql])).toEqual([
        [0, 'CREATE INDEX child_note_idx ON child (note)'],
        [1, 'UPDATE child SET amount = $1 WHERE id = 1'],
        [2, 'ALTER TABLE child ADD COLUMN extra int'],
        [3, "COMMENT ON TABLE child IS 'x'"],
      ])
      expect(locksOf(statements[0])).toEqual(['public.child: ShareLock'])
      expect(locksOf(statements[1])).toContain('public.child: RowExclusiveLock')
      expect(locksOf(statements[2])).toEqual(['public.child: AccessExclusiveLock'])
      // Locks are held to the end of the transaction: only the mode not held yet is new.
      expect(locksOf(statements[3])).toEqual(['public.child: ShareUpdateExclusiveLock'])
      expect(await rows('SELECT amount FROM child WHERE id = 1')).toEqual([{ amount: 1001 }])
    },
  )

  it.skipIf(skip)(
    'a failing statement ends the trace: it is named, its migration is rolled back, later ones are not traced',
    async () => {
      await fixture()
      const traces = await traceMigrations(dialect, [
        sqlMigration('first', 'CREATE TABLE t1 (id int)'),
        sqlMigration('second', 'CREATE TABLE t2 (id int); INSERT INTO missing VALUES (1)'),
        sqlMigration('third', 'CREATE TABLE t3 (id int)'),
      ])
      expect(traces.map((t) => [t.revision, t.statements.length, t.error])).toEqual([
        ['first', 1, undefined],
        [
          'second',
          1,
          'statement 1 (INSERT INTO missing VALUES (1)) failed: relation "missing" does not exist (SQLSTATE 42P01)',
        ],
      ])
      expect(
        await rows("SELECT relname FROM pg_class WHERE relname IN ('t1', 't2', 't3') ORDER BY 1"),
      ).toEqual([{ relname: 't1' }])
    },
  )

  it.skipIf(skip)(
    'a transactional = false migration commits statement by statement, each traced in a transaction of its own',
    async () => {
      await fixture()
      const [trace] = await traceMigrations(dialect, [
        sqlMigration(
          'autocommit',
          'CREATE TABLE t1 (id int); INSERT INTO t1 VALUES (1); INSERT INTO missing VALUES (1)',
          false,
        ),
      ])
      expect(trace?.error).toBe(
        'statement 2 (INSERT INTO missing VALUES (1)) failed: relation "missing" does not exist (SQLSTATE 42P01)',
      )
      expect(trace?.statements.map((s) => s.mode)).toEqual(['transaction', 'transaction'])
      expect(locksOf(trace?.statements[1])).toEqual(['public.t1: RowExclusiveLock'])
      expect(await rows('SELECT id FROM t1')).toEqual([{ id: 1 }])
    },
  )

  it.skipIf(skip)(
    "leaves aludel's own tables, and tables asked for, out of the trace",
    async () => {
      await fixture('CREATE TABLE aludel_version (version_num text PRIMARY KEY)')
      const migration = sqlMigration(
        'own',
        'ALTER TABLE aludel_version ADD COLUMN note text; ALTER TABLE child ADD COLUMN note2 text',
      )
      const [byDefault] = await traceMigrations(dialect, [migration])
      expect(byDefault?.statements.map(locksOf)).toEqual([
        [],
        ['public.child: AccessExclusiveLock'],
      ])
      expect(byDefault?.statements[0]?.created).toEqual([])
      await fixture('CREATE TABLE aludel_version (version_num text PRIMARY KEY)')
      const [asked] = await traceMigrations(dialect, [migration], {
        excludeTables: ['public.child'],
      })
      expect(asked?.statements.map(locksOf)).toEqual([
        ['public.aludel_version: AccessExclusiveLock'],
        [],
      ])
    },
  )

  it.skipIf(skip)(
    'relationSizes reads row estimates and sizes from the catalog, without reading the tables',
    async () => {
      await fixture()
      const tracer = dialect.lockTracer!
      const names = ['child', 'public.parent', 'missing']
      // Never analyzed (autovacuum is off for the fixture): PostgreSQL 14+ says -1.
      expect((await tracer.relationSizes(session, names)).map((s) => s.rows)).toEqual([-1, -1])
      await session.execute('ANALYZE child, parent')
      await session.execute('BEGIN')
      try {
        const scans = 'SELECT sum(seq_scan + idx_scan)::int AS n FROM pg_stat_xact_user_tables'
        const [before] = await rows<{ n: number }>(scans)
        const sizes = await tracer.relationSizes(session, names)
        expect(await rows(scans)).toEqual([before])
        const [expected] = await rows<{ child: number | string; parent: number | string }>(
          "SELECT pg_total_relation_size('child') AS child, pg_total_relation_size('parent') AS parent",
        )
        expect(sizes).toEqual([
          { relation: 'public.child', rows: 1000, bytes: Number(expected?.child) },
          { relation: 'public.parent', rows: 10, bytes: Number(expected?.parent) },
        ])
        expect(sizes[0]!.bytes).toBeGreaterThan(sizes[1]!.bytes)
      } finally {
        await session.execute('ROLLBACK')
      }
    },
  )
})

describe('traceMigrations and other sessions on the PostgreSQL server', () => {
  const skip = backends().find((b) => b.backend === 'postgres')?.skip
  const database = useTraceDatabase('postgres', skip)

  it.skipIf(skip)('a statement waits for a lock no longer than the lock timeout', async () => {
    const dialect = database()
    await buildFixture(dialect)
    const blocker = await dialect.driver.connect('aludel test (blocker)')
    try {
      await blocker.execute('BEGIN; LOCK TABLE child IN ACCESS SHARE MODE')
      const [trace] = await traceMigrations(
        dialect,
        [sqlMigration('blocked', 'ALTER TABLE child ADD COLUMN extra int')],
        { lockTimeoutMs: 100 },
      )
      expect(trace?.error).toBe(
        'statement 0 (ALTER TABLE child ADD COLUMN extra int) failed: canceling statement due to lock timeout (SQLSTATE 55P03)',
      )
    } finally {
      await blocker.close()
    }
  })
})

describe('traceMigrations without a lock tracer', () => {
  it('says that the dialect cannot be traced', async () => {
    const dialect = await openDialect('pglite:memory', '/')
    const untraceable: Dialect = { ...dialect, lockTracer: undefined }
    await expect(traceMigrations(untraceable, [])).rejects.toThrow(TraceUnsupportedError)
    await dialect.driver.close()
  })
})
