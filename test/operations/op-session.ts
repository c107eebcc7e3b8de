import { parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { PgliteConnection } from '../../src/dialect/postgres/pglite-driver.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { OpExecutor } from '../../src/operations/op-executor.ts'
import { Operations } from '../../src/operations/operations.ts'
import { OnlineExecutor } from '../../src/runtime/online-executor.ts'
import type { TestDatabase } from '../support/databases.ts'

/**
 * Runs `body` with a real `op` facade on a test database, outside the migration runner, and
 * returns the operations it issued (so that a test can reverse them).
 */
export async function withOps(
  db: TestDatabase,
  body: (op: Operations) => Promise<void>,
  options: { readonly transactional?: boolean } = {},
): Promise<readonly MigrationOp[]> {
  const recorded: MigrationOp[] = []
  await withExecutor(db, async (executor) => {
    const recording: OpExecutor = {
      run: async (op) => {
        recorded.push(op)
        await executor.run(op)
      },
      query: (sql, params) => executor.query(sql, params),
    }
    await body(new Operations(recording, { transactional: options.transactional ?? false }))
  })
  return recorded
}

/** Runs operation objects directly (e.g. the output of `reverseAll`). */
export async function runOps(db: TestDatabase, ops: readonly MigrationOp[]): Promise<void> {
  await withExecutor(db, async (executor) => {
    for (const op of ops) await executor.run(op)
  })
}

async function withExecutor(
  db: TestDatabase,
  body: (executor: OnlineExecutor) => Promise<void>,
): Promise<void> {
  const dialect = await openDialect(db.url, '/')
  const instance = db.held()
  if (instance !== undefined) {
    // The test holds the PGlite folder open: run on its instance instead of starting another.
    await body(
      new OnlineExecutor(
        new PgliteConnection(instance, parseDatabaseUrl(db.url, '/')),
        dialect.ddl,
      ),
    )
    return
  }
  try {
    const connection = await dialect.driver.connect('test')
    try {
      await body(new OnlineExecutor(connection, dialect.ddl))
    } finally {
      await connection.close()
    }
  } finally {
    await dialect.driver.close()
  }
}
