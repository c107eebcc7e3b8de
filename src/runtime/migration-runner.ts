import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Dialect, DialectAdapter, SessionActivity } from '../dialect/dialect.ts'
import { ConnectionError, DatabaseError, statementText } from '../dialect/dialect-errors.ts'
import { Operations } from '../operations/operations.ts'
import type { HeadChange, MigrationStep } from '../script/revision-map.ts'
import type { Script, ScriptDirectory } from '../script/script-directory.ts'
import { formatDuration } from '../util/duration.ts'
import { sameSet } from '../util/same-set.ts'
import { whoAmI } from '../util/who-am-i.ts'
import { toolVersion } from '../version.ts'
import { BlockerWatch } from './blocker-watch.ts'
import { unrecordedRevisions } from './history-check.ts'
import { type LoadedMigration, loadMigration, resolveStepRetry } from './load-migration.ts'
import { retryDelay, sleep } from './lock-retry.ts'
import { OnlineExecutor } from './online-executor.ts'
import { withoutProcessExit } from './process-exit-guard.ts'
import { ProgressExecutor } from './progress-executor.ts'
import type { RunEvent, RunEventListener, StepInfo } from './run-events.ts'
import { openRunSession, type RunSession } from './run-session.ts'
import {
  ChecksumMismatchError,
  describeSession,
  type EditedMigration,
  HistoryRewrittenError,
  LockLostError,
  MigrationFailedError,
  ResumeConflictError,
  type UnrecordedRevision,
} from './runtime-errors.ts'
import type { RuntimeSettings } from './runtime-settings.ts'
import { stampEntries } from './stamp-entries.ts'
import { runsInTransaction } from './step-transaction.ts'
import {
  type LedgerEntry,
  oldestFirst,
  type StatementProgress,
  type VersionState,
  VersionStore,
} from './version-store.ts'

export type { RuntimeSettings } from './runtime-settings.ts'

/** A step whose commit is written into a script that has not been sent, or not yet settled. */
interface PendingStep {
  readonly index: number
  readonly info: StepInfo
  /** The step's own statements in that script, for a failure report. */
  readonly own: string | undefined
  /** Its time in this process, should the database's not be readable. */
  readonly jsMs: number
}

/** One migration that ran. */
export interface StepResult extends StepInfo {
  readonly durationMs: number
}

/** What an upgrade or downgrade did. */
export interface RunResult {
  readonly direction: 'upgrade' | 'downgrade'
  readonly target: string
  readonly currentBefore: readonly string[]
  readonly currentAfter: readonly string[]
  readonly steps: readonly StepResult[]
  readonly durationMs: number
}

/** What a stamp did. */
export interface StampResult {
  readonly target: string
  readonly currentBefore: readonly string[]
  readonly currentAfter: readonly string[]
  readonly purged: boolean
}

/** Plans the steps once the lock is held and the version table has been read. */
export type Planner = (heads: readonly string[]) => readonly MigrationStep<Script>[]

/** The lock and statement timeouts in effect; statement `undefined` is the server's own. */
interface Timeouts {
  readonly lock: number
  readonly statement: number | undefined
}

/**
 * Applies migrations to a live database safely:
 *
 * - a migration lock serializes concurrent runners; the version table is read only once it is
 *   held, and every COMMIT proves in the same round trip that it is still held, so no step is
 *   applied twice even when the lock's session is killed;
 * - each migration runs in its own transaction with its version-table change and ledger row, so a
 *   failure rolls back to the last good step (or one transaction for the run, if configured);
 * - each statement waits at most `lockTimeout` for a table lock — a waiting `ALTER TABLE` queues
 *   every later query on the table behind it — and a step that gives up is rolled back and retried
 *   with backoff, naming who blocks it;
 * - a migration with `transactional = false` (every migration, on a database whose DDL commits on
 *   its own) runs with no transaction open, and each of its statements is recorded as it
 *   completes, so that an interruption is reported exactly and the next run resumes after the
 *   last applied statement;
 * - applied migrations whose files changed since they ran, and migrations inserted between
 *   applied ones, are detected from the ledger.
 */
export class MigrationRunner {
  private readonly store: VersionStore
  private readonly runId = randomUUID()
  private readonly runBy = whoAmI()

  constructor(
    private readonly dialect: Dialect,
    private readonly scripts: ScriptDirectory,
    private readonly settings: RuntimeSettings,
    private readonly onEvent: RunEventListener = () => undefined,
  ) {
    this.store = new VersionStore(dialect, settings.names)
  }

  /** Reads the version table and ledger without taking the lock. */
  async readState(): Promise<VersionState> {
    const connection = await this.dialect.driver.connect(sessionName('current'))
    try {
      return await this.store.read(connection)
    } finally {
      await connection.close({ untouched: true })
    }
  }

  /** Applied migrations whose files no longer match the checksum recorded when they ran. */
  editedMigrations(state: VersionState): readonly EditedMigration[] {
    if (this.settings.checksums === 'off') return []
    const map = this.scripts.map
    const edited: EditedMigration[] = []
    const applied = map.appliedSet(state.heads)
    for (const revision of map.order) {
      if (!applied.has(revision)) continue
      const recorded = state.checksums.get(revision)
      const script = map.get(revision)
      if (recorded && recorded !== script.checksum) {
        edited.push({
          revision,
          file: script.source,
          appliedChecksum: recorded,
          currentChecksum: script.checksum,
        })
      }
    }
    return edited
  }

  /**
   * Applied revisions that, by the ledger, never ran here as the files now place them: a
   * migration inserted between applied ones, or an applied revision whose id or parents changed.
   */
  unrecordedMigrations(state: VersionState): readonly UnrecordedRevision[] {
    return unrecordedRevisions(this.scripts.map, state)
  }

  /**
   * Runs the steps `plan` returns for the current heads, under the migration lock.
   *
   * @throws MigrationFailedError when a migration fails (the database keeps the last good step)
   * @throws LockLostError when the migration lock is lost during the run
   * @throws ChecksumMismatchError before upgrading when applied files were edited
   * @throws HistoryRewrittenError when migrations were inserted between applied ones
   */
  async run(direction: 'upgrade' | 'downgrade', target: string, plan: Planner): Promise<RunResult> {
    const started = performance.now()
    return this.locked(direction, async (session, recorded) => {
      const state = await this.normalizeRows(session, recorded)
      const rewritten = this.unrecordedMigrations(state)
      if (rewritten.length > 0) throw new HistoryRewrittenError(rewritten)
      const steps = plan(state.heads)
      this.checkEdits(state, direction === 'upgrade' && this.settings.checksums === 'error')
      this.checkInterrupted(state, steps)
      const results = steps.length === 0 ? [] : await this.execute(session, state, steps)
      return {
        direction,
        target,
        currentBefore: state.heads,
        currentAfter: steps.length === 0 ? state.heads : steps[steps.length - 1]!.currentAfter,
        steps: results,
        durationMs: performance.now() - started,
      }
    })
  }

  /**
   * Sets the version table to `target` without running migrations, recording it in the ledger.
   * With `purge`, the current rows are discarded first (even unknown revisions). The progress of
   * an interrupted non-transactional step is forgotten: a stamp declares what is applied.
   */
  async stamp(
    target: string,
    purge: boolean,
    plan: (heads: readonly string[]) => {
      currentBefore: readonly string[]
      currentAfter: readonly string[]
    },
  ): Promise<StampResult> {
    return this.locked('stamp', async (session, state) => {
      const connection = session.work
      const start = purge ? [] : state.heads
      const { currentAfter } = plan(start)
      const entries = stampEntries(this.scripts.map, start, currentAfter, {
        runId: this.runId,
        runBy: this.runBy,
        at: new Date(),
      })
      if (!state.tablesExist) await this.store.createTables(connection)
      await this.inTransaction(session, async () => {
        if (purge) {
          const purgeSql = this.store.purgeStatement()
          await connection.query(purgeSql.sql, purgeSql.params)
        }
        await this.store.applyChanges(connection, diffHeads(start, currentAfter))
        if (entries.length > 0) await this.store.record(connection, entries)
        for (const revision of new Set(state.progress.map((p) => p.revision))) {
          await connection.execute(this.store.clearProgressScript(revision))
        }
      })
      for (const interrupted of interruptedSteps(state.progress)) {
        this.emit({
          type: 'warning',
          code: 'PROGRESS_FORGOTTEN',
          message: `forgot that ${interrupted.direction} ${interrupted.revision} was interrupted after ${interrupted.statements.length} applied statement${interrupted.statements.length === 1 ? '' : 's'} (${interrupted.statements.map((t) => `\`${t}\``).join(', ')}); the stamp says what is applied now`,
        })
      }
      return { target, currentBefore: state.heads, currentAfter, purged: purge }
    })
  }

  /**
   * Accepts edits to applied migrations: records their current checksums in the ledger. It refuses
   * while the history is rewritten under applied migrations: a checksum cannot make a migration
   * that never ran count as applied.
   *
   * @param revisions only these (default: every edited migration)
   * @throws HistoryRewrittenError
   */
  async rehash(revisions: readonly string[] | undefined): Promise<readonly EditedMigration[]> {
    return this.locked('rehash', async (session, state) => {
      const rewritten = this.unrecordedMigrations(state)
      if (rewritten.length > 0) throw new HistoryRewrittenError(rewritten)
      const edited = this.editedMigrations(state).filter(
        (e) => revisions === undefined || revisions.includes(e.revision),
      )
      if (edited.length === 0) return []
      const now = new Date()
      await this.inTransaction(session, () =>
        this.store.record(
          session.work,
          edited.map((e) => ({
            runId: this.runId,
            revision: e.revision,
            direction: 'rehash',
            from: [],
            to: [],
            message: this.scripts.map.get(e.revision).message,
            checksum: e.currentChecksum,
            startedAt: now,
            finishedAt: now,
            durationMs: 0,
            runBy: this.runBy,
            toolVersion: toolVersion(),
          })),
        ),
      )
      return edited
    })
  }

  /**
   * Makes the version table hold exactly the heads of what it says is applied. A row that is an
   * ancestor of another row (left by a hand edit or another tool), or a dependency's missing row,
   * would otherwise make the planned row changes miss; the fix is reported as a warning.
   */
  private async normalizeRows(session: RunSession, state: VersionState): Promise<VersionState> {
    const map = this.scripts.map
    const heads = map.headsOf(map.appliedSet(state.heads))
    const changes = diffHeads(state.heads, heads)
    if (changes.length === 0) return state
    await this.inTransaction(session, () => this.store.applyChanges(session.work, changes))
    this.emit({
      type: 'warning',
      code: 'VERSION_ROWS_NORMALIZED',
      message: `the version table held ${state.heads.join(', ')}; it now holds the applied heads ${heads.join(', ')} (a row was redundant or missing)`,
    })
    return { ...state, heads }
  }

  private checkEdits(state: VersionState, enforce: boolean): void {
    const edited = this.editedMigrations(state)
    if (edited.length === 0) return
    const error = new ChecksumMismatchError(edited)
    if (enforce) throw error
    this.emit({ type: 'warning', code: error.code, message: error.message })
  }

  /**
   * A non-transactional step that was interrupted must be finished (or undone by hand) before
   * anything else moves: other steps would build on, or undo below, a half-applied one.
   */
  private checkInterrupted(state: VersionState, steps: readonly MigrationStep<Script>[]): void {
    for (const interrupted of interruptedSteps(state.progress)) {
      const planned = steps.some(
        (s) => s.node.revision === interrupted.revision && s.direction === interrupted.direction,
      )
      if (planned) continue
      const file = this.scripts.map.nodes.get(interrupted.revision)?.source ?? interrupted.revision
      throw new ResumeConflictError(
        `${interrupted.direction} ${interrupted.revision} (${file}) was interrupted after ${interrupted.statements.length} applied statement${interrupted.statements.length === 1 ? '' : 's'} (${interrupted.statements.map((t) => `\`${t}\``).join(', ')}) and this command would not finish it; run \`aludel ${interrupted.direction} ${interrupted.revision}\` first, or undo those statements by hand and forget them with ${this.store.clearProgressScript(interrupted.revision)}`,
      )
    }
  }

  private async locked<T>(
    command: string,
    work: (session: RunSession, state: VersionState) => Promise<T>,
  ): Promise<T> {
    const session = await openRunSession(this.dialect, this.settings, command, this.onEvent)
    try {
      // Read only now: a runner that waited sees what the previous holder applied.
      const state = await this.store.read(session.work)
      return await work(session, state)
    } finally {
      await session.close()
    }
  }

  /** Runs `body` in a transaction that commits only while the lock is provably held. */
  private async inTransaction(session: RunSession, body: () => Promise<void>): Promise<void> {
    const { adapter } = this.dialect
    const connection = session.work
    await connection.execute(adapter.beginSql)
    try {
      await body()
      await connection.execute(`${session.lock.guardSql};\n${adapter.commitSql}`)
    } catch (error) {
      await connection.execute(adapter.rollbackSql).catch(() => undefined)
      if (adapter.isLockLostError(error) || session.lockLostReason() !== undefined) {
        throw new LockLostError(
          `lost the migration lock (${lockLostCause(session, adapter.lockLossCause(error))}); nothing was changed; run the command again`,
          undefined,
          [],
          { cause: error },
        )
      }
      throw error
    }
  }

  private async execute(
    session: RunSession,
    state: VersionState,
    steps: readonly MigrationStep<Script>[],
  ): Promise<StepResult[]> {
    const { adapter, ddl } = this.dialect
    const loaded = await this.loadAll(steps)
    const work = session.work
    // Where the first step runs in a transaction, the tables are created in it (see the BEGIN
    // below): one round trip and one commit fewer per fresh database, which a fleet of fresh
    // tenants pays per tenant. A step that fails takes them with it, and leaves base as it found it.
    const tablesInFirstStep =
      !state.tablesExist &&
      adapter.supportsTransactionalDdl &&
      runsInTransaction(steps[0]!, adapter)
    if (!state.tablesExist && !tablesInFirstStep) await this.store.createTables(work)
    // Created only when a non-transactional step first applies a statement: a run refused
    // before that leaves the database as it found it.
    let progressTable = state.progressTableExists
    const ensureProgressTable = async () => {
      if (progressTable) return
      await this.store.createProgressTable(work)
      progressTable = true
    }

    const watch =
      session.observer === undefined || session.workPid === undefined
        ? undefined
        : new BlockerWatch(
            adapter,
            session.observer,
            session.workPid,
            Math.min(1000, Math.max(100, (this.settings.lockTimeout || 2000) / 2)),
          )
    const connection = watch?.wrap(work) ?? work
    const guard = session.lock.guardSql
    const perMigration = this.settings.transactionPerMigration
    const sessionTimeouts: Timeouts = {
      lock: this.settings.lockTimeout,
      statement: this.settings.statementTimeout,
    }
    const timeoutsOf = (step: MigrationStep<Script>): Timeouts => {
      const own = loaded.get(step.node.revision)!.settings
      return {
        lock: own.lockTimeoutMs ?? sessionTimeouts.lock,
        statement: own.statementTimeoutMs ?? sessionTimeouts.statement,
      }
    }
    const change = (from: Timeouts, to: Timeouts, local: boolean): string =>
      adapter.timeoutsSql(
        {
          ...(from.lock === to.lock ? {} : { lockTimeoutMs: to.lock }),
          ...(from.statement === to.statement ? {} : { statementTimeoutMs: to.statement ?? null }),
        },
        local,
      )
    const script = (...parts: readonly string[]) => parts.filter((p) => p !== '').join(';\n')

    const results: StepResult[] = []
    let committedHeads = steps[0]!.currentBefore
    /** Steps before this index are committed; a retry starts from it. */
    let committedIndex = 0
    /** Where the run started and how many of its steps are committed, for a failure's report. */
    const runSoFar = () => ({ currentBefore: steps[0]!.currentBefore, applied: committedIndex })
    /** The try of the steps from `committedIndex` on, 1-based. */
    let attempt = 1
    let inTransaction = false
    let inEffect = sessionTimeouts
    let index = 0
    // Consecutive transactional steps can travel together (`stepsPerRoundTrip`): a step's
    // bookkeeping, guard and COMMIT are held back and sent with the next step's statements. Only
    // where the database times each step itself and takes the bookkeeping as one script.
    const perTrip = this.settings.stepsPerRoundTrip ?? 1
    const batching =
      perTrip > 1 &&
      perMigration &&
      adapter.guardOneRow !== undefined &&
      adapter.timedLedgerSql !== undefined
    // With one transaction for the run, nothing but its COMMIT makes a ledger row visible, and a
    // failure rolls all of them back: the steps' rows go in one INSERT right before the COMMIT.
    /** Ledger rows of the steps in the open transaction, written with its COMMIT. */
    let held: LedgerEntry[] = []
    /** The held ledger rows as a script to send before the COMMIT. */
    const flushHeld = (): string => {
      if (held.length === 0) return ''
      const entries = held
      held = []
      return this.store.ledgerScript(entries)
    }
    /** Script held back for the next step to send: earlier steps' commits, or the first BEGIN. */
    let pendingSql: string | undefined
    /** Steps whose commit is in a script not yet sent (or sent, and not yet settled). */
    let pending: PendingStep[] = []
    /** Records the steps of a script that committed: their results and events, in order. */
    const settle = async (count: number, durations?: readonly (number | null)[]) => {
      const done = pending.slice(0, count)
      pending = pending.slice(count)
      const times =
        durations ??
        (await this.store.recentDurations(work, this.runId, done.length).catch(() => undefined))
      for (const [k, p] of done.entries()) {
        const durationMs = times?.[k] ?? p.jsMs
        results.push({ ...p.info, durationMs })
        this.emit({ type: 'step-end', step: p.info, durationMs })
        committedHeads = steps[p.index]!.currentAfter
        committedIndex = p.index + 1
        attempt = 1
      }
    }

    while (index < steps.length) {
      const step = steps[index]!
      const { module } = loaded.get(step.node.revision)!
      const info = stepInfo(step, adapter)
      const transactional = runsInTransaction(step, adapter)
      const wanted = timeoutsOf(step)
      const recorded = state.progress.filter(
        (p) => p.revision === step.node.revision && p.direction === step.direction,
      )
      const startedAt = new Date()
      const t0 = performance.now()
      let executor: OnlineExecutor | ProgressExecutor | undefined
      let committing = false
      /** The step's time, its last statement included (which may travel with its commit). */
      let durationMs = 0
      this.emit({ type: 'step-start', step: info })
      try {
        // A non-transactional migration never runs while the runner holds an open transaction.
        if (!transactional && inTransaction) {
          await connection.execute(script(flushHeld(), guard, adapter.commitSql))
          inTransaction = false
          inEffect = sessionTimeouts
          committedHeads = step.currentBefore
          committedIndex = index
          attempt = 1
        }
        if (transactional) {
          const set = change(inEffect, wanted, true)
          if (!inTransaction) {
            const tables =
              tablesInFirstStep && committedIndex === 0 ? this.store.createTablesSql() : []
            const begin = script(adapter.beginSql, ...tables, set)
            if (batching) pendingSql = begin
            else await connection.execute(begin)
            inTransaction = true
          } else if (set !== '') {
            if (pendingSql !== undefined) pendingSql = script(pendingSql, set)
            else await connection.execute(set)
          }
          // The step's statements can travel with its bookkeeping when that is one script and
          // the database can time the statements for the ledger.
          executor = new OnlineExecutor(
            connection,
            ddl,
            adapter.guardOneRow !== undefined && adapter.timedLedgerSql !== undefined,
            // A statement that needs an answer sent what was held back: earlier steps committed.
            () => settle(pending.length),
          )
          if (pendingSql !== undefined) executor.prefix(pendingSql)
          pendingSql = undefined
        } else {
          const set = change(sessionTimeouts, wanted, false)
          if (set !== '') await connection.execute(set)
          const stepRetry = resolveStepRetry(
            this.settings.lockRetry,
            loaded.get(step.node.revision)!.settings,
          )
          if (recorded.length > 0) {
            this.emit({
              type: 'warning',
              code: 'RESUMING',
              message: `${step.direction} ${step.node.revision} (${step.node.source}) was interrupted after ${recorded.length} applied statement${recorded.length === 1 ? '' : 's'}; resuming at statement ${recorded.length + 1}`,
            })
          }
          executor = new ProgressExecutor(
            connection,
            this.dialect,
            this.store,
            guard,
            this.runId,
            {
              revision: step.node.revision,
              direction: step.direction,
              file: step.node.source,
              checksum: step.node.checksum,
              recorded,
              lockTimeoutMs: wanted.lock,
              retry: {
                attempts: stepRetry.attempts,
                delayMs: (attempt) => retryDelay(attempt, stepRetry),
              },
              onRetry: (attempt, delayMs) =>
                this.emit({
                  type: 'lock-retry',
                  step: info,
                  attempt,
                  attempts: stepRetry.attempts,
                  lockTimeoutMs: wanted.lock,
                  delayMs,
                  blockers: watch?.take() ?? [],
                }),
            },
            (code, message) => this.emit({ type: 'warning', code, message }),
            ensureProgressTable,
          )
        }
        inEffect = wanted
        const ops = new Operations(executor, { transactional, engine: this.dialect.engine })
        await withoutProcessExit(async () => module[step.direction](ops))
        /** What was held back for the database (see OnlineExecutor), sent with the bookkeeping. */
        let deferred = executor instanceof OnlineExecutor ? executor.takeDeferred() : undefined
        if (transactional && !perMigration) {
          // One transaction for the run: the step's version rows change now, checked as ever (a
          // failed check is this step's), and its ledger row waits for the COMMIT (see `held`).
          // No COMMIT follows in the script, so the check can be this side's: a plain UPDATE that
          // answers with the rows it touched, instead of a guard that fails in the database.
          const returning = this.store.returningChangeSql(step.changes)
          const versions =
            returning === undefined ? this.store.bookkeepingScript(step.changes, []) : undefined
          if (returning === undefined && versions === undefined) {
            // No script for the change: the step's last statement goes first, on its own.
            if (deferred !== undefined) await connection.execute(deferred)
            deferred = undefined
            await this.store.applyChanges(connection, step.changes)
          }
          const clear =
            recorded.length > 0 && progressTable
              ? this.store.clearProgressScript(step.node.revision)
              : ''
          const text = script(deferred ?? '', clear, versions ?? '', returning ?? '')
          if (returning !== undefined) {
            this.store.checkTouched(step.changes, await connection.queryScript(text))
          } else if (text !== '') await connection.execute(text)
          durationMs = performance.now() - t0
          held.push(this.ledgerEntry(step, startedAt, durationMs, false))
          results.push({ ...info, durationMs })
          this.emit({ type: 'step-end', step: info, durationMs })
          index++
          continue
        }
        // A statement held back runs in the same script as the ledger row: the database times it.
        let entry = this.ledgerEntry(
          step,
          startedAt,
          performance.now() - t0,
          deferred !== undefined,
        )
        let bookkeeping = this.store.bookkeepingScript(step.changes, [entry])
        if (deferred !== undefined && bookkeeping === undefined) {
          await connection.execute(deferred)
          deferred = undefined
          entry = this.ledgerEntry(step, startedAt, performance.now() - t0, false)
        }
        // A non-transactional step's effects are already committed; its bookkeeping is recorded
        // atomically on its own, in a transaction that opens in the same round trip when the
        // bookkeeping is one script.
        const opens = !transactional && bookkeeping !== undefined
        if (!transactional) inTransaction = true
        if (bookkeeping === undefined) {
          if (!transactional) await connection.execute(adapter.beginSql)
          await this.store.applyChanges(connection, step.changes)
          bookkeeping = this.store.ledgerScript([entry])
        }
        const parts = [
          deferred ?? '',
          opens ? adapter.beginSql : '',
          bookkeeping,
          (recorded.length > 0 || !transactional) && progressTable
            ? this.store.clearProgressScript(step.node.revision)
            : '',
          // A non-transactional step's own timeouts were set for the session: put them back.
          transactional ? '' : change(wanted, sessionTimeouts, false),
        ]
        if (perMigration || !transactional) {
          // The version change, the ledger row, the lock guard, the commit and the next step's
          // BEGIN go in one round trip: a failure anywhere in it skips the rest, and the step is
          // rolled back like any other failure.
          const next = steps[index + 1]
          const chain = next !== undefined && runsInTransaction(next, adapter)
          committing = true
          const text = script(
            ...parts,
            guard,
            adapter.commitSql,
            ...(chain
              ? [
                  adapter.beginSql,
                  batching ? (adapter.stepStartSql ?? '') : '',
                  change(sessionTimeouts, timeoutsOf(next), true),
                ]
              : []),
          )
          if (batching && chain && pending.length + 1 < perTrip) {
            // Held back: it goes with the next step's statements.
            pendingSql = text
            pending.push({
              index,
              info,
              own: executor instanceof OnlineExecutor ? executor.ownDeferred() : undefined,
              jsMs: performance.now() - t0,
            })
            inEffect = timeoutsOf(next)
            index++
            continue
          }
          let times: readonly (number | null)[] | undefined
          if (pending.length > 0) {
            // The ledger says how long each step of the script took on the server.
            const rows = await connection.queryScript<{ duration_ms: number | null }>(
              script(text, this.store.recentDurationsSql(this.runId, pending.length + 1)),
            )
            times = oldestFirst(rows)
            await settle(pending.length, times)
          } else await connection.execute(text)
          committing = false
          durationMs = times?.[times.length - 1] ?? performance.now() - t0
          inTransaction = chain
          inEffect = chain ? timeoutsOf(next) : sessionTimeouts
          committedHeads = step.currentAfter
          committedIndex = index + 1
          attempt = 1
        } else {
          await connection.execute(script(...parts))
          durationMs = performance.now() - t0
        }
        results.push({ ...info, durationMs })
        this.emit({ type: 'step-end', step: info, durationMs })
        index++
      } catch (thrown) {
        let caught = thrown
        // The step's own code failed before anything held back for it reached the database: the
        // earlier steps in that script are committed now, as they would have been before it began.
        const unsent = executor instanceof OnlineExecutor ? executor.takePrefix() : undefined
        if (unsent !== undefined && pending.length > 0) {
          await work.execute(unsent).catch((error) => (caught = error))
        }
        let rolledBack = inTransaction ? index - committedIndex : 0
        held = []
        if (inTransaction) {
          await work.execute(adapter.rollbackSql).catch(() => undefined)
          inTransaction = false
        }
        if (!transactional && inEffect !== sessionTimeouts) {
          await work.execute(change(inEffect, sessionTimeouts, false)).catch(() => undefined)
        }
        inEffect = sessionTimeouts
        // The step the failure belongs to, and its statements held back for the database.
        let failed = step
        let failedInfo = info
        let failedWanted = wanted
        let blamed = executor instanceof OnlineExecutor ? executor.ownDeferred() : undefined
        /** With a script of several steps and no answer from the database: the last that may have committed. */
        let through: MigrationStep<Script> | undefined
        if (pending.length > 0) {
          // The script carried several steps: those before the failure committed. The version
          // table says how many; the failure is the first one's that did not.
          const heads = await this.store.read(work).then(
            (state) => state.heads,
            () => undefined,
          )
          if (heads === undefined) {
            through = step
          } else {
            let done = 0
            for (let k = pending.length; k > 0; k--) {
              if (sameSet(steps[pending[k - 1]!.index]!.currentAfter, heads)) {
                done = k
                break
              }
            }
            await settle(done)
          }
          const first = pending[0]
          if (first !== undefined) {
            failed = steps[first.index]!
            failedInfo = first.info
            failedWanted = timeoutsOf(failed)
            blamed = first.own
          }
          pending = []
          rolledBack = 0
        }
        const progress = executor instanceof ProgressExecutor ? executor : undefined
        if (adapter.isLockLostError(caught) || session.lockLostReason() !== undefined) {
          throw this.lockLost(
            session,
            failed,
            caught,
            committedHeads,
            rolledBack,
            progress,
            runSoFar(),
          )
        }
        const retry = resolveStepRetry(
          this.settings.lockRetry,
          loaded.get(failed.node.revision)!.settings,
        )
        // A non-transactional step is tried again only when nothing of it was applied.
        const retryable =
          adapter.isLockTimeoutError(caught) &&
          through === undefined &&
          (transactional ||
            (recorded.length === 0 &&
              progress?.applied === 0 &&
              progress.unrecorded === undefined &&
              !progress.retriesSpent))
        if (retryable && attempt < retry.attempts) {
          const delayMs = retryDelay(attempt, retry)
          this.emit({
            type: 'lock-retry',
            step: failedInfo,
            attempt,
            attempts: retry.attempts,
            lockTimeoutMs: failedWanted.lock,
            delayMs,
            blockers: watch?.take() ?? [],
          })
          await sleep(delayMs)
          attempt++
          results.length = committedIndex
          index = committedIndex
          continue
        }
        throw await this.failure(
          session,
          failed,
          this.store.conflictFrom(caught, failed.changes) ?? blameDeferred(caught, blamed, adapter),
          {
            committedHeads,
            ...runSoFar(),
            rolledBack,
            progress,
            committing: committing || through !== undefined,
            through,
            attempts: adapter.isLockTimeoutError(caught)
              ? progress?.retriesSpent
                ? retry.attempts
                : attempt
              : undefined,
            blockers: watch?.take() ?? [],
            lockTimeoutMs: failedWanted.lock,
          },
        )
      }
    }
    if (inTransaction) {
      const last = steps[steps.length - 1]!
      try {
        await connection.execute(script(flushHeld(), guard, adapter.commitSql))
      } catch (error) {
        await work.execute(adapter.rollbackSql).catch(() => undefined)
        const rolledBack = steps.length - committedIndex - 1
        if (adapter.isLockLostError(error) || session.lockLostReason() !== undefined) {
          throw this.lockLost(
            session,
            last,
            error,
            committedHeads,
            rolledBack,
            undefined,
            runSoFar(),
          )
        }
        throw await this.failure(session, last, error, {
          committedHeads,
          ...runSoFar(),
          rolledBack,
          progress: undefined,
          committing: true,
          attempts: undefined,
          blockers: [],
          lockTimeoutMs: sessionTimeouts.lock,
        })
      }
    }
    return results
  }

  /**
   * Imports every file of a plan before the first step, so that a file that does not load stops
   * the run before anything is applied, not halfway through. The imports run side by side (a
   * quarter faster than one by one for 1,000 files); the error reported is the first in plan
   * order. Each import is announced, so that a caller can name a file whose import never settles.
   */
  private async loadAll(
    steps: readonly MigrationStep<Script>[],
  ): Promise<ReadonlyMap<string, LoadedMigration>> {
    const nodes = [...new Map(steps.map((step) => [step.node.revision, step.node])).values()]
    const loaded = await Promise.allSettled(
      nodes.map(async (node) => {
        this.emit({ type: 'import', file: node.source, done: false })
        try {
          return await loadMigration(node)
        } finally {
          this.emit({ type: 'import', file: node.source, done: true })
        }
      }),
    )
    const modules = new Map<string, LoadedMigration>()
    for (const [index, outcome] of loaded.entries()) {
      if (outcome.status === 'rejected') throw outcome.reason
      modules.set(nodes[index]!.revision, outcome.value)
    }
    return modules
  }

  /**
   * @param durationMs the step's time so far
   * @param timedByDatabase the row goes in one script with the step's last statement: the
   *   database adds that statement's time to `durationMs` (see `DialectAdapter.timedLedgerSql`)
   */
  private ledgerEntry(
    step: MigrationStep<Script>,
    startedAt: Date,
    durationMs: number,
    timedByDatabase: boolean,
  ): LedgerEntry {
    return {
      runId: this.runId,
      revision: step.node.revision,
      direction: step.direction,
      from: step.from,
      to: step.to,
      message: step.node.message,
      checksum: step.node.checksum,
      startedAt,
      finishedAt: new Date(),
      durationMs,
      timedByDatabase,
      runBy: this.runBy,
      toolVersion: toolVersion(),
    }
  }

  /** The error for a step stopped because the migration lock is gone. */
  private lockLost(
    session: RunSession,
    step: MigrationStep<Script>,
    error: unknown,
    committedHeads: readonly string[],
    rolledBack: number,
    progress: ProgressExecutor | undefined,
    run: { readonly currentBefore: readonly string[]; readonly applied: number },
  ): LockLostError {
    const name = `${step.direction} ${step.node.revision} (${step.node.message || step.node.source})`
    const undone = runsInTransaction(step, this.dialect.adapter)
      ? `it was rolled back${rolledBack > 0 ? ` together with ${rolledBack} earlier migration${rolledBack === 1 ? '' : 's'} of this run` : ''}`
      : `it ran outside a transaction: ${describeProgress(progress)}`
    return new LockLostError(
      `lost the migration lock during ${name} (${lockLostCause(session, this.dialect.adapter.lockLossCause(error))}); ${undone}, and nothing more runs, so that no other runner can apply a step twice; the database is at ${describeHeads(committedHeads)}; run the command again`,
      step.node.revision,
      committedHeads,
      { cause: error },
      run.currentBefore,
      run.applied,
    )
  }

  private async failure(
    session: RunSession,
    step: MigrationStep<Script>,
    error: unknown,
    context: {
      readonly committedHeads: readonly string[]
      /** Where the run started, and how many of its steps are committed. */
      readonly currentBefore: readonly string[]
      readonly applied: number
      readonly rolledBack: number
      readonly progress: ProgressExecutor | undefined
      /** The failure came from the round trip that commits the step. */
      readonly committing: boolean
      /** A later step the same lost round trip may have committed too. */
      readonly through?: MigrationStep<Script>
      /** Tries made, when the step failed by its lock timeout. */
      readonly attempts: number | undefined
      readonly blockers: readonly SessionActivity[]
      readonly lockTimeoutMs: number
    },
  ): Promise<MigrationFailedError> {
    const { committedHeads, rolledBack, progress } = context
    const where = describeHeads(committedHeads)
    const statement = error instanceof DatabaseError ? error.statement : undefined
    let reason: string
    if (context.attempts !== undefined) {
      const blockers =
        context.blockers.length === 0
          ? 'the sessions holding it were not seen'
          : `blocked by ${context.blockers.map((b) => describeSession(b)).join('; ')}`
      reason = `a statement could not get its lock within ${formatDuration(context.lockTimeoutMs)} on ${context.attempts === 1 ? 'its only try' : `any of ${context.attempts} tries`} (lockTimeout); ${blockers}`
    } else if (error instanceof DatabaseError) {
      reason = `${error.message}${error.sqlState ? ` (SQLSTATE ${error.sqlState})` : ''}${error.detail ? ` — ${error.detail}` : ''}`
    } else if (error instanceof Error) {
      reason = error.message.split('\n')[0] ?? String(error)
    } else {
      reason = String(error)
    }
    const parts = [
      `${step.direction} ${step.node.revision} (${step.node.message || step.node.source}) failed: ${reason}`,
    ]
    if (statement) parts.push(`statement: ${statement}`)
    const lost = error instanceof ConnectionError && error.code === 'CONNECTION_LOST'
    if (lost && context.committing) {
      const past =
        context.through === undefined || context.through === step
          ? 'just past this step'
          : `anywhere from just past this step to ${describeHeads(context.through.currentAfter)}`
      parts.push(
        `the connection was lost while the step was committing, so whether it committed is unknown: the database is at ${where} or ${past}; run \`aludel current\` to see`,
      )
    } else if (runsInTransaction(step, this.dialect.adapter)) {
      const others =
        rolledBack > 0
          ? ` together with ${rolledBack} earlier migration${rolledBack === 1 ? '' : 's'} of this run (transactionPerMigration is off)`
          : ''
      parts.push(`rolled back${others}; the database is still at ${where}`)
    } else {
      parts.push(
        `it ran outside a transaction: ${describeProgress(progress)}; the version table still says ${where}; run the command again to resume after the applied statements`,
      )
      if (!lost) parts.push(...(await this.invalidIndexNotes(session)))
    }
    if (context.attempts !== undefined) {
      parts.push(
        "end the blocking session's transaction, or run at a quieter time, or raise lockTimeout (in aludel.config.ts, or `export const lockTimeout` in the migration)",
      )
    } else {
      const hint = this.dialect.adapter.hintFor(error)
      if (hint) parts.push(hint)
    }
    return new MigrationFailedError(
      parts.join('; '),
      step.node.revision,
      step.direction,
      statement,
      committedHeads,
      context.currentBefore,
      context.applied,
      { cause: error },
    )
  }

  /** What an operator must know about indexes that failed concurrent builds left invalid. */
  private async invalidIndexNotes(session: RunSession): Promise<readonly string[]> {
    const invalid = await this.dialect.adapter.invalidIndexes?.(session.work).catch(() => undefined)
    return (invalid ?? []).map(
      (i) =>
        `index ${i.schema}.${i.name} on ${i.table} is INVALID (left by a failed concurrent build): op.createIndex(..., { concurrently: true }) drops and rebuilds it on the next run; for an index made with op.execute, run ${i.dropSql} first`,
    )
  }

  private emit(event: RunEvent): void {
    this.onEvent(event)
  }
}

/** The interrupted steps recorded by statement progress, with their applied statements. */
function interruptedSteps(progress: readonly StatementProgress[]): readonly {
  readonly revision: string
  readonly direction: 'upgrade' | 'downgrade'
  readonly statements: readonly string[]
}[] {
  const byStep = new Map<
    string,
    { revision: string; direction: 'upgrade' | 'downgrade'; statements: string[] }
  >()
  for (const p of progress) {
    const key = `${p.direction} ${p.revision}`
    const entry = byStep.get(key) ?? {
      revision: p.revision,
      direction: p.direction,
      statements: [],
    }
    entry.statements.push(p.statement)
    byStep.set(key, entry)
  }
  return [...byStep.values()]
}

/** What a non-transactional step applied, for messages. */
function describeProgress(progress: ProgressExecutor | undefined): string {
  const applied = progress?.appliedStatements ?? []
  const list = applied
    .slice(0, 3)
    .map((t) => `\`${t.length > 80 ? `${t.slice(0, 79)}…` : t}\``)
    .join(', ')
  const more = applied.length > 3 ? ` and ${applied.length - 3} more` : ''
  let text =
    applied.length === 0
      ? 'none of its statements was applied'
      : `${applied.length} of its statements ${applied.length === 1 ? 'was' : 'were'} applied and recorded (${list}${more})`
  if (progress?.unrecorded !== undefined) {
    text = `${text.replace(' and recorded', '')}; statement ${progress.unrecorded.seq} (\`${progress.unrecorded.statement}\`) ran but could not be recorded, so the next run runs it again`
  }
  return text
}

/** Why the lock is gone, as far as the client knows. */
function lockLostCause(session: RunSession, cause: string | undefined): string {
  if (cause !== undefined) return cause
  const reason = session.lockLostReason()
  return reason === undefined
    ? 'the session holding it was terminated, timed out or cut off'
    : `the session holding it ended: ${reason}`
}

function describeHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'base' : heads.join(', ')
}

/** The head changes that turn one set of version rows into another. */
export function diffHeads(before: readonly string[], after: readonly string[]): HeadChange[] {
  const removed = before.filter((h) => !after.includes(h))
  const added = after.filter((h) => !before.includes(h))
  const changes: HeadChange[] = []
  const pairs = Math.min(removed.length, added.length)
  for (let i = 0; i < pairs; i++) changes.push({ kind: 'update', from: removed[i]!, to: added[i]! })
  for (const r of removed.slice(pairs)) changes.push({ kind: 'delete', revision: r })
  for (const a of added.slice(pairs)) changes.push({ kind: 'insert', revision: a })
  return changes
}

/** What callers are told about a step. */
export function stepInfo(
  step: MigrationStep<Script>,
  adapter: Pick<DialectAdapter, 'supportsTransactionalDdl'>,
): StepInfo {
  return {
    direction: step.direction,
    revision: step.node.revision,
    from: step.from,
    to: step.to,
    message: step.node.message,
    transactional: runsInTransaction(step, adapter),
    file: step.node.source,
  }
}

/** The name a session shows in the server's activity view, so a waiting runner can say who holds the lock. */
export function sessionName(command: string): string {
  return `aludel ${command} (pid ${process.pid} on ${hostname()})`.slice(0, 63)
}

/**
 * The error of a round trip that carried a step's last statement with its bookkeeping, naming
 * that statement: unless the bookkeeping's own guards raised it, the statement is what failed.
 */
function blameDeferred(
  error: unknown,
  deferred: string | undefined,
  adapter: Dialect['adapter'],
): unknown {
  if (deferred === undefined || !(error instanceof DatabaseError)) return error
  if (adapter.isLockLostError(error) || adapter.isOneRowGuardError?.(error) === true) return error
  return new DatabaseError(
    error.message,
    error.sqlState,
    statementText(deferred),
    error.detail,
    error.hint,
    { cause: error.cause ?? error },
  )
}
