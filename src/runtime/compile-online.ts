import type { Connection } from '../dialect/connection.ts'
import type { CompileContext, CompiledStatement, DdlCompiler } from '../dialect/dialect.ts'
import { DatabaseError } from '../dialect/dialect-errors.ts'
import type { MigrationOp } from '../operations/migration-op.ts'

/** How many of a failed check's rows its error names. */
const SHOWN_ROWS = 10

/**
 * The statements of `op` for a run on `connection`: written from what the database holds when
 * the dialect needs that (a SQLite table rebuild), else from the operation alone, exactly as an
 * offline script would write them.
 */
export async function compileOnline(
  ddl: DdlCompiler,
  op: MigrationOp,
  connection: Connection,
  context: CompileContext,
): Promise<readonly CompiledStatement[]> {
  return ddl.needsDatabase?.(op) === true && ddl.compileWithDatabase !== undefined
    ? ddl.compileWithDatabase(op, connection, context)
    : ddl.compile(op)
}

/**
 * Runs a check ({@link CompiledStatement.failsOnRows}): rows back are a failure, reported as the
 * database's own, naming the first of them, so that the step is rolled back like any other.
 */
export async function runCheck(
  connection: Connection,
  statement: CompiledStatement & { readonly failsOnRows: string },
): Promise<void> {
  const { rows } = await connection.query<Record<string, unknown>>(statement.sql, statement.params)
  if (rows.length === 0) return
  const shown = rows.slice(0, SHOWN_ROWS).map((row) => String(Object.values(row)[0]))
  throw new DatabaseError(
    `${statement.failsOnRows}: ${shown.join(', ')}${rows.length > SHOWN_ROWS ? ', ...' : ''}`,
    undefined,
    shortened(statement.sql),
    undefined,
    undefined,
  )
}

/** A statement on one line, cut to 200 characters, as failure reports quote it. */
export function shortened(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat
}
