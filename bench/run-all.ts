/**
 * `npm run bench`: aludel against its peers on the local PostgreSQL (and, in S8, on SQLite
 * files; in S9, on the local MariaDB), scenario by scenario, and the report in bench/RESULTS.md. See bench/README.md for what each scenario measures and
 * `--help` for the flags (`--smoke` is the quick version CI runs).
 *
 * Each scenario's results are also stored in bench/.work/reports/, so that `--only S3` re-measures
 * one scenario and rewrites the report with the others' latest results.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeEnvironment } from './lib/environment.ts'
import { log } from './lib/measure.ts'
import { dropMysqlLeftovers } from './lib/mysql.ts'
import { parseOptions } from './lib/options.ts'
import { WORK, write } from './lib/paths.ts'
import { dropLeftovers } from './lib/postgres.ts'
import { quietStats, setQuietWait } from './lib/quiet.ts'
import type { ScenarioReport } from './lib/results.ts'
import { ensureAlembic, ensureAludelBuilt, snapshotAludel } from './lib/setup.ts'
import { formatMs } from './lib/stats.ts'
import {
  type KeptSection,
  keptSection,
  type ToolDescription,
  writeResults,
} from './lib/write-results.ts'
import { s1NoopUpgrade } from './scenarios/s1-noop-upgrade.ts'
import { s2Apply } from './scenarios/s2-apply.ts'
import { s3Downgrade } from './scenarios/s3-downgrade.ts'
import { s4Autogenerate } from './scenarios/s4-autogenerate.ts'
import { s5Graph } from './scenarios/s5-graph.ts'
import { s6Lint } from './scenarios/s6-lint.ts'
import { s7Pull } from './scenarios/s7-pull.ts'
import { s8Sqlite } from './scenarios/s8-sqlite.ts'
import { s9Mariadb } from './scenarios/s9-mariadb.ts'
import type { Scenario } from './scenarios/scenario.ts'
import { LINT_DRIVEN } from './tools/aludel.ts'
import {
  aludelTool,
  modelTools,
  mysqlModelTools,
  mysqlTools,
  peerTools,
  pullTools,
  sqliteModelTools,
  sqliteTools,
} from './tools/catalog.ts'
import { psqlFloor } from './tools/psql.ts'

const SCENARIOS: readonly Scenario[] = [
  s1NoopUpgrade,
  s2Apply,
  s3Downgrade,
  s4Autogenerate,
  s5Graph,
  s6Lint,
  s7Pull,
  s8Sqlite,
  s9Mariadb,
]

const argv = process.argv.slice(2)
const options = parseOptions(argv)
const started = performance.now()
if (options.smoke) setQuietWait(5_000)
if (options.quietWaitMs !== undefined) setQuietWait(options.quietWaitMs)

ensureAludelBuilt()
snapshotAludel()
ensureAlembic()
await dropLeftovers()
await dropMysqlLeftovers()
const environment = await describeEnvironment()

const stored = join(WORK, 'reports', options.smoke ? 'smoke' : 'full')
const reports: (ScenarioReport | KeptSection)[] = []
for (const scenario of SCENARIOS) {
  const file = join(stored, `${scenario.id}.json`)
  if (!options.only.has(scenario.id)) {
    // Not selected: keep its latest stored result, or else its section of the report being
    // replaced (a fresh checkout stores none), so the report stays whole.
    if (existsSync(file)) reports.push(JSON.parse(readFileSync(file, 'utf8')) as ScenarioReport)
    else {
      const kept = keptSection(options.out, scenario.id)
      if (kept !== undefined) reports.push(kept)
    }
    continue
  }
  log(`${scenario.id}: ${scenario.title}`)
  const start = performance.now()
  const report: ScenarioReport = {
    ...(await scenario.run(options)),
    measuredAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    elapsedMs: performance.now() - start,
  }
  write(file, JSON.stringify(report, null, 2))
  reports.push(report)
  log(`${scenario.id} done in ${formatMs(report.elapsedMs ?? 0)}`)
}

const tools: ToolDescription[] = [
  aludelTool(),
  aludelTool({ transactionPerMigration: false }),
  aludelTool({ headerCache: false }),
  ...peerTools(),
  psqlFloor('one per migration'),
  psqlFloor('one for the whole run'),
].map((t) => ({ name: t.name, layout: t.layout, driven: t.driven }))
for (const t of modelTools()) tools.push({ name: `${t.name} (S4)`, driven: t.driven })
tools.push({ name: 'aludel (S6)', driven: LINT_DRIVEN })
for (const t of pullTools()) tools.push({ name: `${t.name} (S7)`, driven: t.driven })
for (const t of sqliteTools()) {
  tools.push({ name: `${t.name} (S8)`, layout: t.layout, driven: t.driven })
}
for (const t of sqliteModelTools())
  tools.push({ name: `${t.name} (S8 autogenerate)`, driven: t.driven })
for (const t of mysqlTools()) {
  tools.push({ name: `${t.name} (S9)`, layout: t.layout, driven: t.driven })
}
for (const t of mysqlModelTools())
  tools.push({ name: `${t.name} (S9 autogenerate)`, driven: t.driven })

writeResults({ options, argv, environment, scenarios: reports, tools, quiet: quietStats() })
log(`wrote ${options.out} in ${formatMs(performance.now() - started)}`)
const failed = reports.flatMap((r) =>
  'kept' in r
    ? []
    : r.rows.flatMap((row) => Object.values(row.cells).filter((c) => c.kind === 'failed')),
)
if (failed.length > 0) {
  log(`${failed.length} measurement(s) failed; see the report`)
  process.exitCode = 1
}
