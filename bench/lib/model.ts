/**
 * The one model description S4's autogenerate tools render (aludel's DSL, SQLAlchemy tables,
 * drizzle's pg-core): N tables, each with 10 columns of mixed types, a primary key, 2 indexes and
 * a foreign key to another table (see below). S8 renders its SQLite variant
 * ({@link sqliteModelTables}: aludel's DSL, drizzle's sqlite-core). Indexes are plain column
 * indexes so that every tool can express and compare them: Alembic skips expression indexes.
 *
 * The foreign keys form a binary tree (table i references table (i-1)/2), not a chain: SQLAlchemy
 * reflects referenced tables recursively, and a 300-deep chain exceeds Python's recursion limit
 * in Alembic's compare (RecursionError), which no real schema would provoke.
 */

/** The table that table `i` references: its parent in a binary tree; the root references itself. */
const parentOf = (i: number) => (i === 0 ? 0 : Math.floor((i - 1) / 2))

/** The column types of the model, named by what they are in PostgreSQL. */
export type ColumnKind =
  | 'serial'
  | 'integer'
  | 'varchar100'
  | 'text'
  | 'numeric10_2'
  | 'boolean'
  | 'timestamptz'
  | 'jsonb'
  | 'text[]'
  | 'uuid'
  /** A list stored as JSON: SQLite's stand-in for `text[]`, which it cannot hold. */
  | 'json'

/** A column's default: a literal, or `now()`. */
export type ColumnDefault =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'json'; readonly value: object }
  | { readonly kind: 'now' }

export interface ModelColumn {
  readonly name: string
  readonly kind: ColumnKind
  readonly primaryKey: boolean
  readonly notNull: boolean
  readonly default?: ColumnDefault
}

export interface ModelTable {
  readonly name: string
  readonly columns: readonly ModelColumn[]
  /** Two indexes, each over column names. */
  readonly indexes: readonly { readonly name: string; readonly columns: readonly string[] }[]
  /** `parent_id` references this table's `id`, `ON DELETE SET NULL`. */
  readonly references: string
  readonly foreignKeyName: string
}

const column = (
  name: string,
  kind: ColumnKind,
  options: Partial<Omit<ModelColumn, 'name' | 'kind'>> = {},
): ModelColumn => ({ name, kind, primaryKey: false, notNull: false, ...options })

/** The model of `size` tables, `m_00000` to `m_<size-1>`. */
export function modelTables(size: number): ModelTable[] {
  const name = (i: number) => `m_${String(i).padStart(5, '0')}`
  return Array.from({ length: size }, (_, i) => ({
    name: name(i),
    columns: [
      column('id', 'serial', { primaryKey: true, notNull: true }),
      column('parent_id', 'integer'),
      column('name', 'varchar100', { notNull: true, default: { kind: 'string', value: '' } }),
      column('email', 'text'),
      column('price', 'numeric10_2', { notNull: true, default: { kind: 'string', value: '0' } }),
      column('active', 'boolean', { notNull: true, default: { kind: 'boolean', value: true } }),
      column('created_at', 'timestamptz', { notNull: true, default: { kind: 'now' } }),
      column('data', 'jsonb', { notNull: true, default: { kind: 'json', value: {} } }),
      column('tags', 'text[]'),
      column('uid', 'uuid'),
    ],
    indexes: [
      { name: `ix_${name(i)}_parent_id_created_at`, columns: ['parent_id', 'created_at'] },
      { name: `ix_${name(i)}_email`, columns: ['email'] },
    ],
    references: name(parentOf(i)),
    foreignKeyName: `fk_${name(i)}_parent_id_${name(parentOf(i))}`,
  }))
}

/**
 * The model of {@link modelTables} in a form SQLite can hold, for S8: the same tables, columns,
 * defaults, indexes and foreign keys, except that the `text[]` column becomes a JSON list (SQLite
 * has no arrays; enums and intervals, which it lacks too, are not in the model). Each renderer
 * spells a default of `now` as `CURRENT_TIMESTAMP` on SQLite.
 */
export function sqliteModelTables(size: number): ModelTable[] {
  return modelTables(size).map((t) => ({
    ...t,
    columns: t.columns.map((c) => (c.kind === 'text[]' ? { ...c, kind: 'json' } : c)),
  }))
}

/**
 * The model of {@link modelTables} in a form MariaDB and MySQL can hold, for S9: the same tables,
 * defaults, indexes and foreign keys, except that the `text[]` column becomes a JSON list (no
 * arrays), `jsonb` is `json` (MySQL has one JSON type), and the indexed `email` column is a
 * `varchar(100)` (MySQL indexes a `text` column only by a prefix of a stated length). `uuid` is
 * `char(36)` in every renderer (MySQL has no uuid type) and a default of `now` is
 * `CURRENT_TIMESTAMP`.
 */
export function mysqlModelTables(size: number): ModelTable[] {
  const kinds: Partial<Record<ColumnKind, ColumnKind>> = { 'text[]': 'json', jsonb: 'json' }
  return modelTables(size).map((t) => ({
    ...t,
    columns: t.columns.map((c) =>
      c.name === 'email' ? { ...c, kind: 'varchar100' } : { ...c, kind: kinds[c.kind] ?? c.kind },
    ),
  }))
}
