import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { upgrade } from 'aludel'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { configFor } from './support/test-app.ts'

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))

/** The real server process, `node src/server.ts`, with its own environment. */
function startServer(databaseUrl: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0' }
  // Whatever the test runner put there is not what a deployment would have.
  delete env.NODE_OPTIONS
  return spawn(process.execPath, ['src/server.ts'], { cwd: APP_DIR, env, stdio: 'pipe' })
}

/** Waits for the process to end; its exit status and everything it wrote. */
async function finished(child: ChildProcess) {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}

/** Resolves with the URL the server listens on, read from its first log lines. */
async function listening(child: ChildProcess): Promise<string> {
  let seen = ''
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const url = /Server listening at (http:\/\/[^"\s]+)/.exec(seen)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)))
  })
}

for (const backend of backends()) {
  const title = `start-up check on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
    })
    afterAll(async () => {
      await database?.drop()
    })

    /** Starts the server, expects exit status 1, returns the single stderr line. */
    async function refusal(url = database.url): Promise<string> {
      const { code, stdout, stderr } = await finished(startServer(url))
      expect(code).toBe(1)
      expect(stdout).toBe('')
      expect(stderr.endsWith('\n')).toBe(true)
      const lines = stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      return lines[0]!
    }

    it('refuses to start on an empty database (base)', async () => {
      expect(await refusal()).toBe(
        'fastify-app: refusing to start: the database is at base and 6 migrations are not applied (next: 9a51eccd4df0); run `aludel upgrade head` before starting the application',
      )
    })

    it('refuses to start on a database behind the code', async () => {
      await upgrade(await configFor(database.url), '392e940e3c2e')
      expect(await refusal()).toBe(
        'fastify-app: refusing to start: the database is at 392e940e3c2e and 3 migrations are not applied (next: 17a70fc71df7); run `aludel upgrade head` before starting the application',
      )
    })

    it('refuses to start on a database at a revision the code does not have', async () => {
      await upgrade(await configFor(database.url), 'head')
      // What a database migrated by a newer release, or by another branch, looks like.
      await database.query(`UPDATE aludel_version SET version_num = 'ffffffffffff'`)
      const line = await refusal()
      expect(line).toMatch(
        /^fastify-app: refusing to start: the database is at ffffffffffff, which this code's migrations do not contain/,
      )
      await database.query(`UPDATE aludel_version SET version_num = '4f781bf0ac9f'`)
    })

    it('starts at head, serves /health, and stops cleanly on SIGTERM', async () => {
      await upgrade(await configFor(database.url), 'head')
      const child = startServer(database.url)
      const exit = finished(child)
      const base = await listening(child)
      const response = await fetch(`${base}/health`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'ok', at_head: true })
      child.kill('SIGTERM')
      const { code, stderr } = await exit
      expect(code).toBe(0)
      expect(stderr).toBe('')
    })

    // A server URL can carry a password; a file URL cannot.
    if (backend.name === 'postgres') {
      it('never prints the password of DATABASE_URL', async () => {
        // The server trusts local connections, so the password is ignored, but it must not show.
        const url = new URL(database.url)
        url.password = 'hunter2-secret'
        await database.query(`UPDATE aludel_version SET version_num = '392e940e3c2e'`)
        const line = await refusal(url.toString())
        expect(line).toMatch(/^fastify-app: refusing to start: the database is at 392e940e3c2e/)
        expect(line).not.toContain('hunter2-secret')
      })
    }

    if (backend.name === 'mysql') {
      it('never prints the password of DATABASE_URL, even when the server refuses it', async () => {
        // root has no password here, so the server refuses the login: the error must not echo it.
        const url = new URL(database.url)
        url.password = 'hunter2-secret'
        const line = await refusal(url.toString())
        expect(line).toMatch(/^fastify-app: refusing to start: /)
        expect(line).not.toContain('hunter2-secret')
      })
    }
  })
}
