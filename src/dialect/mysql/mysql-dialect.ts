import { randomBytes } from 'node:crypto'
import type { DatabaseUrl } from '../database-url.ts'
import type { Dialect } from '../dialect.ts'
import { MysqlAdapter } from './mysql-adapter.ts'
import { mysqlComparator } from './mysql-comparator.ts'
import { MysqlDdlCompiler } from './mysql-ddl-compiler.ts'
import { borrowedMysql, MysqlDriver } from './mysql-driver.ts'
import { MysqlIntrospector } from './mysql-introspector.ts'
import { quoteIdentifier } from './mysql-quoting.ts'
import { MysqlTypeMapper } from './mysql-type-mapper.ts'

/** MySQL and MariaDB through mysql2: `mysql://user:password@host:3306/database` or `mariadb://`. */
export function createMysqlDialect(url: DatabaseUrl): Dialect {
  const driver = new MysqlDriver(url)
  const types = new MysqlTypeMapper()
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
    createScratchDatabase: async () => {
      // A database beside the configured one, on the same server, with the same credentials.
      const name = `aludel_scratch_${randomBytes(5).toString('hex')}`
      const admin = await driver.connect('aludel scratch')
      try {
        await admin.execute(`CREATE DATABASE ${quoteIdentifier(name)}`)
      } finally {
        await admin.close()
      }
      const scratch = new URL(url.url)
      scratch.pathname = `/${name}`
      return {
        url: scratch.toString(),
        drop: async () => {
          const session = await driver.connect('aludel scratch')
          try {
            await session.execute(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`)
          } finally {
            await session.close()
          }
        },
      }
    },
  }
}
