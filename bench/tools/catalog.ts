/** The tools the benchmark knows, in report order. */
import { alembicModelTool, alembicTool } from './alembic.ts'
import {
  aludelModelTool,
  aludelMysqlModelTool,
  aludelMysqlTool,
  aludelPullTool,
  aludelSqliteModelTool,
  aludelSqliteTool,
  aludelTool,
} from './aludel.ts'
import {
  drizzleModelTool,
  drizzleMysqlModelTool,
  drizzleMysqlTool,
  drizzlePullTool,
  drizzleSqliteModelTool,
  drizzleSqliteTool,
  drizzleTool,
} from './drizzle.ts'
import { knexMysqlTool, knexSqliteTool, knexTool } from './knex.ts'
import { kyselyMysqlTool, kyselySqliteTool, kyselyTool } from './kysely.ts'
import { mysql2Floor } from './mysql2-floor.ts'
import { nodePgMigrateTool } from './node-pg-migrate.ts'
import { nodeSqliteFloor } from './node-sqlite.ts'
import type {
  MigrationTool,
  ModelTool,
  MysqlMigrationTool,
  MysqlModelTool,
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

/**
 * S9's migration runners on a MariaDB/MySQL database: aludel, its one-transaction variant, the
 * Node peers that support MySQL, and the mysql2 floor. node-pg-migrate is PostgreSQL only;
 * Alembic (which would need a Python MySQL driver, not installed here) is not driven on MySQL.
 */
export function mysqlTools(): MysqlMigrationTool[] {
  return [
    aludelMysqlTool(),
    aludelMysqlTool({ transactionPerMigration: false }),
    knexMysqlTool(),
    kyselyMysqlTool(),
    drizzleMysqlTool('drizzle-orm'),
    drizzleMysqlTool('drizzle-kit'),
    mysql2Floor(),
  ]
}

/** S9's autogenerating tools on MariaDB/MySQL. */
export function mysqlModelTools(): MysqlModelTool[] {
  return [aludelMysqlModelTool(), drizzleMysqlModelTool()]
}

export { aludelTool }

/** A tool name as a folder or database name: `drizzle-kit migrate` → `drizzle_kit_migrate`. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
}
