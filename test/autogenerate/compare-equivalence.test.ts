import { describe, expect, it } from 'vitest'
import type {
  ColumnDefault,
  ColumnType,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
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
import { compareChecked, compareSchemas, kindsOf, shuffle } from './compare-helpers.ts'

/** One table with one column `c` of `type` (and `extra`), on both sides. */
function oneColumn(type: ColumnType, extra: Parameters<typeof column>[2] = {}): SchemaSnapshot {
  return snapshot([table('t', { columns: [column('c', type, extra)] })], [enumDef('mood', ['a'])])
}

describe('compareSchemas: equivalent types are no difference', () => {
  it.each([
    ['numeric(p) = numeric(p, 0)', T.numeric(10), T.numeric(10, 0)],
    ['char = char(1)', T.char(), T.char(1)],
    ['time = time(6)', T.time(false), T.time(false, 6)],
    ['timetz = timetz(6)', T.time(true), T.time(true, 6)],
    ['timestamp = timestamp(6)', T.timestamp(false), T.timestamp(false, 6)],
    ['timestamptz = timestamptz(6)', T.timestamp(true), T.timestamp(true, 6)],
    ['interval = custom interval', T.interval, T.custom('INTERVAL')],
    ['arrays by element', T.array(T.numeric(5)), T.array(T.numeric(5, 0))],
    ['nested arrays = one array', T.array(T.array(T.integer)), T.array(T.integer)],
    ['enum in the default schema', T.enum('mood'), T.enum('mood', 'public')],
    ['custom types by case and spaces', T.custom('Bit Varying ( 8 )'), T.custom('bit varying(8)')],
    ['custom int4 = integer', T.custom('int4'), T.integer],
    ['custom int8 = bigint', T.custom('INT8'), T.bigint],
    ['custom float8 = double', T.custom('float8'), T.double],
    ['custom bool = boolean', T.custom('bool'), T.boolean],
    ['custom character varying(20)', T.custom('character varying(20)'), T.varchar(20)],
    ['custom varchar', T.custom('varchar'), T.varchar()],
    ['custom decimal(10,2)', T.custom('decimal(10, 2)'), T.numeric(10, 2)],
    ['custom timestamptz', T.custom('timestamptz'), T.timestamp(true)],
    [
      'custom timestamp(3) with time zone',
      T.custom('timestamp(3) with time zone'),
      T.timestamp(true, 3),
    ],
    ['custom time without time zone', T.custom('time without time zone'), T.time(false, 6)],
    ['custom text[]', T.custom('text[]'), T.array(T.text)],
    ['custom character(1)', T.custom('character'), T.char(1)],
  ])('%s', (_, model, database) => {
    const result = compareChecked(
      { models: oneColumn(model), database: oneColumn(database) },
      { defaultSchema: 'public' },
    )
    expect(result.changes).toEqual([])
  })

  it.each([
    ['varchar (unlimited) vs varchar(1)', T.varchar(), T.varchar(1)],
    ['numeric vs numeric(10)', T.numeric(), T.numeric(10)],
    ['timestamp vs timestamptz', T.timestamp(false), T.timestamp(true)],
    ['time vs timestamp', T.time(false), T.timestamp(false)],
    ['enum schemas', T.enum('mood', 'a'), T.enum('mood', 'b')],
    ['custom types', T.custom('citext'), T.custom('tsvector')],
    ['array vs element', T.array(T.text), T.text],
    ['json vs jsonb', T.json, T.jsonb],
  ])('but %s differ', (_, model, database) => {
    const result = compareSchemas({ models: oneColumn(model), database: oneColumn(database) })
    expect(kindsOf(result)).toEqual(['alterColumn'])
  })
})

describe('compareSchemas: equivalent defaults are no difference', () => {
  it.each<[string, ColumnType, ColumnDefault, ColumnDefault]>([
    ['a string literal and its typed constant', T.text, lit("it's"), sql("'it''s'::text")],
    [
      'a string literal and a varchar constant',
      T.varchar(9),
      lit('x'),
      sql("'x'::character varying"),
    ],
    ['an integer literal', T.integer, lit(0), sql('0')],
    ['a negative integer literal', T.integer, lit(-1), sql("'-1'::integer")],
    ['a negative literal in parentheses', T.integer, lit(-1), sql('(-1)')],
    ['a decimal literal', T.numeric(10, 2), lit(1.5), sql('1.50')],
    ['a bigint literal', T.bigint, lit(9007199254740993n), sql("'9007199254740993'::bigint")],
    ['a boolean literal', T.boolean, lit(true), sql('true')],
    ['a json literal', T.jsonb, lit({ a: [1, 'b'] }), sql(`'{"a": [1, "b"]}'::jsonb`)],
    ['a bytea literal', T.bytea, lit(new Uint8Array([1, 255])), sql("'\\x01ff'::bytea")],
    ['a date literal', T.date, lit(new Date('2024-01-02T00:00:00Z')), sql("'2024-01-02'::date")],
    ['an enum literal', T.enum('mood'), lit('a'), sql("'a'::mood")],
    ['SQL in other case and spacing', T.timestamp(true), sql('NOW( )'), sql('now()')],
    ['SQL in extra parentheses', T.integer, sql('(1 + 2)'), sql('1+2')],
    [
      'SQL with a needlessly quoted name',
      T.uuid,
      sql('"gen_random_uuid"()'),
      sql('gen_random_uuid()'),
    ],
    ['a null literal and no default', T.text, lit(null), sql('NULL::text')],
  ])('%s', (_, type, model, database) => {
    const result = compareChecked({
      models: oneColumn(type, { default: model }),
      database: oneColumn(type, { default: database }),
    })
    expect(result.changes).toEqual([])
  })

  it('treats a null default as no default', () => {
    const result = compareChecked({
      models: oneColumn(T.text, { default: lit(null) }),
      database: oneColumn(T.text),
    })
    expect(result.changes).toEqual([])
  })

  it.each<[string, ColumnDefault, ColumnDefault]>([
    ['different strings', lit('a'), sql("'b'::text")],
    ['a string and a number', lit('1'), sql('1')],
    ['different functions', sql('now()'), sql('clock_timestamp()')],
    ['string case', sql("'A'::text"), sql("'a'::text")],
    ['an array literal without normalized models', lit(['a']), sql("'{a}'::text[]")],
  ])('but %s differ', (_, model, database) => {
    const result = compareSchemas({
      models: oneColumn(T.text, { default: model }),
      database: oneColumn(T.text, { default: database }),
    })
    expect(kindsOf(result)).toEqual(['alterColumn'])
  })

  it('uses the normalized models for what only the database can spell', () => {
    const model = oneColumn(T.array(T.text), { default: lit(['a', 'b']) })
    const normalized = oneColumn(T.array(T.text), { default: sql("'{a,b}'::text[]") })
    const result = compareChecked({
      models: model,
      normalizedModels: normalized,
      database: normalized,
    })
    expect(result.changes).toEqual([])
  })
})

describe('compareSchemas: identical snapshots in any order', () => {
  const tables: readonly TableDef[] = [
    table('users', {
      columns: [
        column('id', T.bigint, {
          nullable: false,
          identity: { always: true, start: undefined, increment: undefined },
        }),
        column('email', T.varchar(255), { nullable: false, comment: 'login' }),
        column('mood', T.enum('mood'), { default: sql("'ok'::mood") }),
        column('created_at', T.timestamp(true), { nullable: false, default: sql('now()') }),
      ],
      primaryKey: primaryKey('pk_users', ['id']),
      uniques: [unique('uq_users_email', ['email'])],
      checks: [check('ck_users_email', "(email)::text <> ''::text")],
      indexes: [
        index('ix_users_created', [{ column: 'created_at', order: 'desc' }]),
        index('ix_users_lower', [{ expression: 'lower((email)::text)' }], {
          where: 'mood IS NOT NULL',
        }),
      ],
      comment: 'people',
    }),
    table('posts', {
      schema: 'blog',
      columns: [
        column('id', T.integer, { nullable: false, serial: true }),
        column('author_id', T.bigint),
        column('tags', T.array(T.text)),
      ],
      primaryKey: primaryKey('pk_posts', ['id']),
      foreignKeys: [
        foreignKey('fk_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'cascade' }),
      ],
      indexes: [index('ix_posts_tags', ['tags'], { method: 'gin' })],
    }),
    table('comments', {
      schema: 'blog',
      columns: [column('id', T.integer, { nullable: false }), column('post_id', T.integer)],
      primaryKey: primaryKey('pk_comments', ['id']),
      foreignKeys: [
        foreignKey('fk_comments_post', ['post_id'], 'posts', ['id'], { referencedSchema: 'blog' }),
      ],
    }),
  ]
  const enums = [enumDef('mood', ['sad', 'ok', 'happy']), enumDef('state', ['draft'], 'blog')]
  const shuffled = (seed: number): SchemaSnapshot =>
    snapshot(
      shuffle(tables, seed).map((t) => ({
        ...t,
        columns: shuffle(t.columns, seed + 1),
        foreignKeys: shuffle(t.foreignKeys, seed + 2),
        uniques: shuffle(t.uniques, seed + 3),
        checks: shuffle(t.checks, seed + 4),
        indexes: shuffle(t.indexes, seed + 5),
      })),
      shuffle(enums, seed + 6),
    )

  it.each([1, 2, 3, 4, 5])('finds no changes (seed %i)', (seed) => {
    const result = compareChecked({ models: snapshot(tables, enums), database: shuffled(seed) })
    expect(result).toEqual({ changes: [], manual: [], questions: [] })
  })

  it('finds no changes when one side spells the default schema', () => {
    const spelled = snapshot(
      tables.map((t) => ({
        ...t,
        schema: t.schema ?? 'main',
        foreignKeys: t.foreignKeys.map((fk) => ({
          ...fk,
          referencedSchema: fk.referencedSchema ?? 'main',
        })),
        columns: t.columns.map((c) =>
          c.type.kind === 'enum' ? { ...c, type: T.enum('mood', 'main') } : c,
        ),
      })),
      enums.map((e) => ({ ...e, schema: e.schema ?? 'main' })),
    )
    const result = compareSchemas(
      { models: snapshot(tables, enums), database: spelled },
      { defaultSchema: 'main' },
    )
    expect(result).toEqual({ changes: [], manual: [], questions: [] })
  })
})
