import { readFileSync, rmSync } from 'node:fs'
import { expect } from 'vitest'
import { checkModels, downgrade, upgrade } from '../../src/index.ts'
import type { TestDatabase } from '../support/databases.ts'
import {
  type ModelProject,
  modelProject,
  type ObjectCatalog,
  objectCatalog,
} from './schema-objects-support.ts'

/**
 * Helpers for the round-trip tests of views, functions, aggregates and triggers: the catalog of
 * everything a migration of them could change, and the round trip and stairway steps over it.
 */

/** The catalog of schema-objects-support.ts, plus views, routines and triggers. */
export interface CodeCatalog extends ObjectCatalog {
  readonly views: readonly string[]
  readonly functions: readonly string[]
  readonly aggregates: readonly string[]
  readonly triggers: readonly string[]
  readonly eventTriggers: readonly string[]
}

const USER = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`

/**
 * Every property of the views (query as PostgreSQL prints it, options, comment, whether
 * populated, columns), functions and procedures (`pg_get_functiondef` and comment), aggregates,
 * triggers (`pg_get_triggerdef`) and event triggers of a database, as sorted text rows.
 */
export function codeCatalog(db: TestDatabase): Promise<CodeCatalog> {
  return objectCatalog(db).then((objects) =>
    db.inspect(async (query) => {
      const texts = async (sql: string) => (await query<{ t: string }>(sql)).map((r) => r.t)
      return {
        ...objects,
        views: await texts(
          `SELECT format('%s.%s %s %s %s populated %s comment %s (%s)', n.nspname, c.relname,
                  c.relkind, COALESCE(array_to_string(c.reloptions, ','), '-'),
                  pg_get_viewdef(c.oid, true), c.relispopulated,
                  COALESCE(obj_description(c.oid, 'pg_class'), '-'),
                  (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                     FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0)) AS t
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND ${USER} ORDER BY 1`,
        ),
        functions: await texts(
          `SELECT pg_get_functiondef(p.oid) || ' comment ' || COALESCE(obj_description(p.oid, 'pg_proc'), '-') AS t
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND ${USER} ORDER BY 1`,
        ),
        aggregates: await texts(
          `SELECT format('%s sfunc %s stype %s final %s combine %s init %s parallel %s comment %s',
                  a.aggfnoid::regprocedure, a.aggtransfn, format_type(a.aggtranstype, NULL),
                  a.aggfinalfn, a.aggcombinefn, COALESCE(a.agginitval, '-'), p.proparallel,
                  COALESCE(obj_description(p.oid, 'pg_proc'), '-')) AS t
             FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
             JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE ${USER} ORDER BY 1`,
        ),
        triggers: await texts(
          `SELECT pg_get_triggerdef(t.oid) AS t FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1`,
        ),
        eventTriggers: await texts(
          `SELECT format('%s %s %s %s %s', evtname, evtevent, evtfoid::regproc, evtenabled,
                  COALESCE(array_to_string(evttags, ','), '-')) AS t
             FROM pg_event_trigger ORDER BY 1`,
        ),
      }
    }),
  )
}

/**
 * One step of a stairway over {@link codeCatalog}: generate the migration from the database to
 * `source`, upgrade, require `check` clean, downgrade to `base` and require the catalog to be
 * what it was; then upgrade again, so that the next step starts from `source`, and return the
 * migration's text. The migration stays, so that the next step's `base` is its revision.
 */
export async function codeStep(
  db: TestDatabase,
  models: ModelProject,
  source: string,
  base: string,
  renames?: ReadonlyMap<string, string | null>,
): Promise<{ readonly text: string; readonly revision: string }> {
  const before = await codeCatalog(db)
  const config = models.useModels(source)
  const script = await models.generate(config, 'change', renames)
  const text = readFileSync(script.path, 'utf8')
  await upgrade(config, 'head')
  expect((await checkModels(config)).differences).toEqual([])
  const after = await codeCatalog(db)
  await downgrade(config, base)
  expect(await codeCatalog(db)).toEqual(before)
  await upgrade(config, 'head')
  expect(await codeCatalog(db)).toEqual(after)
  return { text, revision: script.revision }
}

/**
 * The round trip over {@link codeCatalog}: autogenerate `source` into the empty `db`, upgrade,
 * require `check` clean; `pull`, require the pulled models clean against `db`; build `rebuilt`
 * from them, require it clean and its catalog equal to `db`'s; downgrade both to base and
 * require them empty again.
 */
export async function codeRoundTrip(
  db: TestDatabase,
  rebuilt: TestDatabase,
  source: string,
): Promise<{ readonly migration: string; readonly pulled: string }> {
  const empty = await codeCatalog(db)
  const models = modelProject(db)
  const config = models.useModels(source)
  const script = await models.generate(config, 'initial')
  await upgrade(config, 'head')
  expect((await checkModels(config)).differences).toEqual([])
  const original = await codeCatalog(db)

  const pulled = await models.pulled(config)
  expect((await checkModels(models.useModels(pulled))).differences).toEqual([])

  const copy = modelProject(rebuilt)
  const copyConfig = copy.useModels(pulled)
  await copy.generate(copyConfig, 'from pull')
  await upgrade(copyConfig, 'head')
  expect((await checkModels(copyConfig)).differences).toEqual([])
  expect(await codeCatalog(rebuilt)).toEqual(original)

  await downgrade(config, 'base')
  expect(await codeCatalog(db)).toEqual(empty)
  await downgrade(copyConfig, 'base')
  expect(await codeCatalog(rebuilt)).toEqual(empty)
  const migration = readFileSync(script.path, 'utf8')
  rmSync(script.path)
  return { migration, pulled }
}
