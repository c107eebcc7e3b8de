import type {
  AggregateDef,
  FunctionDef,
  FunctionParameterDef,
  ViewDef,
} from '../schema/schema-snapshot.ts'
import type { CodeObjectOp, MigrationOp } from './migration-op.ts'
import { assertNever } from './migration-op.ts'
import { IrreversibleOperationError } from './operation-errors.ts'

/**
 * The reverse of an operation on a view, function, procedure, aggregate, trigger or event
 * trigger (see `reverse()`): a creation is undone by a drop carrying the definition, a drop
 * carrying its definition by a creation, a replacement by the replacement with what it
 * replaced — or, for a view the replacement gave new columns, which `CREATE OR REPLACE` cannot
 * take away, by dropping it and creating the previous one.
 *
 * @throws IrreversibleOperationError for a drop without its definition, or a replacement that
 *   does not say what it replaced
 */
export function reverseCodeObjectOp(op: CodeObjectOp): readonly MigrationOp[] {
  switch (op.kind) {
    case 'createView':
      return [{ kind: 'dropView', ...dropOf(op.view) }]
    case 'createMaterializedView':
      return [{ kind: 'dropMaterializedView', ...dropOf(op.view) }]
    case 'dropView':
    case 'dropMaterializedView': {
      const definition = required(op.definition, `op.${op.kind}('${op.name}')`, 'view')
      return [
        definition.materialized
          ? { kind: 'createMaterializedView', view: definition }
          : { kind: 'createView', view: definition },
      ]
    }
    case 'replaceView': {
      const previous = required(op.previous, `op.replaceView('${op.view.name}')`, 'previous')
      if (op.addedColumns.length === 0) {
        return [{ kind: 'replaceView', view: previous, previous: op.view, addedColumns: [] }]
      }
      return [
        { kind: 'dropView', ...dropOf(op.view) },
        { kind: 'createView', view: previous },
      ]
    }
    case 'renameView':
      return [{ ...op, from: op.to, to: op.from }]
    case 'refreshMaterializedView':
      // A refresh changes rows, not definitions; one that emptied the view is undone by filling
      // it again.
      return op.withData ? [] : [{ ...op, concurrently: false, withData: true }]
    case 'createFunction':
      return [{ kind: 'dropFunction', ...dropRoutine(op.function) }]
    case 'createProcedure':
      return [{ kind: 'dropProcedure', ...dropRoutine(op.procedure) }]
    case 'dropFunction':
      return [
        {
          kind: 'createFunction',
          function: required(op.definition, `op.dropFunction('${op.name}')`, 'function'),
        },
      ]
    case 'dropProcedure':
      return [
        {
          kind: 'createProcedure',
          procedure: required(op.definition, `op.dropProcedure('${op.name}')`, 'function'),
        },
      ]
    case 'replaceFunction':
      return [
        {
          kind: 'replaceFunction',
          function: required(op.previous, `op.replaceFunction('${op.function.name}')`, 'previous'),
          previous: op.function,
        },
      ]
    case 'replaceProcedure':
      return [
        {
          kind: 'replaceProcedure',
          procedure: required(
            op.previous,
            `op.replaceProcedure('${op.procedure.name}')`,
            'previous',
          ),
          previous: op.procedure,
        },
      ]
    case 'createAggregate':
      return [{ kind: 'dropAggregate', ...dropRoutine(op.aggregate) }]
    case 'dropAggregate':
      return [
        {
          kind: 'createAggregate',
          aggregate: required(op.definition, `op.dropAggregate('${op.name}')`, 'aggregate'),
        },
      ]
    case 'createTrigger':
      return [
        {
          kind: 'dropTrigger',
          schema: op.trigger.schema,
          table: op.trigger.table,
          name: op.trigger.name,
          ifExists: false,
          cascade: false,
          definition: op.trigger,
        },
      ]
    case 'dropTrigger':
      return [
        {
          kind: 'createTrigger',
          trigger: required(
            op.definition,
            `op.dropTrigger('${op.name}', '${op.table}')`,
            'trigger',
          ),
        },
      ]
    case 'createEventTrigger':
      return [
        {
          kind: 'dropEventTrigger',
          name: op.eventTrigger.name,
          ifExists: false,
          cascade: false,
          definition: op.eventTrigger,
        },
      ]
    case 'dropEventTrigger':
      return [
        {
          kind: 'createEventTrigger',
          eventTrigger: required(
            op.definition,
            `op.dropEventTrigger('${op.name}')`,
            'event trigger',
          ),
        },
      ]
    default:
      return assertNever(op)
  }
}

/** The types that identify a routine: those of its parameters that are not `OUT`. */
export function signatureOf(parameters: readonly FunctionParameterDef[]): readonly string[] {
  return parameters.filter((p) => p.mode !== 'out').map((p) => p.type)
}

function dropOf(view: ViewDef) {
  return {
    schema: view.schema,
    name: view.name,
    ifExists: false,
    cascade: false,
    definition: view,
  } as const
}

function dropRoutine<T extends FunctionDef | AggregateDef>(definition: T) {
  return {
    schema: definition.schema,
    name: definition.name,
    parameters: signatureOf(definition.parameters),
    ifExists: false,
    cascade: false,
    definition,
  } as const
}

function required<T>(value: T | undefined, what: string, missing: string): T {
  if (value !== undefined) return value
  throw new IrreversibleOperationError(
    what,
    missing === 'previous'
      ? 'pass what it replaces ({ previous: ... }) so that the downgrade can put it back'
      : `pass the ${missing}'s definition so that the downgrade can recreate it`,
  )
}
