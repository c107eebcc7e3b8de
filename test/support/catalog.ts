import type { TestDatabase } from './databases.ts'

/**
 * Everything PostgreSQL's catalogs say about the user schemas of a database, as plain sorted text
 * rows: enough to tell whether an operation and its reverse leave a database exactly as before.
 * aludel's own tables are left out. Columns are listed by name, not position: dropping a column and
 * adding it back puts it last, which no migration tool can undo and no query notices.
 */
export interface CatalogSnapshot {
  readonly schemas: readonly string[]
  readonly columns: readonly string[]
  readonly constraints: readonly string[]
  readonly indexes: readonly string[]
  readonly enums: readonly string[]
  readonly comments: readonly string[]
  readonly sequences: readonly string[]
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`
const NOT_ALUDEL = `c.relname NOT LIKE 'aludel\\_%'`

export function catalogSnapshot(db: TestDatabase): Promise<CatalogSnapshot> {
  return db.inspect(async (query) => {
    const texts = async (sql: string) => (await query<{ t: string }>(sql)).map((r) => r.t)
    return {
      schemas: await texts(
        `SELECT n.nspname AS t FROM pg_namespace n WHERE ${USER_SCHEMAS} ORDER BY 1`,
      ),
      columns: await texts(
        `SELECT format('%s.%s.%s %s%s%s%s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
              CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
              CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END,
              COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) AS t
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMAS} AND ${NOT_ALUDEL}
        ORDER BY n.nspname, c.relname, a.attname`,
      ),
      constraints: await texts(
        `SELECT format('%s.%s %s %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) AS t
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${USER_SCHEMAS} AND ${NOT_ALUDEL}
        ORDER BY 1`,
      ),
      indexes: await texts(
        `SELECT pg_get_indexdef(i.indexrelid) AS t
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${USER_SCHEMAS} AND ${NOT_ALUDEL}
        ORDER BY 1`,
      ),
      enums: await texts(
        `SELECT format('%s.%s %s', n.nspname, t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS t
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
        GROUP BY n.nspname, t.typname
        ORDER BY 1`,
      ),
      comments: await texts(
        `SELECT format('%s.%s%s: %s', n.nspname, c.relname, CASE WHEN d.objsubid > 0 THEN '.' || a.attname ELSE '' END, d.description) AS t
         FROM pg_description d
         JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
        WHERE ${USER_SCHEMAS}
        ORDER BY 1`,
      ),
      sequences: await texts(
        `SELECT format('%s.%s', n.nspname, c.relname) AS t
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND ${USER_SCHEMAS} AND ${NOT_ALUDEL}
        ORDER BY 1`,
      ),
    }
  })
}
