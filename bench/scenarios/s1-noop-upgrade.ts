/**
 * S1: `upgrade head` with nothing to do — what every deploy and every start-up check pays — at
 * each size, for aludel (with and without its header cache) and every peer. Each tool gets its own
 * fresh database brought to head by the tool itself, untimed; then the no-ops are timed in
 * interleaved rounds.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { type Contender, log, measureInterleaved, runSetup } from '../lib/measure.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import {
  countWorkloadTables,
  databaseUrl,
  dropDatabase,
  freshDatabase,
  settle,
} from '../lib/postgres.ts'
import { type Cell, medianOf, type Row, type TargetResult } from '../lib/results.ts'
import { formatMs } from '../lib/stats.ts'
import { chain } from '../lib/workload.ts'
import { aludelTool, peerTools, slug } from '../tools/catalog.ts'
import { nodePgFloor } from '../tools/node-pg-floor.ts'
import type { MigrationTool } from '../tools/tool.ts'
import {
  count,
  fastestPeer,
  fractionOfFastestPeer,
  judged,
  ratioTarget,
  type Scenario,
} from './scenario.ts'

export const s1NoopUpgrade: Scenario = {
  id: 'S1',
  title: '`upgrade head` with nothing to do',
  async run(options) {
    const tools: MigrationTool[] = [
      aludelTool(),
      aludelTool({ headerCache: false }),
      ...peerTools().filter((t) => keeps(options, t)),
      nodePgFloor(),
    ]
    const cases = options.sizes.s1.map((n) => `${count(n)} migrations`)
    const cells = new Map<string, Record<string, Cell>>(tools.map((t) => [t.name, {}]))
    for (const [i, size] of options.sizes.s1.entries()) {
      const label = cases[i]!
      const plan = chain(size)
      // Every tool's database is brought to head first; the timed runs are then interleaved.
      const ready: { tool: MigrationTool; contender: Contender }[] = []
      const databases: string[] = []
      try {
        for (const tool of tools) {
          const reason = tool.unavailable()
          if (reason !== undefined) {
            cells.get(tool.name)![label] = { kind: 'n/a', reason }
            continue
          }
          const name = `s1_${slug(tool.name)}`
          const dir = emptyDir(join(WORK, 's1', slug(tool.name)))
          databases.push(name)
          const project = tool.writeProject(dir, await freshDatabase(name), plan)
          try {
            runSetup(project.setup, `S1 ${tool.name} ${label}`)
            const tables = await countWorkloadTables(databaseUrl(name))
            if (tables !== size) throw new Error(`set-up left ${tables} tables, expected ${size}`)
          } catch (error) {
            log(`S1 ${tool.name} ${label}: set-up FAILED ${String(error)}`)
            cells.get(tool.name)![label] = { kind: 'failed', reason: `set-up: ${String(error)}` }
            continue
          }
          ready.push({
            tool,
            contender: { label: `S1 ${tool.name} ${label}`, command: project.upgrade },
          })
        }
        await settle()
        const measured = await measureInterleaved(
          ready.map((r) => r.contender),
          options,
        )
        for (const { tool, contender } of ready) {
          cells.get(tool.name)![label] = measured.get(contender.label)!
        }
      } finally {
        for (const name of databases) await dropDatabase(name)
        rmSync(join(WORK, 's1'), { recursive: true, force: true })
      }
    }
    const rows: Row[] = tools.map((t) => ({
      tool: t.name,
      role: t.role,
      cells: cells.get(t.name)!,
    }))
    const targets: TargetResult[] = cases.map((label) =>
      fractionOfFastestPeer(
        'S1',
        rows,
        'aludel',
        label,
        0.5,
        `${label}: at most half the fastest peer`,
      ),
    )
    const first = cases[0]
    const last = cases.at(-1)
    if (first !== undefined && last !== undefined && first !== last) {
      const mine = cells.get('aludel')!
      targets.push(
        ratioTarget(
          'S1',
          `grows less than 2× from ${first} to ${last}`,
          { label: last, cell: mine[last] },
          { label: first, cell: mine[first] },
          2,
          true,
        ),
      )
    }
    return {
      id: 'S1',
      title: this.title,
      about: [
        `A chain of N migrations, each creating one table, applied by the tool itself to its own fresh database (untimed); then each tool's \`upgrade head\` is timed against its database, where there is nothing to do. The runs are interleaved (one run of every tool per round, a warm-up round first), so a disturbance on the machine lands on every tool alike.`,
        `"aludel (no header cache)" runs with \`ALUDEL_NO_CACHE=1\`: every migration file is read and hashed, as on the first run after a fresh checkout. It is shown for information; the targets use the default.`,
        `Set-up note: PostgreSQL cannot create 10,000 tables in one transaction (it runs out of lock slots, \`max_locks_per_transaction\` = 64), so the tools that use one transaction per run are brought to head in smaller transactions (Alembic \`transaction_per_migration\`, knex \`--disable-transactions\`, Kysely \`disableTransactions\`, node-pg-migrate \`--no-single-transaction\`, drizzle in prefixes of 1,000). Only the untimed set-up does this; the timed no-op is each tool's default.`,
      ],
      cases,
      rows,
      targets: judged(options, targets),
      notes: floorNotes(rows, cases),
    }
  },
}

/**
 * What the Node + pg floor leaves a tool: the floor as a fraction of the fastest peer (a target
 * below it cannot be met by any Node tool using pg), and aludel's own time above it.
 */
function floorNotes(rows: readonly Row[], cases: readonly string[]): string[] {
  const floor = rows.find((r) => r.role === 'floor')
  const mine = rows.find((r) => r.tool === 'aludel')
  const notes: string[] = []
  for (const label of cases) {
    const f = medianOf(floor?.cells[label])
    const a = medianOf(mine?.cells[label])
    const fastest = fastestPeer(rows, label)
    if (f === undefined || a === undefined || fastest === undefined) continue
    notes.push(
      `${label}: the Node + pg floor is ${formatMs(f)}, ${(f / fastest.median).toFixed(2)}× ${fastest.tool}; aludel's own work above it is ${formatMs(a - f)}.`,
    )
  }
  return notes
}
