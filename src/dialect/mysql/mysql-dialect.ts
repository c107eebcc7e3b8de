import type { DatabaseUrl } from '../database-url.ts'
import type { Dialect } from '../dialect.ts'
import { serverScratchDatabase } from '../server-scratch-database.ts'
import type { SessionPool } from '../session-pool.ts'
import { MysqlAdapter } from './mysql-adapter.ts'
import { mysqlComparator } from './mysql-comparator.ts'
import { MysqlDdlCompiler } from './mysql-ddl-compiler.ts'
import { borrowedMysql, MysqlDriver } from './mysql-driver.ts'
import { MysqlIntrospector } from './mysql-introspector.ts'
import { quoteIdentifier } from './mysql-quoting.ts'
import { MysqlTypeMapper } from './mysql-type-mapper.ts'

/** MySQL and MariaDB through mysql2: `mysql://user:password@host:3306/database` or `mariadb://`. */
export function createMysqlDialect(url: DatabaseUrl, pool?: SessionPool): Dialect {
  const driver = new MysqlDriver(url, pool)
  const types = new MysqlTypeMapper(driver.server)
  return {
    name: 'mysql',
    engine: 'mysql',
    driver,
    adapter: new MysqlAdapter(driver.server),
    ddl: new MysqlDdlCompiler(types, driver.server, driver.options),
    types,
    introspector: new MysqlIntrospector(types),
    comparator: mysqlComparator,
    borrow: borrowedMysql(url),
    // A database beside the configured one, on the same server, with the same credentials.
    createScratchDatabase: () =>
      serverScratchDatabase(url, driver, {
        createSql: (name) => `CREATE DATABASE ${quoteIdentifier(name)}`,
        dropSql: (name) => `DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`,
      }),
  }
}
