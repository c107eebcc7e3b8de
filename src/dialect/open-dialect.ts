import { parseDatabaseUrl } from './database-url.ts'
import type { Dialect } from './dialect.ts'
import type { SessionPool } from './session-pool.ts'

/**
 * The dialect for a database URL. Dialect modules are imported on demand, so a project that only
 * uses PostgreSQL never loads another dialect's code or driver.
 *
 * @param root folder that relative paths in `pglite:`/`sqlite:` URLs are resolved against
 * @param pool server sessions shared between the targets of a fleet run (PostgreSQL and MySQL
 *   servers)
 */
export async function openDialect(
  urlText: string,
  root: string,
  pool?: SessionPool,
): Promise<Dialect> {
  const url = parseDatabaseUrl(urlText, root)
  switch (url.kind) {
    case 'postgres':
      return (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url, pool)
    case 'pglite':
      return (await import('./postgres/postgres-dialect.ts')).createPgliteDialect(url)
    case 'sqlite':
      return (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url)
    case 'mysql':
      return (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url, pool)
  }
}
