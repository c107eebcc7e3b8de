import type { ColumnType } from '../../schema/schema-snapshot.ts'

/**
 * True when two column types are the same type in the database, even if spelled differently:
 *
 * - `numeric(p)` = `numeric(p, 0)` (manual 8.1.2: the scale defaults to 0);
 * - `char` = `char(1)` (manual 8.3: a missing length means 1);
 * - `time`/`timestamp` without precision = precision 6 (manual 8.5.1: the default is the full
 *   microsecond precision, which the catalog reports as no modifier);
 * - arrays compare by element, and nested arrays as one (PostgreSQL does not enforce dimensions,
 *   manual 8.15.1: `integer[][]` is `integer[]`);
 * - enums compare by schema and name (an undefined schema is the default schema);
 * - custom types compare case- and whitespace-insensitively, and a custom type that spells a
 *   built-in one (`int4`, `character varying(20)`, `timestamptz`) is that built-in type.
 *
 * Anything else must match exactly (`varchar` without a length is unlimited, unlike `varchar(1)`).
 */
export function typesEquivalent(a: ColumnType, b: ColumnType): boolean {
  return typeKey(canonicalColumnType(a)) === typeKey(canonicalColumnType(b))
}

/** The type with every optional modifier spelled out and custom spellings resolved. */
export function canonicalColumnType(type: ColumnType): ColumnType {
  switch (type.kind) {
    case 'numeric':
      return type.precision === undefined
        ? { kind: 'numeric', precision: undefined, scale: type.scale }
        : { kind: 'numeric', precision: type.precision, scale: type.scale ?? 0 }
    case 'char':
      return { kind: 'char', length: type.length ?? 1 }
    case 'time':
    case 'timestamp':
      return { kind: type.kind, withTimezone: type.withTimezone, precision: type.precision ?? 6 }
    case 'array': {
      let element = type.element
      while (element.kind === 'array') element = element.element
      const canonical = canonicalColumnType(element)
      // A custom type may itself spell an array (`text[]`): still one level.
      return canonical.kind === 'array' ? canonical : { kind: 'array', element: canonical }
    }
    case 'custom': {
      const sql = canonicalTypeSpelling(type.sql)
      const builtIn = parseBuiltInType(sql)
      return builtIn === undefined ? { kind: 'custom', sql } : canonicalColumnType(builtIn)
    }
    default:
      return type
  }
}

/** A string that is equal for equal canonical types. */
function typeKey(type: ColumnType): string {
  switch (type.kind) {
    case 'numeric':
      return `numeric(${type.precision ?? ''},${type.scale ?? ''})`
    case 'varchar':
    case 'char':
      return `${type.kind}(${type.length ?? ''})`
    case 'time':
    case 'timestamp':
      return `${type.kind}(${type.precision ?? ''})${type.withTimezone ? 'tz' : ''}`
    case 'enum':
      return `enum ${JSON.stringify([type.schema ?? null, type.name])}`
    case 'array':
      return `${typeKey(type.element)}[]`
    case 'custom':
      return `custom ${type.sql}`
    default:
      return type.kind
  }
}

/**
 * Lower case, single spaces, no spaces inside brackets, before them or around commas:
 * `Bit Varying ( 8 )` -> `bit varying(8)`; the space in `timestamp(3) with time zone` stays.
 */
function canonicalTypeSpelling(sql: string): string {
  return sql
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ ?([([]) ?/g, '$1')
    .replace(/ ?([)\]])/g, '$1')
    .replace(/ ?, ?/g, ',')
}

const SIMPLE_TYPES: Readonly<Record<string, ColumnType>> = {
  smallint: { kind: 'smallint' },
  int2: { kind: 'smallint' },
  integer: { kind: 'integer' },
  int: { kind: 'integer' },
  int4: { kind: 'integer' },
  bigint: { kind: 'bigint' },
  int8: { kind: 'bigint' },
  real: { kind: 'real' },
  float4: { kind: 'real' },
  'double precision': { kind: 'double' },
  float8: { kind: 'double' },
  text: { kind: 'text' },
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  date: { kind: 'date' },
  interval: { kind: 'interval' },
  uuid: { kind: 'uuid' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  bytea: { kind: 'bytea' },
}

const MODIFIED_TYPE =
  /^(numeric|decimal|varchar|character varying|char|character|timestamptz|timestamp|timetz|time)(?:\((\d+)(?:,(\d+))?\))?( with time zone| without time zone)?$/

/**
 * The built-in type a custom spelling names, in the spellings `format_type()` and people use
 * (manual 8.1-8.5, table 8.1); undefined for anything else.
 */
function parseBuiltInType(sql: string): ColumnType | undefined {
  if (sql.endsWith('[]')) {
    const element = parseBuiltInType(sql.slice(0, -2))
    return element === undefined ? undefined : { kind: 'array', element }
  }
  const simple = SIMPLE_TYPES[sql]
  if (simple !== undefined) return simple
  const match = MODIFIED_TYPE.exec(sql)
  if (match === null) return undefined
  const [, name, first, second, zone] = match
  const n1 = first === undefined ? undefined : Number(first)
  const n2 = second === undefined ? undefined : Number(second)
  const timeZone = zone === ' with time zone'
  switch (name) {
    case 'numeric':
    case 'decimal':
      return zone === undefined ? { kind: 'numeric', precision: n1, scale: n2 } : undefined
    case 'varchar':
    case 'character varying':
      return zone === undefined && n2 === undefined ? { kind: 'varchar', length: n1 } : undefined
    case 'char':
    case 'character':
      return zone === undefined && n2 === undefined ? { kind: 'char', length: n1 } : undefined
    case 'timestamptz':
    case 'timetz':
      return zone === undefined && n2 === undefined
        ? { kind: name === 'timetz' ? 'time' : 'timestamp', withTimezone: true, precision: n1 }
        : undefined
    case 'timestamp':
    case 'time':
      return n2 === undefined ? { kind: name, withTimezone: timeZone, precision: n1 } : undefined
    default:
      return undefined
  }
}
