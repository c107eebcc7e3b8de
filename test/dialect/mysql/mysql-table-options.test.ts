import { afterEach, describe, expect, it } from 'vitest'
import { mysqlComparator } from '../../../src/dialect/mysql/mysql-comparator.ts'
import { MysqlDdlCompiler } from '../../../src/dialect/mysql/mysql-ddl-compiler.ts'
import { MysqlTypeMapper } from '../../../src/dialect/mysql/mysql-type-mapper.ts'
import {
  checkModels,
  current,
  downgrade,
  integer,
  MigrationFailedError,
  pull,
  table,
  upgrade,
} from '../../../src/index.ts'
import type { AlterTableOptionsOp } from '../../../src/operations/migration-op.ts'
import type { EngineTableOptions } from '../../../src/schema/engine-options.ts'
import { toTableDef } from '../../../src/schema/to-table-def.ts'
import { modelProject } from '../../autogenerate/schema-objects-support.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../../support/databases.ts'

/**
 * MySQL's table options end to end on the real MariaDB: `ENGINE=`, the default character set and
 * the collation are created from the models, read back, compared only where the models state them
 * (`utf8` being `utf8mb3`), changed by a generated `alterTableOptions` and changed back; and an
 * engine change, which copies the table, is refused on a big table unless the URL allows copies.
 */

const mariadb = conformanceBackends().find((b) => b.backend === 'mariadb')!

/** Models of one table `events`, with `options` as table()'s third argument (or none). */
const MODELS = (options?: string) => `import { integer, table, varchar } from 'aludel'

export const events = table(
  'events',
  { id: integer().primaryKey(), name: varchar(100).notNull(), note: varchar(2000) },${options === undefined ? '' : `\n  ${options},`}
)
`

const FACTS_SQL =
  "SELECT ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'"

describe.skipIf(mariadb.skip)('MySQL table options on mariadb', () => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('creates a table with the engine, character set and collation of the models, and then compares clean', async () => {
    db = await createConformanceDatabase('mariadb')
    const { useModels, generate } = modelProject(db)
    const config = useModels(
      MODELS(
        "{ comment: 'what happened', mysql: { engine: 'Aria', charset: 'latin1', collation: 'latin1_bin' } }",
      ),
    )
    const script = (await generate(config)).text
    expect(script).toContain(
      "mysql: { engine: 'Aria', charset: 'latin1', collation: 'latin1_bin' }",
    )
    await upgrade(config, 'head')
    expect(await db.query(FACTS_SQL)).toEqual([{ engine: 'Aria', collation: 'latin1_bin' }])
    expect(
      await db.query(
        "SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'",
      ),
    ).toEqual([{ comment: 'what happened' }])
    // The columns took the table's default.
    expect(
      await db.query(
        "SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND COLLATION_NAME IS NOT NULL ORDER BY 1",
      ),
    ).toEqual([
      { name: 'name', collation: 'latin1_bin' },
      { name: 'note', collation: 'latin1_bin' },
    ])
    expect((await checkModels(config)).differences).toEqual([])
    // Models pulled from the database state all three, and compare clean too.
    const pulled = (await pull(config)).text
    expect(pulled).toContain(
      "mysql: { engine: 'Aria', charset: 'latin1', collation: 'latin1_bin' }",
    )
    expect((await checkModels(useModels(pulled))).differences).toEqual([])
  })

  it('compares models silent about options, or stating some, clean against any table', async () => {
    db = await createConformanceDatabase('mariadb')
    const { useModels } = modelProject(db)
    await db.query(
      'CREATE TABLE events (id int NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, note varchar(2000)) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_german1_ci',
    )
    expect((await checkModels(useModels(MODELS()))).differences).toEqual([])
    expect(
      (await checkModels(useModels(MODELS('{ sqlite: { strict: true } }')))).differences,
    ).toEqual([])
    // Only what the models state is compared, without regard to case.
    expect(
      (await checkModels(useModels(MODELS("{ mysql: { engine: 'myisam' } }")))).differences,
    ).toEqual([])
    expect(
      (await checkModels(useModels(MODELS("{ mysql: { charset: 'LATIN1' } }")))).differences,
    ).toEqual([])
    expect(
      (await checkModels(useModels(MODELS("{ mysql: { engine: 'InnoDB', charset: 'latin1' } }"))))
        .differences,
    ).toEqual(['set mysql engine=InnoDB on table events'])
  })

  it('takes utf8 and utf8mb3 for one character set, in names of collations too', async () => {
    db = await createConformanceDatabase('mariadb')
    const { useModels, generate } = modelProject(db)
    const config = useModels(MODELS("{ mysql: { charset: 'utf8', collation: 'utf8_unicode_ci' } }"))
    await generate(config)
    await upgrade(config, 'head')
    // The server names the set utf8mb3.
    expect(await db.query(FACTS_SQL)).toEqual([
      { engine: 'InnoDB', collation: 'utf8mb3_unicode_ci' },
    ])
    expect((await checkModels(config)).differences).toEqual([])
    const spelled = useModels(
      MODELS("{ mysql: { charset: 'utf8mb3', collation: 'UTF8_UNICODE_CI' } }"),
    )
    expect((await checkModels(spelled)).differences).toEqual([])
  })

  it('generates alterTableOptions for a new collation, which upgrades and downgrades back', async () => {
    db = await createConformanceDatabase('mariadb')
    const { useModels, generate } = modelProject(db)
    const first = useModels(
      MODELS(
        "{ mysql: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } }",
      ),
    )
    await generate(first)
    await upgrade(first, 'head')
    await db.query("INSERT INTO events (id, name) VALUES (1, 'kept')")
    const second = useModels(
      MODELS("{ mysql: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_bin' } }"),
    )
    expect((await checkModels(second)).differences).toEqual([
      'set mysql collation=utf8mb4_bin on table events',
    ])
    const script = (await generate(second)).text
    // Only the collation differs: the engine stays, and nothing is copied.
    expect(script).toMatch(
      /await op\.alterTableOptions\(\s*'events',\s*\{ mysql: \{ collation: 'utf8mb4_bin' \} \},\s*\{\s*existingOptions: \{ mysql: \{ collation: 'utf8mb4_unicode_ci' \} \},?\s*\},?\s*\)/,
    )
    expect(script).toContain('existing columns keep theirs')
    await upgrade(second, 'head')
    expect(await db.query(FACTS_SQL)).toEqual([{ engine: 'InnoDB', collation: 'utf8mb4_bin' }])
    // A default for columns added later: the existing columns keep their collation.
    expect(
      await db.query(
        "SELECT COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND COLUMN_NAME = 'name'",
      ),
    ).toEqual([{ collation: 'utf8mb4_unicode_ci' }])
    await downgrade(second, '-1')
    expect(await db.query(FACTS_SQL)).toEqual([
      { engine: 'InnoDB', collation: 'utf8mb4_unicode_ci' },
    ])
    expect(await db.query('SELECT id, name FROM events')).toEqual([{ id: 1, name: 'kept' }])
  })

  it('refuses an engine change that copies a table over 1 MiB, unless the URL says onlineDdl=off', async () => {
    db = await createConformanceDatabase('mariadb')
    const { useModels, generate } = modelProject(db)
    const first = useModels(MODELS("{ mysql: { engine: 'InnoDB' } }"))
    await generate(first)
    await upgrade(first, 'head')
    // About 4 MB of rows: the copy would block writes for as long as it takes.
    await db.query(
      "INSERT INTO events (id, name, note) SELECT seq, CONCAT('e', seq), REPEAT('x', 2000) FROM seq_1_to_2000",
    )
    await db.query('ANALYZE TABLE events')
    const second = useModels(MODELS("{ mysql: { engine: 'Aria' } }"))
    const script = (await generate(second)).text
    expect(script).toContain('the new engine (InnoDB to Aria) copies the whole table')
    const heads = (await current(second)).current.map((h) => h.revision)

    const failed = await upgrade(second, 'head').catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(MigrationFailedError)
    const message = (failed as Error).message
    expect(message).not.toContain('\n')
    expect(message).toContain('ALGORITHM=INPLACE is not supported')
    expect(message).toContain(
      'the server can make this change only by copying the table, which blocks writes to it until the copy ends',
    )
    expect(message).toContain('?onlineDdl=off')
    expect(message).toContain('none of its statements was applied')
    expect(await db.query(FACTS_SQL)).toEqual([{ engine: 'InnoDB', collation: expect.any(String) }])
    expect((await current(second)).current.map((h) => h.revision)).toEqual(heads)

    // The operator accepts the copy: the URL lets the server choose.
    const allowed = { ...second, url: `${db.url}?onlineDdl=off` }
    expect((await upgrade(allowed, 'head')).steps).toHaveLength(1)
    expect(await db.query(FACTS_SQL)).toEqual([{ engine: 'Aria', collation: expect.any(String) }])
    expect(await db.query('SELECT COUNT(*) AS n FROM events')).toEqual([{ n: 2000 }])
    expect((await checkModels(second)).differences).toEqual([])
  })
})

describe('mysqlComparator.tableOptionChanges', () => {
  const changes = mysqlComparator.tableOptionChanges
  const database = {
    mysql: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' },
  }

  it('finds only the stated options that differ, with the values they replace', () => {
    expect(changes(undefined, database)).toBeUndefined()
    expect(changes({ sqlite: { strict: true } }, database)).toBeUndefined()
    expect(
      changes({ mysql: { engine: 'innodb', collation: 'UTF8MB4_general_ci' } }, database),
    ).toBe(undefined)
    const engine = changes({ mysql: { engine: 'Aria', charset: 'utf8mb4' } }, database)
    expect(engine?.options).toEqual({ mysql: { engine: 'Aria' } })
    expect(engine?.previous).toEqual({ mysql: { engine: 'InnoDB' } })
    expect(engine?.warning).toContain('copies the whole table')
    const collation = changes({ mysql: { collation: 'utf8mb4_bin' } }, database)
    expect(collation?.options).toEqual({ mysql: { collation: 'utf8mb4_bin' } })
    expect(collation?.previous).toEqual({ mysql: { collation: 'utf8mb4_general_ci' } })
    expect(collation?.warning).toContain('existing columns keep theirs')
    expect(collation?.warning).not.toContain('copies')
  })

  it('takes utf8 for utf8mb3', () => {
    const utf8 = { mysql: { engine: 'InnoDB', charset: 'utf8mb3', collation: 'utf8mb3_bin' } }
    expect(changes({ mysql: { charset: 'utf8', collation: 'utf8_bin' } }, utf8)).toBeUndefined()
    expect(changes({ mysql: { charset: 'utf8mb4' } }, utf8)?.options).toEqual({
      mysql: { charset: 'utf8mb4' },
    })
  })

  it('restores the collation with the character set it replaces', () => {
    // A new set brings its own default collation: the way back names the old one.
    const charset = changes({ mysql: { charset: 'latin1' } }, database)
    expect(charset?.options).toEqual({ mysql: { charset: 'latin1' } })
    expect(charset?.previous).toEqual({
      mysql: { charset: 'utf8mb4', collation: 'utf8mb4_general_ci' },
    })
    const both = changes({ mysql: { charset: 'latin1', collation: 'latin1_bin' } }, database)
    expect(both?.options).toEqual({ mysql: { charset: 'latin1', collation: 'latin1_bin' } })
  })

  it('warns that a new default collation of an Aria table copies it', () => {
    const aria = { mysql: { engine: 'Aria', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' } }
    expect(changes({ mysql: { collation: 'utf8mb4_bin' } }, aria)?.warning).toContain(
      'the Aria engine records even that by copying the table',
    )
  })
})

describe('MysqlDdlCompiler and table options', () => {
  const server = { mariadb: true, backslashEscapes: true, version: undefined }
  const compiler = new MysqlDdlCompiler(new MysqlTypeMapper(server), server)
  const alter = (options: EngineTableOptions): AlterTableOptionsOp => ({
    kind: 'alterTableOptions',
    schema: undefined,
    table: 'events',
    options,
    previous: undefined,
  })

  it('writes the options before the comment of a new table', () => {
    const [statement] = compiler.compile({
      kind: 'createTable',
      ifNotExists: false,
      table: toTableDef(
        table(
          'events',
          { id: integer().primaryKey() },
          {
            comment: 'what happened',
            mysql: { engine: 'Aria', collation: 'latin1_bin' },
          },
        ),
      ),
    })
    expect(statement?.sql).toMatch(/\n\) ENGINE=Aria COLLATE=latin1_bin COMMENT = 'what happened'$/)
  })

  it('offline, asks the server for an online change, which it refuses rather than copy', () => {
    // A script cannot learn the table's size: the clause makes the server refuse a copy.
    expect(compiler.needsDatabase(alter({ mysql: { engine: 'Aria' } }))).toBe(true)
    expect(compiler.compile(alter({ mysql: { engine: 'Aria', charset: 'latin1' } }))).toEqual([
      {
        sql: 'ALTER TABLE events ENGINE=Aria DEFAULT CHARSET=latin1, ALGORITHM=INPLACE, LOCK=NONE',
        params: [],
      },
    ])
    const off = new MysqlDdlCompiler(new MysqlTypeMapper(server), server, { onlineDdl: 'off' })
    expect(off.compile(alter({ mysql: { collation: 'utf8mb4_bin' } }))).toEqual([
      { sql: 'ALTER TABLE events COLLATE=utf8mb4_bin', params: [] },
    ])
  })

  it('does nothing for options of other engines', () => {
    expect(compiler.needsDatabase(alter({ sqlite: { strict: true } }))).toBe(false)
    expect(compiler.compile(alter({ sqlite: { strict: true } }))).toEqual([])
    expect(compiler.compile(alter({ mysql: {} }))).toEqual([])
  })
})
