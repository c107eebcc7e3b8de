import { assertNever, type CodeObjectOp } from '../../operations/migration-op.ts'
import { signatureOf } from '../../operations/reverse-code-objects.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  FunctionParameterDef,
  FunctionRef,
  TriggerDef,
  ViewDef,
} from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { createIndexSql, words } from './postgres-ddl-fragments.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './postgres-quoting.ts'

/**
 * Settings whose value is a list of names, which PostgreSQL stores with each name quoted as
 * needed (`"$user", public`): written back as they are stored, not as one string, which would be
 * read as a single name (manual, SET; guc.c, GUC_LIST_QUOTE).
 */
const LIST_SETTINGS: ReadonlySet<string> = new Set([
  'search_path',
  'temp_tablespaces',
  'local_preload_libraries',
  'session_preload_libraries',
  'shared_preload_libraries',
])

/**
 * The statements of an operation on a view, materialized view, function, procedure, aggregate,
 * trigger or event trigger.
 */
export function codeObjectDdl(op: CodeObjectOp): readonly string[] {
  switch (op.kind) {
    case 'createView':
      if (op.view.materialized) {
        throw new InvalidOperationError(
          `view ${quoteQualified(op.view.schema, op.view.name)} is materialized; create it with op.createMaterializedView`,
        )
      }
      return createView(op.view, false)
    case 'replaceView':
      if (op.view.materialized) {
        // PostgreSQL has no CREATE OR REPLACE MATERIALIZED VIEW: only the comment can change.
        return [commentOn('MATERIALIZED VIEW', viewName(op.view), op.view.comment ?? null)]
      }
      return createView(op.view, true)
    case 'createMaterializedView':
      return createMaterializedView(op.view)
    case 'dropView':
    case 'dropMaterializedView':
      return [
        words(
          op.kind === 'dropView' ? 'DROP VIEW' : 'DROP MATERIALIZED VIEW',
          op.ifExists && 'IF EXISTS',
          quoteQualified(op.schema, op.name),
          op.cascade && 'CASCADE',
        ),
      ]
    case 'renameView':
      return [
        `ALTER ${op.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${quoteQualified(op.schema, op.from)} RENAME TO ${quoteIdentifier(op.to)}`,
      ]
    case 'refreshMaterializedView':
      return [
        words(
          'REFRESH MATERIALIZED VIEW',
          op.concurrently && 'CONCURRENTLY',
          quoteQualified(op.schema, op.name),
          !op.withData && 'WITH NO DATA',
        ),
      ]
    case 'createFunction':
      return createRoutine(op.function, 'FUNCTION', false)
    case 'replaceFunction':
      return createRoutine(op.function, 'FUNCTION', true)
    case 'createProcedure':
      return createRoutine(op.procedure, 'PROCEDURE', false)
    case 'replaceProcedure':
      return createRoutine(op.procedure, 'PROCEDURE', true)
    case 'dropFunction':
    case 'dropProcedure':
    case 'dropAggregate': {
      const what =
        op.kind === 'dropFunction'
          ? 'FUNCTION'
          : op.kind === 'dropProcedure'
            ? 'PROCEDURE'
            : 'AGGREGATE'
      const types =
        op.parameters ??
        (op.definition === undefined ? undefined : signatureOf(op.definition.parameters))
      return [
        words(
          `DROP ${what}`,
          op.ifExists && 'IF EXISTS',
          quoteQualified(op.schema, op.name) +
            (types === undefined ? '' : argumentTypes(types, what === 'AGGREGATE')),
          op.cascade && 'CASCADE',
        ),
      ]
    }
    case 'createAggregate':
      return createAggregate(op.aggregate)
    case 'createTrigger':
      return [createTrigger(op.trigger)]
    case 'dropTrigger':
      return [
        words(
          'DROP TRIGGER',
          op.ifExists && 'IF EXISTS',
          quoteIdentifier(op.name),
          `ON ${quoteQualified(op.schema, op.table)}`,
          op.cascade && 'CASCADE',
        ),
      ]
    case 'createEventTrigger':
      return [createEventTrigger(op.eventTrigger)]
    case 'dropEventTrigger':
      return [
        words(
          'DROP EVENT TRIGGER',
          op.ifExists && 'IF EXISTS',
          quoteIdentifier(op.name),
          op.cascade && 'CASCADE',
        ),
      ]
    default:
      return assertNever(op)
  }
}

/**
 * `CREATE [OR REPLACE] VIEW name [WITH (options)] AS query`, then its comment. The options go in
 * the `WITH (...)` list, `check_option` included (manual, CREATE VIEW), so that nothing follows
 * the query; `CREATE OR REPLACE` replaces the whole list, so a replacement states every option.
 */
function createView(view: ViewDef, replace: boolean): readonly string[] {
  const options = [
    view.checkOption !== undefined && `check_option = ${view.checkOption}`,
    view.securityBarrier && 'security_barrier = true',
    view.securityInvoker && 'security_invoker = true',
  ].filter((option): option is string => option !== false)
  const name = viewName(view)
  const create = words(
    replace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW',
    name,
    options.length > 0 && `WITH (${options.join(', ')})`,
    `AS\n${view.definition}`,
  )
  if (replace) return [create, commentOn('VIEW', name, view.comment ?? null)]
  return view.comment === undefined ? [create] : [create, commentOn('VIEW', name, view.comment)]
}

/** `CREATE MATERIALIZED VIEW name AS query [WITH NO DATA]`, its indexes, its comment. */
function createMaterializedView(view: ViewDef): readonly string[] {
  if (!view.materialized) {
    throw new InvalidOperationError(
      `view ${viewName(view)} is not materialized; create it with op.createView`,
    )
  }
  const name = viewName(view)
  // The query may end in a line comment: WITH NO DATA goes on a line of its own.
  const statements = [
    `CREATE MATERIALIZED VIEW ${name} AS\n${view.definition}${view.withData ? '' : '\nWITH NO DATA'}`,
  ]
  for (const index of view.indexes) {
    statements.push(
      createIndexSql(view.schema, view.name, index, { concurrently: false, ifNotExists: false }),
    )
  }
  if (view.comment !== undefined) {
    statements.push(commentOn('MATERIALIZED VIEW', name, view.comment))
  }
  return statements
}

/**
 * `CREATE [OR REPLACE] FUNCTION|PROCEDURE name(parameters) RETURNS ... LANGUAGE ... options AS
 * $$body$$`, then its comment. A SQL function's body names tables and other functions that are
 * checked when it is created unless `check_function_bodies` is off, as pg_dump sets it, since
 * functions are created before the tables they read; a SQL-standard body (`BEGIN ATOMIC`) is
 * parsed whatever the setting (manual, CREATE FUNCTION and check_function_bodies).
 */
function createRoutine(
  routine: FunctionDef,
  what: 'FUNCTION' | 'PROCEDURE',
  replace: boolean,
): readonly string[] {
  if ((what === 'FUNCTION') !== (routine.kind === 'function')) {
    throw new InvalidOperationError(
      `${quoteQualified(routine.schema, routine.name)} is a ${routine.kind}; use op.${replace ? 'replace' : 'create'}${routine.kind === 'function' ? 'Function' : 'Procedure'}`,
    )
  }
  const name = quoteQualified(routine.schema, routine.name)
  const lines = [
    `${replace ? 'CREATE OR REPLACE' : 'CREATE'} ${what} ${name}(${routine.parameters.map(parameterSql).join(', ')})`,
  ]
  if (routine.kind === 'function') lines.push(` RETURNS ${routine.returns ?? 'void'}`)
  lines.push(` LANGUAGE ${quoteIdentifier(routine.language)}`)
  if (routine.kind === 'function') {
    const traits = [
      routine.volatility !== 'volatile' && routine.volatility.toUpperCase(),
      routine.strict && 'STRICT',
      routine.leakproof && 'LEAKPROOF',
      routine.parallel !== 'unsafe' && `PARALLEL ${routine.parallel.toUpperCase()}`,
      routine.cost !== undefined && `COST ${routine.cost}`,
      routine.rows !== undefined && `ROWS ${routine.rows}`,
    ].filter((trait): trait is string => trait !== false)
    if (traits.length > 0) lines.push(` ${traits.join(' ')}`)
  }
  if (routine.securityDefiner) lines.push(' SECURITY DEFINER')
  for (const setting of routine.settings)
    lines.push(` SET ${settingSql(setting.name, setting.value)}`)
  lines.push(routine.atomic ? routine.body : `AS ${dollarQuote(routine.body)}`)
  const statements: string[] = []
  if (routine.language === 'sql' && !routine.atomic) {
    statements.push('SET LOCAL check_function_bodies = off')
  }
  statements.push(lines.join('\n'))
  const target = `${name}${argumentTypes(signatureOf(routine.parameters), false)}`
  if (replace) statements.push(commentOn(what, target, routine.comment ?? null))
  else if (routine.comment !== undefined) statements.push(commentOn(what, target, routine.comment))
  return statements
}

/** `CREATE AGGREGATE name(types) (SFUNC = ..., STYPE = ..., ...)`, then its comment. */
function createAggregate(aggregate: AggregateDef): readonly string[] {
  const name = quoteQualified(aggregate.schema, aggregate.name)
  const parameters =
    aggregate.parameters.length === 0
      ? '(*)'
      : `(${aggregate.parameters.map(parameterSql).join(', ')})`
  const options = [
    `SFUNC = ${functionName(aggregate.stateFunction)}`,
    `STYPE = ${aggregate.stateType}`,
    aggregate.finalFunction !== undefined && `FINALFUNC = ${functionName(aggregate.finalFunction)}`,
    aggregate.combineFunction !== undefined &&
      `COMBINEFUNC = ${functionName(aggregate.combineFunction)}`,
    aggregate.initialCondition !== undefined &&
      `INITCOND = ${quoteString(aggregate.initialCondition)}`,
    aggregate.parallel !== 'unsafe' && `PARALLEL = ${aggregate.parallel.toUpperCase()}`,
  ].filter((option): option is string => option !== false)
  const statements = [`CREATE AGGREGATE ${name}${parameters} (\n  ${options.join(',\n  ')}\n)`]
  if (aggregate.comment !== undefined) {
    const target = `${name}${argumentTypes(signatureOf(aggregate.parameters), true)}`
    statements.push(commentOn('AGGREGATE', target, aggregate.comment))
  }
  return statements
}

/** `CREATE TRIGGER name timing events ON table [REFERENCING ...] FOR EACH ... [WHEN (...)] ...`. */
function createTrigger(trigger: TriggerDef): string {
  if (trigger.events.length === 0) {
    throw new InvalidOperationError(`trigger ${trigger.name} has no events`)
  }
  const events = trigger.events
    .map((event) =>
      event === 'update' && trigger.updateOf.length > 0
        ? `UPDATE OF ${trigger.updateOf.map(quoteIdentifier).join(', ')}`
        : event.toUpperCase(),
    )
    .join(' OR ')
  const referencing = [
    trigger.oldTable !== undefined && `OLD TABLE AS ${quoteIdentifier(trigger.oldTable)}`,
    trigger.newTable !== undefined && `NEW TABLE AS ${quoteIdentifier(trigger.newTable)}`,
  ].filter((part): part is string => part !== false)
  return words(
    `CREATE TRIGGER ${quoteIdentifier(trigger.name)} ${trigger.timing.toUpperCase()} ${events}`,
    `ON ${quoteQualified(trigger.schema, trigger.table)}`,
    referencing.length > 0 && `REFERENCING ${referencing.join(' ')}`,
    `FOR EACH ${trigger.forEach.toUpperCase()}`,
    trigger.when !== undefined && `WHEN (${trigger.when})`,
    `EXECUTE FUNCTION ${functionName(trigger.function)}(${trigger.arguments.map(quoteString).join(', ')})`,
  )
}

/** `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (...)] EXECUTE FUNCTION f()`. */
function createEventTrigger(trigger: EventTriggerDef): string {
  return words(
    `CREATE EVENT TRIGGER ${quoteIdentifier(trigger.name)} ON ${quoteIdentifier(trigger.event)}`,
    trigger.tags.length > 0 && `WHEN TAG IN (${trigger.tags.map(quoteString).join(', ')})`,
    `EXECUTE FUNCTION ${functionName(trigger.function)}()`,
  )
}

/** `[OUT |INOUT |VARIADIC ][name ]type[ DEFAULT expression]`. */
function parameterSql(parameter: FunctionParameterDef): string {
  return words(
    parameter.mode !== 'in' && parameter.mode.toUpperCase(),
    parameter.name !== undefined && quoteIdentifier(parameter.name),
    parameter.type,
    parameter.default !== undefined && `DEFAULT ${parameter.default}`,
  )
}

/** `(type, type)` identifying a routine; `(*)` for an aggregate without arguments. */
function argumentTypes(types: readonly string[], aggregate: boolean): string {
  return types.length === 0 && aggregate ? '(*)' : `(${types.join(', ')})`
}

/** `name = value`: a list setting as stored, anything else as a string constant. */
function settingSql(name: string, value: string): string {
  return `${quoteIdentifier(name)} = ${LIST_SETTINGS.has(name) ? value : quoteString(value)}`
}

function functionName(ref: FunctionRef): string {
  return quoteQualified(ref.schema, ref.name)
}

function viewName(view: ViewDef): string {
  return quoteQualified(view.schema, view.name)
}

function commentOn(what: string, target: string, comment: string | null): string {
  return `COMMENT ON ${what} ${target} IS ${comment === null ? 'NULL' : quoteString(comment)}`
}

/**
 * The body between dollar quotes whose tag does not occur in it, `$function$` first as pg_dump
 * writes it (manual, 4.1.2.4 "Dollar-Quoted String Constants").
 */
function dollarQuote(body: string): string {
  let tag = '$function$'
  // The first occurrence of the tag must be the closing one.
  for (let n = 1; `${body}${tag}`.indexOf(tag) < body.length; n++) tag = `$aludel_${n}$`
  return `${tag}${body}${tag}`
}
