import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from './support/databases.ts'
import { createProject } from './support/project.ts'
import { runQuickStart } from './support/quickstart.ts'

/** The README's quick start, command by command, as a new user would type it. */
describe.each(backends())('the README quick start on $backend', ({ backend, skip }) => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
  })

  it.skipIf(skip)('init, two migrations, upgrade, current, history, downgrade base', async () => {
    // A folder with aludel installed and nothing else.
    const project = createProject(undefined)
    const dir = join(project.dir, 'app')
    const env: Record<string, string> = {}
    if (backend === 'postgres') {
      db = await createDatabase('postgres')
      env.DATABASE_URL = db.url
    }
    const aludel = async (...args: string[]) => {
      const result = await project.cli(args, env, args[0] === 'init' ? project.dir : dir)
      expect(result.stderr, `aludel ${args.join(' ')}`).toBe('')
      expect(result.code, `aludel ${args.join(' ')}`).toBe(0)
      return result.stdout
    }
    await aludel('init', dir)
    await runQuickStart(aludel, dir)
    if (backend === 'pglite') {
      // No DATABASE_URL: the generated config fell back to the embedded database.
      expect(readdirSync(join(dir, '.aludel-data'))).toContain('PG_VERSION')
    } else {
      const ledger = await db!.query('SELECT count(*)::int AS n FROM aludel_version_ledger')
      expect(ledger).toEqual([{ n: 4 }])
    }
  })
})
