/**
 * node-pg-migrate through its CLI (`node-pg-migrate up`, `down N`), configured by DATABASE_URL,
 * with one ES module per migration using `pgm.createTable`. It runs all pending migrations in one
 * transaction by default (`--single-transaction`) and has no graph or listing command.
 */
import { join } from 'node:path'
import type { Command } from '../lib/command.ts'
import { binScript, write, writeModulePackage } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool } from './tool.ts'

/** node-pg-migrate orders files by a numeric (timestamp) prefix. */
const EPOCH = 1_700_000_000_000

export function nodePgMigrateTool(): MigrationTool {
  return {
    name: 'node-pg-migrate',
    role: 'peer',
    layout: 'one for the whole run',
    merges: false,
    driven: '`node-pg-migrate up` / `down N`; migrations use `pgm.createTable`',
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeModulePackage(dir)
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${EPOCH + m.index}_${m.table}.js`), file(m))
      }
      const npm = (...args: string[]): Command => ({
        program: process.execPath,
        args: [binScript('node-pg-migrate'), ...args],
        cwd: dir,
        env: { DATABASE_URL: url },
      })
      return {
        upgrade: npm('up'),
        // PostgreSQL cannot create 10,000 tables in one transaction: see MigrationProject.setup.
        setup: [npm('up', '--no-single-transaction')],
        downgrade: npm('down', String(plan.migrations.length)),
      }
    },
  }
}

function file(m: MigrationSpec): string {
  return `export const up = (pgm) => {
  pgm.createTable('${m.table}', {
    id: 'id',
    name: { type: 'text', notNull: true },
    created_at: { type: 'timestamptz', default: pgm.func('now()') },
  })
}

export const down = (pgm) => {
  pgm.dropTable('${m.table}')
}
`
}
