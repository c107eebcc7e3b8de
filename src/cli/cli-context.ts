import type { ParseArgsOptionsConfig } from 'node:util'
import { UsageError } from '../aludel-error.ts'
import type { ResolvedConfig } from '../config/resolved-config.ts'
import type { Terminal } from './terminal.ts'

/** What a command's handler gets: parsed arguments, output, and the configuration on demand. */
export interface CliContext {
  readonly positionals: readonly string[]
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>
  readonly terminal: Terminal
  readonly json: boolean
  readonly quiet: boolean
  readonly verbose: boolean
  /**
   * Loads the configuration (found by walking up, or --config), with --url applied. A command that
   * reads only files passes `{ database: false }`: it never opens the embedded database, so the
   * process is not restarted with WebAssembly settings for it.
   */
  config(options?: { readonly database?: boolean }): Promise<ResolvedConfig>
}

/** One `aludel` subcommand. */
export interface CliCommand {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: ParseArgsOptionsConfig
  readonly positionals: { readonly min: number; readonly max: number }
  /** What `aludel COMMAND --help` prints beyond the usage line. */
  readonly help: {
    /** What the command does, one paragraph. */
    readonly about: string
    /** A description of every option in `options`. */
    readonly options: OptionHelp
    readonly examples: readonly string[]
  }
  run(context: CliContext): Promise<number>
}

/**
 * Option descriptions by option name: the text for a flag, or the value's placeholder and the
 * text for an option that takes a value (`['REV', 'build on REV ...']`).
 */
export type OptionHelp = Readonly<Record<string, string | readonly [string, string]>>

export function printJson(ctx: CliContext, value: unknown): number {
  ctx.terminal.out(`${JSON.stringify(value, null, 2)}\n`)
  return 0
}

export function optionalString(ctx: CliContext, name: string): string | undefined {
  const value = ctx.values[name]
  return typeof value === 'string' ? value : undefined
}

export function requiredString(ctx: CliContext, name: string, example: string): string {
  const value = optionalString(ctx, name)
  if (value === undefined || value.trim() === '') {
    throw new UsageError(`--${name} is required: ${example}`, 'MISSING_OPTION')
  }
  return value
}

export function stringList(ctx: CliContext, name: string): readonly string[] {
  const value = ctx.values[name]
  return Array.isArray(value)
    ? value
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
    : []
}
