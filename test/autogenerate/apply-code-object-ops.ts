import type { CodeObjectOp } from '../../src/operations/migration-op.ts'
import { signatureOf } from '../../src/operations/reverse-code-objects.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  IndexDef,
  SchemaSnapshot,
  TriggerDef,
  ViewDef,
} from '../../src/schema/schema-snapshot.ts'

/**
 * The views, functions, aggregates, triggers and event triggers of the op simulator
 * (`applyOps`), refusing what PostgreSQL would refuse: a second object of one name (or
 * signature), a missing one, dropping what a view, trigger or aggregate still uses, a trigger on
 * a table or view that is not there, and a drop or replacement whose definition is not what is
 * there. Views depend on what their `dependsOn` lists (database snapshots) or, when it is empty,
 * on the relations their query names.
 */
export class CodeObjectState {
  readonly views: ViewDef[]
  readonly functions: FunctionDef[]
  readonly aggregates: AggregateDef[]
  readonly triggers: TriggerDef[]
  readonly eventTriggers: EventTriggerDef[]

  constructor(start: SchemaSnapshot) {
    this.views = [...start.views]
    this.functions = [...start.functions]
    this.aggregates = [...start.aggregates]
    this.triggers = [...start.triggers]
    this.eventTriggers = [...start.eventTriggers]
  }

  snapshot(): Pick<
    SchemaSnapshot,
    'views' | 'functions' | 'aggregates' | 'triggers' | 'eventTriggers'
  > {
    return {
      views: [...this.views],
      functions: [...this.functions],
      aggregates: [...this.aggregates],
      triggers: [...this.triggers],
      eventTriggers: [...this.eventTriggers],
    }
  }

  /** A view (or materialized view) of that name. */
  view(schema: string | undefined, name: string): ViewDef | undefined {
    return this.views.find((v) => v.schema === schema && v.name === name)
  }

  /** Refuses to drop (or change the type of) what a view reads: a relation, or one column. */
  requireUnused(
    schema: string | undefined,
    name: string,
    column: string | undefined,
    fail: (m: string) => never,
  ): void {
    for (const view of this.views) {
      if (view.schema === schema && view.name === name) continue
      if (readsRelation(view, schema, name, column)) {
        fail(`view ${view.name} depends on ${name}${column === undefined ? '' : `.${column}`}`)
      }
    }
  }

  /** Triggers and what views read follow a table's new name. */
  renameTable(schema: string | undefined, from: string, to: string): void {
    this.triggers.forEach((t, i) => {
      if (t.schema === schema && t.table === from) this.triggers[i] = { ...t, table: to }
    })
    this.views.forEach((v, i) => {
      this.views[i] = {
        ...v,
        dependsOn: v.dependsOn.map((d) =>
          d.schema === schema && d.name === from ? { ...d, name: to } : d,
        ),
      }
    })
  }

  /** `UPDATE OF` lists follow a column's new name. */
  renameColumn(schema: string | undefined, table: string, from: string, to: string): void {
    this.triggers.forEach((t, i) => {
      if (t.schema === schema && t.table === table) {
        this.triggers[i] = { ...t, updateOf: t.updateOf.map((c) => (c === from ? to : c)) }
      }
    })
  }

  /** Triggers go with their table. */
  dropTriggersOn(schema: string | undefined, table: string): void {
    for (const t of [...this.triggers]) {
      if (t.schema === schema && t.table === table)
        this.triggers.splice(this.triggers.indexOf(t), 1)
    }
  }

  /** Applies one operation on a code object; `relationTaken` tells whether a name is in use. */
  apply(
    op: CodeObjectOp,
    relationExists: (schema: string | undefined, name: string) => boolean,
    fail: (m: string) => never,
  ): void {
    switch (op.kind) {
      case 'createView':
      case 'createMaterializedView': {
        const v = op.view
        if (relationExists(v.schema, v.name) || this.view(v.schema, v.name)) {
          fail(`relation ${v.name} exists`)
        }
        this.views.push(v)
        return
      }
      case 'dropView':
      case 'dropMaterializedView': {
        const v = this.view(op.schema, op.name)
        if (v === undefined) {
          if (op.ifExists) return
          fail(`no view ${op.name}`)
        }
        if (v.materialized !== (op.kind === 'dropMaterializedView'))
          fail(`${op.name} is of another kind`)
        this.requireUnused(op.schema, op.name, undefined, fail)
        if (op.definition !== undefined && !sameView(op.definition, v)) {
          fail(`definition ${JSON.stringify(op.definition)} but it is ${JSON.stringify(v)}`)
        }
        this.views.splice(this.views.indexOf(v), 1)
        this.dropTriggersOn(op.schema, op.name)
        return
      }
      case 'replaceView': {
        const v = this.view(op.view.schema, op.view.name) ?? fail(`no view ${op.view.name}`)
        if (v.materialized) {
          // Only the comment of a materialized view can be replaced.
          if (op.previous !== undefined && (op.previous.comment ?? null) !== (v.comment ?? null)) {
            fail('previous comment differs')
          }
          this.views[this.views.indexOf(v)] = { ...v, comment: op.view.comment }
          return
        }
        if (op.previous !== undefined && !sameView(op.previous, v)) fail('previous view differs')
        this.views[this.views.indexOf(v)] = op.view
        return
      }
      case 'refreshMaterializedView': {
        const v = this.view(op.schema, op.name)
        if (v === undefined || !v.materialized) fail(`no materialized view ${op.name}`)
        return
      }
      case 'createFunction':
      case 'createProcedure': {
        const def = op.kind === 'createFunction' ? op.function : op.procedure
        if (this.findRoutine(def.schema, def.name, signatureOf(def.parameters))) {
          fail(`function ${def.name} exists`)
        }
        this.functions.push(def)
        return
      }
      case 'replaceFunction':
      case 'replaceProcedure': {
        const def = op.kind === 'replaceFunction' ? op.function : op.procedure
        const known =
          this.findRoutine(def.schema, def.name, signatureOf(def.parameters)) ??
          fail(`no function ${def.name}`)
        if (known.returns !== def.returns) fail('cannot change the return type')
        if (op.previous !== undefined && JSON.stringify(op.previous) !== JSON.stringify(known)) {
          fail('previous function differs')
        }
        this.functions[this.functions.indexOf(known)] = def
        return
      }
      case 'dropFunction':
      case 'dropProcedure': {
        const known = this.findRoutine(op.schema, op.name, op.parameters)
        if (known === undefined) {
          if (op.ifExists) return
          fail(`no function ${op.name}`)
        }
        const ref = { schema: op.schema, name: op.name }
        for (const t of this.triggers) {
          if (sameRef(t.function, ref)) fail(`trigger ${t.name} uses ${op.name}`)
        }
        for (const e of this.eventTriggers) {
          if (sameRef(e.function, ref)) fail(`event trigger ${e.name} uses ${op.name}`)
        }
        for (const a of this.aggregates) {
          if (
            [a.stateFunction, a.finalFunction, a.combineFunction].some((f) => f && sameRef(f, ref))
          ) {
            fail(`aggregate ${a.name} uses ${op.name}`)
          }
        }
        this.requireUnused(op.schema, op.name, undefined, fail)
        if (
          op.definition !== undefined &&
          JSON.stringify(op.definition) !== JSON.stringify(known)
        ) {
          fail('definition differs')
        }
        this.functions.splice(this.functions.indexOf(known), 1)
        return
      }
      case 'createAggregate': {
        const def = op.aggregate
        if (this.findAggregate(def.schema, def.name, signatureOf(def.parameters))) {
          fail(`aggregate ${def.name} exists`)
        }
        this.aggregates.push(def)
        return
      }
      case 'dropAggregate': {
        const known = this.findAggregate(op.schema, op.name, op.parameters)
        if (known === undefined) {
          if (op.ifExists) return
          fail(`no aggregate ${op.name}`)
        }
        this.requireUnused(op.schema, op.name, undefined, fail)
        if (
          op.definition !== undefined &&
          JSON.stringify(op.definition) !== JSON.stringify(known)
        ) {
          fail('definition differs')
        }
        this.aggregates.splice(this.aggregates.indexOf(known), 1)
        return
      }
      case 'createTrigger': {
        const t = op.trigger
        if (!relationExists(t.schema, t.table) && !this.view(t.schema, t.table)) {
          fail(`no table or view ${t.table}`)
        }
        if (
          this.triggers.some(
            (x) => x.schema === t.schema && x.table === t.table && x.name === t.name,
          )
        ) {
          fail(`trigger ${t.name} exists`)
        }
        const fn = this.functions.find((f) => sameRef(f, t.function))
        if (fn === undefined && this.functions.some((f) => f.name === t.function.name)) {
          fail(`function ${t.function.name} is in another schema`)
        }
        this.triggers.push(t)
        return
      }
      case 'dropTrigger': {
        const known = this.triggers.find(
          (x) => x.schema === op.schema && x.table === op.table && x.name === op.name,
        )
        if (known === undefined) {
          if (op.ifExists) return
          fail(`no trigger ${op.name} on ${op.table}`)
        }
        if (
          op.definition !== undefined &&
          JSON.stringify(op.definition) !== JSON.stringify(known)
        ) {
          fail('definition differs')
        }
        this.triggers.splice(this.triggers.indexOf(known), 1)
        return
      }
      case 'createEventTrigger':
        if (this.eventTriggers.some((e) => e.name === op.eventTrigger.name))
          fail('event trigger exists')
        this.eventTriggers.push(op.eventTrigger)
        return
      case 'dropEventTrigger': {
        const known = this.eventTriggers.find((e) => e.name === op.name)
        if (known === undefined) {
          if (op.ifExists) return
          fail(`no event trigger ${op.name}`)
        }
        this.eventTriggers.splice(this.eventTriggers.indexOf(known), 1)
        return
      }
    }
  }

  /** Adds an index to a materialized view, or says there is no such view. */
  addIndex(schema: string | undefined, name: string, index: IndexDef): boolean {
    const v = this.view(schema, name)
    if (v === undefined || !v.materialized) return false
    this.views[this.views.indexOf(v)] = { ...v, indexes: [...v.indexes, index] }
    return true
  }

  /** Drops an index of a materialized view; false when no such index. */
  dropIndex(schema: string | undefined, name: string): boolean {
    for (const v of this.views) {
      if (v.schema !== schema || !v.indexes.some((i) => i.name === name)) continue
      this.views[this.views.indexOf(v)] = {
        ...v,
        indexes: v.indexes.filter((i) => i.name !== name),
      }
      return true
    }
    return false
  }

  private findRoutine(
    schema: string | undefined,
    name: string,
    types: readonly string[] | undefined,
  ): FunctionDef | undefined {
    return this.functions.find(
      (f) =>
        f.schema === schema &&
        f.name === name &&
        (types === undefined || signatureOf(f.parameters).join() === types.join()),
    )
  }

  private findAggregate(
    schema: string | undefined,
    name: string,
    types: readonly string[] | undefined,
  ): AggregateDef | undefined {
    return this.aggregates.find(
      (a) =>
        a.schema === schema &&
        a.name === name &&
        (types === undefined || signatureOf(a.parameters).join() === types.join()),
    )
  }
}

function sameRef(
  a: { readonly schema: string | undefined; readonly name: string },
  b: { readonly schema: string | undefined; readonly name: string },
): boolean {
  return a.schema === b.schema && a.name === b.name
}

/** Views compare without what only the database knows. */
function sameView(a: ViewDef, b: ViewDef): boolean {
  const strip = (v: ViewDef) => JSON.stringify({ ...v, columns: [], dependsOn: [], withData: true })
  return strip(a) === strip(b)
}

function readsRelation(
  view: ViewDef,
  schema: string | undefined,
  name: string,
  column: string | undefined,
): boolean {
  if (view.dependsOn.length > 0) {
    return view.dependsOn.some(
      (d) =>
        d.schema === schema &&
        d.name === name &&
        (column === undefined || d.columns.length === 0 || d.columns.includes(column)),
    )
  }
  const words = view.definition.toLowerCase().split(/[^a-z0-9_$]+/)
  return words.includes(name.toLowerCase())
}
