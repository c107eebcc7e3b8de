/**
 * Views, functions, procedures, aggregates, triggers and event triggers as the model DSL and the
 * `op` facade spell them: declarations for `pull`, facade calls for migrations.
 */
import { assertNever, type CodeObjectOp } from '../operations/migration-op.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  FunctionParameterDef,
  FunctionRef,
  IndexDef,
  TriggerDef,
  ViewDef,
} from '../schema/schema-snapshot.ts'
import { renderSql } from './render-column.ts'
import type { RenderContext } from './render-context.ts'
import { array, call, chain, type Doc, method, object } from './render-layout.ts'
import { declarationCall } from './render-schema-objects.ts'
import { flag, type Option, schemaOption, statement } from './render-statement.ts'
import { renderIndexElement } from './render-table.ts'
import { propertyKey, renderLiteral, renderLongString, renderString } from './render-value.ts'

/** How a declaration names the functions and tables it refers to. */
export interface CodeObjectNames {
  /** The expression for a function a trigger or aggregate calls. */
  readonly functionRef: (ref: FunctionRef) => Doc
  /**
   * The `on` of a trigger (a table or view constant, or its name) and whether the schema must be
   * given beside it.
   */
  readonly triggerTarget: (trigger: TriggerDef) => { readonly on: Doc; readonly schema: boolean }
}

/** Names as a migration spells them: strings, `{ schema, name }` for a name with a dot. */
export const MIGRATION_NAMES: CodeObjectNames = {
  functionRef: (ref) =>
    ref.name.includes('.') || (ref.schema ?? '').includes('.')
      ? object([
          ...(ref.schema === undefined ? [] : [['schema', renderString(ref.schema)] as const]),
          ['name', renderString(ref.name)],
        ])
      : renderString(ref.schema === undefined ? ref.name : `${ref.schema}.${ref.name}`),
  triggerTarget: (trigger) => ({ on: renderString(trigger.table), schema: true }),
}

/** `view(...)` or `materializedView(...)` that gives `def` back (columns and dependencies aside). */
export function viewDeclaration(def: ViewDef, ctx: RenderContext): Doc {
  const options: Option[] = [schemaOption(def.schema)]
  if (def.materialized) {
    options.push(['withData', def.withData ? undefined : 'false'])
    options.push([
      'indexes',
      def.indexes.length === 0
        ? undefined
        : array(
            def.indexes.map((index) => indexDeclaration(index, ctx)),
            { breakAlways: def.indexes.length > 1 },
          ),
    ])
  } else {
    options.push(
      ['checkOption', def.checkOption === undefined ? undefined : renderString(def.checkOption)],
      ['securityBarrier', flag(def.securityBarrier)],
      ['securityInvoker', flag(def.securityInvoker)],
    )
  }
  options.push(['comment', def.comment === undefined ? undefined : renderString(def.comment)])
  return declarationCall(
    ctx.use(def.materialized ? 'materializedView' : 'view'),
    [renderString(def.name), renderLongString(def.definition)],
    options,
  )
}

/** `dbFunction(...)` or `procedure(...)` that gives `def` back. */
export function functionDeclaration(def: FunctionDef, ctx: RenderContext): Doc {
  const isFunction = def.kind === 'function'
  const options: Option[] = [
    schemaOption(def.schema),
    [
      'parameters',
      def.parameters.length === 0 ? undefined : array(def.parameters.map(parameterDoc)),
    ],
    ['returns', isFunction ? renderString(def.returns ?? 'void') : undefined],
    ['language', renderString(def.language)],
  ]
  if (isFunction) {
    options.push(
      ['volatility', def.volatility === 'volatile' ? undefined : renderString(def.volatility)],
      ['strict', flag(def.strict)],
      ['leakproof', flag(def.leakproof)],
      ['parallel', def.parallel === 'unsafe' ? undefined : renderString(def.parallel)],
      ['cost', def.cost === undefined ? undefined : renderLiteral(def.cost)],
      ['rows', def.rows === undefined ? undefined : renderLiteral(def.rows)],
    )
  }
  options.push(
    ['securityDefiner', flag(def.securityDefiner)],
    [
      'settings',
      def.settings.length === 0
        ? undefined
        : object(def.settings.map((s) => [propertyKey(s.name), renderString(s.value)])),
    ],
    ['comment', def.comment === undefined ? undefined : renderString(def.comment)],
    ['atomic', flag(def.atomic)],
    ['body', renderLongString(def.body)],
  )
  return declarationCall(
    ctx.use(isFunction ? 'dbFunction' : 'procedure'),
    [renderString(def.name)],
    options,
  )
}

/** `aggregate(...)` that gives `def` back. */
export function aggregateDeclaration(
  def: AggregateDef,
  ctx: RenderContext,
  names: CodeObjectNames,
): Doc {
  const ref = (r: FunctionRef | undefined) => (r === undefined ? undefined : names.functionRef(r))
  return declarationCall(
    ctx.use('aggregate'),
    [renderString(def.name)],
    [
      schemaOption(def.schema),
      ['parameters', array(def.parameters.map(parameterDoc))],
      ['stateFunction', names.functionRef(def.stateFunction)],
      ['stateType', renderString(def.stateType)],
      ['finalFunction', ref(def.finalFunction)],
      ['combineFunction', ref(def.combineFunction)],
      [
        'initialCondition',
        def.initialCondition === undefined ? undefined : renderString(def.initialCondition),
      ],
      ['parallel', def.parallel === 'unsafe' ? undefined : renderString(def.parallel)],
      ['comment', def.comment === undefined ? undefined : renderString(def.comment)],
    ],
  )
}

/** `trigger(...)` that gives `def` back, its table named as `names` says. */
export function triggerDeclaration(
  def: TriggerDef,
  ctx: RenderContext,
  names: CodeObjectNames,
): Doc {
  const target = names.triggerTarget(def)
  const timing = def.timing === 'instead of' ? 'insteadOf' : def.timing
  return declarationCall(
    ctx.use('trigger'),
    [renderString(def.name)],
    [
      ['on', target.on],
      target.schema ? schemaOption(def.schema) : ['schema', undefined],
      [timing, array(def.events.map(renderString))],
      ['updateOf', def.updateOf.length === 0 ? undefined : array(def.updateOf.map(renderString))],
      ['forEach', def.forEach === 'statement' ? undefined : renderString(def.forEach)],
      ['when', def.when === undefined ? undefined : renderSql(def.when, ctx)],
      ['execute', names.functionRef(def.function)],
      [
        'arguments',
        def.arguments.length === 0 ? undefined : array(def.arguments.map(renderString)),
      ],
      ['oldTable', def.oldTable === undefined ? undefined : renderString(def.oldTable)],
      ['newTable', def.newTable === undefined ? undefined : renderString(def.newTable)],
    ],
  )
}

/** `eventTrigger(...)` that gives `def` back. */
export function eventTriggerDeclaration(
  def: EventTriggerDef,
  ctx: RenderContext,
  names: CodeObjectNames,
): Doc {
  return declarationCall(
    ctx.use('eventTrigger'),
    [renderString(def.name)],
    [
      ['on', renderString(def.event)],
      ['tags', def.tags.length === 0 ? undefined : array(def.tags.map(renderString))],
      ['execute', names.functionRef(def.function)],
    ],
  )
}

/** The `await op.xxx(...)` statement that produces an operation on a code object. */
export function renderCodeObjectOp(op: CodeObjectOp, ctx: RenderContext): Doc {
  const names = MIGRATION_NAMES
  const flags = (o: { readonly ifExists: boolean; readonly cascade: boolean }): Option[] => [
    ['ifExists', flag(o.ifExists)],
    ['cascade', flag(o.cascade)],
  ]
  switch (op.kind) {
    case 'createView':
    case 'createMaterializedView':
      return statement(op.kind, [viewDeclaration(op.view, ctx)], [])
    case 'dropView':
    case 'dropMaterializedView':
      return op.definition === undefined
        ? statement(op.kind, [renderString(op.name)], [schemaOption(op.schema), ...flags(op)])
        : statement(op.kind, [viewDeclaration(op.definition, ctx)], flags(op))
    case 'replaceView':
      return statement(
        'replaceView',
        [viewDeclaration(op.view, ctx)],
        [
          ['previous', op.previous === undefined ? undefined : viewDeclaration(op.previous, ctx)],
          [
            'addedColumns',
            op.addedColumns.length === 0 ? undefined : array(op.addedColumns.map(renderString)),
          ],
        ],
      )
    case 'renameView':
      return statement(
        op.materialized ? 'renameMaterializedView' : 'renameView',
        [renderString(op.from), renderString(op.to)],
        [schemaOption(op.schema)],
      )
    case 'refreshMaterializedView':
      return statement(
        'refreshMaterializedView',
        [renderString(op.name)],
        [
          schemaOption(op.schema),
          ['concurrently', flag(op.concurrently)],
          ['withData', op.withData ? undefined : 'false'],
        ],
      )
    case 'createFunction':
      return statement('createFunction', [functionDeclaration(op.function, ctx)], [])
    case 'createProcedure':
      return statement('createProcedure', [functionDeclaration(op.procedure, ctx)], [])
    case 'replaceFunction':
    case 'replaceProcedure': {
      const routine = op.kind === 'replaceFunction' ? op.function : op.procedure
      return statement(
        op.kind,
        [functionDeclaration(routine, ctx)],
        [
          [
            'previous',
            op.previous === undefined ? undefined : functionDeclaration(op.previous, ctx),
          ],
        ],
      )
    }
    case 'dropFunction':
    case 'dropProcedure':
    case 'dropAggregate': {
      if (op.definition !== undefined) {
        const declaration =
          op.kind === 'dropAggregate'
            ? aggregateDeclaration(op.definition as AggregateDef, ctx, names)
            : functionDeclaration(op.definition as FunctionDef, ctx)
        return statement(op.kind, [declaration], flags(op))
      }
      return statement(
        op.kind,
        [renderString(op.name)],
        [
          schemaOption(op.schema),
          [
            'parameters',
            op.parameters === undefined ? undefined : array(op.parameters.map(renderString)),
          ],
          ...flags(op),
        ],
      )
    }
    case 'createAggregate':
      return statement('createAggregate', [aggregateDeclaration(op.aggregate, ctx, names)], [])
    case 'createTrigger':
      return statement('createTrigger', [triggerDeclaration(op.trigger, ctx, names)], [])
    case 'dropTrigger':
      return op.definition === undefined
        ? statement(
            'dropTrigger',
            [renderString(op.name), renderString(op.table)],
            [schemaOption(op.schema), ...flags(op)],
          )
        : statement('dropTrigger', [triggerDeclaration(op.definition, ctx, names)], flags(op))
    case 'createEventTrigger':
      return statement(
        'createEventTrigger',
        [eventTriggerDeclaration(op.eventTrigger, ctx, names)],
        [],
      )
    case 'dropEventTrigger':
      return op.definition === undefined
        ? statement('dropEventTrigger', [renderString(op.name)], flags(op))
        : statement(
            'dropEventTrigger',
            [eventTriggerDeclaration(op.definition, ctx, names)],
            flags(op),
          )
    default:
      return assertNever(op)
  }
}

/** `{ name, type, mode, default }`, or the type alone when that is all there is. */
function parameterDoc(p: FunctionParameterDef): Doc {
  if (p.mode === 'in' && p.name === undefined && p.default === undefined) {
    return renderString(p.type)
  }
  const entries: (readonly [string, Doc])[] = []
  if (p.name !== undefined) entries.push(['name', renderString(p.name)])
  entries.push(['type', renderString(p.type)])
  if (p.mode !== 'in') entries.push(['mode', renderString(p.mode)])
  if (p.default !== undefined) entries.push(['default', renderString(p.default)])
  return object(entries)
}

/** `index('name').on(...)` (or `uniqueIndex`) with the index's exact name. */
function indexDeclaration(index: IndexDef, ctx: RenderContext): Doc {
  const head = call(ctx.use(index.unique ? 'uniqueIndex' : 'index'), [renderString(index.name)])
  const links = [
    method(
      'on',
      index.elements.map((element) =>
        renderIndexElement(element, renderString, ctx, 'indexElement'),
      ),
    ),
  ]
  if (index.where !== undefined) links.push(method('where', [renderSql(index.where, ctx)]))
  if (index.method !== undefined) links.push(method('using', [renderString(index.method)]))
  if (index.include.length > 0) links.push(method('include', index.include.map(renderString)))
  return chain(head, links)
}
