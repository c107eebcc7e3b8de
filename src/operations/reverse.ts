import type { ColumnChanges, MigrationOp } from './migration-op.ts'
import {
  assertNever,
  type BatchTableOp,
  isBatchTableOp,
  isCodeObjectOp,
  isSchemaObjectOp,
} from './migration-op.ts'
import { IrreversibleOperationError } from './operation-errors.ts'
import { reverseCodeObjectOp } from './reverse-code-objects.ts'
import { reversePartitionOp } from './reverse-partition.ts'
import { reverseSchemaObjectOp } from './reverse-schema-objects.ts'

/**
 * The operations that undo `op`, in order: the downgrade of an upgrade step (none for
 * `validateConstraint`, which changes no definition). Autogenerate writes downgrades with it;
 * tests use it to check round trips.
 *
 * @throws IrreversibleOperationError for operations that lose information: raw SQL, a drop that
 *   does not carry what it drops, an alter that does not say what it replaces, an added enum value
 *   (PostgreSQL cannot remove one), inserted rows
 */
export function reverse(op: MigrationOp): readonly MigrationOp[] {
  if (isSchemaObjectOp(op)) return reverseSchemaObjectOp(op)
  if (isCodeObjectOp(op)) return reverseCodeObjectOp(op)
  switch (op.kind) {
    case 'createSchema':
      return [{ kind: 'dropSchema', name: op.name, ifExists: false, cascade: false }]
    case 'dropSchema':
      if (op.cascade) {
        throw new IrreversibleOperationError(
          'op.dropSchema(..., { cascade: true })',
          'the objects it dropped are unknown; write the downgrade by hand',
        )
      }
      return [{ kind: 'createSchema', name: op.name, ifNotExists: false }]
    case 'createTable':
      return [
        {
          kind: 'dropTable',
          schema: op.table.schema,
          name: op.table.name,
          ifExists: false,
          cascade: false,
          definition: op.table,
        },
      ]
    case 'dropTable':
      if (op.definition === undefined) {
        throw new IrreversibleOperationError(
          `op.dropTable('${op.name}')`,
          'pass the table definition (op.dropTable(table(...))) so that the downgrade can recreate it',
        )
      }
      return [{ kind: 'createTable', table: op.definition, ifNotExists: false }]
    case 'renameTable':
      return [{ kind: 'renameTable', schema: op.schema, from: op.to, to: op.from }]
    case 'addColumn':
      return [
        {
          kind: 'dropColumn',
          schema: op.schema,
          table: op.table,
          column: op.column.name,
          ifExists: false,
          cascade: false,
          definition: op.column,
        },
      ]
    case 'dropColumn':
      if (op.definition === undefined) {
        throw new IrreversibleOperationError(
          `op.dropColumn('${op.table}', '${op.column}')`,
          'pass the column definition ({ definition: text().notNull() ... }) so that the downgrade can add it back',
        )
      }
      return [
        {
          kind: 'addColumn',
          schema: op.schema,
          table: op.table,
          column: op.definition,
          ifNotExists: false,
        },
      ]
    case 'alterColumn':
      return [
        {
          kind: 'alterColumn',
          schema: op.schema,
          table: op.table,
          column: op.changes.name?.to ?? op.column,
          changes: reverseChanges(op.table, op.column, op.changes),
        },
      ]
    // A step that tolerates finding its work done (IF NOT EXISTS, so a non-transactional
    // migration can be run again after a partial run) gets a reverse that tolerates it too.
    case 'createIndex':
      return [
        {
          kind: 'dropIndex',
          schema: op.schema,
          name: op.index.name,
          table: op.table,
          concurrently: op.concurrently,
          ifExists: op.ifNotExists,
          definition: op.index,
        },
      ]
    case 'dropIndex':
      if (op.definition === undefined || op.table === undefined) {
        throw new IrreversibleOperationError(
          `op.dropIndex('${op.name}')`,
          'pass the table and the index definition so that the downgrade can recreate it',
        )
      }
      return [
        {
          kind: 'createIndex',
          schema: op.schema,
          table: op.table,
          index: op.definition,
          concurrently: op.concurrently,
          ifNotExists: op.ifExists,
        },
      ]
    case 'createForeignKey':
      return [
        dropNamed(op.schema, op.table, op.foreignKey.name, 'op.createForeignKey', {
          type: 'foreignKey',
          definition: op.foreignKey,
        }),
      ]
    case 'createUniqueConstraint':
      return [
        dropNamed(op.schema, op.table, op.unique.name, 'op.createUniqueConstraint', {
          type: 'unique',
          definition: op.unique,
        }),
      ]
    case 'createCheckConstraint':
      return [
        dropNamed(op.schema, op.table, op.check.name, 'op.createCheckConstraint', {
          type: 'check',
          definition: op.check,
        }),
      ]
    case 'createPrimaryKey':
      return [
        dropNamed(op.schema, op.table, op.primaryKey.name, 'op.createPrimaryKey', {
          type: 'primaryKey',
          definition: op.primaryKey,
        }),
      ]
    case 'createExclusionConstraint':
      return [
        dropNamed(op.schema, op.table, op.exclusion.name, 'op.createExclusionConstraint', {
          type: 'exclusion',
          definition: op.exclusion,
        }),
      ]
    case 'validateConstraint':
      // Validation changes no definition, and PostgreSQL has no way to mark a constraint not
      // valid again: the constraint itself goes when the step that added it is reversed.
      return []
    case 'dropConstraint': {
      const d = op.definition
      if (d === undefined) {
        throw new IrreversibleOperationError(
          `op.dropConstraint('${op.name}', '${op.table}')`,
          'pass the constraint definition so that the downgrade can recreate it',
        )
      }
      const base = { schema: op.schema, table: op.table }
      switch (d.type) {
        case 'foreignKey':
          return [
            {
              kind: 'createForeignKey',
              ...base,
              foreignKey: d.definition,
              notValid: d.notValid ?? false,
            },
          ]
        case 'unique':
          return [{ kind: 'createUniqueConstraint', ...base, unique: d.definition }]
        case 'check':
          return [
            {
              kind: 'createCheckConstraint',
              ...base,
              check: d.definition,
              notValid: d.notValid ?? false,
            },
          ]
        case 'primaryKey':
          return [{ kind: 'createPrimaryKey', ...base, primaryKey: d.definition }]
        case 'exclusion':
          return [{ kind: 'createExclusionConstraint', ...base, exclusion: d.definition }]
        default:
          return assertNever(d)
      }
    }
    case 'createEnum':
      return [
        {
          kind: 'dropEnum',
          schema: op.enum.schema,
          name: op.enum.name,
          ifExists: false,
          cascade: false,
          definition: op.enum,
        },
      ]
    case 'dropEnum':
      if (op.definition === undefined) {
        throw new IrreversibleOperationError(
          `op.dropEnum('${op.name}')`,
          'pass its values ({ values: [...] }) so that the downgrade can recreate the type',
        )
      }
      return [{ kind: 'createEnum', enum: op.definition, ifNotExists: false }]
    case 'addEnumValue':
      throw new IrreversibleOperationError(
        `op.addEnumValue('${op.enum}', '${op.value}')`,
        'PostgreSQL cannot remove a value from an enum; leave the value in the downgrade, or rebuild the type by hand',
      )
    case 'renameEnumValue':
      return [{ ...op, from: op.to, to: op.from }]
    case 'createTableComment':
      if (op.previous === undefined) {
        throw new IrreversibleOperationError(
          `op.createTableComment('${op.table}')`,
          'pass the comment it replaces ({ existingComment: ... or null })',
        )
      }
      return [
        op.previous === null
          ? { kind: 'dropTableComment', schema: op.schema, table: op.table, previous: op.comment }
          : {
              kind: 'createTableComment',
              schema: op.schema,
              table: op.table,
              comment: op.previous,
              previous: op.comment,
            },
      ]
    case 'alterTableOptions':
      if (op.previous === undefined) {
        throw new IrreversibleOperationError(
          `op.alterTableOptions('${op.table}')`,
          'pass the options it replaces ({ existingOptions: ... })',
        )
      }
      return [{ ...op, options: op.previous, previous: op.options }]
    case 'dropTableComment':
      if (op.previous === undefined) {
        throw new IrreversibleOperationError(
          `op.dropTableComment('${op.table}')`,
          'pass the comment it removes ({ existingComment: ... })',
        )
      }
      return [
        {
          kind: 'createTableComment',
          schema: op.schema,
          table: op.table,
          comment: op.previous,
          previous: null,
        },
      ]
    case 'createPartition':
    case 'dropPartition':
    case 'attachPartition':
    case 'detachPartition':
      return reversePartitionOp(op)
    case 'batchAlterTable':
      // The reverse of each change is a change to the same table: the batch stays one batch.
      return [{ ...op, ops: reverseAll(op.ops).map(asBatchTableOp) }]
    case 'execute':
      throw new IrreversibleOperationError(
        'op.execute()',
        'raw SQL has no known inverse; write the downgrade statement by hand',
      )
    case 'bulkInsert':
      throw new IrreversibleOperationError(
        `op.bulkInsert('${op.table}')`,
        'which rows to delete depends on your data; write the DELETE by hand',
      )
    default:
      return assertNever(op)
  }
}

/** The reverse of several operations: each one reversed, in reverse order. */
export function reverseAll(ops: readonly MigrationOp[]): readonly MigrationOp[] {
  return [...ops].reverse().flatMap((op) => reverse(op))
}

/** The reverse of a batch's change, which is a change to the same table again. */
function asBatchTableOp(op: MigrationOp): BatchTableOp {
  if (!isBatchTableOp(op)) throw new Error(`the reverse of a table change is ${op.kind}`)
  return op
}

function dropNamed(
  schema: string | undefined,
  table: string,
  name: string | undefined,
  what: string,
  definition: Extract<MigrationOp, { kind: 'dropConstraint' }>['definition'],
): MigrationOp {
  if (name === undefined) {
    throw new IrreversibleOperationError(
      `${what}() on '${table}'`,
      'an unnamed constraint cannot be dropped by name; give it a name',
    )
  }
  return {
    kind: 'dropConstraint',
    schema,
    table,
    name,
    ifExists: false,
    cascade: false,
    definition,
  }
}

/** Swaps every change's `from` and `to`; a change without `from` cannot be undone. */
function reverseChanges(table: string, column: string, changes: ColumnChanges): ColumnChanges {
  const missing = (what: string, option: string): never => {
    throw new IrreversibleOperationError(
      `op.alterColumn('${table}', '${column}')`,
      `it changes the ${what} without saying what it was; pass ${option}`,
    )
  }
  const out: {
    -readonly [K in keyof ColumnChanges]: ColumnChanges[K]
  } = {}
  if (changes.type !== undefined) {
    if (changes.type.from === undefined) missing('type', 'existingType')
    out.type = {
      to: changes.type.from!,
      from: changes.type.to,
      ...(changes.type.fromUsing === undefined ? {} : { using: changes.type.fromUsing }),
      ...(changes.type.using === undefined ? {} : { fromUsing: changes.type.using }),
    }
  }
  if (changes.nullable !== undefined) {
    if (changes.nullable.from === undefined) missing('nullability', 'existingNullable')
    out.nullable = { to: changes.nullable.from!, from: changes.nullable.to }
  }
  if (changes.default !== undefined) {
    if (changes.default.from === undefined) missing('default', 'existingDefault (null if none)')
    out.default = { to: changes.default.from!, from: changes.default.to }
  }
  if (changes.comment !== undefined) {
    if (changes.comment.from === undefined) missing('comment', 'existingComment (null if none)')
    out.comment = { to: changes.comment.from!, from: changes.comment.to }
  }
  if (changes.collation !== undefined) {
    const { from, to, type } = changes.collation
    if (from === undefined) missing('collation', 'existingCollation (null if none)')
    // The reversed statement names the type the column then has.
    out.collation = { to: from!, from: to, type: changes.type?.from ?? type }
  }
  if (changes.name !== undefined) {
    out.name = { to: changes.name.from ?? column, from: changes.name.to }
  }
  return out
}
