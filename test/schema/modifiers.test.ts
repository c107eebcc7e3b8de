import { describe, expect, it } from 'vitest'
import {
  bigint,
  boolean,
  bytea,
  type ColumnTarget,
  enumType,
  integer,
  jsonb,
  numeric,
  serial,
  smallint,
  sql,
  table,
  text,
  timestamptz,
  toTableDef,
  uuid,
  varchar,
} from '../../src/schema/index.ts'
import { columnDef, columnElement, identity, indexDef } from './helpers.ts'

const fk = {
  referencedSchema: undefined,
  onDelete: undefined,
  onUpdate: undefined,
  deferrable: false,
  initiallyDeferred: false,
}

describe('column modifiers', () => {
  it('are immutable: each returns a new builder and leaves the old one as it was', () => {
    const base = text()
    const required = base.notNull()
    expect(required).not.toBe(base)
    expect(base.state.notNull).toBe(false)
    expect(required.state.notNull).toBe(true)
    const withDefault = base.default('x')
    expect(base.state.default).toBeUndefined()
    expect(withDefault.state.default).toStrictEqual({ kind: 'literal', value: 'x' })
    const def = toTableDef(table('t', { a: base, b: required, c: withDefault }))
    expect(def.columns.map((c) => [c.name, c.nullable])).toStrictEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ])
  })

  it('notNull() and primaryKey() make a column NOT NULL; several primaryKey() form one key in column order', () => {
    const def = toTableDef(
      table('members', {
        teamId: integer('team_id').primaryKey(),
        note: text(),
        userId: integer('user_id').primaryKey(),
        name: text().notNull(),
      }),
    )
    expect(def.columns.map((c) => c.nullable)).toStrictEqual([false, true, false, false])
    expect(def.primaryKey).toStrictEqual({ name: 'pk_members', columns: ['team_id', 'user_id'] })
  })

  it('identity() is BY DEFAULT unless always, with start and increment, and implies NOT NULL', () => {
    const def = toTableDef(
      table('t', {
        a: integer().identity(),
        b: bigint().identity({ always: true }),
        c: smallint().identity({ start: 100, increment: 10 }),
        d: integer().identity({ always: false, start: -1, increment: -1 }),
      }),
    )
    expect(def.columns).toStrictEqual([
      columnDef('a', { kind: 'integer' }, { nullable: false, identity: identity() }),
      columnDef('b', { kind: 'bigint' }, { nullable: false, identity: identity({ always: true }) }),
      columnDef(
        'c',
        { kind: 'smallint' },
        { nullable: false, identity: identity({ start: 100, increment: 10 }) },
      ),
      columnDef(
        'd',
        { kind: 'integer' },
        { nullable: false, identity: identity({ start: -1, increment: -1 }) },
      ),
    ])
  })

  it('default() stores JavaScript values as literals and sql fragments as SQL text', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const when = new Date('2024-01-02T03:04:05.000Z')
    const def = toTableDef(
      table('t', {
        flag: boolean().default(false),
        count: integer().default(0),
        big: bigint({ mode: 'bigint' }).default(9007199254740993n),
        price: numeric(10, 2).default('9.99'),
        name: text().default("it's"),
        tags: text().array().default(['a', 'b']),
        settings: jsonb<{ theme: string }>().default({ theme: 'dark' }),
        createdAt: timestamptz('created_at').default(sql`now()`),
        epoch: timestamptz().default(when),
        blob: bytea().default(new Uint8Array([1, 2])),
        id: uuid().default(sql`gen_random_uuid()`),
        feeling: mood().default('happy'),
        nothing: text().default(sql`NULL`),
      }),
    )
    expect(Object.fromEntries(def.columns.map((c) => [c.name, c.default]))).toStrictEqual({
      flag: { kind: 'literal', value: false },
      count: { kind: 'literal', value: 0 },
      big: { kind: 'literal', value: 9007199254740993n },
      price: { kind: 'literal', value: '9.99' },
      name: { kind: 'literal', value: "it's" },
      tags: { kind: 'literal', value: ['a', 'b'] },
      settings: { kind: 'literal', value: { theme: 'dark' } },
      created_at: { kind: 'sql', sql: 'now()' },
      epoch: { kind: 'literal', value: when },
      blob: { kind: 'literal', value: new Uint8Array([1, 2]) },
      id: { kind: 'sql', sql: 'gen_random_uuid()' },
      feeling: { kind: 'literal', value: 'happy' },
      nothing: { kind: 'sql', sql: 'NULL' },
    })
  })

  it('default() copies objects, so later mutation of the value does not change the model', () => {
    const value = { theme: 'dark' }
    const t = table('t', { settings: jsonb().default(value) })
    value.theme = 'light'
    expect(toTableDef(t).columns[0]?.default).toStrictEqual({
      kind: 'literal',
      value: { theme: 'dark' },
    })
    // Nor does mutating one snapshot change the next.
    const first = toTableDef(t).columns[0]?.default as unknown as { value: { theme: string } }
    first.value.theme = 'mutated'
    expect(toTableDef(t).columns[0]?.default).toStrictEqual({
      kind: 'literal',
      value: { theme: 'dark' },
    })
  })

  it('unique() makes a unique constraint, named or not, optionally NULLS NOT DISTINCT', () => {
    const def = toTableDef(
      table('accounts', {
        email: text().unique(),
        handle: text().unique('accounts_handle_key'),
        code: text().unique({ nullsNotDistinct: true }),
        slug: text().unique({ name: 'uq_slug', nullsNotDistinct: false }),
      }),
    )
    expect(def.uniques).toStrictEqual([
      { name: 'accounts_handle_key', columns: ['handle'], nullsNotDistinct: false },
      { name: 'uq_accounts_code', columns: ['code'], nullsNotDistinct: true },
      { name: 'uq_accounts_email', columns: ['email'], nullsNotDistinct: false },
      { name: 'uq_slug', columns: ['slug'], nullsNotDistinct: false },
    ])
    expect(def.indexes).toStrictEqual([])
  })

  it('index() makes a plain index; with unique() one unique index and no constraint', () => {
    const def = toTableDef(
      table('t', {
        a: text().index(),
        b: text().index('t_b_idx'),
        c: text().unique().index(),
        d: text().index().unique(),
        e: text().unique('named_by_unique').index(),
        f: text().unique('loses').index('wins'),
      }),
    )
    expect(def.uniques).toStrictEqual([])
    expect(def.indexes).toStrictEqual([
      indexDef('ix_t_a', [columnElement('a')]),
      indexDef('ix_t_c', [columnElement('c')], { unique: true }),
      indexDef('ix_t_d', [columnElement('d')], { unique: true }),
      indexDef('named_by_unique', [columnElement('e')], { unique: true }),
      indexDef('t_b_idx', [columnElement('b')]),
      indexDef('wins', [columnElement('f')], { unique: true }),
    ])
  })

  it('references() accepts a callback, a table name, or a schema-qualified one, with options', () => {
    const users = table('users', { id: integer().primaryKey() })
    const posts = table('posts', {
      authorId: integer('author_id').references(() => users.id, {
        onDelete: 'cascade',
        onUpdate: 'restrict',
      }),
      editorId: integer('editor_id').references('users', 'id', { onDelete: 'set null' }),
      accountId: uuid('account_id').references('auth.accounts', 'id', {
        name: 'posts_account_fk',
        deferrable: true,
      }),
      reviewerId: integer('reviewer_id').references('public.users', 'id', {
        initiallyDeferred: true,
      }),
      parentId: integer('parent_id').references((): ColumnTarget => posts.id, {
        onDelete: 'no action',
      }),
      id: integer().primaryKey(),
      fallback: integer().references(() => users.id, { onDelete: 'set default' }),
    })
    const def = toTableDef(posts)
    expect(def.foreignKeys).toStrictEqual([
      {
        ...fk,
        name: 'fk_posts_author_id_users',
        columns: ['author_id'],
        referencedTable: 'users',
        referencedColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: 'restrict',
      },
      {
        ...fk,
        name: 'fk_posts_editor_id_users',
        columns: ['editor_id'],
        referencedTable: 'users',
        referencedColumns: ['id'],
        onDelete: 'set null',
      },
      {
        ...fk,
        name: 'fk_posts_fallback_users',
        columns: ['fallback'],
        referencedTable: 'users',
        referencedColumns: ['id'],
        onDelete: 'set default',
      },
      {
        ...fk,
        name: 'fk_posts_parent_id_posts',
        columns: ['parent_id'],
        referencedTable: 'posts',
        referencedColumns: ['id'],
        onDelete: 'no action',
      },
      {
        // 'public.users' is the default schema, spelled undefined like everywhere else.
        ...fk,
        name: 'fk_posts_reviewer_id_users',
        columns: ['reviewer_id'],
        referencedTable: 'users',
        referencedColumns: ['id'],
        deferrable: true,
        initiallyDeferred: true,
      },
      {
        ...fk,
        name: 'posts_account_fk',
        columns: ['account_id'],
        referencedSchema: 'auth',
        referencedTable: 'accounts',
        referencedColumns: ['id'],
        deferrable: true,
      },
    ])
  })

  it('references() callbacks run only at conversion, so a table may reference itself', () => {
    // The callback's return type is spelled out, or TypeScript could not type the table (its
    // type would depend on itself); the same holds for two tables that reference each other.
    const categories = table('categories', {
      id: integer().primaryKey(),
      parentId: integer('parent_id').references((): ColumnTarget => categories.id),
    })
    expect(toTableDef(categories).foreignKeys).toStrictEqual([
      {
        ...fk,
        name: 'fk_categories_parent_id_categories',
        columns: ['parent_id'],
        referencedTable: 'categories',
        referencedColumns: ['id'],
      },
    ])
  })

  it('check() adds a named check constraint, from a fragment or a function of the column', () => {
    const def = toTableDef(
      table('products', {
        price: numeric(10, 2).check('price_positive', (price) => sql`${price} > 0`),
        stock: integer()
          .check('stock_not_negative', sql`stock >= 0`)
          .check('stock_bounded', (c) => sql`${c} < ${1_000_000}`),
        Label: text().check('label_trimmed', (c) => sql`${c} = btrim(${c})`),
      }),
    )
    expect(def.checks).toStrictEqual([
      { name: 'ck_products_label_trimmed', expression: '"Label" = btrim("Label")' },
      { name: 'ck_products_price_positive', expression: 'price > 0' },
      { name: 'ck_products_stock_bounded', expression: 'stock < 1000000' },
      { name: 'ck_products_stock_not_negative', expression: 'stock >= 0' },
    ])
  })

  it('comment() documents the column', () => {
    const def = toTableDef(table('t', { a: text().comment('Shown to users') }))
    expect(def.columns[0]?.comment).toBe('Shown to users')
  })

  it('array() wraps the type, twice for two dimensions, and keeps the other modifiers', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const def = toTableDef(
      table('t', {
        grid: integer()
          .notNull()
          .array()
          .array()
          .default([[1, 2]]),
        moods: mood().array().notNull(),
      }),
    )
    expect(def.columns).toStrictEqual([
      columnDef(
        'grid',
        { kind: 'array', element: { kind: 'array', element: { kind: 'integer' } } },
        { nullable: false, default: { kind: 'literal', value: [[1, 2]] } },
      ),
      columnDef(
        'moods',
        { kind: 'array', element: { kind: 'enum', name: 'mood', schema: undefined } },
        { nullable: false },
      ),
    ])
  })

  it('$type() changes only the TypeScript type', () => {
    const def = toTableDef(table('t', { status: text().notNull().$type<'draft' | 'live'>() }))
    expect(def.columns[0]).toStrictEqual(columnDef('status', { kind: 'text' }, { nullable: false }))
  })

  it('serial columns keep their sequence as the only default', () => {
    const def = toTableDef(table('t', { id: serial().primaryKey(), n: varchar(3).notNull() }))
    expect(def.columns[0]).toStrictEqual(
      columnDef('id', { kind: 'integer' }, { nullable: false, serial: true }),
    )
    expect(def.primaryKey).toStrictEqual({ name: 'pk_t', columns: ['id'] })
  })
})

describe('column builders', () => {
  it('keep their state frozen, and tables keep odd keys as columns', () => {
    const builder = integer().references('users', 'id').check('c', sql`true`)
    expect(Object.isFrozen(builder.state)).toBe(true)
    expect(Object.isFrozen(builder.state.references)).toBe(true)
    expect(Object.isFrozen(builder.state.checks)).toBe(true)
    // A computed key makes an own property; a literal `__proto__:` would set the prototype.
    const odd = table('odd', { ['__proto__']: text() })
    expect(toTableDef(odd).columns.map((c) => c.name)).toStrictEqual(['__proto__'])
  })
})
