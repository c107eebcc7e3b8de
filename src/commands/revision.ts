import { rmSync } from 'node:fs'
import { UsageError } from '../aludel-error.ts'
import {
  NothingToGenerateError,
  RenameQuestionsError,
} from '../autogenerate/autogenerate-errors.ts'
import type {
  CompareResult,
  RenameAnswers,
  RenameQuestion,
} from '../autogenerate/compare-result.ts'
import { compareSchemas } from '../autogenerate/compare-schemas.ts'
import { type DetectedChange, detectedChanges } from '../autogenerate/describe-change.ts'
import { tableId } from '../autogenerate/object-keys.ts'
import { renderMigration } from '../autogenerate/render-migration.ts'
import { splitSafeMigration } from '../autogenerate/safe-migration.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Script, ScriptDirectory } from '../script/script-directory.ts'
import { MultipleHeadsError } from '../script/script-errors.ts'
import { type ConfigInput, configOf, scriptsOf, withDatabase } from './command-context.ts'
import { diffDatabase, type SchemaDiff } from './diff-database.ts'
import { loadModels } from './load-models.ts'

/** Options of {@link revision}. */
export interface RevisionOptions {
  /** What the migration does; its first line names the file. */
  readonly message: string
  /** Build on this revision instead of the single head (`base` starts an independent root). */
  readonly head?: string
  /** Allow `head` to be a revision that is not a head, starting a branch from it. */
  readonly splice?: boolean
  readonly branchLabels?: readonly string[]
  readonly dependsOn?: readonly string[]
  /**
   * Use this revision id instead of a random 12-hex one; a second file written for
   * `safeMigrations` gets this id followed by `_concurrent`.
   */
  readonly revisionId?: string
  /** Write `transactional = false` (for CREATE INDEX CONCURRENTLY and the like). */
  readonly transactional?: boolean
  /**
   * Fill `upgrade` and `downgrade` by comparing the models (`schema` in the config) with the
   * database, which must be at head.
   */
  readonly autogenerate?: boolean
  /** With `autogenerate`: write the revision even when nothing changed. */
  readonly allowEmpty?: boolean
  /** With `autogenerate`: answers to rename questions, by `fromKey` (null: drop and add). */
  readonly renames?: RenameAnswers
  /**
   * With `autogenerate`: asked about each possible rename left unanswered (the CLI prompts in a
   * terminal). Without it, open questions throw {@link RenameQuestionsError}.
   */
  readonly askRename?: (question: RenameQuestion) => Promise<boolean>
  /**
   * With `autogenerate`: write changes to existing tables in the forms that do not block a live
   * database, moving index builds, validations and `SET NOT NULL` into a second,
   * non-transactional migration ({@link splitSafeMigration}). Default: the config's
   * `safeMigrations` (false).
   */
  readonly safeMigrations?: boolean
}

/** What {@link revision} wrote: the migration file, and the second one when there is one. */
export interface RevisionResult extends Script {
  /**
   * With `safeMigrations`, the second migration file, written on top of this one with the steps
   * that run outside a transaction (`transactional = false`), its message this one's with
   * ` (concurrent part)`; undefined when everything fits in one file.
   */
  readonly concurrentPart: Script | undefined
  /** With `autogenerate`: what it detected, one entry per change, with its warning if any. */
  readonly changes: readonly DetectedChange[]
}

/**
 * Writes a new migration file on top of the current head and returns it: empty, or with
 * `autogenerate` the changes that turn the database into the models. With `safeMigrations`, the
 * changes that would block a live database are written in their non-blocking forms, and those
 * that must run outside a transaction go into a second file on top of the first
 * (`concurrentPart`); when the first would be left with nothing to do, only one file is written,
 * non-transactional.
 *
 * @example const script = await revision(config, { message: 'add account table' })
 * @throws MultipleHeadsError when there are several heads and no `head` was given
 */
export async function revision(
  config: ConfigInput,
  options: RevisionOptions,
): Promise<RevisionResult> {
  if (options.message.trim() === '') {
    throw new UsageError(
      'a revision needs a message: aludel revision -m "add account table"',
      'NO_MESSAGE',
    )
  }
  const resolved = configOf(config)
  const scripts = scriptsOf(resolved)
  const {
    autogenerate: _a,
    allowEmpty: _e,
    renames: _r,
    askRename: _q,
    safeMigrations: _s,
    ...write
  } = options
  if (!options.autogenerate) {
    return single(scripts.writeRevision({ ...write, head: options.head ?? 'head' }))
  }

  const planned = await planAutogenerate(resolved, scripts, options)
  const changes = detectedChanges(planned.result)
  const head = options.head ?? 'head'
  const [first, second] = planned.files
  const script = {
    ...scripts.writeRevision({ ...write, head, ...first!.code }),
    changes,
    concurrentPart: undefined,
  }
  if (second === undefined) return script
  try {
    // Read again: the folder now holds the first file, which the second builds on.
    const concurrentPart = scriptsOf(resolved).writeRevision({
      message: second.message,
      head: script.revision,
      ...(options.revisionId === undefined
        ? {}
        : { revisionId: `${options.revisionId}_concurrent` }),
      ...second.code,
    })
    return { ...script, concurrentPart }
  } catch (error) {
    // Half a change is worse than none: a rerun would build on the first file alone.
    rmSync(script.path, { force: true })
    throw error
  }
}

/** What `revision --autogenerate` would write, from {@link planRevision}. */
export interface RevisionPlan {
  /** One entry per change found, in the order the migration makes them. */
  readonly changes: readonly DetectedChange[]
  /**
   * The files it would write: one, or two with `safeMigrations` (the second outside a
   * transaction), each with its message and the bodies of `upgrade` and `downgrade`.
   */
  readonly files: readonly {
    readonly message: string
    readonly transactional: boolean
    readonly upgradeBody: string
    readonly downgradeBody: string
  }[]
}

/**
 * What `revision` with `autogenerate` would detect and write, without writing anything: a dry run.
 * Takes the same options; the database must be at head, as for {@link revision}.
 *
 * @example const { changes } = await planRevision(config, { message: 'sync', autogenerate: true })
 */
export async function planRevision(
  config: ConfigInput,
  options: RevisionOptions,
): Promise<RevisionPlan> {
  const resolved = configOf(config)
  const planned = await planAutogenerate(resolved, scriptsOf(resolved), options)
  return {
    changes: detectedChanges(planned.result),
    files: planned.files.map((f) => ({
      message: f.message,
      transactional: f.code.transactional,
      upgradeBody: f.code.upgradeBody,
      downgradeBody: f.code.downgradeBody,
    })),
  }
}

/** A file autogenerate would write: its message and code. */
interface PlannedFile {
  readonly message: string
  readonly code: {
    readonly upgradeBody: string
    readonly downgradeBody: string
    readonly imports: readonly string[]
    readonly transactional: boolean
  }
}

/**
 * Compares the models with the database (at head) and renders the migration: one file, or with
 * `safeMigrations` two when some steps must run outside a transaction.
 */
async function planAutogenerate(
  resolved: ResolvedConfig,
  scripts: ScriptDirectory,
  options: RevisionOptions,
): Promise<{ readonly result: CompareResult; readonly files: readonly PlannedFile[] }> {
  // Fail on an ambiguous head before spending time on the database.
  if (options.head !== undefined) scripts.map.resolve(options.head)
  else if (scripts.map.heads.length > 1) throw new MultipleHeadsError(scripts.map.heads, 'head')
  const models = await loadModels(resolved)
  const diff = await withDatabase(resolved, (dialect) =>
    diffDatabase(resolved, dialect, models, {
      scripts,
      command: 'revision',
      ...(options.renames === undefined ? {} : { renames: options.renames }),
    }),
  )
  const answered = await answerRenames(diff, options)
  // A migration declared non-transactional is one meant to build indexes without blocking writes.
  const result: CompareResult =
    options.transactional === false
      ? {
          ...answered,
          changes: answered.changes.map((change) =>
            change.op.kind === 'createIndex' || change.op.kind === 'dropIndex'
              ? { ...change, op: { ...change.op, concurrently: true } }
              : change,
          ),
        }
      : answered
  if (result.changes.length === 0 && result.manual.length === 0 && !options.allowEmpty) {
    throw new NothingToGenerateError()
  }
  const render = (part: CompareResult) => {
    const rendered = renderMigration(part, { enums: diff.models.enums })
    return {
      upgradeBody: rendered.upgradeBody,
      downgradeBody: rendered.downgradeBody,
      imports: rendered.imports,
      // CONCURRENTLY index changes can only run outside a transaction.
      transactional: (options.transactional ?? true) && rendered.transactional,
    }
  }
  const safe = options.safeMigrations ?? resolved.safeMigrations
  const partitionedTables = new Set(
    diff.database.tables.filter((t) => t.partitionBy).map((t) => tableId(t.schema, t.name)),
  )
  const split = safe
    ? splitSafeMigration(result, { partitionedTables })
    : { transactional: result, concurrent: [] }
  const concurrent: CompareResult = { changes: split.concurrent, manual: [], questions: [] }
  const first = split.transactional
  const message = options.message
  if (split.concurrent.length === 0) return { result, files: [{ message, code: render(first) }] }
  if (first.changes.length === 0 && first.manual.length === 0) {
    // Nothing left to do in a transaction: one file, outside any.
    const code = { ...render(concurrent), transactional: false }
    return { result, files: [{ message, code }] }
  }
  const second = { ...render(concurrent), transactional: false }
  return {
    result,
    files: [
      { message, code: render(first) },
      { message: concurrentMessage(message), code: second },
    ],
  }
}

/** The result of a revision that wrote one file. */
function single(script: Script): RevisionResult {
  return { ...script, changes: [], concurrentPart: undefined }
}

/** `message` with ` (concurrent part)` after its first line, which names the file. */
function concurrentMessage(message: string): string {
  const [firstLine = '', ...rest] = message.trim().split(/\r\n|\r|\n/)
  return [`${firstLine} (concurrent part)`, ...rest].join('\n')
}

/**
 * Settles rename questions: asks `askRename` about each open one and compares again (a table
 * rename can raise new column questions), or throws when nobody can be asked.
 */
async function answerRenames(diff: SchemaDiff, options: RevisionOptions): Promise<CompareResult> {
  const answers = new Map(options.renames ?? [])
  let result = diff.result
  while (result.questions.length > 0) {
    if (options.askRename === undefined) throw new RenameQuestionsError(result.questions)
    for (const question of result.questions) {
      answers.set(question.fromKey, (await options.askRename(question)) ? question.toKey : null)
    }
    result = compareSchemas(diff, { comparator: diff.comparator, renames: answers })
  }
  return result
}

/** Options of {@link merge}. */
export interface MergeOptions {
  readonly message: string
  readonly branchLabels?: readonly string[]
  readonly revisionId?: string
}

/**
 * Writes a merge revision whose parents are `revisions` (`heads` names them all), joining
 * branches back into one line. Its `upgrade` and `downgrade` are usually empty.
 *
 * @example await merge(config, ['heads'], { message: 'merge feature branches' })
 */
export async function merge(
  config: ConfigInput,
  revisions: readonly string[],
  options: MergeOptions,
): Promise<Script> {
  if (options.message.trim() === '') {
    throw new UsageError(
      'a merge needs a message: aludel merge heads -m "merge branches"',
      'NO_MESSAGE',
    )
  }
  if (revisions.length === 0) {
    throw new UsageError(
      'name the revisions to merge, or `heads`: aludel merge heads -m MSG',
      'NO_REVISIONS',
    )
  }
  const scripts = scriptsOf(configOf(config))
  return scripts.writeRevision({
    message: options.message,
    head: revisions,
    branchLabels: options.branchLabels,
    revisionId: options.revisionId,
    upgradeBody: '  // a merge point: nothing to do unless the branches need reconciling',
    downgradeBody: '  // a merge point: nothing to do',
  })
}
