/**
 * The main job end to end, on the embedded default (PGlite, no server): migrate the example
 * service's database to head, start the service, create a user and an item over HTTP, show
 * `aludel current` and `aludel history`, downgrade one step and upgrade again, and serve once
 * more. Every step is a real command or a real request; the script exits 0 only if each succeeds.
 *
 * Usage: npm run demo   (or: node scripts/demo.ts [--keep])
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const app = join(repo, 'examples', 'fastify-app')
const bin = join(repo, 'bin', 'aludel.js')
const keep = process.argv.includes('--keep')
const data = mkdtempSync(join(tmpdir(), 'aludel-demo-'))
// One DATABASE_URL for aludel and the service: an embedded PGlite folder of the demo's own.
const env = { ...process.env, DATABASE_URL: `pglite:${join(data, 'db')}`, LOG_LEVEL: 'warn' }
let step = 0

function heading(text: string): void {
  step++
  console.log(`\n── ${step}. ${text}`)
}

function fail(message: string): never {
  console.error(`\ndemo failed: ${message}`)
  process.exit(1)
}

function aludel(...args: string[]): string {
  console.log(`$ aludel ${args.join(' ')}`)
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: app, env, encoding: 'utf8' })
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  if (result.status !== 0) fail(`\`aludel ${args.join(' ')}\` exited with ${result.status}`)
  return result.stdout
}

async function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => done(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function startService(port: number): Promise<ChildProcess> {
  console.log(`$ node src/server.ts   (PORT=${port})`)
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: app,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  let exitCode: number | null | undefined
  child.once('exit', (code) => {
    exitCode = code
  })
  for (let i = 0; i < 200; i++) {
    if (exitCode !== undefined) fail(`the service exited with ${exitCode} before serving`)
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => undefined,
    )
    if (status === 200) {
      console.log(`service up on http://127.0.0.1:${port} (docs at /docs)`)
      return child
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGTERM')
  return fail('the service did not become healthy within 20 s')
}

async function stopService(child: ChildProcess): Promise<void> {
  console.log('stopping the service (SIGTERM)')
  const exited = new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode)
    else child.once('exit', done)
  })
  child.kill('SIGTERM')
  const code = await exited
  if (code !== 0) fail(`the service stopped with ${code}`)
}

async function request(port: number, method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  console.log(`${method} ${path} -> ${response.status} ${text}`)
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

try {
  console.log(`aludel demo: the example service on an embedded PGlite database (${data})`)

  heading('Migrate the database to head')
  aludel('upgrade', 'head')

  heading('Start the service and use it')
  const port = await freePort()
  let service = await startService(port)
  const user = await request(port, 'POST', '/users', {
    email: 'ada@example.com',
    password: 'correct horse battery staple',
    first_name: 'Ada',
    last_name: 'Lovelace',
  })
  if (user.status !== 201) fail('creating a user did not return 201')
  const userId = (user.json as { id: number }).id
  const item = await request(port, 'POST', '/items', {
    title: 'Analytical Engine notes',
    description: 'Note G',
    owner_id: userId,
  })
  if (item.status !== 201) fail('creating an item did not return 201')
  const health = await request(port, 'GET', '/health')
  if (health.status !== 200) fail('/health did not report the database at head')
  // PGlite keeps its folder to one process: the service lets go before aludel opens it.
  await stopService(service)

  heading('Where the database stands')
  aludel('current')
  aludel('history')

  heading('Down one step, and up again')
  aludel('downgrade', '-1')
  aludel('current')
  aludel('upgrade', 'head')

  heading('The service serves the same data again')
  service = await startService(port)
  const items = await request(port, 'GET', '/items')
  if (items.status !== 200 || !Array.isArray(items.json) || items.json.length !== 1) {
    fail('the item created before the downgrade is not there')
  }
  await stopService(service)

  console.log('\ndemo finished: every step succeeded')
} finally {
  if (keep) console.log(`\nThe database is kept in ${data}`)
  else rmSync(data, { recursive: true, force: true })
}
