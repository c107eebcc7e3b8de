/**
 * The models: the one description of the database that both sides read. The application types
 * its queries with `DatabaseOf<typeof schema>`; aludel (aludel.config.ts `schema`) compares it
 * with the migrated database, so `aludel check` fails in CI when someone changes a model and
 * forgets the migration.
 *
 * Columns are listed in the order PostgreSQL stores them (a column added by a migration goes
 * last), so `SELECT *` and the models read alike.
 */
import {
  boolean,
  type DatabaseOf,
  defineSchema,
  type InsertOf,
  integer,
  type RowOf,
  serial,
  sql,
  table,
  text,
  timestamptz,
  varchar,
} from 'aludel'

export const users = table('users', {
  id: serial().primaryKey(),
  email: varchar(255).notNull().unique(),
  // A salted scrypt hash (src/passwords.ts), never the password; no response schema includes it.
  hashedPassword: text('hashed_password').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
  firstName: varchar('first_name', 100).notNull(),
  // Null for people known by one name.
  lastName: varchar('last_name', 100),
  lastLoginAt: timestamptz('last_login_at'),
})

export const items = table('items', {
  id: serial().primaryKey(),
  title: varchar(200).notNull().index(),
  description: text(),
  // PostgreSQL does not index a foreign key's referencing column; `.index()` does (migration
  // 392e940e3c2e builds it CONCURRENTLY), for GET /items?owner_id= and for ON DELETE CASCADE.
  ownerId: integer('owner_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' })
    .index(),
  createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
  // Money as a whole number of cents: exact, unlike floating point.
  priceCents: integer('price_cents').check(
    'price_cents_not_negative',
    (price) => sql`${price} >= 0`,
  ),
})

export const schema = defineSchema({ users, items })

/** The Kysely database interface, keyed by table and column names. */
export type Database = DatabaseOf<typeof schema>
export type User = RowOf<typeof users>
export type NewUser = InsertOf<typeof users>
export type Item = RowOf<typeof items>
