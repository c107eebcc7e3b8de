/**
 * Words that some engine aludel supports reads as a keyword where a model's SQL names a column or
 * a table: everything PostgreSQL reserves (categories R, T and C of `pg_get_keywords()`), and every
 * word that MariaDB 11 or SQLite 3.4x refuses or misreads as a bare column in an expression or as
 * a table after FROM (probed on each server), plus MySQL 8.0/8.4's additions from its manual. A
 * model is written once for every engine, so a name is left bare only when all of them read it as
 * that name; each dialect spells the identifiers of the DDL it writes by its own rule.
 */
const RESERVED_SOMEWHERE: ReadonlySet<string> = new Set(
  `accessible add all alter analyse analyze and any array as asc asensitive asymmetric authorization
autoincrement before between bigint binary bit blob boolean both by call cascade case cast change
char character check coalesce collate collation column commit concurrently condition constraint
continue convert create cross cube cume_dist current_catalog current_date current_role
current_schema current_time current_timestamp current_user cursor databases day_hour
day_microsecond day_minute day_second dec decimal declare default deferrable delayed delete
delete_domain_id dense_rank desc describe deterministic distinct distinctrow div do do_domain_ids
double drop dual each else elseif empty enclosed end escape escaped except exists exit explain
extract false fetch first_value float float4 float8 for force foreign freeze from full fulltext
function grant greatest group grouping groups having high_priority hour_microsecond hour_minute
hour_second if ignore ignore_domain_ids ilike in index infile initially inner inout insensitive
insert int int1 int2 int3 int4 int8 integer intersect interval into is isnull iterate join json
json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar
json_serialize json_table json_value key keys kill lag last_value lateral lead leading least leave
left like limit linear lines load localtime localtimestamp lock long longblob longtext loop
low_priority manual master_demote_to_replica master_demote_to_slave master_ssl_verify_server_cert
match maxvalue mediumblob mediumint mediumtext member merge_action middleint minute_microsecond
minute_second mod modifies national natural nchar no_write_to_binlog none normalize not nothing
notnull nth_value ntile null nullif numeric of offset on only optimize optionally or order out
outer outfile over overlaps overlay page_checksum parallel parse_vcol_expr partition percent_rank
placing portion position precision primary procedure purge qualify raise range rank read
read_write reads real recursive ref_system_id references regexp release rename repeat replace
require resignal restrict return returning revoke right rlike row row_number rows schemas
second_microsecond select sensitive separator session_user set setof show signal similar smallint
some spatial specific sql sql_big_result sql_buffer_result sql_cache sql_calc_found_rows
sql_no_cache sql_small_result sqlexception sqlstate sqlwarning ssl starting stats_auto_recalc
stats_persistent stats_sample_pages straight_join substring symmetric system system_user table
tablesample terminated then time timestamp tinyblob tinyint tinytext to trailing transaction treat
trigger trim true undo union unique unlock unsigned update usage use user using utc_date utc_time
utc_timestamp values varbinary varchar varcharacter variadic varying verbose when where while
window with write xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse
xmlpi xmlroot xmlserialize xmltable xor year_month zerofill`.split(/\s+/),
)

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/

/**
 * Quotes a name in the model's SQL notation: a lower-case plain name that no supported engine
 * reserves stays bare, anything else is a delimited identifier (double quotes, inner quotes
 * doubled), the SQL standard's spelling, which PostgreSQL and SQLite read as it is and the MySQL
 * dialect turns into backticks. Names are compared exactly, so `createdAt` needs quotes and
 * `created_at` does not.
 *
 * @example
 * quoteIdentifier('email')     // email
 * quoteIdentifier('isActive')  // "isActive"
 * quoteIdentifier('user')      // "user" (reserved by PostgreSQL)
 * quoteIdentifier('key')       // "key" (reserved by MySQL)
 */
export function quoteIdentifier(name: string): string {
  if (PLAIN_IDENTIFIER.test(name) && !RESERVED_SOMEWHERE.has(name)) return name
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

/**
 * A possibly qualified name's SQL text as a lookup key: quotes dropped around parts that are plain
 * lower-case words, then lower-cased, so the model's spelling (`"key"`) and an engine's spelling
 * (`key`) of one name meet.
 *
 * @example
 * nameKey('auth."key"') === nameKey('auth.key') // true
 */
export function nameKey(text: string): string {
  return text
    .trim()
    .replace(/"([a-z_][a-z0-9_$]*)"/g, '$1')
    .toLowerCase()
}
