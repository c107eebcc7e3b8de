import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderModels } from '../../src/autogenerate/render-models.ts'
import { type SchemaModel, toSnapshot } from '../../src/schema/define-schema.ts'
import type { SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'
import { createProject } from '../support/project.ts'
import { column, T, table } from '../support/snapshot-literals.ts'
import { MODEL_CASES, snapshot } from './render-cases.ts'
import { importModule, writeModule } from './render-support.ts'

/**
 * The models renderer of `aludel pull`, tested by round trips: each snapshot is rendered into a
 * module inside a project whose `aludel` is this repository, the module is imported, and
 * converting its `schema` must give the snapshot back, names, order and all.
 */

let modelsDir: string

beforeAll(() => {
  modelsDir = join(createProject(undefined).dir, 'models')
})

async function roundTrip(name: string, input: SchemaSnapshot) {
  const text = renderModels(input)
  const file = writeModule(modelsDir, `${name}.ts`, text)
  const module = await importModule<{ schema: SchemaModel<object> }>(file)
  return { text, output: toSnapshot(module.schema) }
}

describe('rendered models convert back to the snapshot they were written from', () => {
  it.each(Object.entries(MODEL_CASES))('%s', async (name, input) => {
    const { text, output } = await roundTrip(name, input)
    expect(output).toStrictEqual(input)
    expect(text).not.toContain('// NOTE:')
    for (const line of text.split('\n')) {
      expect(line.length, line).toBeLessThanOrEqual(100)
      expect(line.endsWith(';'), line).toBe(false)
    }
  })
})

describe('what the models renderer writes', () => {
  it("writes Alembic's tutorial as a reviewer would write it by hand", () => {
    expect(renderModels(MODEL_CASES.tutorial!)).toMatchInlineSnapshot(`
      "/**
       * Models of the database schema, written by \`aludel pull\`.
       */
      import { boolean, defineSchema, integer, table, text, varchar } from 'aludel'

      export const users = table('users', {
        id: integer().primaryKey().identity().index(),
        email: varchar(255).notNull().unique().index(),
        hashedPassword: text('hashed_password').notNull(),
        isActive: boolean('is_active').notNull().default(true),
      })

      export const items = table('items', {
        id: integer().primaryKey().identity().index(),
        title: varchar(200).notNull().index(),
        description: text(),
        ownerId: integer('owner_id').references(() => users.id),
      })

      // Unnamed constraints and indexes get aludel's default names (pk_users, ix_users_email); checks
      // keep the names they are given.
      export const schema = defineSchema(
        { users, items },
        { namingConvention: { ck: '%(constraint_name)s' } },
      )
      "
    `)
  })

  it('declares enums, schemas and custom types before the tables, referenced tables first', () => {
    expect(renderModels(MODEL_CASES.rich!)).toMatchInlineSnapshot(`
      "/**
       * Models of the database schema, written by \`aludel pull\`.
       */
      import {
        bigint,
        bigserial,
        boolean,
        bytea,
        char,
        check,
        type ColumnTarget,
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
        unique,
        uniqueIndex,
        uuid,
        varchar,
      } from 'aludel'

      const auth = dbSchema('auth')

      const tsvector = customType('tsvector')
      const geometryPoint4326 = customType('geometry(Point,4326)')

      export const mood = enumType('mood', ['sad', 'ok', 'happy'])
      export const unused = enumType('unused', ['x'])
      export const role = auth.enumType('role', ['member', 'admin', "it's"])

      export const bNodes = table('b_nodes', {
        id: integer().primaryKey(),
        aId: integer('a_id').references((): ColumnTarget => aNodes.id),
      })

      export const aNodes = table('a_nodes', {
        id: integer().primaryKey(),
        bId: integer('b_id').references(() => bNodes.id),
      })

      export const categories = table('categories', {
        id: serial().primaryKey(),
        parentId: integer('parent_id').references((): ColumnTarget => categories.id, {
          onDelete: 'cascade',
        }),
        name: text().notNull(),
      })

      export const events = table(
        'events',
        {
          id: bigserial().primaryKey(),
          payload: jsonb().notNull(),
          at: timestamptz({ precision: 6 }).notNull().default(sql\`CURRENT_TIMESTAMP\`),
        },
        (t) => [index('ix_events_at_id').on(t.at.desc(), t.id.desc())],
      )

      export const teams = table(
        'teams',
        {
          orgId: integer('org_id').notNull(),
          id: integer().notNull(),
          name: text(),
        },
        (t) => [primaryKey({ columns: [t.orgId, t.id] })],
      )

      export const accounts = auth.table(
        'accounts',
        {
          id: uuid().notNull().default(sql\`gen_random_uuid()\`),
          role: role().notNull().default('member'),
          email: text().notNull().unique(),
          createdAt: timestamptz('created_at', { precision: 3 }).notNull().default(sql\`now()\`),
        },
        {
          comment: 'Login accounts',
          extras: (t) => [primaryKey({ name: 'accounts_pkey', columns: [t.id] })],
        },
      )

      export const users = table(
        'users',
        {
          id: bigint().primaryKey().identity({ always: true, start: 1000, increment: 5 }),
          email: varchar(255).notNull().unique().index().comment("User's e-mail\\nsecond line"),
          hashedPassword: text('hashed_password').notNull(),
          isActive: boolean('is_active').notNull().default(true),
          mood: mood().default('ok'),
          moods: mood().array(),
          tags: text().array().notNull().default([]),
          matrix: integer()
            .array()
            .array()
            .default([[1, 2], [3]]),
          score: numeric(10, 2).default('0.00'),
          ratio: real().default(1.5),
          big: doublePrecision().default(-0),
          small: smallint().default(0),
          counter: bigint({ mode: 'number' }).default(0),
          huge: bigint({ mode: 'bigint' }).default(9007199254740993n),
          born: date().default('2000-01-01'),
          alarm: time({ precision: 0 }),
          alarmTz: time('alarm_tz', { withTimezone: true }),
          seenAt: timestamp('seen_at'),
          seenTz: timestamptz('seen_tz').default(new Date('2024-02-29T12:34:56.789Z')),
          wait: interval().default(sql\`'1 day'::interval\`),
          profile: jsonb().default({
            theme: 'dark',
            nested: { a: [1, 'two', null, true] },
            'odd key': 1,
          }),
          settings: json().default([1, 'x']),
          avatar: bytea().default(new Uint8Array([0, 1, 255])),
          search: tsvector(),
          location: geometryPoint4326(),
          code: char(2),
          flag: char(),
          nick: varchar(),
          amount: numeric(),
          digits: numeric(5),
          weirdDefault: text('weird_default').default(sql.raw("'\`\${x}\` \\\\ done'::text")),
          accountId: uuid('account_id').references(() => accounts.id, {
            onDelete: 'set null',
            onUpdate: 'cascade',
            initiallyDeferred: true,
          }),
          managerId: bigint('manager_id').references((): ColumnTarget => users.id, {
            name: 'users_manager_fk',
            deferrable: true,
          }),
        },
        {
          comment: 'People who log in',
          extras: (t) => [
            unique('uq_users_code_flag').on(t.code, t.flag).nullsNotDistinct(),
            check('ck_users_email_shape', sql.raw("email ~ '^\\\\S+@\\\\S+$'")),
            check('users_score_positive', sql\`score >= 0\`),
            uniqueIndex('ix_users_email_lower').on(sql\`lower((email)::text)\`),
            index('ix_users_expr_desc').on(indexElement(sql\`abs(small)\`).desc()),
            index('ix_users_nulls_first').on(t.born.nullsFirst()),
            index().on(t.profile.opclass('jsonb_path_ops')).using('gin'),
            index('ix_users_recent')
              .on(t.seenTz.desc().nullsLast(), t.id)
              .where(sql\`is_active\`)
              .include(t.email, t.mood),
            index().on(t.search).using('gin'),
          ],
        },
      )

      export const members = table(
        'members',
        {
          orgId: integer('org_id').notNull(),
          teamId: integer('team_id').notNull(),
          userId: bigint('user_id')
            .notNull()
            .references(() => users.id, { onDelete: 'set default' }),
        },
        (t) => [
          primaryKey({ name: 'members_pk', columns: [t.teamId, t.userId, t.orgId] }),
          foreignKey({
            columns: [t.orgId, t.teamId],
            foreignColumns: [teams.orgId, teams.id],
            onDelete: 'restrict',
            onUpdate: 'cascade',
          }),
        ],
      )

      export const myTable = table('my.table', {
        id: integer().primaryKey(),
        events: bigserial(),
      })

      export const pairY = table(
        'pair_y',
        {
          k1: integer().notNull(),
          k2: integer().notNull(),
          x1: integer(),
          x2: integer(),
        },
        (t) => [
          primaryKey({ columns: [t.k1, t.k2] }),
          foreignKey({
            columns: [t.x1, t.x2],
            foreignTable: 'pair_x',
            foreignColumns: ['k1', 'k2'],
            initiallyDeferred: true,
          }),
        ],
      )

      export const pairX = table(
        'pair_x',
        {
          k1: integer().notNull(),
          k2: integer().notNull(),
          y1: integer(),
          y2: integer(),
        },
        (t) => [
          primaryKey({ columns: [t.k1, t.k2] }),
          foreignKey({ columns: [t.y1, t.y2], foreignColumns: [pairY.k1, pairY.k2] }),
        ],
      )

      export const textTable = table('text', {
        table: text(),
        id: integer().primaryKey(),
        dottedId: integer('dotted_id').references(() => myTable.id, { name: 'fk_text_dotted' }),
      })

      export const authUsers = auth.table('users', {
        id: integer().primaryKey(),
      })

      // Unnamed constraints and indexes get aludel's default names (pk_users, ix_users_email); checks
      // keep the names they are given.
      export const schema = defineSchema(
        {
          mood,
          unused,
          role,
          bNodes,
          aNodes,
          categories,
          events,
          teams,
          accounts,
          users,
          members,
          myTable,
          pairY,
          pairX,
          textTable,
          authUsers,
        },
        { namingConvention: { ck: '%(constraint_name)s' } },
      )
      "
    `)
  })

  it("picks PostgreSQL's naming convention for a database named that way", () => {
    const text = renderModels(MODEL_CASES.postgresNames!)
    expect(text).toContain("pk: '%(table_name)s_pkey'")
    expect(text).toContain('  id: integer().primaryKey().identity(),')
    // Three calls and a callback: one call per line, as the formatter writes member chains.
    expect(text).toContain(
      "customerId: integer('customer_id')\n      .notNull()\n      .references(() => customers.id),",
    )
    expect(text).toContain('(t) => [\n    unique().on(t.code, t.region),')
    expect(text).toContain("index('orders_lower_code').on(sql`lower(code)`)")
  })

  it('keeps every name when no convention gives it', () => {
    const text = renderModels(
      snapshot(
        [
          table('tags', {
            columns: [column('id', T.integer, { nullable: false }), column('label', T.text)],
            primaryKey: { name: 'tags_primary', columns: ['id'] },
            uniques: [{ name: 'tag_label_unique', columns: ['label'], nullsNotDistinct: true }],
          }),
        ],
        [],
      ),
    )
    expect(text).toContain("primaryKey({ name: 'tags_primary', columns: [t.id] })")
    expect(text).toContain(
      "label: text().unique({ name: 'tag_label_unique', nullsNotDistinct: true }),",
    )
  })

  it('spells out the return type of references between tables that reference each other', () => {
    const text = renderModels(MODEL_CASES.rich!)
    expect(text).toContain(
      "parentId: integer('parent_id').references((): ColumnTarget => categories.id, {",
    )
    // b_nodes comes first (a_nodes references it) and points forward to a_nodes.
    expect(text.indexOf('export const bNodes')).toBeLessThan(text.indexOf('export const aNodes'))
    expect(text).toContain("aId: integer('a_id').references((): ColumnTarget => aNodes.id),")
    expect(text).toContain("bId: integer('b_id').references(() => bNodes.id),")
    // Composite keys: a forward reference by name, a backward one by columns.
    expect(text).toContain("foreignTable: 'pair_x',")
    expect(text).toContain(
      'foreignKey({ columns: [t.y1, t.y2], foreignColumns: [pairY.k1, pairY.k2] })',
    )
    expect(text).toMatch(/^ {2}type ColumnTarget,$/m)
  })

  it('takes the import path and header from its options', () => {
    const text = renderModels(MODEL_CASES.empty!, { importPath: '../src/index.ts', header: '' })
    expect(text).toBe(
      [
        "import { defineSchema } from '../src/index.ts'",
        '',
        "// Unnamed constraints and indexes get aludel's default names (pk_users, ix_users_email); checks",
        '// keep the names they are given.',
        "export const schema = defineSchema({}, { namingConvention: { ck: '%(constraint_name)s' } })",
        '',
      ].join('\n'),
    )
    expect(
      renderModels(MODEL_CASES.empty!, { header: 'Line one\nends a */ comment' }).split('\n', 4),
    ).toEqual(['/**', ' * Line one', ' * ends a *\\/ comment', ' */'])
  })

  it('writes a boolean or integer default the database reports as SQL as the plain literal', () => {
    const text = renderModels(
      snapshot(
        [
          table('flags', {
            columns: [
              column('active', T.boolean, { default: { kind: 'sql', sql: 'true' } }),
              column('hidden', T.boolean, { default: { kind: 'sql', sql: 'FALSE' } }),
              column('tries', T.integer, { default: { kind: 'sql', sql: '0' } }),
              column('offset', T.smallint, { default: { kind: 'sql', sql: '(-1)' } }),
              column('seen', T.bigint, { default: { kind: 'sql', sql: '0' } }),
              column('at', T.date, { default: { kind: 'sql', sql: 'CURRENT_DATE' } }),
            ],
          }),
        ],
        [],
      ),
    )
    expect(text).toContain('active: boolean().default(true)')
    expect(text).toContain('hidden: boolean().default(false)')
    expect(text).toContain('tries: integer().default(0)')
    expect(text).toContain('offset: smallint().default(-1)')
    // A bigint's row type depends on its mode; an expression stays SQL.
    expect(text).toContain('seen: bigint().default(sql`0`)')
    expect(text).toContain('at: date().default(sql`CURRENT_DATE`)')
  })

  it('notes a reference to a table the snapshot does not hold', () => {
    const text = renderModels(
      snapshot(
        [
          table('items', {
            columns: [column('owner_id', T.integer)],
            foreignKeys: [
              {
                name: 'fk_items_owner',
                columns: ['owner_id'],
                referencedSchema: 'other',
                referencedTable: 'users',
                referencedColumns: ['id'],
                onDelete: undefined,
                onUpdate: undefined,
                deferrable: false,
                initiallyDeferred: false,
              },
            ],
          }),
        ],
        [],
      ),
    )
    expect(text).toContain(
      '// NOTE: foreign key fk_items_owner references other.users, which is not in this module;',
    )
    expect(text).toContain("ownerId: integer('owner_id').references('other.users', 'id', {")
  })
})
