/** The tools the benchmark knows, in report order. */
import { alembicModelTool, alembicTool } from './alembic.ts'
import {
  aludelModelTool,
  aludelPullTool,
  aludelSqliteModelTool,
  aludelSqliteTool,
  aludelTool,
} from './aludel.ts'
import {
  drizzleModelTool,
  drizzlePullTool,
  drizzleSqliteModelTool,
  drizzleSqliteTool,
  drizzleTool,
} from './drizzle.ts'
import { knexSqliteTool, knexTool } from './knex.ts'
import { kyselySqliteTool, kyselyTool } from './kysely.ts'
import { nodePgMigrateTool } from './node-pg-migrate.ts'
import { nodeSqliteFloor } from './node-sqlite.ts'
import type {
  MigrationTool,
  ModelTool,
  PullTool,
  SqliteMigrationTool,
  SqliteModelTool,
} from './tool.ts'

/** aludel's peers as migration runners. */
export function peerTools(): MigrationTool[] {
  return [
    alembicTool(),
    knexTool(),
    nodePgMigrateTool(),
    kyselyTool(),
    drizzleTool('drizzle-kit'),
    drizzleTool('drizzle-orm'),
  ]
}

/** The tools that autogenerate migrations from models (S4). */
export function modelTools(): ModelTool[] {
  return [aludelModelTool(), alembicModelTool(), drizzleModelTool()]
}

/** The tools that write models from a live database (S7). */
export function pullTools(): PullTool[] {
  return [aludelPullTool(), drizzlePullTool()]
}

/**
 * S8's migration runners on a SQLite file: aludel, its one-transaction variant, the Node peers
 * that support SQLite, and the node:sqlite floors. node-pg-migrate is PostgreSQL only; Alembic,
 * which could reach SQLite through Python's own sqlite3, is not driven on SQLite (yet).
 */
export function sqliteTools(): SqliteMigrationTool[] {
  return [
    aludelSqliteTool(),
    aludelSqliteTool({ transactionPerMigration: false }),
    kyselySqliteTool(),
    drizzleSqliteTool('drizzle-orm'),
    drizzleSqliteTool('drizzle-kit'),
    knexSqliteTool(),
    nodeSqliteFloor('one per migration'),
    nodeSqliteFloor('one for the whole run'),
  ]
}

/** S8's autogenerating tools on SQLite. */
export function sqliteModelTools(): SqliteModelTool[] {
  return [aludelSqliteModelTool(), drizzleSqliteModelTool()]
}

export { aludelTool }

/** A tool name as a folder or database name: `drizzle-kit migrate` → `drizzle_kit_migrate`. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
}
