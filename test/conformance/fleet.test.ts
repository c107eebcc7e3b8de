import { rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * A fleet run on every engine: a database per target, one of which fails at its second
 * migration (a table of that name is already there). The failing target keeps its last good step
 * and stops nobody else; once the cause is gone, running the same command again finishes it and
 * touches the others not at all. On a server, the targets share its sessions: a fleet run opens
 * at most two per running target, not a few per target.
 */
const TARGETS = 6
const BROKEN = 3
const CONCURRENCY = 2
const REVISIONS = ['f1f1f1f1f1f1', 'f2f2f2f2f2f2', 'f3f3f3f3f3f3'] as const

describe.each(conformanceBackends())('a fleet of databases on $backend', ({ backend, skip }) => {
  const databases: ConformanceDatabase[] = []
  let project: TestProject
  /** On a server, the targets' URLs lead through a proxy that counts the sessions they open. */
  let proxy: CountingProxy | undefined

  beforeAll(async () => {
    if (skip) return
    for (let i = 0; i < TARGETS; i++) databases.push(await createConformanceDatabase(backend))
    await databases[BROKEN]!.query('CREATE TABLE fleet_blocker (id int)')
    const server = /^(?:postgres|mysql|mariadb)/.test(databases[0]!.url)
    if (server) proxy = await countingProxy(Number(new URL(databases[0]!.url).port))
    const through = (url: string) => {
      if (proxy === undefined) return url
      const proxied = new URL(url)
      proxied.port = String(proxy.port)
      return proxied.toString()
    }
    project = createProject(undefined, {
      targets: databases.map((db, i) => ({ name: `t-${i}`, url: through(db.url) })),
    })
    const statements = [
      'CREATE TABLE fleet_items (id int PRIMARY KEY)',
      'CREATE TABLE fleet_blocker (id int)',
      'CREATE TABLE fleet_notes (id int PRIMARY KEY)',
    ]
    for (const [i, revision] of REVISIONS.entries()) {
      const table = statements[i]!.split(' ')[2]
      project.writeMigration({
        revision,
        ...(i === 0 ? {} : { down: REVISIONS[i - 1] }),
        upgrade: `await op.execute(${JSON.stringify(statements[i])})`,
        downgrade: `await op.execute('DROP TABLE ${table}')`,
      })
    }
  }, 120_000)

  afterAll(async () => {
    await proxy?.close()
    await Promise.all(databases.map((db) => db.drop()))
    if (project !== undefined) rmSync(project.dir, { recursive: true, force: true })
  })

  const versions = async () =>
    Promise.all(
      databases.map(async (db) =>
        (await db.query<{ version_num: string }>('SELECT version_num FROM aludel_version')).map(
          (row) => row.version_num,
        ),
      ),
    )

  it.skipIf(skip)(
    'isolates the failing target, and a second run finishes it alone',
    async () => {
      const first = await project.cli([
        'upgrade',
        'head',
        '--all-targets',
        '--concurrency',
        String(CONCURRENCY),
      ])
      const opened = proxy?.accepted()
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 1, stderr: '' })
      expect(first.stdout).toMatch(
        /^t-3: failed after \S+ ms: upgrade f2f2f2f2f2f2 \(.*\) failed: .*fleet_blocker/m,
      )
      expect(first.stdout).toMatch(/^t-3 +<base> +f1f1f1f1f1f1 +1 +\S+ ms +failed$/m)
      expect(first.stdout).toMatch(/^t-5 +<base> +f3f3f3f3f3f3 +3 +\S+ ms +ok$/m)
      expect(first.stdout).toMatch(/^6 targets: 5 ok, 1 failed, 0 skipped$/m)
      const head = ['f3f3f3f3f3f3']
      expect(await versions()).toEqual([head, head, head, ['f1f1f1f1f1f1'], head, head])
      // A MySQL session moves on to the next target's database: two per running target (the
      // lock's and the work's) serve the whole fleet. A PostgreSQL session cannot change database,
      // so there each target has its two own (where a session per command would give it three).
      if (opened !== undefined) {
        expect(opened).toBeLessThanOrEqual(backend === 'mariadb' ? 2 * CONCURRENCY : 2 * TARGETS)
      }

      await databases[BROKEN]!.query('DROP TABLE fleet_blocker')
      const second = await project.cli(['upgrade', 'head', '--all-targets'])
      expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' })
      expect(second.stdout).toMatch(/^t-3 +f1f1f1f1f1f1 +f3f3f3f3f3f3 +2 +\S+ ms +ok$/m)
      expect(second.stdout).toMatch(/^t-0 +f3f3f3f3f3f3 +f3f3f3f3f3f3 +0 +\S+ ms +ok$/m)
      expect(await versions()).toEqual(Array.from({ length: TARGETS }, () => head))
    },
    120_000,
  )
})

/** A TCP proxy on a loopback port in front of a local server, counting the sessions it passes. */
interface CountingProxy {
  readonly port: number
  /** Sessions opened through it so far. */
  accepted(): number
  close(): Promise<void>
}

async function countingProxy(target: number): Promise<CountingProxy> {
  let accepted = 0
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const server: Server = createServer((client) => {
    accepted++
    const upstream = connect(target, '127.0.0.1')
    track(client)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no proxy port')
  return {
    port: address.port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((closed) => server.close(() => closed()))
    },
  }
}
