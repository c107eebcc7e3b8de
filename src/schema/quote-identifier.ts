/**
 * Keywords that PostgreSQL does not accept as bare identifiers everywhere: categories R
 * (reserved), T (reserved, can be function or type) and C (cannot be function or type), as
 * listed by `pg_get_keywords()` on PostgreSQL 18. Quoting a few harmless words is cheaper than
 * failing on one that matters. The PostgreSQL dialect quotes with this function too.
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

/**
 * Quotes a possibly schema-qualified name, each part only when it must be.
 *
 * @example
 * quoteQualifiedName('auth', 'users')    // auth.users
 * quoteQualifiedName(undefined, 'order') // "order"
 */
export function quoteQualifiedName(schema: string | undefined, name: string): string {
  return schema === undefined
    ? quoteIdentifier(name)
    : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`
}
