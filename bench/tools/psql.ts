/**
 * The floor for applying migrations: the same DDL as one SQL file sent by `psql` in one session,
 * with no migration bookkeeping at all. Either each statement in its own transaction (the layout
 * of aludel's default `transactionPerMigration: true`) or all of them in one.
 */
import { join } from 'node:path'
import { write } from '../lib/paths.ts'
import { createTableSql, dropTableSql, type MigrationPlan } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool, TransactionLayout } from './tool.ts'

export function psqlFloor(layout: TransactionLayout): MigrationTool {
  const perMigration = layout === 'one per migration'
  return {
    name: `psql floor (${perMigration ? 'one transaction per migration' : 'one transaction'})`,
    role: 'floor',
    layout,
    merges: false,
    driven: `\`psql -f\` of the same CREATE TABLE statements, ${perMigration ? 'each between BEGIN and COMMIT' : 'all between one BEGIN and COMMIT'}`,
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      const script = (statements: readonly string[]) =>
        perMigration
          ? statements.map((s) => `BEGIN;\n${s};\nCOMMIT;\n`).join('')
          : `BEGIN;\n${statements.map((s) => `${s};\n`).join('')}COMMIT;\n`
      write(join(dir, 'up.sql'), script(plan.migrations.map((m) => createTableSql(m.table))))
      write(
        join(dir, 'down.sql'),
        script(plan.migrations.toReversed().map((m) => dropTableSql(m.table))),
      )
      const psql = (file: string) => ({
        program: 'psql',
        args: ['--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file],
        cwd: dir,
      })
      return { upgrade: psql('up.sql'), setup: [psql('up.sql')], downgrade: psql('down.sql') }
    },
  }
}
