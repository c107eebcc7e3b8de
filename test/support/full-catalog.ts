import { type CatalogSnapshot, catalogSnapshot } from './catalog.ts'
import type { TestDatabase } from './databases.ts'

/**
 * Everything PostgreSQL's catalogs say about the user schemas of a database, beyond
 * {@link catalogSnapshot}'s tables: each column's collation and generation expression, partition
 * keys and every partition with its bound, relation kinds and persistence, and the other objects
 * of a schema (sequences with their owner, views and materialized views with their definition,
 * functions, aggregates, triggers, domains, composite types, extensions). Sorted text rows, so
 * that two databases built differently compare with `toEqual`. aludel's own tables are left out.
 */
export interface FullCatalog extends CatalogSnapshot {
  readonly relations: readonly string[]
  readonly columnDetails: readonly string[]
  readonly partitions: readonly string[]
  readonly sequenceDetails: readonly string[]
  readonly views: readonly string[]
  readonly functions: readonly string[]
  readonly triggers: readonly string[]
  readonly types: readonly string[]
  readonly extensions: readonly string[]
  readonly objectComments: readonly string[]
}

const USER = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`
const NOT_ALUDEL = `c.relname NOT LIKE 'aludel\\_%'`
const NOT_EXTENSION = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`

/** Reads {@link FullCatalog} in one session. */
export async function fullCatalog(db: TestDatabase): Promise<FullCatalog> {
  const tables = await catalogSnapshot(db)
  return db.inspect(async (query) => {
    const texts = async (sql: string) => (await query<{ t: string }>(sql)).map((r) => r.t)
    return {
      ...tables,
      relations: await texts(
        `SELECT format('%s.%s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence) AS t
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE ${USER} AND ${NOT_ALUDEL} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
            AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') ORDER BY 1`,
      ),
      columnDetails: await texts(
        `SELECT format('%s.%s.%s collation %s generated %s', n.nspname, c.relname, a.attname,
                COALESCE(co.collname, '-'),
                CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) ELSE '-' END) AS t
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_collation co ON co.oid = a.attcollation
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
            AND ${USER} AND ${NOT_ALUDEL} ORDER BY 1`,
      ),
      partitions: await texts(
        `SELECT format('%s.%s %s', n.nspname, c.relname, pg_get_partkeydef(c.oid)) AS t
           FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}
         UNION ALL
         SELECT format('%s.%s of %s %s', n.nspname, c.relname, h.inhparent::regclass,
                pg_get_expr(c.relpartbound, c.oid)) AS t
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_inherits h ON h.inhrelid = c.oid
          WHERE c.relispartition AND c.relkind IN ('r', 'p') AND ${USER} ORDER BY 1`,
      ),
      sequenceDetails: await texts(
        `SELECT format('%s.%s %s start %s inc %s min %s max %s cache %s cycle %s owner %s',
                n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                COALESCE((SELECT d.refobjid::regclass::text || '.' || a.attname
                            FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid
                                 AND a.attnum = d.refobjsubid
                           WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                             AND d.deptype IN ('a', 'i') LIMIT 1), '-')) AS t
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_sequence s ON s.seqrelid = c.oid
          WHERE ${USER} AND ${NOT_ALUDEL} ORDER BY 1`,
      ),
      views: await texts(
        `SELECT format('%s.%s %s %s', n.nspname, c.relname, c.relkind,
                regexp_replace(pg_get_viewdef(c.oid, true), '\\s+', ' ', 'g')) AS t
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('v', 'm') AND ${USER} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
          ORDER BY 1`,
      ),
      functions: await texts(
        `SELECT CASE WHEN p.prokind = 'a'
                     THEN format('aggregate %s.%s(%s)', n.nspname, p.proname, pg_get_function_arguments(p.oid))
                     ELSE pg_get_functiondef(p.oid) END AS t
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE ${USER} AND ${NOT_EXTENSION('pg_proc', 'p.oid')} ORDER BY 1`,
      ),
      triggers: await texts(
        `SELECT pg_get_triggerdef(g.oid, true) AS t
           FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE NOT g.tgisinternal AND ${USER} ORDER BY 1`,
      ),
      types: await texts(
        `SELECT format('%s.%s %s %s', n.nspname, t.typname, t.typtype,
                CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                       || COALESCE(' default ' || pg_get_expr(t.typdefaultbin, 0), '')
                       || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
                       || COALESCE((SELECT ' ' || string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname)
                                      FROM pg_constraint k WHERE k.contypid = t.oid), '')
                     WHEN t.typtype = 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                                  FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0)
                     ELSE '' END) AS t
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype IN ('d', 'e', 'r') AND ${USER} AND ${NOT_EXTENSION('pg_type', 't.oid')}
             OR (t.typtype = 'c' AND ${USER} AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
          ORDER BY 1`,
      ),
      extensions: await texts(
        `SELECT format('%s %s', e.extname, n.nspname) AS t
           FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname <> 'plpgsql' ORDER BY 1`,
      ),
      objectComments: await texts(
        `SELECT format('%s %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description) AS t
           FROM pg_description d
          WHERE d.classoid <> 'pg_class'::regclass AND d.objoid >= 16384
            AND d.classoid <> 'pg_extension'::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid
                              AND e.objid = d.objoid AND e.deptype = 'e') ORDER BY 1`,
      ),
    }
  })
}
