import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { isAludelError } from '../aludel-error.ts'
import type { Connection } from '../dialect/connection.ts'
import type { Dialect, VersionTableNames } from '../dialect/dialect.ts'
import { DatabaseError } from '../dialect/dialect-errors.ts'
import { Operations } from '../operations/operations.ts'
import type { HeadChange, MigrationStep } from '../script/revision-map.ts'
import type { Script, ScriptDirectory } from '../script/script-directory.ts'
import { whoAmI } from '../util/who-am-i.ts'
import { toolVersion } from '../version.ts'
import { loadMigration, type MigrationModule } from './load-migration.ts'
import { OnlineExecutor } from './online-executor.ts'
import type { RunEvent, RunEventListener, StepInfo } from './run-events.ts'
import {
  ChecksumMismatchError,
  type EditedMigration,
  MigrationFailedError,
} from './runtime-errors.ts'
import { type LedgerEntry, type VersionState, VersionStore } from './version-store.ts'

/** The runtime's settings, taken from the configuration by the commands. */
export interface RuntimeSettings {
  readonly names: VersionTableNames
  /** True: each migration commits on its own. False: one transaction for the whole run. */
  readonly transactionPerMigration: boolean
  readonly lockWaitTimeout: number
  readonly checksums: 'error' | 'warn' | 'off'
}

/** One migration that ran. */
export interface StepResult extends StepInfo {
  readonly durationMs: number
}

/** What an upgrade or downgrade did. */
export interface RunResult {
  readonly direction: 'upgrade' | 'downgrade'
  readonly target: string
  readonly headsBefore: readonly string[]
  readonly headsAfter: readonly string[]
  readonly steps: readonly StepResult[]
  readonly durationMs: number
}

/** What a stamp did. */
export interface StampResult {
  readonly target: string
  readonly headsBefore: readonly string[]
  readonly headsAfter: readonly string[]
  readonly purged: boolean
}

/** Plans the steps once the lock is held and the version table has been read. */
export type Planner = (heads: readonly string[]) => readonly MigrationStep<Script>[]

/**
 * Applies migrations to a live database safely:
 *
 * - a migration lock held on its own session serializes concurrent runners, and the version table
 *   is read only once the lock is held, so a runner that waited applies nothing twice;
 * - each migration runs in its own transaction with its version-table change and ledger row, so a
 *   failure rolls back to the last good step (or one transaction for the run, if configured);
 * - a migration with `transactional = false` runs with no transaction open at all;
 * - applied migrations whose files changed since they ran are detected from their checksums.
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
      await connection.close()
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
   * Runs the steps `plan` returns for the current heads, under the migration lock.
   *
   * @throws MigrationFailedError when a migration fails (the database keeps the last good step)
   * @throws ChecksumMismatchError before upgrading when applied files were edited
   */
  async run(direction: 'upgrade' | 'downgrade', target: string, plan: Planner): Promise<RunResult> {
    const started = performance.now()
    return this.locked(direction, async (connection, recorded) => {
      const state = await this.normalizeRows(connection, recorded)
      const steps = plan(state.heads)
      this.checkEdits(state, direction === 'upgrade' && this.settings.checksums === 'error')
      const results = steps.length === 0 ? [] : await this.execute(connection, state, steps)
      return {
        direction,
        target,
        headsBefore: state.heads,
        headsAfter: steps.length === 0 ? state.heads : steps[steps.length - 1]!.headsAfter,
        steps: results,
        durationMs: performance.now() - started,
      }
    })
  }

  /**
   * Sets the version table to `target` without running migrations, recording it in the ledger.
   * With `purge`, the current rows are discarded first (even unknown revisions).
   */
  async stamp(
    target: string,
    purge: boolean,
    plan: (heads: readonly string[]) => {
      headsBefore: readonly string[]
      headsAfter: readonly string[]
    },
  ): Promise<StampResult> {
    return this.locked('stamp', async (connection, state) => {
      const start = purge ? [] : state.heads
      const { headsAfter } = plan(start)
      const map = this.scripts.map
      const before = map.appliedSet(start)
      const after = map.appliedSet(headsAfter)
      const now = new Date()
      const entry = (revision: string, direction: 'stamp' | 'unstamp'): LedgerEntry => ({
        runId: this.runId,
        revision,
        direction,
        from: direction === 'stamp' ? [] : [revision],
        to: direction === 'stamp' ? [revision] : [],
        message: map.get(revision).message,
        checksum: direction === 'stamp' ? map.get(revision).checksum : null,
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
        runBy: this.runBy,
        toolVersion: toolVersion(),
      })
      const entries = [
        ...[...map.order]
          .reverse()
          .filter((r) => before.has(r) && !after.has(r))
          .map((r) => entry(r, 'unstamp')),
        ...map.order.filter((r) => after.has(r) && !before.has(r)).map((r) => entry(r, 'stamp')),
      ]
      if (!state.tablesExist) await this.store.createTables(connection)
      await this.inTransaction(connection, async () => {
        if (purge) {
          const purgeSql = this.store.purgeStatement()
          await connection.query(purgeSql.sql, purgeSql.params)
          await this.store.applyChanges(connection, diffHeads([], headsAfter))
        } else {
          await this.store.applyChanges(connection, diffHeads(state.heads, headsAfter))
        }
        if (entries.length > 0) await this.store.record(connection, entries)
      })
      return { target, headsBefore: state.heads, headsAfter, purged: purge }
    })
  }

  /**
   * Accepts edits to applied migrations: records their current checksums in the ledger.
   *
   * @param revisions only these (default: every edited migration)
   */
  async rehash(revisions: readonly string[] | undefined): Promise<readonly EditedMigration[]> {
    return this.locked('rehash', async (connection, state) => {
      const edited = this.editedMigrations(state).filter(
        (e) => revisions === undefined || revisions.includes(e.revision),
      )
      if (edited.length === 0) return []
      const now = new Date()
      await this.inTransaction(connection, () =>
        this.store.record(
          connection,
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
  private async normalizeRows(connection: Connection, state: VersionState): Promise<VersionState> {
    const map = this.scripts.map
    const heads = map.headsOf(map.appliedSet(state.heads))
    const changes = diffHeads(state.heads, heads)
    if (changes.length === 0) return state
    await this.inTransaction(connection, () => this.store.applyChanges(connection, changes))
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

  private async locked<T>(
    command: string,
    work: (connection: Connection, state: VersionState) => Promise<T>,
  ): Promise<T> {
    const { driver, adapter } = this.dialect
    const name = sessionName(command)
    // Open the working session while the lock session connects and waits: a round trip saved.
    const workSession = adapter.supportsSeparateLockSession ? driver.connect(name) : undefined
    workSession?.catch(() => undefined)
    let lockConnection: Connection | undefined
    let connection: Connection | undefined
    try {
      lockConnection = await driver.connect(name)
      const waitStart = performance.now()
      let waited = false
      const lock = await adapter.acquireLock(lockConnection, this.settings.names, {
        timeoutMs: this.settings.lockWaitTimeout,
        onWait: (holder) => {
          waited = true
          this.emit({ type: 'lock-wait', holder, timeoutMs: this.settings.lockWaitTimeout })
        },
      })
      if (waited) this.emit({ type: 'lock-acquired', waitedMs: performance.now() - waitStart })
      try {
        connection = workSession === undefined ? lockConnection : await workSession
        // Read only now: a runner that waited sees what the previous holder applied.
        const state = await this.store.read(connection)
        return await work(connection, state)
      } finally {
        // Ending the session would release the lock too; releasing first keeps the order clear.
        await lock.release().catch(() => undefined)
      }
    } finally {
      const work = connection ?? (await workSession?.catch(() => undefined))
      if (work !== undefined && work !== lockConnection) await work.close()
      await lockConnection?.close()
    }
  }

  private async inTransaction(connection: Connection, body: () => Promise<void>): Promise<void> {
    const { adapter } = this.dialect
    await connection.execute(adapter.beginSql)
    try {
      await body()
      await connection.execute(adapter.commitSql)
    } catch (error) {
      await connection.execute(adapter.rollbackSql).catch(() => undefined)
      throw error
    }
  }

  private async execute(
    connection: Connection,
    state: VersionState,
    steps: readonly MigrationStep<Script>[],
  ): Promise<StepResult[]> {
    const { adapter, ddl } = this.dialect
    const modules = await loadAll(steps)
    if (!state.tablesExist) await this.store.createTables(connection)

    const executor = new OnlineExecutor(connection, ddl)
    const perMigration = this.settings.transactionPerMigration
    const results: StepResult[] = []
    let uncommitted = 0
    let committedHeads = steps[0]!.headsBefore
    let inTransaction = false

    const commit = async (heads: readonly string[]) => {
      await connection.execute(adapter.commitSql)
      inTransaction = false
      committedHeads = heads
      uncommitted = 0
    }

    for (const [index, step] of steps.entries()) {
      const info = stepInfo(step)
      const module = modules.get(step.node.revision)!
      const transactional = step.node.transactional
      const startedAt = new Date()
      const t0 = performance.now()
      this.emit({ type: 'step-start', step: info })
      try {
        // A non-transactional migration never runs while the runner holds an open transaction.
        if (!transactional && inTransaction) await commit(step.headsBefore)
        if (transactional && !inTransaction) {
          await connection.execute(adapter.beginSql)
          inTransaction = true
        }
        await module[step.direction](new Operations(executor, { transactional }))
        if (!transactional) {
          // Its effects are already committed; record them atomically on their own.
          await connection.execute(adapter.beginSql)
          inTransaction = true
        }
        const durationMs = performance.now() - t0
        const entry = this.ledgerEntry(step, startedAt, durationMs)
        let bookkeeping = this.store.bookkeepingScript(step.changes, entry)
        if (bookkeeping === undefined) {
          await this.store.applyChanges(connection, step.changes)
          bookkeeping = this.store.ledgerScript([entry])
        }
        if (perMigration || !transactional) {
          // The version change, the ledger row, the commit and the next step's BEGIN go in one
          // round trip: a failure anywhere in it skips the rest, and the step is rolled back like
          // any other failure.
          const next = steps[index + 1]
          const chain = next?.node.transactional === true
          await connection.execute(
            [bookkeeping, adapter.commitSql, ...(chain ? [adapter.beginSql] : [])].join(';\n'),
          )
          inTransaction = chain
          committedHeads = step.headsAfter
          uncommitted = 0
        } else {
          await connection.execute(bookkeeping)
          uncommitted++
        }
        results.push({ ...info, durationMs })
        this.emit({ type: 'step-end', step: info, durationMs })
      } catch (caught) {
        const error = this.store.conflictFrom(caught, step.changes) ?? caught
        const lost = inTransaction ? uncommitted : 0
        if (inTransaction) {
          await connection.execute(adapter.rollbackSql).catch(() => undefined)
          inTransaction = false
        }
        throw this.failure(step, error, committedHeads, transactional, lost)
      }
    }
    if (inTransaction) {
      const last = steps[steps.length - 1]!
      try {
        await commit(last.headsAfter)
      } catch (error) {
        await connection.execute(adapter.rollbackSql).catch(() => undefined)
        throw this.failure(last, error, committedHeads, true, uncommitted - 1)
      }
    }
    return results
  }

  private ledgerEntry(
    step: MigrationStep<Script>,
    startedAt: Date,
    durationMs: number,
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
      runBy: this.runBy,
      toolVersion: toolVersion(),
    }
  }

  private failure(
    step: MigrationStep<Script>,
    error: unknown,
    committedHeads: readonly string[],
    transactional: boolean,
    earlierRolledBack: number,
  ): MigrationFailedError {
    const where = committedHeads.length === 0 ? 'base' : committedHeads.join(', ')
    const statement = error instanceof DatabaseError ? error.statement : undefined
    let reason: string
    if (error instanceof DatabaseError) {
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
    if (transactional) {
      const others =
        earlierRolledBack > 0
          ? ` together with ${earlierRolledBack} earlier migration${earlierRolledBack === 1 ? '' : 's'} of this run (transactionPerMigration is off)`
          : ''
      parts.push(`rolled back${others}; the database is still at ${where}`)
    } else {
      parts.push(
        `it ran outside a transaction, so statements before the failing one stay applied; the version table still says ${where}`,
      )
    }
    const hint = this.dialect.adapter.hintFor(error)
    if (hint) parts.push(hint)
    else if (!isAludelError(error) && !(error instanceof DatabaseError)) {
      parts.push('run with --verbose for the stack trace')
    }
    return new MigrationFailedError(
      parts.join('; '),
      step.node.revision,
      step.direction,
      statement,
      committedHeads,
      { cause: error },
    )
  }

  private emit(event: RunEvent): void {
    this.onEvent(event)
  }
}

/**
 * Imports every file of a plan before the database is touched, so that a file that does not load
 * stops the run before its first step, not halfway through. The imports run side by side (a
 * quarter faster than one by one for 1,000 files); the error reported is the first in plan order.
 */
async function loadAll(
  steps: readonly MigrationStep<Script>[],
): Promise<ReadonlyMap<string, MigrationModule>> {
  const nodes = [...new Map(steps.map((step) => [step.node.revision, step.node])).values()]
  const loaded = await Promise.allSettled(nodes.map((node) => loadMigration(node)))
  const modules = new Map<string, MigrationModule>()
  for (const [index, outcome] of loaded.entries()) {
    if (outcome.status === 'rejected') throw outcome.reason
    modules.set(nodes[index]!.revision, outcome.value)
  }
  return modules
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
export function stepInfo(step: MigrationStep<Script>): StepInfo {
  return {
    direction: step.direction,
    revision: step.node.revision,
    from: step.from,
    to: step.to,
    message: step.node.message,
    transactional: step.node.transactional,
    file: step.node.source,
  }
}

/** The name a session shows in the server's activity view, so a waiting runner can say who holds the lock. */
export function sessionName(command: string): string {
  return `aludel ${command} (pid ${process.pid} on ${hostname()})`.slice(0, 63)
}
