import type {
  AlterDomainOp,
  AlterSequenceOp,
  Change,
  DomainChanges,
  MigrationOp,
  SchemaObjectOp,
  SequenceChanges,
} from './migration-op.ts'
import { assertNever } from './migration-op.ts'
import { IrreversibleOperationError } from './operation-errors.ts'

/**
 * The reverse of an operation on a sequence, domain, composite type or extension (see
 * `reverse()`): a create becomes the drop that carries its definition, a drop with its
 * definition the create, an alter the alter with every `from` and `to` swapped.
 *
 * @throws IrreversibleOperationError for a drop without its definition, a cascading drop, or an
 *   alter that does not say what it replaces
 */
export function reverseSchemaObjectOp(op: SchemaObjectOp): readonly MigrationOp[] {
  const drop = { ifExists: false, cascade: false } as const
  switch (op.kind) {
    case 'createSequence':
      return [
        {
          kind: 'dropSequence',
          schema: op.sequence.schema,
          name: op.sequence.name,
          ...drop,
          ifExists: op.ifNotExists,
          definition: op.sequence,
        },
      ]
    case 'dropSequence':
      return [
        {
          kind: 'createSequence',
          sequence: definitionOf(op, 'op.dropSequence', 'a sequence(...) declaration'),
          ifNotExists: op.ifExists,
        },
      ]
    case 'alterSequence':
      return [{ ...op, changes: reverseSequenceChanges(op) }]
    case 'renameSequence':
      return [{ ...op, from: op.to, to: op.from }]
    case 'createDomain':
      return [
        {
          kind: 'dropDomain',
          schema: op.domain.schema,
          name: op.domain.name,
          ...drop,
          definition: op.domain,
        },
      ]
    case 'dropDomain':
      return [
        {
          kind: 'createDomain',
          domain: definitionOf(op, 'op.dropDomain', 'a domain(...) declaration'),
        },
      ]
    case 'alterDomain':
      return [{ ...op, changes: reverseDomainChanges(op) }]
    case 'createCompositeType':
      return [
        {
          kind: 'dropCompositeType',
          schema: op.type.schema,
          name: op.type.name,
          ...drop,
          definition: op.type,
        },
      ]
    case 'dropCompositeType':
      return [
        {
          kind: 'createCompositeType',
          type: definitionOf(op, 'op.dropCompositeType', 'a compositeType(...) declaration'),
        },
      ]
    case 'renameType':
      return [{ ...op, from: op.to, to: op.from }]
    case 'alterCompositeType':
      return [
        {
          ...op,
          dropAttributes: op.addAttributes.map((a) => ({ name: a.name, definition: a })),
          addAttributes: op.dropAttributes.map((a) => {
            if (a.definition !== undefined) return a.definition
            throw new IrreversibleOperationError(
              `op.alterCompositeType('${op.name}', { dropAttributes: ['${a.name}'] })`,
              `the type of ${a.name} is unknown; give dropAttributes as { ${a.name}: <its type>() } so that the downgrade can add it back`,
            )
          }),
        },
      ]
    case 'createExtension':
      return [
        {
          kind: 'dropExtension',
          name: op.extension.name,
          ...drop,
          ifExists: op.ifNotExists,
          definition: op.extension,
        },
      ]
    case 'dropExtension':
      return [
        {
          kind: 'createExtension',
          extension: definitionOf(op, 'op.dropExtension', 'an extension(...) declaration'),
          ifNotExists: op.ifExists,
        },
      ]
    default:
      return assertNever(op)
  }
}

/** A drop's definition; a drop without one, or one that cascades, cannot be undone. */
function definitionOf<T>(
  op: { readonly name: string; readonly cascade: boolean; readonly definition: T | undefined },
  what: string,
  pass: string,
): T {
  const call = `${what}('${op.name}')`
  if (op.cascade) {
    throw new IrreversibleOperationError(
      `${what}('${op.name}', { cascade: true })`,
      'the objects it dropped along are unknown; write the downgrade by hand',
    )
  }
  if (op.definition === undefined) {
    throw new IrreversibleOperationError(call, `pass ${pass} so that the downgrade can recreate it`)
  }
  return op.definition
}

/** Swaps `from` and `to`; a change that does not say what it replaces cannot be undone. */
function swap<T>(change: Change<T> | undefined, what: string, call: string): Change<T> | undefined {
  if (change === undefined) return undefined
  if (!('from' in change)) {
    throw new IrreversibleOperationError(
      call,
      `it changes the ${what} without saying what it was; pass its existing value`,
    )
  }
  return { to: change.from as T, from: change.to }
}

function reverseSequenceChanges(op: AlterSequenceOp): SequenceChanges {
  const call = `op.alterSequence('${op.name}')`
  const out: { -readonly [K in keyof SequenceChanges]: SequenceChanges[K] } = {}
  for (const key of Object.keys(op.changes) as (keyof SequenceChanges)[]) {
    const change = op.changes[key] as Change<unknown> | undefined
    const swapped = swap(change, key, call)
    if (swapped !== undefined) (out as Record<string, unknown>)[key] = swapped
  }
  return out
}

function reverseDomainChanges(op: AlterDomainOp): DomainChanges {
  const call = `op.alterDomain('${op.name}')`
  const c = op.changes
  const out: { -readonly [K in keyof DomainChanges]: DomainChanges[K] } = {}
  const defaultChange = swap(c.default, 'default', call)
  if (defaultChange !== undefined) out.default = defaultChange
  const notNull = swap(c.notNull, 'NOT NULL', call)
  if (notNull !== undefined) out.notNull = notNull
  if (c.addChecks !== undefined && c.addChecks.length > 0) {
    out.dropChecks = c.addChecks.map((check) => ({ name: check.name ?? '', definition: check }))
  }
  if (c.dropChecks !== undefined && c.dropChecks.length > 0) {
    out.addChecks = c.dropChecks.map((check) => {
      if (check.definition === undefined) {
        throw new IrreversibleOperationError(
          call,
          `it drops check ${check.name} without its definition; pass it so that the downgrade can add it back`,
        )
      }
      return check.definition
    })
  }
  return out
}
