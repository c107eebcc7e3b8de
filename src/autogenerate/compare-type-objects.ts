import type { Comparator, HintSql } from '../dialect/comparator.ts'
import type { DomainChanges, MigrationOp } from '../operations/migration-op.ts'
import { describeType } from '../schema/column-builder.ts'
import { nameKey, quoteQualifiedName } from '../schema/quote-identifier.ts'
import type {
  ColumnType,
  CompositeTypeDef,
  DomainDef,
  SchemaSnapshot,
} from '../schema/schema-snapshot.ts'
import type { ManualStep } from './compare-result.ts'
import { checksEqual } from './definition-equivalence.ts'
import { executeLine } from './manual-step-hints.ts'
import { tableId, tableKey } from './object-keys.ts'
import {
  type PartialResult,
  Phase,
  type PlannedChange,
  type PlannedManualStep,
  plan,
} from './planned-change.ts'

type TypeObject =
  | { readonly kind: 'domain'; readonly def: DomainDef }
  | { readonly kind: 'composite'; readonly def: CompositeTypeDef }

/**
 * Compares domains and composite types. New ones are created after enums and before the tables
 * that use them (phase 2.4), each after the domains and composite types it is made of; vanished
 * ones are dropped after the tables (phase 12.7), users first. A domain's default, NOT NULL and
 * checks change in place (`alterDomain`; a changed check is dropped and added again). What
 * PostgreSQL cannot change in place — a domain's base type, a composite type's attributes —
 * becomes a manual step with a sketch of the SQL.
 *
 * @param normalized the models with expressions in the database's spelling (same order), when
 *   known; defaults and checks compare through it
 */
export function compareTypeObjects(
  models: SchemaSnapshot,
  normalized: SchemaSnapshot | undefined,
  database: SchemaSnapshot,
  comparator: Comparator,
): PartialResult {
  const changes: PlannedChange[] = []
  const manual: PlannedManualStep[] = []
  const modelObjects = typeObjects(models)
  const databaseObjects = typeObjects(database)
  const modelDepth = depths(modelObjects)
  const databaseDepth = depths(databaseObjects)
  const found = new Map(databaseObjects.map((o) => [objectId(o), o]))
  const wanted = new Set(modelObjects.map(objectId))
  const twin = (d: DomainDef): DomainDef =>
    normalized?.domains.find((n) => n.schema === d.schema && n.name === d.name) ?? d

  for (const object of modelObjects) {
    const { schema, name } = object.def
    const key = [modelDepth.get(objectId(object)) ?? 0, schema ?? '', name]
    const existing = found.get(objectId(object))
    if (existing === undefined || existing.kind !== object.kind) {
      if (existing !== undefined) {
        manual.push({ key, step: kindChangeStep(existing, object) })
        continue
      }
      const op: MigrationOp =
        object.kind === 'domain'
          ? { kind: 'createDomain', domain: object.def }
          : { kind: 'createCompositeType', type: object.def }
      changes.push(plan(Phase.createType, key, op))
      continue
    }
    if (object.kind === 'domain' && existing.kind === 'domain') {
      const result = compareDomain(object.def, twin(object.def), existing.def, comparator)
      if (result.step !== undefined) manual.push({ key, step: result.step })
      if (result.changes !== undefined) {
        const op: MigrationOp = { kind: 'alterDomain', schema, name, changes: result.changes }
        changes.push(
          plan(Phase.createType, key, op, [nestedWarning(result.changes, object, models)]),
        )
      }
    } else if (object.kind === 'composite' && existing.kind === 'composite') {
      const result = compareComposite(object.def, existing.def, comparator)
      if (result.step !== undefined) manual.push({ key, step: result.step })
      if (result.op !== undefined)
        changes.push(plan(Phase.createType, key, result.op, result.warnings))
    }
  }
  for (const object of databaseObjects) {
    if (wanted.has(objectId(object))) continue
    const { schema, name } = object.def
    const key = [-(databaseDepth.get(objectId(object)) ?? 0), schema ?? '', name]
    const drop = { schema, name, ifExists: false, cascade: false } as const
    const op: MigrationOp =
      object.kind === 'domain'
        ? { kind: 'dropDomain', ...drop, definition: object.def }
        : { kind: 'dropCompositeType', ...drop, definition: object.def }
    changes.push(plan(Phase.dropType, key, op))
  }
  return { changes, manual }
}

/** What differs between a model domain (and its normalized twin) and the database's. */
function compareDomain(
  model: DomainDef,
  norm: DomainDef,
  database: DomainDef,
  comparator: Comparator,
): { readonly changes: DomainChanges | undefined; readonly step: ManualStep | undefined } {
  if (!comparator.typesEquivalent(model.type, database.type)) {
    return { changes: undefined, step: baseTypeStep(model, database, comparator.hints) }
  }
  const out: { -readonly [K in keyof DomainChanges]: DomainChanges[K] } = {}
  if (!comparator.defaultsEquivalent(norm.default, database.default)) {
    out.default = { to: model.default ?? null, from: database.default ?? null }
  }
  if (model.notNull !== database.notNull) {
    out.notNull = { to: model.notNull, from: database.notNull }
  }
  const drops = database.checks.filter((d) => {
    const index = model.checks.findIndex((m) => m.name === d.name)
    return index < 0 || !checksEqual(norm.checks[index] ?? model.checks[index]!, d, comparator)
  })
  const adds = model.checks.filter((m, i) => {
    const existing = database.checks.find((d) => d.name === m.name)
    return existing === undefined || !checksEqual(norm.checks[i] ?? m, existing, comparator)
  })
  if (drops.length > 0) {
    out.dropChecks = drops.map((check) => ({ name: check.name ?? '', definition: check }))
  }
  if (adds.length > 0) out.addChecks = adds
  return { changes: Object.keys(out).length === 0 ? undefined : out, step: undefined }
}

/**
 * PostgreSQL refuses to add a check or NOT NULL to a domain that a composite type holds (it would
 * have to check values inside composite columns, which it does not: tablecmds.c,
 * find_composite_type_dependencies), so such a change is flagged before it fails.
 */
function nestedWarning(
  changes: DomainChanges,
  domain: TypeObject,
  models: SchemaSnapshot,
): string | undefined {
  const tightens = (changes.addChecks?.length ?? 0) > 0 || changes.notNull?.to === true
  if (!tightens) return undefined
  const sql = nameKey(quoteQualifiedName(domain.def.schema, domain.def.name))
  const holders = models.compositeTypes.filter((t) => {
    const holds = t.attributes.some((a) => customName(a.type) === sql)
    const type = nameKey(quoteQualifiedName(t.schema, t.name))
    const stored = models.tables.some((table) =>
      table.columns.some((c) => customName(c.type) === type),
    )
    return holds && stored
  })
  if (holders.length === 0) return undefined
  return `composite type ${holders.map((t) => tableKey(t.schema, t.name)).join(', ')} holds domain ${tableKey(domain.def.schema, domain.def.name)}: PostgreSQL refuses a new check or NOT NULL on it while a table column is of that composite type`
}

/**
 * ALTER DOMAIN cannot change the base type: the domain is rebuilt under another name, its columns
 * converted, the old one dropped and the new one renamed (manual, ALTER DOMAIN).
 */
function baseTypeStep(model: DomainDef, database: DomainDef, hints: HintSql): ManualStep {
  const name = tableKey(model.schema, model.name)
  const what = `domain ${name}: base type ${describeType(database.type)} in the database, ${describeType(model.type)} in the models`
  const rebuild = (to: ColumnType) => {
    const sql = hints.rebuildDomain(model.schema, model.name, `${model.name}_new`, to)
    return [
      executeLine(sql.create),
      `// convert each column of the domain: ${sql.convert}`,
      ...sql.replace.map(executeLine),
    ].join('\n')
  }
  return {
    description: `${what}; ALTER DOMAIN cannot change a base type, so rebuild the domain, converting its columns`,
    upgradeHint: rebuild(model.type),
    downgradeHint: rebuild(database.type),
  }
}

/**
 * A composite type whose attributes differ. Attributes dropped and added at the end become
 * `alterCompositeType`, when its reverse restores the database's order too (the dropped ones were
 * the last); a changed attribute type, or an order that only dropping and adding other attributes
 * would reach, is a manual step: PostgreSQL cannot move an attribute, nor change its type while a
 * column uses the type.
 */
function compareComposite(
  model: CompositeTypeDef,
  database: CompositeTypeDef,
  comparator: Comparator,
): {
  readonly op?: MigrationOp
  readonly warnings?: readonly (string | undefined)[]
  readonly step?: ManualStep
} {
  const modelNames = new Set(model.attributes.map((a) => a.name))
  const databaseNames = new Set(database.attributes.map((a) => a.name))
  const kept = database.attributes.filter((a) => modelNames.has(a.name))
  const dropped = database.attributes.filter((a) => !modelNames.has(a.name))
  const added = model.attributes.filter((a) => !databaseNames.has(a.name))
  const inOrder = [...kept, ...added]
  const reachable =
    model.attributes.length === inOrder.length &&
    model.attributes.every(
      (a, i) => a.name === inOrder[i]!.name && comparator.typesEquivalent(a.type, inOrder[i]!.type),
    ) &&
    database.attributes.slice(kept.length).every((a) => !modelNames.has(a.name))
  if (dropped.length === 0 && added.length === 0 && reachable) return {}
  if (!reachable) return { step: compositeStep(model, database, comparator.hints) }
  const name = tableKey(model.schema, model.name)
  return {
    op: {
      kind: 'alterCompositeType',
      schema: model.schema,
      name: model.name,
      dropAttributes: dropped.map((a) => ({ name: a.name, definition: a })),
      addAttributes: added,
    },
    warnings: dropped.map(
      (a) =>
        `drops attribute ${a.name} of composite type ${name}: its values are lost in every column of the type`,
    ),
  }
}

/**
 * The statements that alter the attributes in place, to review (a dropped attribute loses its
 * values in every column of the type).
 */
function compositeStep(
  model: CompositeTypeDef,
  database: CompositeTypeDef,
  hints: HintSql,
): ManualStep {
  const alter = (from: CompositeTypeDef, to: CompositeTypeDef): string =>
    hints.alterCompositeType(from, to).map(executeLine).join('\n')
  const list = (t: CompositeTypeDef) =>
    t.attributes.map((a) => `${a.name} ${describeType(a.type)}`).join(', ')
  return {
    description: `composite type ${tableKey(model.schema, model.name)}: attributes (${list(database)}) in the database, (${list(model)}) in the models; PostgreSQL cannot move an attribute or change its type while a column uses the type, so alter it by hand (attribute order follows the ALTERs)`,
    upgradeHint: alter(database, model),
    downgradeHint: alter(model, database),
  }
}

/** A name that is a domain on one side and a composite type on the other. */
function kindChangeStep(existing: TypeObject, object: TypeObject): ManualStep {
  const describe = (o: TypeObject) => (o.kind === 'domain' ? 'a domain' : 'a composite type')
  return {
    description: `${tableKey(object.def.schema, object.def.name)} is ${describe(existing)} in the database and ${describe(object)} in the models; drop one and create the other by hand, converting the columns that use it`,
    upgradeHint: undefined,
    downgradeHint: undefined,
  }
}

function typeObjects(snapshot: SchemaSnapshot): readonly TypeObject[] {
  return [
    ...snapshot.domains.map((def): TypeObject => ({ kind: 'domain', def })),
    ...snapshot.compositeTypes.map((def): TypeObject => ({ kind: 'composite', def })),
  ]
}

function objectId(object: TypeObject): string {
  return tableId(object.def.schema, object.def.name)
}

/**
 * How deep each domain and composite type sits among the others it is made of (0: made of none
 * of them), so that creating in increasing depth finds each part in place. The types are named
 * in columns as their qualified names (`custom` types); a cycle, which PostgreSQL forbids, stops
 * at the first repeat.
 */
function depths(objects: readonly TypeObject[]): ReadonlyMap<string, number> {
  const bySql = new Map(
    objects.map((o) => [nameKey(quoteQualifiedName(o.def.schema, o.def.name)), o]),
  )
  const memo = new Map<string, number>()
  const depthOf = (object: TypeObject, seen: ReadonlySet<string>): number => {
    const id = objectId(object)
    const known = memo.get(id)
    if (known !== undefined) return known
    if (seen.has(id)) return 0
    const parts =
      object.kind === 'domain' ? [object.def.type] : object.def.attributes.map((a) => a.type)
    let depth = 0
    for (const type of parts) {
      const used = bySql.get(customName(type) ?? '')
      if (used !== undefined) depth = Math.max(depth, depthOf(used, new Set([...seen, id])) + 1)
    }
    memo.set(id, depth)
    return depth
  }
  for (const object of objects) depthOf(object, new Set())
  return memo
}

/** The name a custom type (or array of one) spells, as a {@link nameKey}; undefined for other types. */
function customName(type: ColumnType): string | undefined {
  if (type.kind === 'array') return customName(type.element)
  return type.kind === 'custom' ? nameKey(type.sql) : undefined
}
