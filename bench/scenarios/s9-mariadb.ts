/**
 * S9: aludel on MariaDB (its `mysql://` dialect, through mysql2), beside the Node peers that
 * support MySQL: `upgrade head` with nothing to do, applying migrations to an empty database, and
 * autogenerate of a model (aludel against an empty database, drizzle-kit from its snapshot
 * folder). Each tool gets its own database on the server: brought to head by the tool itself for
 * the no-op, fresh for every run otherwise. Every run is checked as in S8. Skipped, with the
 * reason, when no server answers.
 *
 * After the timed runs, each migration runner applies the migrations once more (untimed) with the
 * server's general log on, and the report counts what it sent: connections, round trips (one
 * logged command each; a multi-statement script is one) and their kinds.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { CommandError, runTimed } from '../lib/command.ts'
import { type Contender, log, measureInterleaved, runSetup } from '../lib/measure.ts'
import { mysqlModelTables } from '../lib/model.ts'
import {
  countMysqlTables,
  dropMysqlDatabase,
  freshMysqlDatabase,
  MYSQL_ADMIN_URL,
  mysqlDurability,
  mysqlQuery,
  mysqlServerVersion,
  mysqlUnavailable,
} from '../lib/mysql.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import type { Cell, Row } from '../lib/results.ts'
import { chain } from '../lib/workload.ts'
import { mysqlModelTools, mysqlTools, slug } from '../tools/catalog.ts'
import type { MysqlMigrationTool, MysqlModelProject, Role } from '../tools/tool.ts'
import { count, type Scenario } from './scenario.ts'

/** What the interleaved cases need of a tool. */
interface Named {
  readonly name: string
  readonly role: Role
  unavailable(): string | undefined
}

export const s9Mariadb: Scenario = {
  id: 'S9',
  title: 'MariaDB: no-op upgrade, apply, autogenerate',
  async run(options) {
    const { s9: size, s9Tables: tableCount } = options.sizes
    const noop = `no-op upgrade, ${count(size)} migrations`
    const apply = `apply ${count(size)} migrations`
    const generate = `autogenerate, ${count(tableCount)} tables`
    const tools = mysqlTools().filter((t) => keeps(options, t))
    const modelTools = mysqlModelTools().filter((t) => keeps(options, t))
    const plan = chain(size)
    const root = join(WORK, 's9')
    const byTool = new Map<string, { role: Role; cells: Record<string, Cell> }>()
    const put = (tool: Named, label: string, cell: Cell) => {
      const row = byTool.get(tool.name) ?? { role: tool.role, cells: {} }
      row.cells[label] = cell
      byTool.set(tool.name, row)
    }
    const rowsOf = (): Row[] => {
      // aludel's rows first, the peers in catalog order, the floor last.
      const order = [...tools.filter((t) => t.role !== 'floor'), ...modelTools, ...tools]
      return [...new Set(order.map((t) => t.name))]
        .filter((name) => byTool.has(name))
        .map((name) => ({
          tool: name,
          role: byTool.get(name)!.role,
          cells: byTool.get(name)!.cells,
        }))
    }
    const databases = new Set<string>()
    /** A fresh database for `tool` in case `key`; its URL. */
    const fresh = async (key: string, tool: Named) => {
      const name = `s9_${key}_${slug(tool.name)}`
      databases.add(name)
      return freshMysqlDatabase(name)
    }

    const unreachable = await mysqlUnavailable()
    if (unreachable !== undefined) {
      log(`S9 skipped: ${unreachable}`)
      const noopTools = tools.filter((t) => t.role === 'peer' || t.name === 'aludel')
      for (const t of noopTools) put(t, noop, { kind: 'n/a', reason: `skipped: ${unreachable}` })
      for (const t of tools) put(t, apply, { kind: 'n/a', reason: `skipped: ${unreachable}` })
      for (const t of modelTools)
        put(t, generate, { kind: 'n/a', reason: `skipped: ${unreachable}` })
      return {
        id: 'S9',
        title: this.title,
        about: [`Skipped: ${unreachable}.`],
        cases: [noop, apply, generate],
        rows: rowsOf(),
        targets: [],
        notes: [],
      }
    }
    const server = await mysqlServerVersion()
    const durability = await mysqlDurability()

    /**
     * Prepares every available tool (untimed; a throw is its `failed` cell), then times them
     * round-robin, as S1, S2 and S8 do, and stores the cells under `label`.
     */
    async function interleaved<T extends Named>(
      list: readonly T[],
      label: string,
      key: string,
      prepare: (tool: T, dir: string, url: string) => Promise<Omit<Contender, 'label'>>,
    ): Promise<void> {
      const contenders: { tool: T; contender: Contender }[] = []
      for (const tool of list) {
        const reason = tool.unavailable()
        if (reason !== undefined) {
          put(tool, label, { kind: 'n/a', reason })
          continue
        }
        const dir = emptyDir(join(root, key, slug(tool.name)))
        try {
          const contender = {
            ...(await prepare(tool, dir, await fresh(key, tool))),
            label: `S9 ${tool.name} ${label}`,
          }
          contenders.push({ tool, contender })
        } catch (error) {
          const reason = error instanceof CommandError ? error.message : String(error)
          log(`S9 ${tool.name} ${label}: set-up FAILED ${reason}`)
          put(tool, label, { kind: 'failed', reason: `set-up: ${reason}`.slice(0, 300) })
        }
      }
      const measured = await measureInterleaved(
        contenders.map((c) => c.contender),
        options,
      )
      for (const { tool, contender } of contenders) put(tool, label, measured.get(contender.label)!)
    }

    const tables = async (url: string, prefix: string, expected: number, what: string) => {
      const n = await countMysqlTables(url, prefix)
      if (n !== expected) throw new Error(`${what} ${n} tables, expected ${expected}`)
    }
    const version = async (url: string, tool: MysqlMigrationTool) =>
      JSON.stringify(await mysqlQuery(url, tool.versionQuery))

    let traffic: string[] = []
    try {
      // 1. `upgrade head` with nothing to do: aludel (its default) and the peers.
      await interleaved(
        tools.filter((t) => t.role === 'peer' || t.name === 'aludel'),
        noop,
        'noop',
        async (tool, dir, url) => {
          const project = tool.writeProject(dir, url, plan)
          runSetup([project.upgrade], `S9 ${tool.name} ${noop}`)
          await tables(url, 't_', size, 'set-up left')
          const before = await version(url, tool)
          return {
            command: project.upgrade,
            after: async () => {
              const now = await version(url, tool)
              if (now !== before) throw new Error(`the no-op changed ${before} to ${now}`)
              await tables(url, 't_', size, 'the no-op left')
            },
          }
        },
      )

      // 2. Apply every migration to a fresh database: aludel in both layouts, the peers, the floor.
      const upgrades = new Map<string, Contender['command']>()
      await interleaved(tools, apply, 'apply', async (tool, dir, url) => {
        const project = tool.writeProject(dir, url, plan)
        const name = `s9_apply_${slug(tool.name)}`
        upgrades.set(tool.name, project.upgrade)
        return {
          command: project.upgrade,
          before: async () => {
            await freshMysqlDatabase(name)
          },
          after: () => tables(url, 't_', size, 'created'),
        }
      })

      // What each runner sends to apply the migrations: once more, untimed, with the general log.
      traffic = await countTraffic(
        tools.filter((t) => byTool.get(t.name)?.cells[apply]?.kind === 'times'),
        (t) => upgrades.get(t.name)!,
        size,
        (t) => freshMysqlDatabase(`s9_apply_${slug(t.name)}`),
      )

      // 3. Autogenerate the initial migration of the model.
      const projects = new Map<string, { project: MysqlModelProject; url: string; name: string }>()
      await interleaved(modelTools, generate, 'generate', async (tool, dir, url) => {
        const project = tool.writeModels(dir, url, mysqlModelTables(tableCount))
        const name = `s9_generate_${slug(tool.name)}`
        projects.set(tool.name, { project, url, name })
        return {
          command: project.autogenerate,
          before: async () => {
            project.reset()
            await freshMysqlDatabase(name)
          },
          after: () => project.checkWritten(tableCount),
        }
      })
      // The last run's migration is applied once, untimed, to an empty database: it must run.
      for (const tool of modelTools) {
        const entry = projects.get(tool.name)
        if (entry === undefined || byTool.get(tool.name)?.cells[generate]?.kind !== 'times')
          continue
        try {
          await freshMysqlDatabase(entry.name)
          runSetup([entry.project.apply], `S9 ${tool.name} apply the generated migration`)
          await tables(entry.url, 'm_', tableCount, 'the generated migration created')
        } catch (error) {
          const reason = error instanceof CommandError ? error.message : String(error)
          log(`S9 ${tool.name}: applying the generated migration FAILED ${reason}`)
          put(tool, generate, {
            kind: 'failed',
            reason: `applying the generated migration: ${reason}`.slice(0, 300),
          })
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
      for (const name of databases) await dropMysqlDatabase(name)
    }

    return {
      id: 'S9',
      title: this.title,
      about: [
        `${server} at ${new URL(MYSQL_ADMIN_URL).host} with its Debian package's settings (${durability}): every DDL statement commits on its own, and every commit waits for InnoDB's log to reach the disk. Every tool connects through mysql2 (aludel with a \`mysql://\` URL; knex's \`mysql2\` client; Kysely's \`MysqlDialect\` over a mysql2 pool; drizzle-orm's \`mysql2\` driver; \`drizzle-kit migrate\`, which opens mysql2 itself), each on its own database on the server, created for it and dropped after.`,
        `"${noop}": a chain of ${count(size)} migrations, each creating \`t_i (id int AUTO_INCREMENT PRIMARY KEY, name text NOT NULL, created_at timestamp DEFAULT CURRENT_TIMESTAMP)\` in the tool's own format, brought to head by the tool itself (untimed); then its \`upgrade head\` is timed with nothing to do, the tools taking turns (one run each per round). After every run the tool's record of applied migrations (aludel's version table and ledger, \`knex_migrations\`, \`kysely_migration\`, \`__drizzle_migrations\`) must be as it was, and the ${count(size)} tables there.`,
        `"${apply}": the same migrations applied by one \`upgrade\` to a fresh database per run (dropped and created before it), which must then hold all ${count(size)} tables. MySQL commits each DDL statement implicitly, so no tool can group CREATE TABLEs into a transaction: aludel (either setting of \`transactionPerMigration\`) records its progress statement by statement so that an interrupted run resumes where it stopped; knex and drizzle open a transaction for their bookkeeping that each CREATE TABLE commits; Kysely's Migrator opens none (its MysqlAdapter declares no transactional DDL) and holds a \`GET_LOCK\` instead. The floor sends the same CREATE TABLE statements in a plain mysql2 loop, one \`query()\` each, with no bookkeeping.`,
        `"${generate}": S4's model in a form MariaDB and MySQL can hold, the same ${count(tableCount)} tables of 10 columns, a primary key, 2 indexes and a foreign key each, except that the \`text[]\` and \`jsonb\` columns are \`json\`, the indexed \`email\` column is a \`varchar(100)\` (MySQL indexes \`text\` only by a prefix), \`uuid\` is \`char(36)\` and \`now()\` is \`CURRENT_TIMESTAMP\`; rendered as aludel's DSL and drizzle's mysql-core. aludel \`revision --autogenerate\` compares the models with an empty database (fresh for every run); drizzle-kit \`generate\` compares them with its snapshot folder (removed between runs) and opens no database. Every run must write one migration creating all ${count(tableCount)} tables; the last one is then applied once, untimed, to an empty database (aludel \`upgrade head\`; drizzle's by the drizzle-orm \`migrate()\` script), which must then hold them.`,
        `Not driven: Alembic (no Python MySQL driver is installed here) and node-pg-migrate (PostgreSQL only). A "—" is a case the tool has no command for, or is not measured in (aludel's one-transaction variant and the floor only apply).`,
      ],
      cases: [noop, apply, generate],
      rows: rowsOf(),
      // No targets: S9 is a comparison, judged by the reader.
      targets: [],
      notes: traffic,
    }
  },
}

/**
 * Runs each tool's `upgrade` once more on a fresh database, untimed, with the server's general
 * log written to `mysql.general_log`, and returns a Markdown table of what each sent: connections,
 * round trips (commands logged: a multi-statement script is one) and the kinds of its queries (the
 * first word of each). Only the sessions connected to the tool's own database are counted, so a
 * test suite using the server meanwhile is not. The log settings are restored after.
 */
async function countTraffic(
  tools: readonly MysqlMigrationTool[],
  upgradeOf: (tool: MysqlMigrationTool) => Contender['command'],
  size: number,
  freshFor: (tool: MysqlMigrationTool) => Promise<string>,
): Promise<string[]> {
  if (tools.length === 0) return []
  const [settings] = await mysqlQuery<{ output: string; on: number }>(
    MYSQL_ADMIN_URL,
    'SELECT @@global.log_output AS output, @@global.general_log AS `on`',
  )
  const lines: string[] = []
  try {
    await mysqlQuery(MYSQL_ADMIN_URL, "SET GLOBAL log_output = 'TABLE'")
    for (const tool of tools) {
      const url = await freshFor(tool)
      const database = decodeURIComponent(new URL(url).pathname.slice(1))
      await mysqlQuery(MYSQL_ADMIN_URL, 'TRUNCATE TABLE mysql.general_log')
      await mysqlQuery(MYSQL_ADMIN_URL, 'SET GLOBAL general_log = 1')
      try {
        runTimed(upgradeOf(tool))
      } finally {
        await mysqlQuery(MYSQL_ADMIN_URL, 'SET GLOBAL general_log = 0')
      }
      const rows = await mysqlQuery<{ thread_id: number; command_type: string; argument: string }>(
        MYSQL_ADMIN_URL,
        `SELECT thread_id, command_type, CONVERT(argument USING utf8mb4) AS argument FROM mysql.general_log WHERE thread_id IN (SELECT thread_id FROM mysql.general_log WHERE command_type = 'Connect' AND CONVERT(argument USING utf8mb4) LIKE '% on ${database} %') ORDER BY event_time`,
      )
      const connections = rows.filter((r) => r.command_type === 'Connect').length
      const trips = rows.filter((r) => r.command_type !== 'Connect' && r.command_type !== 'Quit')
      const kinds = new Map<string, number>()
      for (const r of trips) {
        const word =
          r.command_type === 'Query'
            ? (/^\s*(?:\/\*.*?\*\/\s*)?(\w+)/s.exec(r.argument)?.[1]?.toUpperCase() ?? '?')
            : r.command_type
        kinds.set(word, (kinds.get(word) ?? 0) + 1)
      }
      const shown = [...kinds]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${count(n)}`)
        .join(', ')
      lines.push(
        `| ${tool.name} | ${connections} | ${count(trips.length)} | ${(trips.length / size).toFixed(1)} | ${shown} |`,
      )
    }
  } catch (error) {
    return [`The round trips could not be counted: ${String(error).slice(0, 200)}.`]
  } finally {
    await mysqlQuery(
      MYSQL_ADMIN_URL,
      `SET GLOBAL general_log = ${settings?.on ? 1 : 0}; SET GLOBAL log_output = '${settings?.output ?? 'FILE'}'; TRUNCATE TABLE mysql.general_log`,
    )
  }
  return [
    `What each applies ${count(size)} migrations with, counted from the server's general log on one more run (untimed, on a fresh database): sessions opened, round trips (commands the server logged; a multi-statement script is one), and their kinds (a query's first word; a script counts under its first statement's).`,
    [
      '| tool | connections | round trips | per migration | kinds |',
      '| --- | ---: | ---: | ---: | --- |',
      ...lines,
    ].join('\n'),
  ]
}
