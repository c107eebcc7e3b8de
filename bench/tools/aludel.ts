/**
 * aludel itself, through its CLI (`bin/aludel.js`, which loads `dist/`, from a snapshot of the
 * repository's build): TypeScript migrations
 * that build each table with the model DSL, `aludel upgrade head`, `downgrade base`, `heads`,
 * `history`, `revision --autogenerate` and `check`.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from '../lib/command.ts'
import type { ColumnDefault, ModelColumn, ModelTable } from '../lib/model.ts'
import { ALUDEL_SNAPSHOT, write, writeModulePackage } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool, ModelProject, ModelTool } from './tool.ts'

/** The CLI of the snapshot taken at the start of the run (see `snapshotAludel`). */
const BIN = join(ALUDEL_SNAPSHOT, 'bin', 'aludel.js')

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
      const aludel = (...args: string[]): Command => ({
        program: process.execPath,
        args: [BIN, ...args],
        cwd: dir,
        env,
      })
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
      const aludel = (...args: string[]): Command => ({
        program: process.execPath,
        args: [BIN, ...args],
        cwd: dir,
      })
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

function writeConfig(
  dir: string,
  url: string,
  settings: { transactionPerMigration?: boolean; schema?: string },
): void {
  writeModulePackage(dir)
  const lines = [`  url: ${JSON.stringify(url)},`, `  migrations: './migrations',`]
  if (settings.schema !== undefined) lines.push(`  schema: ${JSON.stringify(settings.schema)},`)
  if (settings.transactionPerMigration === false) lines.push('  transactionPerMigration: false,')
  write(
    join(dir, 'aludel.config.ts'),
    `import { defineConfig } from 'aludel'\n\nexport default defineConfig({\n${lines.join('\n')}\n})\n`,
  )
}

/** A migration the way `aludel revision` lays it out, with the table built by the DSL. */
function migrationFile(m: MigrationSpec): string {
  const down =
    m.parents.length === 0
      ? 'null'
      : m.parents.length === 1
        ? `'${m.parents[0]}'`
        : `[${m.parents.map((p) => `'${p}'`).join(', ')}]`
  return `/** ${m.message} */
import { type Operations, serial, sql, table, text, timestamptz } from 'aludel'

export const revision = '${m.revision}'
export const downRevision: string | readonly string[] | null = ${down}
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = true

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    table('${m.table}', {
      id: serial().primaryKey(),
      name: text().notNull(),
      created_at: timestamptz().default(sql\`now()\`),
    }),
  )
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('${m.table}')
}
`
}

/** The S4 model in aludel's DSL. */
function modelsModule(tables: readonly ModelTable[]): string {
  const body = tables.map((t) => {
    const columns = t.columns.map((c) => `    ${c.name}: ${columnBuilder(c)},`).join('\n')
    const [first, second] = t.indexes
    return `export const ${t.name} = table(
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
)
`
  })
  return `import {
  boolean,
  defineSchema,
  foreignKey,
  index,
  integer,
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

function columnBuilder(c: ModelColumn): string {
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
  }[c.kind]
  let out = base
  if (c.primaryKey) out += '.primaryKey()'
  if (c.notNull && !c.primaryKey) out += '.notNull()'
  if (c.default !== undefined) out += `.default(${defaultValue(c.default)})`
  return out
}

function defaultValue(d: ColumnDefault): string {
  switch (d.kind) {
    case 'string':
      return JSON.stringify(d.value).replaceAll('"', "'")
    case 'boolean':
      return String(d.value)
    case 'json':
      return JSON.stringify(d.value)
    case 'now':
      return 'sql`now()`'
  }
}
