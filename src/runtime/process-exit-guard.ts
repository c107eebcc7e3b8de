import { MigrationExitError } from './runtime-errors.ts'

let depth = 0
let original: typeof process.exit | undefined

/**
 * Runs migration code (a module's import, its `upgrade()` or `downgrade()`) with `process.exit`
 * turned into a thrown {@link MigrationExitError}. A migration that ends the process would
 * otherwise end the run with the exit status it chose — `process.exit(0)` reported success for a
 * step that never committed. Nested and overlapping uses share one replacement, restored when the
 * last one ends.
 */
export async function withoutProcessExit<T>(body: () => Promise<T>): Promise<T> {
  if (depth++ === 0) {
    original = process.exit
    process.exit = ((code?: unknown) => {
      throw new MigrationExitError(code)
    }) as typeof process.exit
  }
  try {
    return await body()
  } finally {
    if (--depth === 0 && original !== undefined) {
      process.exit = original
      original = undefined
    }
  }
}
