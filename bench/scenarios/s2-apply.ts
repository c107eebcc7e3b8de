/**
 * S2: from an empty database, apply N migrations that each create a table; beside the tools, the
 * floor: the same DDL sent by `psql` in one session, in aludel's default transaction layout (one
 * per migration) and in the single-transaction layout of the peers. Every run gets a fresh
 * database and is checked to have created all N tables.
 */
import { keeps } from '../lib/options.ts'
import { countWorkloadTables, databaseUrl, freshDatabase, settle } from '../lib/postgres.ts'
import { chain } from '../lib/workload.ts'
import { aludelTool, peerTools } from '../tools/catalog.ts'
import { psqlFloor } from '../tools/psql.ts'
import type { MigrationTool } from '../tools/tool.ts'
import { measureRoundRobin } from './round-robin.ts'
import { count, floorAndPeerTargets, judged, type Scenario } from './scenario.ts'

export const ONE_PER_MIGRATION_FLOOR = 'psql floor (one transaction per migration)'
export const ONE_TRANSACTION_FLOOR = 'psql floor (one transaction)'

export const s2Apply: Scenario = {
  id: 'S2',
  title: 'apply migrations from empty',
  async run(options) {
    const size = options.sizes.s2
    const tools: MigrationTool[] = [
      aludelTool(),
      aludelTool({ transactionPerMigration: false }),
      ...peerTools().filter((t) => keeps(options, t)),
      psqlFloor('one per migration'),
      psqlFloor('one for the whole run'),
    ]
    const label = `${count(size)} migrations`
    const plan = chain(size)
    const { rows } = await measureRoundRobin(
      'S2',
      tools,
      plan,
      label,
      options,
      (_, project, db) => ({
        command: project.upgrade,
        before: async () => {
          await freshDatabase(db)
          await settle()
        },
        after: async () => {
          const tables = await countWorkloadTables(databaseUrl(db))
          if (tables !== size) throw new Error(`created ${tables} tables, expected ${size}`)
        },
      }),
    )

    return {
      id: 'S2',
      title: `${this.title} (${count(size)} migrations)`,
      about: [
        `A chain of ${count(size)} migrations, each \`CREATE TABLE t_i (id serial primary key, name text not null, created_at timestamptz default now())\` in the tool's own format, applied by one \`upgrade\` to a fresh, empty database per run. The tools take turns, one run each per round, so that the disk's slow spells fall on all of them alike.`,
        `Transaction layouts differ: aludel runs each migration in its own transaction by default (with its version-table update and ledger row); every peer applies the whole run in one transaction. "aludel (one transaction)" is aludel with \`transactionPerMigration: false\`, the peers' layout. The two psql floors send the same DDL with no bookkeeping in one session, one per layout; each aludel row is compared with the floor of its own layout.`,
      ],
      cases: [label],
      rows,
      targets: judged(
        options,
        floorAndPeerTargets(
          'S2',
          rows,
          label,
          { perMigration: ONE_PER_MIGRATION_FLOOR, oneTransaction: ONE_TRANSACTION_FLOOR },
          1.2,
        ),
      ),
      notes: [],
    }
  },
}
