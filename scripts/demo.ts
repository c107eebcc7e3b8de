/**
 * The main job, end to end, on the embedded default (PGlite, no server): set up a project, write
 * two migrations, upgrade to head, look at current and history, downgrade to base. Every step is a
 * real `aludel` command; the script exits non-zero if any of them fails.
 *
 * Usage: npm run demo   (or: node scripts/demo.ts [--keep])
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const bin = join(repo, 'bin', 'aludel.js')
const keep = process.argv.includes('--keep')
const dir = mkdtempSync(join(tmpdir(), 'aludel-demo-'))
mkdirSync(join(dir, 'node_modules'))
symlinkSync(repo, join(dir, 'node_modules', 'aludel'), 'dir')

function aludel(...args: string[]): string {
  console.log(`\n$ aludel ${args.join(' ')}`)
  const env = { ...process.env }
  delete env.DATABASE_URL // the embedded default
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env })
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  if (result.status !== 0) {
    console.error(`\ndemo failed: \`aludel ${args.join(' ')}\` exited with ${result.status}`)
    process.exit(1)
  }
  return result.stdout
}

function fill(file: string, upgrade: string, downgrade: string): void {
  const path = join(dir, 'migrations', file)
  const text = readFileSync(path, 'utf8')
  writeFileSync(
    path,
    text
      .replace("  // await op.execute('...')", upgrade)
      .replace('  // undo what upgrade() does, in reverse order', downgrade),
  )
  console.log(`(edited migrations/${file})`)
}

console.log(`aludel demo in ${dir} (embedded PGlite database in .aludel-data/)`)
aludel('init')
aludel('revision', '-m', 'create users table', '--rev-id', 'a1f3c0de0001')
fill(
  'a1f3c0de0001_create_users_table.ts',
  "  await op.execute('CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE)')",
  "  await op.execute('DROP TABLE users')",
)
aludel('revision', '-m', 'add is_active to users', '--rev-id', 'b2e4d1ce0002')
fill(
  'b2e4d1ce0002_add_is_active_to_users.ts',
  "  await op.execute('ALTER TABLE users ADD COLUMN is_active boolean NOT NULL DEFAULT true')",
  "  await op.execute('ALTER TABLE users DROP COLUMN is_active')",
)
aludel('history')
aludel('upgrade', 'head')
aludel('current')
aludel('upgrade', 'head')
aludel('downgrade', '-1')
aludel('current')
aludel('upgrade', 'head', '--sql')
aludel('downgrade', 'base')
aludel('current')
if (keep) console.log(`\nThe project is kept in ${dir}`)
else rmSync(dir, { recursive: true, force: true })
console.log('\ndemo finished: every step succeeded')
