import type { MigrationSpec } from '../support/project.ts'

/**
 * The lint corpus: one migration (or more) per rule, each with the rule ids lint must report for
 * it, and what the measured trace must say. The main chain applies in order on a real database
 * (its trace runs from base); the leaves fail on purpose and branch off its last revision.
 */
export interface CorpusCase extends Omit<MigrationSpec, 'revision' | 'down'> {
  readonly name: string
  /** Rule ids the rules report, each once per finding, sorted. */
  readonly rules: readonly string[]
  /**
   * What the trace adds: `refuted` (rule ids the trace contradicts), `traceOnly` (ids of findings
   * only the trace reports), `fails` (the migration fails on the scratch database).
   */
  readonly trace?: {
    readonly refuted?: readonly string[]
    readonly traceOnly?: readonly string[]
    readonly fails?: boolean
  }
}

const builders =
  "import { bigint, integer, json, sql, text, timestamp, uuid, varchar } from 'aludel'"

/** The schema every case builds on; it must itself produce no finding. */
const FIXTURE = `
  await op.execute(\`
    CREATE TYPE mood AS ENUM ('happy', 'sad');
    CREATE SCHEMA scratchpad;
    CREATE FUNCTION app_default() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
    CREATE TABLE users (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email varchar(100) NOT NULL,
      name text,
      nickname varchar(20),
      mood mood
    );
    CREATE TABLE orders (
      id bigint PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id),
      total numeric(10, 2) NOT NULL,
      note text,
      status text
    );
    CREATE TABLE items (
      id bigint PRIMARY KEY,
      order_id bigint NOT NULL,
      buyer_id bigint,
      sku varchar(20) NOT NULL,
      qty integer NOT NULL
    );
    CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), body text);
    CREATE TABLE audit (id bigint NOT NULL, entry text);
    CREATE TABLE bookings (id bigint PRIMARY KEY, period tstzrange);
    CREATE TABLE measurements (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE measurements_2020 PARTITION OF measurements FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
    INSERT INTO users (email, name, nickname) SELECT 'u' || g || '@example.com', 'user ' || g, 'n' || g FROM generate_series(1, 50) g;
    INSERT INTO orders (id, user_id, total, note, status) SELECT g, 1 + g % 50, g, 'note', 'new' FROM generate_series(1, 200) g;
    INSERT INTO items (id, order_id, buyer_id, sku, qty) SELECT g, 1 + g % 200, 1 + g % 50, 'sku-' || g, g FROM generate_series(1, 400) g;
    INSERT INTO audit (id, entry) SELECT g, 'entry' FROM generate_series(1, 20) g;
    INSERT INTO notes (id, user_id, body) SELECT g, 1 + g % 50, 'x' FROM generate_series(1, 20) g;
  \`)`

const long = 'x'.repeat(70)

/** The main chain, in order; the first is the fixture. */
export const MAIN_CHAIN: readonly CorpusCase[] = [
  { name: 'fixture', upgrade: FIXTURE, rules: [] },
  {
    name: 'plain index on an existing table',
    upgrade: "await op.createIndex('ix_orders_status', 'orders', ['status'])",
    rules: ['require-concurrent-index-creation'],
  },
  {
    name: 'plain index drop',
    upgrade: "await op.dropIndex('ix_orders_status')",
    rules: ['require-concurrent-index-deletion'],
  },
  {
    name: 'concurrent index, retry-safe',
    transactional: false,
    upgrade:
      "await op.createIndex('ix_orders_note', 'orders', ['note'], { concurrently: true, ifNotExists: true })",
    rules: [],
  },
  {
    name: 'concurrent drop, retry-safe',
    transactional: false,
    upgrade: "await op.dropIndex('ix_orders_note', { concurrently: true, ifExists: true })",
    rules: [],
  },
  {
    name: 'concurrent index without IF NOT EXISTS',
    transactional: false,
    upgrade: "await op.createIndex('ix_items_qty', 'items', ['qty'], { concurrently: true })",
    rules: ['prefer-robust-stmts'],
  },
  {
    name: 'validated foreign key',
    upgrade: "await op.createForeignKey('fk_items_order', 'items', 'orders', ['order_id'], ['id'])",
    rules: ['constraint-missing-not-valid'],
  },
  {
    name: 'foreign key NOT VALID',
    upgrade:
      "await op.createForeignKey('fk_items_buyer', 'items', 'users', ['buyer_id'], ['id'], { notValid: true })",
    rules: [],
  },
  {
    name: 'validation in its own migration',
    upgrade: "await op.execute('ALTER TABLE items VALIDATE CONSTRAINT fk_items_buyer')",
    rules: [],
  },
  {
    name: 'validated check',
    upgrade: "await op.createCheckConstraint('ck_orders_total', 'orders', 'total >= 0')",
    rules: ['constraint-missing-not-valid'],
  },
  {
    name: 'NOT VALID check validated in the same transaction',
    upgrade:
      "await op.createCheckConstraint('ck_items_qty', 'items', 'qty >= 0', { notValid: true })\n  await op.execute('ALTER TABLE items VALIDATE CONSTRAINT ck_items_qty')",
    rules: ['constraint-missing-not-valid'],
  },
  {
    name: 'SET NOT NULL with a scan',
    upgrade: "await op.alterColumn('users', 'name', { nullable: false })",
    rules: ['adding-not-nullable-field'],
  },
  {
    name: 'NOT NULL check, NOT VALID',
    upgrade:
      "await op.createCheckConstraint('ck_users_nickname_nn', 'users', 'nickname IS NOT NULL', { notValid: true })",
    rules: [],
  },
  {
    name: 'NOT NULL check validated',
    upgrade: "await op.execute('ALTER TABLE users VALIDATE CONSTRAINT ck_users_nickname_nn')",
    rules: [],
  },
  {
    name: 'SET NOT NULL proven by the check',
    upgrade:
      "await op.alterColumn('users', 'nickname', { nullable: false })\n  await op.dropConstraint('ck_users_nickname_nn', 'users')",
    rules: [],
  },
  {
    name: 'DROP NOT NULL',
    upgrade: "await op.alterColumn('users', 'name', { nullable: true })",
    rules: ['ban-drop-not-null'],
  },
  {
    name: 'nullable column',
    extra: builders,
    upgrade: "await op.addColumn('orders', 'coupon', text())",
    rules: [],
  },
  {
    name: 'constant default',
    extra: builders,
    upgrade: "await op.addColumn('orders', 'priority', integer().notNull().default(0))",
    rules: [],
  },
  {
    name: 'volatile default',
    extra: builders,
    upgrade: "await op.addColumn('orders', 'token', uuid().default(sql`gen_random_uuid()`))",
    rules: ['adding-field-with-volatile-default'],
  },
  {
    name: 'now() default',
    extra: builders,
    upgrade: "await op.execute('ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now()')",
    rules: [],
  },
  {
    name: 'identity column',
    extra: builders,
    upgrade: "await op.addColumn('items', 'seq', bigint().identity())",
    rules: ['adding-serial-or-identity-field'],
  },
  {
    name: 'serial column',
    upgrade: "await op.execute('ALTER TABLE items ADD COLUMN legacy_no bigserial')",
    rules: ['adding-serial-or-identity-field'],
  },
  {
    name: 'stored generated column',
    upgrade:
      "await op.execute('ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (id * 100) STORED')",
    rules: ['adding-stored-generated-field'],
  },
  {
    name: 'drop column',
    upgrade: "await op.dropColumn('orders', 'coupon')",
    rules: ['ban-drop-column'],
  },
  {
    name: 'varchar grows',
    extra: builders,
    upgrade: "await op.alterColumn('items', 'sku', { type: varchar(40) })",
    rules: [],
  },
  {
    name: 'varchar to text',
    extra: builders,
    upgrade: "await op.alterColumn('users', 'nickname', { type: text() })",
    rules: [],
  },
  {
    name: 'integer to bigint',
    extra: builders,
    upgrade: "await op.alterColumn('items', 'qty', { type: bigint() })",
    rules: ['changing-column-type'],
  },
  {
    name: 'varchar shrinks',
    extra: builders,
    upgrade: "await op.alterColumn('items', 'sku', { type: varchar(10) })",
    rules: ['changing-column-type'],
  },
  {
    name: 'numeric precision grows',
    upgrade: "await op.execute('ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2)')",
    // Free by the type rules, but PostgreSQL re-adds and re-checks ck_orders_total, which reads
    // total: the trace sees the scan under ACCESS EXCLUSIVE that no rule predicts.
    rules: [],
    trace: { traceOnly: ['trace-blocking-lock'] },
  },
  {
    name: 'timestamp without time zone',
    extra: builders,
    upgrade: "await op.addColumn('orders', 'legacy_at', timestamp())",
    rules: ['prefer-timestamptz'],
  },
  {
    name: 'unique constraint',
    upgrade: "await op.createUniqueConstraint('uq_users_email', 'users', ['email'])",
    rules: ['disallowed-unique-constraint'],
  },
  {
    name: 'unique index built concurrently',
    transactional: false,
    upgrade:
      "await op.createIndex('ux_items_sku', 'items', ['sku'], { unique: true, concurrently: true, ifNotExists: true })",
    rules: [],
  },
  {
    name: 'unique constraint USING INDEX',
    upgrade:
      "await op.execute('ALTER TABLE items ADD CONSTRAINT uq_items_sku UNIQUE USING INDEX ux_items_sku')",
    rules: [],
  },
  {
    name: 'primary key on an existing table',
    upgrade: "await op.createPrimaryKey('pk_audit', 'audit', ['id'])",
    rules: ['adding-primary-key-field'],
  },
  {
    name: 'rename column',
    upgrade: "await op.alterColumn('users', 'name', { rename: 'full_name' })",
    rules: ['renaming-column'],
  },
  {
    name: 'rename table',
    upgrade: "await op.renameTable('audit', 'audit_log')",
    rules: ['renaming-table'],
  },
  {
    name: 'rename enum value',
    upgrade: "await op.renameEnumValue('mood', 'sad', 'blue')",
    rules: ['renaming-enum-value'],
  },
  { name: 'add enum value', upgrade: "await op.addEnumValue('mood', 'calm')", rules: [] },
  {
    name: 'truncate cascade',
    upgrade: "await op.execute('TRUNCATE audit_log CASCADE')",
    rules: ['ban-truncate-cascade'],
  },
  {
    name: 'vacuum full',
    transactional: false,
    upgrade: "await op.execute('VACUUM FULL audit_log')",
    rules: ['prefer-repack'],
  },
  {
    name: 'cluster',
    upgrade: "await op.execute('CLUSTER items USING items_pkey')",
    rules: ['prefer-repack'],
  },
  {
    name: 'json column',
    extra: builders,
    upgrade: "await op.addColumn('orders', 'meta', json())",
    rules: ['prefer-jsonb'],
  },
  {
    name: 'reindex',
    upgrade: "await op.execute('REINDEX TABLE items')",
    rules: ['require-concurrent-reindex'],
  },
  {
    name: 'identifier over 63 bytes',
    upgrade: `await op.execute('CREATE TABLE "${long}" (id bigint PRIMARY KEY)')`,
    rules: ['identifier-too-long'],
  },
  {
    name: 'backfill in the DDL transaction',
    extra: builders,
    upgrade:
      "await op.addColumn('users', 'tier', text())\n  await op.execute(\"UPDATE users SET tier = 'basic'\")",
    rules: ['backfill-with-ddl'],
  },
  {
    name: 'drop a table with a foreign key',
    upgrade: "await op.dropTable('notes')",
    rules: ['ban-drop-table', 'locks-referenced-table'],
  },
  {
    name: 'drop a foreign key',
    upgrade: "await op.dropConstraint('fk_items_buyer', 'items')",
    rules: ['locks-referenced-table'],
  },
  {
    name: 'an accepted finding',
    extra:
      "export const lint = { allow: { 'require-concurrent-index-creation': 'bookings is still empty in production' } }",
    upgrade: "await op.createIndex('ix_bookings_period', 'bookings', ['period'])",
    rules: ['require-concurrent-index-creation'],
  },
  {
    name: 'a stale allowance',
    extra: "export const lint = { allow: { 'renaming-table': 'no longer renames anything' } }",
    upgrade: "await op.execute('COMMENT ON TABLE users IS NULL')",
    rules: ['unused-allowance'],
  },
  {
    name: 'domain with a check',
    upgrade: "await op.execute('CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)')",
    rules: ['ban-domain-with-constraint'],
  },
  {
    name: 'reads the database halfway',
    upgrade:
      "await op.query('SELECT 1')\n  await op.createIndex('ix_items_order', 'items', ['order_id'])",
    rules: ['lint-incomplete'],
    trace: { traceOnly: ['trace-blocking-lock'] },
  },
  {
    name: 'detach a partition',
    upgrade: "await op.execute('ALTER TABLE measurements DETACH PARTITION measurements_2020')",
    rules: ['require-concurrent-partition-detach'],
  },
  {
    name: 'exclusion constraint',
    upgrade:
      "await op.execute('ALTER TABLE bookings ADD CONSTRAINT ex_bookings EXCLUDE USING gist (period WITH &&)')",
    rules: ['ban-exclusion-constraint'],
  },
  { name: 'drop schema', upgrade: "await op.dropSchema('scratchpad')", rules: ['ban-drop-schema'] },
  {
    name: 'an immutable function in a default',
    upgrade: "await op.execute('ALTER TABLE orders ADD COLUMN flag integer DEFAULT app_default()')",
    rules: ['adding-field-with-volatile-default'],
    trace: { refuted: ['adding-field-with-volatile-default'] },
  },
  {
    name: 'a 32-bit key on a new table',
    upgrade: "await op.execute('CREATE TABLE tags (id integer PRIMARY KEY, label text)')",
    rules: ['prefer-bigint-over-int'],
  },
  {
    name: 'a new table, clean',
    extra: builders,
    upgrade:
      "await op.execute('CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL, meta jsonb)')\n  await op.createIndex('ix_coupons_code', 'coupons', ['code'])",
    rules: [],
  },
]

/** Cases that fail on a real database, each a leaf off the main chain. */
export const LEAVES: readonly CorpusCase[] = [
  {
    name: 'CONCURRENTLY in a transaction (SQL)',
    upgrade: "await op.execute('CREATE INDEX CONCURRENTLY ix_orders_total ON orders (total)')",
    rules: ['ban-concurrent-index-in-transaction'],
    trace: { fails: true },
  },
  {
    name: 'CONCURRENTLY in a transaction (operation)',
    upgrade: "await op.createIndex('ix_orders_total', 'orders', ['total'], { concurrently: true })",
    rules: ['ban-concurrent-index-in-transaction'],
  },
  {
    name: 'NOT NULL column without default',
    extra: builders,
    upgrade: "await op.addColumn('users', 'required', text().notNull())",
    rules: ['adding-required-field'],
    trace: { fails: true },
  },
  {
    name: 'syntax error',
    upgrade: "await op.execute('ALTER TABLE users ADD COLUMN')",
    rules: ['syntax-error'],
    trace: { fails: true },
  },
  {
    name: 'transaction control inside',
    upgrade: "await op.execute('COMMIT')",
    rules: ['transaction-nesting'],
  },
  {
    name: 'drop database',
    upgrade: "await op.execute('DROP DATABASE nothing_here')",
    rules: ['ban-drop-database'],
    trace: { fails: true },
  },
]
