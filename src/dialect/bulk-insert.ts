import type { BulkInsertOp } from '../operations/migration-op.ts'
import type { CompiledStatement } from './dialect.ts'
import { InvalidOperationError } from './invalid-operation-error.ts'

/** How an engine writes a bulk insert's statements. */
export interface BulkInsertSpelling {
  /** The table, quoted (and qualified) as the engine reads it. */
  readonly table: string
  /** The column list, quoted, without parentheses. */
  readonly columns: string
  /** The most parameters one statement may carry. */
  readonly maxParams: number
  /** The placeholder of the n-th (1-based) parameter of a statement. */
  readonly placeholder: (index: number) => string
  /** A row value as the driver should receive it. Default: as it is. */
  readonly param?: (value: unknown) => unknown
}

/**
 * A bulk insert as multi-row INSERT statements of at most `batchSize` rows each, fewer when the
 * rows would need more parameters than one statement may carry. A row whose width is not the
 * column list's is refused, naming the row.
 */
export function bulkInsertStatements(
  op: BulkInsertOp,
  spelling: BulkInsertSpelling,
): readonly CompiledStatement[] {
  const { table } = spelling
  if (op.columns.length === 0) {
    throw new InvalidOperationError(
      `bulk insert into ${table} names no columns; list the columns the rows fill`,
    )
  }
  if (!Number.isSafeInteger(op.batchSize) || op.batchSize < 1) {
    throw new InvalidOperationError(
      `bulk insert into ${table} has batch size ${String(op.batchSize)}; use a whole number of rows, 1 or more`,
    )
  }
  const rowsPerStatement = Math.max(
    1,
    Math.min(op.batchSize, Math.floor(spelling.maxParams / op.columns.length)),
  )
  const param = spelling.param ?? ((value: unknown) => value)
  const head = `INSERT INTO ${table} (${spelling.columns}) VALUES `
  const statements: CompiledStatement[] = []
  for (let start = 0; start < op.rows.length; start += rowsPerStatement) {
    const params: unknown[] = []
    const tuples = op.rows.slice(start, start + rowsPerStatement).map((row, offset) => {
      if (row.length !== op.columns.length) {
        throw new InvalidOperationError(
          `row ${start + offset + 1} of the bulk insert into ${table} has ${row.length} values for ${op.columns.length} columns`,
        )
      }
      return `(${row.map((value) => spelling.placeholder(params.push(param(value)))).join(', ')})`
    })
    statements.push({ sql: head + tuples.join(', '), params })
  }
  return statements
}
