import { assertNever, type CodeObjectOp } from '../operations/migration-op.ts'
import { signatureOf } from '../operations/reverse-code-objects.ts'
import type { FunctionDef } from '../schema/schema-snapshot.ts'

/**
 * A short description of an operation on a view, function, procedure, aggregate, trigger or
 * event trigger, for `aludel check`.
 *
 * @example
 * describeCodeObjectOp(op) // 'replace function film_in_stock(integer, integer)'
 */
export function describeCodeObjectOp(op: CodeObjectOp): string {
  switch (op.kind) {
    case 'createView':
      return `add view ${qualified(op.view.schema, op.view.name)}`
    case 'dropView':
      return `drop view ${qualified(op.schema, op.name)}`
    case 'replaceView':
      return `${op.view.materialized ? 'change the comment of materialized view' : 'replace view'} ${qualified(op.view.schema, op.view.name)}${op.addedColumns.length === 0 ? '' : ` (adding ${op.addedColumns.join(', ')})`}`
    case 'createMaterializedView':
      return `add materialized view ${qualified(op.view.schema, op.view.name)}`
    case 'dropMaterializedView':
      return `drop materialized view ${qualified(op.schema, op.name)}`
    case 'renameView':
      return `rename ${op.materialized ? 'materialized view' : 'view'} ${qualified(op.schema, op.from)} to ${op.to}`
    case 'refreshMaterializedView':
      return `refresh materialized view ${qualified(op.schema, op.name)}`
    case 'createFunction':
      return `add function ${signature(op.function)}`
    case 'replaceFunction':
      return `replace function ${signature(op.function)}`
    case 'createProcedure':
      return `add procedure ${signature(op.procedure)}`
    case 'replaceProcedure':
      return `replace procedure ${signature(op.procedure)}`
    case 'dropFunction':
    case 'dropProcedure':
    case 'dropAggregate': {
      const what = op.kind.slice('drop'.length).toLowerCase()
      const types = op.parameters ?? (op.definition && signatureOf(op.definition.parameters))
      return `drop ${what} ${qualified(op.schema, op.name)}${types === undefined ? '' : `(${types.join(', ')})`}`
    }
    case 'createAggregate':
      return `add aggregate ${signature(op.aggregate)}`
    case 'createTrigger':
      return `add trigger ${op.trigger.name} on ${qualified(op.trigger.schema, op.trigger.table)}`
    case 'dropTrigger':
      return `drop trigger ${op.name} on ${qualified(op.schema, op.table)}`
    case 'createEventTrigger':
      return `add event trigger ${op.eventTrigger.name}`
    case 'dropEventTrigger':
      return `drop event trigger ${op.name}`
    default:
      return assertNever(op)
  }
}

function signature(def: Pick<FunctionDef, 'schema' | 'name' | 'parameters'>): string {
  return `${qualified(def.schema, def.name)}(${signatureOf(def.parameters).join(', ')})`
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}
