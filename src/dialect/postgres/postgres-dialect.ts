import type { DatabaseUrl } from '../database-url.ts'
import type { Dialect } from '../dialect.ts'
import { PgliteDriver } from './pglite-driver.ts'
import { PostgresAdapter } from './postgres-adapter.ts'
import { PostgresDdlCompiler } from './postgres-ddl-compiler.ts'
import { PostgresDriver } from './postgres-driver.ts'
import { PostgresIntrospector } from './postgres-introspector.ts'
import { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** PostgreSQL over node-postgres: a server, one session per role (lock, migrations). */
export function createPostgresDialect(url: DatabaseUrl): Dialect {
  const types = new PostgresTypeMapper()
  const ddl = new PostgresDdlCompiler(types)
  return {
    name: 'postgresql',
    driver: new PostgresDriver(url),
    adapter: new PostgresAdapter(ddl, true),
    ddl,
    types,
    introspector: new PostgresIntrospector(),
  }
}

/** PostgreSQL in-process through PGlite: the same SQL, a single session. */
export function createPgliteDialect(url: DatabaseUrl): Dialect {
  const types = new PostgresTypeMapper()
  const ddl = new PostgresDdlCompiler(types)
  return {
    name: 'pglite',
    driver: new PgliteDriver(url),
    adapter: new PostgresAdapter(ddl, false),
    ddl,
    types,
    introspector: new PostgresIntrospector(),
  }
}
