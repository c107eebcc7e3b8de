import { describe, expect, it } from 'vitest'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
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
import { applyOps, SimulatedDatabaseError } from './apply-ops.ts'

// The round-trip checks of the compare tests are only as strict as this simulator: these cases
// show that it refuses what PostgreSQL refuses.

const id = column('id', T.integer, { nullable: false })
const users = table('users', {
  columns: [id, column('email', T.text)],
  primaryKey: primaryKey('pk_users', ['id']),
})
const items = table('items', {
  columns: [id, column('owner_id', T.integer), column('mood', T.enum('mood'))],
  foreignKeys: [foreignKey('fk_items_owner', ['owner_id'], 'users', ['id'])],
  indexes: [index('ix_items_owner', ['owner_id'])],
})
const start = snapshot([users, items], [enumDef('mood', ['a'])])

describe('applyOps', () => {
  it.each<[string, MigrationOp]>([
    [
      'dropping a referenced table',
      {
        kind: 'dropTable',
        schema: undefined,
        name: 'users',
        ifExists: false,
        cascade: false,
        definition: undefined,
      },
    ],
    [
      'dropping a referenced key',
      {
        kind: 'dropConstraint',
        schema: undefined,
        table: 'users',
        name: 'pk_users',
        ifExists: false,
        cascade: false,
        definition: undefined,
      },
    ],
    [
      'dropping a referenced column',
      {
        kind: 'dropColumn',
        schema: undefined,
        table: 'users',
        column: 'id',
        ifExists: false,
        cascade: false,
        definition: undefined,
      },
    ],
    [
      'dropping an enum in use',
      {
        kind: 'dropEnum',
        schema: undefined,
        name: 'mood',
        ifExists: false,
        cascade: false,
        definition: undefined,
      },
    ],
    [
      'a foreign key without a key to reference',
      {
        kind: 'createForeignKey',
        schema: undefined,
        table: 'items',
        foreignKey: foreignKey('fk_x', ['owner_id'], 'users', ['email']),
        notValid: false,
      },
    ],
    [
      'an index name already taken in the schema',
      {
        kind: 'createIndex',
        schema: undefined,
        table: 'users',
        index: index('ix_items_owner', ['email']),
        concurrently: false,
        ifNotExists: false,
      },
    ],
    [
      'an alter whose from is not what is there',
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'users',
        column: 'email',
        changes: { type: { to: T.uuid, from: T.integer } },
      },
    ],
    [
      'a drop whose definition is not what is there',
      {
        kind: 'dropConstraint',
        schema: undefined,
        table: 'items',
        name: 'fk_items_owner',
        ifExists: false,
        cascade: false,
        definition: {
          type: 'foreignKey',
          definition: foreignKey('fk_items_owner', ['owner_id'], 'users', ['id'], {
            onDelete: 'cascade',
          }),
        },
      },
    ],
    [
      'a table in a missing schema',
      { kind: 'createTable', table: table('t', { schema: 'nowhere' }), ifNotExists: false },
    ],
    [
      'a column of a missing enum',
      {
        kind: 'addColumn',
        schema: undefined,
        table: 'users',
        column: column('x', T.enum('nope')),
        ifNotExists: false,
      },
    ],
    [
      'a comment replacing another than the one there',
      {
        kind: 'createTableComment',
        schema: undefined,
        table: 'users',
        comment: 'c',
        previous: 'old',
      },
    ],
  ])('refuses %s', (_, op) => {
    expect(() => applyOps(start, [op])).toThrow(SimulatedDatabaseError)
  })

  it('drops the indexes and constraints of a dropped column with it', () => {
    const after = applyOps(start, [
      {
        kind: 'dropColumn',
        schema: undefined,
        table: 'items',
        column: 'owner_id',
        ifExists: false,
        cascade: false,
        definition: undefined,
      },
    ])
    expect(after.tables[1]).toMatchObject({ foreignKeys: [], indexes: [] })
  })

  it('follows renames in the foreign keys of other tables', () => {
    const after = applyOps(start, [
      { kind: 'renameTable', schema: undefined, from: 'users', to: 'people' },
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'people',
        column: 'id',
        changes: { name: { to: 'pid', from: 'id' } },
      },
    ])
    expect(after.tables[1]!.foreignKeys[0]).toMatchObject({
      referencedTable: 'people',
      referencedColumns: ['pid'],
    })
  })
})
