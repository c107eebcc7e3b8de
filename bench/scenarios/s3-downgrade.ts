/**
 * S3: revert N migrations to base, for the tools that have downgrades (drizzle has none). Each
 * run gets a fresh database brought to head by the tool itself (untimed), then the downgrade is
 * timed and checked to have dropped every table.
 */
import { runSetup } from '../lib/measure.ts'
import { keeps } from '../lib/options.ts'
import { countWorkloadTables, databaseUrl, freshDatabase, settle } from '../lib/postgres.ts'
import { chain } from '../lib/workload.ts'
import { aludelTool, peerTools } from '../tools/catalog.ts'
import { psqlFloor } from '../tools/psql.ts'
import type { MigrationTool } from '../tools/tool.ts'
import { measureRoundRobin } from './round-robin.ts'
import { ONE_PER_MIGRATION_FLOOR, ONE_TRANSACTION_FLOOR } from './s2-apply.ts'
import { count, floorAndPeerTargets, judged, type Scenario } from './scenario.ts'

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
    const { rows, without } = await measureRoundRobin(
      'S3',
      tools,
      plan,
      label,
      options,
      (tool, project, db) =>
        project.downgrade === undefined
          ? undefined
          : {
              command: project.downgrade,
              before: async () => {
                await freshDatabase(db)
                runSetup(project.setup, `S3 ${tool.name}`)
                const tables = await countWorkloadTables(databaseUrl(db))
                if (tables !== size) {
                  throw new Error(`set-up left ${tables} tables, expected ${size}`)
                }
                await settle()
              },
              after: async () => {
                const tables = await countWorkloadTables(databaseUrl(db))
                if (tables !== 0) throw new Error(`${tables} tables remain after the downgrade`)
              },
            },
    )

    return {
      id: 'S3',
      title: `${this.title} (${count(size)} migrations)`,
      about: [
        `The ${count(size)} migrations of S2, applied by the tool itself to a fresh database before each run (untimed, in per-migration transactions where the tool allows it, for speed), then reverted by its \`downgrade base\` (knex \`migrate:rollback --all\`, node-pg-migrate \`down ${size}\`, Kysely \`migrateTo(NO_MIGRATIONS)\`).`,
        `Layouts as in S2: aludel one transaction per migration by default, every peer one transaction for the whole run. The psql floors drop the same tables with no bookkeeping, one transaction per table or one for all: what the database itself needs.`,
      ],
      cases: [label],
      rows,
      targets: judged(
        options,
        floorAndPeerTargets(
          'S3',
          rows,
          label,
          { perMigration: ONE_PER_MIGRATION_FLOOR, oneTransaction: ONE_TRANSACTION_FLOOR },
          1.2,
        ),
      ),
      notes: without.length > 0 ? [`No downgrades, so not measured: ${without.join(', ')}.`] : [],
    }
  },
}
