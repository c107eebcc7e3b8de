import { compareRoutines } from '../schema/code-objects.ts'
import type {
  FunctionDef,
  FunctionRef,
  SchemaSnapshot,
  TableDef,
  TriggerDef,
} from '../schema/schema-snapshot.ts'
import {
  aggregateDeclaration,
  type CodeObjectNames,
  eventTriggerDeclaration,
  functionDeclaration,
  MIGRATION_NAMES,
  triggerDeclaration,
  viewDeclaration,
} from './render-code-objects.ts'
import type { RenderContext } from './render-context.ts'
import { concat, type Doc, printDoc } from './render-layout.ts'
import { camelCase, type IdentifierPool } from './render-names.ts'

/** The code objects of a models module: their constants, declarations and entries. */
export interface ModelCodeObjects {
  /** The declarations that go before the tables: functions, then aggregates. */
  before(ctx: RenderContext): readonly (readonly string[])[]
  /** The declarations that go after the tables: views (what they read first), then triggers. */
  after(ctx: RenderContext): readonly (readonly string[])[]
  /** The constants, for `defineSchema({ ... })`. */
  readonly entries: readonly string[]
}

/**
 * Names the views, functions, procedures, aggregates, triggers and event triggers of `snapshot`
 * in `pool` and writes their declarations: a trigger names its table's (or view's) constant as
 * `on`, and a trigger or aggregate the constant of a function the module declares.
 */
export function modelCodeObjects(
  snapshot: SchemaSnapshot,
  pool: IdentifierPool,
  tableConstant: (table: TableDef) => string,
): ModelCodeObjects {
  const claim = (schema: string | undefined, name: string, suffix: string) => {
    const camel = camelCase(name) || suffix.toLowerCase()
    return pool.claim(
      schema === undefined
        ? [camel, `${camel}${suffix}`]
        : [camel, camelCase(`${schema}_${name}`), `${camel}${suffix}`],
    )
  }
  // Aggregates first: their state functions are often named after them (`_group_concat`).
  const aggregateNames = snapshot.aggregates.map((a) => claim(a.schema, a.name, 'Aggregate'))
  const functions = [...snapshot.functions].sort(compareRoutines)
  const functionNames = new Map<FunctionDef, string>()
  for (const fn of functions) {
    functionNames.set(
      fn,
      claim(fn.schema, fn.name, fn.kind === 'function' ? 'Function' : 'Procedure'),
    )
  }
  const views = viewOrder(snapshot)
  const viewNames = views.map((v) => claim(v.schema, v.name, 'View'))
  const triggerNames = snapshot.triggers.map((t) =>
    claim(undefined, `${t.table}_${t.name}`, 'Trigger'),
  )
  const eventTriggerNames = snapshot.eventTriggers.map((e) =>
    claim(undefined, e.name, 'EventTrigger'),
  )

  const names: CodeObjectNames = {
    functionRef: (ref: FunctionRef): Doc => {
      // Only an unambiguous name: an overloaded one is called by its name.
      const matches = functions.filter((f) => f.schema === ref.schema && f.name === ref.name)
      return matches.length === 1
        ? functionNames.get(matches[0]!)!
        : MIGRATION_NAMES.functionRef(ref)
    },
    triggerTarget: (trigger: TriggerDef) => {
      const table = snapshot.tables.find(
        (t) => t.schema === trigger.schema && t.name === trigger.table,
      )
      if (table !== undefined) return { on: tableConstant(table), schema: false }
      const i = views.findIndex((v) => v.schema === trigger.schema && v.name === trigger.table)
      if (i >= 0) return { on: viewNames[i]!, schema: false }
      return MIGRATION_NAMES.triggerTarget(trigger)
    },
  }
  const declare = (name: string, doc: Doc) =>
    printDoc(concat(`export const ${name} = `, doc), 0).split('\n')

  return {
    before: (ctx) => {
      const blocks: string[][] = []
      const fns = functions.map((fn) =>
        declare(functionNames.get(fn)!, functionDeclaration(fn, ctx)),
      )
      if (fns.length > 0) blocks.push(fns.flat())
      const aggregates = snapshot.aggregates.map((a, i) =>
        declare(aggregateNames[i]!, aggregateDeclaration(a, ctx, names)),
      )
      if (aggregates.length > 0) blocks.push(aggregates.flat())
      return blocks
    },
    after: (ctx) => {
      const blocks: string[][] = []
      const declared = views.map((v, i) => declare(viewNames[i]!, viewDeclaration(v, ctx)))
      if (declared.length > 0) blocks.push(declared.flat())
      const triggers = [
        ...snapshot.triggers.map((t, i) =>
          declare(triggerNames[i]!, triggerDeclaration(t, ctx, names)),
        ),
        ...snapshot.eventTriggers.map((e, i) =>
          declare(eventTriggerNames[i]!, eventTriggerDeclaration(e, ctx, names)),
        ),
      ]
      if (triggers.length > 0) blocks.push(triggers.flat())
      return blocks
    },
    entries: [
      ...functions.map((fn) => functionNames.get(fn)!),
      ...aggregateNames,
      ...viewNames,
      ...triggerNames,
      ...eventTriggerNames,
    ],
  }
}

/** The views, each after those it reads (as the database recorded it), ties by name. */
function viewOrder(snapshot: SchemaSnapshot): SchemaSnapshot['views'] {
  const key = (schema: string | undefined, name: string) => JSON.stringify([schema ?? null, name])
  const byKey = new Map(snapshot.views.map((v) => [key(v.schema, v.name), v]))
  const out: SchemaSnapshot['views'][number][] = []
  const seen = new Set<string>()
  const visit = (k: string): void => {
    if (seen.has(k)) return
    seen.add(k)
    const view = byKey.get(k)!
    for (const dep of view.dependsOn) {
      const d = key(dep.schema, dep.name)
      if (byKey.has(d)) visit(d)
    }
    out.push(view)
  }
  for (const k of byKey.keys()) visit(k)
  return out
}
