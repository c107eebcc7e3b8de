/**
 * Rewrites the views, functions, procedures, aggregates and trigger conditions of a snapshot the
 * way PostgreSQL prints them back, by creating temporary copies of them inside a transaction
 * that is always rolled back, and reading those with the catalog reader introspection uses.
 */
import type {
  AggregateDef,
  FunctionDef,
  IndexDef,
  ObjectDependency,
  SchemaSnapshot,
  TriggerDef,
  ViewDef,
} from '../../schema/schema-snapshot.ts'
import type { Connection } from '../connection.ts'
import type { PostgresCatalogReader } from './postgres-catalog-reader.ts'
import { codeObjectDdl } from './postgres-code-object-ddl.ts'
import type { CodeObjectLists } from './postgres-code-object-reader.ts'
import { createIndexSql } from './postgres-ddl-fragments.ts'
import { quoteQualified, quoteString } from './postgres-quoting.ts'

/** Prefix of every temporary object made here (the table normalizer's is `aludel_norm_`). */
const PREFIX = 'aludel_code_'

/** One statement, and the slot whose spelling it yields (0: none of its own). */
interface Step {
  readonly id: number
  readonly sql: string
}

/**
 * The snapshot with
 *
 * - every view's query as `pg_get_viewdef` prints it, its output columns and what it reads
 *   (`pg_depend`), from a temporary view of the same query (a materialized view's query too, and
 *   its indexes from a temporary table of the query's columns);
 * - every function's and procedure's parameters, result, options and SQL-standard body as the
 *   catalogs hold them, from a temporary copy in `pg_temp` (created with
 *   `check_function_bodies` off, so that a body may name what does not exist yet);
 * - every aggregate's parameters, state type and functions, from a temporary copy;
 * - every trigger condition as `pg_get_triggerdef` prints it, from a copy of the trigger on a
 *   temporary table `LIKE` its own, calling a stand-in function.
 *
 * What PostgreSQL refuses (a view of a table that does not exist yet) keeps the model's
 * spelling. Three round trips when there is anything to spell (the script, the reads, the
 * rollback), none otherwise. The caller must not hold a transaction on `connection`.
 */
export async function normalizeCodeObjects(
  connection: Connection,
  reader: PostgresCatalogReader,
  snapshot: SchemaSnapshot,
): Promise<SchemaSnapshot> {
  const steps: Step[] = []
  let id = 0
  const viewSlots = snapshot.views.map((view) => {
    const slot = ++id
    steps.push({
      id: slot,
      sql: `CREATE TEMPORARY VIEW ${PREFIX}v${slot} AS\n${view.definition}`,
    })
    if (view.materialized && view.indexes.length > 0) {
      steps.push({
        id: slot,
        sql: `CREATE TEMPORARY TABLE ${PREFIX}m${slot} AS\n${view.definition}\nWITH NO DATA`,
      })
      view.indexes.forEach((index, k) => {
        steps.push({
          id: slot,
          sql: createIndexSql(
            'pg_temp',
            `${PREFIX}m${slot}`,
            { ...index, name: `${PREFIX}m${slot}_i${k}` },
            { concurrently: false, ifNotExists: false },
          ),
        })
      })
    }
    return slot
  })
  const functionSlots = snapshot.functions.map((fn) => {
    const slot = ++id
    const copy: FunctionDef = { ...fn, schema: 'pg_temp', name: `${PREFIX}f${slot}` }
    const op =
      fn.kind === 'function'
        ? ({ kind: 'createFunction', function: copy } as const)
        : ({ kind: 'createProcedure', procedure: copy } as const)
    for (const sql of codeObjectDdl(op)) {
      if (!sql.startsWith('SET LOCAL')) steps.push({ id: slot, sql })
    }
    return slot
  })
  const aggregateSlots = snapshot.aggregates.map((aggregate) => {
    const slot = ++id
    const copy: AggregateDef = { ...aggregate, schema: 'pg_temp', name: `${PREFIX}a${slot}` }
    for (const sql of codeObjectDdl({ kind: 'createAggregate', aggregate: copy })) {
      steps.push({ id: slot, sql })
    }
    return slot
  })
  const stub = `pg_temp.${PREFIX}trigger_stub`
  const triggerSlots = snapshot.triggers.map((trigger) => {
    if (trigger.when === undefined) return undefined
    const slot = ++id
    const table = `${PREFIX}t${slot}`
    steps.push({
      id: slot,
      sql: `CREATE TEMPORARY TABLE ${table} (LIKE ${quoteQualified(trigger.schema, trigger.table)})`,
    })
    const copy: TriggerDef = {
      ...trigger,
      schema: 'pg_temp',
      table,
      function: { schema: 'pg_temp', name: `${PREFIX}trigger_stub` },
      arguments: [],
    }
    for (const sql of codeObjectDdl({ kind: 'createTrigger', trigger: copy })) {
      steps.push({ id: slot, sql })
    }
    return slot
  })
  if (steps.length === 0) return snapshot

  // Each statement runs in a block of its own, a subtransaction whose failure is recorded
  // instead of ending the script (manual, 41.6.8 "Trapping Errors").
  const blocks = steps.map(
    (s) =>
      `  BEGIN EXECUTE ${quoteString(s.sql)};\n  EXCEPTION WHEN OTHERS THEN INSERT INTO pg_temp.${PREFIX}failed VALUES (${s.id});\n  END;`,
  )
  const script = [
    'BEGIN',
    'SET LOCAL check_function_bodies = off',
    `CREATE TEMPORARY TABLE ${PREFIX}failed (id integer)`,
    `CREATE FUNCTION ${stub}() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`,
    doBlock(`BEGIN\n${blocks.join('\n')}\nEND`),
  ]
  let read: CodeObjectLists
  let failed: Set<number>
  try {
    await connection.execute(script.map((s) => `${s};`).join('\n'))
    failed = new Set(
      (await connection.query<{ id: number }>(`SELECT id FROM pg_temp.${PREFIX}failed`)).rows.map(
        (r) => r.id,
      ),
    )
    const tables = (
      await connection.query<{ oid: number }>(
        `SELECT c.oid FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r' AND c.relname LIKE '${PREFIX}t%'`,
      )
    ).rows.map((r) => Number(r.oid))
    read = await reader.readCodeObjects(
      connection,
      { kind: 'temp' },
      { defaultSchema: 'public', excludeTables: new Set(), tables: new Set(tables) },
    )
    const matviewTables = await reader.read(
      connection,
      { kind: 'temp' },
      { defaultSchema: 'public', excludeTables: new Set(), enums: false },
    )
    read = { ...read, views: [...read.views, ...matviewIndexHolders(matviewTables.tables)] }
  } finally {
    await connection.execute('ROLLBACK').catch(() => undefined)
  }

  const found = <T extends { readonly name: string }>(
    list: readonly T[],
    name: string,
    slot: number,
  ): T | undefined => (failed.has(slot) ? undefined : list.find((x) => x.name === name))

  const views = snapshot.views.map((view, i): ViewDef => {
    const slot = viewSlots[i]!
    const copy = found(read.views, `${PREFIX}v${slot}`, slot)
    if (copy === undefined) return view
    const holder = read.views.find((x) => x.name === `${PREFIX}m${slot}`)
    const indexes =
      holder === undefined
        ? view.indexes
        : view.indexes.map((index, k): IndexDef => {
            const printed = holder.indexes.find((x) => x.name === `${PREFIX}m${slot}_i${k}`)
            return printed === undefined || printed.elements.length !== index.elements.length
              ? index
              : { ...index, elements: printed.elements, where: printed.where }
          })
    return {
      ...view,
      definition: copy.definition,
      indexes,
      columns: copy.columns,
      dependsOn: mergeDependencies(view.dependsOn, copy.dependsOn),
    }
  })
  const functions = snapshot.functions.map((fn, i): FunctionDef => {
    const slot = functionSlots[i]!
    const copy = found(read.functions, `${PREFIX}f${slot}`, slot)
    return copy === undefined
      ? fn
      : { ...copy, schema: fn.schema, name: fn.name, comment: fn.comment }
  })
  const aggregates = snapshot.aggregates.map((aggregate, i): AggregateDef => {
    const slot = aggregateSlots[i]!
    const copy = found(read.aggregates, `${PREFIX}a${slot}`, slot)
    return copy === undefined
      ? aggregate
      : {
          ...copy,
          schema: aggregate.schema,
          name: aggregate.name,
          comment: aggregate.comment,
        }
  })
  const triggers = snapshot.triggers.map((trigger, i): TriggerDef => {
    const slot = triggerSlots[i]
    if (slot === undefined || failed.has(slot)) return trigger
    const copy = read.triggers.find((x) => x.table === `${PREFIX}t${slot}`)
    return copy === undefined ? trigger : { ...trigger, when: copy.when }
  })
  return { ...snapshot, views, functions, aggregates, triggers }
}

/**
 * The temporary tables that hold materialized views' index copies, as views carrying those
 * indexes, so that they are found by name like the rest.
 */
function matviewIndexHolders(tables: SchemaSnapshot['tables']): readonly ViewDef[] {
  return tables
    .filter((t) => t.name.startsWith(`${PREFIX}m`))
    .map((t) => ({
      schema: undefined,
      name: t.name,
      materialized: true,
      definition: '',
      checkOption: undefined,
      securityBarrier: false,
      securityInvoker: false,
      withData: false,
      indexes: t.indexes,
      comment: undefined,
      columns: [],
      dependsOn: [],
    }))
}

/** The model's declared dependencies, then those PostgreSQL found, once each. */
function mergeDependencies(
  declared: readonly ObjectDependency[],
  found: readonly ObjectDependency[],
): readonly ObjectDependency[] {
  const key = (d: ObjectDependency) => JSON.stringify([d.schema ?? null, d.name])
  const known = new Set(declared.map(key))
  return [...declared, ...found.filter((d) => !known.has(key(d)))]
}

/**
 * `DO $tag$ body $tag$` with a tag that does not occur in the body (manual, 4.1.2.4
 * "Dollar-Quoted String Constants").
 */
function doBlock(body: string): string {
  let tag = '$aludel_code$'
  for (let n = 1; body.includes(tag); n++) tag = `$aludel_code_${n}$`
  return `DO ${tag}\n${body}\n${tag}`
}
