import type { Connection } from '../dialect/connection.ts'
import type { CompiledStatement, Dialect, VersionTableNames } from '../dialect/dialect.ts'
import type { HeadChange } from '../script/revision-map.ts'
import { VersionTableConflictError } from './runtime-errors.ts'

/** What the version table and the ledger say about a database. */
export interface VersionState {
  /** False when aludel's tables do not exist yet (a database at base). */
  readonly tablesExist: boolean
  /** The version table's rows: the applied heads. */
  readonly heads: readonly string[]
  /** Checksum recorded when each revision was last applied, stamped or rehashed. */
  readonly checksums: ReadonlyMap<string, string | null>
  /** The latest upgrade, downgrade, stamp or unstamp the ledger records for each revision. */
  readonly steps: ReadonlyMap<string, RecordedStep>
  /**
   * Statements of non-transactional steps that completed while the step as a whole did not: what
   * an interrupted `transactional = false` migration left applied.
   */
  readonly progress: readonly StatementProgress[]
  /** False until a `transactional = false` step first runs here (the table is created then). */
  readonly progressTableExists: boolean
}

/** The ledger's latest row of one revision, as far as history checks need it. */
export interface RecordedStep {
  readonly direction: 'upgrade' | 'downgrade' | 'stamp' | 'unstamp'
  /** The revisions the step moved from, as recorded when it ran. */
  readonly from: readonly string[]
  readonly message: string
}

/** One completed statement of a non-transactional step that has not finished as a whole. */
export interface StatementProgress {
  readonly revision: string
  readonly direction: 'upgrade' | 'downgrade'
  /** 1-based position of the statement in the step. */
  readonly seq: number
  /** SHA-256 of the statement as it ran, parameters inlined. */
  readonly hash: string
  /** The statement, shortened, for messages. */
  readonly statement: string
  /** Checksum of the migration file when the statement ran. */
  readonly checksum: string
}

/** Kinds of ledger rows. */
export type LedgerDirection = 'upgrade' | 'downgrade' | 'stamp' | 'unstamp' | 'rehash'

/** One row of the ledger. Times are absent in offline scripts, where the database fills them. */
export interface LedgerEntry {
  readonly runId: string
  readonly revision: string
  readonly direction: LedgerDirection
  readonly from: readonly string[]
  readonly to: readonly string[]
  readonly message: string
  readonly checksum: string | null
  readonly startedAt: Date | undefined
  readonly finishedAt: Date | undefined
  readonly durationMs: number | undefined
  /**
   * The row travels in one script with the step's last statement, which has not run yet: the
   * database adds the time from the script's arrival to the row to `durationMs`, and the finish
   * time follows from it (`DialectAdapter.timedLedgerSql`).
   */
  readonly timedByDatabase?: boolean
  readonly runBy: string
  readonly toolVersion: string
}

/**
 * Reads and writes aludel's two tables: the version table (one row per applied head, as Alembic
 * keeps it) and the append-only ledger (one row per step, with checksum, times and who ran it).
 * Statements are built once here and either run (online) or inlined as text (offline).
 */
export class VersionStore {
  private readonly version: string
  private readonly ledger: string
  private readonly progressTable: string

  constructor(
    private readonly dialect: Dialect,
    readonly names: VersionTableNames,
  ) {
    this.version = dialect.ddl.quoteQualified(names.schema, names.versionTable)
    this.ledger = dialect.ddl.quoteQualified(names.schema, names.ledgerTable)
    this.progressTable = dialect.ddl.quoteQualified(names.schema, names.progressTable)
  }

  /**
   * Reads the heads, the latest checksum and step of every revision, and the progress of
   * interrupted non-transactional steps, in one round trip. A database where the tables do not
   * exist yet is at base.
   */
  async read(connection: Connection): Promise<VersionState> {
    const ledgerRows = `SELECT 'sum' AS kind, l.revision, l.checksum, NULL AS direction, NULL AS from_revisions, NULL AS message, NULL AS seq FROM ${this.ledger} l
  JOIN (SELECT revision, max(id) AS id FROM ${this.ledger}
         WHERE direction IN ('upgrade', 'stamp', 'rehash') GROUP BY revision) m ON m.id = l.id
UNION ALL
SELECT 'step' AS kind, l.revision, NULL, l.direction, l.from_revisions, l.message, NULL FROM ${this.ledger} l
  JOIN (SELECT revision, max(id) AS id FROM ${this.ledger}
         WHERE direction IN ('upgrade', 'downgrade', 'stamp', 'unstamp') GROUP BY revision) m ON m.id = l.id`
    const base = `SELECT 'head' AS kind, version_num AS revision, NULL AS checksum, NULL AS direction, NULL AS from_revisions, NULL AS message, NULL AS seq FROM ${this.version}
UNION ALL
${ledgerRows}`
    // The number as text: the NULLs of the branches above make the column text on PostgreSQL,
    // and concat() is how every engine aludel speaks turns a number into text.
    const withProgress = `${base}
UNION ALL
SELECT 'progress' AS kind, revision, checksum, direction, statement_hash, statement, concat(seq, '') FROM ${this.progressTable}`
    const present = await this.presentTables(connection)
    if (present?.version === false) return emptyState()
    let rows: readonly StateRow[]
    let progressTableExists = present?.progress ?? true
    try {
      rows = (await connection.query<StateRow>(progressTableExists ? withProgress : base)).rows
    } catch (error) {
      if (!this.dialect.adapter.isMissingTableError(error)) throw error
      // Either nothing exists yet (base), or the tables predate the progress table.
      try {
        rows = (await connection.query<StateRow>(base)).rows
        progressTableExists = false
      } catch (again) {
        if (this.dialect.adapter.isMissingTableError(again)) return emptyState()
        throw again
      }
    }
    const heads: string[] = []
    const checksums = new Map<string, string | null>()
    const steps = new Map<string, RecordedStep>()
    const progress: StatementProgress[] = []
    for (const row of rows) {
      if (row.kind === 'head') heads.push(row.revision)
      else if (row.kind === 'sum') checksums.set(row.revision, row.checksum)
      else if (row.kind === 'step') {
        steps.set(row.revision, {
          direction: row.direction as RecordedStep['direction'],
          from: row.from_revisions ? row.from_revisions.split(',') : [],
          message: row.message ?? '',
        })
      } else {
        progress.push({
          revision: row.revision,
          direction: row.direction as StatementProgress['direction'],
          seq: Number(row.seq),
          hash: row.from_revisions ?? '',
          statement: row.message ?? '',
          checksum: row.checksum ?? '',
        })
      }
    }
    // Rows come back in no particular order; sorted, every report and plan is reproducible.
    heads.sort()
    progress.sort((a, b) => a.seq - b.seq)
    return { tablesExist: true, heads, checksums, steps, progress, progressTableExists }
  }

  /**
   * The version rows and the digest of the applied checksums in one small row, or undefined when
   * the dialect cannot compute it. A database without aludel's tables is at base.
   */
  async summary(
    connection: Connection,
  ): Promise<{ readonly heads: readonly string[]; readonly digest: string | null } | undefined> {
    const sql = this.dialect.adapter.versionSummarySql?.(this.names)
    if (sql === undefined) return undefined
    if ((await this.presentTables(connection))?.version === false)
      return { heads: [], digest: null }
    try {
      const row = (await connection.query<{ heads: string | null; digest: string | null }>(sql))
        .rows[0]
      return { heads: row?.heads ? row.heads.split(',') : [], digest: row?.digest ?? null }
    } catch (error) {
      if (this.dialect.adapter.isMissingTableError(error)) return { heads: [], digest: null }
      throw error
    }
  }

  /**
   * Which of the tables exist, asked without provoking an error; undefined where the dialect
   * leaves that to a failing read.
   */
  private async presentTables(
    connection: Connection,
  ): Promise<{ readonly version: boolean; readonly progress: boolean } | undefined> {
    const sql = this.dialect.adapter.versionTablesPresentSql?.(this.names)
    if (sql === undefined) return undefined
    const row = (await connection.query<{ version: unknown; progress: unknown }>(sql)).rows[0]
    return { version: truthy(row?.version), progress: truthy(row?.progress) }
  }

  /** Statements that create the version table and the ledger if they are missing. */
  createTablesSql(): readonly string[] {
    return this.dialect.adapter.createVersionTablesSql(this.names)
  }

  /**
   * Creates the version table and the ledger if they are missing. Where DDL is transactional, in
   * one transaction sent as one script: one round trip and one commit (a WAL flush on PostgreSQL)
   * instead of several, which a fleet run of a thousand fresh tenants pays a thousand times.
   */
  async createTables(connection: Connection): Promise<void> {
    await this.createAll(connection, this.createTablesSql())
  }

  /** Creates the statement-progress table, which only `transactional = false` steps need. */
  async createProgressTable(connection: Connection): Promise<void> {
    await this.createAll(connection, [this.dialect.adapter.createProgressTableSql(this.names)])
  }

  private async createAll(connection: Connection, statements: readonly string[]): Promise<void> {
    const { adapter } = this.dialect
    if (!adapter.supportsTransactionalDdl) {
      for (const sql of statements) await connection.execute(sql)
      return
    }
    try {
      await connection.execute([adapter.beginSql, ...statements, adapter.commitSql].join(';\n'))
    } catch (error) {
      // A failed statement leaves the transaction open (and aborted): end it before reporting.
      await connection.execute(adapter.rollbackSql).catch(() => undefined)
      throw error
    }
  }

  /** The statements that carry out head changes on the version table. */
  changeStatements(changes: readonly HeadChange[]): readonly CompiledStatement[] {
    const p = (i: number) => this.dialect.ddl.placeholder(i)
    return changes.map((change): CompiledStatement => {
      if (change.kind === 'insert') {
        return {
          sql: `INSERT INTO ${this.version} (version_num) VALUES (${p(1)})`,
          params: [change.revision],
        }
      }
      if (change.kind === 'update') {
        return {
          sql: `UPDATE ${this.version} SET version_num = ${p(1)} WHERE version_num = ${p(2)}`,
          params: [change.to, change.from],
        }
      }
      return {
        sql: `DELETE FROM ${this.version} WHERE version_num = ${p(1)}`,
        params: [change.revision],
      }
    })
  }

  /**
   * Applies head changes, checking that every UPDATE and DELETE touched exactly one row: anything
   * else means the table was changed under the runner, and the step must not commit.
   */
  async applyChanges(connection: Connection, changes: readonly HeadChange[]): Promise<void> {
    const statements = this.changeStatements(changes)
    for (const [index, statement] of statements.entries()) {
      const result = await connection.query(statement.sql, statement.params)
      const change = changes[index]!
      if (change.kind !== 'insert' && result.affectedRows !== 1) throw conflict([change])
    }
  }

  /**
   * A step's bookkeeping — its head changes and its ledger row — as one script with the values
   * inline, each UPDATE and DELETE guarded to touch exactly one row, so that it can go to the
   * database together with the COMMIT. Undefined when the dialect has no guard: the caller then
   * runs {@link applyChanges} and {@link ledgerScript}.
   */
  bookkeepingScript(
    changes: readonly HeadChange[],
    entries: readonly LedgerEntry[],
  ): string | undefined {
    const { adapter, ddl } = this.dialect
    if (adapter.guardOneRow === undefined) return undefined
    const parts: string[] = []
    for (const [index, statement] of this.changeStatements(changes).entries()) {
      const sql = ddl.inlineParams(statement.sql, statement.params)
      if (changes[index]!.kind === 'insert') {
        parts.push(sql)
        continue
      }
      const guarded = adapter.guardOneRow(sql)
      if (guarded === undefined) return undefined
      parts.push(guarded)
    }
    if (entries.length > 0) parts.push(this.ledgerScript(entries))
    return parts.join(';\n')
  }

  /**
   * Records one completed statement of a non-transactional step, values inline, so that it can
   * travel in the same script — the same implicit transaction — as the statement itself.
   */
  progressScript(entry: StatementProgress, runId: string): string {
    const values = [1, 2, 3, 4, 5, 6, 7].map((i) => this.dialect.ddl.placeholder(i)).join(', ')
    const sql = `INSERT INTO ${this.progressTable} (revision, direction, seq, statement_hash, statement, checksum, run_id, finished_at) VALUES (${values}, CURRENT_TIMESTAMP)`
    return this.dialect.ddl.inlineParams(sql, [
      entry.revision,
      entry.direction,
      entry.seq,
      entry.hash,
      entry.statement,
      entry.checksum,
      runId,
    ])
  }

  /** Forgets the statement progress of a step: it is part of the step's bookkeeping once it completes. */
  clearProgressScript(revision: string): string {
    return this.dialect.ddl.inlineParams(
      `DELETE FROM ${this.progressTable} WHERE revision = ${this.dialect.ddl.placeholder(1)}`,
      [revision],
    )
  }

  /**
   * A step's head change, when it is one UPDATE or DELETE, as a statement answering with the
   * version rows it touched (values inline), to end a script whose answer the caller checks with
   * {@link checkTouched}. Undefined for other changes, or where the dialect cannot.
   */
  returningChangeSql(changes: readonly HeadChange[]): string | undefined {
    const returning = this.dialect.adapter.returningRows?.bind(this.dialect.adapter)
    if (returning === undefined || changes.length !== 1 || changes[0]!.kind === 'insert') {
      return undefined
    }
    const [statement] = this.changeStatements(changes)
    return returning(this.dialect.ddl.inlineParams(statement!.sql, statement!.params))
  }

  /** Throws the conflict unless the statement of {@link returningChangeSql} touched one row. */
  checkTouched(changes: readonly HeadChange[], rows: readonly unknown[]): void {
    if (rows.length !== 1) throw conflict(changes)
  }

  /** The conflict a failed guard of {@link bookkeepingScript} stands for, else undefined. */
  conflictFrom(
    error: unknown,
    changes: readonly HeadChange[],
  ): VersionTableConflictError | undefined {
    if (this.dialect.adapter.isOneRowGuardError?.(error) !== true) return undefined
    return conflict(changes, { cause: error })
  }

  /**
   * The times the ledger gives the last `count` steps of run `runId`, newest first: the steps of a
   * script that committed several at once.
   */
  recentDurationsSql(runId: string, count: number): string {
    return this.dialect.ddl.inlineParams(
      `SELECT duration_ms FROM ${this.ledger} WHERE run_id = ${this.dialect.ddl.placeholder(1)} ORDER BY id DESC LIMIT ${Math.trunc(count)}`,
      [runId],
    )
  }

  /** {@link recentDurationsSql}, read, oldest first. */
  async recentDurations(
    connection: Connection,
    runId: string,
    count: number,
  ): Promise<readonly (number | null)[]> {
    if (count === 0) return []
    const { rows } = await connection.query<{ duration_ms: number | null }>(
      this.recentDurationsSql(runId, count),
    )
    return oldestFirst(rows)
  }

  /** Removes every row of the version table (`stamp --purge`). */
  purgeStatement(): CompiledStatement {
    return { sql: `DELETE FROM ${this.version}`, params: [] }
  }

  /**
   * The INSERT for ledger rows. Online, times come as parameters; offline (no times given) the
   * database's clock fills them when the script runs.
   */
  ledgerStatement(entries: readonly LedgerEntry[]): CompiledStatement {
    const params: unknown[] = []
    const p = (value: unknown) => {
      params.push(value)
      return this.dialect.ddl.placeholder(params.length)
    }
    const timed = this.dialect.adapter.timedLedgerSql?.bind(this.dialect.adapter)
    // Parameters are numbered in the order they appear: MySQL's `?` has no number.
    const rows = entries.map((e) => {
      const values = [
        p(e.runId),
        p(e.revision),
        p(e.direction),
        p(e.from.join(',')),
        p(e.to.join(',')),
        p(e.message),
        p(e.checksum),
      ]
      if (e.timedByDatabase && timed !== undefined && e.startedAt !== undefined) {
        const started = p(e.startedAt)
        const times = timed(started, Math.max(0, e.durationMs ?? 0))
        values.push(started, times.finishedAt, times.durationMs)
      } else {
        values.push(
          e.startedAt === undefined ? 'CURRENT_TIMESTAMP' : p(e.startedAt),
          e.finishedAt === undefined ? 'CURRENT_TIMESTAMP' : p(e.finishedAt),
          e.durationMs === undefined ? 'NULL' : p(Math.round(e.durationMs)),
        )
      }
      values.push(p(e.runBy), p(e.toolVersion))
      return `(${values.join(', ')})`
    })
    return {
      sql: `INSERT INTO ${this.ledger} (run_id, revision, direction, from_revisions, to_revisions, message, checksum, started_at, finished_at, duration_ms, run_by, tool_version) VALUES ${rows.join(',\n  ')}`,
      params,
    }
  }

  /**
   * {@link ledgerStatement} with its values inlined, to be sent together with other statements in
   * one round trip (a ledger row and the COMMIT that follows it).
   */
  ledgerScript(entries: readonly LedgerEntry[]): string {
    const statement = this.ledgerStatement(entries)
    return this.dialect.ddl.inlineParams(statement.sql, statement.params)
  }

  async record(connection: Connection, entries: readonly LedgerEntry[]): Promise<void> {
    // Large stamps insert thousands of rows; keep each statement well under parameter limits.
    for (let i = 0; i < entries.length; i += 500) {
      const statement = this.ledgerStatement(entries.slice(i, i + 500))
      await connection.query(statement.sql, statement.params)
    }
  }
}

/** A row of {@link VersionStore.read}'s query: one shape for heads, ledger rows and progress. */
interface StateRow {
  readonly kind: 'head' | 'sum' | 'step' | 'progress'
  readonly revision: string
  readonly checksum: string | null
  readonly direction: string | null
  readonly from_revisions: string | null
  readonly message: string | null
  readonly seq: number | string | null
}

/** The times of {@link VersionStore.recentDurationsSql}'s rows, oldest first. */
export function oldestFirst(
  rows: readonly { readonly duration_ms: number | null }[],
): readonly (number | null)[] {
  return [...rows].reverse().map((row) => row.duration_ms)
}

/** A boolean column as drivers return it: true, 1 or 't'. */
function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't'
}

function emptyState(): VersionState {
  return {
    tablesExist: false,
    heads: [],
    checksums: new Map(),
    steps: new Map(),
    progress: [],
    progressTableExists: false,
  }
}

/** The version table lost a row the run was about to move: someone changed it meanwhile. */
function conflict(
  changes: readonly HeadChange[],
  options?: { cause?: unknown },
): VersionTableConflictError {
  // Only UPDATEs and DELETEs can miss their row; an INSERT names nothing that was there.
  const missing = changes
    .flatMap((change) =>
      change.kind === 'update' ? [change.from] : change.kind === 'delete' ? [change.revision] : [],
    )
    .join(' or ')
  return new VersionTableConflictError(
    `the version table no longer holds ${missing}; someone changed it during the run. Inspect it with \`aludel current\` and repair it with \`aludel stamp\``,
    options,
  )
}
