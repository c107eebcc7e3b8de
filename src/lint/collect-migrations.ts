import { pathToFileURL } from 'node:url'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { ConcurrentlyInTransactionError } from '../operations/operation-errors.ts'
import { Operations } from '../operations/operations.ts'
import type { CollectedMigration, CollectProblem, LintStatement } from './lint-types.ts'
import { opStatements } from './op-statements.ts'

/** A migration to collect: its identity and its loaded `upgrade` function. */
export interface MigrationSource {
  readonly revision: string
  readonly source: string
  readonly path: string
  readonly transactional: boolean
  readonly upgrade: (op: Operations) => Promise<void> | void
  /** The module's `lint` export, unchecked. */
  readonly lintExport: unknown
}

/** Thrown by the collecting executor when a migration asks the database something. */
class QueryDuringCollect extends Error {}

/**
 * Runs a migration's `upgrade` with an executor that records each operation's statements instead
 * of running them, with the line of the `op.…` call that produced them. No database is needed. A
 * migration that reads the database (`op.query`) is followed up to that call.
 */
export async function collectMigration(
  migration: MigrationSource,
  ddl: DdlCompiler,
): Promise<CollectedMigration> {
  const statements: LintStatement[] = []
  const fileUrl = pathToFileURL(migration.path).href
  let opIndex = 0
  let problem: CollectProblem | undefined
  const executor: OpExecutor = {
    async run(op: MigrationOp) {
      const line = callerLine(fileUrl, migration.path)
      const produced = opStatements(op, ddl)
      for (const statement of produced) {
        statements.push({
          ...(op.kind === 'execute' && produced.length > 1 ? { inScript: true } : {}),
          sql: statement.sql,
          opKind: op.kind,
          opIndex,
          line,
          ast: statement.ast,
          ...(statement.syntaxError === undefined ? {} : { syntaxError: statement.syntaxError }),
        })
      }
      opIndex++
    },
    async query() {
      throw new QueryDuringCollect()
    },
  }
  try {
    await migration.upgrade(new Operations(executor, { transactional: migration.transactional }))
  } catch (error) {
    const line = lineIn(error, fileUrl, migration.path)
    if (error instanceof QueryDuringCollect) {
      problem = {
        kind: 'query',
        message:
          'the migration reads the database with op.query(); what it does after that cannot be checked without one (use --trace)',
        line,
      }
    } else if (error instanceof ConcurrentlyInTransactionError) {
      problem = { kind: 'concurrently-in-transaction', message: error.message, line }
    } else {
      problem = {
        kind: 'error',
        message: `upgrade() failed while being collected: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        line,
      }
    }
  }
  return {
    revision: migration.revision,
    source: migration.source,
    path: migration.path,
    transactional: migration.transactional,
    statements,
    problem,
    allow: allowancesOf(migration.lintExport),
  }
}

/** The `allow` map of a migration's `export const lint`, keeping only string reasons. */
function allowancesOf(lintExport: unknown): Readonly<Record<string, string>> {
  if (typeof lintExport !== 'object' || lintExport === null) return {}
  const allow = (lintExport as { allow?: unknown }).allow
  if (typeof allow !== 'object' || allow === null) return {}
  const out: Record<string, string> = {}
  for (const [rule, reason] of Object.entries(allow)) {
    out[rule] = typeof reason === 'string' ? reason : ''
  }
  return out
}

/** The line of the migration file in the current call stack: where the `op.…` call is. */
function callerLine(fileUrl: string, path: string): number | undefined {
  return lineIn(new Error(), fileUrl, path)
}

function lineIn(error: unknown, fileUrl: string, path: string): number | undefined {
  const stack = error instanceof Error ? error.stack : undefined
  if (stack === undefined) return undefined
  for (const frame of stack.split('\n')) {
    for (const name of [fileUrl, path]) {
      const at = frame.indexOf(name)
      if (at === -1) continue
      const match = /^:(\d+):\d+/.exec(frame.slice(at + name.length))
      if (match) return Number(match[1])
    }
  }
  return undefined
}
