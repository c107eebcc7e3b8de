import { describe, expect, it } from 'vitest'
import type { TableDef } from '../../src/schema/schema-snapshot.ts'
import {
  check,
  column,
  enumDef,
  foreignKey,
  index,
  lit,
  primaryKey,
  snapshot,
  sql,
  T,
  table,
  unique,
} from '../support/snapshot-literals.ts'
import {
  compareChecked,
  compareSchemas,
  kindsOf,
  onlyOp,
  opsOf,
  warningOf,
} from './compare-helpers.ts'

const id = column('id', T.integer, { nullable: false })

/** `users (id PK, email)`, the table most tests start from. */
function users(extra: Partial<TableDef> = {}): TableDef {
  return table('users', {
    columns: [id, column('email', T.text)],
    primaryKey: primaryKey('pk_users', ['id']),
    ...extra,
  })
}

/** `items (id PK, owner_id -> users.id)`. */
function items(extra: Partial<TableDef> = {}): TableDef {
  return table('items', {
    columns: [id, column('owner_id', T.integer)],
    primaryKey: primaryKey('pk_items', ['id']),
    foreignKeys: [foreignKey('fk_items_owner_id_users', ['owner_id'], 'users', ['id'])],
    ...extra,
  })
}

describe('compareSchemas: nothing to do', () => {
  it('finds no changes between equal snapshots', () => {
    const s = snapshot([users(), items()], [enumDef('mood', ['sad', 'happy'])])
    const result = compareChecked({ models: s, database: s })
    expect(result).toEqual({ changes: [], manual: [], questions: [] })
  })

  it('finds no changes between two empty snapshots', () => {
    expect(compareChecked({ models: snapshot(), database: snapshot() })).toEqual({
      changes: [],
      manual: [],
      questions: [],
    })
  })
})

describe('compareSchemas: schemas', () => {
  it('creates a schema that model tables use and no database object is in', () => {
    const result = compareChecked({
      models: snapshot([table('sessions', { schema: 'auth', columns: [id] })]),
      database: snapshot(),
    })
    expect(opsOf(result)[0]).toEqual({ kind: 'createSchema', name: 'auth', ifNotExists: true })
    expect(kindsOf(result)).toEqual(['createSchema', 'createTable'])
  })

  it('creates a schema for an enum, once, before the enum', () => {
    const result = compareChecked({
      models: snapshot(
        [table('tokens', { schema: 'auth', columns: [column('kind', T.enum('kind', 'auth'))] })],
        [enumDef('kind', ['a', 'b'], 'auth')],
      ),
      database: snapshot(),
    })
    expect(kindsOf(result)).toEqual(['createSchema', 'createEnum', 'createTable'])
  })

  it('does not create a schema the database already has objects in', () => {
    const result = compareChecked({
      models: snapshot([
        table('sessions', { schema: 'auth', columns: [id] }),
        table('tokens', { schema: 'auth', columns: [id] }),
      ]),
      database: snapshot([table('sessions', { schema: 'auth', columns: [id] })]),
    })
    expect(kindsOf(result)).toEqual(['createTable'])
  })

  it('never drops a schema', () => {
    const result = compareChecked({
      models: snapshot(),
      database: snapshot([table('old', { schema: 'legacy', columns: [id] })]),
    })
    expect(kindsOf(result)).toEqual(['dropTable'])
  })
})

describe('compareSchemas: enums', () => {
  const moodTable = table('people', { columns: [id, column('mood', T.enum('mood'))] })

  it('creates an enum before the table that uses it', () => {
    const result = compareChecked({
      models: snapshot([moodTable], [enumDef('mood', ['sad', 'happy'])]),
      database: snapshot(),
    })
    expect(opsOf(result)).toEqual([
      { kind: 'createEnum', enum: enumDef('mood', ['sad', 'happy']), ifNotExists: false },
      { kind: 'createTable', table: moodTable, ifNotExists: false },
    ])
  })

  it('drops an enum after the table that uses it, with its definition', () => {
    const result = compareChecked({
      models: snapshot(),
      database: snapshot([moodTable], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(kindsOf(result)).toEqual(['dropTable', 'dropEnum'])
    expect(onlyOp(result, 'dropEnum')).toEqual({
      kind: 'dropEnum',
      schema: undefined,
      name: 'mood',
      ifExists: false,
      cascade: false,
      definition: enumDef('mood', ['sad', 'happy']),
    })
  })

  it('drops an enum after the column that used it changed type', () => {
    const result = compareChecked({
      models: snapshot([table('people', { columns: [id, column('mood', T.text)] })]),
      database: snapshot([moodTable], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(kindsOf(result)).toEqual(['alterColumn', 'dropEnum'])
  })

  const addValue = (value: string, place: { before?: string; after?: string }) => ({
    kind: 'addEnumValue',
    schema: undefined,
    enum: 'mood',
    value,
    before: place.before,
    after: place.after,
    ifNotExists: false,
  })

  it('adds a value at the end after the last one', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('mood', ['sad', 'ok', 'happy', 'ecstatic'])]),
      database: snapshot([], [enumDef('mood', ['sad', 'ok', 'happy'])]),
    })
    expect(opsOf(result)).toEqual([addValue('ecstatic', { after: 'happy' })])
    expect(result.manual).toEqual([])
  })

  it('adds a value at the start before the first one', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('mood', ['awful', 'sad', 'happy'])]),
      database: snapshot([], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(opsOf(result)).toEqual([addValue('awful', { before: 'sad' })])
  })

  it('adds a value in the middle after its predecessor', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('mood', ['sad', 'ok', 'happy'])]),
      database: snapshot([], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(opsOf(result)).toEqual([addValue('ok', { after: 'sad' })])
  })

  it('adds several values, each placed after the one added before it', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('mood', ['a', 'b', 'sad', 'c', 'd', 'happy', 'e'])]),
      database: snapshot([], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(opsOf(result)).toEqual([
      addValue('a', { before: 'sad' }),
      addValue('b', { after: 'a' }),
      addValue('c', { after: 'sad' }),
      addValue('d', { after: 'c' }),
      addValue('e', { after: 'happy' }),
    ])
  })

  it('adds values to an enum in another schema with its schema', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('kind', ['a', 'b'], 'auth')]),
      database: snapshot([], [enumDef('kind', ['a'], 'auth')]),
    })
    expect(onlyOp(result, 'addEnumValue')).toMatchObject({
      schema: 'auth',
      enum: 'kind',
      after: 'a',
    })
  })

  it('reports a removed value as a manual step with a rebuild sketch, and no operation', () => {
    const result = compareChecked({
      models: snapshot([moodTable], [enumDef('mood', ['sad', 'happy'])]),
      database: snapshot([moodTable], [enumDef('mood', ['sad', 'meh', 'happy'])]),
    })
    expect(result.changes).toEqual([])
    expect(result.manual).toHaveLength(1)
    const step = result.manual[0]!
    expect(step.description).toContain("enum mood: value 'meh' removed")
    expect(step.description).toContain('PostgreSQL cannot remove or reorder enum values in place')
    expect(step.upgradeHint).toBe(
      [
        "// first update the rows that hold 'meh'",
        "await op.createEnum('mood_new', ['sad', 'happy'])",
        "await op.execute('ALTER TABLE people ALTER COLUMN mood TYPE mood_new USING mood::text::mood_new')",
        "await op.dropEnum('mood')",
        "await op.execute('ALTER TYPE mood_new RENAME TO mood')",
      ].join('\n'),
    )
    expect(step.downgradeHint).toContain("await op.createEnum('mood_new', ['sad', 'meh', 'happy'])")
  })

  it('reports reordered values as a manual step, covering array columns, defaults and schemas', () => {
    const tags = table('posts', {
      schema: 'blog',
      columns: [
        id,
        column('moods', T.array(T.enum('mood', 'blog'))),
        column('mood', T.enum('mood', 'blog'), { default: lit('happy') }),
      ],
    })
    const result = compareChecked({
      models: snapshot([tags], [enumDef('mood', ['happy', 'sad'], 'blog')]),
      database: snapshot([tags], [enumDef('mood', ['sad', 'happy'], 'blog')]),
    })
    expect(result.changes).toEqual([])
    const step = result.manual[0]!
    expect(step.description).toContain('enum blog.mood: values reordered')
    expect(step.upgradeHint).toBe(
      [
        "await op.createEnum('mood_new', ['happy', 'sad'], { schema: 'blog' })",
        "await op.execute('ALTER TABLE blog.posts ALTER COLUMN mood DROP DEFAULT')",
        "await op.execute('ALTER TABLE blog.posts ALTER COLUMN moods TYPE blog.mood_new[] USING moods::text[]::blog.mood_new[]')",
        "await op.execute('ALTER TABLE blog.posts ALTER COLUMN mood TYPE blog.mood_new USING mood::text::blog.mood_new')",
        "await op.dropEnum('mood', { schema: 'blog' })",
        "await op.execute('ALTER TYPE blog.mood_new RENAME TO mood')",
        '// then set the default of blog.posts.mood again',
      ].join('\n'),
    )
  })

  it('reports a removal together with an addition as one manual step and no operation', () => {
    const result = compareChecked({
      models: snapshot([], [enumDef('mood', ['sad', 'glad'])]),
      database: snapshot([], [enumDef('mood', ['sad', 'happy'])]),
    })
    expect(result.changes).toEqual([])
    expect(result.manual.map((m) => m.description)).toEqual([
      expect.stringContaining("value 'happy' removed"),
    ])
  })
})

describe('compareSchemas: tables', () => {
  it('creates a table with its constraints and indexes', () => {
    const model = users({
      uniques: [unique('uq_users_email', ['email'])],
      checks: [check('ck_users_email', "email <> ''")],
      indexes: [index('ix_users_email', ['email'])],
      comment: 'people',
    })
    const result = compareChecked({ models: snapshot([model]), database: snapshot() })
    expect(opsOf(result)).toEqual([{ kind: 'createTable', table: model, ifNotExists: false }])
    expect(result.changes[0]!.warning).toBeUndefined()
  })

  it('creates referenced tables first, whatever their names', () => {
    const a = table('a_orders', {
      columns: [id, column('item_id', T.integer)],
      primaryKey: primaryKey('pk_a_orders', ['id']),
      foreignKeys: [foreignKey('fk_a_orders_item', ['item_id'], 'items', ['id'])],
    })
    const result = compareChecked({ models: snapshot([a, items(), users()]), database: snapshot() })
    expect(
      opsOf(result).map((op) => (op.kind === 'createTable' ? op.table.name : op.kind)),
    ).toEqual(['users', 'items', 'a_orders'])
  })

  it('creates tables across schemas in dependency order', () => {
    const accounts = table('accounts', {
      schema: 'zeta',
      columns: [id],
      primaryKey: primaryKey('pk_accounts', ['id']),
    })
    const logins = table('logins', {
      columns: [id, column('account_id', T.integer)],
      foreignKeys: [
        foreignKey('fk_logins_account', ['account_id'], 'accounts', ['id'], {
          referencedSchema: 'zeta',
        }),
      ],
    })
    const result = compareChecked({ models: snapshot([logins, accounts]), database: snapshot() })
    expect(kindsOf(result)).toEqual(['createSchema', 'createTable', 'createTable'])
    expect(onlyOpNames(result)).toEqual(['accounts', 'logins'])
  })

  it('keeps a self-reference inside CREATE TABLE', () => {
    const tree = table('nodes', {
      columns: [id, column('parent_id', T.integer)],
      primaryKey: primaryKey('pk_nodes', ['id']),
      foreignKeys: [foreignKey('fk_nodes_parent', ['parent_id'], 'nodes', ['id'])],
    })
    const result = compareChecked({ models: snapshot([tree]), database: snapshot() })
    expect(opsOf(result)).toEqual([{ kind: 'createTable', table: tree, ifNotExists: false }])
  })

  it('adds a self-reference through a unique index after the table', () => {
    const tree = table('nodes', {
      columns: [id, column('code', T.text), column('parent_code', T.text)],
      foreignKeys: [foreignKey('fk_nodes_parent', ['parent_code'], 'nodes', ['code'])],
      indexes: [index('ux_nodes_code', ['code'], { unique: true })],
    })
    const result = compareChecked({ models: snapshot([tree]), database: snapshot() })
    expect(kindsOf(result)).toEqual(['createTable', 'createForeignKey'])
    expect(onlyOp(result, 'createTable').table.foreignKeys).toEqual([])
  })

  it('breaks a foreign-key cycle: tables first, the closing foreign key afterwards', () => {
    const a = table('a', {
      columns: [id, column('b_id', T.integer)],
      primaryKey: primaryKey('pk_a', ['id']),
      foreignKeys: [foreignKey('fk_a_b', ['b_id'], 'b', ['id'])],
    })
    const b = table('b', {
      columns: [id, column('a_id', T.integer)],
      primaryKey: primaryKey('pk_b', ['id']),
      foreignKeys: [foreignKey('fk_b_a', ['a_id'], 'a', ['id'])],
    })
    const result = compareChecked({ models: snapshot([b, a]), database: snapshot() })
    expect(opsOf(result)).toEqual([
      { kind: 'createTable', table: { ...a, foreignKeys: [] }, ifNotExists: false },
      { kind: 'createTable', table: b, ifNotExists: false },
      {
        kind: 'createForeignKey',
        schema: undefined,
        table: 'a',
        foreignKey: a.foreignKeys[0],
        notValid: false,
      },
    ])
  })

  it('breaks a three-table cycle once and leaves tables outside the cycle alone', () => {
    const ref = (name: string, target: string) =>
      table(name, {
        columns: [id, column(`${target}_id`, T.integer)],
        primaryKey: primaryKey(`pk_${name}`, ['id']),
        foreignKeys: [foreignKey(`fk_${name}_${target}`, [`${target}_id`], target, ['id'])],
      })
    // a -> y -> z -> a is a cycle; x references a from outside it.
    const result = compareChecked({
      models: snapshot([ref('x', 'a'), ref('a', 'y'), ref('y', 'z'), ref('z', 'a')]),
      database: snapshot(),
    })
    expect(onlyOpNames(result)).toEqual(['a', 'x', 'z', 'y'])
    expect(onlyOp(result, 'createForeignKey').foreignKey.name).toBe('fk_a_y')
  })

  it('adds a foreign key of a new table after the existing table gets the key it needs', () => {
    const model = users({ uniques: [unique('uq_users_email', ['email'])] })
    const profiles = table('profiles', {
      columns: [id, column('email', T.text)],
      foreignKeys: [foreignKey('fk_profiles_email', ['email'], 'users', ['email'])],
    })
    const result = compareChecked({
      models: snapshot([model, profiles]),
      database: snapshot([users()]),
    })
    expect(kindsOf(result)).toEqual(['createTable', 'createUniqueConstraint', 'createForeignKey'])
  })

  it('adds a foreign key of a new table to a new column of an existing table afterwards', () => {
    const model = users({
      columns: [id, column('email', T.text), column('code', T.text)],
      uniques: [unique('uq_users_code', ['code'])],
    })
    const invites = table('invites', {
      columns: [id, column('code', T.text)],
      foreignKeys: [foreignKey('fk_invites_code', ['code'], 'users', ['code'])],
    })
    const result = compareChecked({
      models: snapshot([model, invites]),
      database: snapshot([users()]),
    })
    expect(kindsOf(result)).toEqual([
      'createTable',
      'addColumn',
      'createUniqueConstraint',
      'createForeignKey',
    ])
  })

  it('drops a table with its definition and a data-loss warning', () => {
    const result = compareChecked({ models: snapshot(), database: snapshot([users()]) })
    expect(result.changes).toEqual([
      {
        op: {
          kind: 'dropTable',
          schema: undefined,
          name: 'users',
          ifExists: false,
          cascade: false,
          definition: users(),
        },
        warning: 'drops table users and all its rows',
      },
    ])
  })

  it('drops referencing tables first', () => {
    const result = compareChecked({ models: snapshot(), database: snapshot([users(), items()]) })
    expect(onlyOpNames(result)).toEqual(['items', 'users'])
  })

  it('drops tables in a cycle: the closing foreign key first, left out of the definition', () => {
    const a = table('a', {
      columns: [id, column('b_id', T.integer)],
      primaryKey: primaryKey('pk_a', ['id']),
      foreignKeys: [foreignKey('fk_a_b', ['b_id'], 'b', ['id'])],
    })
    const b = table('b', {
      columns: [id, column('a_id', T.integer)],
      primaryKey: primaryKey('pk_b', ['id']),
      foreignKeys: [foreignKey('fk_b_a', ['a_id'], 'a', ['id'])],
    })
    const result = compareChecked({ models: snapshot(), database: snapshot([a, b]) })
    expect(opsOf(result)).toEqual([
      {
        kind: 'dropConstraint',
        schema: undefined,
        table: 'a',
        name: 'fk_a_b',
        ifExists: false,
        cascade: false,
        definition: { type: 'foreignKey', definition: a.foreignKeys[0] },
      },
      expect.objectContaining({ kind: 'dropTable', name: 'b', definition: b }),
      expect.objectContaining({
        kind: 'dropTable',
        name: 'a',
        definition: { ...a, foreignKeys: [] },
      }),
    ])
  })

  it("frees a dropped table's index and key names before a new table takes them", () => {
    const old = table('old_users', {
      columns: [id, column('email', T.text)],
      primaryKey: primaryKey('pk_users', ['id']),
      uniques: [unique('uq_email', ['email'])],
      indexes: [index('ix_email', ['email']), index('ix_other', ['id'])],
    })
    const fresh = table('accounts', {
      columns: [id, column('email', T.text), column('name', T.text)],
      primaryKey: primaryKey('pk_users', ['id']),
      uniques: [unique('uq_email', ['email'])],
      indexes: [index('ix_email', ['email'])],
    })
    const result = compareChecked({ models: snapshot([fresh]), database: snapshot([old]) })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropIndex ix_email',
      'dropConstraint pk_users',
      'dropConstraint uq_email',
      'createTable accounts',
      'dropTable old_users',
    ])
    expect(onlyOp(result, 'dropTable').definition).toEqual({
      ...old,
      primaryKey: undefined,
      uniques: [],
      indexes: [index('ix_other', ['id'])],
    })
  })

  it("frees a dropped table's index name that an existing table's new index takes", () => {
    const result = compareChecked({
      models: snapshot([users({ indexes: [index('ix_email', ['email'])] })]),
      database: snapshot([
        users(),
        table('legacy', {
          columns: [id, column('email', T.text)],
          indexes: [index('ix_email', ['email'])],
        }),
      ]),
    })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropIndex ix_email',
      'createIndex ix_email',
      'dropTable legacy',
    ])
  })

  it('keeps a foreign key to a table outside both snapshots inside CREATE TABLE', () => {
    const audit = table('audit', {
      columns: [id, column('tenant_id', T.integer)],
      foreignKeys: [
        foreignKey('fk_audit_tenant', ['tenant_id'], 'tenants', ['id'], {
          referencedSchema: 'ext',
        }),
      ],
    })
    const result = compareSchemas({ models: snapshot([audit]), database: snapshot() })
    expect(opsOf(result)).toEqual([{ kind: 'createTable', table: audit, ifNotExists: false }])
  })

  it("keeps a foreign key to an existing table's unchanged unique index inside CREATE TABLE", () => {
    const model = users({ indexes: [index('ux_users_email', ['email'], { unique: true })] })
    const profiles = table('profiles', {
      columns: [id, column('email', T.text)],
      foreignKeys: [foreignKey('fk_profiles_email', ['email'], 'users', ['email'])],
    })
    const result = compareChecked({
      models: snapshot([model, profiles]),
      database: snapshot([model]),
    })
    expect(opsOf(result)).toEqual([{ kind: 'createTable', table: profiles, ifNotExists: false }])
  })

  it('says so when a cycle-closing foreign key has no name', () => {
    const a = table('a', {
      columns: [id, column('b_id', T.integer)],
      primaryKey: primaryKey('pk_a', ['id']),
      foreignKeys: [foreignKey(undefined, ['b_id'], 'b', ['id'])],
    })
    const b = table('b', {
      columns: [id, column('a_id', T.integer)],
      primaryKey: primaryKey('pk_b', ['id']),
      foreignKeys: [foreignKey('fk_b_a', ['a_id'], 'a', ['id'])],
    })
    const result = compareChecked({ models: snapshot([a, b]), database: snapshot() })
    expect(kindsOf(result)).toEqual(['createTable', 'createTable', 'createForeignKey'])
    expect(result.manual.map((m) => m.description)).toEqual([
      'a: the models declare an unnamed foreign key (b_id); the downgrade must drop it by the name PostgreSQL gives it, so name it in the models instead',
    ])
  })

  it('drops a table whose foreign key references a key that changes: the foreign key first', () => {
    const result = compareChecked({
      models: snapshot([users({ primaryKey: primaryKey('users_pkey', ['id']) })]),
      database: snapshot([users(), items()]),
    })
    expect(kindsOf(result)).toEqual([
      'dropConstraint', // fk_items_owner_id_users
      'dropConstraint', // pk_users
      'createPrimaryKey',
      'dropTable',
    ])
    expect(onlyOp(result, 'dropTable').definition?.foreignKeys).toEqual([])
  })
})

describe('compareSchemas: columns', () => {
  const withColumns = (...extra: ReturnType<typeof column>[]) =>
    users({ columns: [id, column('email', T.text), ...extra] })

  it('adds a nullable column without a warning', () => {
    const bio = column('bio', T.text, { comment: 'about me' })
    const result = compareChecked({
      models: snapshot([withColumns(bio)]),
      database: snapshot([users()]),
    })
    expect(result.changes).toEqual([
      {
        op: {
          kind: 'addColumn',
          schema: undefined,
          table: 'users',
          column: bio,
          ifNotExists: false,
        },
        warning: undefined,
      },
    ])
  })

  it('warns about a NOT NULL column without a default', () => {
    const result = compareChecked({
      models: snapshot([withColumns(column('age', T.integer, { nullable: false }))]),
      database: snapshot([users()]),
    })
    expect(warningOf(result, 'addColumn')).toContain(
      'adds users.age NOT NULL without a default: fails if the table has rows',
    )
  })

  it('does not warn about a NOT NULL column with a default, identity or serial', () => {
    const result = compareChecked({
      models: snapshot([
        withColumns(
          column('a', T.integer, { nullable: false, default: lit(0) }),
          column('b', T.integer, {
            nullable: false,
            identity: { always: false, start: undefined, increment: undefined },
          }),
          column('c', T.integer, { nullable: false, serial: true }),
        ),
      ]),
      database: snapshot([users()]),
    })
    expect(result.changes.map((c) => c.warning)).toEqual([undefined, undefined, undefined])
  })

  it('warns about a NOT NULL column whose default is null', () => {
    const result = compareChecked({
      models: snapshot([
        withColumns(column('a', T.integer, { nullable: false, default: lit(null) })),
      ]),
      database: snapshot([users()]),
    })
    expect(warningOf(result, 'addColumn')).toContain('NOT NULL without a default')
  })

  it("adds several columns in the models' order", () => {
    const result = compareChecked({
      models: snapshot([
        withColumns(column('zeta', T.text), column('alpha', T.text), column('mid', T.text)),
      ]),
      database: snapshot([users()]),
    })
    expect(opsOf(result).map((op) => (op.kind === 'addColumn' ? op.column.name : op.kind))).toEqual(
      ['zeta', 'alpha', 'mid'],
    )
  })

  it('drops a column with its definition and a data-loss warning', () => {
    const legacy = column('legacy', T.varchar(10), { default: sql("'x'::character varying") })
    const result = compareChecked({
      models: snapshot([users()]),
      database: snapshot([withColumns(legacy)]),
    })
    expect(result.changes).toEqual([
      {
        op: {
          kind: 'dropColumn',
          schema: undefined,
          table: 'users',
          column: 'legacy',
          ifExists: false,
          cascade: false,
          definition: legacy,
        },
        warning: 'drops column users.legacy and its data',
      },
    ])
  })

  describe('alter', () => {
    const alter = (from: ReturnType<typeof column>, to: ReturnType<typeof column>) =>
      compareChecked({
        models: snapshot([withColumns(to)]),
        database: snapshot([withColumns(from)]),
      })

    it('widens a type without a warning', () => {
      const result = alter(column('n', T.integer), column('n', T.bigint))
      expect(result.changes).toEqual([
        {
          op: {
            kind: 'alterColumn',
            schema: undefined,
            table: 'users',
            column: 'n',
            changes: { type: { to: T.bigint, from: T.integer } },
          },
          warning: undefined,
        },
      ])
    })

    it.each([
      [T.varchar(255), T.varchar(50), 'narrows users.n from varchar(255) to varchar(50)'],
      [T.bigint, T.integer, 'narrows users.n from bigint to integer'],
      [T.text, T.char(2), 'narrows users.n from text to char(2)'],
      [T.numeric(12, 4), T.numeric(10, 2), 'narrows users.n from numeric(12,4) to numeric(10,2)'],
      [T.double, T.real, 'narrows users.n from double precision to real'],
      [
        T.timestamp(true, 6),
        T.timestamp(true, 0),
        'narrows users.n from timestamp(6) with time zone',
      ],
      [T.text, T.integer, 'changes users.n from text to integer: PostgreSQL converts'],
      [T.timestamp(false), T.timestamp(true), 'existing values are reinterpreted'],
    ])('warns when changing %j to %j', (from, to, warning) => {
      const result = alter(column('n', from), column('n', to))
      expect(onlyOp(result, 'alterColumn').changes).toEqual({ type: { to, from } })
      expect(warningOf(result, 'alterColumn')).toContain(warning)
    })

    it.each([
      [T.smallint, T.integer],
      [T.integer, T.numeric()],
      [T.integer, T.numeric(12, 2)],
      [T.varchar(50), T.varchar(255)],
      [T.varchar(50), T.text],
      [T.uuid, T.text],
      [T.real, T.double],
      [T.numeric(10, 2), T.numeric(12, 4)],
      [T.json, T.jsonb],
      [T.array(T.integer), T.array(T.bigint)],
    ])('does not warn when changing %j to %j', (from, to) => {
      expect(warningOf(alter(column('n', from), column('n', to)), 'alterColumn')).toBeUndefined()
    })

    it('sets NOT NULL with a warning', () => {
      const result = alter(column('n', T.text), column('n', T.text, { nullable: false }))
      expect(onlyOp(result, 'alterColumn').changes).toEqual({ nullable: { to: false, from: true } })
      expect(warningOf(result, 'alterColumn')).toBe(
        'sets users.n NOT NULL: fails if any row holds NULL; backfill it first',
      )
    })

    it('drops NOT NULL without a warning', () => {
      const result = alter(column('n', T.text, { nullable: false }), column('n', T.text))
      expect(onlyOp(result, 'alterColumn').changes).toEqual({ nullable: { to: true, from: false } })
      expect(warningOf(result, 'alterColumn')).toBeUndefined()
    })

    it('adds a default', () => {
      const result = alter(column('n', T.integer), column('n', T.integer, { default: lit(0) }))
      expect(onlyOp(result, 'alterColumn').changes).toEqual({ default: { to: lit(0), from: null } })
    })

    it('changes a default', () => {
      const result = alter(
        column('n', T.timestamp(true), { default: sql('now()') }),
        column('n', T.timestamp(true), { default: sql('statement_timestamp()') }),
      )
      expect(onlyOp(result, 'alterColumn').changes).toEqual({
        default: { to: sql('statement_timestamp()'), from: sql('now()') },
      })
    })

    it('drops a default', () => {
      const result = alter(column('n', T.text, { default: sql("'x'::text") }), column('n', T.text))
      expect(onlyOp(result, 'alterColumn').changes).toEqual({
        default: { to: null, from: sql("'x'::text") },
      })
    })

    it('compares a literal default through the normalized models', () => {
      const model = withColumns(column('n', T.text, { default: lit('draft') }))
      const normalized = withColumns(column('n', T.text, { default: sql("'draft'::text") }))
      const same = compareChecked({
        models: snapshot([model]),
        normalizedModels: snapshot([normalized]),
        database: snapshot([normalized]),
      })
      expect(same.changes).toEqual([])
      const changed = compareChecked({
        models: snapshot([model]),
        normalizedModels: snapshot([normalized]),
        database: snapshot([withColumns(column('n', T.text, { default: sql("'live'::text") }))]),
      })
      // The operation carries the model's own literal, not the normalized spelling.
      expect(onlyOp(changed, 'alterColumn').changes).toEqual({
        default: { to: lit('draft'), from: sql("'live'::text") },
      })
    })

    it('does not compare defaults of identity and serial columns', () => {
      const identity = { always: false, start: undefined, increment: undefined }
      const result = compareChecked({
        models: snapshot([
          withColumns(
            column('n', T.integer, { nullable: false, identity }),
            column('s', T.integer, { nullable: false, serial: true }),
          ),
        ]),
        database: snapshot([
          withColumns(
            column('n', T.integer, { nullable: false, identity, default: sql('42') }),
            column('s', T.integer, {
              nullable: false,
              serial: true,
              default: sql("nextval('users_s_seq'::regclass)"),
            }),
          ),
        ]),
      })
      expect(result.changes).toEqual([])
      expect(result.manual).toEqual([])
    })

    it('adds, changes and removes a column comment', () => {
      expect(
        onlyOp(alter(column('n', T.text), column('n', T.text, { comment: 'new' })), 'alterColumn')
          .changes,
      ).toEqual({ comment: { to: 'new', from: null } })
      expect(
        onlyOp(
          alter(column('n', T.text, { comment: 'old' }), column('n', T.text, { comment: 'new' })),
          'alterColumn',
        ).changes,
      ).toEqual({ comment: { to: 'new', from: 'old' } })
      expect(
        onlyOp(alter(column('n', T.text, { comment: 'old' }), column('n', T.text)), 'alterColumn')
          .changes,
      ).toEqual({ comment: { to: null, from: 'old' } })
    })

    it('treats an empty comment as none', () => {
      expect(alter(column('n', T.text, { comment: '' }), column('n', T.text)).changes).toEqual([])
    })

    it('puts every changed property in one operation, each with its old value', () => {
      const result = alter(
        column('n', T.varchar(20), { default: sql("'a'::character varying"), comment: 'old' }),
        column('n', T.text, { nullable: false, default: lit('b'), comment: 'new' }),
      )
      expect(result.changes).toEqual([
        {
          op: {
            kind: 'alterColumn',
            schema: undefined,
            table: 'users',
            column: 'n',
            changes: {
              type: { to: T.text, from: T.varchar(20) },
              nullable: { to: false, from: true },
              default: { to: lit('b'), from: sql("'a'::character varying") },
              comment: { to: 'new', from: 'old' },
            },
          },
          warning: 'sets users.n NOT NULL: fails if any row holds NULL; backfill it first',
        },
      ])
    })

    it('reports a column becoming an identity as a manual step', () => {
      const result = alter(
        column('n', T.integer, { nullable: false, default: sql('0') }),
        column('n', T.integer, {
          nullable: false,
          identity: { always: true, start: 100, increment: undefined },
        }),
      )
      expect(result.changes).toEqual([])
      expect(result.manual).toHaveLength(1)
      const step = result.manual[0]!
      expect(step.description).toBe(
        'users.n: the database column is neither identity nor serial, the models declare GENERATED ALWAYS AS IDENTITY (START WITH 100); no operation changes how a column generates values, so change it by hand',
      )
      expect(step.upgradeHint).toBe(
        [
          "await op.execute('ALTER TABLE users ALTER COLUMN n DROP DEFAULT')",
          "await op.execute('ALTER TABLE users ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY (START WITH 100)')",
          "await op.execute('SELECT setval(pg_get_serial_sequence(\\'users\\', \\'n\\'), COALESCE(MAX(n), 0) + 1, false) FROM users')",
        ].join('\n'),
      )
      expect(step.downgradeHint).toBe(
        "await op.execute('ALTER TABLE users ALTER COLUMN n DROP IDENTITY')",
      )
    })

    it('reports changed identity options and serial changes as manual steps', () => {
      const identity = (always: boolean, start?: number) => ({
        always,
        start,
        increment: undefined,
      })
      const options = alter(
        column('n', T.integer, { nullable: false, identity: identity(false) }),
        column('n', T.integer, { nullable: false, identity: identity(true, 10) }),
      )
      expect(options.manual[0]!.upgradeHint).toBe(
        [
          "await op.execute('ALTER TABLE users ALTER COLUMN n SET GENERATED ALWAYS')",
          "await op.execute('ALTER TABLE users ALTER COLUMN n SET START WITH 10')",
        ].join('\n'),
      )
      const serial = alter(
        column('n', T.integer, { nullable: false, serial: true }),
        column('n', T.integer, { nullable: false, identity: identity(false) }),
      )
      expect(serial.manual[0]!.description).toContain('the database column is serial')
      expect(serial.manual[0]!.upgradeHint).toContain('DROP SEQUENCE users_n_seq')
      expect(serial.manual[0]!.downgradeHint).toContain(
        'CREATE SEQUENCE users_n_seq OWNED BY users.n',
      )
      const start1 = alter(
        column('n', T.integer, { nullable: false, identity: identity(false) }),
        column('n', T.integer, { nullable: false, identity: identity(false, 1) }),
      )
      expect(start1.manual).toEqual([])
    })
  })
})

describe('compareSchemas: primary keys', () => {
  const noKey = users({ primaryKey: undefined })

  it('adds a primary key', () => {
    const result = compareChecked({ models: snapshot([users()]), database: snapshot([noKey]) })
    expect(opsOf(result)).toEqual([
      {
        kind: 'createPrimaryKey',
        schema: undefined,
        table: 'users',
        primaryKey: primaryKey('pk_users', ['id']),
      },
    ])
  })

  it('drops a primary key with its definition', () => {
    const result = compareChecked({ models: snapshot([noKey]), database: snapshot([users()]) })
    expect(opsOf(result)).toEqual([
      {
        kind: 'dropConstraint',
        schema: undefined,
        table: 'users',
        name: 'pk_users',
        ifExists: false,
        cascade: false,
        definition: { type: 'primaryKey', definition: primaryKey('pk_users', ['id']) },
      },
    ])
  })

  it('drops and creates a primary key whose columns changed', () => {
    const result = compareChecked({
      models: snapshot([
        users({
          columns: [id, column('email', T.text, { nullable: false })],
          primaryKey: primaryKey('pk_users', ['id', 'email']),
        }),
      ]),
      database: snapshot([users()]),
    })
    expect(kindsOf(result)).toEqual(['dropConstraint', 'alterColumn', 'createPrimaryKey'])
  })

  it('drops and creates a primary key whose name changed, and the foreign keys that use it', () => {
    const result = compareChecked({
      models: snapshot([users({ primaryKey: primaryKey('users_pkey', ['id']) }), items()]),
      database: snapshot([users(), items()]),
    })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropConstraint fk_items_owner_id_users',
      'dropConstraint pk_users',
      'createPrimaryKey users_pkey',
      'createForeignKey fk_items_owner_id_users',
    ])
  })

  it('matches an unnamed primary key by its columns', () => {
    const result = compareChecked({
      models: snapshot([users({ primaryKey: primaryKey(undefined, ['id']) })]),
      database: snapshot([users()]),
    })
    expect(result.changes).toEqual([])
  })
})

describe('compareSchemas: foreign keys', () => {
  const fk = (extra: Parameters<typeof foreignKey>[4] = {}) =>
    items({
      foreignKeys: [foreignKey('fk_items_owner_id_users', ['owner_id'], 'users', ['id'], extra)],
    })

  it('adds a foreign key after the other changes', () => {
    const result = compareChecked({
      models: snapshot([users(), items()]),
      database: snapshot([users(), items({ foreignKeys: [] })]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'createForeignKey',
        schema: undefined,
        table: 'items',
        foreignKey: items().foreignKeys[0],
        notValid: false,
      },
    ])
  })

  it('drops a foreign key with its definition', () => {
    const result = compareChecked({
      models: snapshot([users(), items({ foreignKeys: [] })]),
      database: snapshot([users(), items()]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'dropConstraint',
        schema: undefined,
        table: 'items',
        name: 'fk_items_owner_id_users',
        ifExists: false,
        cascade: false,
        definition: { type: 'foreignKey', definition: items().foreignKeys[0] },
      },
    ])
  })

  it.each([
    ['onDelete', { onDelete: 'cascade' }],
    ['onUpdate', { onUpdate: 'set null' }],
    ['deferrable', { deferrable: true }],
    ['initiallyDeferred', { deferrable: true, initiallyDeferred: true }],
    ['referencedSchema', { referencedSchema: 'other' }],
  ] as const)('drops and creates a foreign key whose %s changed', (_, change) => {
    const result = compareSchemas({
      models: snapshot([users(), fk(change)]),
      database: snapshot([users(), fk()]),
    })
    expect(kindsOf(result)).toEqual(['dropConstraint', 'createForeignKey'])
  })

  it('drops and creates a foreign key whose columns changed', () => {
    const result = compareChecked({
      models: snapshot([
        users({ uniques: [unique('uq_users_email', ['email'])] }),
        items({
          columns: [id, column('owner_id', T.integer), column('owner_email', T.text)],
          foreignKeys: [foreignKey('fk_items_owner_id_users', ['owner_email'], 'users', ['email'])],
        }),
      ]),
      database: snapshot([
        users({ uniques: [unique('uq_users_email', ['email'])] }),
        items({ columns: [id, column('owner_id', T.integer), column('owner_email', T.text)] }),
      ]),
    })
    expect(kindsOf(result)).toEqual(['dropConstraint', 'createForeignKey'])
  })

  it("treats an undefined action as 'no action'", () => {
    const result = compareChecked({
      models: snapshot([users(), fk({ onDelete: 'no action', onUpdate: 'no action' })]),
      database: snapshot([users(), fk()]),
    })
    expect(result.changes).toEqual([])
  })
})

describe('compareSchemas: unique and check constraints', () => {
  it('adds, drops and changes unique constraints', () => {
    const model = users({
      columns: [id, column('email', T.text), column('handle', T.text)],
      uniques: [unique('uq_a', ['email']), unique('uq_b', ['handle'], { nullsNotDistinct: true })],
    })
    const database = users({
      columns: [id, column('email', T.text), column('handle', T.text)],
      uniques: [unique('uq_b', ['handle']), unique('uq_c', ['email', 'handle'])],
    })
    const result = compareChecked({ models: snapshot([model]), database: snapshot([database]) })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropConstraint uq_b',
      'dropConstraint uq_c',
      'createUniqueConstraint uq_a',
      'createUniqueConstraint uq_b',
    ])
    expect(opsOf(result)[1]).toMatchObject({
      definition: { type: 'unique', definition: unique('uq_c', ['email', 'handle']) },
    })
  })

  it('drops and creates a unique constraint whose column order changed', () => {
    const result = compareChecked({
      models: snapshot([users({ uniques: [unique('uq', ['email', 'id'])] })]),
      database: snapshot([users({ uniques: [unique('uq', ['id', 'email'])] })]),
    })
    expect(kindsOf(result)).toEqual(['dropConstraint', 'createUniqueConstraint'])
  })

  it('adds, drops and changes check constraints', () => {
    const result = compareChecked({
      models: snapshot([users({ checks: [check('ck_a', 'id > 0'), check('ck_b', 'id < 100')] })]),
      database: snapshot([
        users({ checks: [check('ck_b', '(id < 50)'), check('ck_c', 'id <> 7')] }),
      ]),
    })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropConstraint ck_b',
      'dropConstraint ck_c',
      'createCheckConstraint ck_a',
      'createCheckConstraint ck_b',
    ])
    expect(onlyOpNamed(result, 'ck_c')).toMatchObject({
      definition: { type: 'check', definition: check('ck_c', 'id <> 7') },
    })
  })

  it('compares check expressions through the normalized models', () => {
    const model = users({ checks: [check('ck_price', 'id >= 0')] })
    const normalized = users({ checks: [check('ck_price', '(id >= 0)')] })
    const result = compareChecked({
      models: snapshot([model]),
      normalizedModels: snapshot([normalized]),
      database: snapshot([users({ checks: [check('ck_price', '(id >= 0)')] })]),
    })
    expect(result.changes).toEqual([])
  })

  it('matches unnamed constraints by definition', () => {
    const result = compareChecked({
      models: snapshot([
        users({ checks: [check(undefined, 'id > 0')], uniques: [unique(undefined, ['email'])] }),
      ]),
      database: snapshot([
        users({
          checks: [check('users_id_check', '(id > 0)')],
          uniques: [unique('users_email_key', ['email'])],
        }),
      ]),
    })
    expect(result.changes).toEqual([])
  })

  it('reports an unnamed database constraint to drop as a manual step', () => {
    const result = compareSchemas({
      models: snapshot([users()]),
      database: snapshot([users({ checks: [check(undefined, 'id > 0')] })]),
    })
    expect(result.changes).toEqual([])
    expect(result.manual.map((m) => m.description)).toEqual([
      'users: the database has an unnamed check constraint (id > 0) that the models do not declare; look up its name and drop it by hand',
    ])
  })

  it('creates an unnamed model constraint and says that its downgrade needs a name', () => {
    const result = compareChecked({
      models: snapshot([users({ checks: [check(undefined, 'id > 0')] })]),
      database: snapshot([users()]),
    })
    expect(kindsOf(result)).toEqual(['createCheckConstraint'])
    expect(result.manual[0]!.description).toContain(
      'the models declare an unnamed check constraint (id > 0)',
    )
  })
})

describe('compareSchemas: indexes', () => {
  const indexed = (...indexes: ReturnType<typeof index>[]) =>
    users({ columns: [id, column('email', T.text), column('tags', T.array(T.text))], indexes })

  it('creates an index', () => {
    const ix = index('ix_users_email', ['email'])
    const result = compareChecked({
      models: snapshot([indexed(ix)]),
      database: snapshot([indexed()]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'createIndex',
        schema: undefined,
        table: 'users',
        index: ix,
        concurrently: false,
        ifNotExists: false,
      },
    ])
  })

  it('drops an index with its table and definition', () => {
    const ix = index('ix_users_email', ['email'])
    const result = compareChecked({
      models: snapshot([indexed()]),
      database: snapshot([indexed(ix)]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'dropIndex',
        schema: undefined,
        name: 'ix_users_email',
        table: 'users',
        concurrently: false,
        ifExists: false,
        definition: ix,
      },
    ])
  })

  it.each([
    ['columns', index('ix', ['id'])],
    ['expression', index('ix', [{ expression: 'upper(email)' }])],
    ['order', index('ix', [{ column: 'email', order: 'desc' }])],
    ['nulls', index('ix', [{ column: 'email', nulls: 'first' }])],
    ['opclass', index('ix', [{ column: 'email', opclass: 'text_pattern_ops' }])],
    ['unique', index('ix', ['email'], { unique: true })],
    ['method', index('ix', ['email'], { method: 'hash' })],
    ['where', index('ix', ['email'], { where: 'id > 0' })],
    ['include', index('ix', ['email'], { include: ['id'] })],
  ])('drops and creates an index whose %s changed', (_, changed) => {
    const result = compareChecked({
      models: snapshot([indexed(changed)]),
      database: snapshot([indexed(index('ix', [{ expression: 'lower(email)' }]))]),
    })
    expect(kindsOf(result)).toEqual(['dropIndex', 'createIndex'])
  })

  it('sees no difference in default orderings, btree and expression layout', () => {
    const result = compareChecked({
      models: snapshot([
        indexed(
          index('ix_a', [{ column: 'email', order: 'asc', nulls: 'last' }], { method: 'btree' }),
          index('ix_b', [{ column: 'email', order: 'desc', nulls: 'first' }]),
          index('ix_c', [{ expression: 'LOWER(email)' }], { where: 'id>0' }),
          index('ix_d', ['tags'], { method: 'GIN' }),
        ),
      ]),
      database: snapshot([
        indexed(
          index('ix_a', ['email']),
          index('ix_b', [{ column: 'email', order: 'desc' }]),
          index('ix_c', [{ expression: 'lower(email)' }], { where: '(id > 0)' }),
          index('ix_d', ['tags'], { method: 'gin' }),
        ),
      ]),
    })
    expect(result.changes).toEqual([])
  })

  it('drops a unique index that a foreign key uses only after dropping the foreign key', () => {
    const ux = index('ux_users_email', ['email'], { unique: true })
    const profiles = table('profiles', {
      columns: [id, column('email', T.text)],
      foreignKeys: [foreignKey('fk_profiles_email', ['email'], 'users', ['email'])],
    })
    const result = compareChecked({
      models: snapshot([
        indexed(index('ux_users_email', ['email'], { unique: true, include: ['id'] })),
        profiles,
      ]),
      database: snapshot([indexed(ux), profiles]),
    })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'dropConstraint fk_profiles_email',
      'dropIndex ux_users_email',
      'createIndex ux_users_email',
      'createForeignKey fk_profiles_email',
    ])
  })
})

describe('compareSchemas: table comments', () => {
  it('adds a comment with previous null', () => {
    const result = compareChecked({
      models: snapshot([users({ comment: 'people' })]),
      database: snapshot([users()]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'createTableComment',
        schema: undefined,
        table: 'users',
        comment: 'people',
        previous: null,
      },
    ])
  })

  it('changes a comment with the previous one', () => {
    const result = compareChecked({
      models: snapshot([users({ comment: 'people' })]),
      database: snapshot([users({ comment: 'persons' })]),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'createTableComment',
        schema: undefined,
        table: 'users',
        comment: 'people',
        previous: 'persons',
      },
    ])
  })

  it('drops a comment with the previous one', () => {
    const result = compareChecked({
      models: snapshot([users()]),
      database: snapshot([users({ comment: 'persons' })]),
    })
    expect(opsOf(result)).toEqual([
      { kind: 'dropTableComment', schema: undefined, table: 'users', previous: 'persons' },
    ])
  })
})

describe('compareSchemas: ordering', () => {
  it('orders every phase as documented', () => {
    const database = snapshot(
      [
        users({ checks: [check('ck_old', 'id > 0')], comment: 'old' }),
        items(),
        table('legacy', { columns: [id] }),
      ],
      [enumDef('gone', ['x']), enumDef('mood', ['sad'])],
    )
    const models = snapshot(
      [
        table('accounts', {
          columns: [id, column('mood', T.enum('mood')), column('state', T.enum('state', 'app'))],
          primaryKey: primaryKey('pk_accounts', ['id']),
          schema: 'app',
        }),
        users({
          columns: [id, column('email', T.varchar(100)), column('account_id', T.integer)],
          checks: [check('ck_new', 'id > 1')],
          indexes: [index('ix_users_account', ['account_id'])],
          foreignKeys: [
            foreignKey('fk_users_account', ['account_id'], 'accounts', ['id'], {
              referencedSchema: 'app',
            }),
          ],
          comment: 'new',
        }),
        items({ columns: [id], foreignKeys: [] }),
      ],
      [enumDef('mood', ['sad', 'happy']), enumDef('state', ['on'], 'app')],
    )
    const result = compareChecked({ models, database })
    expect(result.changes.map((c) => `${c.op.kind} ${nameOf(c.op)}`)).toEqual([
      'createSchema app',
      'addEnumValue mood.happy', // the default schema sorts first
      'createEnum state',
      'dropConstraint fk_items_owner_id_users',
      'dropConstraint ck_old',
      'createTable accounts',
      'addColumn account_id',
      'alterColumn email',
      'createCheckConstraint ck_new',
      'createIndex ix_users_account',
      'createForeignKey fk_users_account',
      'createTableComment users',
      'dropColumn owner_id',
      'dropTable legacy',
      'dropEnum gone',
    ])
  })

  it('gives the same output for the same snapshots in any order', () => {
    const modelUsers = users({
      indexes: [index('ix_b', ['email']), index('ix_a', ['id']), index('ix_c', ['id', 'email'])],
      checks: [check('ck_b', 'id > 0'), check('ck_a', 'id < 9')],
    })
    const models = snapshot(
      [modelUsers, items(), table('t3', { columns: [id] }), table('t4', { columns: [id] })],
      [enumDef('e1', ['a']), enumDef('e2', ['b'])],
    )
    const database = snapshot(
      [
        users({
          indexes: [index('ix_d', ['email']), index('ix_c', ['id'])],
          checks: [check('ck_c', 'id > 1')],
        }),
        table('x', { columns: [id] }),
        table('y', { columns: [id] }),
      ],
      [enumDef('e3', ['c']), enumDef('e4', ['d'])],
    )
    const forward = compareChecked({ models, database })
    const reorder = (t: TableDef): TableDef => ({
      ...t,
      columns: [...t.columns].reverse(),
      indexes: [...t.indexes].reverse(),
      checks: [...t.checks].reverse(),
    })
    const backward = compareSchemas({
      models: snapshot(
        [...models.tables].reverse().map((t) => (t.name === 'users' ? reorder(t) : t)),
        [...models.enums].reverse(),
      ),
      database: snapshot(
        [...database.tables].reverse().map(reorder),
        [...database.enums].reverse(),
      ),
    })
    expect(backward.changes.map((c) => c.op)).toEqual(forward.changes.map((c) => c.op))
    expect(backward).toEqual(forward)
  })
})

/** The table names of the createTable/dropTable operations, in order. */
function onlyOpNames(result: ReturnType<typeof compareSchemas>): string[] {
  return opsOf(result).flatMap((op) =>
    op.kind === 'createTable' ? [op.table.name] : op.kind === 'dropTable' ? [op.name] : [],
  )
}

/** The dropConstraint operation of a name. */
function onlyOpNamed(result: ReturnType<typeof compareSchemas>, name: string) {
  return opsOf(result).find((op) => op.kind === 'dropConstraint' && op.name === name)
}

/** A short name for an operation, for order assertions. */
function nameOf(op: ReturnType<typeof opsOf>[number]): string {
  switch (op.kind) {
    case 'createSchema':
      return op.name
    case 'createEnum':
      return op.enum.name
    case 'dropEnum':
    case 'dropTable':
    case 'dropConstraint':
    case 'dropIndex':
      return op.name
    case 'createTable':
      return op.table.name
    case 'addColumn':
      return op.column.name
    case 'alterColumn':
    case 'dropColumn':
      return op.column
    case 'createCheckConstraint':
      return op.check.name ?? '?'
    case 'createUniqueConstraint':
      return op.unique.name ?? '?'
    case 'createPrimaryKey':
      return op.primaryKey.name ?? '?'
    case 'createForeignKey':
      return op.foreignKey.name ?? '?'
    case 'createIndex':
      return op.index.name
    case 'createTableComment':
    case 'dropTableComment':
      return op.table
    case 'addEnumValue':
      return `${op.enum}.${op.value}`
    case 'renameTable':
      return `${op.from}->${op.to}`
    default:
      return op.kind
  }
}
