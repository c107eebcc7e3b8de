import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import {
  checkModels,
  downgrade,
  pull,
  type RevisionResult,
  revision,
  upgrade,
} from '../../src/index.ts'
import { catalogSnapshot } from '../support/catalog.ts'
import { type Backend, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, repoRoot, type TestProject } from '../support/project.ts'

/**
 * Helpers for the round-trip tests of sequences, domains, composite types and extensions. Model
 * modules and generated migrations import the DSL from the sources (`src/index.ts`) rather than
 * from the package, whose `dist/` may predate the change under test.
 */

/** The import path of the sources, for model modules and migrations written by tests. */
export const SOURCES = join(repoRoot, 'src', 'index.ts')

/** Everything the catalogs say about a database's schema objects, as sorted text rows. */
export interface ObjectCatalog {
  readonly tables: Awaited<ReturnType<typeof catalogSnapshot>>
  readonly sequences: readonly string[]
  readonly domains: readonly string[]
  readonly compositeTypes: readonly string[]
  readonly extensions: readonly string[]
}

const USER = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`

/**
 * The tables' catalog (test/support/catalog.ts) and, for each sequence, domain, composite type
 * and extension, a row with every property a migration could change: sequence options and owner,
 * domain base type, default, NOT NULL and checks, composite attributes, extension schema and
 * version.
 */
export function objectCatalog(db: TestDatabase): Promise<ObjectCatalog> {
  return catalogSnapshot(db).then((tables) =>
    db.inspect(async (query) => {
      const texts = async (sql: string) => (await query<{ t: string }>(sql)).map((r) => r.t)
      return {
        tables,
        sequences: await texts(
          `SELECT format('%s.%s %s start %s inc %s min %s max %s cache %s cycle %s owner %s',
                  n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                  s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                  COALESCE((SELECT d.refobjid::regclass::text || '.' || a.attname || ' ' || d.deptype::text
                              FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                             WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')), '-')) AS t
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_sequence s ON s.seqrelid = c.oid
            WHERE ${USER} AND c.relname NOT LIKE 'aludel%' ORDER BY 1`,
        ),
        domains: await texts(
          `SELECT format('%s.%s %s default %s notnull %s checks %s', n.nspname, t.typname,
                  format_type(t.typbasetype, t.typtypmod), COALESCE(pg_get_expr(t.typdefaultbin, 0), '-'),
                  t.typnotnull,
                  (SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname)
                     FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c')) AS t
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd' AND ${USER} ORDER BY 1`,
        ),
        compositeTypes: await texts(
          `SELECT format('%s.%s (%s)', n.nspname, t.typname,
                  (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                     FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)) AS t
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'
            WHERE t.typtype = 'c' AND ${USER} ORDER BY 1`,
        ),
        extensions: await texts(
          `SELECT format('%s %s %s', e.extname, n.nspname, e.extversion) AS t
             FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname <> 'plpgsql' ORDER BY 1`,
        ),
      }
    }),
  )
}

/** A project on `db` whose models are written by {@link ModelProject.useModels}. */
export interface ModelProject {
  readonly project: TestProject
  /** Writes a new models module (a new file: imported modules are cached) and returns the config. */
  useModels(source: string): TestProject['config']
  /**
   * Autogenerates a migration (empty ones only with `allowEmpty`), pointed at the sources; the
   * result carries the file's text.
   */
  generate(
    config: TestProject['config'],
    message?: string,
    renames?: ReadonlyMap<string, string | null>,
    allowEmpty?: boolean,
  ): Promise<RevisionResult & { readonly text: string }>
  /** Removes the migration generated last, as a user drops a change not wanted any more. */
  dropLast(): void
  /** `pull`'s models of the database, pointed at the sources. */
  pulled(config: TestProject['config']): Promise<string>
}

/** Creates a project on `db` for {@link ModelProject}. */
export function modelProject(db: { readonly url: string }): ModelProject {
  const project = createProject(db.url)
  let version = 0
  let last: string | undefined
  return {
    project,
    useModels(source) {
      version++
      writeFileSync(join(project.dir, `schema-${version}.ts`), fromSources(source))
      return { ...project.config, schema: `./schema-${version}.ts` }
    },
    async generate(config, message = `v${version}`, renames, allowEmpty = false) {
      const script = await revision(config, {
        message,
        autogenerate: true,
        allowEmpty,
        ...(renames === undefined ? {} : { renames }),
      })
      const text = fromSources(readFileSync(script.path, 'utf8'))
      writeFileSync(script.path, text)
      last = script.path
      return { ...script, text }
    },
    dropLast() {
      if (last === undefined) throw new Error('no migration was generated yet')
      rmSync(last)
      last = undefined
    },
    async pulled(config) {
      return fromSources((await pull(config)).text)
    },
  }
}

/** The text with `from 'aludel'` pointed at the sources. */
export function fromSources(text: string): string {
  return text.replaceAll("from 'aludel'", `from '${SOURCES}'`)
}

/**
 * One step of a stairway: generate the migration from the current database to `models`, upgrade,
 * require `check` to be clean, downgrade to `base` and require the catalog to be what it was.
 * Returns the migration's text.
 */
export async function stairwayStep(
  db: TestDatabase,
  models: ModelProject,
  source: string,
  base: string,
  renames?: ReadonlyMap<string, string | null>,
): Promise<string> {
  const before = await objectCatalog(db)
  const config = models.useModels(source)
  const script = await models.generate(config, 'change', renames)
  const text = readFileSync(script.path, 'utf8')
  try {
    expect(text).toMatch(/upgrade\(op: Operations\)[^}]*await op\./)
    await upgrade(config, 'head')
    try {
      expect((await checkModels(config)).differences).toEqual([])
    } finally {
      // Back to base even when the check failed, so that the next step starts from it.
      await downgrade(config, base)
    }
    expect(await objectCatalog(db)).toEqual(before)
  } finally {
    rmSync(script.path)
  }
  return text
}

/**
 * The round trip: autogenerate `source` into the empty database `db`, upgrade, require `check`
 * clean; `pull` it, build `rebuilt` (another empty database) from the pulled models the same way,
 * and require both catalogs equal and the rebuilt one clean against the pulled models; downgrade
 * both to base and require them empty again. Returns the pulled models.
 */
export async function roundTrip(
  db: TestDatabase,
  rebuilt: TestDatabase,
  source: string,
): Promise<{ readonly migration: string; readonly pulled: string }> {
  const empty = await objectCatalog(db)
  const models = modelProject(db)
  const config = models.useModels(source)
  const script = await models.generate(config, 'initial')
  await upgrade(config, 'head')
  expect((await checkModels(config)).differences).toEqual([])
  const original = await objectCatalog(db)

  const pulled = await models.pulled(config)
  const pulledOnSource = models.useModels(pulled)
  expect((await checkModels(pulledOnSource)).differences).toEqual([])

  const copy = modelProject(rebuilt)
  const copyConfig = copy.useModels(pulled)
  await copy.generate(copyConfig, 'from pull')
  await upgrade(copyConfig, 'head')
  expect((await checkModels(copyConfig)).differences).toEqual([])
  expect(await objectCatalog(rebuilt)).toEqual(original)

  await downgrade(config, 'base')
  expect(await objectCatalog(db)).toEqual(empty)
  await downgrade(copyConfig, 'base')
  expect(await objectCatalog(rebuilt)).toEqual(empty)
  return { migration: readFileSync(script.path, 'utf8'), pulled }
}

/**
 * Within a `describe`: a function that creates a fresh database on `backend`, each dropped after
 * its test.
 */
export function freshDatabases(backend: Backend): () => Promise<TestDatabase> {
  const made: TestDatabase[] = []
  afterEach(async () => {
    for (const db of made.splice(0)) await db.drop()
  })
  return async () => {
    const db = await createDatabase(backend)
    made.push(db)
    return db
  }
}

/** A database migrated to `source`'s models, for the steps of a stairway. */
export interface StairwayBase {
  readonly db: TestDatabase
  readonly models: ModelProject
  /** The revision of the base migration. */
  readonly base: string
}

/**
 * Within a `describe`: before its tests, a new database on `backend` migrated to `source` (by an
 * autogenerated migration), dropped after them; nothing when `skip`.
 */
export function stairwayBase(backend: Backend, skip: boolean, source: string): () => StairwayBase {
  let state: StairwayBase | undefined
  beforeAll(async () => {
    if (skip) return
    const db = await createDatabase(backend)
    const models = modelProject(db)
    const config = models.useModels(source)
    const base = (await models.generate(config, 'base')).revision
    await upgrade(config, 'head')
    state = { db, models, base }
  })
  afterAll(async () => {
    await state?.db.drop()
  })
  return () => state!
}
