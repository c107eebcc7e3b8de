/**
 * Runs arbitrary SQL (a data migration, or DDL aludel has no operation for). `params` are
 * positional (`$1`, `$2` on PostgreSQL).
 */
export interface ExecuteOp {
  readonly kind: 'execute'
  readonly sql: string
  readonly params: readonly unknown[]
}

/**
 * Every operation a migration can perform, as readonly data tagged by `kind`. Each consumer
 * (compiler, reverse, renderer, lint) switches over `kind` exhaustively, so adding an operation
 * that one of them forgets is a compile error.
 */
export type MigrationOp = ExecuteOp

/** Compile-time exhaustiveness guard for switches over {@link MigrationOp}. */
export function assertNever(value: never): never {
  throw new Error(`unhandled operation: ${JSON.stringify(value)}`)
}
