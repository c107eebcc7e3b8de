/**
 * S5: the graph commands, `heads` and `history`, on N revisions with branches and merges (aludel
 * and Alembic). Peers without merges get the same revisions as a straight line and their nearest
 * command, where they have one: knex `migrate:list`, Kysely `getMigrations()`.
 */
import { join } from 'node:path'
import { measure } from '../lib/measure.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import { dropDatabase, freshDatabase } from '../lib/postgres.ts'
import type { Cell, Row } from '../lib/results.ts'
import { GRAPH_BLOCK, graph, linearized } from '../lib/workload.ts'
import { aludelTool, peerTools, slug } from '../tools/catalog.ts'
import { count, judged, type Scenario, underTarget } from './scenario.ts'

export const s5Graph: Scenario = {
  id: 'S5',
  title: 'graph commands',
  async run(options) {
    const size = options.sizes.s5
    const plan = graph(size)
    const head = plan.migrations.at(-1)!.revision
    const cases = ['heads', 'history']
    const rows: Row[] = []
    const without: string[] = []
    for (const tool of [aludelTool(), ...peerTools().filter((t) => keeps(options, t))]) {
      const reason = tool.unavailable()
      if (reason !== undefined) {
        rows.push({
          tool: tool.name,
          role: tool.role,
          cells: { heads: { kind: 'n/a', reason }, history: { kind: 'n/a', reason } },
        })
        continue
      }
      const name = `s5_${slug(tool.name)}`
      const dir = emptyDir(join(WORK, 's5', slug(tool.name)))
      try {
        // Listing commands of knex and Kysely read the database (which migrations ran).
        const url = await freshDatabase(name)
        const project = tool.writeProject(dir, url, tool.merges ? plan : linearized(plan))
        if (project.graph === undefined) {
          without.push(tool.name)
          continue
        }
        const cells: Record<string, Cell> = {}
        for (const { label, command } of project.graph) {
          const column = label.startsWith('heads') ? 'heads' : 'history'
          cells[column] = await measure(
            // Both heads and history must name the single head; a listing must run at all.
            tool.merges ? { ...command, expectOutput: new RegExp(head) } : command,
            { warmups: options.warmups, runs: options.runs, label: `S5 ${tool.name} ${label}` },
          )
        }
        if (cells.heads === undefined) cells.heads = { kind: 'n/a', reason: 'no heads command' }
        rows.push({ tool: `${tool.name}${tool.merges ? '' : ' (a line)'}`, role: tool.role, cells })
      } finally {
        await dropDatabase(name)
      }
    }
    const mine = rows.find((r) => r.tool === 'aludel')?.cells
    return {
      id: 'S5',
      title: `${this.title} (${count(size)} revisions)`,
      about: [
        `${count(size)} revisions in blocks of ${GRAPH_BLOCK}: a fork revision, two branches of four revisions on it, and a merge of the two; each block builds on the previous merge (${count(size / GRAPH_BLOCK)} branch points, ${count(size / GRAPH_BLOCK)} merges, one head). Only aludel and Alembic have merges and graph commands; both run \`heads\` and \`history\` without a database.`,
        `knex and Kysely have no merges: they get the same ${count(size)} migrations as a straight line, and their listing (knex \`migrate:list\`, Kysely \`getMigrations()\`, which also read the database) stands in the history column, for scale only.`,
      ],
      cases,
      rows,
      targets: judged(options, [
        underTarget('S5', `heads under 0.3 s at ${count(size)} revisions`, mine?.heads, 300),
        underTarget('S5', `history under 0.3 s at ${count(size)} revisions`, mine?.history, 300),
      ]),
      notes:
        without.length > 0
          ? [`No graph or listing command, so not measured: ${without.join(', ')}.`]
          : [],
    }
  },
}
