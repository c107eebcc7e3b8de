import { describe, expect, it } from 'vitest'
import {
  check,
  foreignKey,
  index,
  indexElement,
  integer,
  jsonb,
  primaryKey,
  sql,
  type TableExtras,
  table,
  text,
  timestamptz,
  toIndexDef,
  toTableDef,
  unique,
  uniqueIndex,
  uuid,
} from '../../src/schema/index.ts'
import { columnElement, expressionElement, indexDef } from './helpers.ts'

const fk = {
  referencedSchema: undefined,
  onDelete: undefined,
  onUpdate: undefined,
  deferrable: false,
  initiallyDeferred: false,
}

const postColumns = {
  id: integer().primaryKey(),
  authorId: integer('author_id').notNull(),
  title: text().notNull(),
  body: text(),
  tags: text().array(),
  data: jsonb(),
  createdAt: timestamptz('created_at').notNull(),
  deletedAt: timestamptz('deleted_at'),
}
const posts = table('posts', postColumns)

/** The TableDef of a `posts` table with the given extras. */
function withExtras(extras: TableExtras<typeof posts>) {
  return toTableDef(table('posts', postColumns, extras))
}

describe('table-level indexes', () => {
  it('index columns, expressions and ordered elements, named by the convention or explicitly', () => {
    const def = withExtras((t) => [
      index().on(t.authorId, t.createdAt.desc()),
      index('ix_posts_title_lower').on(sql`lower(${t.title})`),
      index().on(t.createdAt.asc().nullsFirst(), t.title.desc().nullsLast(), t.body.nullsLast()),
      index('ix_posts_title_expr_desc').on(indexElement(sql`lower(${t.title})`).desc()),
      index('ix_posts_by_name').on('title', indexElement('body').desc()),
      index().on(t.title.opclass('text_pattern_ops')),
    ])
    expect(def.indexes).toStrictEqual([
      indexDef('ix_posts_author_id', [
        columnElement('author_id'),
        columnElement('created_at', { order: 'desc' }),
      ]),
      indexDef('ix_posts_by_name', [
        columnElement('title'),
        columnElement('body', { order: 'desc' }),
      ]),
      // asc and its default NULLS LAST are normalized away; NULLS FIRST on asc is kept.
      indexDef('ix_posts_created_at', [
        columnElement('created_at', { nulls: 'first' }),
        columnElement('title', { order: 'desc', nulls: 'last' }),
        columnElement('body'),
      ]),
      indexDef('ix_posts_title', [columnElement('title', { opclass: 'text_pattern_ops' })]),
      indexDef('ix_posts_title_expr_desc', [expressionElement('lower(title)', { order: 'desc' })]),
      indexDef('ix_posts_title_lower', [expressionElement('lower(title)')]),
    ])
  })

  it('unique, partial, access method and include; uniqueIndex() is sugar for unique()', () => {
    const def = withExtras((t) => [
      index('ix_live_title').on(t.title).unique().where(sql`${t.deletedAt} IS NULL`),
      uniqueIndex().on(t.authorId, t.title),
      uniqueIndex('uix_named').on(t.body),
      index().on(t.tags).using('gin'),
      index('ix_data').on(t.data.opclass('jsonb_path_ops')).using('GIN'),
      index('ix_created_brin').on(t.createdAt).using('brin'),
      index('ix_btree').on(t.body).using('btree'),
      index('ix_cover').on(t.authorId).include(t.title, 'created_at'),
    ])
    expect(def.indexes).toStrictEqual([
      indexDef('ix_btree', [columnElement('body')]),
      indexDef('ix_cover', [columnElement('author_id')], { include: ['title', 'created_at'] }),
      indexDef('ix_created_brin', [columnElement('created_at')], { method: 'brin' }),
      indexDef('ix_data', [columnElement('data', { opclass: 'jsonb_path_ops' })], {
        method: 'gin',
      }),
      indexDef('ix_live_title', [columnElement('title')], {
        unique: true,
        where: 'deleted_at IS NULL',
      }),
      indexDef('ix_posts_author_id', [columnElement('author_id'), columnElement('title')], {
        unique: true,
      }),
      indexDef('ix_posts_tags', [columnElement('tags')], { method: 'gin' }),
      indexDef('uix_named', [columnElement('body')], { unique: true }),
    ])
  })

  it('name an unnamed expression index after the first column the expression names', () => {
    const def = withExtras((t) => [index().on(sql`lower(${t.title})`)])
    expect(def.indexes.map((ix) => ix.name)).toStrictEqual(['ix_posts_title'])
  })

  it('leave concurrently() out of the snapshot and hand it to migrations through toIndexDef', () => {
    const ix = index().on(posts.title).concurrently()
    expect(ix.state.concurrently).toBe(true)
    expect(withExtras((t) => [index().on(t.title).concurrently()]).indexes).toStrictEqual([
      indexDef('ix_posts_title', [columnElement('title')]),
    ])
    expect(toIndexDef(ix)).toStrictEqual({
      schema: undefined,
      table: 'posts',
      index: indexDef('ix_posts_title', [columnElement('title')]),
      concurrently: true,
    })
    expect(toIndexDef(index().on('email'), { table: 'users', schema: 'auth' })).toStrictEqual({
      schema: 'auth',
      table: 'users',
      index: indexDef('ix_users_email', [columnElement('email')]),
      concurrently: false,
    })
    expect(
      toIndexDef(index().on(posts.title), {
        namingConvention: { ix: '%(table_name)s_%(column_0_N_name)s_idx' },
      }).index.name,
    ).toBe('posts_title_idx')
  })

  it('keep builders immutable', () => {
    const base = index('ix').on(posts.title)
    base.unique()
    base.where(sql`true`)
    base.using('hash')
    base.include(posts.id)
    base.concurrently()
    expect(base.state).toStrictEqual({
      name: 'ix',
      elements: base.state.elements,
      unique: false,
      method: undefined,
      where: undefined,
      include: [],
      concurrently: false,
    })
  })
})

describe('table-level constraints', () => {
  it('composite primary key, with or without a name', () => {
    const members = table(
      'members',
      { teamId: integer('team_id').notNull(), userId: integer('user_id').notNull() },
      (t) => [primaryKey({ columns: [t.userId, t.teamId] })],
    )
    expect(toTableDef(members).primaryKey).toStrictEqual({
      name: 'pk_members',
      columns: ['user_id', 'team_id'],
    })
    const named = table('named', { a: integer(), b: integer() }, (t) => [
      primaryKey({ columns: [t.a, 'b'], name: 'named_pkey' }),
    ])
    const def = toTableDef(named)
    expect(def.primaryKey).toStrictEqual({ name: 'named_pkey', columns: ['a', 'b'] })
    // PostgreSQL makes key columns NOT NULL; the snapshot says so whatever the builder said.
    expect(def.columns.map((c) => c.nullable)).toStrictEqual([false, false])
  })

  it('composite foreign key to table columns, or to a table named by string', () => {
    const tenants = table('tenants', { id: integer().notNull(), region: text().notNull() }, (t) => [
      primaryKey({ columns: [t.id, t.region] }),
    ])
    const sites = table(
      'sites',
      {
        id: integer().primaryKey(),
        tenantId: integer('tenant_id').notNull(),
        region: text().notNull(),
        ownerId: uuid('owner_id'),
        ownerRealm: text('owner_realm'),
      },
      (t) => [
        foreignKey({
          columns: [t.tenantId, t.region],
          foreignColumns: [tenants.id, tenants.region],
          onDelete: 'cascade',
          onUpdate: 'cascade',
          deferrable: true,
          initiallyDeferred: true,
        }),
        foreignKey({
          columns: ['owner_id', t.ownerRealm],
          foreignTable: 'auth.users',
          foreignColumns: ['id', 'realm'],
          name: 'sites_owner_fk',
        }),
      ],
    )
    expect(toTableDef(sites).foreignKeys).toStrictEqual([
      {
        ...fk,
        name: 'fk_sites_tenant_id_tenants',
        columns: ['tenant_id', 'region'],
        referencedTable: 'tenants',
        referencedColumns: ['id', 'region'],
        onDelete: 'cascade',
        onUpdate: 'cascade',
        deferrable: true,
        initiallyDeferred: true,
      },
      {
        ...fk,
        name: 'sites_owner_fk',
        columns: ['owner_id', 'owner_realm'],
        referencedSchema: 'auth',
        referencedTable: 'users',
        referencedColumns: ['id', 'realm'],
      },
    ])
  })

  it('unique constraints, composite and NULLS NOT DISTINCT', () => {
    const slugs = table(
      'slugs',
      { tenantId: integer('tenant_id'), slug: text(), code: text() },
      (t) => [
        unique().on(t.tenantId, t.slug),
        unique('slugs_code_key').on('code').nullsNotDistinct(),
      ],
    )
    expect(toTableDef(slugs).uniques).toStrictEqual([
      { name: 'slugs_code_key', columns: ['code'], nullsNotDistinct: true },
      { name: 'uq_slugs_tenant_id', columns: ['tenant_id', 'slug'], nullsNotDistinct: false },
    ])
  })

  it('check constraints', () => {
    const events = table(
      'events',
      { startsAt: timestamptz('starts_at'), endsAt: timestamptz('ends_at'), kind: text() },
      (t) => [
        check('ordered', sql`${t.startsAt} < ${t.endsAt}`),
        check('kind_known', sql`${t.kind} IN (${'talk'}, ${'workshop'})`),
      ],
    )
    expect(toTableDef(events).checks).toStrictEqual([
      { name: 'ck_events_kind_known', expression: "kind IN ('talk', 'workshop')" },
      { name: 'ck_events_ordered', expression: 'starts_at < ends_at' },
    ])
  })
})

describe('table options', () => {
  it('take schema, comment and extras in an options object', () => {
    const sessions = table(
      'sessions',
      { id: uuid().primaryKey(), token: text().notNull() },
      {
        schema: 'auth',
        comment: 'Login sessions',
        extras: (t) => [index().on(t.token)],
      },
    )
    const def = toTableDef(sessions)
    expect(def.schema).toBe('auth')
    expect(def.comment).toBe('Login sessions')
    expect(def.indexes.map((ix) => ix.name)).toStrictEqual(['ix_sessions_token'])
  })

  it("spell the default schema 'public' as undefined", () => {
    const t = table('t', { id: integer() }, { schema: 'public' })
    expect(toTableDef(t).schema).toBeUndefined()
  })

  it('call extras at conversion, with the table, so they may name tables declared later', () => {
    const child = table('child', { parentId: integer('parent_id') }, (t) => [
      foreignKey({ columns: [t.parentId], foreignColumns: [parent.id] }),
    ])
    const parent = table('parent', { id: integer().primaryKey() })
    expect(toTableDef(child).foreignKeys[0]?.referencedTable).toBe('parent')
  })
})
