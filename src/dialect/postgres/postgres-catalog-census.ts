/**
 * Counts every kind of object of a PostgreSQL database's user schemas that a schema model might
 * leave out ({@link CENSUS_KINDS}), in one query. Triggers are counted once: the clones PostgreSQL
 * puts on each partition of a partitioned table (`tgparentid` set, PostgreSQL 13+) are the
 * parent's trigger, not objects of their own.
 */
import type { CensusCount, CensusKind } from '../catalog-census.ts'
import type { Connection } from '../connection.ts'
import type { IntrospectOptions } from '../dialect.ts'

/**
 * Schemas PostgreSQL keeps for itself, as the catalog reader leaves them out; `$2`, when given,
 * names the schemas to count instead.
 */
const userSchemas = (column: string, named: boolean) =>
  named
    ? `${column} = ANY($2::text[])`
    : `${column} NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND ${column} NOT LIKE 'pg\\_temp\\_%' AND ${column} NOT LIKE 'pg\\_toast\\_temp\\_%'`

/**
 * The census. Objects that belong to an extension are the extension's (pg_depend deptype 'e',
 * manual 38.17), and the tables `$1` names (`schema.table`: aludel's own) are left out with the
 * sequences they own. Privileges are counted item by item against `acldefault()`, what an object
 * has when nobody granted or revoked anything (manual, 5.8 "Privileges"), except PUBLIC's USAGE on
 * the `public` schema, which initdb grants.
 */
function censusSql(named: boolean): string {
  const ns = userSchemas('n.nspname', named)
  const notExt = (catalog: string, oid: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`
  const acl = (items: string, owner: string, kind: string, extra = 'true') => `
    (SELECT count(*) FROM aclexplode(${items}) a
      WHERE ${extra} AND NOT EXISTS (SELECT 1 FROM aclexplode(acldefault('${kind}', ${owner})) d
                        WHERE d.grantee = a.grantee AND d.privilege_type = a.privilege_type))
    + (SELECT count(*) FROM aclexplode(acldefault('${kind}', ${owner})) d
        WHERE ${items} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM aclexplode(${items}) a
                        WHERE d.grantee = a.grantee AND d.privilege_type = a.privilege_type))`
  return `
WITH own AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname || '.' || c.relname = ANY($1::text[])
),
excluded AS (
  SELECT oid FROM own
  UNION SELECT d.objid FROM pg_depend d
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
     AND d.refobjid IN (SELECT oid FROM own)
),
rel AS (
  SELECT c.oid, c.relkind, c.relispartition, c.relpersistence, c.relrowsecurity, c.reloptions,
         c.relacl, c.relowner,
         (SELECT pc.relispartition FROM pg_inherits h JOIN pg_class pc ON pc.oid = h.inhparent
           WHERE h.inhrelid = c.oid LIMIT 1) AS parent_is_partition,
         EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass
                   AND x.objid = c.oid AND x.deptype = 'i') AS identity_owned
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${ns} AND ${notExt('pg_class', 'c.oid')} AND c.oid NOT IN (SELECT oid FROM excluded)
),
proc AS (
  SELECT p.oid, p.prokind, p.proacl, p.proowner FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE ${ns} AND ${notExt('pg_proc', 'p.oid')}
     -- A range type's constructors are the type's own (deptype 'i').
     AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass
                       AND i.objid = p.oid AND i.deptype = 'i')
),
typ AS (
  SELECT t.oid, t.typtype, t.typacl, t.typowner, t.typrelid, t.typelem, t.typcategory
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE ${ns} AND ${notExt('pg_type', 't.oid')}
)
SELECT kind, count::int AS count FROM (
  SELECT 'tables' AS kind, count(*) FILTER (WHERE relkind IN ('r', 'p') AND NOT relispartition) AS count FROM rel
  UNION ALL SELECT 'partitions', count(*) FILTER (WHERE relkind IN ('r', 'p') AND relispartition AND NOT parent_is_partition) FROM rel
  UNION ALL SELECT 'subpartitions', count(*) FILTER (WHERE relkind IN ('r', 'p') AND relispartition AND parent_is_partition) FROM rel
  UNION ALL SELECT 'sequences', count(*) FILTER (WHERE relkind = 'S') FROM rel
  UNION ALL SELECT 'views', count(*) FILTER (WHERE relkind = 'v') FROM rel
  UNION ALL SELECT 'materializedViews', count(*) FILTER (WHERE relkind = 'm') FROM rel
  UNION ALL SELECT 'foreignTables', count(*) FILTER (WHERE relkind = 'f') FROM rel
  UNION ALL SELECT 'unloggedTables', count(*) FILTER (WHERE relkind IN ('r', 'p') AND relpersistence = 'u') FROM rel
  UNION ALL SELECT 'rowSecurity', count(*) FILTER (WHERE relrowsecurity) FROM rel
  UNION ALL SELECT 'storageParameters', count(*) FILTER (WHERE relkind IN ('r', 'p', 'm') AND reloptions IS NOT NULL) FROM rel
  UNION ALL SELECT 'functions', count(*) FILTER (WHERE prokind IN ('f', 'p')) FROM proc
  UNION ALL SELECT 'aggregates', count(*) FILTER (WHERE prokind = 'a') FROM proc
  UNION ALL SELECT 'windowFunctions', count(*) FILTER (WHERE prokind = 'w') FROM proc
  UNION ALL SELECT 'enums', count(*) FILTER (WHERE typtype = 'e') FROM typ
  UNION ALL SELECT 'domains', count(*) FILTER (WHERE typtype = 'd') FROM typ
  UNION ALL SELECT 'compositeTypes', count(*) FILTER (WHERE typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class tc WHERE tc.oid = typrelid AND tc.relkind = 'c')) FROM typ
  UNION ALL SELECT 'rangeTypes', count(*) FILTER (WHERE typtype = 'r') FROM typ
  UNION ALL SELECT 'baseTypes', count(*) FILTER (WHERE typtype = 'b' AND typcategory <> 'A') FROM typ
  UNION ALL SELECT 'triggers', count(*) FROM pg_trigger g JOIN rel r ON r.oid = g.tgrelid WHERE NOT g.tgisinternal AND g.tgparentid = 0
  UNION ALL SELECT 'eventTriggers', count(*) FROM pg_event_trigger v WHERE ${notExt('pg_event_trigger', 'v.oid')}
  UNION ALL SELECT 'triggerStates',
      (SELECT count(*) FROM pg_trigger g JOIN rel r ON r.oid = g.tgrelid WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND g.tgenabled <> 'O')
    + (SELECT count(*) FROM pg_event_trigger v WHERE v.evtenabled <> 'O' AND ${notExt('pg_event_trigger', 'v.oid')})
  UNION ALL SELECT 'extensions', count(*) FROM pg_extension x WHERE x.extname <> 'plpgsql'
  UNION ALL SELECT 'policies', count(*) FROM pg_policy y JOIN rel r ON r.oid = y.polrelid
  UNION ALL SELECT 'rules', count(*) FROM pg_rewrite w JOIN rel r ON r.oid = w.ev_class WHERE w.rulename <> '_RETURN'
  UNION ALL SELECT 'publications', count(*) FROM pg_publication
  UNION ALL SELECT 'foreignServers', (SELECT count(*) FROM pg_foreign_server s WHERE ${notExt('pg_foreign_server', 's.oid')})
                                   + (SELECT count(*) FROM pg_foreign_data_wrapper w WHERE ${notExt('pg_foreign_data_wrapper', 'w.oid')})
  UNION ALL SELECT 'collations', count(*) FROM pg_collation o JOIN pg_namespace n ON n.oid = o.collnamespace WHERE ${ns} AND ${notExt('pg_collation', 'o.oid')}
  UNION ALL SELECT 'operators',
      (SELECT count(*) FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE ${ns} AND ${notExt('pg_operator', 'o.oid')})
    + (SELECT count(*) FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace WHERE ${ns} AND ${notExt('pg_opclass', 'o.oid')})
    + (SELECT count(*) FROM pg_opfamily o JOIN pg_namespace n ON n.oid = o.opfnamespace WHERE ${ns} AND ${notExt('pg_opfamily', 'o.oid')})
  UNION ALL SELECT 'casts', count(*) FROM pg_cast k WHERE k.oid >= 16384 AND ${notExt('pg_cast', 'k.oid')}
     AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_cast'::regclass AND i.objid = k.oid AND i.deptype = 'i')
  UNION ALL SELECT 'textSearch',
      (SELECT count(*) FROM pg_ts_config o JOIN pg_namespace n ON n.oid = o.cfgnamespace WHERE ${ns} AND ${notExt('pg_ts_config', 'o.oid')})
    + (SELECT count(*) FROM pg_ts_dict o JOIN pg_namespace n ON n.oid = o.dictnamespace WHERE ${ns} AND ${notExt('pg_ts_dict', 'o.oid')})
  UNION ALL SELECT 'statistics', count(*) FROM pg_statistic_ext s JOIN rel r ON r.oid = s.stxrelid
  UNION ALL SELECT 'inheritance', count(*) FROM pg_inherits h JOIN rel r ON r.oid = h.inhrelid WHERE NOT r.relispartition AND r.relkind IN ('r', 'p', 'f')
  UNION ALL SELECT 'partitionIndexes', count(*) FROM pg_index i JOIN rel r ON r.oid = i.indrelid
     WHERE r.relispartition AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
  UNION ALL SELECT 'partitionConstraints', count(*) FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid
     WHERE r.relispartition AND k.contype IN ('c', 'f', 'u', 'p', 'x') AND k.coninhcount = 0 AND k.conparentid = 0
  UNION ALL SELECT 'otherComments',
      (SELECT count(*) FROM pg_description d JOIN pg_constraint k ON k.oid = d.objoid AND d.classoid = 'pg_constraint'::regclass JOIN rel r ON r.oid = k.conrelid)
    + (SELECT count(*) FROM pg_description d JOIN pg_index i ON i.indexrelid = d.objoid AND d.classoid = 'pg_class'::regclass JOIN rel r ON r.oid = i.indrelid)
  UNION ALL SELECT 'grants',
      (SELECT coalesce(sum(${acl('r.relacl', 'r.relowner', 's')}), 0) FROM rel r WHERE r.relkind = 'S')
    + (SELECT coalesce(sum(${acl('r.relacl', 'r.relowner', 'r')}), 0) FROM rel r WHERE r.relkind <> 'S')
    + (SELECT count(*) FROM pg_attribute t JOIN rel r ON r.oid = t.attrelid, aclexplode(t.attacl) a WHERE t.attacl IS NOT NULL)
    + (SELECT coalesce(sum(${acl('p.proacl', 'p.proowner', 'f')}), 0) FROM proc p)
    + (SELECT coalesce(sum(${acl('t.typacl', 't.typowner', 'T')}), 0) FROM typ t WHERE t.typcategory <> 'A')
    + (SELECT coalesce(sum(${acl('n.nspacl', 'n.nspowner', 'n', "NOT (n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'USAGE')")}), 0)
         FROM pg_namespace n WHERE ${ns} AND ${notExt('pg_namespace', 'n.oid')})
  UNION ALL SELECT 'defaultPrivileges', count(*) FROM pg_default_acl
) counts`
}

/**
 * Counts the objects of `options.schemas` (default: every user schema), leaving out the tables
 * `options.excludeTables` names and what belongs to extensions; objects of the default schema are
 * named `table` in `excludeTables`, others `schema.table`.
 */
export async function postgresCensus(
  connection: Connection,
  options: IntrospectOptions = {},
): Promise<readonly CensusCount[]> {
  const defaultSchema = options.defaultSchema ?? 'public'
  const excluded = (options.excludeTables ?? []).map((name) =>
    name.includes('.') ? name : `${defaultSchema}.${name}`,
  )
  const params: unknown[] = [excluded]
  if (options.schemas !== undefined) params.push(options.schemas)
  const rows = await connection.query<{ kind: CensusKind; count: number }>(
    censusSql(options.schemas !== undefined),
    params,
  )
  return rows.rows.map((row) => ({ kind: row.kind, count: Number(row.count) }))
}
