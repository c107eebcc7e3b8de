import { afterEach, describe, expect, it } from 'vitest'
import { checkModels, downgrade, pull, upgrade } from '../../src/index.ts'
import { modelProject } from '../autogenerate/schema-objects-support.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'

/**
 * One model with options for two engines: MySQL's storage engine and collation, SQLite's STRICT.
 * Each engine applies its own, compares its own and ignores the other's; PostgreSQL reads none.
 */
const MODELS = (options: string) => `import { integer, table, varchar } from 'aludel'

export const events = table(
  'events',
  { id: integer().primaryKey(), name: varchar(100).notNull() },
  ${options},
)
`

const FIRST =
  "{ mysql: { engine: 'Aria', collation: 'utf8mb4_unicode_ci' }, sqlite: { strict: true } }"
const SECOND = "{ mysql: { engine: 'InnoDB', collation: 'utf8mb4_unicode_ci' } }"

/** What each engine shows of the options: a query and its rows under FIRST and SECOND. */
const FACTS: Record<
  ConformanceBackend,
  { readonly sql: string; readonly first: unknown[]; readonly second: unknown[] }
> = {
  pglite: {
    sql: "SELECT relpersistence AS p FROM pg_class WHERE relname = 'events'",
    first: [{ p: 'p' }],
    second: [{ p: 'p' }],
  },
  postgres: {
    sql: "SELECT relpersistence AS p FROM pg_class WHERE relname = 'events'",
    first: [{ p: 'p' }],
    second: [{ p: 'p' }],
  },
  sqlite: {
    sql: "SELECT strict, wr FROM pragma_table_list WHERE name = 'events'",
    first: [{ strict: 1, wr: 0 }],
    second: [{ strict: 0, wr: 0 }],
  },
  mariadb: {
    sql: "SELECT ENGINE AS e, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'",
    first: [{ e: 'Aria', c: 'utf8mb4_unicode_ci' }],
    second: [{ e: 'InnoDB', c: 'utf8mb4_unicode_ci' }],
  },
}

/**
 * The engine options `pull` writes back: what the table states beyond the database's defaults
 * (MariaDB's own character set, utf8mb4, goes unsaid).
 */
const PULLED: Record<ConformanceBackend, readonly string[]> = {
  pglite: [],
  postgres: [],
  sqlite: ['sqlite: { strict: true }'],
  mariadb: ["mysql: { engine: 'Aria', collation: 'utf8mb4_unicode_ci' }"],
}

/** What `check` reports once the models say SECOND over a database made from FIRST. */
const DRIFT: Record<ConformanceBackend, readonly string[]> = {
  pglite: [],
  postgres: [],
  sqlite: ['set sqlite strict=false, sqlite withoutRowid=false on table events'],
  mariadb: ['set mysql engine=InnoDB on table events'],
}

describe.each(conformanceBackends())(
  'engine options of a table on $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    it.skipIf(skip)(
      'each engine applies, compares and reverses its own options and ignores the others',
      async () => {
        db = await createConformanceDatabase(backend)
        const { useModels, generate } = modelProject(db)
        const facts = FACTS[backend]

        const first = useModels(MODELS(FIRST))
        await generate(first)
        await upgrade(first, 'head')
        expect(await db.query(facts.sql)).toEqual(facts.first)
        expect((await checkModels(first)).differences).toEqual([])
        const pulledText = (await pull(first)).text
        expect(pulledText.match(/(?:mysql|sqlite): \{[^}]*\}/g) ?? []).toEqual(PULLED[backend])
        const pulled = useModels(pulledText)
        expect((await checkModels(pulled)).differences).toEqual([])

        const second = useModels(MODELS(SECOND))
        expect((await checkModels(second)).differences).toEqual(DRIFT[backend])
        if (DRIFT[backend].length === 0) return
        const script = (await generate(second)).text
        expect(script).toContain('await op.alterTableOptions(')
        await upgrade(second, 'head')
        expect(await db.query(facts.sql)).toEqual(facts.second)
        expect((await checkModels(second)).differences).toEqual([])
        await db.query(`INSERT INTO events (id, name) VALUES (1, 'kept')`)
        await downgrade(second, '-1')
        expect(await db.query(facts.sql)).toEqual(facts.first)
        expect(await db.query('SELECT id, name FROM events')).toEqual([{ id: 1, name: 'kept' }])
      },
    )
  },
)
