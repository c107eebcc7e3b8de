import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lint } from '../../src/commands/lint.ts'
import { longIdentifiers } from '../../src/lint/long-identifiers.ts'
import { loadSqlParser, parseSql, SqlSyntaxError } from '../../src/lint/parse-sql.ts'
import { RULES } from '../../src/lint/rule-catalog.ts'
import { createProject, repoRoot, type TestProject } from '../support/project.ts'

beforeAll(() => loadSqlParser())

describe('the SQL parser wrapper', () => {
  it('splits a script into statements, with the line each starts on, across multi-byte text', () => {
    const parsed = parseSql(
      "-- first\nINSERT INTO t VALUES ('é€😀');\n\n  UPDATE t SET a = 'x;y'; /* c */ DELETE FROM t",
    )
    expect(parsed.map((s) => s.sql)).toEqual([
      "INSERT INTO t VALUES ('é€😀')",
      "UPDATE t SET a = 'x;y'",
      '/* c */ DELETE FROM t',
    ])
    expect(parsed.map((s) => s.lineOffset)).toEqual([1, 3, 3])
    expect(Object.keys(parsed[1]!.ast)).toEqual(['UpdateStmt'])
  })

  it('reports where a statement does not parse', () => {
    expect(() => parseSql('ALTER TABLE')).toThrow(SqlSyntaxError)
  })
})

describe('identifiers over 63 bytes', () => {
  it('are found bare and quoted, and not inside strings, comments or dollar-quoted bodies', () => {
    const long = 'a'.repeat(64)
    const multibyte = 'é'.repeat(32) // 64 bytes in 32 characters
    expect(longIdentifiers(`CREATE TABLE ${long} (id int)`)).toEqual([long])
    expect(longIdentifiers(`CREATE TABLE "${multibyte}" (id int)`)).toEqual([multibyte])
    expect(
      longIdentifiers(
        `SELECT '${long}', $$ ${long} $$, $x$ ${long} $x$ -- ${long}\n /* ${long} */`,
      ),
    ).toEqual([])
    expect(longIdentifiers(`CREATE TABLE "${'b'.repeat(63)}" (id int)`)).toEqual([])
  })
})

describe('rules that need context', () => {
  let project: TestProject
  beforeAll(() => {
    project = createProject(undefined, { schema: './schema.ts' })
    writeFileSync(
      join(project.dir, 'schema.ts'),
      "import { bigint, table, text, varchar } from 'aludel'\nexport const users = table('users', { id: bigint().primaryKey(), email: text(), name: varchar(10) })\n",
    )
    project.writeMigration({
      revision: 'r1',
      upgrade:
        "await op.execute('CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(10), legacy text, stamp timestamp(0))')",
    })
    project.writeMigration({
      revision: 'r2',
      down: 'r1',
      upgrade: [
        "await op.dropColumn('users', 'email')",
        "await op.dropColumn('users', 'legacy')",
        "await op.execute('ALTER TABLE users ALTER COLUMN name TYPE varchar(5), ALTER COLUMN stamp TYPE timestamp(3)')",
        "await op.execute('ALTER TABLE external_table ALTER COLUMN x TYPE bigint')",
      ].join('\n  '),
    })
  })
  afterAll(() => rmSync(project.dir, { recursive: true, force: true }))

  it('raises a drop to an error when the models still use the column, and judges type changes by the known type', async () => {
    const { findings } = await lint(project.config, {
      selection: { kind: 'target', target: 'r1:r2' },
    })
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['ban-drop-column', 'error', 'DROP COLUMN users.email, which the models still define'],
      [
        'changing-column-type',
        'error',
        'changes users.name from varchar(10) to varchar(5), which rewrites the table',
      ],
      ['ban-drop-column', 'warning', 'DROP COLUMN users.legacy'],
      [
        'changing-column-type',
        'warning',
        'changes the type of external_table.x to int8; its current type is unknown to lint (the column was not made by a migration), so it may rewrite the table (--trace measures it)',
      ],
    ])
  })
})

describe('hostile names and broken migrations', () => {
  let project: TestProject
  beforeAll(() => {
    project = createProject(undefined)
    project.writeMigration({
      revision: 'h1',
      upgrade: `await op.execute('CREATE SCHEMA "we.ird"; CREATE TABLE "we.ird"."ta""ble; DROP" (id bigint PRIMARY KEY, "co.l" text)')`,
    })
    project.writeMigration({
      revision: 'h2',
      down: 'h1',
      upgrade: [
        `await op.createIndex('ix "odd"', 'ta"ble; DROP', ['co.l'], { schema: 'we.ird' })`,
        `await op.alterColumn('ta"ble; DROP', 'co.l', { nullable: false, schema: 'we.ird' })`,
        "throw new Error('migration bug\\nsecond line')",
      ].join('\n  '),
    })
  })
  afterAll(() => rmSync(project.dir, { recursive: true, force: true }))

  it('names quoted objects exactly, and reports where an upgrade stopped', async () => {
    const { findings } = await lint(project.config, {
      selection: { kind: 'target', target: 'h1:h2' },
    })
    expect(findings.map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        'require-concurrent-index-creation',
        11,
        'CREATE INDEX ix "odd" on existing table we.ird.ta"ble; DROP',
      ],
      [
        'adding-not-nullable-field',
        12,
        'SET NOT NULL on we.ird.ta"ble; DROP.co.l without a validated CHECK (co.l IS NOT NULL)',
      ],
      ['lint-incomplete', 13, 'upgrade() failed while being collected: migration bug'],
    ])
  })
})

describe('the README', () => {
  it('states how many rules there are', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    expect(readme).toContain(`checked against ${RULES.length} rules`)
  })
})

describe('docs/lint-rules.md', () => {
  it('documents every rule, with its summary', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'lint-rules.md'), 'utf8')
    for (const rule of RULES) {
      expect(doc).toContain(`## ${rule.id}\n`)
      expect(doc).toContain(`**${rule.severity}**: ${rule.summary}.`)
    }
  })
})
