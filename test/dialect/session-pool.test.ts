import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/dialect/connection.ts'
import { parseDatabaseUrl } from '../../src/dialect/database-url.ts'
import { PostgresDriver, poolableForm } from '../../src/dialect/postgres/postgres-driver.ts'
import { SessionPool } from '../../src/dialect/session-pool.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'

/** A session that only counts its ending. */
class Fake {
  ended = 0
  constructor(readonly id: number) {}
  async end(): Promise<void> {
    this.ended++
  }
}

describe('SessionPool', () => {
  it('reuses a session of the same key and opens at most perServer per server', async () => {
    const pool = new SessionPool<Fake>(2)
    let made = 0
    const open = async () => new Fake(++made)
    const a = await pool.acquire('srv', 'db1', open)
    const b = await pool.acquire('srv', 'db1', open)
    // A third request waits until one comes back.
    let third: Fake | undefined
    const waiting = pool.acquire('srv', 'db1', open).then((s) => {
      third = s
      return s
    })
    await new Promise((tick) => setImmediate(tick))
    expect(third).toBeUndefined()
    pool.release('srv', 'db1', a)
    expect(await waiting).toBe(a)
    expect(made).toBe(2)
    // Another server has room of its own.
    const other = await pool.acquire('srv2', 'db1', open)
    expect(other.id).toBe(3)
    expect([pool.openSessions('srv'), pool.openSessions('srv2')]).toEqual([2, 1])
    pool.release('srv', 'db1', b)
    pool.release('srv', 'db1', a)
    await pool.close()
    expect([a.ended, b.ended, other.ended]).toEqual([1, 1, 0])
    // A session lent out when the pool closed is ended as it comes back.
    pool.release('srv2', 'db1', other)
    expect(other.ended).toBe(1)
    await expect(pool.acquire('srv', 'db1', open)).rejects.toThrow('the session pool is closed')
  })

  it("closes another database's idle session to make room, and counts out broken ones", async () => {
    const pool = new SessionPool<Fake>(1)
    let made = 0
    const open = async () => new Fake(++made)
    const a = await pool.acquire('srv', 'db1', open)
    pool.release('srv', 'db1', a)
    const b = await pool.acquire('srv', 'db2', open)
    expect([a.ended, b.id, pool.openSessions('srv')]).toEqual([1, 2, 1])
    // b broke: its owner ended it; the room is free again.
    pool.forget('srv')
    const c = await pool.acquire('srv', 'db2', open)
    expect(c.id).toBe(3)
    // An open that fails frees its room too.
    pool.forget('srv')
    await expect(
      pool.acquire('srv', 'db3', async () => {
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect(pool.openSessions('srv')).toBe(0)
    await pool.close()
  })

  it('refuses a pool without room', () => {
    expect(() => new SessionPool(0)).toThrow(/at least one session, not 0/)
  })
})

describe('poolableForm', () => {
  it('keys a URL by its server and database, and turns options into settings', () => {
    const form = poolableForm(
      'postgres://app:secret@db.example:5433/shop?sslmode=disable&options=-c%20search_path%3Dtenant_1&application_name=x',
    )
    expect(form).toEqual({
      server: 'app@db.example:5433/',
      key: 'postgres://app:secret@db.example:5433/shop?sslmode=disable',
      settings: [['search_path', 'tenant_1']],
    })
    expect(
      poolableForm('postgres://h/db?options=-csearch_path%3Da%20--lock-timeout%3D5s')?.settings,
    ).toEqual([
      ['search_path', 'a'],
      ['lock_timeout', '5s'],
    ])
    expect(
      poolableForm('postgres://h/db?options=-c%20search_path%3D%22My%5C%20Schema%22')?.settings,
    ).toEqual([['search_path', '"My Schema"']])
    // Anything but settings: such a session is not shared.
    expect(poolableForm('postgres://h/db?options=-d%205')).toBeUndefined()
    expect(poolableForm('postgres://h/db?options=-c%20novalue')).toBeUndefined()
  })
})

const postgres = backends().find((b) => b.backend === 'postgres')!

describe.skipIf(postgres.skip)('pooled PostgreSQL sessions', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createDatabase('postgres')
    await db.query('CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b')
  })
  afterAll(async () => {
    await db?.drop()
  })

  function driver(pool: SessionPool, schema: string): PostgresDriver {
    const url = new URL(db.url)
    url.searchParams.set('options', `-c search_path=${schema}`)
    return new PostgresDriver(parseDatabaseUrl(url.toString(), '/'), pool)
  }

  async function backendOf(connection: Connection): Promise<number> {
    const { rows } = await connection.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    return rows[0]!.pid
  }

  it('hands the next target a clean session: no transaction, setting, lock or temp table', async () => {
    const pool = new SessionPool(4)
    try {
      const first = await driver(pool, 'tenant_a').connect('aludel first')
      const pid = await backendOf(first)
      await first.execute(
        "SET lock_timeout = '7s'; CREATE TEMP TABLE scratch (x int); SELECT pg_advisory_lock(42); PREPARE p AS SELECT 1",
      )
      // Left in a failed transaction, as a run that broke off would leave it.
      await first.execute('BEGIN')
      await expect(first.execute('SELECT 1/0')).rejects.toThrow()
      await first.close()

      const second = await driver(pool, 'tenant_b').connect('aludel second')
      const rows = await second.query<Record<string, unknown>>(
        `SELECT pg_backend_pid() AS pid, current_setting('search_path') AS path,
                current_setting('lock_timeout') AS lock_timeout,
                current_setting('application_name') AS name,
                to_regclass('pg_temp.scratch') AS temp,
                (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
                (SELECT count(*) FROM pg_prepared_statements) AS prepared`,
      )
      expect(rows.rows).toEqual([
        {
          pid,
          path: 'tenant_b',
          lock_timeout: '0',
          name: 'aludel second',
          temp: null,
          locks: '0',
          prepared: '0',
        },
      ])
      await second.close()
    } finally {
      await pool.close()
    }
  })

  it('takes back a session closed untouched without a reset, and still hands out no other tenant’s settings', async () => {
    const pool = new SessionPool(1)
    try {
      const first = await driver(pool, 'tenant_a').connect('aludel first')
      const pid = await backendOf(first)
      await first.close({ untouched: true })
      // The same tenant again: its session as it was left (nothing to reset).
      const again = await driver(pool, 'tenant_a').connect('aludel again')
      expect(await backendOf(again)).toBe(pid)
      await again.close({ untouched: true })
      // A target whose URL sets no search_path gets the server's default, not tenant_a.
      const plain = await new PostgresDriver(parseDatabaseUrl(db.url, '/'), pool).connect(
        'aludel plain',
      )
      const { rows } = await plain.query<Record<string, unknown>>(
        "SELECT pg_backend_pid() AS pid, current_setting('search_path') AS path, current_setting('application_name') AS name",
      )
      expect(rows).toEqual([{ pid, path: '"$user", public', name: 'aludel plain' }])
      await plain.close()
    } finally {
      await pool.close()
    }
  })

  it('replaces a pooled session the server ended while it sat idle', async () => {
    const pool = new SessionPool(4)
    try {
      const first = await driver(pool, 'tenant_a').connect('aludel first')
      const pid = await backendOf(first)
      await first.close()
      await db.query('SELECT pg_terminate_backend($1)', [pid])
      // Whether the client has noticed the closed socket yet or not, the lease opens another.
      const second = await driver(pool, 'tenant_a').connect('aludel second')
      expect(await backendOf(second)).not.toBe(pid)
      await second.close()
      expect(pool.openSessions(poolableForm(db.url)!.server)).toBe(1)
    } finally {
      await pool.close()
    }
  })
})
