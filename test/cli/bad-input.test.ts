import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, type ExpectStatic, inject, it } from 'vitest'
import {
  type CliRun,
  createProject,
  type MigrationSpec,
  migrationSource,
  repoRoot,
  type TestProject,
} from '../support/project.ts'

/**
 * A corpus of bad input for the `aludel` command: each case breaks the project or the arguments
 * one way, runs the real CLI, and checks the contract for bad usage — exit status 2, nothing on
 * stdout, and exactly one line on stderr that starts with `error: `, names the problem (and the
 * file at fault, where there is one) and carries no stack trace.
 */
interface BadInput {
  readonly name: string
  /** The `url` written into aludel.config.ts; none by default. */
  readonly url?: string
  /** Copies a ready PGlite database to ./db (copying the template is fast; initdb is not). */
  readonly database?: boolean
  /** Run in an empty folder with no aludel.config.ts anywhere in it, instead of a project. */
  readonly bare?: boolean
  /** Breaks the project: writes migrations, config, or removes folders. */
  readonly setup?: (project: TestProject) => void
  /** A command run first, which must succeed (to bring the database somewhere). */
  readonly before?: readonly string[]
  readonly args: readonly string[]
  /** Text the error line must contain; a function gets the folder the command ran in. */
  readonly says: readonly (string | RegExp)[] | ((dir: string) => readonly (string | RegExp)[])
  /** A password given on the command line, which must not appear in any output. */
  readonly secret?: string
}

const bin = join(repoRoot, 'bin', 'aludel.js')

/** Runs `aludel ARGS` in any folder, with the same environment as `TestProject.cli`. */
function runAludel(cwd: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        done({ code, stdout, stderr })
      },
    )
  })
}

/** Writes a file into the migrations folder as given, for headers `writeMigration` cannot make. */
function writeFile(project: TestProject, name: string, text: string): void {
  writeFileSync(join(project.migrationsDir, name), text)
}

function migrations(...specs: readonly MigrationSpec[]): (project: TestProject) => void {
  return (project) => {
    for (const spec of specs) project.writeMigration(spec)
  }
}

function config(text: string): (project: TestProject) => void {
  return (project) => writeFileSync(join(project.dir, 'aludel.config.ts'), text)
}

/** Two heads, bbb and ccc, on top of aaa. */
const forked = migrations(
  { revision: 'aaa' },
  { revision: 'bbb', down: 'aaa' },
  { revision: 'ccc', down: 'aaa' },
)

/**
 * Checks that `run` failed with `status` and reported one error line without a stack trace, and
 * returns that line without its `error: ` prefix.
 */
function errorLine(expect: ExpectStatic, run: CliRun, status: number): string {
  const shown = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`
  expect(run.code, shown).toBe(status)
  expect(run.stderr, shown).toMatch(/^error: [^\n]+\n$/)
  expect(`${run.stdout}\n${run.stderr}`, 'a stack frame was printed').not.toMatch(/^\s+at /m)
  return run.stderr.slice('error: '.length, -1)
}

const cases: readonly BadInput[] = [
  // A broken migrations folder: every case names the file at fault.
  {
    name: 'a header whose revision is not a literal',
    setup: (p) =>
      writeFile(
        p,
        'a1b2_make_id.ts',
        "/** Uses a helper */\nimport { makeId } from './_ids.ts'\nexport const revision = makeId()\n",
      ),
    args: ['heads'],
    says: ['a1b2_make_id.ts:3: ', '`revision` must be', 'without running the file'],
  },
  {
    name: 'a file without a revision export',
    setup: (p) => writeFile(p, 'helpers.ts', 'export function tableName() { return "t" }\n'),
    args: ['history'],
    says: ['helpers.ts: ', "export const revision = '...'", "leading '_'"],
  },
  {
    name: 'an unterminated string in a header',
    setup: (p) => writeFile(p, 'aaa_broken.ts', "/** x */\nexport const revision = 'aaa\n"),
    args: ['upgrade', 'head', '--sql'],
    says: ['aaa_broken.ts:2: ', 'unterminated string literal'],
  },
  {
    name: "transactional = 'yes'",
    setup: (p) =>
      writeFile(
        p,
        'aaa_index.ts',
        "export const revision = 'aaa'\nexport const transactional = 'yes'\n",
      ),
    args: ['heads', '--json'],
    says: ['aaa_index.ts:2: ', '`transactional` must be true or false'],
  },
  {
    name: 'one revision id in two files',
    setup: (p) => {
      writeFile(p, 'aaa_first.ts', migrationSource({ revision: 'aaa' }))
      writeFile(p, 'aaa_second.ts', migrationSource({ revision: 'aaa' }))
    },
    args: ['heads'],
    says: ['revision aaa is defined twice', 'aaa_first.ts', 'aaa_second.ts'],
  },
  {
    name: 'a downRevision that names no file',
    setup: migrations({ revision: 'aaa' }, { revision: 'bbb', down: 'zzz' }),
    args: ['history'],
    says: ['bbb_step.ts', "downRevision 'zzz' names no migration"],
  },
  {
    name: 'a dependsOn that names nothing',
    setup: migrations({ revision: 'aaa', dependsOn: ['zzz'] }),
    args: ['heads'],
    says: ['aaa_step.ts', "dependsOn 'zzz' names no migration"],
  },
  {
    name: 'a cycle of two revisions',
    setup: migrations({ revision: 'aaa', down: 'bbb' }, { revision: 'bbb', down: 'aaa' }),
    args: ['heads'],
    says: ['aaa_step.ts', 'bbb_step.ts', 'form a cycle'],
  },
  {
    name: 'a revision that is its own downRevision',
    setup: migrations({ revision: 'aaa', down: 'aaa' }),
    args: ['heads'],
    says: ['aaa (aaa_step.ts)', 'names itself'],
  },
  {
    name: 'a branch label declared twice',
    setup: migrations(
      { revision: 'aaa', branchLabels: ['feature'] },
      { revision: 'bbb', down: 'aaa', branchLabels: ['feature'] },
    ),
    args: ['branches'],
    says: ["branch label 'feature' is declared twice", 'aaa_step.ts', 'bbb_step.ts'],
  },
  {
    name: 'a missing migrations folder',
    setup: (p) => rmSync(p.migrationsDir, { recursive: true }),
    args: ['history'],
    says: (dir) => [`migrations folder ${join(dir, 'migrations')} does not exist`, 'aludel init'],
  },

  // The configuration.
  {
    name: 'no config file in the folder or above it',
    bare: true,
    args: ['heads'],
    says: (dir) => [`no aludel.config.ts in ${dir}`, 'aludel init', '--config'],
  },
  {
    name: '--config naming a missing file',
    args: ['heads', '--config', 'elsewhere.config.ts'],
    says: (dir) => [`${join(dir, 'elsewhere.config.ts')} does not exist`, '--config'],
  },
  {
    name: 'a config with an unknown option',
    setup: config("export default { migratons: './db/migrations' }\n"),
    args: ['heads'],
    says: ['aludel.config.ts', "unknown option 'migratons'", "did you mean 'migrations'?"],
  },
  {
    name: 'a config with a syntax error',
    setup: config(
      "import { defineConfig } from 'aludel'\nexport default defineConfig({ url: 'x' )\n",
    ),
    args: ['heads'],
    says: ['cannot load ', /aludel\.config\.ts:2: \S/],
  },
  {
    name: 'a config without a default export',
    setup: config("export const url = 'pglite:./db'\n"),
    args: ['heads'],
    says: ['aludel.config.ts has no default export', 'export default defineConfig'],
  },
  {
    name: 'a config option of the wrong type',
    setup: config("export default { transactionPerMigration: 'yes' }\n"),
    args: ['heads'],
    says: ["'transactionPerMigration' must be true or false"],
  },
  {
    name: 'no database configured',
    setup: migrations({ revision: 'aaa' }),
    args: ['upgrade', 'head'],
    says: ['no database configured', 'DATABASE_URL', '--url'],
  },

  // Arguments.
  {
    name: 'an unknown command',
    args: ['upgrdae', 'head'],
    says: ["unknown command 'upgrdae'", "did you mean 'upgrade'?", 'aludel --help'],
  },
  {
    name: 'an unknown option',
    args: ['upgrade', 'head', '--bogus'],
    says: ["unknown option '--bogus' for `aludel upgrade`", 'usage: aludel upgrade TARGET'],
  },
  {
    name: 'an option without its value',
    args: ['revision', '-m'],
    says: ['option --message needs a value', 'usage: aludel revision -m MSG'],
  },
  {
    name: 'a value for a flag',
    args: ['upgrade', 'head', '--sql=yes'],
    says: ['option --sql takes no value'],
  },
  {
    name: 'a missing argument',
    args: ['upgrade'],
    says: ['missing argument', 'usage: aludel upgrade TARGET'],
  },
  {
    name: 'too many arguments',
    args: ['upgrade', 'head', 'base'],
    says: ["unexpected argument 'base'", 'usage: aludel upgrade TARGET'],
  },
  {
    name: 'revision without -m',
    setup: migrations({ revision: 'aaa' }),
    args: ['revision'],
    says: ['--message is required', 'aludel revision -m'],
  },
  {
    name: 'revision with an unusable --rev-id',
    args: ['revision', '-m', 'add users', '--rev-id', 'bad id'],
    says: ["'bad id' is not a usable revision id", "letters, digits and '_'"],
  },
  {
    name: 'revision with a --rev-id already taken',
    setup: migrations({ revision: 'aaa' }),
    args: ['revision', '-m', 'add users', '--rev-id', 'aaa'],
    says: ["revision id 'aaa' is already used by aaa_step.ts", '--rev-id'],
  },
  {
    name: 'revision with an unusable --branch-label',
    args: ['revision', '-m', 'add users', '--branch-label', 'bad label'],
    says: ["'bad label' is not a usable branch label"],
  },
  {
    name: 'revision --head naming an unknown revision',
    setup: migrations({ revision: 'aaa' }),
    args: ['revision', '-m', 'add users', '--head', 'zzz'],
    says: ["no revision matches 'zzz'", 'aludel history'],
  },
  {
    name: 'revision --head naming a revision that is not a head',
    setup: migrations({ revision: 'aaa' }, { revision: 'bbb', down: 'aaa' }),
    args: ['revision', '-m', 'add users', '--head', 'aaa'],
    says: ['aaa is not a head', 'children bbb', '--splice'],
  },
  {
    name: 'revision when there are two heads',
    setup: forked,
    args: ['revision', '-m', 'add users'],
    says: ['2 heads (bbb, ccc)', '--head', 'aludel merge heads -m MSG'],
  },
  {
    name: 'merge of a single revision',
    setup: migrations({ revision: 'aaa' }),
    args: ['merge', 'aaa', '-m', 'join'],
    says: ["cannot use 'aaa'", 'a merge needs at least two revisions', 'only aaa'],
  },
  {
    name: 'a --sql range with two colons',
    setup: migrations({ revision: 'aaa' }),
    args: ['upgrade', 'base:aaa:head', '--sql'],
    says: ["'base:aaa:head'", 'FROM:TO'],
  },
  {
    name: 'a history range with two colons',
    setup: migrations({ revision: 'aaa' }),
    args: ['history', '-r', 'base:aaa:head'],
    says: ["'base:aaa:head'", 'FROM:TO'],
  },
  {
    name: 'show of an unknown revision',
    setup: migrations({ revision: 'aaa' }),
    args: ['show', 'zzz'],
    says: ["no revision matches 'zzz'"],
  },

  // Database URLs: the password never shows.
  {
    name: 'a URL without a host',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'postgres://user:secret@'],
    says: ["'postgres://user:***@' has no host", 'postgres://user@host:5432/database'],
    secret: 'secret',
  },
  {
    name: 'a URL with an unknown scheme',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'mysql2://x'],
    says: ["unknown scheme 'mysql2:'", "did you mean 'mysql:'?", 'postgres:'],
  },
  {
    name: 'a SQLAlchemy URL with a driver in the scheme',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'postgresql+psycopg2://app:secret@db.internal/prod'],
    says: ["unknown scheme 'postgresql+psycopg2:'", "did you mean 'postgresql:'?"],
    secret: 'secret',
  },
  {
    name: 'a URL for a database this version does not support',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'mysql://app:secret@db.internal/prod'],
    says: ['mysql databases are not supported'],
    secret: 'secret',
  },

  // Targets that only make sense against the database (PGlite, copied from the template).
  {
    name: 'upgrade head with two heads',
    url: 'pglite:./db',
    database: true,
    setup: forked,
    args: ['upgrade', 'head'],
    says: ["'head' is ambiguous", '2 heads (bbb, ccc)', "'heads'", 'aludel merge heads'],
  },
  {
    name: 'upgrade to an unknown revision',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['upgrade', 'nosuchrev'],
    says: ["no revision matches 'nosuchrev'", 'aludel history'],
  },
  {
    name: 'an ambiguous partial revision id',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'ab1' }, { revision: 'ab2', down: 'ab1' }),
    args: ['upgrade', 'ab'],
    says: ["'ab' matches several revisions (ab1, ab2)", 'more characters'],
  },
  {
    name: 'upgrade +1 past the head',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    before: ['stamp', 'aaa'],
    args: ['upgrade', '+1'],
    says: ["cannot use '+1'", 'aaa is a head'],
  },
  {
    name: 'downgrade to a revision that is not applied',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['downgrade', 'aaa'],
    says: ['aaa is not applied to the database', 'aludel upgrade'],
  },
  {
    name: 'stamp of an unknown revision',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['stamp', 'zzz'],
    says: ["no revision matches 'zzz'"],
  },
]

/** Makes the folder a case runs in. */
function prepare(input: {
  readonly url?: string
  readonly database?: boolean
  readonly bare?: boolean
  readonly setup?: (project: TestProject) => void
}): { readonly dir: string; readonly cli: (args: readonly string[]) => Promise<CliRun> } {
  if (input.bare) {
    const dir = mkdtempSync(join(tmpdir(), 'aludel-bare-'))
    return { dir, cli: (args) => runAludel(dir, args) }
  }
  const project = createProject(input.url)
  if (input.database) cpSync(inject('pgliteTemplate'), join(project.dir, 'db'), { recursive: true })
  input.setup?.(project)
  return { dir: project.dir, cli: (args) => project.cli(args) }
}

describe.concurrent('bad input exits 2 with one error line', () => {
  it.for(cases)('$name', async (input, { expect }) => {
    const place = prepare(input)
    if (input.before !== undefined) {
      const first = await place.cli(input.before)
      expect(first.code, first.stderr).toBe(0)
    }
    const run = await place.cli(input.args)
    const line = errorLine(expect, run, 2)
    expect(run.stdout).toBe('')
    const says = typeof input.says === 'function' ? input.says(place.dir) : input.says
    for (const fragment of says) {
      if (typeof fragment === 'string') expect(line).toContain(fragment)
      else expect(line).toMatch(fragment)
    }
    if (input.secret !== undefined) {
      expect(`${run.stdout}${run.stderr}`).not.toContain(input.secret)
    }
  })
})

describe.concurrent('failures exit 1 with one error line', () => {
  it('a migration whose upgrade throws', async ({ expect }) => {
    const place = prepare({
      url: 'pglite:./db',
      database: true,
      setup: migrations({
        revision: 'aaa',
        message: 'create users',
        upgrade: "throw new Error('users table exploded')",
      }),
    })
    const run = await place.cli(['upgrade', 'head'])
    const line = errorLine(expect, run, 1)
    expect(line).toContain('upgrade aaa (create users) failed: users table exploded')
    expect(line).toContain('the database is still at base')
    // The step announced on stdout is closed, so the error does not land mid-line.
    expect(run.stdout).toBe('Running upgrade <base> -> aaa, create users ... failed\n')
  })

  it('an unreachable server', async ({ expect }) => {
    const place = prepare({ setup: migrations({ revision: 'aaa' }) })
    const run = await place.cli(['upgrade', 'head', '--url', 'postgres://u:hunter2@127.0.0.1:1/db'])
    const line = errorLine(expect, run, 1)
    expect(line).toContain('cannot connect to postgres://u:***@127.0.0.1:1/db')
    expect(run.stdout).toBe('')
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2')
  })
})
