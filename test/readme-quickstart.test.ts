import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, createDatabase, type TestDatabase } from './support/databases.ts'
import { createProject } from './support/project.ts'

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
    const edit = (suffix: string, up: string, down: string) => {
      const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith(suffix))!
      const path = join(dir, 'migrations', file)
      writeFileSync(
        path,
        readFileSync(path, 'utf8')
          .replace("  // await op.execute('...')", `  await op.execute(${JSON.stringify(up)})`)
          .replace(
            '  // undo what upgrade() does, in reverse order',
            `  await op.execute(${JSON.stringify(down)})`,
          ),
      )
      return file.slice(0, 12)
    }

    await aludel('init', dir)
    await aludel('revision', '-m', 'create account table')
    const first = edit(
      '_create_account_table.ts',
      'CREATE TABLE account (id serial PRIMARY KEY, name text NOT NULL)',
      'DROP TABLE account',
    )
    await aludel('revision', '-m', 'add account email')
    const second = edit(
      '_add_account_email.ts',
      'ALTER TABLE account ADD COLUMN email text',
      'ALTER TABLE account DROP COLUMN email',
    )

    const up = await aludel('upgrade', 'head')
    expect(up).toContain(`Running upgrade <base> -> ${first}, create account table ... `)
    expect(up).toContain(`Running upgrade ${first} -> ${second}, add account email ... `)
    expect(await aludel('current')).toBe(`${second} (head), add account email\n`)
    expect(await aludel('history')).toBe(
      `${first} -> ${second} (head), add account email\n<base> -> ${first}, create account table\n`,
    )
    const down = await aludel('downgrade', 'base')
    expect(down).toContain(`Running downgrade ${first} -> <base>, create account table ... `)
    expect(await aludel('current')).toBe(
      '<base>\n2 migrations pending; run `aludel upgrade head`\n',
    )
    if (backend === 'pglite') {
      // No DATABASE_URL: the generated config fell back to the embedded database.
      expect(readdirSync(join(dir, '.aludel-data'))).toContain('PG_VERSION')
    } else {
      const ledger = await db!.query('SELECT count(*)::int AS n FROM aludel_version_ledger')
      expect(ledger).toEqual([{ n: 4 }])
    }
  })
})
