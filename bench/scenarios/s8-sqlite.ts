/**
 * S8: aludel on SQLite files, beside the Node peers that support SQLite: `upgrade head` with
 * nothing to do, applying migrations to an empty file, and autogenerate of a model (aludel against
 * an empty file, drizzle-kit from its snapshot folder). Each tool gets its own file in its project
 * folder under bench/.work: brought to head by the tool itself for the no-op, fresh for every run
 * otherwise. Every run is checked: the no-op must leave the tool's version record as it was, an
 * apply must have created every table, an autogenerate must have written one migration creating
 * every table of the model (and the last one must apply).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { CommandError } from '../lib/command.ts'
import { type Contender, log, measureInterleaved, runSetup } from '../lib/measure.ts'
import { sqliteModelTables } from '../lib/model.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import type { Cell, Row } from '../lib/results.ts'
import { countSqliteTables, freshSqliteFile, sqliteQuery, sqliteVersion } from '../lib/sqlite.ts'
import { chain } from '../lib/workload.ts'
import { slug, sqliteModelTools, sqliteTools } from '../tools/catalog.ts'
import type { Role, SqliteModelProject } from '../tools/tool.ts'
import { count, type Scenario } from './scenario.ts'

/** What the interleaved cases need of a tool. */
interface Named {
  readonly name: string
  readonly role: Role
  unavailable(): string | undefined
}

export const s8Sqlite: Scenario = {
  id: 'S8',
  title: 'SQLite: no-op upgrade, apply, autogenerate',
  async run(options) {
    const { s8: size, s8Tables: tableCount } = options.sizes
    const noop = `no-op upgrade, ${count(size)} migrations`
    const apply = `apply ${count(size)} migrations`
    const generate = `autogenerate, ${count(tableCount)} tables`
    const tools = sqliteTools().filter((t) => keeps(options, t))
    const modelTools = sqliteModelTools().filter((t) => keeps(options, t))
    const plan = chain(size)
    const root = join(WORK, 's8')
    const byTool = new Map<string, { role: Role; cells: Record<string, Cell> }>()
    const put = (tool: Named, label: string, cell: Cell) => {
      const row = byTool.get(tool.name) ?? { role: tool.role, cells: {} }
      row.cells[label] = cell
      byTool.set(tool.name, row)
    }

    /**
     * Prepares every available tool (untimed; a throw is its `failed` cell), then times them
     * round-robin, as S1 and S2 do, and stores the cells under `label`.
     */
    async function interleaved<T extends Named>(
      list: readonly T[],
      label: string,
      prepare: (tool: T, dir: string, file: string) => Omit<Contender, 'label'>,
    ): Promise<void> {
      const contenders: { tool: T; contender: Contender }[] = []
      for (const tool of list) {
        const reason = tool.unavailable()
        if (reason !== undefined) {
          put(tool, label, { kind: 'n/a', reason })
          continue
        }
        const dir = emptyDir(join(root, slug(label), slug(tool.name)))
        try {
          const contender = {
            ...prepare(tool, dir, join(dir, 'app.db')),
            label: `S8 ${tool.name} ${label}`,
          }
          contenders.push({ tool, contender })
        } catch (error) {
          const reason = error instanceof CommandError ? error.message : String(error)
          log(`S8 ${tool.name} ${label}: set-up FAILED ${reason}`)
          put(tool, label, { kind: 'failed', reason: `set-up: ${reason}`.slice(0, 300) })
        }
      }
      const measured = await measureInterleaved(
        contenders.map((c) => c.contender),
        options,
      )
      for (const { tool, contender } of contenders) put(tool, label, measured.get(contender.label)!)
    }

    const tables = (file: string, prefix: string, expected: number, what: string) => {
      const n = countSqliteTables(file, prefix)
      if (n !== expected) throw new Error(`${what} ${n} tables, expected ${expected}`)
    }

    try {
      // 1. `upgrade head` with nothing to do: aludel (its default) and the peers.
      await interleaved(
        tools.filter((t) => t.role === 'peer' || t.name === 'aludel'),
        noop,
        (tool, dir, file) => {
          const project = tool.writeProject(dir, file, plan)
          runSetup([project.upgrade], `S8 ${tool.name} ${noop}`)
          tables(file, 't_', size, 'set-up left')
          const version = JSON.stringify(sqliteQuery(file, tool.versionQuery))
          return {
            command: project.upgrade,
            after: () => {
              const now = JSON.stringify(sqliteQuery(file, tool.versionQuery))
              if (now !== version) throw new Error(`the no-op changed ${version} to ${now}`)
              tables(file, 't_', size, 'the no-op left')
            },
          }
        },
      )

      // 2. Apply every migration to a fresh file: aludel in both layouts, the peers, the floors.
      await interleaved(tools, apply, (tool, dir, file) => {
        const project = tool.writeProject(dir, file, plan)
        return {
          command: project.upgrade,
          before: () => freshSqliteFile(file),
          after: () => tables(file, 't_', size, 'created'),
        }
      })

      // 3. Autogenerate the initial migration of the model.
      const projects = new Map<string, { project: SqliteModelProject; file: string }>()
      await interleaved(modelTools, generate, (tool, dir, file) => {
        const project = tool.writeModels(dir, file, sqliteModelTables(tableCount))
        projects.set(tool.name, { project, file })
        return {
          command: project.autogenerate,
          before: () => {
            project.reset()
            freshSqliteFile(file)
          },
          after: () => project.checkWritten(tableCount),
        }
      })
      // The last run's migration is applied once, untimed, to an empty file: it must run.
      for (const tool of modelTools) {
        const entry = projects.get(tool.name)
        if (entry === undefined || byTool.get(tool.name)?.cells[generate]?.kind !== 'times')
          continue
        try {
          freshSqliteFile(entry.file)
          runSetup([entry.project.apply], `S8 ${tool.name} apply the generated migration`)
          tables(entry.file, 'm_', tableCount, 'the generated migration created')
        } catch (error) {
          const reason = error instanceof CommandError ? error.message : String(error)
          log(`S8 ${tool.name}: applying the generated migration FAILED ${reason}`)
          put(tool, generate, {
            kind: 'failed',
            reason: `applying the generated migration: ${reason}`.slice(0, 300),
          })
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }

    // aludel's rows first, the peers in catalog order, the floors last.
    const order = [...tools.filter((t) => t.role !== 'floor'), ...modelTools, ...tools]
    const rows: Row[] = [...new Set(order.map((t) => t.name))]
      .filter((name) => byTool.has(name))
      .map((name) => ({ tool: name, role: byTool.get(name)!.role, cells: byTool.get(name)!.cells }))
    return {
      id: 'S8',
      title: this.title,
      about: [
        `SQLite ${sqliteVersion()} files through Node's built-in \`node:sqlite\` (the driver aludel uses for \`sqlite:\` URLs, and the one behind the Kysely and drizzle-orm rows), each tool's own file in its project folder, with SQLite's default settings as every tool leaves them: a rollback journal and \`synchronous = FULL\`, so every commit waits for the disk.`,
        `"${noop}": a chain of ${count(size)} migrations, each creating \`t_i (id integer primary key, name text not null, created_at timestamp default CURRENT_TIMESTAMP)\` in the tool's own format, brought to head by the tool itself (untimed); then its \`upgrade head\` is timed with nothing to do, the tools taking turns (one run each per round). After every run the tool's record of applied migrations (aludel's version table and ledger, \`kysely_migration\`, \`__drizzle_migrations\`) must be as it was, and the ${count(size)} tables there.`,
        `"${apply}": the same migrations applied by one \`upgrade\` to a fresh file per run (the file deleted before it), which must then hold all ${count(size)} tables. Transaction layouts differ: aludel runs each migration in its own transaction by default, "aludel (one transaction)" is \`transactionPerMigration: false\`; Kysely's Migrator opens no transaction on SQLite (its SqliteAdapter declares no transactional DDL), so each CREATE TABLE and each row of its migration table commits on its own; drizzle-orm's migrator callback runs them all in one. The two node:sqlite floors run the same CREATE TABLE statements with no bookkeeping, one \`DatabaseSync.exec\` in one process, one per layout.`,
        `"${generate}": S4's model in a form SQLite can hold, the same ${count(tableCount)} tables of 10 columns, a primary key, 2 indexes and a foreign key each, except that the \`text[]\` column is a JSON list (SQLite has no arrays) and \`now()\` is \`CURRENT_TIMESTAMP\`; rendered as aludel's DSL and drizzle's sqlite-core. aludel \`revision --autogenerate\` compares the models with an empty file (fresh for every run); drizzle-kit \`generate\` compares them with its snapshot folder (removed between runs) and opens no database. Every run must write one migration creating all ${count(tableCount)} tables; the last one is then applied once, untimed, to an empty file (aludel \`upgrade head\`; drizzle's through the sqlite-proxy script of the drizzle-orm row), which must then hold them.`,
        `Not driven: Alembic (not yet on SQLite here) and node-pg-migrate (PostgreSQL only). A "—" is a case the tool has no command for, or is not measured in (aludel's one-transaction variant and the floors only apply).`,
      ],
      cases: [noop, apply, generate],
      rows,
      // No targets: S8 is a comparison, judged by the reader.
      targets: [],
      notes: [],
    }
  },
}
