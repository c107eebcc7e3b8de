/**
 * S3: revert N migrations to base, for the tools that have downgrades (drizzle has none). Each
 * run gets a fresh database brought to head by the tool itself (untimed), then the downgrade is
 * timed and checked to have dropped every table.
 */
import { join } from 'node:path'
import { type Contender, measureInterleaved, runSetup } from '../lib/measure.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import {
  countWorkloadTables,
  databaseUrl,
  dropDatabase,
  freshDatabase,
  settle,
} from '../lib/postgres.ts'
import type { Cell, Row } from '../lib/results.ts'
import { chain } from '../lib/workload.ts'
import { aludelTool, peerTools, slug } from '../tools/catalog.ts'
import { psqlFloor } from '../tools/psql.ts'
import type { MigrationTool } from '../tools/tool.ts'
import { count, fractionOfFastestPeer, judged, type Scenario } from './scenario.ts'

export const s3Downgrade: Scenario = {
  id: 'S3',
  title: 'downgrade to base',
  async run(options) {
    const size = options.sizes.s3
    const label = `${count(size)} migrations`
    const plan = chain(size)
    const tools: MigrationTool[] = [
      aludelTool(),
      aludelTool({ transactionPerMigration: false }),
      ...peerTools().filter((t) => keeps(options, t)),
      psqlFloor('one per migration'),
      psqlFloor('one for the whole run'),
    ]
    const cells = new Map<string, Cell>()
    const without: string[] = []
    const contenders: Contender[] = []
    const databases: string[] = []
    try {
      for (const tool of tools) {
        const reason = tool.unavailable()
        if (reason !== undefined) {
          cells.set(tool.name, { kind: 'n/a', reason })
          continue
        }
        const name = `s3_${slug(tool.name)}`
        const dir = emptyDir(join(WORK, 's3', slug(tool.name)))
        databases.push(name)
        const project = tool.writeProject(dir, await freshDatabase(name), plan)
        if (project.downgrade === undefined) {
          without.push(tool.name)
          continue
        }
        contenders.push({
          label: `S3 ${tool.name} ${label}`,
          command: project.downgrade,
          before: async () => {
            await freshDatabase(name)
            runSetup(project.setup, `S3 ${tool.name}`)
            const tables = await countWorkloadTables(databaseUrl(name))
            if (tables !== size) throw new Error(`set-up left ${tables} tables, expected ${size}`)
            await settle()
          },
          after: async () => {
            const tables = await countWorkloadTables(databaseUrl(name))
            if (tables !== 0) throw new Error(`${tables} tables remain after the downgrade`)
          },
        })
      }
      // Round-robin, as in S2: slow spells of the disk fall on every tool alike.
      const measured = await measureInterleaved(contenders, options)
      for (const tool of tools) {
        const cell = measured.get(`S3 ${tool.name} ${label}`)
        if (cell !== undefined) cells.set(tool.name, cell)
      }
    } finally {
      for (const name of databases) await dropDatabase(name)
    }
    const rows: Row[] = tools
      .filter((tool) => cells.has(tool.name))
      .map((tool) => ({
        tool: tool.name,
        role: tool.role,
        cells: { [label]: cells.get(tool.name)! },
      }))

    return {
      id: 'S3',
      title: `${this.title} (${count(size)} migrations)`,
      about: [
        `The ${count(size)} migrations of S2, applied by the tool itself to a fresh database before each run (untimed, in per-migration transactions where the tool allows it, for speed), then reverted by its \`downgrade base\` (knex \`migrate:rollback --all\`, node-pg-migrate \`down ${size}\`, Kysely \`migrateTo(NO_MIGRATIONS)\`).`,
        `Layouts as in S2: aludel one transaction per migration by default, every peer one transaction for the whole run. The psql floors drop the same tables with no bookkeeping, one transaction per table or one for all: what the database itself needs.`,
      ],
      cases: [label],
      rows,
      targets: judged(options, [
        fractionOfFastestPeer('S3', rows, 'aludel', label, 0.5, 'at most half the fastest peer'),
      ]),
      notes: without.length > 0 ? [`No downgrades, so not measured: ${without.join(', ')}.`] : [],
    }
  },
}
