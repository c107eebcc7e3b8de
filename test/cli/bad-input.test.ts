import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, type ExpectStatic, inject, it } from 'vitest'
import { openPglite } from '../support/databases.ts'
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
 * stdout, and exactly one line on stderr that starts with `error: ` (a JSON object with --json),
 * names the problem (and the file at fault, where there is one), carries no stack trace, and
 * leaves the database as it was.
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
  /** Text the error line must not contain (an internal file name, say). */
  readonly never?: readonly string[]
  /** The command runs with --json: the error is a JSON object with this code. */
  readonly jsonCode?: string
}

/** Every error line is short, whatever the input: a message that repeats it in full buries it. */
const LONGEST_LINE = 1000

const long = 'x'.repeat(100_000)

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
  const shown = `exit ${run.code}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`
  expect(run.code, shown).toBe(status)
  expect(run.stderr, shown).toMatch(/^error: [^\n]+\n$/)
  expect(`${run.stdout}\n${run.stderr}`, 'a stack frame was printed').not.toMatch(/^\s+at /m)
  return run.stderr.slice('error: '.length, -1)
}

/**
 * The same for --json: one line on stderr holding `{"error": {code, message, category}}`;
 * returns the message.
 */
function jsonErrorLine(expect: ExpectStatic, run: CliRun, status: number, code: string): string {
  const shown = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`
  expect(run.code, shown).toBe(status)
  expect(run.stderr, shown).toMatch(/^\{[^\n]+\}\n$/)
  const parsed = JSON.parse(run.stderr) as { error: Record<string, unknown> }
  expect(Object.keys(parsed)).toEqual(['error'])
  expect(parsed.error).toEqual({
    code,
    message: expect.any(String),
    category: status === 2 ? 'usage' : 'failure',
  })
  return parsed.error.message as string
}

/** {@link databaseState} of the PGlite template: no tables at all. */
const EMPTY_DATABASE = JSON.stringify({ tables: [], versions: [] })

/**
 * What a failed command must not change in a PGlite database: its tables (aludel's own
 * included) and the rows of the version table.
 */
async function databaseState(dir: string): Promise<string> {
  const db = await openPglite(dir)
  try {
    const tables = await db.query<{ name: string }>(
      `SELECT schemaname || '.' || tablename AS name FROM pg_tables
       WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    )
    const names = tables.rows.map((r) => r.name)
    const versions = names.includes('public.aludel_version')
      ? (await db.query('SELECT version_num FROM aludel_version ORDER BY 1')).rows
      : []
    return JSON.stringify({ tables: names, versions })
  } finally {
    await db.close()
  }
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
    jsonCode: 'BAD_SCRIPT_HEADER',
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
    name: 'a migrations folder that is a file',
    setup: (p) => {
      rmSync(p.migrationsDir, { recursive: true })
      writeFileSync(p.migrationsDir, 'not a folder\n')
    },
    args: ['history'],
    says: (dir) => [
      `the migrations folder ${join(dir, 'migrations')} is a file, not a folder`,
      'point `migrations` in aludel.config.ts at the folder',
    ],
    never: ['ENOTDIR', 'scandir'],
  },
  {
    name: 'a migrations folder that is a symbolic link to nothing',
    setup: (p) => {
      rmSync(p.migrationsDir, { recursive: true })
      symlinkSync(join(p.dir, 'moved-away'), p.migrationsDir)
    },
    args: ['upgrade', 'head', '--sql'],
    says: (dir) => [
      `the migrations folder ${join(dir, 'migrations')} is a symbolic link to ${join(dir, 'moved-away')}, which does not exist`,
    ],
    never: ['ENOENT', 'scandir'],
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
    name: 'a config whose default export is a number',
    setup: config('export default 42\n'),
    args: ['heads'],
    says: ['aludel.config.ts must export an object', 'export default defineConfig({...})'],
  },
  {
    name: 'a config whose default export is a URL string',
    setup: config("export default 'pglite:./db'\n"),
    args: ['heads'],
    says: ['aludel.config.ts must export an object', 'export default defineConfig({...})'],
  },
  {
    name: '--config naming a folder',
    args: ['heads', '--config', '.'],
    says: (dir) => [`config file ${dir} is a folder`, `--config ${join(dir, 'aludel.config.ts')}`],
    never: ['dist', 'imported from', '.js'],
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
    name: 'a 100,000-character command',
    args: [long],
    says: [`unknown command '${'x'.repeat(60)}…'`],
  },
  {
    name: 'a 100,000-character option',
    args: ['upgrade', 'head', `--${long}`],
    says: [`unknown option '--${'x'.repeat(58)}…' for \`aludel upgrade\``],
  },
  {
    name: 'a 100,000-character extra argument',
    args: ['heads', long],
    says: [`unexpected argument '${'x'.repeat(60)}…'`],
  },
  {
    name: '--json with an error',
    setup: migrations({ revision: 'aaa' }),
    args: ['show', 'zzz', '--json'],
    jsonCode: 'REVISION_NOT_FOUND',
    says: ["no revision matches 'zzz'"],
  },
  {
    name: '--json before the command, with an unknown command',
    args: ['--json', 'shwo'],
    jsonCode: 'UNKNOWN_COMMAND',
    says: ["unknown command 'shwo'"],
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
    name: 'upgrade --sql with a range that goes down',
    setup: migrations({ revision: 'aaa' }, { revision: 'bbb', down: 'aaa' }),
    args: ['upgrade', 'head:base', '--sql'],
    says: ["cannot use 'head:base'", 'write `aludel downgrade head:base --sql`'],
  },
  {
    name: 'upgrade --sql with a range from a revision back to an older one',
    setup: migrations({ revision: 'aaa' }, { revision: 'bbb', down: 'aaa' }),
    args: ['upgrade', 'bbb:aaa', '--sql'],
    says: ["cannot use 'bbb:aaa'", 'write `aludel downgrade bbb:aaa --sql`'],
  },
  {
    name: 'downgrade --sql with a range that goes up',
    setup: migrations({ revision: 'aaa' }),
    args: ['downgrade', 'base:head', '--sql'],
    says: ["cannot use 'base:head'", 'write `aludel upgrade base:head --sql`'],
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
    name: 'a URL whose password holds an unencoded / ? and #',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'postgres://app:pa/ss?w#rd@127.0.0.1:1/db'],
    says: ["'postgres://app:***@127.0.0.1:1/db' is not a valid URL", 'percent-encode'],
    secret: 'ss?w#rd',
  },
  {
    name: 'a libpq key=value connection string',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', "host=127.0.0.1 port=1 user=app password='s3cret kv' dbname=app"],
    says: [
      "'host=127.0.0.1 port=1 user=app password=*** dbname=app' is a key=value connection string",
      'postgres://app:PASSWORD@127.0.0.1:1/app',
    ],
    secret: 's3cret kv',
  },
  {
    name: 'a URL naming an sslrootcert file that does not exist',
    setup: migrations({ revision: 'aaa' }),
    args: [
      'current',
      '--url',
      'postgres://app:s3cret-pw@127.0.0.1:1/db?sslrootcert=certs/root.crt',
    ],
    says: (dir) => [
      'the sslrootcert file certs/root.crt named in postgres://app:***@127.0.0.1:1/db?sslrootcert=certs/root.crt does not exist',
      join(dir, 'certs', 'root.crt'),
      'fix the path in the URL',
    ],
    never: ['ENOENT'],
    secret: 's3cret-pw',
  },
  {
    name: 'a MySQL URL with a parameter aludel does not know',
    setup: migrations({ revision: 'aaa' }),
    args: ['current', '--url', 'mysql://app:secret@127.0.0.1:1/prod?sslmode=require'],
    says: [
      "'mysql://app:***@127.0.0.1:1/prod?sslmode=require' has the parameter 'sslmode', which aludel does not know for MySQL; the ones it takes are ssl, socket and onlineDdl",
    ],
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
    name: "a target with two signs: '+-1'",
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['upgrade', '+-1'],
    says: ["cannot use '+-1': it is malformed", 'head-N', 'LABEL@head'],
  },
  {
    name: "a target with two signs: 'head--1'",
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }, { revision: 'bbb', down: 'aaa' }),
    before: ['upgrade', 'head'],
    args: ['downgrade', 'head--1'],
    says: ["cannot use 'head--1': it is malformed"],
  },
  {
    name: 'a 100,000-character target',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['upgrade', long],
    says: [`no revision matches '${'x'.repeat(60)}…'`],
  },
  {
    name: 'upgrade --sql to base with the database at head',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    before: ['upgrade', 'head'],
    args: ['upgrade', 'base', '--sql'],
    says: ["cannot use 'base'", 'write `aludel downgrade base --sql`'],
  },
  {
    name: 'aludel test with no models configured',
    url: 'pglite:./db',
    database: true,
    setup: migrations({ revision: 'aaa' }),
    args: ['test'],
    says: ['no models configured', '--skip-models'],
  },
  {
    name: 'a models module that does not exist',
    url: 'pglite:./db',
    database: true,
    setup: config(
      "import { defineConfig } from 'aludel'\nexport default defineConfig({ url: 'pglite:./db', schema: './src/missing.ts' })\n",
    ),
    args: ['check'],
    says: (dir) => [`the models module ${join(dir, 'src', 'missing.ts')}`, 'does not exist'],
    never: ['dist/', 'imported from'],
  },
  {
    name: 'a migration without a downgrade function',
    url: 'pglite:./db',
    database: true,
    setup: (project) =>
      writeFileSync(
        join(project.migrationsDir, 'aaa_one_way.ts'),
        "export const revision = 'aaa'\nexport const downRevision = null\nexport async function upgrade() {}\n",
      ),
    args: ['upgrade', 'head'],
    says: ["does not export a function 'downgrade'", "throw new Error('irreversible: why')"],
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

/** Folders the cases made, removed when the file is done. */
const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** Makes the folder a case runs in. */
function prepare(input: {
  readonly url?: string
  readonly database?: boolean
  readonly bare?: boolean
  readonly setup?: (project: TestProject) => void
}): { readonly dir: string; readonly cli: (args: readonly string[]) => Promise<CliRun> } {
  if (input.bare) {
    const dir = mkdtempSync(join(tmpdir(), 'aludel-bare-'))
    made.push(dir)
    return { dir, cli: (args) => runAludel(dir, args) }
  }
  const project = createProject(input.url)
  made.push(project.dir)
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
    const database = join(place.dir, 'db')
    // The template is a fresh database; only a case that ran a command first needs a look.
    const stateBefore = !input.database
      ? undefined
      : input.before === undefined
        ? EMPTY_DATABASE
        : await databaseState(database)
    const run = await place.cli(input.args)
    const line =
      input.jsonCode === undefined
        ? errorLine(expect, run, 2)
        : jsonErrorLine(expect, run, 2, input.jsonCode)
    expect(line.length).toBeLessThan(LONGEST_LINE)
    expect(run.stdout).toBe('')
    const says = typeof input.says === 'function' ? input.says(place.dir) : input.says
    for (const fragment of says) {
      if (typeof fragment === 'string') expect(line).toContain(fragment)
      else expect(line).toMatch(fragment)
    }
    for (const fragment of input.never ?? []) expect(line).not.toContain(fragment)
    if (input.secret !== undefined) {
      expect(`${run.stdout}${run.stderr}`).not.toContain(input.secret)
      expect(`${run.stdout}${run.stderr}`).not.toContain(encodeURIComponent(input.secret))
    }
    if (stateBefore !== undefined) expect(await databaseState(database)).toBe(stateBefore)
    else expect(existsSync(database), 'a database folder was created').toBe(false)
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

  it('an unreachable MySQL server', async ({ expect }) => {
    const place = prepare({ setup: migrations({ revision: 'aaa' }) })
    const run = await place.cli(['upgrade', 'head', '--url', 'mariadb://u:hunter2@127.0.0.1:1/db'])
    expect(errorLine(expect, run, 1)).toBe(
      'cannot connect to mariadb://u:***@127.0.0.1:1/db: connection refused; check that the server is running and the host and port are right',
    )
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2')
  })
})
