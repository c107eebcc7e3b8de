/**
 * S7's database, described once as one SQL script that `psql` loads (untimed): the shape of a
 * real application's schema for `pull` to read. Tables are S4's model (`lib/model.ts`: 10 columns
 * of mixed types, a primary key, 2 indexes and a foreign key each); views over them, every third
 * one joining a table with the table its foreign key references; functions in SQL and PL/pgSQL
 * with a mix of volatility (lookups, counts, row sets, a procedure-like updater); and a trigger on
 * every sixth table, all using one shared trigger function.
 */
import { readFileSync } from 'node:fs'
import { type ColumnDefault, type ModelColumn, type ModelTable, modelTables } from './model.ts'

/** How much of each kind the database holds. */
export interface PullSizes {
  readonly tables: number
  readonly views: number
  readonly functions: number
}

/** The script, and what it made, for checking a tool's output. */
export interface PullDatabase {
  readonly sql: string
  readonly tables: readonly string[]
  readonly views: readonly string[]
  readonly functions: readonly string[]
  /** Tables with the shared trigger. */
  readonly triggers: number
}

/** Every {@link TRIGGER_EVERY}th table has the shared trigger: 50 of 300. */
const TRIGGER_EVERY = 6

/** The shared trigger function. */
export const TRIGGER_FUNCTION = 'touch_created_at'

/** The script that builds S7's database, in one transaction. */
export function pullDatabase(sizes: PullSizes): PullDatabase {
  const tables = modelTables(sizes.tables)
  if (tables.length === 0) throw new Error('S7 needs at least one table')
  const byName = new Map(tables.map((t) => [t.name, t]))
  const out: string[] = ['BEGIN;']
  for (const t of tables) out.push(createTable(t))
  // Foreign keys after every table, as pg_dump orders them: the tree references earlier tables.
  for (const t of tables) {
    out.push(
      `ALTER TABLE ${t.name} ADD CONSTRAINT ${t.foreignKeyName} FOREIGN KEY (parent_id) REFERENCES ${t.references} (id) ON DELETE SET NULL;`,
    )
  }
  const views: string[] = []
  for (let i = 0; i < sizes.views; i++) {
    const t = tables[i % tables.length]!
    const name = `v_${String(i).padStart(5, '0')}`
    views.push(name)
    out.push(
      i % 3 === 2
        ? `CREATE VIEW ${name} AS SELECT c.id, c.name, c.price, p.name AS parent_name, p.email AS parent_email FROM ${t.name} c LEFT JOIN ${byName.get(t.references)!.name} p ON p.id = c.parent_id WHERE c.active;`
        : `CREATE VIEW ${name} AS SELECT id, name, email, price, created_at FROM ${t.name} WHERE active AND price > ${i % 7};`,
    )
  }
  const functions: string[] = []
  for (let i = 0; i < sizes.functions; i++) {
    const t = tables[i % tables.length]!.name
    const name = `f_${String(i).padStart(5, '0')}`
    functions.push(name)
    out.push(functionSql(name, t, i))
  }
  out.push(`CREATE FUNCTION ${TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;`)
  let triggers = 0
  for (let i = 0; i < tables.length; i += TRIGGER_EVERY) {
    const t = tables[i]!.name
    out.push(
      `CREATE TRIGGER trg_${t}_touch BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${TRIGGER_FUNCTION}();`,
    )
    triggers++
  }
  out.push('COMMIT;', 'ANALYZE;', '')
  return { sql: out.join('\n'), tables: tables.map((t) => t.name), views, functions, triggers }
}

/** One of five function shapes, by `i`: SQL and PL/pgSQL, immutable to volatile. */
function functionSql(name: string, table: string, i: number): string {
  switch (i % 5) {
    case 0:
      return `CREATE FUNCTION ${name}(p_id integer) RETURNS text LANGUAGE sql STABLE AS $$ SELECT name FROM ${table} WHERE id = p_id $$;`
    case 1:
      return `CREATE FUNCTION ${name}(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT round(amount * (1 + rate), 2) $$;`
    case 2:
      return `CREATE FUNCTION ${name}(p_parent integer) RETURNS SETOF ${table} LANGUAGE sql STABLE AS $$ SELECT * FROM ${table} WHERE parent_id = p_parent ORDER BY created_at DESC $$;`
    case 3:
      return `CREATE FUNCTION ${name}(p_active boolean DEFAULT true) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM ${table} WHERE active = p_active;
  RETURN n;
END
$$;`
    default:
      return `CREATE FUNCTION ${name}(p_id integer, p_price numeric) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF p_price < 0 THEN
    RAISE EXCEPTION 'negative price % for %', p_price, p_id;
  END IF;
  UPDATE ${table} SET price = p_price WHERE id = p_id;
END
$$;`
  }
}

/** `CREATE TABLE` and its two indexes for one table of the model. */
function createTable(t: ModelTable): string {
  const columns = t.columns.map((c) => `  ${c.name} ${columnSql(c)}`)
  const indexes = t.indexes.map(
    (ix) => `CREATE INDEX ${ix.name} ON ${t.name} (${ix.columns.join(', ')});`,
  )
  return [`CREATE TABLE ${t.name} (\n${columns.join(',\n')}\n);`, ...indexes].join('\n')
}

function columnSql(c: ModelColumn): string {
  const type = {
    serial: 'serial',
    integer: 'integer',
    varchar100: 'varchar(100)',
    text: 'text',
    numeric10_2: 'numeric(10, 2)',
    boolean: 'boolean',
    timestamptz: 'timestamptz',
    jsonb: 'jsonb',
    'text[]': 'text[]',
    uuid: 'uuid',
    json: 'json',
  }[c.kind]
  const parts = [type]
  if (c.primaryKey) parts.push('PRIMARY KEY')
  else if (c.notNull) parts.push('NOT NULL')
  if (c.default !== undefined) parts.push(`DEFAULT ${defaultSql(c.default)}`)
  return parts.join(' ')
}

function defaultSql(d: ColumnDefault): string {
  switch (d.kind) {
    case 'string':
      return `'${d.value}'`
    case 'boolean':
      return String(d.value)
    case 'json':
      return `'${JSON.stringify(d.value)}'::jsonb`
    case 'now':
      return 'now()'
  }
}

/** What a tool's output must hold: `count` matches of `pattern`, named `what` in the error. */
export interface Expected {
  readonly what: string
  readonly pattern: RegExp
  readonly count: number
}

/** Throws unless `file` holds every expected count (a pull that left objects out). */
export function checkPulled(file: string, expected: readonly Expected[]): void {
  const text = readFileSync(file, 'utf8')
  for (const { what, pattern, count } of expected) {
    const found = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0
    if (found !== count) throw new Error(`${file} has ${found} ${what}, expected ${count}`)
  }
}
