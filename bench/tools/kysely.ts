/**
 * Kysely's Migrator, driven the way its documentation shows: a small script that builds a
 * `Kysely` on `pg`, a `Migrator` with a `FileMigrationProvider`, and calls `migrateToLatest()`
 * (or `migrateTo(NO_MIGRATIONS)`, or `getMigrations()`). Migrations are TypeScript files using
 * `db.schema.createTable`, loaded by Node's type stripping. One transaction for the whole run.
 *
 * On SQLite (S8) the same script builds the `Kysely` on its `SqliteDialect`, given a few lines
 * that present node:sqlite's `DatabaseSync` as the better-sqlite3 `Database` the dialect expects
 * (`prepare(sql)` returning `reader`, `all`, `run` and `iterate`): how a Kysely user on Node runs
 * it without a native module. Kysely's SqliteAdapter reports no transactional DDL, so its Migrator
 * opens no transaction there: every statement commits on its own.
 *
 * On MariaDB (S9) the script builds the `Kysely` on its `MysqlDialect` over a mysql2 pool, as
 * Kysely's docs show; its MysqlAdapter declares no transactional DDL either, so the Migrator opens
 * no transaction there (it takes `GET_LOCK` instead).
 */
import { join, relative } from 'node:path'
import type { Command } from '../lib/command.ts'
import { write, writeModulePackage } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type {
  MigrationProject,
  MigrationTool,
  MysqlMigrationTool,
  SqliteMigrationTool,
} from './tool.ts'

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

/** The Kysely column spellings of the workload table, per engine. */
const SPELLING = {
  postgres: { id: 'serial', createdAt: 'timestamptz', now: 'now()', key: '' },
  sqlite: { id: 'integer', createdAt: 'timestamp', now: 'CURRENT_TIMESTAMP', key: '' },
  mysql: {
    id: 'integer',
    createdAt: 'timestamp',
    now: 'CURRENT_TIMESTAMP',
    key: '.autoIncrement()',
  },
} as const

function file(m: MigrationSpec, engine: keyof typeof SPELLING = 'postgres'): string {
  const { id, createdAt, now, key } = SPELLING[engine]
  return `import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('${m.table}')
    .addColumn('id', '${id}', (col) => col.primaryKey()${key})
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', '${createdAt}', (col) => col.defaultTo(sql\`${now}\`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('${m.table}').execute()
}
`
}

/** Kysely's Migrator on a SQLite file through node:sqlite (S8). */
export function kyselySqliteTool(): SqliteMigrationTool {
  return {
    name: 'Kysely Migrator',
    role: 'peer',
    layout: 'none (each statement commits)',
    driven:
      "a script calling `migrator.migrateToLatest()` on a `Kysely` with `SqliteDialect`, its `database` a node:sqlite `DatabaseSync` behind better-sqlite3's `prepare()` interface; TypeScript migrations use `db.schema.createTable` with `'integer'` primary key, `'text'` not null, a `'timestamp'` defaulting to `CURRENT_TIMESTAMP`",
    unavailable: () => undefined,
    versionQuery: 'SELECT count(*) AS applied, max(name) AS last FROM kysely_migration',
    writeProject(dir: string, database: string, plan: MigrationPlan) {
      writeModulePackage(dir)
      write(join(dir, 'migrate.ts'), sqliteScript(`./${relative(dir, database)}`))
      for (const m of plan.migrations) {
        write(
          join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.ts`),
          file(m, 'sqlite'),
        )
      }
      return { upgrade: { program: process.execPath, args: ['migrate.ts'], cwd: dir } }
    },
  }
}

function sqliteScript(path: string): string {
  return migrateToLatestScript(
    `import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { Kysely, SqliteDialect } from 'kysely'

/** node:sqlite's DatabaseSync as the better-sqlite3 Database that Kysely's SqliteDialect uses. */
function database(file: string) {
  const db = new DatabaseSync(file)
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const statement = db.prepare(sql)
      return {
        reader: statement.columns().length > 0,
        all: (parameters: readonly SQLInputValue[]) => statement.all(...parameters),
        run: (parameters: readonly SQLInputValue[]) => statement.run(...parameters),
        iterate: (parameters: readonly SQLInputValue[]) => statement.iterate(...parameters),
      }
    },
  }
}

`,
    `new SqliteDialect({ database: database(${JSON.stringify(path)}) })`,
  )
}

/** Kysely's Migrator on a MariaDB/MySQL database through its MysqlDialect over mysql2 (S9). */
export function kyselyMysqlTool(): MysqlMigrationTool {
  return {
    name: 'Kysely Migrator',
    role: 'peer',
    layout: 'none (each statement commits)',
    driven:
      "a script calling `migrator.migrateToLatest()` on a `Kysely` with `MysqlDialect` over mysql2's `createPool`; TypeScript migrations use `db.schema.createTable` with an `'integer'` auto-increment primary key, `'text'` not null, a `'timestamp'` defaulting to `CURRENT_TIMESTAMP`",
    unavailable: () => undefined,
    versionQuery: 'SELECT count(*) AS applied, max(name) AS last FROM kysely_migration',
    writeProject(dir: string, url: string, plan: MigrationPlan) {
      writeModulePackage(dir)
      write(join(dir, 'migrate.ts'), mysqlScript(url))
      for (const m of plan.migrations) {
        write(
          join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.ts`),
          file(m, 'mysql'),
        )
      }
      return { upgrade: { program: process.execPath, args: ['migrate.ts'], cwd: dir } }
    },
  }
}

function mysqlScript(url: string): string {
  return migrateToLatestScript(
    `import { Kysely, MysqlDialect } from 'kysely'
import { createPool } from 'mysql2'
`,
    `new MysqlDialect({ pool: createPool(${JSON.stringify(url)}) })`,
  )
}

/**
 * A script that runs Kysely's Migrator to the latest migration of its `migrations` folder, as
 * Kysely's docs show, on the dialect `dialect` (an expression) after `preamble` (its imports and
 * helpers).
 */
function migrateToLatestScript(preamble: string, dialect: string): string {
  return `import { promises as fs } from 'node:fs'
import path from 'node:path'
import { FileMigrationProvider, Migrator } from 'kysely/migration'
${preamble}
const db = new Kysely<unknown>({ dialect: ${dialect} })
const migrator = new Migrator({
  db,
  provider: new FileMigrationProvider({
    fs,
    path,
    migrationFolder: path.join(import.meta.dirname, 'migrations'),
  }),
})

try {
  const { error, results } = await migrator.migrateToLatest()
  for (const result of results ?? []) {
    if (result.status === 'Error') console.error(\`failed: \${result.migrationName}\`)
  }
  if (error) {
    console.error(error)
    process.exitCode = 1
  }
} finally {
  await db.destroy()
}
`
}
