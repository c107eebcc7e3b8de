/**
 * Small readers over libpg-query parse trees. A node is an object with one key, its type
 * (`{ AlterTableStmt: {...} }`); fields absent from the JSON are the parser's zero values.
 */

/** A parse node's fields, untyped: the tree comes straight from the parser. */
export type Fields = Readonly<Record<string, unknown>>

/** The type name and fields of a node, e.g. `['IndexStmt', {...}]`. */
export function nodeOf(node: unknown): readonly [string, Fields] {
  if (typeof node !== 'object' || node === null) return ['', {}]
  const [entry] = Object.entries(node as Record<string, unknown>)
  return entry === undefined ? ['', {}] : [entry[0], (entry[1] ?? {}) as Fields]
}

/** The fields of a node when it has the given type. */
export function fieldsIf(node: unknown, type: string): Fields | undefined {
  const [name, fields] = nodeOf(node)
  return name === type ? fields : undefined
}

/** A list field (absent means empty). */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}

/** A string field, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The `sval`s of a list of `String` nodes (a qualified name), e.g. `['public', 'orders']`. */
export function names(value: unknown): readonly string[] {
  return list(value).map((item) => str(fieldsIf(item, 'String')?.sval) ?? '')
}

/**
 * The qualified key of a `RangeVar` (`public.orders` for an unqualified `orders`): unqualified
 * names are taken to live in `public`, which is where aludel's operations put them.
 */
export function relationKey(rangeVar: unknown): string {
  const fields = (rangeVar ?? {}) as Fields
  const inner = fieldsIf(rangeVar, 'RangeVar') ?? fields
  return qualify(str(inner.schemaname), str(inner.relname) ?? '')
}

/** `schema.name`, with `public` for no schema. */
export function qualify(schema: string | undefined, name: string): string {
  return `${schema ?? 'public'}.${name}`
}

/** The key of a qualified name list (`['s', 'ix']` → `s.ix`, `['ix']` → `public.ix`). */
export function nameListKey(value: unknown): string {
  const parts = names(value)
  return parts.length >= 2
    ? qualify(parts[parts.length - 2], parts[parts.length - 1]!)
    : qualify(undefined, parts[0] ?? '')
}

/** A column type as lint compares them: base name as PostgreSQL spells it internally, modifiers. */
export interface TypeInfo {
  /** `int4`, `varchar`, `text`, `numeric`, `timestamptz`, a user type's name, ... */
  readonly name: string
  /** Type modifiers (`varchar(20)` → [20], `numeric(10,2)` → [10, 2]). */
  readonly mods: readonly number[]
  readonly array: boolean
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  integer: 'int4',
  int: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  decimal: 'numeric',
  serial: 'serial4',
  bigserial: 'serial8',
  smallserial: 'serial2',
}

/** Reads a `TypeName` node. */
export function typeInfo(typeName: unknown): TypeInfo {
  const fields = (fieldsIf(typeName, 'TypeName') ?? typeName ?? {}) as Fields
  const parts = names(fields.names)
  const last = (parts[parts.length - 1] ?? '').toLowerCase()
  const mods = list(fields.typmods).map((mod) => {
    const constant = fieldsIf(mod, 'A_Const')
    const ival = constant?.ival as { ival?: number } | undefined
    return ival?.ival ?? 0
  })
  return { name: TYPE_ALIASES[last] ?? last, mods, array: list(fields.arrayBounds).length > 0 }
}

/** Writes a type back for messages: `varchar(20)`, `numeric(10,2)[]`. */
export function describeType(type: TypeInfo): string {
  return `${type.name}${type.mods.length > 0 ? `(${type.mods.join(',')})` : ''}${type.array ? '[]' : ''}`
}

/** The constraints of a `ColumnDef`, as `Constraint` field sets. */
export function columnConstraints(columnDef: Fields): readonly Fields[] {
  return list(columnDef.constraints)
    .map((c) => fieldsIf(c, 'Constraint'))
    .filter((c): c is Fields => c !== undefined)
}

/**
 * Every function name called anywhere inside a node (lower case, unqualified). `CURRENT_TIMESTAMP`
 * and its kin are not function calls in the tree; they are all stable, so they are not listed.
 */
export function calledFunctions(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) calledFunctions(item, out)
    return out
  }
  if (typeof node !== 'object' || node === null) return out
  for (const [key, value] of Object.entries(node)) {
    if (key === 'FuncCall') {
      const parts = names((value as Fields).funcname)
      out.push((parts[parts.length - 1] ?? '').toLowerCase())
    }
    calledFunctions(value, out)
  }
  return out
}
