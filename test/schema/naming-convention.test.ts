import { describe, expect, it } from 'vitest'
import {
  check,
  DEFAULT_NAMING_CONVENTION,
  defineSchema,
  foreignKey,
  index,
  integer,
  primaryKey,
  shortenIdentifier,
  sql,
  table,
  text,
  toTableDef,
  unique,
} from '../../src/schema/index.ts'

const accounts = table('accounts', { id: integer().notNull(), region: text().notNull() }, (t) => [
  primaryKey({ columns: [t.id, t.region] }),
])

const orders = table(
  'orders',
  {
    id: integer().primaryKey(),
    accountId: integer('account_id').notNull(),
    region: text().notNull(),
    code: text().unique(),
    total: integer().check('total_positive', sql`total > 0`),
    note: text().index(),
  },
  (t) => [
    foreignKey({
      columns: [t.accountId, t.region],
      foreignColumns: [accounts.id, accounts.region],
    }),
    unique().on(t.accountId, t.code),
    index().on(t.region, t.accountId),
    check('region_known', sql`${t.region} <> ''`),
  ],
)

/** The names of every constraint and index of `orders` under a convention. */
function names(namingConvention: Parameters<typeof toTableDef>[1]) {
  const def = toTableDef(orders, namingConvention)
  return {
    pk: def.primaryKey?.name,
    fk: def.foreignKeys.map((x) => x.name),
    uq: def.uniques.map((x) => x.name),
    ck: def.checks.map((x) => x.name),
    ix: def.indexes.map((x) => x.name),
  }
}

describe('the naming convention', () => {
  it('defaults to SQLAlchemy-style names', () => {
    expect(DEFAULT_NAMING_CONVENTION).toStrictEqual({
      pk: 'pk_%(table_name)s',
      fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
      uq: 'uq_%(table_name)s_%(column_0_name)s',
      ck: 'ck_%(table_name)s_%(constraint_name)s',
      ix: 'ix_%(column_0_label)s',
    })
    expect(names({})).toStrictEqual({
      pk: 'pk_orders',
      fk: ['fk_orders_account_id_accounts'],
      // Two unique constraints: the column-level one on code, the composite one.
      uq: ['uq_orders_account_id', 'uq_orders_code'],
      ck: ['ck_orders_region_known', 'ck_orders_total_positive'],
      ix: ['ix_orders_note', 'ix_orders_region'],
    })
  })

  it('fills every token, and keeps the defaults of kinds not given', () => {
    expect(
      names({
        namingConvention: {
          pk: '%(table_name)s_pkey',
          fk: '%(table_name)s_%(column_0_N_name)s__%(referred_table_name)s_%(referred_column_0_N_name)s',
          uq: '%(table_name)s_%(column_0N_name)s_key',
          ix: '%(column_0_N_label)s_idx',
        },
      }),
    ).toStrictEqual({
      pk: 'orders_pkey',
      fk: ['orders_account_id_region__accounts_id_region'],
      uq: ['orders_account_idcode_key', 'orders_code_key'],
      ck: ['ck_orders_region_known', 'ck_orders_total_positive'],
      ix: ['orders_note_idx', 'orders_region_orders_account_id_idx'],
    })
    expect(
      names({
        namingConvention: {
          fk: 'fk_%(column_1_name)s_%(referred_column_0_name)s_%(referred_column_1_name)s',
          uq: 'uq_%(column_0_label)s',
          ck: '%(constraint_name)s_%(table_name)s',
          ix: 'ix_%(column_0N_label)s_%(column_0_name)s',
        },
      }),
    ).toStrictEqual({
      pk: 'pk_orders',
      fk: ['fk_region_id_region'],
      uq: ['uq_orders_account_id', 'uq_orders_code'],
      ck: ['region_known_orders', 'total_positive_orders'],
      ix: ['ix_orders_note_note', 'ix_orders_regionorders_account_id_region'],
    })
  })

  it('lets explicit names win, except that constraint_name feeds the template', () => {
    const t = table(
      't',
      {
        id: integer().primaryKey(),
        a: text().unique('t_a_key').index('t_a_idx'),
        b: integer().references('t', 'id', { name: 't_b_fkey' }),
        c: integer().check('c_positive', sql`c > 0`),
      },
      (t) => [unique('t_ab_key').on(t.a, t.b)],
    )
    const def = toTableDef(t)
    expect(def.indexes.map((x) => x.name)).toStrictEqual(['t_a_idx'])
    expect(def.foreignKeys.map((x) => x.name)).toStrictEqual(['t_b_fkey'])
    expect(def.uniques.map((x) => x.name)).toStrictEqual(['t_ab_key'])
    expect(def.checks.map((x) => x.name)).toStrictEqual(['ck_t_c_positive'])
    // A template that uses constraint_name takes the explicit name as that token, for any kind.
    const custom = toTableDef(t, {
      namingConvention: { uq: 'uq_%(constraint_name)s', ck: '%(constraint_name)s' },
    })
    expect(custom.uniques.map((x) => x.name)).toStrictEqual(['uq_t_ab_key'])
    expect(custom.checks.map((x) => x.name)).toStrictEqual(['c_positive'])
  })

  it('applies the model-wide convention in defineSchema', () => {
    const snapshot = defineSchema(
      { accounts, orders },
      { namingConvention: { pk: '%(table_name)s_pkey' } },
    ).snapshot()
    expect(snapshot.tables.map((t) => t.primaryKey?.name)).toStrictEqual([
      'accounts_pkey',
      'orders_pkey',
    ])
  })

  it('shortens generated names over 63 bytes: a prefix, _ and 8 hex digits of the MD5', () => {
    const reports = table('a_very_long_table_name_for_reports', {
      aVeryLongColumnNameForTotals: integer('a_very_long_column_name_for_totals').index(),
    })
    const name = toTableDef(reports).indexes[0]?.name
    // ix_a_very_long_table_name_for_reports_a_very_long_column_name_for_totals is 72 bytes.
    expect(name).toBe('ix_a_very_long_table_name_for_reports_a_very_long_colu_3121d48d')
    expect(Buffer.byteLength(name ?? '')).toBe(63)
    expect(
      shortenIdentifier('fk_order_line_items_archive_product_variant_id_product_variants_archive'),
    ).toBe('fk_order_line_items_archive_product_variant_id_product_cb4f4837')
  })

  it('shortens at a character boundary, counts bytes, and leaves short names alone', () => {
    const long = `ix_${'é'.repeat(40)}`
    expect(shortenIdentifier(long)).toBe(`ix_${'é'.repeat(25)}_2a4959b9`)
    expect(Buffer.byteLength(shortenIdentifier(long))).toBe(62)
    const exactly63 = 'x'.repeat(63)
    expect(shortenIdentifier(exactly63)).toBe(exactly63)
    expect(shortenIdentifier('ix_users_email')).toBe('ix_users_email')
  })

  it('shortens names made from a check constraint_name too', () => {
    const t = table('t', { a: integer().check('a'.repeat(70), sql`a > 0`) })
    const name = toTableDef(t).checks[0]?.name ?? ''
    expect(Buffer.byteLength(name)).toBe(63)
    expect(name.startsWith('ck_t_aaaa')).toBe(true)
  })
})
