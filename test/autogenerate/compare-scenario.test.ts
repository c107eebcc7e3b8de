import { describe, expect, it } from 'vitest'
import { tableKey } from '../../src/autogenerate/object-keys.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { SchemaSnapshot, TableDef } from '../../src/schema/schema-snapshot.ts'
import {
  column,
  enumDef,
  foreignKey,
  index,
  primaryKey,
  snapshot,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { compareChecked, compareSchemas, kindsOf, opsOf, shuffle } from './compare-helpers.ts'
import { saasSchema } from './saas-schema.ts'

const full = saasSchema()
const empty = snapshot()

const key = (schema: string | undefined, name: string) => tableKey(schema, name)

describe('compareSchemas: a 23-table SaaS schema', () => {
  it('has the size the scenario promises', () => {
    expect(full.tables.length).toBeGreaterThanOrEqual(20)
  })

  it('creates everything on an empty database, in dependency order', () => {
    const result = compareChecked({ models: full, database: empty })
    expect(result.manual).toEqual([])
    expect(result.questions).toEqual([])
    expect(result.changes.every((c) => c.warning === undefined)).toBe(true)
    const ops = opsOf(result)
    expect(ops.slice(0, 6)).toEqual([
      { kind: 'createSchema', name: 'auth', ifNotExists: true },
      { kind: 'createSchema', name: 'billing', ifNotExists: true },
      {
        kind: 'createEnum',
        enum: enumDef('task_status', ['todo', 'doing', 'done']),
        ifNotExists: false,
      },
      expect.objectContaining({
        kind: 'createEnum',
        enum: expect.objectContaining({ name: 'user_role' }),
      }),
      expect.objectContaining({
        kind: 'createEnum',
        enum: expect.objectContaining({ name: 'currency' }),
      }),
      expect.objectContaining({
        kind: 'createEnum',
        enum: expect.objectContaining({ name: 'invoice_status' }),
      }),
    ])
    const created = ops.filter((op) => op.kind === 'createTable')
    expect(created).toHaveLength(full.tables.length)
    // Every inline foreign key references a table created before (or the table itself).
    const position = new Map(created.map((op, i) => [key(op.table.schema, op.table.name), i]))
    for (const [i, op] of created.entries()) {
      for (const fk of op.table.foreignKeys) {
        expect(position.get(key(fk.referencedSchema, fk.referencedTable))).toBeLessThanOrEqual(i)
      }
    }
    // The organizations <-> billing.accounts cycle is broken at organizations (the default
    // schema sorts first): its foreign key to accounts is added after both tables exist.
    expect(ops.slice(-1)).toEqual([
      {
        kind: 'createForeignKey',
        schema: undefined,
        table: 'organizations',
        foreignKey: expect.objectContaining({
          name: 'fk_organizations_billing_account_id_accounts',
        }),
        notValid: false,
      },
    ])
    expect(created.find((op) => op.table.name === 'organizations')?.table.foreignKeys).toEqual([
      expect.objectContaining({ name: 'fk_organizations_owner_id_users' }),
    ])
    expect(kindsOf(result).filter((k) => k === 'createForeignKey')).toHaveLength(1)
  })

  it('drops everything from a full database, referencing tables first, enums last', () => {
    const result = compareChecked({ models: empty, database: full })
    expect(result.manual).toEqual([])
    const ops = opsOf(result)
    expect(ops[0]).toMatchObject({
      kind: 'dropConstraint',
      table: 'organizations',
      name: 'fk_organizations_billing_account_id_accounts',
    })
    const dropped = ops.filter((op) => op.kind === 'dropTable')
    expect(dropped).toHaveLength(full.tables.length)
    const position = new Map(dropped.map((op, i) => [key(op.schema, op.name), i]))
    for (const [i, op] of dropped.entries()) {
      for (const fk of op.definition?.foreignKeys ?? []) {
        // A referenced table is dropped after (or with) the tables that reference it.
        expect(position.get(key(fk.referencedSchema, fk.referencedTable))).toBeGreaterThanOrEqual(i)
      }
    }
    expect(kindsOf(result).slice(-4)).toEqual(['dropEnum', 'dropEnum', 'dropEnum', 'dropEnum'])
    expect(
      result.changes
        .filter((c) => c.op.kind === 'dropTable')
        .every((c) => c.warning?.includes('all its rows')),
    ).toBe(true)
    expect(kindsOf(result).some((k) => k === 'dropSchema')).toBe(false)
  })

  it('finds nothing to do when the database holds the same schema in another order', () => {
    const shuffled = snapshot(
      shuffle(full.tables, 7).map((t) => ({
        ...t,
        columns: shuffle(t.columns, 8),
        foreignKeys: shuffle(t.foreignKeys, 9),
        indexes: shuffle(t.indexes, 10),
      })),
      shuffle(full.enums, 11),
    )
    expect(compareChecked({ models: full, database: shuffled })).toEqual({
      changes: [],
      manual: [],
      questions: [],
    })
  })

  describe('an evolution of the schema', () => {
    const models = evolve(full)
    const renames = new Map([
      ['notifications', 'inbox_items'],
      ['tasks.due', 'tasks.due_on'],
    ])

    it('asks about the renamed table first, then about the renamed column', () => {
      const first = compareSchemas({ models, database: full })
      expect(first.questions.map((q) => `${q.fromKey} -> ${q.toKey}`)).toEqual([
        'notifications -> inbox_items',
        'tasks.due -> tasks.due_on',
      ])
    })

    it('migrates with the answers, and the downgrade brings the original back', () => {
      const result = compareChecked({ models, database: full }, { renames })
      expect(result.questions).toEqual([])
      expect(result.manual).toEqual([])
      expect(result.changes.map((c) => describeOp(c.op))).toEqual([
        'addEnumValue task_status.blocked',
        'renameTable notifications -> inbox_items',
        'alterColumn tasks.due -> due_on',
        // Within a phase: the default schema first, then by table and name.
        'dropConstraint inbox_items.fk_notifications_user_id_users',
        'dropConstraint billing.invoices.fk_invoices_account_id_accounts',
        // PostgreSQL does not rename constraints with their table, so the convention's new
        // names mean drop and create.
        'dropIndex inbox_items.ix_notifications_unread',
        'dropConstraint inbox_items.pk_notifications',
        'dropIndex tasks.ix_tasks_search',
        'createTable billing.refunds',
        'alterColumn projects.name',
        'addColumn auth.users.display_name',
        'createIndex inbox_items.ix_inbox_items_unread',
        'createPrimaryKey inbox_items.pk_inbox_items',
        'createIndex tasks.ix_tasks_title',
        'createForeignKey inbox_items.fk_inbox_items_user_id_users',
        'createForeignKey billing.invoices.fk_invoices_account_id_accounts',
        'createTableComment auth.users',
        'dropTable webhooks',
      ])
      const narrowing = result.changes.find(
        (c) => c.op.kind === 'alterColumn' && c.op.column === 'name',
      )
      expect(narrowing?.warning).toContain(
        'narrows projects.name from varchar(200) to varchar(100)',
      )
    })
  })
})

/** The SaaS schema after a sprint of changes. */
function evolve(s: SchemaSnapshot): SchemaSnapshot {
  const change = (name: string, f: (t: TableDef) => TableDef) => (t: TableDef) =>
    t.name === name ? f(t) : t
  const steps: ((t: TableDef) => TableDef)[] = [
    change('notifications', (t) => ({
      ...t,
      name: 'inbox_items',
      primaryKey: primaryKey('pk_inbox_items', ['id']),
      foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, name: 'fk_inbox_items_user_id_users' })),
      indexes: t.indexes.map((i) => ({ ...i, name: 'ix_inbox_items_unread' })),
    })),
    change('tasks', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'due' ? { ...c, name: 'due_on' } : c)),
      indexes: [
        ...t.indexes
          .filter((i) => i.name !== 'ix_tasks_search')
          .map((i) => ({
            ...i,
            elements: i.elements.map((e) => (e.column === 'due' ? { ...e, column: 'due_on' } : e)),
          })),
        index('ix_tasks_title', [{ expression: 'lower(title)' }]),
      ],
    })),
    change('users', (t) => ({
      ...t,
      columns: [...t.columns, column('display_name', T.text)],
      comment: 'people who can sign in, and bots',
    })),
    change('projects', (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === 'name' ? { ...c, type: T.varchar(100) } : c)),
    })),
    change('invoices', (t) => ({
      ...t,
      foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, onDelete: 'cascade' as const })),
    })),
  ]
  const refunds = table('refunds', {
    schema: 'billing',
    columns: [
      column('id', T.bigint, {
        nullable: false,
        identity: { always: false, start: undefined, increment: undefined },
      }),
      column('payment_id', T.bigint, { nullable: false }),
      column('amount', T.numeric(12, 2), { nullable: false }),
    ],
    primaryKey: primaryKey('pk_refunds', ['id']),
    foreignKeys: [
      foreignKey('fk_refunds_payment_id_payments', ['payment_id'], 'payments', ['id'], {
        referencedSchema: 'billing',
      }),
    ],
  })
  return snapshot(
    [
      ...s.tables
        .filter((t) => t.name !== 'webhooks')
        .map((t) => steps.reduce((acc, step) => step(acc), t)),
      refunds,
    ],
    s.enums.map((e) =>
      e.name === 'task_status' ? { ...e, values: ['todo', 'doing', 'blocked', 'done'] } : e,
    ),
  )
}

/** `kind schema.table.name` for order assertions. */
function describeOp(op: MigrationOp): string {
  const q = (schema: string | undefined, ...names: string[]) =>
    [schema, ...names].filter(Boolean).join('.')
  switch (op.kind) {
    case 'addEnumValue':
      return `addEnumValue ${op.enum}.${op.value}`
    case 'renameTable':
      return `renameTable ${op.from} -> ${op.to}`
    case 'alterColumn':
      return op.changes.name
        ? `alterColumn ${op.table}.${op.column} -> ${op.changes.name.to}`
        : `alterColumn ${q(op.schema, op.table, op.column)}`
    case 'dropConstraint':
      return `dropConstraint ${q(op.schema, op.table, op.name)}`
    case 'dropIndex':
      return `dropIndex ${q(op.schema, op.table ?? '?', op.name)}`
    case 'createTable':
      return `createTable ${q(op.table.schema, op.table.name)}`
    case 'addColumn':
      return `addColumn ${q(op.schema, op.table, op.column.name)}`
    case 'createPrimaryKey':
      return `createPrimaryKey ${q(op.schema, op.table, op.primaryKey.name ?? '?')}`
    case 'createIndex':
      return `createIndex ${q(op.schema, op.table, op.index.name)}`
    case 'createForeignKey':
      return `createForeignKey ${q(op.schema, op.table, op.foreignKey.name ?? '?')}`
    case 'createTableComment':
      return `createTableComment ${q(op.schema, op.table)}`
    case 'dropTable':
      return `dropTable ${q(op.schema, op.name)}`
    default:
      return op.kind
  }
}
