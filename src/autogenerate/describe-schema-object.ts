import { assertNever, type SchemaObjectOp } from '../operations/migration-op.ts'
import { describeType as typeText } from '../schema/column-builder.ts'
import type { ColumnDefault, SequenceOwner } from '../schema/schema-snapshot.ts'

/**
 * A short description of an operation on a sequence, domain, composite type or extension, for
 * `aludel check`.
 *
 * @example
 * describeSchemaObjectOp(op) // 'alter sequence order_no_seq: increment 1 -> 10'
 */
export function describeSchemaObjectOp(op: SchemaObjectOp): string {
  switch (op.kind) {
    case 'createSequence':
      return `add sequence ${qualified(op.sequence.schema, op.sequence.name)}`
    case 'dropSequence':
      return `drop sequence ${qualified(op.schema, op.name)}`
    case 'alterSequence': {
      const parts = Object.entries(op.changes).map(([key, change]) => {
        const { to, from } = change as { to: unknown; from?: unknown }
        // Undefined is PostgreSQL's default, or for the owner: none.
        const text = (value: unknown) =>
          value === undefined
            ? key === 'ownedBy'
              ? 'none'
              : 'default'
            : typeof value === 'object' && value !== null
              ? ownerText(value as SequenceOwner)
              : String(value)
        const what = key === 'ownedBy' ? 'owner' : key
        return `${what} ${'from' in (change as object) ? `${text(from)} -> ` : ''}${text(to)}`
      })
      return `alter sequence ${qualified(op.schema, op.name)}: ${parts.join(', ')}`
    }
    case 'renameSequence':
      return `rename sequence ${qualified(op.schema, op.from)} to ${op.to}`
    case 'createDomain':
      return `add domain ${qualified(op.domain.schema, op.domain.name)} (${typeText(op.domain.type)})`
    case 'dropDomain':
      return `drop domain ${qualified(op.schema, op.name)}`
    case 'alterDomain': {
      const c = op.changes
      const parts: string[] = []
      for (const check of c.dropChecks ?? []) parts.push(`drop check ${check.name}`)
      if (c.default !== undefined) {
        parts.push(
          `default ${c.default.from === undefined ? '' : `${defaultText(c.default.from)} -> `}${defaultText(c.default.to)}`,
        )
      }
      if (c.notNull !== undefined) parts.push(c.notNull.to ? 'not null' : 'allow nulls')
      for (const check of c.addChecks ?? [])
        parts.push(`add check ${check.name ?? ''}: ${check.expression}`)
      return `alter domain ${qualified(op.schema, op.name)}: ${parts.join(', ')}`
    }
    case 'createCompositeType':
      return `add composite type ${qualified(op.type.schema, op.type.name)} (${op.type.attributes.map((a) => `${a.name} ${typeText(a.type)}`).join(', ')})`
    case 'dropCompositeType':
      return `drop composite type ${qualified(op.schema, op.name)}`
    case 'renameType':
      return `rename type ${qualified(op.schema, op.from)} to ${op.to}`
    case 'alterCompositeType': {
      const parts = [
        ...op.dropAttributes.map((a) => `drop attribute ${a.name}`),
        ...op.addAttributes.map((a) => `add attribute ${a.name} ${typeText(a.type)}`),
      ]
      return `alter composite type ${qualified(op.schema, op.name)}: ${parts.join(', ')}`
    }
    case 'createExtension':
      return `add extension ${op.extension.name}${op.extension.version === undefined ? '' : ` version ${op.extension.version}`}`
    case 'dropExtension':
      return `drop extension ${op.name}`
    default:
      return assertNever(op)
  }
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

function ownerText(owner: SequenceOwner): string {
  return `${owner.table}.${owner.column}`
}

function defaultText(value: ColumnDefault | null): string {
  if (value === null) return 'none'
  return value.kind === 'sql' ? value.sql : String(value.value)
}
