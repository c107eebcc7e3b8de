import { LOCK_MODES, type LockMode } from '../dialect/lock-tracer.ts'
import { finding } from './lint-engine.ts'
import type { CollectedMigration, LintFinding } from './lint-types.ts'
import { display } from './statement-rules.ts'
import type { MigrationTrace, RelationSize, StatementTrace } from './trace-types.ts'

/** Modes that block the writes (SHARE and up) or, for ACCESS EXCLUSIVE, the reads of a busy table. */
const BLOCKING = new Set<LockMode>([
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
])

/**
 * Joins the rule findings with what the trace measured. The trace wins: a finding whose claim
 * (a rewrite, a scan, a lock) the trace did not see is kept but marked refuted, with what was
 * measured instead; a statement that measurably held a blocking lock while it rewrote or scanned
 * a table, or locked a table it does not name, and that no rule reported, gets a `trace-*`
 * finding. Every finding on a traced statement gets the measurement, with table sizes.
 */
export function traceFindings(
  findings: readonly LintFinding[],
  migrations: readonly CollectedMigration[],
  traces: readonly MigrationTrace[],
  sizes: readonly RelationSize[],
): LintFinding[] {
  const byRevision = new Map(traces.map((t) => [t.revision, t]))
  const sizeOf = new Map(sizes.map((s) => [s.relation, s]))
  const out: LintFinding[] = []
  for (const f of findings) {
    const statement =
      f.statementIndex === undefined
        ? undefined
        : byRevision.get(f.revision)?.statements[f.statementIndex]
    if (statement === undefined) {
      out.push(f)
      continue
    }
    const measured = describeMeasurement(statement, sizeOf)
    const refuted = refutation(f, statement)
    out.push({ ...f, measured, ...(refuted === undefined ? {} : { refutedBy: refuted }) })
  }
  for (const migration of migrations) {
    const trace = byRevision.get(migration.revision)
    if (trace === undefined) continue
    if (trace.error !== undefined) {
      out.push(
        finding(
          {
            rule: 'trace-failed',
            message: `the migration failed on the scratch database: ${trace.error}`,
            subject: {},
          },
          migration,
          undefined,
          undefined,
        ),
      )
    }
    for (const statement of trace.statements) {
      const confirmed = out.some(
        (f) =>
          f.revision === migration.revision &&
          f.statementIndex === statement.index &&
          f.refutedBy === undefined &&
          f.claims !== undefined,
      )
      if (confirmed) continue
      const unreported = blockingEffect(
        statement,
        migration.statements[statement.index]?.sql ?? statement.sql,
      )
      if (unreported === undefined) continue
      const source = migration.statements[statement.index]
      out.push({
        ...finding(
          {
            rule: 'trace-blocking-lock',
            message: unreported.message,
            subject: { table: unreported.table },
          },
          migration,
          source?.line,
          statement.sql,
        ),
        source: 'trace',
        statementIndex: statement.index,
        measured: describeMeasurement(statement, sizeOf),
      })
    }
  }
  return out
}

/** Why the trace contradicts a finding's claims, or undefined when it agrees (or cannot tell). */
function refutation(f: LintFinding, statement: StatementTrace): string | undefined {
  const claims = f.claims
  if (claims === undefined) return undefined
  const tablesRewritten = statement.rewritten
  if (claims.rewrite === true && tablesRewritten.length === 0) {
    return 'the trace measured no rewrite (no relfilenode changed)'
  }
  // Outside a transaction, locks are seen only by a second session sampling them (and not at all
  // on PGlite, which has none), and scans not at all: a brief lock can come and go between two
  // looks, so their absence proves nothing there. Rewrites are read from snapshots either way.
  if (statement.mode !== 'transaction') return undefined
  if (
    claims.scan === true &&
    claims.rewrite !== true &&
    statement.scanned.length === 0 &&
    statement.created.length === 0
  ) {
    return 'the trace measured no table scan'
  }
  if (claims.lock !== undefined) {
    const strongest = strongestLock(statement)
    if (
      strongest === undefined ||
      LOCK_MODES.indexOf(strongest) < LOCK_MODES.indexOf(claims.lock)
    ) {
      return `the trace measured ${strongest ?? 'no lock'} at most, not ${claims.lock}`
    }
  }
  return undefined
}

function strongestLock(statement: StatementTrace): LockMode | undefined {
  let best: LockMode | undefined
  for (const lock of statement.locks) {
    if (best === undefined || LOCK_MODES.indexOf(lock.mode) > LOCK_MODES.indexOf(best))
      best = lock.mode
  }
  return best
}

/** A measured effect worth a finding: a blocking lock during a rewrite or scan, or on an unnamed table. */
function blockingEffect(
  statement: StatementTrace,
  sql: string,
): { message: string; table: string } | undefined {
  const blocking = statement.locks.filter((l) => BLOCKING.has(l.mode) && l.relkind === 'table')
  for (const lock of blocking) {
    if (statement.rewritten.includes(lock.table)) {
      return {
        message: `measured: ${lock.mode} on ${display(lock.table)} while rewriting it`,
        table: display(lock.table),
      }
    }
    if (statement.scanned.some((s) => s.table === lock.table)) {
      return {
        message: `measured: ${lock.mode} on ${display(lock.table)} while scanning it`,
        table: display(lock.table),
      }
    }
  }
  const named = sql.toLowerCase()
  for (const lock of blocking) {
    const bare = lock.table.slice(lock.table.indexOf('.') + 1).toLowerCase()
    if (lock.mode === 'AccessExclusiveLock' && !named.includes(bare)) {
      return {
        message: `measured: AccessExclusiveLock on ${display(lock.table)}, a table the statement does not name`,
        table: display(lock.table),
      }
    }
  }
  return undefined
}

/** `AccessExclusiveLock on orders (≈12 M rows, 3.1 GB); rewrote orders, orders_pkey; scanned orders`. */
export function describeMeasurement(
  statement: StatementTrace,
  sizeOf: ReadonlyMap<string, RelationSize>,
): string {
  const perTable = new Map<string, LockMode>()
  for (const lock of statement.locks) {
    const current = perTable.get(lock.table)
    if (current === undefined || LOCK_MODES.indexOf(lock.mode) > LOCK_MODES.indexOf(current))
      perTable.set(lock.table, lock.mode)
  }
  const parts: string[] = []
  const locks = [...perTable].map(
    ([table, mode]) => `${mode} on ${display(table)}${sizeText(sizeOf.get(table))}`,
  )
  parts.push(locks.length === 0 ? 'no lock on an existing table' : locks.join(', '))
  if (statement.rewritten.length > 0)
    parts.push(`rewrote ${statement.rewritten.map(display).join(', ')}`)
  if (statement.scanned.length > 0)
    parts.push(`scanned ${statement.scanned.map((s) => display(s.table)).join(', ')}`)
  if (statement.waits.length > 0) parts.push(`waited: ${statement.waits.join('; ')}`)
  return parts.join('; ')
}

function sizeText(size: RelationSize | undefined): string {
  if (size === undefined) return ''
  const rows = size.rows < 0 ? 'never analyzed' : `≈${compact(size.rows)} rows`
  return ` (${rows}, ${bytes(size.bytes)})`
}

/** 950, 12 k, 3.1 M: one decimal below ten, none above. */
function compact(n: number): string {
  for (const [scale, unit] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (n >= scale) {
      const value = n / scale
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
    }
  }
  return String(Math.round(n))
}

function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
