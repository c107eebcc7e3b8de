/**
 * S4: autogenerate the initial migration for a model of N tables, and a no-change check against
 * a database that already matches it, for the tools that autogenerate (aludel, Alembic,
 * drizzle-kit); then aludel alone on a larger model.
 */
import { join } from 'node:path'
import { measure, runSetup } from '../lib/measure.ts'
import { modelTables } from '../lib/model.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import { dropDatabase, freshDatabase, settle } from '../lib/postgres.ts'
import type { Cell, Row, TargetResult } from '../lib/results.ts'
import { modelTools, slug } from '../tools/catalog.ts'
import type { ModelTool } from '../tools/tool.ts'
import { count, judged, ratioTarget, type Scenario, underTarget } from './scenario.ts'

export const s4Autogenerate: Scenario = {
  id: 'S4',
  title: 'autogenerate and check',
  async run(options) {
    const { s4: size, s4Large: large } = options.sizes
    const generate = (n: number) => `autogenerate, ${count(n)} tables`
    const check = (n: number) => `check, ${count(n)} tables`
    const cases = [generate(size), check(size), generate(large), check(large)]
    const rows: Row[] = []
    for (const tool of modelTools().filter((t) => keeps(options, t))) {
      const cells: Record<string, Cell> = {}
      const sizes = tool.role === 'subject' ? [size, large] : [size]
      for (const n of sizes) {
        Object.assign(cells, await autogenerateAndCheck(tool, n, generate(n), check(n)))
      }
      rows.push({ tool: tool.name, role: tool.role, cells })
    }

    async function autogenerateAndCheck(
      tool: ModelTool,
      n: number,
      generateLabel: string,
      checkLabel: string,
    ): Promise<Record<string, Cell>> {
      const reason = tool.unavailable()
      if (reason !== undefined) {
        return { [generateLabel]: { kind: 'n/a', reason }, [checkLabel]: { kind: 'n/a', reason } }
      }
      const name = `s4_${slug(tool.name)}`
      const dir = emptyDir(join(WORK, 's4', `${slug(tool.name)}_${n}`))
      try {
        const project = tool.writeModels(dir, await freshDatabase(name), modelTables(n))
        const generated = await measure(project.autogenerate, {
          warmups: options.warmups,
          runs: options.runs,
          label: `S4 ${tool.name} ${generateLabel}`,
          before: async () => {
            project.resetAutogenerate()
            await freshDatabase(name)
            await settle()
          },
        })
        if (generated.kind !== 'times') return { [generateLabel]: generated }
        // The migration the last run wrote is applied once; the check runs against the result.
        try {
          runSetup(project.apply, `S4 ${tool.name} apply the generated migration`)
          await settle()
        } catch (error) {
          return {
            [generateLabel]: generated,
            [checkLabel]: { kind: 'failed', reason: `applying the generated migration: ${error}` },
          }
        }
        const checked = await measure(project.check, {
          warmups: options.warmups,
          runs: options.runs,
          label: `S4 ${tool.name} ${checkLabel}`,
          before: () => project.resetCheck(),
        })
        project.resetCheck()
        return { [generateLabel]: generated, [checkLabel]: checked }
      } finally {
        await dropDatabase(name)
      }
    }

    const cell = (tool: string, label: string) => rows.find((r) => r.tool === tool)?.cells[label]
    const targets: TargetResult[] = [generate(size), check(size)].map((label) =>
      ratioTarget(
        'S4',
        `${label}: at most a fifth of Alembic's time`,
        { label: 'aludel', cell: cell('aludel', label) },
        { label: 'Alembic', cell: cell('Alembic', label) },
        0.2,
      ),
    )
    for (const label of [generate(large), check(large)]) {
      targets.push(
        underTarget('S4', `${label}: under 2 s with Node start-up`, cell('aludel', label), 2000),
      )
    }
    return {
      id: 'S4',
      title: this.title,
      about: [
        `One model description rendered as aludel's DSL, SQLAlchemy Core tables and drizzle's pg-core: N tables of 10 columns (serial, integer, varchar(100), text, numeric(10,2), boolean, timestamptz, jsonb, text[], uuid; 5 defaults, 5 NOT NULL), a primary key, 2 indexes (a 2-column one and a 1-column one) and a foreign key each, to table ⌊(i−1)/2⌋ (a tree of references: SQLAlchemy reflects referenced tables recursively and overflows Python's recursion limit on a 300-deep chain).`,
        `"autogenerate" writes the initial migration against an empty database (a fresh one per run; the generated file is removed between runs). The last run's migration is then applied, and "check" compares the models with that database, which must report no change. The ${count(large)}-table columns are aludel alone.`,
        `What each tool runs: aludel \`revision --autogenerate\` and \`check\`; Alembic \`revision --autogenerate\` for both (Alembic 1.8 from Debian predates \`alembic check\`, so its check also renders an empty revision file, which is removed between runs; the output must not contain "Detected"); drizzle-kit \`generate\` (which compares with its own snapshot files and never reads the database) and \`push\` as its check against the live database (drizzle-kit has no read-only one), which must print "No changes detected".`,
      ],
      cases,
      rows,
      targets: judged(options, targets),
      notes: [],
    }
  },
}
