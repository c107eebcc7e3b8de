import type { CompiledStatement, DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import type { OpExecutor } from '../operations/op-executor.ts'
import { OfflineQueryError } from '../operations/operation-errors.ts'

/**
 * Writes operations as SQL text (`--sql`), compiling each exactly as the online executor would run
 * it, with parameters inlined as literals.
 */
export class OfflineExecutor implements OpExecutor {
  /**
   * @param concurrent statements written around a concurrent index build or drop: an online run
   *   lifts the lock timeout for them, which only blocks other DDL while it waits, and which
   *   would otherwise leave an invalid index behind
   */
  constructor(
    private readonly ddl: DdlCompiler,
    private readonly out: string[],
    private readonly concurrent?: { readonly before: () => string; readonly after: () => string },
  ) {}

  async run(op: MigrationOp): Promise<void> {
    const around =
      (op.kind === 'createIndex' || op.kind === 'dropIndex') && op.concurrently
        ? this.concurrent
        : undefined
    if (around !== undefined) this.write(around.before())
    for (const statement of this.ddl.compile(op)) this.write(statement)
    if (around !== undefined) this.write(around.after())
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
