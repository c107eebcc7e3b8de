/**
 * Knex's migrator through its CLI (`knex migrate:latest`, `migrate:rollback --all`,
 * `migrate:list`), with a knexfile and one ES module per migration using `knex.schema.createTable`.
 * Knex runs a whole batch in one transaction unless transactions are disabled.
 */
import { join } from 'node:path'
import type { Command } from '../lib/command.ts'
import { binScript, write, writeModulePackage } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool } from './tool.ts'

export function knexTool(): MigrationTool {
  return {
    name: 'knex',
    role: 'peer',
    layout: 'one for the whole run',
    merges: false,
    driven:
      '`knex migrate:latest` / `migrate:rollback --all` / `migrate:list`; migrations use `knex.schema.createTable`',
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeModulePackage(dir)
      write(
        join(dir, 'knexfile.js'),
        `export default {
  client: 'pg',
  connection: ${JSON.stringify(url)},
  migrations: { directory: './migrations' },
}
`,
      )
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.js`), file(m))
      }
      const knex = (...args: string[]): Command => ({
        program: process.execPath,
        args: [binScript('knex'), ...args],
        cwd: dir,
      })
      const upgrade = knex('migrate:latest')
      return {
        upgrade,
        // PostgreSQL cannot create 10,000 tables in one transaction: see MigrationProject.setup.
        setup: [knex('migrate:latest', '--disable-transactions')],
        downgrade: knex('migrate:rollback', '--all'),
        graph: [{ label: 'history (`migrate:list`)', command: knex('migrate:list') }],
      }
    },
  }
}

function file(m: MigrationSpec): string {
  return `export async function up(knex) {
  await knex.schema.createTable('${m.table}', (table) => {
    table.increments('id')
    table.text('name').notNullable()
    table.timestamp('created_at', { useTz: true }).defaultTo(knex.fn.now())
  })
}

export async function down(knex) {
  await knex.schema.dropTable('${m.table}')
}
`
}
