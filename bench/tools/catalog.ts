/** The tools the benchmark knows, in report order. */
import { alembicModelTool, alembicTool } from './alembic.ts'
import { aludelModelTool, aludelPullTool, aludelTool } from './aludel.ts'
import { drizzleModelTool, drizzlePullTool, drizzleTool } from './drizzle.ts'
import { knexTool } from './knex.ts'
import { kyselyTool } from './kysely.ts'
import { nodePgMigrateTool } from './node-pg-migrate.ts'
import type { MigrationTool, ModelTool, PullTool } from './tool.ts'

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

export { aludelTool }

/** A tool name as a folder or database name: `drizzle-kit migrate` → `drizzle_kit_migrate`. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
}
