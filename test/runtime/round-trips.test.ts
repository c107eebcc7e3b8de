import { afterEach, describe, expect, it } from 'vitest'
import { configOf, scriptsOf, settingsOf } from '../../src/commands/command-context.ts'
import type { Connection } from '../../src/dialect/connection.ts'
import type { Dialect } from '../../src/dialect/dialect.ts'
import { openDialect } from '../../src/dialect/open-dialect.ts'
import { MigrationRunner } from '../../src/runtime/migration-runner.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject } from '../support/project.ts'

/**
 * A step of one statement costs one round trip: the statement travels with the step's version
 * change, ledger row, lock guard, COMMIT and the next step's BEGIN. Counted on the sessions a real
 * run opens (the database is real; only the calls are tallied).
 */
describe.each(backends())('round trips per step on $backend', ({ backend, skip }) => {
  const databases: TestDatabase[] = []
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.drop()))
  })

  /** The calls a run of `steps` one-statement migrations sends, on a fresh database. */
  async function callsFor(steps: number, stepsPerRoundTrip = 1): Promise<number> {
    const db = await createDatabase(backend)
    databases.push(db)
    const project = createProject(db.url)
    for (let i = 0; i < steps; i++) {
      project.writeMigration({
        revision: `r${String(i).padStart(5, '0')}`,
        down: i === 0 ? null : `r${String(i - 1).padStart(5, '0')}`,
        upgrade: `await op.execute('CREATE TABLE t${i} (id int)')`,
      })
    }
    const config = configOf(project.config)
    const opened = await openDialect(db.url, project.dir)
    let calls = 0
    const count = (connection: Connection): Connection => ({
      query: (sql, params) => {
        calls++
        return connection.query(sql, params)
      },
      execute: (sql) => {
        calls++
        return connection.execute(sql)
      },
      queryScript: (sql) => {
        calls++
        return connection.queryScript(sql)
      },
      lostReason: () => connection.lostReason(),
      close: () => connection.close(),
    })
    const dialect: Dialect = {
      ...opened,
      driver: {
        connect: async (purpose) => count(await opened.driver.connect(purpose)),
        close: () => opened.driver.close(),
      },
    }
    const scripts = scriptsOf(config)
    try {
      const settings = { ...settingsOf(config), stepsPerRoundTrip }
      const result = await new MigrationRunner(dialect, scripts, settings).run(
        'upgrade',
        'head',
        (heads) => scripts.map.planUpgrade(heads, scripts.map.resolve('head', heads), 'head'),
      )
      expect(result.steps).toHaveLength(steps)
    } finally {
      await dialect.driver.close()
    }
    const tables = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't%'",
    )
    expect(tables).toEqual([{ n: steps }])
    return calls
  }

  it.skipIf(skip)(
    'is one per step',
    async () => {
      const one = await callsFor(1)
      const eleven = await callsFor(11)
      expect(eleven - one).toBe(10)
    },
    120_000,
  )

  it.skipIf(skip)(
    'is one per script when steps travel together, as a fleet run sends them',
    async () => {
      const one = await callsFor(1, 32)
      // Eleven steps in one script, and in scripts of four: three.
      expect(await callsFor(11, 32)).toBe(one)
      expect(await callsFor(11, 4)).toBe(one + 2)
    },
    120_000,
  )
})
