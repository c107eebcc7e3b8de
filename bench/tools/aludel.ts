/**
 * aludel itself, through its CLI (`bin/aludel.js`, which loads `dist/`, from a snapshot of the
 * repository's build): TypeScript migrations
 * that build each table with the model DSL, `aludel upgrade head`, `downgrade base`, `heads`,
 * `history`, `revision --autogenerate` and `check`; and for S6, `lint` on migrations written as a
 * team writes them (`lib/lint-workload.ts`).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Command } from '../lib/command.ts'
import type { LintHistory, LintMigration, LintStep } from '../lib/lint-workload.ts'
import type { ColumnDefault, ModelColumn, ModelTable } from '../lib/model.ts'
import { ALUDEL_SNAPSHOT, write, writeModulePackage } from '../lib/paths.ts'
import { checkPulled, type PullDatabase } from '../lib/pull-workload.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type {
  EngineModelProject,
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

/** The CLI of the snapshot taken at the start of the run (see `snapshotAludel`). */
const BIN = join(ALUDEL_SNAPSHOT, 'bin', 'aludel.js')

/** `aludel ARGS` run in the project folder `dir`. */
const cli =
  (dir: string, env: Readonly<Record<string, string>> = {}) =>
  (...args: string[]): Command => ({
    program: process.execPath,
    args: [BIN, ...args],
    cwd: dir,
    env,
  })

/** Variants measured beside the default configuration. */
export interface AludelVariant {
  /** `transactionPerMigration` in the config; default true (aludel's default). */
  readonly transactionPerMigration?: boolean
  /** False runs with `ALUDEL_NO_CACHE=1`: every header read and hashed, as on a fresh checkout. */
  readonly headerCache?: boolean
}

/** aludel as a migration runner, in its default configuration or a variant. */
export function aludelTool(variant: AludelVariant = {}): MigrationTool {
  const perMigration = variant.transactionPerMigration ?? true
  const cache = variant.headerCache ?? true
  const name = !perMigration
    ? 'aludel (one transaction)'
    : !cache
      ? 'aludel (no header cache)'
      : 'aludel'
  const env: Record<string, string> = cache ? {} : { ALUDEL_NO_CACHE: '1' }
  return {
    name,
    role: 'subject',
    layout: perMigration ? 'one per migration' : 'one for the whole run',
    merges: true,
    driven: `\`aludel upgrade head\`${perMigration ? '' : ' with `transactionPerMigration: false`'}${cache ? '' : ' with `ALUDEL_NO_CACHE=1`'}; TypeScript migrations using \`op.createTable(table(...))\``,
    unavailable: () => undefined,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeConfig(dir, url, { transactionPerMigration: perMigration })
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${m.revision}_${m.table}.ts`), migrationFile(m))
      }
      const aludel = cli(dir, env)
      const upgrade = aludel('upgrade', 'head')
      return {
        upgrade,
        setup: [upgrade],
        downgrade: aludel('downgrade', 'base'),
        graph: [
          { label: 'heads', command: aludel('heads') },
          { label: 'history', command: aludel('history') },
        ],
      }
    },
  }
}

/** aludel's autogenerate and `check`. */
export function aludelModelTool(): ModelTool {
  return {
    name: 'aludel',
    role: 'subject',
    driven:
      '`aludel revision --autogenerate -m initial` on an empty database; `aludel check` on a database at head',
    unavailable: () => undefined,
    writeModels(dir: string, url: string, tables: readonly ModelTable[]): ModelProject {
      writeConfig(dir, url, { schema: './models.ts' })
      write(join(dir, 'models.ts'), modelsModule(tables))
      const migrations = join(dir, 'migrations')
      write(join(migrations, '.keep'), '')
      const aludel = cli(dir)
      const clear = () => {
        for (const file of readdirSync(migrations)) {
          if (file.endsWith('.ts')) rmSync(join(migrations, file))
        }
      }
      return {
        autogenerate: aludel('revision', '--autogenerate', '-m', 'initial'),
        resetAutogenerate: clear,
        apply: [aludel('upgrade', 'head')],
        check: aludel('check'),
        resetCheck: () => {},
      }
    },
  }
}

/** aludel's URL for a SQLite file in the project folder `dir`, as a user writes it. */
const sqliteUrl = (dir: string, file: string) => `sqlite:./${relative(dir, file)}`

/**
 * aludel on a SQLite file (S8): the same CLI with a `sqlite:` URL, and migrations creating the
 * workload's table in SQLite's spelling with the DSL (`integer().primaryKey()`, `text().notNull()`,
 * a `timestamp()` defaulting to `CURRENT_TIMESTAMP`).
 */
export function aludelSqliteTool(variant: AludelVariant = {}): SqliteMigrationTool {
  const perMigration = variant.transactionPerMigration ?? true
  return {
    name: perMigration ? 'aludel' : 'aludel (one transaction)',
    role: 'subject',
    layout: perMigration ? 'one per migration' : 'one for the whole run',
    driven: `\`aludel upgrade head\` with \`url: 'sqlite:./app.db'\`${perMigration ? '' : ' and `transactionPerMigration: false`'}; TypeScript migrations using \`op.createTable(table(...))\` with \`integer().primaryKey()\`, \`text().notNull()\` and a \`timestamp()\` defaulting to \`CURRENT_TIMESTAMP\``,
    unavailable: () => undefined,
    versionQuery:
      'SELECT (SELECT group_concat(version_num) FROM aludel_version) AS heads, (SELECT count(*) FROM aludel_version_ledger) AS ledger_rows',
    writeProject(dir: string, file: string, plan: MigrationPlan) {
      writeConfig(dir, sqliteUrl(dir, file), { transactionPerMigration: perMigration })
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${m.revision}_${m.table}.ts`), migrationFile(m, 'sqlite'))
      }
      return { upgrade: cli(dir)('upgrade', 'head') }
    },
  }
}

/** aludel's autogenerate against an empty SQLite file (S8). */
export function aludelSqliteModelTool(): SqliteModelTool {
  return {
    name: 'aludel',
    role: 'subject',
    driven:
      "`aludel revision --autogenerate -m initial` with `url: 'sqlite:./app.db'` (an empty file) and S8's model in aludel's DSL",
    unavailable: () => undefined,
    writeModels(dir: string, file: string, tables: readonly ModelTable[]) {
      return autogenerateProject(dir, sqliteUrl(dir, file), tables, 'sqlite')
    },
  }
}

/**
 * aludel on a MariaDB/MySQL database (S9): the same CLI with a `mysql://` URL (through mysql2),
 * and migrations creating the workload's table with the DSL (`serial().primaryKey()`, which is an
 * `int AUTO_INCREMENT` there, `text().notNull()`, a `timestamptz()` defaulting to
 * `CURRENT_TIMESTAMP`).
 */
export function aludelMysqlTool(variant: AludelVariant = {}): MysqlMigrationTool {
  const perMigration = variant.transactionPerMigration ?? true
  return {
    name: perMigration ? 'aludel' : 'aludel (one transaction)',
    role: 'subject',
    layout: perMigration ? 'one per migration' : 'one for the whole run',
    driven: `\`aludel upgrade head\` with \`url: 'mysql://root@127.0.0.1:3306/…'\`${perMigration ? '' : ' and `transactionPerMigration: false`'}; TypeScript migrations using \`op.createTable(table(...))\` with \`serial().primaryKey()\`, \`text().notNull()\` and a \`timestamptz()\` defaulting to \`CURRENT_TIMESTAMP\``,
    unavailable: () => undefined,
    versionQuery:
      'SELECT (SELECT group_concat(version_num) FROM aludel_version) AS heads, (SELECT count(*) FROM aludel_version_ledger) AS ledger_rows',
    writeProject(dir: string, url: string, plan: MigrationPlan) {
      writeConfig(dir, url, { transactionPerMigration: perMigration })
      for (const m of plan.migrations) {
        write(join(dir, 'migrations', `${m.revision}_${m.table}.ts`), migrationFile(m, 'mysql'))
      }
      return { upgrade: cli(dir)('upgrade', 'head') }
    },
  }
}

/** aludel's autogenerate against an empty MariaDB/MySQL database (S9). */
export function aludelMysqlModelTool(): MysqlModelTool {
  return {
    name: 'aludel',
    role: 'subject',
    driven:
      "`aludel revision --autogenerate -m initial` with `url: 'mysql://…'` (an empty database) and S9's model in aludel's DSL",
    unavailable: () => undefined,
    writeModels(dir: string, url: string, tables: readonly ModelTable[]) {
      return autogenerateProject(dir, url, tables, 'mysql')
    },
  }
}

/**
 * An aludel project in `dir` with the model of `tables` for `engine` on the database at `url`:
 * `revision --autogenerate` (timed), the removal of what it wrote, the check that it wrote one
 * migration creating every table, and `upgrade head` to apply it once, untimed.
 */
function autogenerateProject(
  dir: string,
  url: string,
  tables: readonly ModelTable[],
  engine: Exclude<Engine, 'postgres'>,
): EngineModelProject {
  writeConfig(dir, url, { schema: './models.ts' })
  write(join(dir, 'models.ts'), modelsModule(tables, engine))
  const migrations = join(dir, 'migrations')
  write(join(migrations, '.keep'), '')
  const written = () => readdirSync(migrations).filter((f) => f.endsWith('.ts'))
  const aludel = cli(dir)
  return {
    autogenerate: aludel('revision', '--autogenerate', '-m', 'initial'),
    reset: () => {
      for (const f of written()) rmSync(join(migrations, f))
    },
    checkWritten: (n: number) => {
      const files = written()
      if (files.length !== 1) throw new Error(`wrote ${files.length} migrations, expected 1`)
      const text = readFileSync(join(migrations, files[0]!), 'utf8')
      const created = text.match(/op\.createTable\(/g)?.length ?? 0
      if (created !== n) throw new Error(`its migration creates ${created} tables, expected ${n}`)
    },
    apply: aludel('upgrade', 'head'),
  }
}

/** aludel's `pull`: the database read into a models module. */
export function aludelPullTool(): PullTool {
  return {
    name: 'aludel',
    role: 'subject',
    driven:
      '`aludel pull --output models.ts --force`: tables, views, functions, triggers (and every other kind it models) into one models module',
    unavailable: () => undefined,
    writePull(dir: string, url: string, database: PullDatabase) {
      writeConfig(dir, url, {})
      const output = join(dir, 'models.ts')
      const n = database.tables.length
      return {
        pull: {
          ...cli(dir)('pull', '--output', 'models.ts', '--force'),
          expectOutput: new RegExp(`Wrote .*: ${n} tables?,`),
        },
        reset: () => rmSync(output, { force: true }),
        check: () =>
          checkPulled(output, [
            { what: 'tables', pattern: /^export const \w+ = table\(/, count: n },
            { what: 'views', pattern: /^export const \w+ = view\(/, count: database.views.length },
            {
              what: 'functions (and the trigger function)',
              pattern: /^export const \w+ = dbFunction\(/,
              count: database.functions.length + 1,
            },
            {
              what: 'triggers',
              pattern: /^export const \w+ = trigger\(/,
              count: database.triggers,
            },
          ]),
      }
    },
  }
}

/** What S6 runs, for the report's "How each tool is driven". */
export const LINT_DRIVEN =
  '`aludel lint --all --fail-on never` (no database configured) beside `aludel upgrade base:head --sql`; `aludel lint --trace --fail-on never` beside `aludel upgrade head` on a copy of the database; TypeScript migrations using `op.createTable`, `op.addColumn`, `op.createIndex`, `op.createForeignKey`, `op.execute` and others'

/** The commands of an S6 project (see {@link writeLintProject}). */
export interface LintProject {
  /** `aludel lint --all`: every file checked by rule, no database. */
  readonly lintAll: Command
  /** `aludel upgrade base:head --sql`: the same files imported and run offline, no rules. */
  readonly offlineSql: Command
  /** Brings the configured database to the state before the pending migrations (untimed). */
  readonly setup: Command
  /** `aludel lint --trace` of the pending migrations against the configured database. */
  readonly trace: Command
  /** `aludel upgrade head` against `url` instead of the configured database. */
  upgradeOn(url: string): Command
}

/**
 * Writes an S6 project: `history`'s migrations in aludel's format and a config naming `url` (none
 * for `lint --all` alone, which needs no database). Lint exits 1 when it finds an error, and the
 * workload has some on purpose (an index built without CONCURRENTLY), so the lint commands run with
 * `--fail-on never` and are checked by their summary line and a finding they must report instead.
 */
export function writeLintProject(
  dir: string,
  url: string | undefined,
  history: LintHistory,
): LintProject {
  writeConfig(dir, url, {})
  for (const m of history.migrations) {
    const slug = m.message.replace(/[^a-z0-9]+/gi, '_').toLowerCase()
    write(join(dir, 'migrations', `${m.revision}_${slug.slice(0, 40)}.ts`), lintMigrationFile(m))
  }
  const aludel = cli(dir)
  const head = history.migrations.at(-1)?.revision ?? 'base'
  const pending = history.migrations.length - history.applied
  const linted = (n: number) => `Linted ${n} migrations? \\(`
  // A cycle's eighth migration builds an index without CONCURRENTLY: lint must say so.
  const flagged = history.migrations.some((m) =>
    m.steps.some((s) => s.kind === 'createIndex' && !s.concurrently),
  )
  const lintAll = `${flagged ? 'require-concurrent-index-creation[^]*' : ''}${linted(history.migrations.length)}`
  return {
    lintAll: {
      ...aludel('lint', '--all', '--fail-on', 'never'),
      expectOutput: new RegExp(lintAll),
    },
    offlineSql: { ...aludel('upgrade', 'base:head', '--sql'), expectOutput: new RegExp(head) },
    setup: aludel('upgrade', history.migrations[history.applied - 1]?.revision ?? 'base'),
    trace: {
      ...aludel('lint', '--trace', '--fail-on', 'never'),
      expectOutput: new RegExp(`Trace \\(measured[^]*${linted(pending)}`),
      rejectOutput: /trace-failed/,
    },
    upgradeOn: (target) => aludel('upgrade', 'head', '--url', target),
  }
}

/** An S6 migration as a developer writes it: `op.…` calls, and the downgrade that undoes them. */
function lintMigrationFile(m: LintMigration): string {
  const up = m.steps.map(upgradeStep)
  const down = m.steps.toReversed().flatMap(downgradeStep)
  const code = [...up, ...down].join('\n')
  const used = DSL.filter((name) => new RegExp(`(?<![\\w.])${name}[(\`]`).test(code))
  const imports = ['type Operations', ...used].join(', ')
  const body = (steps: readonly string[]) =>
    steps.length === 0
      ? '  // Nothing to undo.'
      : steps
          .join('\n')
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')
  return `/** ${m.message} */
import { ${imports} } from 'aludel'

export const revision = '${m.revision}'
export const downRevision: string | readonly string[] | null = ${m.parent === undefined ? 'null' : `'${m.parent}'`}
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = ${m.transactional}

export async function upgrade(op: Operations): Promise<void> {
${body(up)}
}

export async function downgrade(op: Operations): Promise<void> {
${body(down)}
}
`
}

/** The names a migration may import from aludel, in import order. */
const DSL = [
  'bigint',
  'boolean',
  'foreignKey',
  'index',
  'integer',
  'jsonb',
  'numeric',
  'serial',
  'sql',
  'table',
  'text',
  'timestamptz',
  'uuid',
  'varchar',
]

const TYPE_BEFORE = { text: 'varchar(100)', bigint: 'integer()' } as const

function upgradeStep(s: LintStep): string {
  switch (s.kind) {
    case 'createTable':
      return `await op.createTable(\n  ${tableExpression(s.table).replaceAll('\n', '\n  ')},\n)`
    case 'addColumn':
      return `await op.addColumn('${s.table}', '${s.column.name}', ${columnBuilder(s.column)})`
    case 'createIndex': {
      const options = s.concurrently ? ', { concurrently: true, ifNotExists: true }' : ''
      return `await op.createIndex('${s.name}', '${s.table}', [${s.columns.map((c) => `'${c}'`).join(', ')}]${options})`
    }
    case 'createForeignKey':
      return `await op.createForeignKey('${s.name}', '${s.table}', '${s.references}', ['${s.column}'], ['id'], {\n  onDelete: 'set null',\n  notValid: ${s.notValid},\n})`
    case 'createCheck':
      return `await op.createCheckConstraint('${s.name}', '${s.table}', '${s.condition}', { notValid: ${s.notValid} })`
    case 'validateConstraint':
      return `await op.validateConstraint('${s.table}', '${s.name}')`
    case 'alterType':
      return `await op.alterColumn('${s.table}', '${s.column}', { type: ${s.to}(), existingType: ${TYPE_BEFORE[s.to]} })`
    case 'execute':
      return `await op.execute(\`\n  ${s.sql.replaceAll('\n', '\n  ')}\n\`)`
  }
}

function downgradeStep(s: LintStep): string[] {
  switch (s.kind) {
    case 'createTable':
      return [`await op.dropTable('${s.table.name}')`]
    case 'addColumn':
      return [`await op.dropColumn('${s.table}', '${s.column.name}')`]
    case 'createIndex':
      return [
        `await op.dropIndex('${s.name}'${s.concurrently ? ', { concurrently: true, ifExists: true }' : ''})`,
      ]
    case 'createForeignKey':
    case 'createCheck':
      return [`await op.dropConstraint('${s.name}', '${s.table}')`]
    case 'validateConstraint':
      return []
    case 'alterType':
      return [
        `await op.alterColumn('${s.table}', '${s.column}', { type: ${TYPE_BEFORE[s.to]}, existingType: ${s.to}() })`,
      ]
    case 'execute':
      return s.undo === undefined
        ? []
        : [`await op.execute(\`\n  ${s.undo.replaceAll('\n', '\n  ')}\n\`)`]
  }
}

function writeConfig(
  dir: string,
  url: string | undefined,
  settings: { transactionPerMigration?: boolean; schema?: string },
): void {
  writeModulePackage(dir)
  const lines = [`  migrations: './migrations',`]
  if (url !== undefined) lines.unshift(`  url: ${JSON.stringify(url)},`)
  if (settings.schema !== undefined) lines.push(`  schema: ${JSON.stringify(settings.schema)},`)
  if (settings.transactionPerMigration === false) lines.push('  transactionPerMigration: false,')
  write(
    join(dir, 'aludel.config.ts'),
    `import { defineConfig } from 'aludel'\n\nexport default defineConfig({\n${lines.join('\n')}\n})\n`,
  )
}

/** The workload table's columns and their imports, per engine (S8 spells it for SQLite). */
const WORKLOAD_TABLE = {
  postgres: {
    imports: 'type Operations, serial, sql, table, text, timestamptz',
    columns:
      'id: serial().primaryKey(),\n      name: text().notNull(),\n      created_at: timestamptz().default(sql`now()`),',
  },
  sqlite: {
    imports: 'integer, type Operations, sql, table, text, timestamp',
    columns:
      'id: integer().primaryKey(),\n      name: text().notNull(),\n      created_at: timestamp().default(sql`CURRENT_TIMESTAMP`),',
  },
  mysql: {
    imports: 'type Operations, serial, sql, table, text, timestamptz',
    columns:
      'id: serial().primaryKey(),\n      name: text().notNull(),\n      created_at: timestamptz().default(sql`CURRENT_TIMESTAMP`),',
  },
} as const

/** A migration the way `aludel revision` lays it out, with the table built by the DSL. */
function migrationFile(m: MigrationSpec, engine: keyof typeof WORKLOAD_TABLE = 'postgres'): string {
  const down =
    m.parents.length === 0
      ? 'null'
      : m.parents.length === 1
        ? `'${m.parents[0]}'`
        : `[${m.parents.map((p) => `'${p}'`).join(', ')}]`
  const { imports, columns } = WORKLOAD_TABLE[engine]
  return `/** ${m.message} */
import { ${imports} } from 'aludel'

export const revision = '${m.revision}'
export const downRevision: string | readonly string[] | null = ${down}
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = true

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    table('${m.table}', {
      ${columns}
    }),
  )
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${m.table}')
}
`
}

/** The engines whose spelling of the model aludel's renderers know. */
type Engine = 'postgres' | 'sqlite' | 'mysql'

/** The S4 model (or S8's SQLite or S9's MySQL variant) in aludel's DSL. */
function modelsModule(tables: readonly ModelTable[], dialect: Engine = 'postgres'): string {
  const body = tables.map((t) => `export const ${t.name} = ${tableExpression(t, dialect)}\n`)
  return `import {
  boolean,
  defineSchema,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  numeric,
  serial,
  sql,
  table,
  text,
  timestamptz,
  uuid,
  varchar,
} from 'aludel'

${body.join('\n')}
export const schema = defineSchema({
${tables.map((t) => `  ${t.name},`).join('\n')}
})
`
}

/** `table('m_00001', { ...columns }, (t) => [...indexes, foreign key])`, unindented. */
function tableExpression(t: ModelTable, dialect: Engine = 'postgres'): string {
  const columns = t.columns.map((c) => `    ${c.name}: ${columnBuilder(c, dialect)},`).join('\n')
  const [first, second] = t.indexes
  return `table(
  '${t.name}',
  {
${columns}
  },
  (t) => [
    index('${first!.name}').on(${first!.columns.map((c) => `t.${c}`).join(', ')}),
    index('${second!.name}').on(${second!.columns.map((c) => `t.${c}`).join(', ')}),
    foreignKey({
      columns: [t.parent_id],
      foreignTable: '${t.references}',
      foreignColumns: ['id'],
      onDelete: 'set null',
    }),
  ],
)`
}

function columnBuilder(c: ModelColumn, dialect: Engine = 'postgres'): string {
  const base = {
    serial: 'serial()',
    integer: 'integer()',
    varchar100: 'varchar(100)',
    text: 'text()',
    numeric10_2: 'numeric(10, 2)',
    boolean: 'boolean()',
    timestamptz: 'timestamptz()',
    jsonb: 'jsonb()',
    'text[]': 'text().array()',
    uuid: 'uuid()',
    json: 'json()',
  }[c.kind]
  let out = base
  if (c.primaryKey) out += '.primaryKey()'
  if (c.notNull && !c.primaryKey) out += '.notNull()'
  if (c.default !== undefined) out += `.default(${defaultValue(c.default, dialect)})`
  return out
}

function defaultValue(d: ColumnDefault, dialect: Engine): string {
  switch (d.kind) {
    case 'string':
      return JSON.stringify(d.value).replaceAll('"', "'")
    case 'boolean':
      return String(d.value)
    case 'json':
      return JSON.stringify(d.value)
    case 'now':
      // SQLite has no now(); CURRENT_TIMESTAMP is its spelling (and MySQL's usual one) of it.
      return dialect === 'postgres' ? 'sql`now()`' : 'sql`CURRENT_TIMESTAMP`'
  }
}
