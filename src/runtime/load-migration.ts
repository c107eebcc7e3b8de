import { ConfigError } from '../config/config-errors.ts'
import { lockRetryFrom, type ResolvedLockRetry } from '../config/resolved-config.ts'
import type { Operations } from '../operations/operations.ts'
import type { Script } from '../script/script-directory.ts'
import { parseDuration } from '../util/duration.ts'
import { importFailureReason, importProjectModule } from '../util/import-project-module.ts'
import { withoutProcessExit } from './process-exit-guard.ts'
import { MigrationExitError, MigrationModuleError } from './runtime-errors.ts'

/** The functions a migration module exports. */
export interface MigrationModule {
  upgrade(op: Operations): Promise<void> | void
  downgrade(op: Operations): Promise<void> | void
}

/**
 * A migration's own runtime settings, from its optional exports `lockTimeout`,
 * `statementTimeout` (durations such as `'10s'`) and `lockRetry` (`{ attempts, initialDelay,
 * maxDelay }`); undefined fields fall back to the configuration.
 */
export interface StepSettings {
  readonly lockTimeoutMs: number | undefined
  readonly statementTimeoutMs: number | undefined
  /** Fields given override the configured retry; see {@link resolveStepRetry}. */
  readonly lockRetry: Readonly<Record<string, unknown>> | undefined
}

/** A loaded migration: its functions and its own settings. */
export interface LoadedMigration {
  readonly module: MigrationModule
  readonly settings: StepSettings
}

/**
 * Imports a migration file — the only time its code is loaded — and checks that it exports
 * `upgrade` and `downgrade` functions and the revision its header declared.
 *
 * @throws MigrationModuleError naming the file
 */
export function loadMigration(script: Script): Promise<LoadedMigration> {
  // A fleet run hands every target the same Script objects: each file is imported and checked
  // once. (Node caches the module itself; this saves the loader's round and the checks.)
  let loaded = loadedScripts.get(script)
  if (loaded === undefined) {
    loaded = importMigration(script)
    loadedScripts.set(script, loaded)
  }
  return loaded
}

const loadedScripts = new WeakMap<Script, Promise<LoadedMigration>>()

async function importMigration(script: Script): Promise<LoadedMigration> {
  let module: Record<string, unknown>
  try {
    module = await withoutProcessExit(() => importProjectModule(script.path))
  } catch (error) {
    if (error instanceof MigrationExitError) {
      throw new MigrationExitError(error.exitCode, `${script.source} (while loading)`)
    }
    const reason = importFailureReason(error)
    throw new MigrationModuleError(
      `cannot load ${script.source}${lineOf(error, script.path)}: ${reason}; fix the file (does it compile?)`,
      script.path,
      { cause: error },
    )
  }
  for (const name of ['upgrade', 'downgrade'] as const) {
    if (typeof module[name] !== 'function') {
      throw new MigrationModuleError(
        `${script.source} does not export a function '${name}'; add \`export async function ${name}(op: Operations)\`${name === 'downgrade' ? " (every migration has one; when it cannot be undone, make it `throw new Error('irreversible: why')`, and a downgrade stops there)" : ''}`,
        script.path,
      )
    }
  }
  if (module.revision !== script.revision) {
    throw new MigrationModuleError(
      `${script.source} exports revision ${String(module.revision)} at run time but '${script.revision}' as written; make \`revision\` a plain literal`,
      script.path,
    )
  }
  return { module: module as unknown as MigrationModule, settings: stepSettings(module, script) }
}

/** The configured retry with a migration's own `lockRetry` fields (checked on loading) over it. */
export function resolveStepRetry(
  base: ResolvedLockRetry,
  settings: StepSettings,
): ResolvedLockRetry {
  return settings.lockRetry === undefined
    ? base
    : lockRetryFrom(settings.lockRetry, 'the migration', 'lockRetry', base)
}

function stepSettings(module: Record<string, unknown>, script: Script): StepSettings {
  const duration = (name: string): number | undefined => {
    const value = module[name]
    if (value === undefined) return undefined
    const ms = parseDuration(value)
    if (ms === undefined) {
      throw new MigrationModuleError(
        `${script.source}: \`export const ${name}\` must be a duration such as '10s' or a number of milliseconds`,
        script.path,
      )
    }
    return ms
  }
  const retry = module.lockRetry
  if (
    retry !== undefined &&
    (typeof retry !== 'object' || retry === null || Array.isArray(retry))
  ) {
    throw new MigrationModuleError(
      `${script.source}: \`export const lockRetry\` must be an object such as { attempts: 3 }`,
      script.path,
    )
  }
  const settings: StepSettings = {
    lockTimeoutMs: duration('lockTimeout'),
    statementTimeoutMs: duration('statementTimeout'),
    lockRetry: retry as Readonly<Record<string, unknown>> | undefined,
  }
  // Checked now, so that a bad value stops the run before its first step.
  if (settings.lockRetry !== undefined) {
    try {
      lockRetryFrom(settings.lockRetry, script.source, 'lockRetry', {
        attempts: 1,
        initialDelay: 0,
        maxDelay: 0,
      })
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      throw new MigrationModuleError(error.message, script.path, { cause: error })
    }
  }
  return settings
}

/**
 * `:LINE` of a load error inside `file`, when Node's error says where: syntax errors name the
 * file and line in the first line of their stack, other errors in a stack frame.
 */
function lineOf(error: unknown, file: string): string {
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack)
  return match ? `:${match[1]}` : ''
}
