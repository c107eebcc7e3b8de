/**
 * Keywords that PostgreSQL does not accept as bare identifiers everywhere: categories R
 * (reserved), T (reserved, can be function or type) and C (cannot be function or type), as
 * listed by `pg_get_keywords()` on PostgreSQL 18. Quoting a few harmless words is cheaper than
 * failing on one that matters.
 */
const KEYWORDS: ReadonlySet<string> = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
boolean both case cast char character check coalesce collate collation column concurrently
constraint create cross current_catalog current_date current_role current_schema current_time
current_timestamp current_user dec decimal default deferrable desc distinct do else end except
exists extract false fetch float for foreign freeze from full grant greatest group grouping having
ilike in initially inner inout int integer intersect interval into is isnull join json json_array
json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize
json_table json_value lateral leading least left like limit localtime localtimestamp merge_action
national natural nchar none normalize not notnull null nullif numeric offset on only or order out
outer overlaps overlay placing position precision primary real references returning right row
select session_user setof similar smallint some substring symmetric system_user table tablesample
then time timestamp to trailing treat trim true union unique user using values varchar variadic
verbose when where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest
xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
)

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/

/**
 * Quotes a name for PostgreSQL only when it must be: a lower-case plain name that is not a
 * keyword stays bare, anything else is double-quoted with inner quotes doubled. PostgreSQL folds
 * unquoted names to lower case (manual, 4.1.1 "Identifiers and Key Words"), so `createdAt` needs
 * quotes and `created_at` does not.
 *
 * @example
 * quoteIdentifier('email')     // email
 * quoteIdentifier('isActive')  // "isActive"
 * quoteIdentifier('user')      // "user" (a reserved word)
 */
export function quoteIdentifier(name: string): string {
  if (PLAIN_IDENTIFIER.test(name) && !KEYWORDS.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

/** Quotes a possibly schema-qualified name: `schema.name`, or `name` when `schema` is undefined. */
export function quoteQualified(schema: string | undefined, name: string): string {
  return schema === undefined
    ? quoteIdentifier(name)
    : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`
}

/**
 * A string constant as PostgreSQL's deparser prints it (`pg_get_expr`, `pg_get_viewdef`): single
 * quotes doubled, never the `E'...'` form. Text compared with the printed form must be spelled so.
 */
export function quotePrintedString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/**
 * A string constant that means the same text whatever `standard_conforming_strings` says: single
 * quotes doubled, and — only when the text holds a backslash — the escape-string form `E'...'`
 * with backslashes doubled. A plain `'...'` treats backslashes as escapes when the setting is off
 * (manual, 4.1.2.1-4.1.2.2), which let a crafted value end the literal early; the escape form is
 * read the same way under both settings, as PostgreSQL's own `quote_literal` writes it.
 */
export function quoteString(text: string): string {
  const quoted = text.replace(/'/g, "''")
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`
}

/**
 * The text of an array value, `{"a","b",NULL,{...}}`: every element double-quoted with `\` and `"`
 * escaped by a backslash, nested arrays as nested braces (manual, 8.15.2 "Array Value Input").
 * `element` renders one non-null, non-array item as text.
 */
export function arrayText(
  items: readonly unknown[],
  element: (item: unknown) => string = defaultElementText,
): string {
  const parts = items.map((item) => {
    if (item === null || item === undefined) return 'NULL'
    if (Array.isArray(item)) return arrayText(item, element)
    return `"${element(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  })
  return `{${parts.join(',')}}`
}

/**
 * The text PostgreSQL parses for a JavaScript value of no declared type: dates in ISO 8601 (UTC),
 * bytes in bytea hex form, objects as JSON, everything else as `String()` gives it.
 */
export function defaultElementText(item: unknown): string {
  if (item instanceof Date) return item.toISOString()
  if (item instanceof Uint8Array) return byteaHex(item)
  if (typeof item === 'object' && item !== null) return jsonText(item)
  return String(item)
}

/** bytea's hex input form, `\x0aff` (manual, 8.4.1 "bytea Hex Format"). */
export function byteaHex(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
}

interface JsonWithRaw {
  rawJSON(text: string): unknown
}

/** JSON text of a value; a bigint is written as a JSON number with all its digits. */
export function jsonText(value: unknown): string {
  const text: string | undefined = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? (JSON as unknown as JsonWithRaw).rawJSON(item.toString()) : item,
  )
  // JSON.stringify returns undefined for undefined and functions; JSON has only null for those.
  return text ?? 'null'
}
