import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Debian's pgbouncer, which `.ci/run` installs. */
const BINARY = '/usr/sbin/pgbouncer'

/** A PgBouncer started by a test, listening on a loopback port. */
export interface Pooler {
  /** `url` with its host and port replaced by the pooler's. */
  through(url: string): string
  stop(): Promise<void>
}

/** Why PgBouncer tests cannot run here, or undefined when they can. */
export function poolerMissing(): string | undefined {
  if (existsSync(BINARY)) return undefined
  if (process.env.ALUDEL_REQUIRE_SERVERS === '1') {
    throw new Error(`PgBouncer is required (ALUDEL_REQUIRE_SERVERS=1) but ${BINARY} is missing`)
  }
  return `${BINARY} is missing (apt-get install pgbouncer)`
}

/**
 * Starts PgBouncer in front of the PostgreSQL server on 127.0.0.1:5432, in `mode`, on a free
 * loopback port, with trust authentication for the `postgres` user. PgBouncer refuses to run as
 * root, so as root it switches to the `postgres` user.
 */
export async function startPooler(mode: 'transaction' | 'session'): Promise<Pooler> {
  const dir = mkdtempSync(join(tmpdir(), 'aludel-pgbouncer-'))
  chmodSync(dir, 0o777)
  const port = await freePort()
  const ini = join(dir, 'pgbouncer.ini')
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n')
  writeFileSync(
    ini,
    `[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = ${mode}
default_pool_size = 4
max_client_conn = 100
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
`,
  )
  const asRoot = process.getuid?.() === 0
  const child: ChildProcess = spawn(BINARY, [...(asRoot ? ['-u', 'postgres'] : []), ini], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const deadline = Date.now() + 10_000
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(join(dir, 'pgbouncer.log'))
        ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8')
        : ''
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`pgbouncer did not start: ${stderr}${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    through(url) {
      const pooled = new URL(url)
      pooled.hostname = '127.0.0.1'
      pooled.port = String(port)
      return pooled.toString()
    },
    async stop() {
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.connect(port, '127.0.0.1')
  })
}
