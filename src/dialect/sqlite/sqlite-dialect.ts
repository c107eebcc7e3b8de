import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseUrl } from '../database-url.ts'
import type { Dialect } from '../dialect.ts'
import { SqliteAdapter } from './sqlite-adapter.ts'
import { sqliteComparator } from './sqlite-comparator.ts'
import { SqliteDdlCompiler } from './sqlite-ddl-compiler.ts'
import { borrowedSqlite, SqliteDriver } from './sqlite-driver.ts'
import { SqliteIntrospector } from './sqlite-introspector.ts'
import { SqliteTypeMapper } from './sqlite-type-mapper.ts'

/** SQLite through Node's built-in driver: a file (`sqlite:./app.db`) or memory (`sqlite::memory:`). */
export function createSqliteDialect(url: DatabaseUrl): Dialect {
  const types = new SqliteTypeMapper()
  const ddl = new SqliteDdlCompiler(types)
  return {
    name: 'sqlite',
    engine: 'sqlite',
    driver: new SqliteDriver(url),
    adapter: new SqliteAdapter(),
    ddl,
    types,
    introspector: new SqliteIntrospector(types),
    comparator: sqliteComparator,
    borrow: borrowedSqlite,
    createScratchDatabase: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'aludel-scratch-'))
      return {
        url: `sqlite:${join(dir, 'scratch.db')}`,
        drop: () => rm(dir, { recursive: true, force: true }),
      }
    },
  }
}
