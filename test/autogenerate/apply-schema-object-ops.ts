import { literalsEqual } from '../../src/dialect/postgres/postgres-default-equivalence.ts'
import type { SchemaObjectOp, SequenceChanges } from '../../src/operations/migration-op.ts'
import { quoteQualifiedName } from '../../src/schema/quote-identifier.ts'
import type {
  ColumnType,
  CompositeTypeDef,
  DomainDef,
  ExtensionDef,
  SchemaSnapshot,
  SequenceDef,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** What the simulator's tables look like to schema objects. */
export interface SimulatedTables {
  readonly tables: readonly TableDef[]
  readonly schemas: ReadonlySet<string | undefined>
}

/**
 * The sequences, domains, composite types and extensions of the op simulator (`applyOps`),
 * refusing what PostgreSQL would refuse: a second object of one name, a missing one, a schema
 * that does not exist, an owner column that does not exist, dropping a domain or composite type
 * a column or another type uses, or a sequence a default draws from, and an alter or drop whose
 * `from` or definition is not what is there. A sequence goes with the column that owns it, as in
 * PostgreSQL, so that dropping its table first and the sequence then fails here too.
 */
export class SchemaObjectState {
  readonly sequences: Mutable<SequenceDef>[]
  readonly domains: Mutable<DomainDef>[]
  readonly compositeTypes: CompositeTypeDef[]
  readonly extensions: ExtensionDef[]

  constructor(start: SchemaSnapshot) {
    this.sequences = start.sequences.map((s) => ({ ...s }))
    this.domains = start.domains.map((d) => ({ ...d }))
    this.compositeTypes = [...start.compositeTypes]
    this.extensions = [...start.extensions]
  }

  snapshot(): Pick<SchemaSnapshot, 'sequences' | 'domains' | 'compositeTypes' | 'extensions'> {
    return {
      sequences: this.sequences.map((s) => ({ ...s })),
      domains: this.domains.map((d) => ({ ...d })),
      compositeTypes: [...this.compositeTypes],
      extensions: [...this.extensions],
    }
  }

  /** The sequences owned by `table` (or one of its columns) go with it. */
  dropOwnedBy(schema: string | undefined, table: string, column?: string): void {
    for (const s of [...this.sequences]) {
      if (
        s.schema === schema &&
        s.ownedBy?.table === table &&
        (column === undefined || s.ownedBy.column === column)
      ) {
        this.sequences.splice(this.sequences.indexOf(s), 1)
      }
    }
  }

  /** Owners follow a renamed table or column, as PostgreSQL tracks them by identity. */
  renameOwner(
    schema: string | undefined,
    table: string,
    to: { table?: string; column?: [string, string] },
  ): void {
    for (const s of this.sequences) {
      if (s.schema !== schema || s.ownedBy === undefined || s.ownedBy.table !== table) continue
      if (to.table !== undefined) s.ownedBy = { ...s.ownedBy, table: to.table }
      if (to.column !== undefined && s.ownedBy.column === to.column[0]) {
        s.ownedBy = { ...s.ownedBy, column: to.column[1] }
      }
    }
  }

  /** Whether a custom type names one of the domains or composite types. */
  knows(sql: string): boolean {
    return this.#typeNamed(sql) !== undefined
  }

  /** Applies one operation on a sequence, domain, composite type or extension. */
  apply(op: SchemaObjectOp, world: SimulatedTables, fail: (m: string) => never): void {
    const requireSchema = (schema: string | undefined) => {
      if (!world.schemas.has(schema)) fail(`no schema ${schema}`)
    }
    switch (op.kind) {
      case 'createSequence': {
        const s = op.sequence
        requireSchema(s.schema)
        if (this.#sequence(s.schema, s.name) !== undefined) {
          if (op.ifNotExists) return
          fail(`sequence ${s.name} exists`)
        }
        this.#requireRelationFree(s.schema, s.name, world, fail)
        if (s.ownedBy !== undefined) requireOwner(s.schema, s.ownedBy, world, fail)
        this.sequences.push({ ...s })
        return
      }
      case 'dropSequence': {
        const s = this.#sequence(op.schema, op.name)
        if (s === undefined) {
          if (op.ifExists) return
          fail(`no sequence ${op.name}`)
        }
        const text = `nextval('${quoteQualifiedName(op.schema, op.name).replace(/'/g, "''")}'::regclass)`
        for (const t of world.tables) {
          for (const c of t.columns) {
            if (c.default?.kind === 'sql' && c.default.sql === text) {
              fail(`${t.name}.${c.name}'s default uses sequence ${op.name}`)
            }
          }
        }
        if (op.definition !== undefined && !sameJson(op.definition, s)) {
          fail(`definition ${JSON.stringify(op.definition)} but it is ${JSON.stringify(s)}`)
        }
        this.sequences.splice(this.sequences.indexOf(s), 1)
        return
      }
      case 'alterSequence': {
        const s = this.#sequence(op.schema, op.name) ?? fail(`no sequence ${op.name}`)
        for (const [key, change] of Object.entries(op.changes) as [
          keyof SequenceChanges,
          { to: unknown; from?: unknown },
        ][]) {
          if ('from' in change && key !== 'start' && !sameJson(change.from, s[key])) {
            fail(`${key} from ${JSON.stringify(change.from)} but it is ${JSON.stringify(s[key])}`)
          }
          if (key === 'ownedBy' && change.to !== undefined) {
            requireOwner(s.schema, change.to as SequenceDef['ownedBy'] & object, world, fail)
          }
          // A start equal to the default is no start at all.
          ;(s as Record<string, unknown>)[key] =
            key === 'start' && change.to === defaultStart(s) ? undefined : change.to
        }
        return
      }
      case 'renameSequence': {
        const s = this.#sequence(op.schema, op.from) ?? fail(`no sequence ${op.from}`)
        this.#requireRelationFree(op.schema, op.to, world, fail)
        s.name = op.to
        return
      }
      case 'createDomain': {
        const d = op.domain
        requireSchema(d.schema)
        this.#requireTypeFree(d.schema, d.name, world, fail)
        this.#requireType(d.type, fail)
        this.domains.push({ ...d })
        return
      }
      case 'dropDomain':
      case 'dropCompositeType': {
        const list: { schema: string | undefined; name: string }[] =
          op.kind === 'dropDomain' ? this.domains : this.compositeTypes
        const found = list.find((x) => x.schema === op.schema && x.name === op.name)
        if (found === undefined) {
          if (op.ifExists) return
          fail(`no ${op.kind === 'dropDomain' ? 'domain' : 'composite type'} ${op.name}`)
        }
        const sql = quoteQualifiedName(op.schema, op.name)
        for (const t of world.tables) {
          for (const c of t.columns)
            if (usesCustom(c.type, sql)) fail(`${t.name}.${c.name} uses ${op.name}`)
        }
        for (const d of this.domains)
          if (usesCustom(d.type, sql)) fail(`domain ${d.name} uses ${op.name}`)
        for (const c of this.compositeTypes) {
          if (c.attributes.some((a) => usesCustom(a.type, sql)))
            fail(`type ${c.name} uses ${op.name}`)
        }
        if (op.definition !== undefined && !sameJson(op.definition, found)) {
          fail(`definition ${JSON.stringify(op.definition)} but it is ${JSON.stringify(found)}`)
        }
        list.splice(list.indexOf(found), 1)
        return
      }
      case 'alterDomain': {
        const d = this.#domain(op.schema, op.name) ?? fail(`no domain ${op.name}`)
        const c = op.changes
        for (const drop of c.dropChecks ?? []) {
          const check = d.checks.find((x) => x.name === drop.name) ?? fail(`no check ${drop.name}`)
          if (drop.definition !== undefined && !sameJson(drop.definition, check)) {
            fail(`check ${drop.name} is not ${JSON.stringify(drop.definition)}`)
          }
          d.checks = d.checks.filter((x) => x !== check)
        }
        if (c.default !== undefined) {
          if (c.default.from !== undefined && !sameJson(c.default.from, d.default ?? null)) {
            fail(
              `default from ${JSON.stringify(c.default.from)} but it is ${JSON.stringify(d.default)}`,
            )
          }
          d.default = c.default.to ?? undefined
        }
        if (c.notNull !== undefined) {
          if (c.notNull.from !== undefined && c.notNull.from !== d.notNull) fail('notNull from')
          d.notNull = c.notNull.to
        }
        for (const check of c.addChecks ?? []) {
          if (d.checks.some((x) => x.name === check.name)) fail(`check ${check.name} exists`)
          d.checks = [...d.checks, check].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1))
        }
        return
      }
      case 'createCompositeType': {
        const t = op.type
        requireSchema(t.schema)
        this.#requireTypeFree(t.schema, t.name, world, fail)
        this.#requireRelationFree(t.schema, t.name, world, fail)
        for (const a of t.attributes) this.#requireType(a.type, fail)
        this.compositeTypes.push(t)
        return
      }
      case 'createExtension': {
        const e = op.extension
        if (this.extensions.some((x) => x.name === e.name)) {
          if (op.ifNotExists) return
          fail(`extension ${e.name} exists`)
        }
        requireSchema(e.schema)
        this.extensions.push(e)
        return
      }
      case 'dropExtension': {
        const e = this.extensions.find((x) => x.name === op.name)
        if (e === undefined) {
          if (op.ifExists) return
          fail(`no extension ${op.name}`)
        }
        if (op.definition !== undefined && !sameJson(op.definition, e)) fail('definition differs')
        this.extensions.splice(this.extensions.indexOf(e), 1)
        return
      }
    }
  }

  #sequence(schema: string | undefined, name: string): Mutable<SequenceDef> | undefined {
    return this.sequences.find((s) => s.schema === schema && s.name === name)
  }

  #domain(schema: string | undefined, name: string): Mutable<DomainDef> | undefined {
    return this.domains.find((d) => d.schema === schema && d.name === name)
  }

  #typeNamed(sql: string): DomainDef | CompositeTypeDef | undefined {
    const key = sql.toLowerCase()
    return [...this.domains, ...this.compositeTypes].find(
      (x) => quoteQualifiedName(x.schema, x.name).toLowerCase() === key,
    )
  }

  /** A custom type that looks like one of ours must exist (others may be built in). */
  #requireType(type: ColumnType, fail: (m: string) => never): void {
    if (type.kind === 'array') this.#requireType(type.element, fail)
    else if (
      type.kind === 'custom' &&
      /^[a-z_][a-z0-9_.]*$/.test(type.sql) &&
      !this.knows(type.sql)
    ) {
      if (!BUILT_IN.has(type.sql)) fail(`no type ${type.sql}`)
    }
  }

  #requireTypeFree(
    schema: string | undefined,
    name: string,
    world: SimulatedTables,
    fail: (m: string) => never,
  ): void {
    const taken =
      this.#typeNamed(quoteQualifiedName(schema, name)) !== undefined ||
      world.tables.some((t) => t.schema === schema && t.name === name)
    if (taken) fail(`type ${name} exists`)
  }

  #requireRelationFree(
    schema: string | undefined,
    name: string,
    world: SimulatedTables,
    fail: (m: string) => never,
  ): void {
    const taken =
      world.tables.some((t) => t.schema === schema && t.name === name) ||
      this.sequences.some((s) => s.schema === schema && s.name === name) ||
      this.compositeTypes.some((c) => c.schema === schema && c.name === name)
    if (taken) fail(`relation ${name} exists`)
  }
}

/** Custom types the tests use that are PostgreSQL's own. */
const BUILT_IN: ReadonlySet<string> = new Set(['tsvector', 'citext', 'inet', 'money', 'xml'])

function requireOwner(
  schema: string | undefined,
  owner: { readonly table: string; readonly column: string },
  world: SimulatedTables,
  fail: (m: string) => never,
): void {
  const table = world.tables.find((t) => t.schema === schema && t.name === owner.table)
  if (table === undefined || !table.columns.some((c) => c.name === owner.column)) {
    fail(`no column ${owner.table}.${owner.column} to own a sequence`)
  }
}

function defaultStart(s: SequenceDef): number {
  return (s.increment ?? 1) > 0 ? (s.minValue ?? 1) : (s.maxValue ?? -1)
}

function usesCustom(type: ColumnType, sql: string): boolean {
  if (type.kind === 'array') return usesCustom(type.element, sql)
  return type.kind === 'custom' && type.sql.toLowerCase() === sql.toLowerCase()
}

function sameJson(a: unknown, b: unknown): boolean {
  return literalsEqual(
    JSON.parse(JSON.stringify(a) ?? 'null'),
    JSON.parse(JSON.stringify(b) ?? 'null'),
  )
}
