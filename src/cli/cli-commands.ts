import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../aludel-error.ts'
import { type RenameQuestion, whatRenameKeeps } from '../autogenerate/compare-result.ts'
import { assertAtHead } from '../commands/assert-at-head.ts'
import { checkModels } from '../commands/check.ts'
import type { CommandOptions } from '../commands/command-context.ts'
import { current } from '../commands/current.ts'
import { downgrade } from '../commands/downgrade.ts'
import { selectTargets } from '../commands/fleet.ts'
import { branches, heads, show } from '../commands/graph-queries.ts'
import { history } from '../commands/history.ts'
import { init } from '../commands/init.ts'
import { type LintSelection, lint, lintFails } from '../commands/lint.ts'
import { downgradeSql, type OfflineSqlOptions, upgradeSql } from '../commands/offline-sql.ts'
import { pull } from '../commands/pull.ts'
import { rehash } from '../commands/rehash.ts'
import { merge, revision } from '../commands/revision.ts'
import { stamp, stampSql } from '../commands/stamp.ts'
import { testMigrations } from '../commands/test-migrations.ts'
import { upgrade } from '../commands/upgrade.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Severity } from '../lint/lint-types.ts'
import type { RunResult } from '../runtime/migration-runner.ts'
import type { RunEventListener } from '../runtime/run-events.ts'
import { describeRewrite } from '../runtime/runtime-errors.ts'
import { shortenInput } from '../util/shorten-input.ts'
import {
  type CliCommand,
  type CliContext,
  optionalString,
  printJson,
  requiredString,
  stringList,
} from './cli-context.ts'
import {
  checkTargets,
  currentTargets,
  lintTargets,
  migrateTargets,
  targetPatterns,
} from './fleet-commands.ts'
import { duration, historyLine, revisionDetails, revisionLine, revisionList } from './format.ts'
import { lintGithub, lintJson, lintText } from './lint-report.ts'
import { runListener } from './run-listener.ts'

export type { CliCommand, CliContext } from './cli-context.ts'

const sql = { sql: { type: 'boolean' } } as const

/** Choosing some of the config's `targets`, and how many to work on at once. */
const targetOptions = {
  target: { type: 'string', multiple: true },
  'all-targets': { type: 'boolean' },
  concurrency: { type: 'string' },
} as const

/** Running a migration command on several targets: isolation and canaries too. */
const fleet = {
  ...targetOptions,
  'fail-fast': { type: 'boolean' },
  canary: { type: 'string' },
} as const

/** Every subcommand, in the order `aludel --help` lists them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  {
    name: 'init',
    summary: 'set up aludel.config.ts, migrations/ and .env.example',
    usage: 'aludel init [DIR]',
    options: {},
    positionals: { min: 0, max: 1 },
    async run(ctx) {
      const result = await init(ctx.positionals[0] ?? '.')
      if (ctx.json) return printJson(ctx, result)
      if (!ctx.quiet) {
        for (const path of result.created) ctx.terminal.out(`Created ${path}\n`)
        ctx.terminal.out(
          'Next: set DATABASE_URL (or keep the embedded PGlite default), then `aludel revision -m "first migration"`\n',
        )
      }
      return 0
    },
  },
  {
    name: 'revision',
    summary: 'write a new migration file (--autogenerate: from the models)',
    usage:
      'aludel revision -m MSG [--autogenerate [--allow-empty] [--safe | --no-safe] [--rename OLD:NEW] [--no-rename OLD:NEW] [--renames FILE]] [--head REV] [--splice] [--branch-label L] [--depends-on REV] [--rev-id ID] [--non-transactional]',
    options: {
      message: { type: 'string', short: 'm' },
      autogenerate: { type: 'boolean' },
      'allow-empty': { type: 'boolean' },
      safe: { type: 'boolean' },
      'no-safe': { type: 'boolean' },
      rename: { type: 'string', multiple: true },
      'no-rename': { type: 'string', multiple: true },
      renames: { type: 'string' },
      head: { type: 'string' },
      splice: { type: 'boolean' },
      'branch-label': { type: 'string', multiple: true },
      'depends-on': { type: 'string', multiple: true },
      'rev-id': { type: 'string' },
      'non-transactional': { type: 'boolean' },
    },
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const message = requiredString(ctx, 'message', 'aludel revision -m "add account table"')
      const config = await ctx.config()
      const autogenerate = ctx.values.autogenerate === true
      const script = await revision(config, {
        message,
        head: optionalString(ctx, 'head'),
        splice: ctx.values.splice === true,
        branchLabels: stringList(ctx, 'branch-label'),
        dependsOn: stringList(ctx, 'depends-on'),
        revisionId: optionalString(ctx, 'rev-id'),
        transactional: ctx.values['non-transactional'] !== true,
        autogenerate,
        allowEmpty: ctx.values['allow-empty'] === true,
        ...(ctx.values.safe === true ? { safeMigrations: true } : {}),
        ...(ctx.values['no-safe'] === true ? { safeMigrations: false } : {}),
        ...(autogenerate ? { renames: renameAnswers(ctx, config.root) } : {}),
        ...(autogenerate && ctx.terminal.interactive
          ? { askRename: (q: RenameQuestion) => askRename(ctx, q) }
          : {}),
      })
      if (ctx.json) return printJson(ctx, script)
      if (!ctx.quiet) {
        const outside = script.transactional ? '' : ' (runs outside a transaction)'
        ctx.terminal.out(`Generated ${script.path}${outside}\n`)
        if (script.concurrentPart !== undefined) {
          ctx.terminal.out(
            `Generated ${script.concurrentPart.path} (concurrent part: runs outside a transaction, after ${script.revision})\n`,
          )
        }
      }
      if (!ctx.quiet && autogenerate) {
        ctx.terminal.out('Review it before you commit: autogenerate cannot see everything.\n')
      }
      return 0
    },
  },
  {
    name: 'check',
    summary: 'exit 1 when the models and the database (at head) disagree',
    usage:
      'aludel check [--json]\n       aludel check --target NAME|PATTERN... | --all-targets [--concurrency N] [--json]',
    options: targetOptions,
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const config = await ctx.config()
      const patterns = targetPatterns(ctx)
      if (patterns !== undefined) return checkTargets(ctx, config, patterns)
      const result = await checkModels(config)
      if (ctx.json) {
        ctx.terminal.out(
          `${JSON.stringify({ clean: result.clean, differences: result.differences }, null, 2)}\n`,
        )
        return result.clean ? 0 : 1
      }
      if (result.clean) {
        if (!ctx.quiet) ctx.terminal.out('The models and the database agree.\n')
        return 0
      }
      ctx.terminal.out(
        `The models and the database differ (${result.differences.length}); a migration is missing:\n`,
      )
      for (const line of result.differences) ctx.terminal.out(`  ${line}\n`)
      ctx.terminal.err(
        'error: the models have changes no migration makes; run `aludel revision --autogenerate -m MSG`\n',
      )
      return 1
    },
  },
  {
    name: 'test',
    summary: 'the migration test kit: one head, lint, base->head, models match, stairway',
    usage:
      'aludel test [--scratch-url URL] [--skip-models] [--skip-lint] [--json]\n       aludel test --target NAME|PATTERN... | --all-targets [...]   (on a scratch database laid out like the first target)',
    options: {
      target: fleet.target,
      'all-targets': fleet['all-targets'],
      'scratch-url': { type: 'string' },
      'skip-models': { type: 'boolean' },
      'skip-lint': { type: 'boolean' },
    },
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const config = await ctx.config()
      const patterns = targetPatterns(ctx)
      // The migrations are the same for every target: one scratch database, laid out like the
      // first selected target (its server, and for a schema target its schema).
      const first = patterns === undefined ? undefined : (await selectTargets(config, patterns))[0]
      if (first !== undefined && !ctx.json && !ctx.quiet) {
        ctx.terminal.out(`Testing on a scratch database laid out like target ${first.name}\n`)
      }
      const result = await testMigrations(first?.config ?? config, {
        ...(optionalString(ctx, 'scratch-url') === undefined
          ? {}
          : { scratchUrl: optionalString(ctx, 'scratch-url')! }),
        skipModels: ctx.values['skip-models'] === true,
        skipLint: ctx.values['skip-lint'] === true,
        onCheck: (check) => {
          if (ctx.json || (ctx.quiet && check.ok)) return
          ctx.terminal.out(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`)
        },
      })
      if (ctx.json) {
        ctx.terminal.out(`${JSON.stringify(result, null, 2)}\n`)
        return result.ok ? 0 : 1
      }
      if (!result.ok) {
        const failed = result.checks.find((c) => !c.ok)!
        ctx.terminal.err(
          `error: ${failed.name} failed${failed.revision ? ` (revision ${failed.revision})` : ''}; see above\n`,
        )
        return 1
      }
      if (!ctx.quiet) ctx.terminal.out(`All ${result.checks.length} checks passed.\n`)
      return 0
    },
  },
  {
    name: 'lint',
    summary:
      'check migrations for locks, rewrites and scans that stall a busy table (--trace: measure them)',
    usage:
      'aludel lint [TARGET | FROM:TO | --pending | --all] [--trace [--scratch-url URL]] [--json | --format text|json|github] [--fail-on error|warning|info|never]\n       aludel lint [TARGET | FROM:TO | --pending | --all] --target NAME|PATTERN... | --all-targets [--concurrency N] [--json | --format ...] [--fail-on ...]',
    options: {
      ...targetOptions,
      pending: { type: 'boolean' },
      all: { type: 'boolean' },
      trace: { type: 'boolean' },
      'scratch-url': { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
    },
    positionals: { min: 0, max: 1 },
    async run(ctx) {
      const format = optionalString(ctx, 'format') ?? (ctx.json ? 'json' : 'text')
      if (!['text', 'json', 'github'].includes(format)) {
        throw new UsageError(
          `--format must be text, json or github, not '${shortenInput(format)}'`,
          'BAD_OPTION',
        )
      }
      const failOn = optionalString(ctx, 'fail-on') ?? 'error'
      if (!['error', 'warning', 'info', 'never'].includes(failOn)) {
        throw new UsageError(
          `--fail-on must be error, warning, info or never, not '${shortenInput(failOn)}'`,
          'BAD_OPTION',
        )
      }
      const chosen = [
        ctx.positionals[0] !== undefined,
        ctx.values.pending === true,
        ctx.values.all === true,
      ]
      if (chosen.filter(Boolean).length > 1) {
        throw new UsageError('give one of TARGET, FROM:TO, --pending or --all', 'BAD_OPTION')
      }
      const selection: LintSelection | undefined =
        ctx.values.all === true
          ? { kind: 'all' }
          : ctx.values.pending === true
            ? { kind: 'pending' }
            : ctx.positionals[0] !== undefined
              ? { kind: 'target', target: ctx.positionals[0] }
              : undefined
      const config = await ctx.config()
      const patterns = targetPatterns(ctx)
      if (patterns !== undefined) {
        return lintTargets(
          ctx,
          config,
          patterns,
          selection,
          format as 'text' | 'json' | 'github',
          failOn as Severity | 'never',
        )
      }
      const scratchUrl = optionalString(ctx, 'scratch-url')
      const result = await lint(config, {
        ...(selection === undefined ? {} : { selection }),
        trace: ctx.values.trace === true,
        ...(scratchUrl === undefined ? {} : { scratchUrl }),
      })
      if (format === 'json') printJson(ctx, lintJson(result))
      else if (format === 'github')
        ctx.terminal.out(lintGithub(result, config.migrationsDir, process.cwd()))
      else if (!ctx.quiet || result.findings.length > 0) ctx.terminal.out(lintText(result))
      return failOn !== 'never' && lintFails(result, failOn as Severity) ? 1 : 0
    },
  },
  {
    name: 'pull',
    summary: 'write a TypeScript models module describing the database',
    usage: 'aludel pull [--output FILE] [--force]   (without --output: print it)',
    options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const output = optionalString(ctx, 'output')
      const result = await pull(await ctx.config(), {
        ...(output === undefined ? {} : { output }),
        force: ctx.values.force === true,
      })
      if (ctx.json) {
        const { path, tables, enums, leftOut } = result
        return printJson(ctx, { path, tables, enums, leftOut })
      }
      // Generated code is data: printed exactly as written.
      if (result.path === undefined) ctx.terminal.data(result.text)
      else if (!ctx.quiet) {
        ctx.terminal.out(
          `Wrote ${result.path}: ${result.tables} table${result.tables === 1 ? '' : 's'}, ${result.enums} enum${result.enums === 1 ? '' : 's'}\n`,
        )
      }
      // What the models leave out goes to stderr, even with --quiet: never dropped silently.
      for (const item of result.leftOut) {
        ctx.terminal.err(`not modelled: ${item.count} ${item.description}\n`)
      }
      return 0
    },
  },
  migrateCommand(
    'upgrade',
    'apply migrations up to TARGET (head, +1, a revision, LABEL@head, ...)',
    upgradeSql,
    upgrade,
  ),
  migrateCommand(
    'downgrade',
    'undo migrations down to TARGET (-1, a revision, base, LABEL@base, ...)',
    downgradeSql,
    downgrade,
  ),
  {
    name: 'current',
    summary: "show the database's current revision(s)",
    usage:
      'aludel current [--check-head] [--json] [--verbose]\n       aludel current --target NAME|PATTERN... | --all-targets [--check-head] [--concurrency N] [--json]',
    options: { 'check-head': { type: 'boolean' }, ...targetOptions },
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const config = await ctx.config()
      const patterns = targetPatterns(ctx)
      if (patterns !== undefined) {
        return currentTargets(ctx, config, patterns, ctx.values['check-head'] === true)
      }
      if (ctx.values['check-head']) {
        await assertAtHead(config)
      }
      const result = await current(config)
      if (ctx.json) return printJson(ctx, result)
      if (result.heads.length === 0 && result.unknown.length === 0) ctx.terminal.out('<base>\n')
      for (const head of result.heads) {
        ctx.terminal.out(ctx.verbose ? revisionDetails(head, true) : `${revisionLine(head)}\n`)
      }
      for (const unknown of result.unknown) {
        ctx.terminal.out(`${unknown} (unknown: no migration file defines it)\n`)
      }
      if (!ctx.quiet && result.pending.length > 0 && result.unknown.length === 0) {
        const n = result.pending.length
        ctx.terminal.out(
          `${n} migration${n === 1 ? '' : 's'} pending; run \`aludel upgrade ${result.migrationHeads.length > 1 ? 'heads' : 'head'}\`\n`,
        )
      }
      for (const edited of result.edited) {
        ctx.terminal.err(
          `warning: ${edited.file} was edited after it was applied (checksum ${edited.appliedChecksum.slice(0, 12)} -> ${edited.currentChecksum.slice(0, 12)})\n`,
        )
      }
      if (result.unrecorded.length > 0) {
        ctx.terminal.err(`warning: ${describeRewrite(result.unrecorded)}\n`)
      }
      for (const step of result.interrupted) {
        ctx.terminal.err(
          `warning: ${step.direction} ${step.revision} (${step.file ?? 'no file defines it'}) was interrupted after ${step.statements.length} applied statement${step.statements.length === 1 ? '' : 's'} (${step.statements.map((t) => `\`${t}\``).join(', ')}); \`aludel ${step.direction}\` resumes it\n`,
        )
      }
      return 0
    },
  },
  {
    name: 'history',
    summary: 'list revisions, newest first',
    usage: 'aludel history [-r A:B] [-i|--indicate-current] [--json] [--verbose]',
    options: {
      rev: { type: 'string', short: 'r' },
      'indicate-current': { type: 'boolean', short: 'i' },
    },
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const entries = await history(await ctx.config(), {
        range: optionalString(ctx, 'rev'),
        indicateCurrent: ctx.values['indicate-current'] === true,
      })
      if (ctx.json) return printJson(ctx, entries)
      const lines = entries.map((e) =>
        ctx.verbose ? revisionDetails(e, e.current) : `${historyLine(e, e.current)}\n`,
      )
      ctx.terminal.out(lines.join(''))
      return 0
    },
  },
  {
    name: 'heads',
    summary: 'list the heads of the migrations',
    usage: 'aludel heads [--json] [--verbose]',
    options: {},
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const result = await heads(await ctx.config())
      if (ctx.json) return printJson(ctx, result)
      for (const head of result) {
        ctx.terminal.out(ctx.verbose ? revisionDetails(head) : `${revisionLine(head)}\n`)
      }
      return 0
    },
  },
  {
    name: 'branches',
    summary: 'list branch points and the branches that leave them',
    usage: 'aludel branches [--json] [--verbose]',
    options: {},
    positionals: { min: 0, max: 0 },
    async run(ctx) {
      const result = await branches(await ctx.config())
      if (ctx.json) return printJson(ctx, result)
      for (const point of result) {
        ctx.terminal.out(
          ctx.verbose ? revisionDetails(point.revision) : `${revisionLine(point.revision)}\n`,
        )
        for (const child of point.children) {
          ctx.terminal.out(`    -> ${revisionLine(child)}\n`)
        }
      }
      return 0
    },
  },
  {
    name: 'show',
    summary: 'show one revision in detail',
    usage: 'aludel show REV [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(ctx) {
      const result = await show(await ctx.config(), ctx.positionals[0]!)
      if (ctx.json) return printJson(ctx, result)
      ctx.terminal.out(result.map((r) => revisionDetails(r)).join('\n'))
      return 0
    },
  },
  {
    name: 'stamp',
    summary: 'set the version table to REV without running migrations',
    usage:
      'aludel stamp REV [--purge] [--sql]\n       aludel stamp REV [--purge] --target NAME|PATTERN... | --all-targets [--concurrency N] [--fail-fast] [--canary N] [--json]',
    options: { purge: { type: 'boolean' }, ...sql, ...fleet },
    positionals: { min: 1, max: 1 },
    async run(ctx) {
      const target = ctx.positionals[0]!
      const config = await ctx.config()
      const purge = ctx.values.purge === true
      const patterns = targetPatterns(ctx)
      if (ctx.values.sql) {
        if (patterns !== undefined) throw perTargetSql()
        ctx.terminal.data(await stampSql(config, target, { purge }))
        return 0
      }
      if (patterns !== undefined) {
        return migrateTargets(
          ctx,
          config,
          patterns,
          (c, shared, onEvent) => stamp(c, target, { purge, ...shared, onEvent }),
          true,
        )
      }
      const result = await stamp(config, target, { purge, onEvent: listener(ctx) })
      if (ctx.json) return printJson(ctx, result)
      if (!ctx.quiet) {
        ctx.terminal.out(
          `Stamped ${revisionList(result.headsAfter)} (was ${revisionList(result.headsBefore)}${result.purged ? ', purged' : ''}); no migration was run\n`,
        )
      }
      return 0
    },
  },
  {
    name: 'merge',
    summary: 'write a merge revision joining REVS (or all heads)',
    usage: 'aludel merge REVS... -m MSG [--branch-label L] [--rev-id ID]   (REVS may be `heads`)',
    options: {
      message: { type: 'string', short: 'm' },
      'branch-label': { type: 'string', multiple: true },
      'rev-id': { type: 'string' },
    },
    positionals: { min: 1, max: Number.POSITIVE_INFINITY },
    async run(ctx) {
      const message = requiredString(ctx, 'message', 'aludel merge heads -m "merge branches"')
      const script = await merge(await ctx.config(), ctx.positionals, {
        message,
        branchLabels: stringList(ctx, 'branch-label'),
        revisionId: optionalString(ctx, 'rev-id'),
      })
      if (ctx.json) return printJson(ctx, script)
      if (!ctx.quiet) ctx.terminal.out(`Generated ${script.path}\n`)
      return 0
    },
  },
  {
    name: 'rehash',
    summary: 'accept edits to applied migrations by recording their new checksums',
    usage: 'aludel rehash [REV...]',
    options: {},
    positionals: { min: 0, max: Number.POSITIVE_INFINITY },
    async run(ctx) {
      const revisions = ctx.positionals.length === 0 ? undefined : ctx.positionals
      const accepted = await rehash(await ctx.config(), revisions, { onEvent: listener(ctx) })
      if (ctx.json) return printJson(ctx, accepted)
      if (!ctx.quiet) {
        if (accepted.length === 0)
          ctx.terminal.out('No applied migration was edited; nothing to do\n')
        for (const e of accepted) ctx.terminal.out(`Accepted the edit of ${e.file}\n`)
      }
      return 0
    },
  },
]

/** `upgrade` and `downgrade`: the same arguments, online or as SQL. */
function migrateCommand(
  name: 'upgrade' | 'downgrade',
  summary: string,
  toSql: (config: ResolvedConfig, target: string, options: OfflineSqlOptions) => Promise<string>,
  run: (config: ResolvedConfig, target: string, options: CommandOptions) => Promise<RunResult>,
): CliCommand {
  return {
    name,
    summary,
    usage: `aludel ${name} TARGET [--sql]   (with --sql, TARGET may be FROM:TO)\n       aludel ${name} TARGET --target NAME|PATTERN... | --all-targets [--concurrency N] [--fail-fast] [--canary N]`,
    options: { ...sql, ...fleet },
    positionals: { min: 1, max: 1 },
    async run(ctx) {
      const target = ctx.positionals[0]!
      const config = await ctx.config()
      const patterns = targetPatterns(ctx)
      if (patterns !== undefined) {
        if (ctx.values.sql) throw perTargetSql()
        return migrateTargets(ctx, config, patterns, (c, shared, onEvent) =>
          run(c, target, { ...shared, onEvent }),
        )
      }
      if (ctx.values.sql) {
        // The script is data: a DBA applies it, so it is printed exactly as compiled.
        ctx.terminal.data(await toSql(config, target, { onEvent: listener(ctx) }))
        return 0
      }
      return reportRun(ctx, await run(config, target, { onEvent: listener(ctx) }))
    },
  }
}

/** Rename answers from --rename, --no-rename and --renames FILE. */
function renameAnswers(ctx: CliContext, root: string): Map<string, string | null> {
  const answers = new Map<string, string | null>()
  const file = optionalString(ctx, 'renames')
  if (file !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(resolve(root, file), 'utf8'))
    } catch (error) {
      throw new UsageError(
        `cannot read --renames ${file}: ${error instanceof Error ? error.message : String(error)}`,
        'BAD_RENAMES',
      )
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(
        `--renames ${file} must hold an object like {"users.fullname": "users.full_name", "old_table": null}`,
        'BAD_RENAMES',
      )
    }
    for (const [from, to] of Object.entries(parsed)) {
      if (to !== null && typeof to !== 'string') {
        throw new UsageError(
          `--renames ${file}: '${from}' must map to a name or null`,
          'BAD_RENAMES',
        )
      }
      answers.set(from, to)
    }
  }
  const pairs = (name: string) =>
    stringList(ctx, name).map((pair) => {
      const [from, to, ...rest] = pair.split(':')
      if (!from || !to || rest.length > 0) {
        throw new UsageError(
          `--${name} takes OLD:NEW, e.g. users.fullname:users.full_name`,
          'BAD_RENAMES',
        )
      }
      return [from, to] as const
    })
  for (const [from, to] of pairs('rename')) answers.set(from, to)
  for (const [from] of pairs('no-rename')) answers.set(from, null)
  return answers
}

async function askRename(ctx: CliContext, q: RenameQuestion): Promise<boolean> {
  for (;;) {
    const answer = (
      await ctx.terminal.ask(
        `${q.kind[0]!.toUpperCase()}${q.kind.slice(1)} ${q.fromKey} is gone and ${q.toKey} is new. Rename ${q.fromKey} to ${q.toKey} (keeps ${whatRenameKeeps(q.kind)}), or drop and add? [rename/drop] `,
      )
    )
      .trim()
      .toLowerCase()
    if (answer === 'rename' || answer === 'r' || answer === 'y' || answer === 'yes') return true
    if (answer === 'drop' || answer === 'd' || answer === 'n' || answer === 'no') return false
  }
}

function perTargetSql(): UsageError {
  return new UsageError(
    '--sql writes one script for one database; run it per target instead',
    'BAD_ARGUMENTS',
  )
}

function reportRun(ctx: CliContext, result: RunResult): number {
  if (ctx.json) return printJson(ctx, result)
  if (ctx.quiet) return 0
  const n = result.steps.length
  if (n === 0) {
    ctx.terminal.out(`Nothing to do: the database is at ${revisionList(result.headsAfter)}\n`)
  } else {
    const verb = result.direction === 'upgrade' ? 'Upgraded' : 'Downgraded'
    ctx.terminal.out(
      `${verb} ${revisionList(result.headsBefore)} -> ${revisionList(result.headsAfter)}: ${n} migration${n === 1 ? '' : 's'} in ${duration(result.durationMs)}\n`,
    )
  }
  return 0
}

function listener(ctx: CliContext): RunEventListener {
  return runListener(ctx)
}
