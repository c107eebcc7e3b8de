import { pathToFileURL } from 'node:url'
import type { Operations } from '../operations/operations.ts'
import type { Script } from '../script/script-directory.ts'
import { MigrationModuleError } from './runtime-errors.ts'

/** The functions a migration module exports. */
export interface MigrationModule {
  upgrade(op: Operations): Promise<void> | void
  downgrade(op: Operations): Promise<void> | void
}

/**
 * Imports a migration file — the only time its code is loaded — and checks that it exports
 * `upgrade` and `downgrade` functions and the revision its header declared.
 *
 * @throws MigrationModuleError naming the file
 */
export async function loadMigration(script: Script): Promise<MigrationModule> {
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(script.path).href)) as Record<string, unknown>
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new MigrationModuleError(
      `cannot load ${script.source}${lineOf(error, script.path)}: ${reason}; fix the file (does it compile?)`,
      script.path,
      { cause: error },
    )
  }
  for (const name of ['upgrade', 'downgrade'] as const) {
    if (typeof module[name] !== 'function') {
      throw new MigrationModuleError(
        `${script.source} does not export a function '${name}'; add \`export async function ${name}(op: Operations)\``,
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
  return module as unknown as MigrationModule
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
