/**
 * The loop S2 and S3 share: every tool gets its own project and database, then one command per
 * tool is timed in round-robin rounds (see {@link measureInterleaved}), each run on a database the
 * contender prepares; the databases are dropped at the end.
 */
import { join } from 'node:path'
import { type Contender, measureInterleaved } from '../lib/measure.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import { dropDatabase, freshDatabase } from '../lib/postgres.ts'
import type { Cell, Row } from '../lib/results.ts'
import type { MigrationPlan } from '../lib/workload.ts'
import { slug } from '../tools/catalog.ts'
import type { MigrationProject, MigrationTool } from '../tools/tool.ts'

/** What to time for one tool, on its database `database`; undefined when the tool cannot. */
export type ContenderFor = (
  tool: MigrationTool,
  project: MigrationProject,
  database: string,
) => Omit<Contender, 'label'> | undefined

export interface RoundRobinResult {
  /** One row per tool that was measured or is unavailable, in the order given. */
  readonly rows: Row[]
  /** Tools that cannot do what is timed (no downgrades, for S3). */
  readonly without: string[]
}

export async function measureRoundRobin(
  id: string,
  tools: readonly MigrationTool[],
  plan: MigrationPlan,
  label: string,
  options: { readonly warmups: number; readonly runs: number },
  contenderFor: ContenderFor,
): Promise<RoundRobinResult> {
  const cells = new Map<string, Cell>()
  const without: string[] = []
  const contenders: Contender[] = []
  const databases: string[] = []
  const lower = id.toLowerCase()
  try {
    for (const tool of tools) {
      const reason = tool.unavailable()
      if (reason !== undefined) {
        cells.set(tool.name, { kind: 'n/a', reason })
        continue
      }
      const database = `${lower}_${slug(tool.name)}`
      databases.push(database)
      const dir = emptyDir(join(WORK, lower, slug(tool.name)))
      const project = tool.writeProject(dir, await freshDatabase(database), plan)
      const contender = contenderFor(tool, project, database)
      if (contender === undefined) without.push(tool.name)
      else contenders.push({ ...contender, label: `${id} ${tool.name} ${label}` })
    }
    // Round-robin: the disk of a shared machine has slow spells, which must land on every tool
    // alike rather than on whichever was being measured at the time.
    const measured = await measureInterleaved(contenders, options)
    for (const tool of tools) {
      const cell = measured.get(`${id} ${tool.name} ${label}`)
      if (cell !== undefined) cells.set(tool.name, cell)
    }
  } finally {
    for (const database of databases) await dropDatabase(database)
  }
  const rows = tools
    .filter((tool) => cells.has(tool.name))
    .map((tool) => ({
      tool: tool.name,
      role: tool.role,
      cells: { [label]: cells.get(tool.name)! },
    }))
  return { rows, without }
}
