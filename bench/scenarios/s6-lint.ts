/**
 * S6: `aludel lint`, aludel alone (no peer linter can be installed here; see the notes). By rule:
 * `lint --all` on N migration files written as a team writes them, beside the same process doing
 * no linting (`upgrade base:head --sql`, which imports and runs every file offline too). Measured:
 * `lint --trace` of P pending migrations against a database of T tables, beside plain
 * `upgrade head` of the same migrations on a fresh copy of that database.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { CYCLE, lintHistory, traceHistory } from '../lib/lint-workload.ts'
import { type Contender, measureInterleaved, runSetup } from '../lib/measure.ts'
import { emptyDir, WORK } from '../lib/paths.ts'
import {
  aludelVersions,
  countWorkloadTables,
  databaseUrl,
  dropDatabase,
  dropLeftScratch,
  freshDatabase,
  scratchDatabases,
  settle,
} from '../lib/postgres.ts'
import type { Cell, Row } from '../lib/results.ts'
import { type LintProject, writeLintProject } from '../tools/aludel.ts'
import { count, judged, type Scenario, underTarget } from './scenario.ts'

const LINT = 'aludel'
const FLOOR = 'aludel, no linting (floor)'

/** The database the traced project is configured with, and the floor's copy of it. */
const TRACED = 's6_trace'
const COPY = 's6_floor'

export const s6Lint: Scenario = {
  id: 'S6',
  title: '`aludel lint`',
  async run(options) {
    const { s6Files: files, s6Tables: tables, s6Pending: pending } = options.sizes
    const rules = `rules, ${count(files)} files`
    const traced = `trace, ${count(pending)} pending on ${count(tables)} tables`
    const cells: Record<string, Record<string, Cell>> = { [LINT]: {}, [FLOOR]: {} }
    const record = (label: string, measured: Map<string, Cell>, contenders: Contender[]) => {
      cells[LINT]![label] = measured.get(contenders[0]!.label)!
      cells[FLOOR]![label] = measured.get(contenders[1]!.label)!
    }
    try {
      const history = lintHistory(files)
      const project = writeLintProject(emptyDir(join(WORK, 's6', 'rules')), undefined, history)
      const contenders: Contender[] = [
        { label: `S6 aludel lint --all, ${rules}`, command: project.lintAll },
        { label: `S6 aludel upgrade base:head --sql, ${rules}`, command: project.offlineSql },
      ]
      record(rules, await measureInterleaved(contenders, options), contenders)

      const contendersTraced = await traceContenders(traced, tables, pending)
      record(traced, await measureInterleaved(contendersTraced, options), contendersTraced)
    } finally {
      await dropDatabase(TRACED)
      await dropDatabase(COPY)
      rmSync(join(WORK, 's6'), { recursive: true, force: true })
    }

    const rows: Row[] = [
      { tool: LINT, role: 'subject', cells: cells[LINT]! },
      { tool: FLOOR, role: 'floor', cells: cells[FLOOR]! },
    ]
    return {
      id: 'S6',
      title: this.title,
      about: [
        `aludel alone. The migrations are written as a team writes them (\`bench/lib/lint-workload.ts\`), in cycles of ${CYCLE}: a table of S4's model (10 columns of mixed types, a primary key, 2 indexes, a foreign key) is created, then changed nine times, a migration each: two columns added; an index built concurrently in a \`transactional = false\` file; a column and a foreign key \`NOT VALID\` added; the key validated; a backfill with \`op.execute\` (UPDATE); a column's type changed (varchar to text); an index built without CONCURRENTLY (which lint must flag, and the run is checked for it); a view and a comment created with \`op.execute\`; a check constraint \`NOT VALID\`. Every file has its downgrade.`,
        `"${rules}": \`aludel lint --all\` on ${count(files)} such files, with no database configured: it imports every file, runs each \`upgrade\` offline, parses every statement with libpg-query and applies the rules. Its floor is the same process doing no linting: \`aludel upgrade base:head --sql\` over the same files, which imports and runs every file offline too and prints the SQL script.`,
        `"${traced}": the first migrations create ${count(tables)} tables of S4's model (up to 100 a migration); the configured database is brought to that state by aludel (untimed), then ${count(pending)} pending migrations follow the same cycle on ${count(Math.ceil(pending / CYCLE))} of those tables (the cycle's first step changes \`parent_id\` to bigint instead of creating the table; 1 to 3 statements each). \`aludel lint --trace\` creates a scratch database on the same server, migrates it to the state before the pending migrations, applies those one statement at a time measuring locks, rewrites and scans, reads the sizes of the affected tables from the configured database, and drops the scratch database. Its floor is plain \`aludel upgrade head\` of the same ${count(pending)} migrations on a fresh copy of the configured database (\`CREATE DATABASE … TEMPLATE\`, untimed, before every run): only the DDL, where the trace also builds its scratch database from the first migrations and reads the catalog before and after every statement, so their ratio is large by nature; the target is on the trace's own time. The tables hold no rows: a trace builds its scratch schema from the migrations, so the configured database's rows would change only the sizes it reports.`,
        `Both pairs run interleaved (one run of each per round, after ${count(options.warmups)} warm-up round${options.warmups === 1 ? '' : 's'}). Lint runs with \`--fail-on never\` (the workload has errors on purpose, which would make it exit 1) and must print its summary line; a trace must not report \`trace-failed\`, must leave no scratch database behind and must leave the configured database where it was.`,
      ],
      cases: [rules, traced],
      rows,
      targets: judged(options, [
        underTarget('S6', `rules on ${count(files)} files under 1 s`, cells[LINT]![rules], 1000),
        underTarget(
          'S6',
          `trace of ${count(pending)} pending migrations on ${count(tables)} tables under 10 s`,
          cells[LINT]![traced],
          10_000,
        ),
      ]),
      notes: [
        `No peer column: no peer linter can be installed on this machine, which reaches only npm's and Debian's package registries. squawk is a native (Rust) binary, and its npm package, squawk-cli, downloads it when it is installed; strong_migrations is a Ruby gem (not packaged by Debian) that checks Rails migrations; Eugene is a native (Rust) binary too. None of them is measured, and nothing stands in for them.`,
      ],
    }
  },
}

/**
 * Writes the traced project, brings its database to the state before the pending migrations, and
 * returns the trace and its floor as contenders (the trace first).
 */
async function traceContenders(
  label: string,
  tables: number,
  pending: number,
): Promise<Contender[]> {
  const history = traceHistory(tables, pending)
  const before = history.migrations[history.applied - 1]!.revision
  const head = history.migrations.at(-1)!.revision
  const url = await freshDatabase(TRACED)
  const project: LintProject = writeLintProject(emptyDir(join(WORK, 's6', 'trace')), url, history)
  runSetup([project.setup], `S6 ${label}`)
  const made = await countWorkloadTables(url, 'm')
  if (made !== tables) throw new Error(`set-up left ${made} tables, expected ${tables}`)
  await settle()
  // Scratch databases a test suite beside the benchmark may hold; a trace must add none.
  const known = await scratchDatabases()
  const atVersion = async (target: string, revision: string) => {
    const versions = await aludelVersions(target)
    if (versions.join() !== revision) {
      throw new Error(`the database is at ${versions.join(', ') || 'base'}, expected ${revision}`)
    }
  }
  return [
    {
      label: `S6 aludel lint --trace, ${label}`,
      command: project.trace,
      before: settle,
      after: async () => {
        const left = await dropLeftScratch(known, 'm_00000')
        if (left.length > 0) throw new Error(`lint left its scratch database ${left.join(', ')}`)
        await atVersion(url, before)
      },
    },
    {
      label: `S6 aludel upgrade head, ${label}`,
      command: project.upgradeOn(databaseUrl(COPY)),
      before: async () => {
        await freshDatabase(COPY, { template: TRACED })
        await settle()
      },
      after: () => atVersion(databaseUrl(COPY), head),
    },
  ]
}
