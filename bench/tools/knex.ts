/**
 * Knex's migrator through its CLI (`knex migrate:latest`, `migrate:rollback --all`,
 * `migrate:list`), with a knexfile and one ES module per migration using `knex.schema.createTable`.
 * Knex runs a whole batch in one transaction unless transactions are disabled.
 *
 * On SQLite (S8) knex needs a native driver, `better-sqlite3` or `sqlite3` (it has none for
 * node:sqlite); the project is the same with `client: 'better-sqlite3'`, and the tool is `n/a`
 * with the reason whenever better-sqlite3 does not load in this Node.js.
 *
 * On MariaDB (S9) the project is the same with `client: 'mysql2'`: knex spells the same
 * migrations for MySQL itself (`increments` is an `int unsigned AUTO_INCREMENT` key there).
 */
import { join, relative } from 'node:path'
import type { Command } from '../lib/command.ts'
import { binScript, write, writeModulePackage } from '../lib/paths.ts'
import { nativeSqliteUnavailable } from '../lib/sqlite.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type {
  MigrationProject,
  MigrationTool,
  MysqlMigrationTool,
  SqliteMigrationTool,
} from './tool.ts'

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

/** knex's CLI on a SQLite file through better-sqlite3 (S8). */
export function knexSqliteTool(): SqliteMigrationTool {
  return {
    name: 'knex',
    role: 'peer',
    layout: 'one for the whole run',
    driven:
      "`knex migrate:latest` with `client: 'better-sqlite3'` in the knexfile; migrations use `knex.schema.createTable` (`increments`, `text` not null, a `timestamp` defaulting to `knex.fn.now()`)",
    unavailable: () => {
      const reason = nativeSqliteUnavailable('better-sqlite3')
      return reason === undefined
        ? undefined
        : `knex reaches SQLite only through a native driver, better-sqlite3 or sqlite3 (it has none for node:sqlite), and better-sqlite3 cannot be loaded here (${reason}); bench/README.md (S8) says why it is not installed`
    },
    versionQuery: 'SELECT count(*) AS applied, max(name) AS last FROM knex_migrations',
    writeProject(dir: string, database: string, plan: MigrationPlan) {
      writeModulePackage(dir)
      // The same migrations as on PostgreSQL: knex spells them for SQLite itself.
      write(
        join(dir, 'knexfile.js'),
        `export default {
  client: 'better-sqlite3',
  connection: { filename: ${JSON.stringify(`./${relative(dir, database)}`)} },
  useNullAsDefault: true,
  migrations: { directory: './migrations' },
}
`,
      )
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.js`), file(m))
      }
      return {
        upgrade: {
          program: process.execPath,
          args: [binScript('knex'), 'migrate:latest'],
          cwd: dir,
        },
      }
    },
  }
}

/** knex's CLI on a MariaDB/MySQL database through its `mysql2` client (S9). */
export function knexMysqlTool(): MysqlMigrationTool {
  return {
    name: 'knex',
    role: 'peer',
    layout: 'one for the whole run',
    driven:
      "`knex migrate:latest` with `client: 'mysql2'` in the knexfile; migrations use `knex.schema.createTable` (`increments`, `text` not null, a `timestamp` defaulting to `knex.fn.now()`)",
    unavailable: () => undefined,
    versionQuery: 'SELECT count(*) AS applied, max(name) AS last FROM knex_migrations',
    writeProject(dir: string, url: string, plan: MigrationPlan) {
      writeModulePackage(dir)
      write(
        join(dir, 'knexfile.js'),
        `export default {
  client: 'mysql2',
  connection: ${JSON.stringify(url)},
  migrations: { directory: './migrations' },
}
`,
      )
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${String(m.index).padStart(5, '0')}_${m.table}.js`), file(m))
      }
      return {
        upgrade: {
          program: process.execPath,
          args: [binScript('knex'), 'migrate:latest'],
          cwd: dir,
        },
      }
    },
  }
}
