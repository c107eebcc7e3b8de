/**
 * Rewrites a model snapshot's SQL the way PostgreSQL prints it back, by letting PostgreSQL parse
 * it: temporary stand-in tables receive the model's defaults, checks and indexes inside a
 * transaction that is always rolled back, and the catalog reader that introspection uses reads
 * them back.
 */
import type {
  ColumnDef,
  ColumnDefault,
  ColumnType,
  EnumDef,
  IndexDef,
  IndexElement,
  SchemaSnapshot,
  TableDef,
} from '../../schema/schema-snapshot.ts'
import type { Connection } from '../connection.ts'
import type { PostgresCatalogReader } from './postgres-catalog-reader.ts'
import { checkClause, createIndexSql } from './postgres-ddl-fragments.ts'
import { quoteIdentifier, quoteQualified, quoteString } from './postgres-quoting.ts'
import {
  mapTableExtras,
  planTableExtras,
  type TableExtrasPlan,
} from './postgres-table-extras-normalizer.ts'
import type { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** Prefix of every temporary object normalization creates. */
const PREFIX = 'aludel_norm_'
/** Defaults per holder table (PostgreSQL allows 1,600 columns, manual, Appendix K). */
const DEFAULTS_PER_HOLDER = 1000
/** Columns and indexes per stand-in, to keep each statement and catalog entry reasonable. */
const COLUMNS_PER_STAND_IN = 1000
const INDEXES_PER_STAND_IN = 1000

/** One distinct (type, default) pair, tried once on a column of a holder table. */
interface DefaultSlot {
  readonly id: number
  readonly holder: string
  readonly column: string
  /** `type DEFAULT expr`, as a migration would write it. */
  readonly definition: string
  /** The model's own spelling, kept when PostgreSQL refuses it. */
  readonly sql: string
  readonly type: ColumnType
}

/**
 * A stand-in table for the checks and indexes of model tables: the columns they can refer to,
 * with their types. Tables whose checks, indexes and referred columns are alike share their
 * items, and tables whose columns do not clash (the same name with another type) share one
 * stand-in: expressions name columns, never their table, so they print alike.
 */
interface StandIn {
  readonly name: string
  readonly columns: ColumnDef[]
  /** Column name → its SQL type, to see clashes. */
  readonly types: Map<string, string>
  readonly checks: { readonly id: number; readonly name: string; readonly sql: string }[]
  readonly indexes: { readonly id: number; readonly index: IndexDef }[]
}

/** Where a model table's checks and indexes went. */
interface TableWork {
  readonly standIn: StandIn
  /** Position of each of the table's checks among the stand-in's. */
  readonly checks: readonly number[]
  /** Model index position → its position among the stand-in's indexes. */
  readonly indexes: ReadonlyMap<number, number>
}

/** What normalization asks of PostgreSQL, and where each answer lands in the snapshot. */
interface Plan {
  readonly slots: readonly DefaultSlot[]
  /** `table.column` position → its slot. */
  readonly defaults: ReadonlyMap<string, DefaultSlot>
  readonly standIns: readonly StandIn[]
  /** Model table position → its work. */
  readonly tables: ReadonlyMap<number, TableWork>
  readonly enums: readonly EnumDef[]
  /** Generated columns, exclusions and partitioning (postgres-table-extras-normalizer.ts). */
  readonly extras: TableExtrasPlan
}

/** One DDL statement and the plan item it carries out (0: none of its own). */
interface Step {
  readonly id: number
  readonly sql: string
}

/**
 * Normalizes model snapshots through PostgreSQL itself. Every column default (literal defaults
 * included, rendered by the type mapper as a migration would write them), check expression,
 * index expression and partial-index predicate is applied to temporary objects and read back
 * with the catalog functions introspection uses, so that a model and the database it was
 * migrated to read alike.
 */
export class PostgresNormalizer {
  /**
   * @param types renders types and literal defaults the way migrations do
   * @param reader the catalog reader introspection uses
   */
  constructor(
    private readonly types: PostgresTypeMapper,
    private readonly reader: PostgresCatalogReader,
  ) {}

  /**
   * The snapshot with PostgreSQL's spelling of its SQL: the same tables, columns, constraints
   * and indexes in the same order under the same names, with
   *
   * - every column default as `pg_get_expr` prints it (`'x'::text`, `now()`, `'ok'::mood`);
   *   literal defaults become SQL, and a default PostgreSQL does not store (`NULL`) is dropped;
   *   defaults of identity and serial columns, which the database would refuse, are left alone;
   * - every check expression as `pg_get_constraintdef(oid, true)` prints it, without `CHECK (...)`;
   * - every index element as introspection reads it (an expression as `pg_get_indexdef` prints
   *   it, a parenthesised column as the column, default ordering and default operator classes
   *   left out) and every predicate as `pg_get_expr` prints it.
   *
   * Enum types the model uses are created (or, when the database lacks some of their values,
   * replaced) under their own names, so that casts print as they will once migrated. Everything
   * happens in one transaction that is always rolled back: `BEGIN` and one DDL script, the
   * catalog reads introspection makes (on the temporary schema), `ROLLBACK` — eight round trips
   * at most, whatever the size of the model. When the script fails (an unknown function, a
   * sequence that does not exist yet), it runs again with every statement guarded on its own,
   * and whatever PostgreSQL still refuses keeps the model's spelling (literal defaults rendered
   * by the type mapper): three more round trips. Nothing is asked when the snapshot has nothing
   * to spell. The caller must not hold a transaction on `connection`.
   */
  async normalize(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot> {
    const plan = this.plan(snapshot)
    const nothing = plan.slots.length === 0 && plan.standIns.length === 0
    if (nothing && plan.extras.steps.length === 0) {
      return mapSnapshot(snapshot, plan, undefined, new Set())
    }
    let failed = new Set<number>()
    let read: SchemaSnapshot
    try {
      try {
        await connection.execute(`BEGIN;\n${this.script(plan, false)}`)
      } catch {
        await connection.execute('ROLLBACK')
        await connection.execute(`BEGIN;\n${this.script(plan, true)}`)
        const rows = await connection.query<{ id: number }>(
          `SELECT id FROM pg_temp.${PREFIX}failed`,
        )
        failed = new Set(rows.rows.map((r) => r.id))
      }
      read = await this.reader.read(
        connection,
        { kind: 'temp' },
        {
          defaultSchema: 'public',
          excludeTables: new Set(),
          enums: false,
          // Only this module's stand-ins need them: no round trips for a model without them.
          tableExtras: plan.extras.steps.length > 0,
        },
      )
    } finally {
      await connection.execute('ROLLBACK').catch(() => undefined)
    }
    return mapTableExtras(mapSnapshot(snapshot, plan, read, failed), plan.extras, read, failed)
  }

  /**
   * Numbers the work. A default is tried once per distinct type and expression. A table's
   * checks and indexes go on a stand-in with only the columns they can name; alike tables share
   * them, and tables whose columns do not clash share a stand-in, so that a thousand tables need
   * a few temporary tables rather than a thousand.
   */
  private plan(snapshot: SchemaSnapshot): Plan {
    let id = 0
    const slots: DefaultSlot[] = []
    const slotsByKey = new Map<string, DefaultSlot>()
    const defaults = new Map<string, DefaultSlot>()
    const standIns: StandIn[] = []
    const tables = new Map<number, TableWork>()
    // Tables alike share their checks and indexes: positions among the stand-in's.
    const shapes = new Map<string, { standIn: StandIn; checks: readonly number[]; first: number }>()
    const used = new Map<string, Extract<ColumnType, { kind: 'enum' }>>()
    const useType = (type: ColumnType): void => {
      const named = enumOf(type)
      if (named !== undefined) used.set(qualifiedKey(named.schema, named.name), named)
    }

    snapshot.tables.forEach((table, t) => {
      table.columns.forEach((column, c) => {
        if (column.default === undefined || column.identity !== undefined || column.serial) return
        const type = this.types.sqlType(column.type)
        const sql = this.types.sqlDefault(column.default, column.type)
        const key = `${type}\u0000${sql}`
        let slot = slotsByKey.get(key)
        if (slot === undefined) {
          const n = slots.length
          slot = {
            id: ++id,
            holder: `${PREFIX}d${Math.floor(n / DEFAULTS_PER_HOLDER)}`,
            column: `d${n % DEFAULTS_PER_HOLDER}`,
            definition: `${type} DEFAULT ${sql}`,
            sql,
            type: column.type,
          }
          slots.push(slot)
          slotsByKey.set(key, slot)
          useType(column.type)
        }
        defaults.set(`${t}.${c}`, slot)
      })

      const indexes = [...table.indexes.entries()].filter(([, index]) => needsDatabase(index))
      if (table.checks.length === 0 && indexes.length === 0) return
      const named = referencedNames(table, indexes)
      const columns = table.columns
        .filter((column) => named.has(column.name))
        .map((column) => ({ column, type: this.types.sqlType(column.type) }))
      const key = JSON.stringify({
        columns: columns.map(({ column, type }) => [column.name, type]),
        checks: table.checks.map((check) => check.expression),
        indexes: indexes.map(([, index]) => ({ ...index, name: '' })),
      })
      const known = shapes.get(key)
      if (known !== undefined) {
        tables.set(t, { ...known, indexes: new Map(indexes.map(([i], k) => [i, k + known.first])) })
        return
      }
      const fits = (s: StandIn) =>
        s.columns.length + columns.length <= COLUMNS_PER_STAND_IN &&
        s.indexes.length + indexes.length <= INDEXES_PER_STAND_IN &&
        columns.every(({ column, type }) => (s.types.get(column.name) ?? type) === type)
      let standIn = standIns.find(fits)
      if (standIn === undefined) {
        standIn = {
          name: `${PREFIX}t${standIns.length}`,
          columns: [],
          types: new Map(),
          checks: [],
          indexes: [],
        }
        standIns.push(standIn)
      }
      for (const { column, type } of columns) {
        if (standIn.types.has(column.name)) continue
        standIn.types.set(column.name, type)
        standIn.columns.push(column)
        useType(column.type)
      }
      const checks = table.checks.map((check) => {
        standIn.checks.push({
          id: ++id,
          name: `${PREFIX}c${standIn.checks.length}`,
          sql: check.expression,
        })
        return standIn.checks.length - 1
      })
      const first = standIn.indexes.length
      for (const [, index] of indexes) {
        const name = `${standIn.name}_i${standIn.indexes.length}`
        standIn.indexes.push({ id: ++id, index: { ...index, name } })
      }
      const work = { standIn, checks, first }
      shapes.set(key, work)
      tables.set(t, { standIn, checks, indexes: new Map(indexes.map(([i], k) => [i, k + first])) })
    })

    const extras = planTableExtras(snapshot, this.types, () => ++id)
    for (const type of extras.types) useType(type)
    const declared = new Map(snapshot.enums.map((e) => [qualifiedKey(e.schema, e.name), e]))
    // An enum the snapshot uses but does not declare can only be used as the database has it.
    const enums = [...used.keys()].flatMap((key) => declared.get(key) ?? [])
    return { slots, defaults, standIns, tables, enums, extras }
  }

  /**
   * The DDL script. Unguarded, the first error stops it (the fast path). Guarded, every
   * statement runs in a block of its own whose failure is recorded in a temporary table
   * instead (manual, 41.6.8 "Trapping Errors": each such block is a subtransaction).
   */
  private script(plan: Plan, guarded: boolean): string {
    const steps: Step[] = []
    const holders = new Map<string, DefaultSlot[]>()
    for (const slot of plan.slots) {
      const list = holders.get(slot.holder)
      if (list) list.push(slot)
      else holders.set(slot.holder, [slot])
    }
    const key = `${PREFIX}key`
    for (const [holder, slots] of holders) {
      const columns = slots.map((slot) => `${quoteIdentifier(slot.column)} ${slot.definition}`)
      if (guarded) {
        steps.push({ id: 0, sql: standInTable(holder, [], key) })
        slots.forEach((slot, k) => {
          steps.push({ id: slot.id, sql: `ALTER TABLE pg_temp.${holder} ADD COLUMN ${columns[k]}` })
        })
      } else {
        steps.push({ id: 0, sql: standInTable(holder, columns, key) })
      }
    }
    for (const standIn of plan.standIns) {
      const columns = standIn.columns.map(
        (column) => `${quoteIdentifier(column.name)} ${this.types.sqlType(column.type)}`,
      )
      const checks = standIn.checks.map((check) =>
        checkClause({ name: check.name, expression: check.sql }),
      )
      let partitionKey = key
      while (standIn.columns.some((column) => column.name === partitionKey)) partitionKey += '_'
      if (guarded) {
        steps.push({ id: 0, sql: standInTable(standIn.name, [], partitionKey) })
        for (const column of columns) {
          steps.push({ id: 0, sql: `ALTER TABLE pg_temp.${standIn.name} ADD COLUMN ${column}` })
        }
        standIn.checks.forEach((check, k) => {
          steps.push({ id: check.id, sql: `ALTER TABLE pg_temp.${standIn.name} ADD ${checks[k]}` })
        })
      } else {
        steps.push({
          id: 0,
          sql: standInTable(standIn.name, [...columns, ...checks], partitionKey),
        })
      }
      for (const { id, index } of standIn.indexes) {
        // A unique index on a partitioned table must contain the partition key; uniqueness
        // changes nothing in how its expressions and predicate are printed.
        const sql = createIndexSql(
          'pg_temp',
          standIn.name,
          { ...index, unique: false },
          { concurrently: false, ifNotExists: false },
        )
        steps.push({ id, sql })
      }
    }
    steps.push(...plan.extras.steps)
    const enums = plan.enums.map((e, k) => enumStandIn(e, k, guarded))
    if (!guarded) return [...enums, ...steps.map((s) => s.sql)].map((s) => `${s};`).join('\n')
    const blocks = steps.map(
      (s) =>
        `  BEGIN EXECUTE ${quoteString(s.sql)};\n  EXCEPTION WHEN OTHERS THEN INSERT INTO pg_temp.${PREFIX}failed VALUES (${s.id});\n  END;`,
    )
    const body = `BEGIN\n${blocks.join('\n')}\nEND`
    return [`CREATE TEMPORARY TABLE ${PREFIX}failed (id integer)`, ...enums, doBlock(body)]
      .map((s) => `${s};`)
      .join('\n')
  }
}

/**
 * `CREATE TEMPORARY TABLE name (elements, key integer) PARTITION BY LIST (key)`. Stand-ins are
 * partitioned tables because those have no storage (manual, 5.12.2 "Declarative Partitioning"):
 * no data files to create for them and their indexes nor to remove at rollback, which makes
 * them several times cheaper than plain tables, while defaults, checks and (partitioned)
 * indexes of any access method are stored and printed as on plain tables.
 */
function standInTable(name: string, elements: readonly string[], key: string): string {
  const body = [...elements, `${quoteIdentifier(key)} integer`].join(',\n  ')
  return `CREATE TEMPORARY TABLE ${name} (\n  ${body}\n) PARTITION BY LIST (${quoteIdentifier(key)})`
}

/**
 * A `DO` block that makes enum `e` exist under its own name with at least the model's values, so
 * that defaults and predicates naming a value parse, and casts print the type's name as they
 * will once migrated. A type that already has those values is used as it is; one that lacks some
 * is renamed out of the way; a missing schema is created — all undone by the rollback.
 */
function enumStandIn(e: EnumDef, k: number, guarded: boolean): string {
  const name = quoteQualified(e.schema, e.name)
  const values = e.values.map(quoteString).join(', ')
  const lines = [
    'DECLARE',
    `  existing oid := to_regtype(${quoteString(name)});`,
    'BEGIN',
    `  IF existing IS NOT NULL AND ARRAY(SELECT l.enumlabel::text FROM pg_enum l WHERE l.enumtypid = existing) @> ARRAY[${values}]::text[] THEN`,
    '    RETURN;',
    '  END IF;',
    '  IF existing IS NOT NULL THEN',
    `    EXECUTE format('ALTER TYPE %s RENAME TO %I', existing::regtype, ${quoteString(`${PREFIX}old_${k}`)});`,
    '  END IF;',
    ...(e.schema === undefined
      ? []
      : [
          `  IF to_regnamespace(${quoteString(quoteIdentifier(e.schema))}) IS NULL THEN`,
          `    CREATE SCHEMA ${quoteIdentifier(e.schema)};`,
          '  END IF;',
        ]),
    `  CREATE TYPE ${name} AS ENUM (${values});`,
    ...(guarded ? ['EXCEPTION WHEN OTHERS THEN NULL;'] : []),
    'END',
  ]
  return doBlock(lines.join('\n'))
}

/**
 * `DO $tag$ body $tag$` with a tag that does not occur in the body (manual, 4.1.2.4
 * "Dollar-Quoted String Constants").
 */
function doBlock(body: string): string {
  let tag = '$aludel_norm$'
  for (let n = 1; body.includes(tag); n++) tag = `$aludel_norm_${n}$`
  return `DO ${tag}\n${body}\n${tag}`
}

/** Whether an index has anything PostgreSQL spells its own way: expressions, predicate, opclasses. */
function needsDatabase(index: IndexDef): boolean {
  return (
    index.where !== undefined ||
    index.elements.some((e) => e.expression !== undefined || e.opclass !== undefined)
  )
}

/**
 * The column names a table's checks and the given indexes may refer to: every identifier in
 * their SQL (as written, and folded to lower case as PostgreSQL folds unquoted names) and every
 * column an index names. An expression can only name a column by spelling it, so a column that
 * is not among these cannot matter; a name missed here would only make its statement fail and
 * keep the model's spelling.
 */
function referencedNames(
  table: TableDef,
  indexes: readonly (readonly [number, IndexDef])[],
): Set<string> {
  const names = new Set<string>()
  const scan = (sql: string): void => {
    // String literals are skipped; quoted identifiers are taken as written, "" unescaped.
    for (const m of sql.matchAll(/'(?:[^']|'')*'|"((?:[^"]|"")*)"|([\p{L}_][\p{L}\p{N}_$]*)/gu)) {
      if (m[1] !== undefined) names.add(m[1].replaceAll('""', '"'))
      else if (m[2] !== undefined) {
        names.add(m[2])
        names.add(m[2].toLowerCase())
      }
    }
  }
  for (const check of table.checks) scan(check.expression)
  for (const [, index] of indexes) {
    if (index.where !== undefined) scan(index.where)
    for (const element of index.elements) {
      if (element.column !== undefined) names.add(element.column)
      if (element.expression !== undefined) scan(element.expression)
    }
    for (const column of index.include) names.add(column)
  }
  return names
}

/** The enum a column type names, directly or as an array's element. */
function enumOf(type: ColumnType): Extract<ColumnType, { kind: 'enum' }> | undefined {
  if (type.kind === 'enum') return type
  if (type.kind === 'array') return enumOf(type.element)
  return undefined
}

function qualifiedKey(schema: string | undefined, name: string): string {
  return JSON.stringify([schema ?? null, name])
}

/** Puts what PostgreSQL printed back into the snapshot, element by element. */
function mapSnapshot(
  snapshot: SchemaSnapshot,
  plan: Plan,
  read: SchemaSnapshot | undefined,
  failed: ReadonlySet<number>,
): SchemaSnapshot {
  const temp = new Map((read?.tables ?? []).map((t) => [t.name, t]))
  const holders = new Map<string, Map<string, ColumnDef>>()
  for (const [name, table] of temp) {
    if (name.startsWith(`${PREFIX}d`))
      holders.set(name, new Map(table.columns.map((c) => [c.name, c])))
  }
  const defaultOf = (slot: DefaultSlot): ColumnDefault | undefined => {
    const column = holders.get(slot.holder)?.get(slot.column)
    // Refused by PostgreSQL: keep the model's spelling, as a migration would write it.
    if (failed.has(slot.id) || column === undefined) return { kind: 'sql', sql: slot.sql }
    // Nothing stored means nothing to store: DEFAULT NULL is no default at all.
    return column.default
  }

  let changed = false
  const tables = snapshot.tables.map((table, t): TableDef => {
    let columns = table.columns
    if (table.columns.some((_, c) => plan.defaults.has(`${t}.${c}`))) {
      columns = table.columns.map((column, c): ColumnDef => {
        const slot = plan.defaults.get(`${t}.${c}`)
        return slot === undefined ? column : { ...column, default: defaultOf(slot) }
      })
    }
    const work = plan.tables.get(t)
    const stand = work === undefined ? undefined : temp.get(work.standIn.name)
    let checks = table.checks
    if (work !== undefined && stand !== undefined && table.checks.length > 0) {
      checks = table.checks.map((check, k) => {
        const item = work.standIn.checks[work.checks[k] ?? -1]
        const found =
          item === undefined || failed.has(item.id)
            ? undefined
            : stand.checks.find((c) => c.name === item.name)
        return found === undefined ? check : { ...check, expression: found.expression }
      })
    }
    const indexes = table.indexes.map((index, i): IndexDef => {
      const position = work?.indexes.get(i)
      const item = position === undefined ? undefined : work?.standIn.indexes[position]
      const found =
        item === undefined || failed.has(item.id)
          ? undefined
          : stand?.indexes.find((x) => x.name === item.index.name)
      if (found !== undefined && found.elements.length === index.elements.length) {
        return { ...index, elements: found.elements, where: found.where }
      }
      const elements = index.elements.map(canonicalOrdering)
      return elements.every((e, k) => e === index.elements[k]) ? index : { ...index, elements }
    })
    if (
      columns === table.columns &&
      checks === table.checks &&
      indexes.every((x, i) => x === table.indexes[i])
    ) {
      return table
    }
    changed = true
    return { ...table, columns, checks, indexes }
  })
  return changed ? { ...snapshot, tables } : snapshot
}

/**
 * Ordering options as introspection reports them: ASC and the default NULLS placement of each
 * direction (LAST for ASC, FIRST for DESC) are left out (manual, 11.4 "Indexes and ORDER BY").
 */
function canonicalOrdering(element: IndexElement): IndexElement {
  const order = element.order === 'desc' ? 'desc' : undefined
  const nulls =
    element.nulls === undefined || (element.nulls === 'first') === (order === 'desc')
      ? undefined
      : element.nulls
  return order === element.order && nulls === element.nulls ? element : { ...element, order, nulls }
}
