/**
 * A rich model for the introspector's tests, declared with the DSL, and a way to build a real
 * database from any snapshot with the dialect's own compiler.
 */
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import {
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  check,
  customType,
  date,
  dbSchema,
  defineSchema,
  doublePrecision,
  enumType,
  foreignKey,
  index,
  indexElement,
  integer,
  interval,
  json,
  jsonb,
  numeric,
  primaryKey,
  real,
  serial,
  smallint,
  sql,
  table,
  text,
  time,
  timestamp,
  timestamptz,
  toSnapshot,
  unique,
  uuid,
  varchar,
} from '../../src/schema/index.ts'
import type { SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'

const app = dbSchema('app')
const audit = dbSchema('audit')

export const mood = enumType('mood', ['sad', 'ok', 'happy'])
export const role = app.enumType('role', ['member', 'admin', 'owner'])
const tsvector = customType<string>('tsvector')

/** A table in another schema, with a composite primary key, an enum and an enum array of it. */
export const accounts = app.table(
  'accounts',
  {
    tenantId: integer('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).notNull(),
    role: role().notNull().default('member'),
    roles: role().array().default(['member', 'admin']),
    handle: varchar(40).notNull(),
  },
  {
    comment: 'tenant accounts',
    extras: (t) => [
      primaryKey({ columns: [t.tenantId, t.id] }),
      unique('handle').on(t.tenantId, t.handle),
    ],
  },
)

/** Every column type, default kind, and index form the snapshot can describe. */
export const users = table(
  'users',
  {
    id: integer().primaryKey().identity({ always: true, start: 100, increment: 5 }),
    email: varchar(255).notNull().unique({ name: 'users_email_key', nullsNotDistinct: true }),
    name: text().default("it's").comment('display name'),
    active: boolean().notNull().default(true),
    score: numeric(10, 2)
      .default('0')
      .check('score_positive', (c) => sql`${c} >= 0`),
    amount: numeric().default('12.5'),
    exact: numeric(12),
    ratio: real().default(1.5),
    weight: doublePrecision().default(-2),
    small: smallint().default(-1),
    code: char(3).default('abc'),
    flag: char(),
    nick: varchar().default('x'),
    born: date().default(sql`CURRENT_DATE`),
    wakes: time({ precision: 3 }).default('07:30:00'),
    wakesTz: time('wakes_tz', { withTimezone: true }),
    createdAt: timestamptz('created_at', { precision: 3 }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at').default(sql`CURRENT_TIMESTAMP`),
    localAt: timestamp('local_at', { precision: 0 }),
    span: interval().default('1 day'),
    uid: uuid().default(sql`gen_random_uuid()`),
    doc: json().default({ b: 1, a: [true, null] }),
    data: jsonb().default({ b: 1, a: [true, null] }),
    bin: bytea().default(new Uint8Array([1, 2, 255])),
    feeling: mood().default('ok'),
    moods: mood().array().default(['sad', 'happy']),
    tags: text().array().notNull().default(['a', 'b c', "it's"]),
    matrix: integer().array().array(),
    search: tsvector(),
    big: bigint({ mode: 'bigint' }).default(9007199254740993n),
    accountTenant: integer('account_tenant'),
    accountId: bigint('account_id', { mode: 'number' }),
  },
  (t) => [
    index('ix_users_lower_email').on(sql`lower(${t.email})`).unique().where(sql`${t.active}`),
    index('ix_users_search').on(t.search).using('gin'),
    index('ix_users_search_gist').on(t.search).using('gist'),
    index('ix_users_tags').on(t.tags).using('gin'),
    index('ix_users_created_brin').on(t.createdAt).using('brin'),
    index('ix_users_uid_hash').on(t.uid).using('hash'),
    index('ix_users_cover').on(t.createdAt.desc(), t.name.nullsFirst()).include(t.email, t.nick),
    index('ix_users_name_pattern')
      .on(t.name.opclass('text_pattern_ops'))
      .where(sql`${t.name} IS NOT NULL`),
    index('ix_users_expr').on(
      sql`${t.score} * 2`,
      indexElement(sql`coalesce(${t.nick}, '')`).desc().nullsLast(),
      t.id,
    ),
    foreignKey({
      columns: [t.accountTenant, t.accountId],
      foreignColumns: [accounts.tenantId, accounts.id],
      onDelete: 'set null',
      onUpdate: 'cascade',
      deferrable: true,
      initiallyDeferred: true,
      name: 'users_account_fkey',
    }),
    check('name_not_empty', sql`${t.name} <> ''`),
  ],
)

/** Serial columns, a cross-schema foreign key, and identity by default. */
export const events = audit.table(
  'events',
  {
    id: bigserial().primaryKey(),
    seq: serial(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: mood().notNull(),
    at: timestamptz().notNull().default(sql`now()`),
    counter: integer().identity(),
    countdown: bigint({ mode: 'number' }).identity({ start: -10, increment: -2 }),
  },
  {
    comment: "audit trail: it's append-only",
    extras: (t) => [unique().on(t.userId, t.at), index().on(t.userId, t.at.desc())],
  },
)

/** A table with nothing but columns. */
export const plain = table('plain', { a: text(), b: integer().notNull() })

/** The rich model as a snapshot. */
export const model: SchemaSnapshot = toSnapshot(
  defineSchema({ mood, role, accounts, users, events, plain }),
)

/**
 * The operations that build `snapshot` in an empty database, as a migration would: schemas,
 * enums, tables without their foreign keys, then the foreign keys (tables may reference tables
 * created after them).
 */
export function buildOps(snapshot: SchemaSnapshot): readonly MigrationOp[] {
  const schemas = new Set<string>()
  for (const item of [...snapshot.enums, ...snapshot.tables]) {
    if (item.schema !== undefined) schemas.add(item.schema)
  }
  return [
    ...[...schemas].map((name): MigrationOp => ({ kind: 'createSchema', name, ifNotExists: true })),
    ...snapshot.enums.map(
      (e): MigrationOp => ({ kind: 'createEnum', enum: e, ifNotExists: false }),
    ),
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
}
