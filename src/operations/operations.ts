import type { ExecuteOp } from './migration-op.ts'
import type { OpExecutor } from './op-executor.ts'

/**
 * The `op` object a migration's `upgrade(op)` and `downgrade(op)` receive. Each method builds an
 * operation object and hands it to the runtime, which runs it (online) or writes it as SQL
 * (offline, `--sql`).
 *
 * @example
 * export async function upgrade(op: Operations): Promise<void> {
 *   await op.execute('UPDATE users SET active = $1 WHERE active IS NULL', [true])
 * }
 */
export class Operations {
  readonly #executor: OpExecutor

  constructor(executor: OpExecutor) {
    this.#executor = executor
  }

  /**
   * Runs a SQL statement (or, without params, a script of several). Use it for data migrations and
   * for DDL that has no dedicated operation.
   *
   * @param params positional parameters (`$1`, `$2` on PostgreSQL)
   */
  async execute(sql: string, params: readonly unknown[] = []): Promise<void> {
    const op: ExecuteOp = { kind: 'execute', sql, params }
    await this.#executor.run(op)
  }

  /**
   * Runs a query and returns its rows, for data migrations that compute in TypeScript. Not
   * available in offline (`--sql`) mode, where there is no database to read.
   *
   * @example
   * const rows = await op.query<{ id: number; fullname: string }>('SELECT id, fullname FROM users')
   */
  async query<Row = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<readonly Row[]> {
    return this.#executor.query<Row>(sql, params)
  }
}
