import type { FunctionRef, ObjectDependency, SchemaSnapshot } from '../schema/schema-snapshot.ts'

/**
 * The snapshot with the default schema spelled `undefined` in its views (and what they depend
 * on), functions, aggregates (and the functions they call), triggers (their tables and
 * functions) and event triggers' functions, as `foldDefaultSchema` does for tables. Returns the
 * same object when nothing mentions the default schema.
 */
export function foldCodeObjects(snapshot: SchemaSnapshot, defaultSchema: string): SchemaSnapshot {
  const is = (schema: string | undefined) => schema === defaultSchema
  const mentions =
    snapshot.views.some((v) => is(v.schema) || v.dependsOn.some((d) => is(d.schema))) ||
    snapshot.functions.some((f) => is(f.schema)) ||
    snapshot.aggregates.some(
      (a) =>
        is(a.schema) ||
        is(a.stateFunction.schema) ||
        is(a.finalFunction?.schema) ||
        is(a.combineFunction?.schema),
    ) ||
    snapshot.triggers.some((t) => is(t.schema) || is(t.function.schema)) ||
    snapshot.eventTriggers.some((e) => is(e.function.schema))
  if (!mentions) return snapshot
  const fold = (schema: string | undefined) => (is(schema) ? undefined : schema)
  const ref = (r: FunctionRef): FunctionRef => ({ ...r, schema: fold(r.schema) })
  const dependency = (d: ObjectDependency): ObjectDependency => ({ ...d, schema: fold(d.schema) })
  return {
    ...snapshot,
    views: snapshot.views.map((v) => ({
      ...v,
      schema: fold(v.schema),
      dependsOn: v.dependsOn.map(dependency),
    })),
    functions: snapshot.functions.map((f) => ({ ...f, schema: fold(f.schema) })),
    aggregates: snapshot.aggregates.map((a) => ({
      ...a,
      schema: fold(a.schema),
      stateFunction: ref(a.stateFunction),
      finalFunction: a.finalFunction === undefined ? undefined : ref(a.finalFunction),
      combineFunction: a.combineFunction === undefined ? undefined : ref(a.combineFunction),
    })),
    triggers: snapshot.triggers.map((t) => ({
      ...t,
      schema: fold(t.schema),
      function: ref(t.function),
    })),
    eventTriggers: snapshot.eventTriggers.map((e) => ({ ...e, function: ref(e.function) })),
  }
}
