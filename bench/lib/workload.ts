/**
 * The one description every tool's migrations are generated from: a list of migrations, each
 * creating one table with the same three columns, linked into a chain or into a graph with
 * branches and merges. Each tool adapter renders it in its own format (its schema builder or SQL
 * files); the psql floor renders it as plain SQL.
 */

/** One migration of the workload. */
export interface MigrationSpec {
  /** Position in the topological order, from 0. */
  readonly index: number
  /** 12 hex digits, usable as an aludel or Alembic revision id. */
  readonly revision: string
  /** Parent revisions: none for the root, one normally, two for a merge. */
  readonly parents: readonly string[]
  readonly message: string
  /** The table it creates (upgrade) and drops (downgrade). */
  readonly table: string
}

/** The migrations, in an order where every parent comes before its children. */
export interface MigrationPlan {
  readonly shape: 'chain' | 'graph'
  readonly migrations: readonly MigrationSpec[]
}

/**
 * The table each migration creates, as the task states it:
 * `id serial primary key, name text not null, created_at timestamptz default now()`.
 */
export function createTableSql(table: string): string {
  return `CREATE TABLE ${table} (id serial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())`
}

/**
 * The same table in SQLite's spelling, for S8: `integer PRIMARY KEY` (the rowid, SQLite's
 * auto-numbered key), `text NOT NULL`, and a timestamp defaulting to `CURRENT_TIMESTAMP` (SQLite
 * has no `now()`).
 */
export function createTableSqliteSql(table: string): string {
  return `CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, created_at timestamp DEFAULT CURRENT_TIMESTAMP)`
}

/**
 * The same table in MariaDB's and MySQL's spelling, for S9: an `int AUTO_INCREMENT` key (MySQL's
 * `serial` is a `bigint unsigned`), `text NOT NULL`, and a `timestamp` defaulting to
 * `CURRENT_TIMESTAMP`, written exactly as aludel sends it (the floor sends this).
 */
export function createTableMysqlSql(table: string): string {
  return `CREATE TABLE ${table} ( id int NOT NULL AUTO_INCREMENT, name text NOT NULL, created_at timestamp NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id) )`
}

/** The downgrade of {@link createTableSql}. */
export function dropTableSql(table: string): string {
  return `DROP TABLE ${table}`
}

/** The revision id of the `i`-th migration: 12 hex digits. */
export const revisionOf = (i: number) => i.toString(16).padStart(12, '0')
const tableOf = (i: number) => `t_${String(i).padStart(5, '0')}`

/** `size` migrations in a single line, each on top of the one before. */
export function chain(size: number): MigrationPlan {
  const migrations = Array.from({ length: size }, (_, i) => ({
    index: i,
    revision: revisionOf(i),
    parents: i === 0 ? [] : [revisionOf(i - 1)],
    message: `create ${tableOf(i)}`,
    table: tableOf(i),
  }))
  return { shape: 'chain', migrations }
}

/** Revisions per block of {@link graph}: a fork, two branches of 4, and their merge. */
export const GRAPH_BLOCK = 10

/**
 * `size` migrations (a multiple of 10) in blocks shaped like a team's history: a fork revision,
 * two branches of four revisions each built on it, and a merge of the two branches; the next
 * block's fork is built on the merge. 10,000 revisions hold 1,000 branch points and 1,000 merges,
 * with a single head.
 */
export function graph(size: number): MigrationPlan {
  if (size % GRAPH_BLOCK !== 0) throw new Error(`graph size must be a multiple of ${GRAPH_BLOCK}`)
  const migrations: MigrationSpec[] = []
  const add = (parents: readonly string[], what: string): string => {
    const i = migrations.length
    migrations.push({
      index: i,
      revision: revisionOf(i),
      parents,
      message: `${what}: create ${tableOf(i)}`,
      table: tableOf(i),
    })
    return revisionOf(i)
  }
  let tip: string | undefined
  for (let block = 0; block < size / GRAPH_BLOCK; block++) {
    const fork = add(tip === undefined ? [] : [tip], 'fork')
    const ends = ['left', 'right'].map((side) => {
      let end = fork
      for (let step = 0; step < 4; step++) end = add([end], `${side} branch`)
      return end
    })
    tip = add(ends, 'merge')
  }
  return { shape: 'graph', migrations }
}

/**
 * The same migrations as one line in their topological order, for tools that have no merges:
 * each migration's parent becomes the one before it.
 */
export function linearized(plan: MigrationPlan): MigrationPlan {
  return {
    shape: 'chain',
    migrations: plan.migrations.map((m, i, all) => ({
      ...m,
      parents: i === 0 ? [] : [all[i - 1]!.revision],
    })),
  }
}
