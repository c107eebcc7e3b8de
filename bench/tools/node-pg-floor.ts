/**
 * The floor for a no-op `upgrade head` from Node: a CommonJS script that starts Node (with its
 * compile cache on, as aludel's command has), loads `pg`, connects and sends one query — what any
 * Node tool must do to learn that there is nothing to do, with no migration files, no config and
 * no tool code at all. Its database is brought to head by psql, as the psql floors' are.
 */
import { join } from 'node:path'
import { write } from '../lib/paths.ts'
import { createTableSql, type MigrationPlan } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool } from './tool.ts'

export function nodePgFloor(): MigrationTool {
  return {
    name: 'Node + pg floor (connect, one query)',
    role: 'floor',
    layout: 'one per migration',
    merges: false,
    driven:
      '`node noop.cjs`: `require("pg")`, connect, `SELECT 1`, disconnect; no files read, no tool code',
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      write(
        join(dir, 'up.sql'),
        plan.migrations.map((m) => `BEGIN;\n${createTableSql(m.table)};\nCOMMIT;\n`).join(''),
      )
      write(
        join(dir, 'noop.cjs'),
        `require('node:module').enableCompileCache?.()
const { Client } = require('pg')
const client = new Client({ connectionString: ${JSON.stringify(url)} })
client
  .connect()
  .then(() => client.query('SELECT 1'))
  .then(() => client.end())
  .catch((error) => {
    console.error(error.message)
    process.exitCode = 1
  })
`,
      )
      return {
        upgrade: { program: process.execPath, args: ['noop.cjs'], cwd: dir },
        setup: [
          {
            program: 'psql',
            args: ['--quiet', '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', 'up.sql'],
            cwd: dir,
          },
        ],
      }
    },
  }
}
