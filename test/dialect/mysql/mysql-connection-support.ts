import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import type { Connection, QueryResult } from '../../../src/dialect/connection.ts'

/** The server the MySQL dialect tests use; `ALUDEL_TEST_MYSQL_URL` overrides it. */
export const MYSQL_URL = process.env.ALUDEL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** A Connection over one mysql2 session, counting the queries it runs. */
export interface CountingConnection extends Connection {
  readonly queries: () => number
}

/** A throwaway database `aludel_h_<hex>` and a session on it. */
export interface TestMysqlDatabase {
  readonly name: string
  readonly connection: CountingConnection
  drop(): Promise<void>
}

/**
 * Why the server cannot be used, or undefined when it answers: the tests skip with this reason
 * only when the server is unreachable, unless `ALUDEL_REQUIRE_SERVERS=1` asks for it.
 */
export async function mysqlUnavailable(): Promise<string | undefined> {
  try {
    const session = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })
    await session.query('SELECT 1')
    await session.end()
    return undefined
  } catch (error) {
    if (process.env.ALUDEL_REQUIRE_SERVERS === '1') throw error
    const reason = `MySQL server unreachable at ${MYSQL_URL} (${String(error)})`
    console.warn(`\n[aludel tests] skipping MySQL tests: ${reason}\n`)
    return reason
  }
}

/** Creates a fresh database and opens a session whose current database it is. */
export async function createMysqlDatabase(): Promise<TestMysqlDatabase> {
  const name = `aludel_h_${randomBytes(5).toString('hex')}`
  const admin = await mysql.createConnection({ uri: MYSQL_URL })
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`)
  } finally {
    await admin.end()
  }
  const url = new URL(MYSQL_URL)
  url.pathname = `/${name}`
  const session = await mysql.createConnection({
    uri: url.toString(),
    multipleStatements: true,
    // Dates come back as text: the introspector never reads one, the tests compare text.
    dateStrings: true,
    supportBigNumbers: true,
  })
  return {
    name,
    connection: wrap(session),
    drop: async () => {
      await session.end().catch(() => undefined)
      const dropper = await mysql.createConnection({ uri: MYSQL_URL })
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name}`)
      } finally {
        await dropper.end()
      }
    },
  }
}

function wrap(session: mysql.Connection): CountingConnection {
  let queries = 0
  let lost: string | undefined
  session.on('error', (error) => {
    lost = String(error)
  })
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      queries++
      const [result] = await session.query(sql, params as unknown[])
      if (Array.isArray(result)) return { rows: result as Row[], affectedRows: undefined }
      return { rows: [], affectedRows: (result as mysql.ResultSetHeader).affectedRows }
    },
    async execute(sql: string) {
      queries++
      await session.query(sql)
    },
    async queryScript<Row>(sql: string): Promise<readonly Row[]> {
      queries++
      const [result] = await session.query(sql)
      const results = Array.isArray(result) ? result : [result]
      const last = [...results].reverse().find((r) => Array.isArray(r))
      return (last ?? []) as Row[]
    },
    lostReason: () => lost,
    close: () => session.end(),
    queries: () => queries,
  }
}
