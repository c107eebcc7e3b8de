import type {
  CheckDef,
  ColumnDef,
  ColumnDefault,
  ColumnType,
  EnumDef,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
  LiteralValue,
  PrimaryKeyDef,
  SchemaSnapshot,
  SequenceDef,
  TableDef,
  UniqueDef,
} from '../../src/schema/schema-snapshot.ts'

/** Short spellings of column types for test tables. */
export const T = {
  smallint: { kind: 'smallint' },
  integer: { kind: 'integer' },
  bigint: { kind: 'bigint' },
  real: { kind: 'real' },
  double: { kind: 'double' },
  text: { kind: 'text' },
  boolean: { kind: 'boolean' },
  date: { kind: 'date' },
  interval: { kind: 'interval' },
  uuid: { kind: 'uuid' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  bytea: { kind: 'bytea' },
  numeric: (precision?: number, scale?: number): ColumnType => ({
    kind: 'numeric',
    precision,
    scale,
  }),
  varchar: (length?: number): ColumnType => ({ kind: 'varchar', length }),
  char: (length?: number): ColumnType => ({ kind: 'char', length }),
  time: (withTimezone: boolean, precision?: number): ColumnType => ({
    kind: 'time',
    withTimezone,
    precision,
  }),
  timestamp: (withTimezone: boolean, precision?: number): ColumnType => ({
    kind: 'timestamp',
    withTimezone,
    precision,
  }),
  enum: (name: string, schema?: string): ColumnType => ({ kind: 'enum', name, schema }),
  array: (element: ColumnType): ColumnType => ({ kind: 'array', element }),
  custom: (sql: string): ColumnType => ({ kind: 'custom', sql }),
} as const satisfies Record<string, ColumnType | ((...args: never[]) => ColumnType)>

/** A literal default. */
export function lit(value: LiteralValue): ColumnDefault {
  return { kind: 'literal', value }
}

/** An SQL default. */
export function sql(text: string): ColumnDefault {
  return { kind: 'sql', sql: text }
}

/** A nullable column without default, identity, serial or comment, unless `extra` says so. */
export function column(name: string, type: ColumnType, extra: Partial<ColumnDef> = {}): ColumnDef {
  return {
    name,
    type,
    nullable: true,
    default: undefined,
    identity: undefined,
    serial: false,
    comment: undefined,
    ...extra,
  }
}

/** A table with only what `extra` gives it. */
export function table(name: string, extra: Partial<TableDef> = {}): TableDef {
  return {
    schema: undefined,
    name,
    columns: [],
    primaryKey: undefined,
    foreignKeys: [],
    uniques: [],
    checks: [],
    indexes: [],
    comment: undefined,
    ...extra,
  }
}

/** An index element: a column name, or the fields given. */
export function element(spec: string | Partial<IndexElement>): IndexElement {
  const base = {
    column: undefined,
    expression: undefined,
    order: undefined,
    nulls: undefined,
    opclass: undefined,
  }
  return typeof spec === 'string' ? { ...base, column: spec } : { ...base, ...spec }
}

/** A plain btree index over `elements`. */
export function index(
  name: string,
  elements: readonly (string | Partial<IndexElement>)[],
  extra: Partial<IndexDef> = {},
): IndexDef {
  return {
    name,
    elements: elements.map(element),
    unique: false,
    method: undefined,
    where: undefined,
    include: [],
    ...extra,
  }
}

/** A foreign key from `columns` to `referencedTable (referencedColumns)`. */
export function foreignKey(
  name: string | undefined,
  columns: readonly string[],
  referencedTable: string,
  referencedColumns: readonly string[],
  extra: Partial<ForeignKeyDef> = {},
): ForeignKeyDef {
  return {
    name,
    columns,
    referencedSchema: undefined,
    referencedTable,
    referencedColumns,
    onDelete: undefined,
    onUpdate: undefined,
    deferrable: false,
    initiallyDeferred: false,
    ...extra,
  }
}

/** A primary key over `columns`. */
export function primaryKey(name: string | undefined, columns: readonly string[]): PrimaryKeyDef {
  return { name, columns }
}

/** A unique constraint over `columns` (nulls distinct unless `extra` says otherwise). */
export function unique(
  name: string | undefined,
  columns: readonly string[],
  extra: Partial<UniqueDef> = {},
): UniqueDef {
  return { name, columns, nullsNotDistinct: false, ...extra }
}

/** A check constraint. */
export function check(name: string | undefined, expression: string): CheckDef {
  return { name, expression }
}

/** An enum type. */
export function enumDef(name: string, values: readonly string[], schema?: string): EnumDef {
  return { schema, name, values }
}

/** A sequence with PostgreSQL's defaults (options `undefined`), but for what `extra` says. */
export function sequenceDef(name: string, extra: Partial<SequenceDef> = {}): SequenceDef {
  return {
    schema: undefined,
    name,
    dataType: undefined,
    start: undefined,
    increment: undefined,
    minValue: undefined,
    maxValue: undefined,
    cache: undefined,
    cycle: false,
    ownedBy: undefined,
    ...extra,
  }
}

/**
 * The parts of a snapshot besides tables and enums, all empty: spread into snapshot literals
 * (`{ tables, enums: [], ...NO_SCHEMA_OBJECTS }`), so that a new kind of object needs adding here
 * only.
 */
export const NO_SCHEMA_OBJECTS: Omit<SchemaSnapshot, 'tables' | 'enums'> = Object.freeze({
  sequences: [],
  domains: [],
  compositeTypes: [],
  extensions: [],
  views: [],
  functions: [],
  aggregates: [],
  triggers: [],
  eventTriggers: [],
})

/** A schema snapshot of `tables` and `enums`. */
export function snapshot(
  tables: readonly TableDef[] = [],
  enums: readonly EnumDef[] = [],
): SchemaSnapshot {
  return { tables, enums, ...NO_SCHEMA_OBJECTS }
}
