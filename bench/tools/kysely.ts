/**
 * Kysely's Migrator, driven the way its documentation shows: a small script that builds a
 * `Kysely` on `pg`, a `Migrator` with a `FileMigrationProvider`, and calls `migrateToLatest()`
 * (or `migrateTo(NO_MIGRATIONS)`, or `getMigrations()`). Migrations are TypeScript files using
 * `db.schema.createTable`, loaded by Node's type stripping. One transaction for the whole run.
 */
import { join } from 'node:path'
import type { Command } from '../lib/command.ts'
import { write, writeModulePackage } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool } from './tool.ts'

export function kyselyTool(): MigrationTool {
  return {
    name: 'Kysely Migrator',
    role: 'peer',
    layout: 'one for the whole run',
    merges: false,
    driven:
      'a script calling `migrator.migrateToLatest()` / `migrateTo(NO_MIGRATIONS)` / `getMigrations()`; TypeScript migrations use `db.schema.createTable`',
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeModulePackage(dir)
      write(join(dir, 'migrate.ts'), script(url))
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.ts`), file(m))
      }
      const run = (action: string): Command => ({
        program: process.execPath,
        args: ['migrate.ts', action],
        cwd: dir,
      })
      return {
        upgrade: run('latest'),
        setup: [{ ...run('latest'), env: { BENCH_SETUP: '1' } }],
        downgrade: run('down'),
        graph: [{ label: 'history (`getMigrations()`)', command: run('list') }],
      }
    },
  }
}

function script(url: string): string {
  return `import { promises as fs } from 'node:fs'
import path from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import { FileMigrationProvider, Migrator, NO_MIGRATIONS } from 'kysely/migration'
import pg from 'pg'

const db = new Kysely<unknown>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ${JSON.stringify(url)} }) }),
})
const migrator = new Migrator({
  db,
  provider: new FileMigrationProvider({
    fs,
    path,
    migrationFolder: path.join(import.meta.dirname, 'migrations'),
  }),
  // The benchmark's untimed set-up only: PostgreSQL cannot create 10,000 tables in one transaction.
  disableTransactions: process.env.BENCH_SETUP === '1',
})

try {
  const action = process.argv[2]
  if (action === 'list') {
    const migrations = await migrator.getMigrations()
    console.log(\`\${migrations.length} migrations\`)
  } else {
    const { error, results } =
      action === 'down' ? await migrator.migrateTo(NO_MIGRATIONS) : await migrator.migrateToLatest()
    for (const result of results ?? []) {
      if (result.status === 'Error') console.error(\`failed: \${result.migrationName}\`)
    }
    if (error) {
      console.error(error)
      process.exitCode = 1
    }
  }
} finally {
  await db.destroy()
}
`
}

function file(m: MigrationSpec): string {
  return `import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('${m.table}')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.defaultTo(sql\`now()\`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('${m.table}').execute()
}
`
}
