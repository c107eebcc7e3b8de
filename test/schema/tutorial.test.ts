import { describe, expect, it } from 'vitest'
import { toSnapshot } from '../../src/schema/index.ts'
import { NO_SCHEMA_OBJECTS } from '../support/snapshot-literals.ts'
import {
  columnDef,
  columnElement,
  expectPlainData,
  expressionElement,
  identity,
  indexDef,
  tableDef,
} from './helpers.ts'
import { items, model, users } from './tutorial-models.ts'

const usersDef = tableDef(
  'users',
  [
    columnDef('id', { kind: 'integer' }, { nullable: false, identity: identity() }),
    columnDef('email', { kind: 'varchar', length: 255 }, { nullable: false }),
    columnDef('hashed_password', { kind: 'text' }, { nullable: false }),
    columnDef(
      'is_active',
      { kind: 'boolean' },
      { nullable: false, default: { kind: 'literal', value: true } },
    ),
  ],
  {
    primaryKey: { name: 'pk_users', columns: ['id'] },
    indexes: [
      // unique + index is one unique index, named by the ix convention (SQLAlchemy's rule).
      indexDef('ix_users_email', [columnElement('email')], { unique: true }),
      indexDef('ix_users_email_lower', [expressionElement('lower(email)')]),
      indexDef('ix_users_id', [columnElement('id')]),
    ],
  },
)

const itemsDef = tableDef(
  'items',
  [
    columnDef('id', { kind: 'integer' }, { nullable: false, identity: identity() }),
    columnDef('title', { kind: 'varchar', length: 255 }, { nullable: false }),
    columnDef('description', { kind: 'text' }),
    columnDef('owner_id', { kind: 'integer' }),
  ],
  {
    primaryKey: { name: 'pk_items', columns: ['id'] },
    foreignKeys: [
      {
        name: 'fk_items_owner_id_users',
        columns: ['owner_id'],
        referencedSchema: undefined,
        referencedTable: 'users',
        referencedColumns: ['id'],
        onDelete: undefined,
        onUpdate: undefined,
        deferrable: false,
        initiallyDeferred: false,
      },
    ],
    indexes: [
      indexDef('ix_items_id', [columnElement('id')]),
      indexDef('ix_items_title', [columnElement('title')]),
    ],
  },
)

describe('the tutorial models', () => {
  it('convert to a snapshot with every field filled and every name given', () => {
    expect(model.snapshot()).toStrictEqual({
      tables: [itemsDef, usersDef],
      enums: [],
      ...NO_SCHEMA_OBJECTS,
    })
  })

  it('give the same snapshot through toSnapshot(model), on every call', () => {
    const first = toSnapshot(model)
    expect(toSnapshot(model)).toStrictEqual(first)
    expect(model.snapshot()).toStrictEqual(first)
    expect(JSON.stringify(model.snapshot())).toBe(JSON.stringify(first))
  })

  it('give plain data: no builders, functions or symbols', () => {
    expectPlainData(model.snapshot())
  })

  it('expose columns as table properties with their database names', () => {
    expect(users.hashedPassword.name).toBe('hashed_password')
    expect(users.hashedPassword.key).toBe('hashedPassword')
    expect(users.email.name).toBe('email')
    expect(items.ownerId.table.name).toBe('items')
  })
})
