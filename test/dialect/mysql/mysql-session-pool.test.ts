import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/dialect/connection.ts'
import { openDialect } from '../../../src/dialect/open-dialect.ts'
import { SessionPool } from '../../../src/dialect/session-pool.ts'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createMariadb,
} from '../../support/databases.ts'

const mariadb = conformanceBackends().find((b) => b.backend === 'mariadb')!

/**
 * Sessions a fleet run shares between MySQL targets: one moves from a tenant's database to the
 * next with nothing of the previous run left on it, and a session the server ended while it sat
 * in the pool, or a database the server refuses, costs no target its run.
 */
describe.skipIf(mariadb.skip)('MySQL sessions shared between targets', () => {
  const databases: ConformanceDatabase[] = []
  let pool: SessionPool
  beforeEach(() => {
    pool = new SessionPool(2)
  })
  afterEach(async () => {
    await pool.close()
    await Promise.all(databases.splice(0).map((db) => db.drop()))
  })

  const connect = async (url: string): Promise<Connection> =>
    (await openDialect(url, '/', pool)).driver.connect('pool test')
  const one = async <Row>(connection: Connection, sql: string): Promise<Row> =>
    (await connection.query<Row>(sql)).rows[0]!

  it('moves a session to the next database, reset: no variables, temporary tables or locks', async () => {
    databases.push(await createMariadb(), await createMariadb())
    const [a, b] = databases as [ConformanceDatabase, ConformanceDatabase]
    const first = await connect(a.url)
    const { id } = await one<{ id: number }>(first, 'SELECT CONNECTION_ID() AS id')
    await first.execute(
      "SET @mark = 'a'; SET SESSION wait_timeout = 5; CREATE TEMPORARY TABLE leftover (x int); DO GET_LOCK('aludel-test-lock', 0)",
    )
    await first.close()

    const second = await connect(b.url)
    const row = await one<Record<string, unknown>>(
      second,
      "SELECT CONNECTION_ID() AS id, DATABASE() AS db, @mark AS mark, @@SESSION.wait_timeout = @@GLOBAL.wait_timeout AS timeout_reset, IS_USED_LOCK('aludel-test-lock') AS lock_holder",
    )
    expect(row).toEqual({
      id,
      db: new URL(b.url).pathname.slice(1),
      mark: null,
      timeout_reset: 1,
      lock_holder: null,
    })
    await expect(second.query('SELECT * FROM leftover')).rejects.toThrow(/leftover.*doesn't exist/)
    await second.close()

    // Back to the same database: the reset kept it, and the session needs no USE.
    const third = await connect(b.url)
    expect(await one(third, 'SELECT CONNECTION_ID() AS id, DATABASE() AS db')).toEqual({
      id,
      db: new URL(b.url).pathname.slice(1),
    })
    await third.close()
  })

  it('replaces a session the server ended while it sat in the pool', async () => {
    databases.push(await createMariadb(), await createMariadb())
    const [a, b] = databases as [ConformanceDatabase, ConformanceDatabase]
    const first = await connect(a.url)
    const { id } = await one<{ id: number }>(first, 'SELECT CONNECTION_ID() AS id')
    await first.close()
    await a.query(`KILL ${Number(id)}`)

    const second = await connect(b.url)
    const row = await one<{ id: number; db: string }>(
      second,
      'SELECT CONNECTION_ID() AS id, DATABASE() AS db',
    )
    expect(row.id).not.toBe(id)
    expect(row.db).toBe(new URL(b.url).pathname.slice(1))
    await second.close()
  })

  it('says a database does not exist as connecting to it would, and keeps the session', async () => {
    databases.push(await createMariadb())
    const [a] = databases as [ConformanceDatabase]
    const first = await connect(a.url)
    const { id } = await one<{ id: number }>(first, 'SELECT CONNECTION_ID() AS id')
    await first.close()

    const missing = new URL(a.url)
    missing.pathname = '/aludel_no_such_database'
    await expect(connect(missing.toString())).rejects.toThrow(
      /^cannot connect to .*aludel_no_such_database: the database does not exist; create it/,
    )
    const again = await connect(a.url)
    expect(await one<{ id: number }>(again, 'SELECT CONNECTION_ID() AS id')).toEqual({ id })
    await again.close()
  })
})
