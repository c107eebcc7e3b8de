/**
 * The floor for applying migrations to a SQLite file (S8): the same CREATE TABLE statements in
 * one SQL script, run by one Node.js process with node:sqlite's `DatabaseSync.exec`, with no
 * migration bookkeeping at all. Either each statement in its own transaction (the layout of
 * aludel's default `transactionPerMigration: true`) or all of them in one.
 */
import { join, relative } from 'node:path'
import { write, writeModulePackage } from '../lib/paths.ts'
import { createTableSqliteSql, type MigrationPlan } from '../lib/workload.ts'
import type { SqliteMigrationTool, TransactionLayout } from './tool.ts'

export function nodeSqliteFloor(layout: TransactionLayout): SqliteMigrationTool {
  const perMigration = layout === 'one per migration'
  return {
    name: `node:sqlite floor (${perMigration ? 'one transaction per migration' : 'one transaction'})`,
    role: 'floor',
    layout,
    driven: `\`node floor.js\`: one \`DatabaseSync.exec\` of the same CREATE TABLE statements, ${perMigration ? 'each between BEGIN and COMMIT' : 'all between one BEGIN and COMMIT'}`,
    unavailable: () => undefined,
    // The floor keeps no record; a no-op is not measured for it.
    versionQuery: 'SELECT 1',
    writeProject(dir: string, file: string, plan: MigrationPlan) {
      const statements = plan.migrations.map((m) => createTableSqliteSql(m.table))
      write(
        join(dir, 'up.sql'),
        perMigration
          ? statements.map((s) => `BEGIN;\n${s};\nCOMMIT;\n`).join('')
          : `BEGIN;\n${statements.map((s) => `${s};\n`).join('')}COMMIT;\n`,
      )
      writeModulePackage(dir)
      write(
        join(dir, 'floor.js'),
        `import { readFileSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'

const db = new DatabaseSync(${JSON.stringify(`./${relative(dir, file)}`)})
try {
  db.exec(readFileSync('up.sql', 'utf8'))
} finally {
  db.close()
}
`,
      )
      return { upgrade: { program: process.execPath, args: ['floor.js'], cwd: dir } }
    },
  }
}
