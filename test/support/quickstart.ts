import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'

/** Runs `aludel ARGS` in the project folder and returns its stdout; it must succeed quietly. */
export type QuickStartCli = (...args: string[]) => Promise<string>

/**
 * The README's quick start after `aludel init`, command by command, as a new user types it: two
 * migrations written with `revision` and filled in by hand, `upgrade head`, `current`, `history`,
 * `downgrade base`, `current`. Returns the two revision ids.
 */
export async function runQuickStart(
  aludel: QuickStartCli,
  dir: string,
): Promise<{ readonly first: string; readonly second: string }> {
  const edit = (suffix: string, up: string, down: string) => {
    const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith(suffix))!
    const path = join(dir, 'migrations', file)
    const text = readFileSync(path, 'utf8')
    // The placeholders `revision` writes, replaced as a person would.
    const filled = text
      .replace("  // await op.execute('...')", `  await op.execute(${JSON.stringify(up)})`)
      .replace(
        / {2}\/\/ undo what upgrade\(\) does[^\n]*\n {2}\/\/ throw [^\n]*/,
        `  await op.execute(${JSON.stringify(down)})`,
      )
    expect(filled, `the placeholders of ${file}`).not.toBe(text)
    writeFileSync(path, filled)
    return file.slice(0, 12)
  }
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
  // The run's time, and the steps' own beside it (the rest is the lock, the files, the start-up).
  expect(up).toMatch(
    new RegExp(
      `\\nUpgraded <base> -> ${second}: 2 migrations in [\\d.]+ m?s \\(the steps themselves [\\d.]+ m?s\\)\\n$`,
    ),
  )
  expect(await aludel('current')).toBe(`${second} (head), add account email\n`)
  expect(await aludel('history')).toBe(
    `${first} -> ${second} (head), add account email\n<base> -> ${first}, create account table\n`,
  )
  const down = await aludel('downgrade', 'base')
  expect(down).toContain(`Running downgrade ${first} -> <base>, create account table ... `)
  expect(await aludel('current')).toBe('<base>\n2 migrations pending; run `aludel upgrade head`\n')
  return { first, second }
}
