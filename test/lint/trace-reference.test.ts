import { describe, expect, it } from 'vitest'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { LOCK_MODES } from '../../src/dialect/lock-tracer.ts'
import { traceMigrations } from '../../src/lint/trace-migrations.ts'
import type { MigrationTrace, StatementTrace, TracedLock } from '../../src/lint/trace-types.ts'
import { backends } from '../support/databases.ts'
import { TRACE_CASES, type TraceCase } from './trace-reference-cases.ts'
import { buildFixture, sqlMigration, useTraceDatabase } from './trace-support.ts'

const SINGLE_SESSION_NOTE =
  'ran outside a transaction on a database with a single session: no other session could watch its locks and waits, which ended with it'
const NO_SCANS_NOTE = 'full scans are counted only for statements that run inside a transaction'

/**
 * Builds the fixture with one migration, then traces the case's migration. On a server, the case's
 * blocker runs first on a session of its own and is committed as soon as the statement is seen
 * waiting: the wait is measured for sure, and ended without a sleep.
 */
async function traceCase(
  dialect: Dialect,
  c: TraceCase,
): Promise<{ readonly trace: MigrationTrace; readonly seen: readonly string[] }> {
  await buildFixture(dialect, c.setup)
  const blocker =
    c.blocker !== undefined && dialect.adapter.supportsSeparateLockSession
      ? await dialect.driver.connect('aludel test (blocker)')
      : undefined
  const seen: string[] = []
  try {
    if (blocker !== undefined && c.blocker !== undefined) await blocker.execute(c.blocker)
    let open = blocker !== undefined
    const [trace] = await traceMigrations(
      dialect,
      [sqlMigration('traced', c.sql, c.transactional ?? true)],
      {
        onWait: async ({ wait }) => {
          seen.push(wait)
          if (open) await blocker?.execute('COMMIT')
          open = false
        },
      },
    )
    return { trace: trace!, seen }
  } finally {
    await blocker?.close()
  }
}

function lockText(lock: TracedLock): string {
  return `${lock.relation}: ${lock.mode}`
}

function sorted(items: readonly string[] | undefined): readonly string[] {
  return [...(items ?? [])].sort()
}

/** The table and kind each fixture relation must be reported with. */
function expectCoherent(lock: TracedLock): void {
  const table = lock.relation.startsWith('public.parent') ? 'public.parent' : 'public.child'
  const kind = / \(toast\)$/.test(lock.relation)
    ? 'other'
    : /(_idx|_key|_pkey|_unique|\(toast index\))$/.test(lock.relation)
      ? 'index'
      : 'table'
  expect({ table: lock.table, relkind: lock.relkind }, lockText(lock)).toEqual({
    table: kind === 'table' ? lock.relation : table,
    relkind: kind,
  })
  expect(LOCK_MODES).toContain(lock.mode)
}

function expectStatement(statement: StatementTrace, c: TraceCase, watched: boolean): void {
  const outside = c.transactional === false
  expect(c.sql.endsWith(statement.sql)).toBe(true)
  expect(statement.rewritten).toEqual(sorted(c.rewritten))
  expect(statement.created).toEqual(sorted(c.created))
  expect(statement.dropped).toEqual(sorted(c.dropped))
  expect(Object.fromEntries(statement.scanned.map((s) => [s.table, s.scans]))).toEqual(
    c.scanned ?? {},
  )
  for (const lock of statement.locks) expectCoherent(lock)
  const locks = statement.locks.map(lockText)
  if (!outside) {
    expect(statement.mode).toBe('transaction')
    expect(sorted(locks)).toEqual(sorted(c.locks))
    expect(statement.waits).toEqual([])
    expect(statement.notes).toEqual([])
    return
  }
  if (watched) {
    // What it held while it waited was seen for sure; what it took afterwards, maybe.
    expect(statement.mode).toBe('watched')
    expect(locks).toEqual(expect.arrayContaining([...(c.locks ?? [])]))
    const possible = new Set([...(c.locks ?? []), ...(c.mayAlsoHold ?? [])])
    expect(locks.filter((l) => !possible.has(l))).toEqual([])
    expect(statement.waits).toEqual(c.waits ?? [])
    expect(statement.notes).toEqual([NO_SCANS_NOTE])
  } else {
    // PGlite has one session: nothing can watch a statement that runs outside a transaction,
    // and its locks end with it. What the catalog keeps (created, dropped, rewritten) is checked.
    expect(statement.mode).toBe('unwatched')
    expect(locks).toEqual([])
    expect(statement.waits).toEqual([])
    expect(statement.notes).toEqual([SINGLE_SESSION_NOTE, NO_SCANS_NOTE])
  }
}

describe.each(backends())('trace of the reference operations on $backend', ({ backend, skip }) => {
  const database = useTraceDatabase(backend, skip)

  for (const c of TRACE_CASES) {
    it.skipIf(skip)(c.name, async () => {
      const dialect = database()
      const { trace, seen } = await traceCase(dialect, c)
      const statements = trace.statements
      if (c.error !== undefined) {
        expect(trace.error).toBe(c.error)
        expect(statements).toEqual([])
        return
      }
      expect(trace.error).toBeUndefined()
      const last = statements.at(-1)!
      expect(statements.map((s) => s.index)).toEqual(statements.map((_, i) => i))
      const watched = dialect.adapter.supportsSeparateLockSession
      expectStatement(last, c, watched)
      expect(seen).toEqual(watched ? (c.waits ?? []) : [])
    })
  }
})
