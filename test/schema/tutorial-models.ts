// The models of FastAPI's SQL tutorial and Alembic's autogenerate walkthrough, in aludel's DSL.
import {
  boolean,
  defineSchema,
  index,
  integer,
  sql,
  table,
  text,
  varchar,
} from '../../src/schema/index.ts'

export const users = table(
  'users',
  {
    id: integer().primaryKey().identity().index(),
    email: varchar(255).notNull().unique().index(),
    hashedPassword: text('hashed_password').notNull(),
    isActive: boolean('is_active').notNull().default(true),
  },
  (t) => [index('ix_users_email_lower').on(sql`lower(${t.email})`)],
)

export const items = table('items', {
  id: integer().primaryKey().identity().index(),
  title: varchar(255).notNull().index(),
  description: text(),
  ownerId: integer('owner_id').references(() => users.id),
})

export const model = defineSchema({ users, items })
