import { type ParseArgsOptionsConfig, parseArgs } from 'node:util'
import { AludelError, isAludelError, UsageError } from '../aludel-error.ts'
import { loadConfig } from '../config/load-config.ts'
import { type ResolvedConfig, resolveConfig } from '../config/resolved-config.ts'
import { MigrationFailedError } from '../runtime/runtime-errors.ts'
import { redactWholeUrl } from '../util/redact-url.ts'
import { shortenInput } from '../util/shorten-input.ts'
import { toolVersion } from '../version.ts'
import { CLI_COMMANDS, type CliCommand, type CliContext } from './cli-commands.ts'
import { unfinishedWork } from './run-listener.ts'
import { maskedTerminal, SecretMask } from './secret-mask.ts'
import { processTerminal, type Terminal } from './terminal.ts'

/** What the process running the command line lets it do. */
export interface CliOptions {
  /**
   * Called once the configuration says the command will open an embedded (PGlite) database, and
   * only while nothing has been printed: the `aludel` executable restarts itself there with
   * settings that suit WebAssembly (see bin/aludel.js). It may not return.
   */
  readonly beforeEmbeddedDatabase?: () => void
}

/** Where the last run reports its errors, for {@link reportUnfinished}. */
let reporter: { readonly terminal: Terminal; readonly json: boolean } | undefined

const SHIELD = '\u0001'

/** How much of an unexpected error's message is shown; aludel's own errors are one line already. */
const FOREIGN_MESSAGE_LIMIT = 400

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  config: { type: 'string', short: 'c' },
  url: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

/**
 * Runs the `aludel` command line and returns the exit status: 0 success, 1 failure (database
 * error, failed safety check), 2 bad usage or bad input. The only module that parses argv and
 * prints; errors become one line on stderr (a stack trace only with --verbose; a JSON object with
 * --json). Messages never show the credentials aludel was given; SQL scripts and generated code
 * are printed unchanged.
 */
export async function runCli(
  argv: readonly string[],
  terminal: Terminal = processTerminal(),
  options: CliOptions = {},
): Promise<number> {
  const secrets = new SecretMask()
  secrets.addEnvironment(process.env)
  secrets.addArguments(argv)
  const tracked = trackLines(maskedTerminal(terminal, secrets))
  const verbose = argv.includes('--verbose') || argv.includes('-v')
  const json = argv.includes('--json')
  reporter = { terminal: tracked, json }
  try {
    return await dispatch(argv, tracked, secrets, options)
  } catch (error) {
    if (!tracked.atLineStart()) tracked.out(' failed\n')
    return reportError(error, tracked, { verbose, json })
  }
}

async function dispatch(
  argv: readonly string[],
  terminal: Terminal & { wroteAnything(): boolean },
  secrets: SecretMask,
  options: CliOptions,
): Promise<number> {
  const [name, ...rest] = commandFirst(argv)
  if (name === undefined) {
    // No command is a usage error: the usage goes to stderr, where errors go.
    terminal.err(usage())
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    terminal.out(usage())
    return 0
  }
  if (name === '--version' || name === '-V') {
    terminal.out(`aludel ${toolVersion()}\n`)
    return 0
  }
  const command = CLI_COMMANDS.find((c) => c.name === name)
  if (command === undefined) {
    const guess = CLI_COMMANDS.find((c) => c.name.startsWith(name.slice(0, 3)))
    throw new UsageError(
      `unknown command '${echo(name)}'${guess ? ` (did you mean '${guess.name}'?)` : ''}; run \`aludel --help\` for the list`,
      'UNKNOWN_COMMAND',
    )
  }
  const parsed = parseCommandArgs(command, rest)
  if (parsed.values.help) {
    terminal.out(commandHelp(command))
    return 0
  }
  let config: Promise<ResolvedConfig> | undefined
  const context: CliContext = {
    positionals: parsed.positionals,
    values: parsed.values,
    terminal,
    json: parsed.values.json === true,
    quiet: parsed.values.quiet === true,
    verbose: parsed.values.verbose === true,
    config: (configOptions = {}) => {
      const url = typeof parsed.values.url === 'string' ? parsed.values.url : undefined
      // Loaded without --url first, so that the config's own URL is known and hidden too.
      config ??= loadConfig({
        configFile: typeof parsed.values.config === 'string' ? parsed.values.config : undefined,
      }).then(
        (loaded) => {
          hideConfigSecrets(secrets, loaded)
          const resolved = url === undefined ? loaded : resolveConfig(loaded, { url })
          const opensDatabase = configOptions.database ?? true
          if (options.beforeEmbeddedDatabase && opensDatabase && !terminal.wroteAnything()) {
            const urls = [resolved.url, resolved.migrationUrl, parsed.values['scratch-url']]
            if (urls.some((u) => typeof u === 'string' && u.startsWith('pglite:'))) {
              options.beforeEmbeddedDatabase()
            }
          }
          return resolved
        },
        (error: unknown) => {
          // A .env beside the config may have set DATABASE_URL before the config failed.
          secrets.addEnvironment(process.env)
          throw error
        },
      )
      return config
    },
  }
  return command.run(context)
}

/**
 * Adds the credentials a loaded configuration holds: every URL it names (`url`, and any other URL
 * setting), and `DATABASE_URL` and `PGPASSWORD`, which a `.env` beside the config may have set.
 */
function hideConfigSecrets(secrets: SecretMask, config: ResolvedConfig): void {
  secrets.addEnvironment(process.env)
  for (const value of Object.values(config)) {
    if (typeof value === 'string') secrets.addUrl(value)
  }
}

/** User input as a message repeats it: shortened, and with any URL password hidden. */
function echo(text: string): string {
  return shortenInput(redactWholeUrl(text))
}

/**
 * Moves options written before the command after it (`aludel -q upgrade head` is
 * `aludel upgrade head -q`): every command accepts the global options.
 */
function commandFirst(argv: readonly string[]): readonly string[] {
  const leading: string[] = []
  let i = 0
  while (
    i < argv.length &&
    argv[i]!.startsWith('-') &&
    !/^(-h|--help|-V|--version)$/.test(argv[i]!)
  ) {
    const option = argv[i]!
    leading.push(option)
    i++
    if (/^(-c|--config|--url)$/.test(option) && i < argv.length) leading.push(argv[i++]!)
  }
  if (leading.length === 0 || i >= argv.length) return argv
  return [argv[i]!, ...leading, ...argv.slice(i + 1)]
}

function parseCommandArgs(command: CliCommand, args: readonly string[]) {
  let parsed: ReturnType<typeof parseArgs>
  // `-1` is a relative target, not a short option: hide it from the option parser.
  const shielded = args.map((a) => (/^-\d+$/.test(a) ? `${SHIELD}${a}` : a))
  try {
    parsed = parseArgs({
      args: shielded,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    })
    parsed.positionals = parsed.positionals.map((p) => (p.startsWith(SHIELD) ? p.slice(1) : p))
  } catch (error) {
    throw new UsageError(
      `${argumentProblem(error, command)}; usage: ${command.usage}`,
      'BAD_ARGUMENTS',
      { cause: error },
    )
  }
  const count = parsed.positionals.length
  if (!parsed.values.help && (count < command.positionals.min || count > command.positionals.max)) {
    const what =
      count < command.positionals.min
        ? 'missing argument'
        : `unexpected argument '${echo(parsed.positionals[command.positionals.max]!)}'`
    throw new UsageError(`${what}; usage: ${command.usage}`, 'BAD_ARGUMENTS')
  }
  return parsed as {
    positionals: string[]
    values: Record<string, string | boolean | string[] | undefined>
  }
}

/**
 * Rewords an error of `util.parseArgs`: its messages are several sentences long, advise `--` for
 * positionals (no aludel argument needs it) and name options as `'-m, --message <value>'`.
 */
function argumentProblem(error: unknown, command: CliCommand): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown }).code
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  // `-m, --message <value>` -> `--message`; `-x` stays as it is.
  const option = quoted.split(/[\s,]+/).find((part) => part.startsWith('--')) ?? quoted
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown option '${echo(quoted)}' for \`aludel ${command.name}\``
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `option ${option} takes no value`
    if (message.includes('ambiguous')) {
      return `option ${option} needs a value; to give one that starts with '-', write ${option}=-VALUE`
    }
    return `option ${option} needs a value`
  }
  return message.split('\n')[0]!.replace(/\.$/, '')
}

/**
 * Reports, as an error of the command, that the process is about to exit before the command
 * settled: called from the process's `exit` event, when Node's event loop ran empty because a
 * migration (or its import) awaits a promise that nothing can resolve.
 */
export function reportUnfinished(): void {
  const what =
    unfinishedWork() ??
    'aludel stopped before the command finished: something it waited for can never happen'
  const terminal = reporter?.terminal ?? processTerminal()
  reportError(new UnfinishedWorkError(what), terminal, {
    verbose: false,
    json: reporter?.json ?? false,
  })
}

/** The process ran out of work before the command settled. */
class UnfinishedWorkError extends AludelError {
  readonly code = 'UNFINISHED'
  readonly category = 'failure' as const
}

function reportError(
  error: unknown,
  terminal: Terminal,
  options: { readonly verbose: boolean; readonly json: boolean },
): number {
  const ours = isAludelError(error)
  const status = ours && error.category === 'usage' ? 2 : 1
  // A foreign error (a bug, a file-system call) may quote an argument of any length in full.
  const text = oneLine(error instanceof Error ? error.message : String(error))
  const message = ours ? text : shortenInput(text, FOREIGN_MESSAGE_LIMIT)
  if (options.json) {
    // One line a program can parse, whatever went wrong.
    const body = {
      code: ours ? error.code : 'UNEXPECTED',
      message,
      category: ours ? error.category : 'failure',
      ...(options.verbose ? { stack: stackOf(error) } : {}),
    }
    terminal.err(`${JSON.stringify({ error: body })}\n`)
    return status
  }
  // A migration that failed by a JavaScript error (a bug in it) has a stack worth seeing.
  const foreign = !ours || (error instanceof MigrationFailedError && !isAludelError(error.cause))
  const advice = foreign && !options.verbose ? ' (run with --verbose for the stack trace)' : ''
  terminal.err(`error: ${message}${advice}\n`)
  if (options.verbose) terminal.err(`${stackOf(error)}\n`)
  return status
}

function stackOf(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  while (current instanceof Error) {
    parts.push(current.stack ?? current.message)
    current = current.cause
  }
  return parts.join('\ncaused by: ')
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

/** Wraps a terminal to know whether stdout is mid-line (a step was announced and then failed). */
function trackLines(
  terminal: Terminal,
): Terminal & { atLineStart(): boolean; wroteAnything(): boolean } {
  let atStart = true
  let wrote = false
  return {
    isTTY: terminal.isTTY,
    interactive: terminal.interactive,
    ask: (question) => {
      atStart = true
      wrote = true
      return terminal.ask(question)
    },
    out(text) {
      if (text.length > 0) atStart = text.endsWith('\n')
      wrote = true
      terminal.out(text)
    },
    data(text) {
      if (text.length > 0) atStart = text.endsWith('\n')
      wrote = true
      terminal.data(text)
    },
    err: (text) => {
      wrote = true
      terminal.err(text)
    },
    atLineStart: () => atStart,
    wroteAnything: () => wrote,
  }
}

function usage(): string {
  const width = Math.max(...CLI_COMMANDS.map((c) => c.name.length))
  return [
    `aludel ${toolVersion()} — schema migrations for TypeScript`,
    '',
    'Usage: aludel COMMAND [options]',
    '',
    'Commands:',
    ...CLI_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  -c, --config PATH   use this config file instead of the nearest aludel.config.ts',
    '      --url URL       use this database instead of the configured one',
    '  -v, --verbose       more detail; stack traces on errors',
    '  -q, --quiet         print only errors',
    '      --json          machine-readable output',
    '',
    'Targets: head, heads, base, REV (full or partial), +N, -N, REV+N, REV-N, head-N,',
    '         LABEL@head, LABEL@REV, LABEL@base; FROM:TO with --sql',
    '',
    'Exit status: 0 success, 1 failure, 2 bad usage or input.',
    '',
  ].join('\n')
}

function commandHelp(command: CliCommand): string {
  const flags = Object.entries(command.help.options).map(([name, help]) => {
    const short = command.options[name]?.short
    const value = typeof help === 'string' ? '' : ` ${help[0]}`
    return [
      `${short === undefined ? '    ' : `-${short}, `}--${name}${value}`,
      typeof help === 'string' ? help : help[1],
    ] as const
  })
  const width = Math.max(0, ...flags.map(([flag]) => flag.length))
  return [
    command.summary,
    '',
    `Usage: ${command.usage}`,
    '',
    ...wrap(command.help.about, 96),
    ...(flags.length === 0
      ? []
      : ['', 'Options:', ...flags.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)]),
    '',
    'Examples:',
    ...command.help.examples.map((example) => `  ${example}`),
    '',
    'Every command also takes -c/--config PATH, --url URL, -v/--verbose, -q/--quiet and --json;',
    'run `aludel --help` for them and for the target forms (head, +1, REV, LABEL@head, ...).',
    '',
  ].join('\n')
}

/** `text` in lines of at most `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(line)
  return lines
}
