import type { Connection } from '../dialect/connection.ts'
import type { DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { type OpStatement, opStatements } from './op-statements.ts'

/**
 * Runs a migration's operations on the scratch database one statement at a time, the statements
 * split exactly as lint collects them, so that each can be traced on its own: `runStatement` runs
 * and traces one. Queries (`op.query`) really run, so data migrations work.
 */
export class TraceExecutor implements OpExecutor {
  constructor(
    private readonly connection: Connection,
    private readonly ddl: DdlCompiler,
    private readonly runStatement: (statement: OpStatement) => Promise<void>,
    /** Told before a query runs: it takes locks and scans that no statement's trace may claim. */
    private readonly beforeQuery: () => void = () => {},
  ) {}

  async run(op: MigrationOp): Promise<void> {
    for (const statement of opStatements(op, this.ddl)) await this.runStatement(statement)
  }

  async query<Row>(sql: string, params: readonly unknown[]): Promise<readonly Row[]> {
    this.beforeQuery()
    return (await this.connection.query<Row>(sql, params)).rows
  }
}
