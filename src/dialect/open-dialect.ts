import { parseDatabaseUrl } from './database-url.ts'
import type { Dialect } from './dialect.ts'

/**
 * The dialect for a database URL. Dialect modules are imported on demand, so a project that only
 * uses PostgreSQL never loads another dialect's code or driver.
 *
 * @param root folder that relative paths in `pglite:`/`sqlite:` URLs are resolved against
 */
export async function openDialect(urlText: string, root: string): Promise<Dialect> {
  const url = parseDatabaseUrl(urlText, root)
  switch (url.kind) {
    case 'postgres':
      return (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url)
    case 'pglite':
      return (await import('./postgres/postgres-dialect.ts')).createPgliteDialect(url)
    case 'sqlite':
      return (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url)
    case 'mysql':
      return (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url)
  }
}
