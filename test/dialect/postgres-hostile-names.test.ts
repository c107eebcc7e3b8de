import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresDdlCompiler } from '../../src/dialect/postgres/postgres-ddl-compiler.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { ColumnDef, LiteralValue } from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import { column, index, lit, T, table } from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'

/**
 * Names and strings chosen to break naive quoting: quotes, semicolons, spaces, reserved words,
 * mixed case, non-ASCII, placeholders, comment markers, backslashes and newlines. Each is used
 * for real on both backends and read back from the catalogs unchanged.
 */

const compiler = new PostgresDdlCompiler()
const q = (name: string) => compiler.quoteIdentifier(name)

const schema = 'Sch"ema; 日本'
const enumName = 'Mood 🐘'
const tableName = 'Order "Items"; DROP TABLE x; --'
const renamedTable = 'select'

/** Column names, each a different way to get quoting wrong. */
const names = [
  'we"ird',
  'semi;colon',
  'with space',
  'user',
  'order',
  'select',
  'MixedCase',
  '日本',
  'café',
  '🐘',
  'a.b',
  '$1',
  '--x',
  "it's",
  'back\\slash',
  'new\nline',
] as const

/** String values, each a different way to get literal escaping or placeholder scanning wrong. */
const strings = [
  "it's",
  'back\\slash',
  "E'x\\'y",
  '$1 and $2',
  '-- not a comment',
  '/* not a comment */',
  'new\nline\r\nend',
  '"double"',
  '$$dollar$$',
  '$aludel$',
  '日本語 é 🐘',
  "'; DROP TABLE x; --",
  '\\x00',
  'tab\there',
  '',
  '{a,b}',
] as const

const enumValues = ["it's", 'back\\slash', '$1', '-- x', 'new\nline', '$aludel$', '"q"', 'é 🐘']

const jsonDefault = { "it's": 'back\\slash "q"', $1: ['--', null, 1.5], 日本: { '': true } }

const textColumns: readonly ColumnDef[] = names.map((name, i) =>
  column(name, T.text, {
    default: lit(strings[i % strings.length]!),
    comment: strings[(i + 1) % strings.length],
  }),
)

const otherColumns: readonly ColumnDef[] = [
  column('Mood', T.enum(enumName, schema), { default: lit("it's") }),
  column('moods []', T.array(T.enum(enumName, schema)), {
    default: lit(['$aludel$', 'back\\slash']),
  }),
  column('json "doc"', T.jsonb, { default: lit(jsonDefault) }),
  column('tags', T.array(T.text), { default: lit([...strings]) }),
]

const allColumns = [...textColumns, ...otherColumns]

/** Every column as text, in insertion order of a serial key. */
async function readAll(s: DialectSession, relation: string, columns: readonly string[]) {
  const list = columns.map((c) => `${q(c)}::text AS ${q(c)}`).join(', ')
  return s.rows<Record<string, string | null>>(
    `SELECT ${list} FROM ${relation} ORDER BY ${q('order')}`,
  )
}

function qualified(name: string): string {
  return compiler.quoteQualified(schema, name)
}

describe.each(backends())('hostile names and literals on $backend', ({ backend, skip }) => {
  let s: DialectSession | undefined
  const run = (op: MigrationOp) => s!.run(op)
  const rows = <Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
    s!.rows<Row>(sql, params)

  beforeAll(async () => {
    if (skip) return
    s = await openSession(backend)
  })

  afterAll(async () => {
    await s?.close()
  })

  it.skipIf(skip)('schema and enum, with a dollar tag that avoids the values', async () => {
    await run({ kind: 'createSchema', name: schema, ifNotExists: false })
    const createEnum: MigrationOp = {
      kind: 'createEnum',
      enum: { schema, name: enumName, values: enumValues },
      ifNotExists: true,
    }
    const [statement] = compiler.compile(createEnum)
    expect(statement?.sql).toMatch(/^DO \$aludel_1\$\n/)
    expect(statement?.sql).toContain(
      `CREATE TYPE "Sch""ema; 日本"."Mood 🐘" AS ENUM ('it''s', E'back\\\\slash', '$1', '-- x', 'new\nline', '$aludel$', '"q"', 'é 🐘');`,
    )
    await run(createEnum)
    await run(createEnum)
    const labels = await rows<{ label: string }>(
      'SELECT enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY enumsortorder',
      [enumName],
    )
    expect(labels.map((r) => r.label)).toEqual(enumValues)
  })

  it.skipIf(skip)('table: names, defaults, comments, constraints and indexes survive', async () => {
    await run({
      kind: 'createTable',
      table: table(tableName, {
        schema,
        columns: allColumns,
        primaryKey: { name: 'pk "x"; --', columns: ['order', 'user'] },
        uniques: [{ name: 'UQ select', columns: ['MixedCase', '日本'], nullsNotDistinct: false }],
        checks: [{ name: "ck it's", expression: `length(${q('we"ird')}) < 1000` }],
        indexes: [
          index(
            'ix "hostile"; --',
            [{ column: 'order' }, { expression: `lower(${q('MixedCase')})` }],
            {
              include: ['user', '🐘'],
              where: `${q('select')} <> '$1'`,
            },
          ),
        ],
        comment: "Table comment: it's -- $1 \\ \n done",
      }),
      ifNotExists: false,
    })
    const relation = qualified(tableName)
    const attributes = await rows<{ name: string; comment: string | null }>(
      `SELECT attname AS name, col_description(attrelid, attnum) AS comment FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`,
      [relation],
    )
    expect(attributes).toEqual(
      // An empty comment is no comment (manual, COMMENT).
      allColumns.map((c) => ({ name: c.name, comment: c.comment || null })),
    )
    expect(await rows("SELECT obj_description($1::regclass, 'pg_class') AS c", [relation])).toEqual(
      [{ c: "Table comment: it's -- $1 \\ \n done" }],
    )
    const constraints = await rows<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'c') ORDER BY conname`,
      [relation],
    )
    expect(constraints.map((r) => r.name).sort()).toEqual(
      ["ck it's", 'pk "x"; --', 'UQ select'].sort(),
    )
    const indexes = await rows<{ name: string }>(
      'SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass',
      [relation],
    )
    expect(indexes.map((r) => r.name).sort()).toEqual(
      ['ix "hostile"; --', 'pk "x"; --', 'UQ select'].sort(),
    )

    // A row of defaults reads back exactly as given.
    await s!.connection.execute(
      `INSERT INTO ${relation} (${q('order')}, ${q('user')}) VALUES ('0', 'u')`,
    )
    const [row] = await readAll(
      s!,
      relation,
      allColumns.map((c) => c.name),
    )
    const expected: Record<string, string | null> = Object.fromEntries(
      textColumns.map((c, i) => [c.name, strings[i % strings.length]!]),
    )
    expected.order = '0'
    expected.user = 'u'
    expect(row).toMatchObject(expected)
    expect(row?.Mood).toBe("it's")
    expect(row?.['moods []']).toBe('{$aludel$,"back\\\\slash"}')
    const [json] = await rows<{ j: string }>(
      `SELECT ${q('json "doc"')}::text AS j FROM ${relation}`,
    )
    expect(JSON.parse(json!.j)).toEqual(jsonDefault)
    const [tags] = await rows<{ n: number; all: boolean }>(
      `SELECT cardinality(tags) AS n, tags = $1::text[] AS all FROM ${relation}`,
      [[...strings]],
    )
    expect(tags).toEqual({ n: strings.length, all: true })
  })

  it.skipIf(skip)(
    'bulk insert, online and inlined offline, stores the strings unchanged',
    async () => {
      const relation = qualified(tableName)
      const columns = textColumns.map((c) => c.name)
      const valueRows = (numbers: readonly number[]): LiteralValue[][] =>
        numbers.map((n) =>
          columns.map((name, i) =>
            name === 'order' ? String(n) : strings[(i + n) % strings.length]!,
          ),
        )
      const onlineRows = valueRows([1, 2])
      await run({
        kind: 'bulkInsert',
        schema,
        table: tableName,
        columns,
        rows: onlineRows,
        batchSize: 1,
      })
      // Offline: the statements with their parameters inlined as literals, run as plain SQL.
      const offlineRows = valueRows([3, 4])
      for (const statement of compiler.compile({
        kind: 'bulkInsert',
        schema,
        table: tableName,
        columns,
        rows: offlineRows,
        batchSize: 10,
      })) {
        await s!.connection.execute(compiler.inlineParams(statement.sql, statement.params))
      }
      const read = await readAll(s!, `${relation} WHERE ${q('order')} <> '0'`, columns)
      const expected = [...onlineRows, ...offlineRows]
        .map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] as string])))
        .sort((a, b) => (a.order! < b.order! ? -1 : 1))
      expect(read).toEqual(expected)
    },
  )

  it.skipIf(skip)('alter, rename and comment on hostile names', async () => {
    const relation = qualified(tableName)
    await run({
      kind: 'alterColumn',
      schema,
      table: tableName,
      column: 'we"ird',
      changes: {
        type: { to: T.varchar(200), using: `left(${q('we"ird')}, 200)` },
        nullable: { to: false },
        default: { to: lit("new 'default' -- $1") },
        comment: { to: 'renamed; "again"' },
        name: { to: 'We "Weirder"' },
      },
    })
    const [altered] = await rows<{ type: string; notnull: boolean; def: string; comment: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type, attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def, col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::regclass AND a.attname = $2`,
      [relation, 'We "Weirder"'],
    )
    expect(altered).toEqual({
      type: 'character varying(200)',
      notnull: true,
      def: `'new ''default'' -- $1'::character varying`,
      comment: 'renamed; "again"',
    })
    await run({
      kind: 'addColumn',
      schema,
      table: tableName,
      column: column('from', T.text, { default: lit('a\\b'), comment: "it's\nnew" }),
      ifNotExists: true,
    })
    await run({
      kind: 'dropColumn',
      schema,
      table: tableName,
      column: 'semi;colon',
      ifExists: true,
      cascade: true,
      definition: undefined,
    })
    await run({
      kind: 'createIndex',
      schema,
      table: tableName,
      index: index('2nd "index"', ['from'], { method: 'btree' }),
      concurrently: true,
      ifNotExists: true,
    })
    await run({
      kind: 'dropIndex',
      schema,
      name: '2nd "index"',
      table: tableName,
      concurrently: true,
      ifExists: false,
      definition: undefined,
    })
    await run({
      kind: 'dropConstraint',
      schema,
      table: tableName,
      name: 'UQ select',
      ifExists: false,
      cascade: false,
      definition: undefined,
    })
    await run({
      kind: 'createTableComment',
      schema,
      table: tableName,
      comment: '',
      previous: undefined,
    })
    await run({ kind: 'renameTable', schema, from: tableName, to: renamedTable })
    const names = await rows<{ name: string; comment: string | null }>(
      `SELECT attname AS name, col_description(attrelid, attnum) AS comment FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [qualified(renamedTable)],
    )
    expect(names.map((n) => n.name)).toContain('We "Weirder"')
    expect(names.map((n) => n.name)).not.toContain('semi;colon')
    expect(names.at(-1)).toEqual({ name: 'from', comment: "it's\nnew" })
    expect(
      await rows("SELECT obj_description($1::regclass, 'pg_class') AS c", [
        qualified(renamedTable),
      ]),
    ).toEqual([{ c: null }])
  })

  it.skipIf(skip)('enum values: add before and after hostile values, rename', async () => {
    await run({
      kind: 'addEnumValue',
      schema,
      enum: enumName,
      value: "'; --",
      before: "it's",
      after: undefined,
      ifNotExists: false,
    })
    await run({
      kind: 'addEnumValue',
      schema,
      enum: enumName,
      value: '$2',
      before: undefined,
      after: '$1',
      ifNotExists: true,
    })
    await run({
      kind: 'renameEnumValue',
      schema,
      enum: enumName,
      from: 'back\\slash',
      to: 'fore/slash',
    })
    const labels = await rows<{ label: string }>(
      'SELECT enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY enumsortorder',
      [enumName],
    )
    expect(labels.map((r) => r.label)).toEqual([
      "'; --",
      "it's",
      'fore/slash',
      '$1',
      '$2',
      '-- x',
      'new\nline',
      '$aludel$',
      '"q"',
      'é 🐘',
    ])
  })

  it.skipIf(skip)('drops', async () => {
    await run({
      kind: 'dropTable',
      schema,
      name: renamedTable,
      ifExists: true,
      cascade: false,
      definition: undefined,
    })
    await run({
      kind: 'dropEnum',
      schema,
      name: enumName,
      ifExists: false,
      cascade: false,
      definition: undefined,
    })
    await run({ kind: 'dropSchema', name: schema, ifExists: false, cascade: false })
    expect(await rows('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([])
  })
})

describe('inlining parameters', () => {
  it('skips placeholders inside escape strings with backslash-escaped quotes', () => {
    expect(compiler.inlineParams("SELECT E'it\\'s $1', $1, e'\\\\', $2", ['x', 2])).toBe(
      "SELECT E'it\\'s $1', 'x', e'\\\\', 2",
    )
    // A plain string's backslash escapes nothing; a word ending in E does not start one.
    expect(compiler.inlineParams("SELECT 'a\\', $1, some'$1'", [1])).toBe(
      "SELECT 'a\\', 1, some'$1'",
    )
  })

  it.each(backends().filter((b) => b.skip === undefined))(
    'runs what it inlines on $backend',
    async ({ backend }) => {
      const s = await openSession(backend)
      try {
        const sql = compiler.inlineParams(
          "SELECT E'it\\'s $1' AS a, $1::text AS b, $2::text AS c, '$1' AS d -- $1\n, $$ $1 $$ AS e",
          ["it's -- $2", 'back\\slash\n'],
        )
        expect(await s.rows(sql)).toEqual([
          { a: "it's $1", b: "it's -- $2", c: 'back\\slash\n', d: '$1', e: ' $1 ' },
        ])
      } finally {
        await s.close()
      }
    },
  )
})
