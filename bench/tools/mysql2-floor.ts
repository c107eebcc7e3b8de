/**
 * The floor for applying migrations to a MariaDB/MySQL database (S9): the same CREATE TABLE
 * statements sent by a plain loop over one mysql2 connection (`await connection.query(sql)`, one
 * round trip each), in one Node.js process, with no migration bookkeeping at all. MySQL commits
 * every DDL statement implicitly, so there is no transaction layout to choose: this is the least
 * any tool can do to create the tables one statement at a time.
 */
import { join } from 'node:path'
import { write, writeModulePackage } from '../lib/paths.ts'
import { createTableMysqlSql, type MigrationPlan } from '../lib/workload.ts'
import type { MysqlMigrationTool } from './tool.ts'

export function mysql2Floor(): MysqlMigrationTool {
  return {
    name: 'mysql2 floor (a plain loop)',
    role: 'floor',
    layout: 'none (each statement commits)',
    driven:
      '`node floor.js`: one mysql2 connection sending the same CREATE TABLE statements one `query()` at a time, no bookkeeping',
    unavailable: () => undefined,
    // The floor keeps no record; a no-op is not measured for it.
    versionQuery: 'SELECT 1',
    writeProject(dir: string, url: string, plan: MigrationPlan) {
      const statements = plan.migrations.map((m) => createTableMysqlSql(m.table))
      write(join(dir, 'up.json'), JSON.stringify(statements))
      writeModulePackage(dir)
      write(
        join(dir, 'floor.js'),
        `import { readFileSync } from 'node:fs'
import mysql from 'mysql2/promise'

const statements = JSON.parse(readFileSync('up.json', 'utf8'))
const connection = await mysql.createConnection(${JSON.stringify(url)})
try {
  for (const sql of statements) await connection.query(sql)
} finally {
  await connection.end()
}
`,
      )
      return { upgrade: { program: process.execPath, args: ['floor.js'], cwd: dir } }
    },
  }
}
