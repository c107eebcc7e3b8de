/**
 * drizzle, two ways over the same migrations folder (SQL files and `meta/_journal.json`, as
 * `drizzle-kit generate` writes them): `drizzle-kit migrate` with a drizzle.config.ts, and
 * drizzle-orm's `migrate()` called from a small script, as drizzle's docs show for applying
 * migrations at start-up. Both run every pending migration in one transaction; drizzle has no
 * downgrades and no graph or listing command. For S4, `drizzle-kit generate` writes the initial
 * migration from a pg-core schema, and `drizzle-kit push` against an up-to-date database is its
 * comparison with a live database (drizzle-kit has no read-only drift check).
 *
 * On SQLite (S8), drizzle-orm has no driver for Node's built-in `node:sqlite`; its `sqlite-proxy`
 * driver, whose migrator hands the pending statements to a callback, is how drizzle's docs connect
 * it to a driver of one's own, so the script's callback runs them on a `DatabaseSync`.
 * `drizzle-kit migrate` and `push` reach SQLite only through the native better-sqlite3 or
 * @libsql/client; `drizzle-kit generate` needs no database.
 *
 * On MariaDB (S9) drizzle-orm has a mysql2 driver (`drizzle-orm/mysql2`) and its own migrator
 * (`drizzle-orm/mysql2/migrator`), and `drizzle-kit migrate` opens mysql2 itself: both run as on
 * PostgreSQL, over SQL files and a journal as `drizzle-kit generate` writes them for mysql-core.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Command } from '../lib/command.ts'
import type { ColumnDefault, ModelColumn, ModelTable } from '../lib/model.ts'
import { binScript, write, writeModulePackage } from '../lib/paths.ts'
import { checkPulled, type PullDatabase } from '../lib/pull-workload.ts'
import { nativeSqliteUnavailable } from '../lib/sqlite.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type {
  MigrationProject,
  MigrationTool,
  ModelProject,
  ModelTool,
  MysqlMigrationTool,
  MysqlModelTool,
  PullTool,
  SqliteMigrationTool,
  SqliteModelTool,
} from './tool.ts'

/** drizzle compares a migration's `when` with the last applied one; any increasing value works. */
const EPOCH = 1_700_000_000_000
/** Migrations per transaction in the untimed set-up (PostgreSQL's lock slots, see tool.ts). */
const SETUP_CHUNK = 1000

/** `drizzle-kit migrate` or drizzle-orm's `migrate()`. */
export function drizzleTool(entry: 'drizzle-kit' | 'drizzle-orm'): MigrationTool {
  return {
    name: entry === 'drizzle-kit' ? 'drizzle-kit migrate' : 'drizzle-orm migrate()',
    role: 'peer',
    layout: 'one for the whole run',
    merges: false,
    driven:
      entry === 'drizzle-kit'
        ? '`drizzle-kit migrate` with drizzle.config.ts; SQL migrations as `drizzle-kit generate` writes them'
        : 'a script calling `migrate(drizzle(url), { migrationsFolder })`; the same SQL migrations',
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), config(url, undefined))
      write(join(dir, 'migrate.cjs'), migrateScript(url))
      const entries = plan.migrations.map((m) => {
        const tag = `${String(m.index).padStart(4, '0')}_${m.table}`
        write(join(dir, 'drizzle', `${tag}.sql`), sqlFile(m))
        return { idx: m.index, version: '7', when: EPOCH + m.index, tag, breakpoints: true }
      })
      write(join(dir, 'drizzle', 'meta', '_journal.json'), journal(entries))
      const upgrade: Command =
        entry === 'drizzle-kit'
          ? { program: process.execPath, args: [binScript('drizzle-kit'), 'migrate'], cwd: dir }
          : { program: process.execPath, args: ['migrate.cjs'], cwd: dir }
      return {
        upgrade,
        setup: [{ program: process.execPath, args: ['migrate.cjs', '--in-chunks'], cwd: dir }],
      }
    },
  }
}

/** drizzle-kit's `generate` and `push`. */
export function drizzleModelTool(): ModelTool {
  return {
    name: 'drizzle-kit',
    role: 'peer',
    driven:
      '`drizzle-kit generate` (from its snapshot folder, no database); the check is `drizzle-kit push` on a database at the models, which must print "No changes detected"',
    unavailable: () => undefined,
    writeModels(dir: string, url: string, tables: readonly ModelTable[]): ModelProject {
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), config(url, './schema.ts'))
      write(join(dir, 'schema.ts'), schemaModule(tables))
      const kit = (...args: string[]): Command => ({
        program: process.execPath,
        args: [binScript('drizzle-kit'), ...args],
        cwd: dir,
      })
      return {
        autogenerate: kit('generate', '--name', 'initial'),
        resetAutogenerate: () => rmSync(join(dir, 'drizzle'), { recursive: true, force: true }),
        apply: [kit('migrate')],
        check: { ...kit('push'), expectOutput: /No changes detected/ },
        resetCheck: () => {},
      }
    },
  }
}

/** drizzle's record of applied migrations, the same on PostgreSQL and SQLite. */
const DRIZZLE_VERSION_QUERY =
  'SELECT count(*) AS applied, max(created_at) AS last FROM __drizzle_migrations'

/** Why `drizzle-kit` cannot open a SQLite database here, or undefined. */
function drizzleKitSqliteUnavailable(): string | undefined {
  const reason = nativeSqliteUnavailable('better-sqlite3')
  return reason === undefined
    ? undefined
    : `drizzle-kit migrate reaches SQLite only through a native driver, better-sqlite3 or @libsql/client (it has none for node:sqlite), and better-sqlite3 cannot be loaded here (${reason}); bench/README.md (S8) says why it is not installed`
}

/**
 * drizzle on a SQLite file (S8): drizzle-orm's sqlite-proxy `migrate()` over `node:sqlite`, or
 * `drizzle-kit migrate` (which needs better-sqlite3), over SQL migrations and a journal as
 * `drizzle-kit generate` writes them for a sqlite-core table.
 */
export function drizzleSqliteTool(entry: 'drizzle-kit' | 'drizzle-orm'): SqliteMigrationTool {
  return {
    name: entry === 'drizzle-kit' ? 'drizzle-kit migrate' : 'drizzle-orm migrate()',
    role: 'peer',
    layout: 'one for the whole run',
    driven:
      entry === 'drizzle-kit'
        ? "`drizzle-kit migrate` with `dialect: 'sqlite'` in drizzle.config.ts; SQL migrations as `drizzle-kit generate` writes them for sqlite-core"
        : "a script calling drizzle-orm's sqlite-proxy `migrate(db, callback, { migrationsFolder })`, whose callback runs the pending statements on a node:sqlite `DatabaseSync` between BEGIN and COMMIT, as drizzle's proxy docs show (drizzle-orm has no node:sqlite driver); the same SQL migrations",
    unavailable: () => (entry === 'drizzle-kit' ? drizzleKitSqliteUnavailable() : undefined),
    versionQuery: DRIZZLE_VERSION_QUERY,
    writeProject(dir: string, file: string, plan: MigrationPlan) {
      const path = `./${relative(dir, file)}`
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), sqliteConfig(path, undefined))
      write(join(dir, 'migrate.cjs'), sqliteProxyMigrateScript(path))
      return writeJournal(dir, plan, entry, { dialect: 'sqlite', version: '6', sql: sqliteSqlFile })
    },
  }
}

/** drizzle-kit's `generate` from a sqlite-core schema (S8), which needs no database. */
export function drizzleSqliteModelTool(): SqliteModelTool {
  return {
    name: 'drizzle-kit',
    role: 'peer',
    driven:
      "`drizzle-kit generate` with `dialect: 'sqlite'` (from its snapshot folder, no database) and S8's model in drizzle's sqlite-core",
    unavailable: () => undefined,
    writeModels(dir: string, file: string, tables: readonly ModelTable[]) {
      const path = `./${relative(dir, file)}`
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), sqliteConfig(path, './schema.ts'))
      write(join(dir, 'schema.ts'), sqliteSchemaModule(tables))
      // Only to apply the generated migration once, untimed, as the check that it runs.
      write(join(dir, 'migrate.cjs'), sqliteProxyMigrateScript(path))
      return generateWorkflow(dir)
    },
  }
}

function sqliteConfig(path: string, schema: string | undefined): string {
  return kitConfig('sqlite', path, schema)
}

/**
 * The plan's SQL migrations and drizzle's journal of them in `dir/drizzle`, as `drizzle-kit
 * generate` writes them for `spelling.dialect`, and how `entry` applies them.
 */
function writeJournal(
  dir: string,
  plan: MigrationPlan,
  entry: string,
  spelling: {
    readonly dialect: string
    readonly version: string
    readonly sql: (migration: MigrationPlan['migrations'][number]) => string
  },
) {
  const entries = plan.migrations.map((m) => {
    const tag = `${String(m.index).padStart(4, '0')}_${m.table}`
    write(join(dir, 'drizzle', `${tag}.sql`), spelling.sql(m))
    return {
      idx: m.index,
      version: spelling.version,
      when: EPOCH + m.index,
      tag,
      breakpoints: true,
    }
  })
  write(
    join(dir, 'drizzle', 'meta', '_journal.json'),
    `${JSON.stringify({ version: '7', dialect: spelling.dialect, entries }, null, 2)}\n`,
  )
  return {
    upgrade:
      entry === 'drizzle-kit'
        ? { program: process.execPath, args: [binScript('drizzle-kit'), 'migrate'], cwd: dir }
        : { program: process.execPath, args: ['migrate.cjs'], cwd: dir },
  }
}

/** A drizzle-kit config: its dialect, the migrations folder, the schema module, the database. */
function kitConfig(dialect: string, url: string, schema: string | undefined): string {
  return `import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: '${dialect}',
  out: './drizzle',${schema === undefined ? '' : `\n  schema: '${schema}',`}
  dbCredentials: { url: ${JSON.stringify(url)} },
})
`
}

/**
 * drizzle-kit \`generate\` in \`dir\` (timed), the removal of what it wrote between runs, the check
 * that it wrote one migration creating every table, and \`migrate.cjs\` to apply it once, untimed.
 */
function generateWorkflow(dir: string) {
  const out = join(dir, 'drizzle')
  return {
    autogenerate: {
      program: process.execPath,
      args: [binScript('drizzle-kit'), 'generate', '--name', 'initial'],
      cwd: dir,
    },
    reset: () => rmSync(out, { recursive: true, force: true }),
    checkWritten: (n: number) => {
      const files = readdirSync(out).filter((f) => f.endsWith('.sql'))
      if (files.length !== 1) throw new Error(`wrote ${files.length} migrations, expected 1`)
      const text = readFileSync(join(out, files[0]!), 'utf8')
      const created = text.match(/^CREATE TABLE /gm)?.length ?? 0
      if (created !== n) throw new Error(`its migration creates ${created} tables, expected ${n}`)
    },
    apply: { program: process.execPath, args: ['migrate.cjs'], cwd: dir },
  }
}

/**
 * drizzle-orm's sqlite-proxy migrator over node:sqlite: the proxy driver's callback answers
 * drizzle's own queries (its migrations table), and the migrator's callback applies the pending
 * statements in one transaction, as the server in drizzle's proxy docs does.
 */
function sqliteProxyMigrateScript(path: string): string {
  return `const { DatabaseSync } = require('node:sqlite')
const { drizzle } = require('drizzle-orm/sqlite-proxy')
const { migrate } = require('drizzle-orm/sqlite-proxy/migrator')

// CommonJS, as a service compiled by tsc for Node runs it (see bench/README.md, Fairness).
void (async () => {
  const sqlite = new DatabaseSync(${JSON.stringify(path)})
  const db = drizzle(async (sql, params, method) => {
    const statement = sqlite.prepare(sql)
    if (method === 'run') {
      statement.run(...params)
      return { rows: [] }
    }
    statement.setReturnArrays(true)
    const rows = statement.all(...params)
    return { rows: method === 'get' ? rows[0] : rows }
  })
  try {
    await migrate(
      db,
      async (queries) => {
        sqlite.exec('BEGIN')
        try {
          for (const query of queries) sqlite.exec(query)
          sqlite.exec('COMMIT')
        } catch (error) {
          sqlite.exec('ROLLBACK')
          throw error
        }
      },
      { migrationsFolder: './drizzle' },
    )
  } finally {
    sqlite.close()
  }
})().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
`
}

/** A migration as `drizzle-kit generate` writes it for this table in sqlite-core. */
function sqliteSqlFile(m: MigrationSpec): string {
  return `CREATE TABLE \`${m.table}\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`name\` text NOT NULL,
\t\`created_at\` text DEFAULT CURRENT_TIMESTAMP
);
`
}

/** S8's model in drizzle's sqlite-core. */
function sqliteSchemaModule(tables: readonly ModelTable[]): string {
  return `import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, numeric, sqliteTable, text } from 'drizzle-orm/sqlite-core'

${tableModules(tables, 'sqliteTable', sqliteColumn).join('\n')}`
}

/** Each model table as drizzle declares it, with `tableFunction` and the engine's columns. */
function tableModules(
  tables: readonly ModelTable[],
  tableFunction: string,
  column: (c: ModelColumn) => string,
): string[] {
  return tables.map((t) => {
    const columns = t.columns.map((c) => `    ${c.name}: ${column(c)},`).join('\n')
    const [first, second] = t.indexes
    const cols = (names: readonly string[]) => names.map((n) => `t.${n}`).join(', ')
    const target = t.references === t.name ? 't.id' : `${t.references}.id`
    return `export const ${t.name} = ${tableFunction}(
  '${t.name}',
  {
${columns}
  },
  (t) => [
    index('${first!.name}').on(${cols(first!.columns)}),
    index('${second!.name}').on(${cols(second!.columns)}),
    foreignKey({
      columns: [t.parent_id],
      foreignColumns: [${target}],
      name: '${t.foreignKeyName}',
    }).onDelete('set null'),
  ],
)
`
  })
}

/** A model column in sqlite-core, which has integer, real, numeric, text and blob, with modes. */
function sqliteColumn(c: ModelColumn): string {
  const base = {
    serial: 'integer()',
    integer: 'integer()',
    varchar100: 'text({ length: 100 })',
    text: 'text()',
    numeric10_2: 'numeric()',
    boolean: "integer({ mode: 'boolean' })",
    timestamptz: 'text()',
    jsonb: "text({ mode: 'json' })",
    'text[]': "text({ mode: 'json' })",
    uuid: 'text()',
    json: "text({ mode: 'json' })",
  }[c.kind]
  let out = base
  if (c.primaryKey) out += '.primaryKey()'
  else if (c.notNull) out += '.notNull()'
  if (c.default !== undefined) {
    out += c.default.kind === 'now' ? '.default(sql`CURRENT_TIMESTAMP`)' : defaultCall(c.default)
  }
  return out
}

/**
 * drizzle-kit's `pull` (formerly `introspect`): pg-core tables and views into `drizzle/schema.ts`,
 * with `relations.ts`, a snapshot and a commented-out SQL migration. It reads tables, columns,
 * enums, indexes, foreign keys, checks, policies, sequences, roles and views; functions and
 * triggers are not part of its model.
 */
export function drizzlePullTool(): PullTool {
  return {
    name: 'drizzle-kit',
    role: 'peer',
    driven:
      '`drizzle-kit pull` with a drizzle.config.ts naming the database: tables and views into `drizzle/schema.ts` (functions and triggers are not in its model), plus `relations.ts` and a snapshot',
    unavailable: () => undefined,
    writePull(dir: string, url: string, database: PullDatabase) {
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), config(url, undefined))
      const out = join(dir, 'drizzle')
      return {
        pull: {
          program: process.execPath,
          args: [binScript('drizzle-kit'), 'pull'],
          cwd: dir,
          expectOutput: /Your schema file is ready/,
        },
        reset: () => rmSync(out, { recursive: true, force: true }),
        check: () =>
          checkPulled(join(out, 'schema.ts'), [
            { what: 'tables', pattern: /= pgTable\(/, count: database.tables.length },
            { what: 'views', pattern: /= pgView\(/, count: database.views.length },
          ]),
      }
    },
  }
}

function config(url: string, schema: string | undefined): string {
  return `import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  out: './drizzle',${schema === undefined ? '' : `\n  schema: '${schema}',`}
  dbCredentials: { url: ${JSON.stringify(url)} },
})
`
}

function journal(entries: readonly object[]): string {
  return `${JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2)}\n`
}

/** drizzle-orm's migrate(), as its docs show; `--in-chunks` is the benchmark's set-up route. */
function migrateScript(url: string): string {
  return `const { readFileSync, writeFileSync } = require('node:fs')
const { drizzle } = require('drizzle-orm/node-postgres')
const { migrate } = require('drizzle-orm/node-postgres/migrator')

// CommonJS, as a service compiled by tsc for Node runs it (see bench/README.md, Fairness).
void (async () => {
  const db = drizzle(${JSON.stringify(url)})
  const migrationsFolder = './drizzle'
  try {
    if (process.argv.includes('--in-chunks')) {
      // Untimed set-up: drizzle applies pending migrations in one transaction, and PostgreSQL
      // cannot create 10,000 tables in one; so apply growing prefixes of the journal.
      const file = \`\${migrationsFolder}/meta/_journal.json\`
      const full = readFileSync(file, 'utf8')
      const journal = JSON.parse(full)
      try {
        for (let end = ${SETUP_CHUNK}; end < journal.entries.length; end += ${SETUP_CHUNK}) {
          writeFileSync(file, JSON.stringify({ ...journal, entries: journal.entries.slice(0, end) }))
          await migrate(db, { migrationsFolder })
        }
      } finally {
        writeFileSync(file, full)
      }
    }
    await migrate(db, { migrationsFolder })
  } finally {
    await db.$client.end()
  }
})().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
`
}

/** A migration as `drizzle-kit generate` writes it for this table. */
function sqlFile(m: MigrationSpec): string {
  return `CREATE TABLE "${m.table}" (
\t"id" serial PRIMARY KEY NOT NULL,
\t"name" text NOT NULL,
\t"created_at" timestamp with time zone DEFAULT now()
);
`
}

/** The S4 model in drizzle's pg-core. */
function schemaModule(tables: readonly ModelTable[]): string {
  const body = tableModules(tables, 'pgTable', drizzleColumn)
  return `import {
  boolean,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'

${body.join('\n')}`
}

function drizzleColumn(c: ModelColumn): string {
  const base = {
    serial: 'serial()',
    integer: 'integer()',
    varchar100: 'varchar({ length: 100 })',
    text: 'text()',
    numeric10_2: 'numeric({ precision: 10, scale: 2 })',
    boolean: 'boolean()',
    timestamptz: 'timestamp({ withTimezone: true })',
    jsonb: 'jsonb()',
    'text[]': 'text().array()',
    uuid: 'uuid()',
    json: 'json()',
  }[c.kind]
  let out = base
  if (c.primaryKey) out += '.primaryKey()'
  else if (c.notNull) out += '.notNull()'
  if (c.default !== undefined) out += defaultCall(c.default)
  return out
}

function defaultCall(d: ColumnDefault): string {
  switch (d.kind) {
    case 'string':
      return `.default('${d.value}')`
    case 'boolean':
      return `.default(${d.value})`
    case 'json':
      return `.default(${JSON.stringify(d.value)})`
    case 'now':
      return '.defaultNow()'
  }
}

/**
 * drizzle on a MariaDB/MySQL database (S9): drizzle-orm's mysql2 `migrate()` from a script, or
 * `drizzle-kit migrate`, over SQL migrations and a journal as `drizzle-kit generate` writes them
 * for a mysql-core table.
 */
export function drizzleMysqlTool(entry: 'drizzle-kit' | 'drizzle-orm'): MysqlMigrationTool {
  return {
    name: entry === 'drizzle-kit' ? 'drizzle-kit migrate' : 'drizzle-orm migrate()',
    role: 'peer',
    layout: 'one for the whole run',
    driven:
      entry === 'drizzle-kit'
        ? "`drizzle-kit migrate` with `dialect: 'mysql'` in drizzle.config.ts (it connects with mysql2); SQL migrations as `drizzle-kit generate` writes them for mysql-core"
        : "a script calling `migrate(drizzle(url), { migrationsFolder })` from `drizzle-orm/mysql2/migrator` (a mysql2 pool), as drizzle's docs show; the same SQL migrations",
    unavailable: () => undefined,
    versionQuery: DRIZZLE_VERSION_QUERY,
    writeProject(dir: string, url: string, plan: MigrationPlan) {
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), mysqlConfig(url, undefined))
      write(join(dir, 'migrate.cjs'), mysqlMigrateScript(url))
      return writeJournal(dir, plan, entry, { dialect: 'mysql', version: '5', sql: mysqlSqlFile })
    },
  }
}

/** drizzle-kit's `generate` from a mysql-core schema (S9), which needs no database. */
export function drizzleMysqlModelTool(): MysqlModelTool {
  return {
    name: 'drizzle-kit',
    role: 'peer',
    driven:
      "`drizzle-kit generate` with `dialect: 'mysql'` (from its snapshot folder, no database) and S9's model in drizzle's mysql-core",
    unavailable: () => undefined,
    writeModels(dir: string, url: string, tables: readonly ModelTable[]) {
      writeModulePackage(dir)
      write(join(dir, 'drizzle.config.ts'), mysqlConfig(url, './schema.ts'))
      write(join(dir, 'schema.ts'), mysqlSchemaModule(tables))
      // Only to apply the generated migration once, untimed, as the check that it runs.
      write(join(dir, 'migrate.cjs'), mysqlMigrateScript(url))
      return generateWorkflow(dir)
    },
  }
}

function mysqlConfig(url: string, schema: string | undefined): string {
  return kitConfig('mysql', url, schema)
}

/** drizzle-orm's mysql2 migrate(), as its docs show. */
function mysqlMigrateScript(url: string): string {
  return `const { drizzle } = require('drizzle-orm/mysql2')
const { migrate } = require('drizzle-orm/mysql2/migrator')

// CommonJS, as a service compiled by tsc for Node runs it (see bench/README.md, Fairness).
void (async () => {
  const db = drizzle(${JSON.stringify(url)})
  try {
    await migrate(db, { migrationsFolder: './drizzle' })
  } finally {
    await db.$client.end()
  }
})().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
`
}

/** A migration as `drizzle-kit generate` writes it for this table in mysql-core. */
function mysqlSqlFile(m: MigrationSpec): string {
  return `CREATE TABLE \`${m.table}\` (
\t\`id\` int AUTO_INCREMENT NOT NULL,
\t\`name\` text NOT NULL,
\t\`created_at\` timestamp DEFAULT CURRENT_TIMESTAMP,
\tCONSTRAINT \`${m.table}_id\` PRIMARY KEY(\`id\`)
);
`
}

/** S9's model in drizzle's mysql-core. */
function mysqlSchemaModule(tables: readonly ModelTable[]): string {
  return `import { sql } from 'drizzle-orm'
import {
  boolean,
  char,
  decimal,
  foreignKey,
  index,
  int,
  json,
  mysqlTable,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/mysql-core'

${tableModules(tables, 'mysqlTable', mysqlColumn).join('\n')}`
}

/** A model column in mysql-core (S9's model has no arrays or jsonb; uuid is `char(36)`). */
function mysqlColumn(c: ModelColumn): string {
  const base = {
    serial: 'int().autoincrement()',
    integer: 'int()',
    varchar100: 'varchar({ length: 100 })',
    text: 'text()',
    numeric10_2: 'decimal({ precision: 10, scale: 2 })',
    boolean: 'boolean()',
    timestamptz: 'timestamp()',
    jsonb: 'json()',
    'text[]': 'json()',
    uuid: 'char({ length: 36 })',
    json: 'json()',
  }[c.kind]
  let out = base
  if (c.primaryKey) out += '.primaryKey()'
  else if (c.notNull) out += '.notNull()'
  if (c.default !== undefined) {
    out += c.default.kind === 'now' ? '.default(sql`CURRENT_TIMESTAMP`)' : defaultCall(c.default)
  }
  return out
}
