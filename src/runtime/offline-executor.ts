import type { CompiledStatement, DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { OfflineQueryError } from '../operations/operation-errors.ts'

/**
 * Writes operations as SQL text (`--sql`), compiling each exactly as the online executor would run
 * it, with parameters inlined as literals.
 */
export class OfflineExecutor implements OpExecutor {
  constructor(
    private readonly ddl: DdlCompiler,
    private readonly out: string[],
  ) {}

  async run(op: MigrationOp): Promise<void> {
    for (const statement of this.ddl.compile(op)) this.write(statement)
  }

  async query<Row>(): Promise<readonly Row[]> {
    throw new OfflineQueryError()
  }

  /** Appends one statement, terminated by `;`. */
  write(statement: CompiledStatement | string): void {
    const text =
      typeof statement === 'string'
        ? statement
        : this.ddl.inlineParams(statement.sql, statement.params)
    const trimmed = text.trim()
    this.out.push(trimmed.endsWith(';') ? trimmed : `${trimmed};`)
  }
}
