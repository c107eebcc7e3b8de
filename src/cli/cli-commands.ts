import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../aludel-error.ts'
import { type RenameQuestion, whatRenameKeeps } from '../autogenerate/compare-result.ts'
import type { DetectedChange } from '../autogenerate/describe-change.ts'
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
import { merge, planRevision, revision } from '../commands/revision.ts'
import { stamp, stampSql } from '../commands/stamp.ts'
import { testMigrations } from '../commands/test-migrations.ts'
import { upgrade } from '../commands/upgrade.ts'
import { upgradeCommand } from '../commands/upgrade-advice.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Severity } from '../lint/lint-types.ts'
import type { RunResult } from '../runtime/migration-runner.ts'
import type { RunEventListener } from '../runtime/run-events.ts'
import { describeRewrite } from '../runtime/runtime-errors.ts'
import { shortenInput } from '../util/shorten-input.ts'
import {
  type CliCommand,
  type CliContext,
  type OptionHelp,
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

/** What the options of {@link targetOptions} do, for `--help`. */
const TARGET_HELP = {
  target: [
    'NAME|PATTERN',
    "run on the config's targets matching NAME or a glob ('eu-*'); repeatable",
  ],
  'all-targets': "run on every target in the config's `targets`",
  concurrency: ['N', 'with targets: how many to work on at once (default: from the CPU count)'],
} satisfies OptionHelp

/** What the options of {@link fleet} do, for `--help`. */
const FLEET_HELP = {
  ...TARGET_HELP,
  'fail-fast': 'with targets: stop starting new targets after the first failure',
  canary: ['N', 'with targets: migrate N targets first, and stop if any of them fails'],
} satisfies OptionHelp

/** What `--sql` does, for `--help`. */
const SQL_HELP =
  'print the SQL script instead of running it (for a DBA to review or apply); nothing is changed; with targets, for the one --target NAME'

/** Every subcommand, in the order `aludel --help` lists them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  {
    name: 'init',
    summary: 'set up aludel.config.ts, migrations/ and .env.example',
    usage: 'aludel init [DIR]',
    options: {},
    positionals: { min: 0, max: 1 },
    help: {
      about:
        'Writes aludel.config.ts (.mts in a CommonJS package), an empty migrations/ folder and .env.example, and adds .env and the embedded database folder to .gitignore. Refuses to overwrite an existing config.',
      options: {},
      examples: ['aludel init', 'aludel init services/api'],
    },
    async run(ctx) {
      const result = await init(ctx.positionals[0] ?? '.')
      if (ctx.json) return printJson(ctx, result)
      if (!ctx.quiet) {
        for (const path of result.created) ctx.terminal.out(`Created ${path}\n`)
        if (result.ignored.length > 0) {
          ctx.terminal.out(
            `Added ${result.ignored.join(' and ')} to ${join(result.dir, '.gitignore')}\n`,
          )
        }
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
      'aludel revision -m MSG [--autogenerate [--allow-empty] [--safe | --no-safe] [--rename OLD:NEW] [--no-rename OLD:NEW] [--renames FILE]] [--head REV] [--splice] [--branch-label L] [--depends-on REV] [--rev-id ID] [--non-transactional] [--dry-run]',
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
      'dry-run': { type: 'boolean' },
    },
    positionals: { min: 0, max: 0 },
    help: {
      about:
        'Writes a new migration file on top of the head: empty, or with --autogenerate the changes that turn the database (which must be at head) into the models. Autogenerate prints each change it found and its data-loss warnings.',
      options: {
        message: ['MSG', 'what the migration does; its first line names the file (required)'],
        autogenerate:
          'compare the models (`schema` in the config) with the database and write the difference',
        'allow-empty': 'with --autogenerate: write the file even when nothing changed',
        safe: "with --autogenerate: write changes in forms that do not block a live table, moving index builds and validations into a second, non-transactional migration (default: the config's safeMigrations)",
        'no-safe': 'with --autogenerate: plain forms, even when the config sets safeMigrations',
        rename: [
          'OLD:NEW',
          'answer a rename question: OLD was renamed to NEW (table, or table.column); repeatable',
        ],
        'no-rename': [
          'OLD:NEW',
          'answer a rename question: OLD was dropped and NEW added; repeatable',
        ],
        renames: [
          'FILE',
          'answers from a JSON file, {"users.fullname": "users.full_name", "old_table": null}',
        ],
        head: ['REV', 'build on REV instead of the single head (`base` starts a new root)'],
        splice: 'allow --head to name a revision that is not a head, starting a branch from it',
        'branch-label': [
          'L',
          'give the new revision a branch label (LABEL@head then targets it); repeatable',
        ],
        'depends-on': [
          'REV',
          'the migration needs REV applied first, without REV being its parent; repeatable',
        ],
        'rev-id': ['ID', 'use ID instead of a random 12-hex revision id'],
        'non-transactional':
          'write `transactional = false`: the migration runs outside a transaction (CREATE INDEX CONCURRENTLY)',
        'dry-run':
          'with --autogenerate: print what it found and the code it would write; write nothing',
      },
      examples: [
        'aludel revision -m "add account table"',
        'aludel revision --autogenerate -m "add email to account"',
        'aludel revision --autogenerate --dry-run',
        'aludel revision --autogenerate -m "rename" --rename users.fullname:users.full_name',
      ],
    },
    async run(ctx) {
      const dryRun = ctx.values['dry-run'] === true
      if (dryRun && ctx.values.autogenerate !== true) {
        throw new UsageError(
          '--dry-run shows what --autogenerate would write; without it a revision is an empty file',
          'BAD_ARGUMENTS',
        )
      }
      const message = dryRun
        ? (optionalString(ctx, 'message') ?? 'dry run')
        : requiredString(ctx, 'message', 'aludel revision -m "add account table"')
      const autogenerate = ctx.values.autogenerate === true
      const config = await ctx.config({ database: autogenerate })
      const options = {
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
      }
      if (dryRun) {
        const plan = await planRevision(config, options)
        if (ctx.json) return printJson(ctx, plan)
        printDetected(ctx, plan.changes)
        for (const file of plan.files) {
          ctx.terminal.out(
            `\nWould write a migration${file.transactional ? '' : ' that runs outside a transaction'}: ${file.message.split('\n')[0]}\n  upgrade:\n${file.upgradeBody}\n  downgrade:\n${file.downgradeBody}\n`,
          )
        }
        ctx.terminal.out('\nDry run: nothing was written.\n')
        return 0
      }
      const script = await revision(config, options)
      if (ctx.json) return printJson(ctx, script)
      if (!ctx.quiet) {
        printDetected(ctx, script.changes)
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
    help: {
      about:
        'Compares the models with the database (which must be at head) and exits 1 when they differ: a change to the models has no migration yet. For CI.',
      options: { ...TARGET_HELP },
      examples: ['aludel check', 'aludel check --all-targets'],
    },
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
    help: {
      about:
        'The migration test kit, on a scratch database it creates and drops: one head, lint, base to head, the models match the result, and the stairway (each migration up, down and up again).',
      options: {
        target: TARGET_HELP.target,
        'all-targets': TARGET_HELP['all-targets'],
        'scratch-url': [
          'URL',
          'create the scratch database on this server instead of the configured one',
        ],
        'skip-models':
          'leave out the check that the migrations build what the models describe (for a project without `schema`)',
        'skip-lint': 'leave out lint',
      },
      examples: [
        'aludel test',
        'aludel test --skip-models',
        'aludel test --scratch-url postgres://ci@localhost/postgres',
      ],
    },
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
    help: {
      about:
        'Checks migrations for statements that lock, rewrite or scan a busy table (non-concurrent index builds, validated foreign keys, rewriting type changes, ...). Default: the migrations not yet applied; without a database, all. --trace runs them on a scratch database and reports the locks each statement really took.',
      options: {
        ...TARGET_HELP,
        pending: 'the migrations not applied to the configured database (the default)',
        all: 'every migration',
        trace:
          'apply the migrations to a scratch database and measure the locks, rewrites and scans of each statement',
        'scratch-url': ['URL', 'with --trace: create the scratch database on this server'],
        format: [
          'text|json|github',
          'output format; github writes annotations for GitHub Actions (default: text)',
        ],
        'fail-on': [
          'error|warning|info|never',
          'the lowest severity that makes the exit status 1 (default: error)',
        ],
      },
      examples: ['aludel lint', 'aludel lint --all --format github', 'aludel lint head --trace'],
    },
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
    help: {
      about:
        'Reads the live database and writes a TypeScript models module describing it: tables, enums, sequences, views, functions, triggers, partitions. What it cannot express is listed.',
      options: {
        output: ['FILE', 'write the module to FILE instead of printing it'],
        force: 'with --output: overwrite FILE if it exists',
      },
      examples: ['aludel pull', 'aludel pull -o src/db/schema.ts'],
    },
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
    help: {
      about:
        "Prints the database's revision(s), how many migrations are pending, and warnings for applied migrations whose files were edited or interrupted steps.",
      options: {
        'check-head': 'exit 1 unless the database is at head (for a deploy gate)',
        ...TARGET_HELP,
      },
      examples: ['aludel current', 'aludel current --check-head', 'aludel current --all-targets'],
    },
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
      if (result.current.length === 0 && result.unknown.length === 0) ctx.terminal.out('<base>\n')
      for (const head of result.current) {
        ctx.terminal.out(ctx.verbose ? revisionDetails(head, true) : `${revisionLine(head)}\n`)
      }
      for (const unknown of result.unknown) {
        ctx.terminal.out(`${unknown} (unknown: no migration file defines it)\n`)
      }
      if (!ctx.quiet && result.pending.length > 0 && result.unknown.length === 0) {
        const n = result.pending.length
        ctx.terminal.out(
          `${n} migration${n === 1 ? '' : 's'} pending; run \`${upgradeCommand(result.heads)}\`\n`,
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
    help: {
      about: 'Lists revisions, newest first, with their parents and messages.',
      options: {
        rev: ['A:B', 'only the revisions from A to B (either may be left out: A: or :B)'],
        'indicate-current': "mark the database's current revision(s)",
      },
      examples: ['aludel history', 'aludel history -r base:head -i'],
    },
    async run(ctx) {
      const indicateCurrent = ctx.values['indicate-current'] === true
      const entries = await history(await ctx.config({ database: indicateCurrent }), {
        range: optionalString(ctx, 'rev'),
        indicateCurrent,
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
    help: {
      about:
        'Lists the heads: revisions no other revision builds on. More than one means branches to merge.',
      options: {},
      examples: ['aludel heads'],
    },
    async run(ctx) {
      const result = await heads(await ctx.config({ database: false }))
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
    help: {
      about: 'Lists the revisions with more than one child, and the branches that leave each.',
      options: {},
      examples: ['aludel branches'],
    },
    async run(ctx) {
      const result = await branches(await ctx.config({ database: false }))
      if (ctx.json) return printJson(ctx, result)
      if (result.length === 0 && !ctx.quiet) {
        ctx.terminal.out('No branch points: every revision has at most one child\n')
      }
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
    help: {
      about:
        'Shows one revision: its file, parents, children, branch labels, dependencies and message.',
      options: {},
      examples: ['aludel show head', 'aludel show 3f2a'],
    },
    async run(ctx) {
      const result = await show(await ctx.config({ database: false }), ctx.positionals[0]!)
      if (ctx.json) return printJson(ctx, result)
      ctx.terminal.out(result.map((r) => revisionDetails(r)).join('\n'))
      return 0
    },
  },
  {
    name: 'stamp',
    summary: 'set the version table to REV without running migrations',
    usage:
      'aludel stamp REV [--purge] [--sql [--target NAME]]\n       aludel stamp REV [--purge] --target NAME|PATTERN... | --all-targets [--concurrency N] [--fail-fast] [--canary N] [--json]',
    options: { purge: { type: 'boolean' }, ...sql, ...fleet },
    positionals: { min: 1, max: 1 },
    help: {
      about:
        'Sets the version table to REV without running any migration, e.g. for a database built some other way. Recorded in the ledger.',
      options: {
        purge:
          'empty the version table first (for a table holding revisions this code does not know)',
        sql: SQL_HELP,
        ...FLEET_HELP,
      },
      examples: ['aludel stamp head', 'aludel stamp base --purge', 'aludel stamp head --sql'],
    },
    async run(ctx) {
      const target = ctx.positionals[0]!
      const config = await ctx.config()
      const purge = ctx.values.purge === true
      const patterns = targetPatterns(ctx)
      if (ctx.values.sql) {
        const one = patterns === undefined ? config : await sqlTarget(config, patterns)
        ctx.terminal.data(await stampSql(one, target, { purge }))
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
          `Stamped ${revisionList(result.currentAfter)} (was ${revisionList(result.currentBefore)}${result.purged ? ', purged' : ''}); no migration was run\n`,
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
    help: {
      about:
        'Writes a merge revision whose parents are REVS (`heads`: all of them), joining branches into one line. Its upgrade and downgrade are usually empty.',
      options: {
        message: ['MSG', 'what the merge joins (required)'],
        'branch-label': ['L', 'give the merge revision a branch label; repeatable'],
        'rev-id': ['ID', 'use ID instead of a random revision id'],
      },
      examples: ['aludel merge heads -m "merge feature branches"'],
    },
    async run(ctx) {
      const message = requiredString(ctx, 'message', 'aludel merge heads -m "merge branches"')
      const script = await merge(await ctx.config({ database: false }), ctx.positionals, {
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
    help: {
      about:
        'Accepts edits to migrations that were already applied: records their new checksums, so that the next run stops warning about them. Without REV, every applied migration whose file changed; with REV, only those.',
      options: {},
      examples: ['aludel rehash', 'aludel rehash 3f2a1b9c0d4e'],
    },
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
    usage: `aludel ${name} TARGET [--sql [--target NAME]]   (with --sql, TARGET may be FROM:TO)\n       aludel ${name} TARGET --target NAME|PATTERN... | --all-targets [--concurrency N] [--fail-fast] [--canary N]`,
    options: { ...sql, ...fleet },
    positionals: { min: 1, max: 1 },
    help: {
      about:
        name === 'upgrade'
          ? 'Applies the migrations up to TARGET, each in its own transaction by default, under a lock that keeps a second deployer out; the version table is true after every step, whatever stops the run.'
          : 'Reverts migrations down to TARGET by running their downgrade functions, newest first, each in its own transaction by default.',
      options: { sql: SQL_HELP, ...FLEET_HELP },
      examples:
        name === 'upgrade'
          ? [
              'aludel upgrade head',
              'aludel upgrade +1',
              'aludel upgrade head --sql',
              'aludel upgrade head --all-targets --canary 2',
            ]
          : ['aludel downgrade -1', 'aludel downgrade base', 'aludel downgrade head:base --sql'],
    },
    async run(ctx) {
      const target = ctx.positionals[0]!
      // A FROM:TO script is compiled offline: no database is opened.
      const config = await ctx.config({
        database: !(ctx.values.sql === true && target.includes(':')),
      })
      const patterns = targetPatterns(ctx)
      if (ctx.values.sql) {
        const one = patterns === undefined ? config : await sqlTarget(config, patterns)
        // The script is data: a DBA applies it, so it is printed exactly as compiled.
        ctx.terminal.data(await toSql(one, target, { onEvent: listener(ctx) }))
        return 0
      }
      if (patterns !== undefined) {
        return migrateTargets(ctx, config, patterns, (c, shared, onEvent) =>
          run(c, target, { ...shared, onEvent }),
        )
      }
      return reportRun(ctx, await run(config, target, { onEvent: listener(ctx) }))
    },
  }
}

/** What autogenerate found, one line per change, each warning under its change. */
function printDetected(ctx: CliContext, changes: readonly DetectedChange[]): void {
  for (const change of changes) {
    ctx.terminal.out(`Detected ${change.description}\n`)
    if (change.warning !== undefined) ctx.terminal.out(`  warning: ${change.warning}\n`)
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

/**
 * The one target a `--sql` script is written for: a script is applied to one database (or one
 * tenant's schema), so the patterns must select exactly one target.
 */
async function sqlTarget(
  config: ResolvedConfig,
  patterns: readonly string[],
): Promise<ResolvedConfig> {
  const selected = await selectTargets(config, patterns)
  if (selected.length === 1) return selected[0]!.config
  const names = selected.map((t) => t.name)
  throw new UsageError(
    `--sql writes the script for one target, and ${names.length} are selected (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}); name one with --target NAME, once per target`,
    'BAD_ARGUMENTS',
  )
}

function reportRun(ctx: CliContext, result: RunResult): number {
  if (ctx.json) return printJson(ctx, result)
  if (ctx.quiet) return 0
  const n = result.steps.length
  if (n === 0) {
    ctx.terminal.out(`Nothing to do: the database is at ${revisionList(result.currentAfter)}\n`)
  } else {
    const verb = result.direction === 'upgrade' ? 'Upgraded' : 'Downgraded'
    // The run's time includes the lock, reading the version table and loading the files; the
    // steps' own time says what the migrations cost the database.
    const steps = result.steps.reduce((sum, step) => sum + step.durationMs, 0)
    ctx.terminal.out(
      `${verb} ${revisionList(result.currentBefore)} -> ${revisionList(result.currentAfter)}: ${n} migration${n === 1 ? '' : 's'} in ${duration(result.durationMs)} (the steps themselves ${duration(steps)})\n`,
    )
  }
  return 0
}

function listener(ctx: CliContext): RunEventListener {
  return runListener(ctx)
}
