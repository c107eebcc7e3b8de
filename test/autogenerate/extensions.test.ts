import { describe, expect, it } from 'vitest'
import {
  checkModels,
  currentRevision,
  MigrationFailedError,
  pull,
  upgrade,
} from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { createProject } from '../support/project.ts'
import {
  freshDatabases,
  modelProject,
  objectCatalog,
  roundTrip,
  SOURCES,
  stairwayBase,
  stairwayStep,
} from './schema-objects-support.ts'

// earthdistance brings a domain (earth) and functions of its own, cube a type: none of them may
// be pulled, compared or dropped as the project's own.
const BASE = `import { customType, extension, index, integer, table, text } from '${SOURCES}'

export const trgm = extension('pg_trgm')
export const cube = extension('cube', { schema: 'ext' })
export const earth = extension('earthdistance', { schema: 'ext' })
export const citext = extension('citext', { version: '1.6' })

const ci = customType<string>('citext')
const point = customType<string>('ext.cube')

export const places = table(
  'places',
  {
    id: integer().primaryKey().identity(),
    name: ci().notNull(),
    note: text(),
    at: point(),
  },
  (t) => [index('ix_places_note_trgm').on(t.note.opclass('gin_trgm_ops')).using('gin')],
)
`

/** PGlite's reason, printed where its tests are skipped. */
const PGLITE_SKIP =
  "these cases pin the server's extension versions (citext 1.6) and load cube and earthdistance; PGlite loads only the contrib extensions its URL names (?extensions=), which the rental-shop test round-trips with citext and pg_trgm"

describe.each(backends())('extensions on $backend', ({ backend, skip }) => {
  const database = freshDatabases(backend)

  if (backend === 'pglite')
    console.log(`[extensions on pglite] skipping the round trip: ${PGLITE_SKIP}`)

  it.skipIf(skip || backend === 'pglite')(
    'models -> autogenerate -> upgrade -> check clean -> pull rebuilds the same catalog -> downgrade',
    async () => {
      const { migration, pulled } = await roundTrip(await database(), await database(), BASE)
      expect(migration).toContain("await op.createExtension('pg_trgm')")
      expect(migration).toContain("await op.createExtension('citext', { version: '1.6' })")
      expect(migration.indexOf("op.createExtension('cube'")).toBeLessThan(
        migration.indexOf("op.createExtension('earthdistance'"),
      )
      // The schema first, then the extensions, then what uses them.
      expect(migration.indexOf("op.createSchema('ext'")).toBeLessThan(
        migration.indexOf('op.createExtension'),
      )
      expect(migration.indexOf('op.createExtension')).toBeLessThan(
        migration.indexOf('op.createTable'),
      )
      // The extensions' own objects (earthdistance's domain earth, its functions) stay out.
      expect(pulled).toContain("export const earthdistance = extension('earthdistance', {")
      expect(pulled).not.toMatch(/domain\('earth'/)
      expect(pulled).toContain("export const pgTrgm = extension('pg_trgm', { version: '1.6' })")
    },
  )

  it.skipIf(skip || backend === 'postgres')(
    'PGlite without the extension in its URL: CREATE EXTENSION fails with one line that says why',
    async () => {
      const db = await database()
      const models = modelProject(db)
      const config = models.useModels(
        `import { extension } from '${SOURCES}'\nexport const trgm = extension('pg_trgm')\n`,
      )
      await models.generate(config, 'trgm')
      const failure = await upgrade(config, 'head').catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(MigrationFailedError)
      const message = (failure as Error).message
      expect(message).toContain('extension "pg_trgm" is not available')
      expect(message).toContain('pg_available_extensions')
      expect(message).toContain('pglite:./data?extensions=citext,pg_trgm')
      expect((await objectCatalog(db)).extensions).toEqual([])
    },
  )
})

describe('contrib extensions named in a pglite: URL', () => {
  it('an extension this PGlite does not ship is refused in one line, before anything runs', async () => {
    const project = createProject('pglite:memory?extensions=citext,no_such_thing')
    const failure = await currentRevision(project.config).catch((error: unknown) => error)
    expect((failure as Error).message).toBe(
      "pglite:memory?extensions=citext,no_such_thing asks for the extension 'no_such_thing', which this PGlite does not ship (its contrib extensions are in node_modules/@electric-sql/pglite/dist/contrib); remove it from extensions=",
    )
  })
})

const STEPS_BASE = `import { extension, integer, table, text } from '${SOURCES}'

export const trgm = extension('pg_trgm')
export const notes = table('notes', { id: integer().primaryKey(), body: text() })
`

const STEPS: Record<string, (source: string) => string> = {
  'add an extension and a column of its type': (s) =>
    `${s.replace('import { extension,', 'import { customType, extension,')}\nexport const ci = extension('citext', { schema: 'ext' })\nexport const tags = table('tags', { name: customType<string>('ext.citext')().notNull() })\n`,
  'drop an extension nothing uses': (s) =>
    s.replace("export const trgm = extension('pg_trgm')\n", ''),
}

describe.each(backends())('each change of an extension on $backend', ({ backend, skip }) => {
  const stairway = stairwayBase(backend, skip !== undefined || backend === 'pglite', STEPS_BASE)

  it.skipIf(skip || backend === 'pglite').each(Object.entries(STEPS))(
    '%s: up, check clean, down restores the catalog',
    async (_, edit) => {
      const { db, models, base } = stairway()
      await stairwayStep(db, models, edit(STEPS_BASE), base)
    },
  )
})

/** The shared fixture's part: one realistic object of each kind, as a DBA writes them. */
const SCHEMA_OBJECTS_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SEQUENCE order_no_seq AS integer START WITH 1000 CACHE 10;
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE DOMAIN email AS text NOT NULL CONSTRAINT email_format CHECK (VALUE ~ '@');
CREATE TYPE address AS (street text, zip varchar(10), contact email);
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE TABLE store_order (
  id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 10 CACHE 20 MAXVALUE 1000000) PRIMARY KEY,
  legacy_id serial,
  order_no integer NOT NULL DEFAULT nextval('order_no_seq'),
  release_year year,
  ship_to address,
  rating mpaa_rating DEFAULT 'G',
  title text
);
ALTER SEQUENCE order_no_seq OWNED BY store_order.order_no;
CREATE INDEX store_order_title_trgm ON store_order USING gin (title gin_trgm_ops)`

describe.each(backends())('a hand-written database on $backend', ({ backend, skip }) => {
  const database = freshDatabases(backend)

  it.skipIf(skip || backend === 'pglite')(
    'pull: check clean, and the pulled models rebuild the same catalog',
    async () => {
      const source = await database()
      await source.inspect(async (query) => {
        for (const statement of SCHEMA_OBJECTS_SQL.split(';\n')) await query(statement)
      })
      const before = await objectCatalog(source)
      const adopted = modelProject(source)
      const pulled = await adopted.pulled(adopted.project.config)
      const config = adopted.useModels(pulled)
      expect((await checkModels(config)).differences).toEqual([])
      expect((await pull(config)).leftOut).toEqual([])

      const target = await database()
      const rebuilt = modelProject(target)
      const rebuiltConfig = rebuilt.useModels(pulled)
      await rebuilt.generate(rebuiltConfig, 'from pull')
      await upgrade(rebuiltConfig, 'head')
      expect(await objectCatalog(target)).toEqual(before)
      expect(pulled).toContain("export const year = domain('year', integer(), {")
      expect(pulled).toContain("legacyId: serial('legacy_id')")
    },
  )
})
