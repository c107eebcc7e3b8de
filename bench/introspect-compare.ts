/**
 * Measures reading a database into a snapshot (`introspect`) and rewriting the models in the
 * database's spelling (`normalize`), the two halves autogenerate needs before it compares, on a
 * schema of N tables built with aludel's own compiler. Each table has 10 columns of mixed types
 * with defaults, a primary key, 2 indexes (one on an expression, partial) and a foreign key.
 *
 * Usage: node bench/introspect-compare.ts [sizes...] [--pglite] [--json]   (default 300 1000)
 * Env:   BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_RUNS (5)
 *
 * Times are the median of BENCH_RUNS runs after one warm-up run, each on the same session.
 * Runs against `dist/`, rebuilt first when a source file is newer.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'

const repo = resolve(import.meta.dirname, '..')
const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const runs = Number(process.env.BENCH_RUNS ?? 5)
const args = process.argv.slice(2)
const json = args.includes('--json')
const withPglite = args.includes('--pglite')
const sizes = args.filter((a) => !a.startsWith('--')).map(Number)
if (sizes.length === 0) sizes.push(300, 1000)

ensureBuilt()
const { openDialect } = (await import(
  join(repo, 'dist/dialect/open-dialect.js')
)) as typeof import('../src/dialect/open-dialect.ts')
const { compareSchemas } = (await import(
  join(repo, 'dist/autogenerate/compare-schemas.js')
)) as typeof import('../src/autogenerate/compare-schemas.ts')
const dsl = (await import(
  join(repo, 'dist/schema/index.js')
)) as typeof import('../src/schema/index.ts')
type Connection = import('../src/dialect/connection.ts').Connection
type Dialect = import('../src/dialect/dialect.ts').Dialect
type MigrationOp = import('../src/operations/migration-op.ts').MigrationOp
type SchemaSnapshot = import('../src/schema/schema-snapshot.ts').SchemaSnapshot

/** One line of the report. */
interface Result {
  readonly backend: 'postgres' | 'pglite'
  readonly tables: number
  /** Milliseconds, median. */
  readonly introspectMs: number
  readonly normalizeMs: number
  /** Filled in once compare() exists; null until then. */
  readonly compareMs: number
  /** Introspect, normalize the models twice and the database once, compare: `check`'s work. */
  readonly totalMs: number
}

/** The models: `size` tables, each referencing the one before it (the first, the last). */
function models(size: number): SchemaSnapshot {
  const { boolean, defineSchema, index, integer, jsonb, numeric, sql, table, text, timestamptz } =
    dsl
  const { uuid, varchar, foreignKey, toSnapshot } = dsl
  const name = (i: number) => `t_${String(i).padStart(5, '0')}`
  const tables = Array.from({ length: size }, (_, i) =>
    table(
      name(i),
      {
        id: integer().primaryKey().identity(),
        parentId: integer('parent_id'),
        name: varchar(100).notNull().default(''),
        email: text(),
        price: numeric(10, 2).notNull().default('0'),
        active: boolean().notNull().default(true),
        createdAt: timestamptz('created_at').notNull().default(sql`now()`),
        data: jsonb().notNull().default({}),
        tags: text().array(),
        uid: uuid().default(sql`gen_random_uuid()`),
      },
      (t) => [
        index().on(t.parentId, t.createdAt.desc()),
        // A predicate of its own per table, so that normalize cannot share work between
        // tables: the worst case for it.
        index(`ix_${name(i)}_email`)
          .on(sql`lower(${t.email})`)
          .where(sql`${t.active} AND ${t.price} > ${sql.raw(String(i))}`),
        foreignKey({
          columns: [t.parentId],
          foreignTable: name((i + size - 1) % size),
          foreignColumns: ['id'],
          onDelete: 'set null',
        }),
      ],
    ),
  )
  return toSnapshot(defineSchema(Object.fromEntries(tables.map((t, i) => [name(i), t]))))
}

/** The statements that build `snapshot`: tables first, then their foreign keys. */
function ddl(dialect: Dialect, snapshot: SchemaSnapshot): string[] {
  const ops: MigrationOp[] = [
    ...snapshot.tables.map(
      (t): MigrationOp => ({
        kind: 'createTable',
        table: { ...t, foreignKeys: [] },
        ifNotExists: false,
      }),
    ),
    ...snapshot.tables.flatMap((t) =>
      t.foreignKeys.map(
        (foreignKey): MigrationOp => ({
          kind: 'createForeignKey',
          schema: t.schema,
          table: t.name,
          foreignKey,
          notValid: false,
        }),
      ),
    ),
  ]
  return ops.flatMap((op) => dialect.ddl.compile(op).map((s) => s.sql))
}

async function median(body: () => Promise<unknown>): Promise<number> {
  await body()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await body()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? Number.NaN
}

async function measure(backend: Result['backend'], size: number, url: string): Promise<Result> {
  const dialect = await openDialect(url, repo)
  const connection: Connection = await dialect.driver.connect('aludel bench')
  try {
    const snapshot = models(size)
    const statements = ddl(dialect, snapshot)
    for (let i = 0; i < statements.length; i += 500) {
      await connection.execute(`BEGIN;\n${statements.slice(i, i + 500).join(';\n')};\nCOMMIT`)
    }
    await connection.execute('ANALYZE')
    const read = await dialect.introspector.introspect(connection)
    if (read.tables.length !== size) {
      throw new Error(`introspect found ${read.tables.length} tables, expected ${size}`)
    }
    const introspectMs = await median(() => dialect.introspector.introspect(connection))
    const normalizeMs = await median(() => dialect.introspector.normalize(connection, snapshot))
    // The pure comparison, on inputs prepared the way `check` prepares them.
    const normalizedModels = await dialect.introspector.normalize(
      connection,
      await dialect.introspector.normalize(connection, snapshot),
    )
    const database = await dialect.introspector.normalize(connection, read)
    const comparator = dialect.comparator
    const first = compareSchemas({ models: snapshot, normalizedModels, database }, { comparator })
    if (first.changes.length > 0 || first.manual.length > 0) {
      throw new Error(`compare found ${first.changes.length} false differences`)
    }
    const compareMs = await median(async () =>
      compareSchemas({ models: snapshot, normalizedModels, database }, { comparator }),
    )
    // Everything `aludel check` does after loading the models: read, normalize both sides, compare.
    const totalMs = await median(async () => {
      const live = await dialect.introspector.introspect(connection)
      const models = await dialect.introspector.normalize(
        connection,
        await dialect.introspector.normalize(connection, snapshot),
      )
      compareSchemas(
        {
          models: snapshot,
          normalizedModels: models,
          database: await dialect.introspector.normalize(connection, live),
        },
        { comparator },
      )
    })
    return { backend, tables: size, introspectMs, normalizeMs, compareMs, totalMs }
  } finally {
    await connection.close()
    await dialect.driver.close()
  }
}

async function onPostgres(size: number): Promise<Result> {
  const database = `aludel_bench_${size}_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${database}`)
  const url = new URL(admin)
  url.pathname = `/${database}`
  try {
    return await measure('postgres', size, url.toString())
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Rebuilds `dist/` when a source file is newer than it (tsc emits even with type errors). */
function ensureBuilt(): void {
  const built = join(repo, 'dist', 'index.js')
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    )
  if (existsSync(built) && newest(join(repo, 'src')) <= statSync(built).mtimeMs) return
  try {
    execFileSync(
      process.execPath,
      [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: repo, stdio: 'ignore' },
    )
  } catch {
    console.error('warning: tsc reported errors while building dist/; measuring what it emitted')
  }
}

const results: Result[] = []
for (const size of sizes) {
  results.push(await onPostgres(size))
  if (withPglite) results.push(await measure('pglite', size, 'pglite:memory'))
}

if (json) {
  console.log(JSON.stringify({ runs, results }, null, 2))
} else {
  const ms = (value: number | null) =>
    value === null ? '—'.padStart(10) : `${value.toFixed(1)} ms`.padStart(10)
  console.log(`median of ${runs} runs after a warm-up\n`)
  console.log('backend    tables  introspect   normalize     compare  check total')
  for (const r of results) {
    console.log(
      `${r.backend.padEnd(9)} ${String(r.tables).padStart(7)}  ${ms(r.introspectMs)}  ${ms(r.normalizeMs)}  ${ms(r.compareMs)}  ${ms(r.totalMs)}`,
    )
  }
}
