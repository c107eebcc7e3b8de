import { describe, expect, it } from 'vitest'
import {
  checkModels,
  defineSchema,
  exclude,
  integer,
  numeric,
  SchemaModelError,
  sql,
  table,
  text,
  toSnapshot,
} from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { migratedTo, stairway } from './partition-support.ts'
import { freshDatabases, roundTrip } from './schema-objects-support.ts'

/**
 * Generated columns, column collations, exclusion constraints and table and column comments, end
 * to end: model, autogenerate, upgrade, `check`, `pull`, and every downgrade restoring the catalog
 * exactly — on PGlite and on the PostgreSQL server. The exclusion constraints use a range type's
 * `&&`, which GiST supports without the btree_gist extension PGlite lacks.
 */

const IMPORTS =
  "import { boolean, customType, defineSchema, exclude, integer, numeric, sql, table, text, varchar } from 'aludel'\n"

const V1 = `${IMPORTS}
const tstzrange = customType<string>('tstzrange')
export const film = table('film', {
  filmId: integer('film_id').primaryKey().identity(),
  title: varchar(255).notNull().collate('C').comment('Title as printed'),
  code: text().collate('POSIX'),
  rentalRate: numeric('rental_rate', 4, 2).notNull().default('4.99'),
  rentalDuration: integer('rental_duration').notNull().default(3),
  ratePerDay: numeric('rate_per_day', 6, 3).generatedAs(sql\`rental_rate / rental_duration\`),
}, { comment: 'Films in the catalogue' })
export const booking = table('booking', {
  id: integer().primaryKey(),
  roomId: integer('room_id').notNull(),
  during: tstzrange().notNull(),
  cancelled: boolean().notNull().default(false),
}, (t) => [
  exclude('booking_no_overlap', { using: 'gist', elements: [[t.during, '&&']], where: sql\`NOT \${t.cancelled}\` }),
])
export const schema = defineSchema({ film, booking })
`

/**
 * Collations changed and removed, a generated column added, comments changed and dropped, an
 * exclusion constraint changed (dropped and created again) and another added.
 */
const V2 = `${IMPORTS}
const tstzrange = customType<string>('tstzrange')
export const film = table('film', {
  filmId: integer('film_id').primaryKey().identity(),
  title: varchar(255).notNull().collate('POSIX').comment('Title'),
  code: text(),
  rentalRate: numeric('rental_rate', 4, 2).notNull().default('4.99'),
  rentalDuration: integer('rental_duration').notNull().default(3),
  ratePerDay: numeric('rate_per_day', 6, 3).generatedAs(sql\`rental_rate / rental_duration\`),
  totalCost: numeric('total_cost', 6, 2).notNull().generatedAs(sql\`rental_rate * rental_duration\`),
})
export const booking = table('booking', {
  id: integer().primaryKey(),
  roomId: integer('room_id').notNull(),
  during: tstzrange().notNull(),
  cancelled: boolean().notNull().default(false),
}, {
  comment: 'Room bookings',
  extras: (t) => [
    exclude('booking_no_overlap', { using: 'gist', elements: [[t.during, '&&']], where: sql\`NOT \${t.cancelled} AND \${t.roomId} > 0\` }),
    exclude('booking_one_per_start', { elements: [[sql\`lower(\${t.during})\`, '=']], deferrable: true }),
  ],
})
export const schema = defineSchema({ film, booking })
`

describe.each(backends())(
  'generated columns, collations and exclusions on $backend',
  ({ backend, skip }) => {
    const database = freshDatabases(backend)

    it.skipIf(skip)('stairway: add, alter, drop; each downgrade restores the catalog', async () => {
      const db = await database()
      const { migrations, catalogs } = await stairway(db, [V1, V2])
      expect(migrations[0]).toContain(
        "ratePerDay: numeric('rate_per_day', 6, 3).generatedAs(sql`rental_rate / rental_duration`),",
      )
      expect(migrations[0]).toContain(
        "title: varchar(255).collate('C').notNull().comment('Title as printed'),",
      )
      expect(migrations[1]).toContain("collation: 'POSIX',")
      expect(migrations[1]).toContain("existingCollation: 'C',")
      expect(migrations[1]).toContain(
        "await op.createExclusionConstraint('booking_one_per_start', 'booking', {",
      )
      expect(catalogs[1]!.columnDetails).toContain(
        'public.film.rate_per_day collation - generated (rental_rate / (rental_duration)::numeric)',
      )
      expect(catalogs[1]!.columnDetails).toContain('public.film.title collation C generated -')
      expect(catalogs[2]!.constraints).toContain(
        'public.booking booking_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (((NOT cancelled) AND (room_id > 0)))',
      )
    })

    it.skipIf(skip)('pull writes them back, and a rebuilt database is identical', async () => {
      const { pulled } = await roundTrip(await database(), await database(), V2)
      expect(pulled).toContain(
        "totalCost: numeric('total_cost', 6, 2)\n    .notNull()\n    .generatedAs(sql`(rental_rate * (rental_duration)::numeric)`),",
      )
      expect(pulled).toContain("exclude('booking_one_per_start', {")
      expect(pulled).toContain("title: varchar(255).collate('POSIX').notNull().comment('Title'),")
    })

    it.skipIf(skip)('a changed generation expression is a manual step', async () => {
      const db = await database()
      const { models } = await migratedTo(db, V1)
      const changed = models.useModels(
        V1.replace('sql`rental_rate / rental_duration`', 'sql`rental_rate * 2`'),
      )
      const { differences, result } = await checkModels(changed)
      expect(differences).toEqual([
        'manual step: film.rate_per_day: the database column is generated from ((rental_rate / (rental_duration)::numeric)), the models declare it generated from (rental_rate * 2); no operation changes a generation expression, so change it by hand',
      ])
      expect(result.manual[0]!.upgradeHint).toBe(
        "await op.execute('ALTER TABLE film ALTER COLUMN rate_per_day SET EXPRESSION AS (rental_rate * 2)')",
      )
    })
  },
)

describe('generated columns, collations and exclusions in the DSL', () => {
  it('converts them into the snapshot, and refuses what PostgreSQL would', () => {
    const items = table(
      'items',
      {
        price: numeric(6, 2).notNull(),
        doubled: numeric(7, 2).generatedAs(sql`price * 2`),
        code: text().collate('C'),
      },
      (t) => [exclude('no_same_price', { elements: [[t.price, '=']] })],
    )
    const def = toSnapshot(defineSchema({ items })).tables[0]!
    expect(def.columns[1]).toMatchObject({ name: 'doubled', generated: 'price * 2' })
    expect(def.columns[2]).toMatchObject({ name: 'code', collation: 'C' })
    expect(def.exclusions).toEqual([
      {
        name: 'no_same_price',
        elements: [
          {
            column: 'price',
            expression: undefined,
            order: undefined,
            nulls: undefined,
            opclass: undefined,
            operator: '=',
          },
        ],
        method: undefined,
        where: undefined,
        include: [],
        deferrable: false,
        initiallyDeferred: false,
      },
    ])
    const withDefault = integer().default(1) as unknown as ReturnType<typeof integer>
    expect(() => withDefault.generatedAs(sql`1`)).toThrow(SchemaModelError)
    expect(() => exclude('none', { elements: [] })).toThrow(
      'exclusion constraint none has no elements',
    )
    expect(() => text().collate('')).toThrow('.collate() needs a collation name')
  })
})
