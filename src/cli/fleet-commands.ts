import { UsageError } from '../aludel-error.ts'
import { assertAtHead } from '../commands/assert-at-head.ts'
import { checkModels } from '../commands/check.ts'
import { type CurrentResult, current } from '../commands/current.ts'
import {
  type EachOutcome,
  type FleetResult,
  type FleetShared,
  type FleetStep,
  runEach,
  runFleet,
  selectTargets,
  type TargetOutcome,
} from '../commands/fleet.ts'
import { type LintResult, type LintSelection, lint, lintFails } from '../commands/lint.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Severity } from '../lint/lint-types.ts'
import type { RunEventListener } from '../runtime/run-events.ts'
import { type CliContext, optionalString, printJson, stringList } from './cli-context.ts'
import { fleetProgress } from './fleet-progress.ts'
import { duration, revisionList, table } from './format.ts'
import { lintGithub, lintJson, lintText } from './lint-report.ts'

/**
 * The commands that run on several of the config's `targets` (`--target PATTERN...`,
 * `--all-targets`): each target on its own, a few at a time, sharing server sessions; the outcome
 * of each reported, and exit 1 when any failed.
 */

/** What one target's work gets: its configuration, its name, the run's shared sessions. */
type TargetBody<T> = (config: ResolvedConfig, target: string, shared: FleetShared) => Promise<T>

/**
 * `upgrade`, `downgrade` and `stamp` across targets: live progress, a line per finished target
 * (CI) or a live block (terminal), and the summary table or JSON.
 */
export async function migrateTargets(
  ctx: CliContext,
  config: ResolvedConfig,
  patterns: readonly string[],
  body: (
    config: ResolvedConfig,
    shared: FleetShared,
    onEvent: RunEventListener,
  ) => Promise<FleetStep>,
  stamping = false,
): Promise<number> {
  const targets = await selectTargets(config, patterns)
  const progress = ctx.json || ctx.quiet ? undefined : fleetProgress(ctx.terminal, targets.length)
  const result = await runFleet(
    targets,
    (c, name, shared) => body(c, shared, (event) => progress?.event(name, event)),
    {
      ...concurrencyOption(ctx),
      ...canaryOption(ctx),
      failFast: ctx.values['fail-fast'] === true,
      onStart: (name) => progress?.start(name),
      onOutcome: (outcome) => progress?.done(outcome, outcomeLine(outcome, stamping)),
    },
  )
  progress?.finish()
  return reportFleet(ctx, result)
}

/** `current` across targets: the matrix of revisions, pending and edited migrations. */
export async function currentTargets(
  ctx: CliContext,
  config: ResolvedConfig,
  patterns: readonly string[],
  checkHead: boolean,
): Promise<number> {
  const outcomes = await eachTarget(ctx, config, patterns, async (c, _, shared) => {
    if (checkHead) await assertAtHead(c, shared)
    return current(c, shared)
  })
  return reportCurrentMatrix(ctx, outcomes)
}

/** `check` across targets: which targets' schemas differ from the models, and how. */
export async function checkTargets(
  ctx: CliContext,
  config: ResolvedConfig,
  patterns: readonly string[],
): Promise<number> {
  const outcomes = await eachTarget(ctx, config, patterns, (c, _, shared) => checkModels(c, shared))
  const drifted = outcomes.filter((o) => o.value?.clean === false).length
  const failed = outcomes.filter((o) => o.result === 'failed').length
  const status = drifted + failed > 0 ? 1 : 0
  if (ctx.json) {
    printJson(ctx, {
      targets: outcomes.map((o) => ({
        target: o.target,
        result: o.result,
        ...(o.value === undefined
          ? {}
          : { clean: o.value.clean, differences: o.value.differences }),
        ...(o.error === undefined ? {} : { error: o.error }),
      })),
      clean: outcomes.length - drifted - failed,
      drifted,
      failed,
    })
    return status
  }
  if (!ctx.quiet || status !== 0) {
    const rows = outcomes.map((o) => [
      o.target,
      o.value === undefined ? '-' : String(o.value.differences.length),
      o.result === 'failed' ? `failed: ${o.error ?? ''}` : o.value?.clean ? 'clean' : 'differs',
    ])
    ctx.terminal.out(`${table([['target', 'differences', 'result'], ...rows])}
`)
    for (const [text, names] of grouped(
      outcomes,
      (o) => o.value?.differences.join('\n') || undefined,
    )) {
      ctx.terminal.out(
        `\n${targetList(names)} differ from the models:\n${text
          .split('\n')
          .map((l) => `  ${l}\n`)
          .join('')}`,
      )
    }
    ctx.terminal.out(
      `${outcomes.length} targets: ${outcomes.length - drifted - failed} clean, ${drifted} differ, ${failed} failed\n`,
    )
  }
  if (drifted > 0) {
    ctx.terminal.err(
      'error: the models have changes no migration makes on some targets; upgrade them, or run `aludel revision --autogenerate -m MSG`\n',
    )
  }
  return status
}

/**
 * `lint` across targets: each target's own selection (by default its pending migrations), by
 * rule. Targets with the same findings are reported together.
 */
export async function lintTargets(
  ctx: CliContext,
  config: ResolvedConfig,
  patterns: readonly string[],
  selection: LintSelection | undefined,
  format: 'text' | 'json' | 'github',
  failOn: Severity | 'never',
): Promise<number> {
  if (ctx.values.trace === true) {
    throw new UsageError(
      '--trace measures the migrations on one scratch database; run it without --target or --all-targets',
      'BAD_ARGUMENTS',
    )
  }
  const outcomes = await eachTarget(ctx, config, patterns, (c, _, shared) =>
    lint(c, { ...(selection === undefined ? {} : { selection }), ...shared }),
  )
  const fails = (o: EachOutcome<LintResult>) =>
    o.result === 'failed' ||
    (o.value !== undefined && failOn !== 'never' && lintFails(o.value, failOn))
  const status = outcomes.some(fails) ? 1 : 0
  if (format === 'json') {
    printJson(ctx, {
      targets: outcomes.map((o) => ({
        target: o.target,
        result: o.result,
        ...(o.value === undefined ? {} : (lintJson(o.value) as object)),
        ...(o.error === undefined ? {} : { error: o.error }),
      })),
    })
    return status
  }
  if (format === 'github') {
    // Annotations are per file and line: each once, however many targets share it.
    const lines = new Set<string>()
    for (const o of outcomes) {
      if (o.value === undefined) continue
      for (const line of lintGithub(o.value, config.migrationsDir, process.cwd()).split('\n')) {
        if (line !== '') lines.add(line)
      }
    }
    ctx.terminal.out([...lines].map((line) => `${line}\n`).join(''))
  } else {
    const count = (o: EachOutcome<LintResult>, severity: Severity) =>
      String(o.value?.findings.filter((f) => f.severity === severity).length ?? '-')
    const rows = outcomes.map((o) => [
      o.target,
      o.value === undefined ? '-' : String(o.value.migrations.length),
      count(o, 'error'),
      count(o, 'warning'),
      o.result === 'failed' ? `failed: ${o.error ?? ''}` : fails(o) ? 'fails' : 'ok',
    ])
    if (!ctx.quiet || status !== 0) {
      ctx.terminal.out(
        `${table([['target', 'migrations', 'errors', 'warnings', 'result'], ...rows])}\n`,
      )
    }
    for (const [text, names] of grouped(outcomes, (o) =>
      o.value?.findings.length ? lintText(o.value) : undefined,
    )) {
      ctx.terminal.out(`\n${targetList(names)}:\n${text}`)
    }
  }
  return status
}

/** `body` on the targets `patterns` select, with `--concurrency`; each target's outcome. */
async function eachTarget<T>(
  ctx: CliContext,
  config: ResolvedConfig,
  patterns: readonly string[],
  body: TargetBody<T>,
): Promise<readonly EachOutcome<T>[]> {
  return runEach(await selectTargets(config, patterns), body, concurrencyOption(ctx))
}

/** Outcomes grouped by the text `key` gives them (undefined: left out), in first-seen order. */
function grouped<T>(
  outcomes: readonly EachOutcome<T>[],
  key: (o: EachOutcome<T>) => string | undefined,
): ReadonlyMap<string, readonly string[]> {
  const groups = new Map<string, string[]>()
  for (const o of outcomes) {
    const text = key(o)
    if (text === undefined) continue
    const names = groups.get(text) ?? []
    names.push(o.target)
    groups.set(text, names)
  }
  return groups
}

/** `target t1`, `targets t1, t2, t3` or `targets t1, t2, t3 and 47 more`. */
function targetList(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ')
  const more = names.length > 3 ? ` and ${names.length - 3} more` : ''
  return `${names.length === 1 ? 'target' : 'targets'} ${shown}${more}`
}

/** The `--target` patterns, `['*']` for `--all-targets`, undefined for a single database. */
export function targetPatterns(ctx: CliContext): readonly string[] | undefined {
  const patterns = stringList(ctx, 'target')
  const all = ctx.values['all-targets'] === true
  if (all && patterns.length > 0) {
    throw new UsageError('give --target or --all-targets, not both', 'BAD_ARGUMENTS')
  }
  if (ctx.values.url !== undefined && (all || patterns.length > 0)) {
    throw new UsageError(
      '--url names one database; the targets name theirs in the config',
      'BAD_ARGUMENTS',
    )
  }
  return all ? ['*'] : patterns.length > 0 ? patterns : undefined
}

function canaryOption(ctx: CliContext): { readonly canary?: number } {
  const text = optionalString(ctx, 'canary')
  if (text === undefined) return {}
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `--canary takes a number of targets, at least 1, not ${text}`,
      'BAD_ARGUMENTS',
    )
  }
  return { canary: Number(text) }
}

function concurrencyOption(ctx: CliContext): { readonly concurrency?: number } {
  const text = optionalString(ctx, 'concurrency')
  if (text === undefined) return {}
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `--concurrency takes a whole number of at least 1, not ${text}`,
      'BAD_ARGUMENTS',
    )
  }
  return { concurrency: Number(text) }
}

/** One finished target, as a line of the run's log. */
function outcomeLine(o: TargetOutcome, stamping: boolean): string {
  switch (o.result) {
    case 'ok':
      return `${o.target}: ${revisionList(o.from ?? [])} -> ${revisionList(o.to ?? [])}, ${stamping ? 'stamped (no migration run)' : `${o.steps} migration${o.steps === 1 ? '' : 's'}`} in ${duration(o.durationMs)}`
    case 'failed':
      return `${o.target}: failed after ${duration(o.durationMs)}: ${o.error ?? ''}`
    case 'skipped':
      return `${o.target}: skipped: not started after an earlier target failed`
  }
}

/** `current` on several targets: one row each, and exit 1 when any could not be read. */
function reportCurrentMatrix(
  ctx: CliContext,
  outcomes: readonly EachOutcome<CurrentResult>[],
): number {
  const failed = outcomes.filter((o) => o.result === 'failed').length
  const status = failed > 0 ? 1 : 0
  if (ctx.json) {
    printJson(ctx, {
      targets: outcomes.map((o) => ({
        target: o.target,
        result: o.result,
        current: o.value?.current.map((h) => h.revision),
        unknown: o.value?.unknown,
        pending: o.value?.pending.length,
        edited: o.value?.edited.map((e) => e.revision),
        ...(o.error === undefined ? {} : { error: o.error }),
      })),
      ok: outcomes.length - failed,
      failed,
    })
    return status
  }
  const rows = outcomes.map((o) => [
    o.target,
    o.value === undefined
      ? '-'
      : revisionList([...o.value.current.map((h) => h.revision), ...o.value.unknown]),
    o.value === undefined ? '-' : String(o.value.pending.length),
    o.value === undefined ? '-' : String(o.value.edited.length),
    o.result === 'ok' ? 'ok' : `failed: ${o.error ?? ''}`,
  ])
  ctx.terminal.out(`${table([['target', 'revision', 'pending', 'edited', 'result'], ...rows])}\n`)
  return status
}

/** The summary table (or JSON) of a fleet run; exit 1 when any target failed. */
function reportFleet(ctx: CliContext, result: FleetResult): number {
  const status = result.failed > 0 ? 1 : 0
  if (ctx.json) {
    printJson(ctx, result)
    return status
  }
  if (ctx.quiet) return status
  const rows = [
    ['target', 'from', 'to', 'steps', 'time', 'result'],
    ...result.targets.map((o) => [
      o.target,
      o.from === undefined ? '-' : revisionList(o.from),
      o.to === undefined ? '-' : revisionList(o.to),
      String(o.steps),
      o.result === 'skipped' ? '-' : duration(o.durationMs),
      o.result,
    ]),
  ]
  const n = result.targets.length
  ctx.terminal.out(
    `\n${table(rows)}\n${n} target${n === 1 ? '' : 's'}: ${result.ok} ok, ${result.failed} failed, ${result.skipped} skipped\n`,
  )
  return status
}
