import type { LockMode } from '../../src/dialect/lock-tracer.ts'

/**
 * The fixture every case starts from: `parent` with a primary key; `child` with a primary key, a
 * unique index, a plain index, a foreign key to `parent`, a text column (so it has toast storage)
 * and 1 000 rows. The schema is made anew for each case. Autovacuum is off for both tables so
 * that no background worker changes what a case sees (it would lock the tables, and analyze them).
 */
export const FIXTURE_SQL = `DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public;
CREATE TABLE parent (id int PRIMARY KEY, name text) WITH (autovacuum_enabled = false);
CREATE TABLE child (
  id int PRIMARY KEY,
  parent_id int REFERENCES parent (id),
  code varchar(10),
  amount int,
  note text,
  created timestamp,
  flag boolean NOT NULL DEFAULT false
) WITH (autovacuum_enabled = false);
CREATE UNIQUE INDEX child_code_key ON child (code);
CREATE INDEX child_amount_idx ON child (amount);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 10) g;
INSERT INTO child
SELECT g, 1 + g % 10, 'c' || g, g, 'note ' || g, timestamp '2024-01-01' + g * interval '1 minute'
  FROM generate_series(1, 1000) g`

const AS: LockMode = 'AccessShareLock'
const RS: LockMode = 'RowShareLock'
const RE: LockMode = 'RowExclusiveLock'
const SUE: LockMode = 'ShareUpdateExclusiveLock'
const SHARE: LockMode = 'ShareLock'
const SRE: LockMode = 'ShareRowExclusiveLock'
const AE: LockMode = 'AccessExclusiveLock'

/** `relation: mode` for each mode, the relation in `public`. */
function on(relation: string, ...modes: readonly LockMode[]): readonly string[] {
  return modes.map((mode) => `public.${relation}: ${mode}`)
}

function names(...relations: readonly string[]): readonly string[] {
  return relations.map((r) => `public.${r}`)
}

const CHILD_INDEXES = ['child_amount_idx', 'child_code_key', 'child_pkey'] as const
const TOAST = ['child (toast)', 'child (toast index)'] as const

/** Every index of `child` in `modes`. */
function indexes(...modes: readonly LockMode[]): readonly string[] {
  return CHILD_INDEXES.flatMap((i) => on(i, ...modes))
}

/** A table rewrite: AE on the table, its toast and every index (manual, ALTER TABLE, Notes). */
const REWRITE_LOCKS = [
  ...on('child', SHARE, AE),
  ...on('child (toast)', AE),
  ...on('child (toast index)', AE),
  ...indexes(AE),
]
const CHILD_STORAGE = names('child', ...TOAST, ...CHILD_INDEXES)

/** The reader a concurrent index operation must wait for: a snapshot older than it, on `child`. */
const OLDER_READER = 'BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM child'
const VIRTUALXID_WAIT = 'ShareLock on virtualxid (waits for an older transaction to end)'

/** What one statement of the reference matrix did, as measured; unset lists are empty. */
export interface TraceCase {
  /** The matrix row. */
  readonly name: string
  /** Added to the fixture migration, for the objects the statement needs. */
  readonly setup?: string
  /** The traced migration's SQL; its last statement is the one checked. */
  readonly sql: string
  /** False for a `transactional = false` migration. */
  readonly transactional?: boolean
  /** New locks, as `public.relation: Mode`. For a watched statement: those it holds while it waits. */
  readonly locks?: readonly string[]
  /**
   * A watched statement only: locks it takes after its wait, which the watching session sees or
   * not depending on when it looks (the statement may end between two looks).
   */
  readonly mayAlsoHold?: readonly string[]
  readonly rewritten?: readonly string[]
  readonly created?: readonly string[]
  readonly dropped?: readonly string[]
  /** Sequential scans by table. */
  readonly scanned?: Readonly<Record<string, number>>
  /** The migration's error instead of a trace. */
  readonly error?: string
  /**
   * On a server, SQL that another session runs first and keeps open until the statement is seen
   * waiting for it, so that the wait is measured for sure.
   */
  readonly blocker?: string
  /** What the statement was seen waiting for, on a server (see {@link blocker}). */
  readonly waits?: readonly string[]
}

/**
 * Every measured row of the operation matrix, with what PostgreSQL 15 and PGlite (PostgreSQL 18)
 * both measurably do. Statements that cannot run inside a transaction are watched from a second
 * session on the server; PGlite has one session, so only their catalog effects are checked there.
 */
export const TRACE_CASES: readonly TraceCase[] = [
  {
    name: 'CREATE TABLE without a foreign key locks no existing relation',
    sql: 'CREATE TABLE other (id int PRIMARY KEY)',
    created: names('other', 'other_pkey'),
  },
  {
    name: 'CREATE TABLE … REFERENCES parent takes SHARE ROW EXCLUSIVE on parent',
    sql: 'CREATE TABLE other (id int PRIMARY KEY, parent_id int REFERENCES parent (id))',
    locks: [...on('parent', AS, SRE), ...on('parent_pkey', AS)],
    created: names('other', 'other_pkey'),
  },
  {
    name: 'DROP TABLE child takes ACCESS EXCLUSIVE on child, its indexes and the referenced parent',
    sql: 'DROP TABLE child',
    locks: [
      ...on('child', AE),
      ...on('child (toast)', AE),
      ...on('child (toast index)', AE),
      ...indexes(AE),
      ...on('parent', AE),
    ],
    dropped: names('child', ...CHILD_INDEXES),
  },
  {
    name: 'DROP CONSTRAINT of a foreign key takes ACCESS EXCLUSIVE on both tables',
    sql: 'ALTER TABLE child DROP CONSTRAINT child_parent_id_fkey',
    locks: [...on('child', AE), ...on('parent', AE)],
  },
  {
    name: 'ADD COLUMN nullable without a default: metadata only',
    sql: 'ALTER TABLE child ADD COLUMN extra int',
    locks: on('child', AE),
  },
  {
    name: 'ADD COLUMN NOT NULL DEFAULT 0: a constant default, no rewrite',
    sql: 'ALTER TABLE child ADD COLUMN extra int NOT NULL DEFAULT 0',
    locks: on('child', AE),
  },
  {
    name: 'ADD COLUMN DEFAULT now(): stable, so no rewrite',
    sql: 'ALTER TABLE child ADD COLUMN extra timestamptz DEFAULT now()',
    locks: on('child', AE),
  },
  {
    name: 'ADD COLUMN DEFAULT random(): volatile, rewrites the table and every index',
    sql: 'ALTER TABLE child ADD COLUMN extra float8 DEFAULT random()',
    locks: REWRITE_LOCKS,
    rewritten: CHILD_STORAGE,
    scanned: { 'public.child': 4 },
  },
  {
    name: 'ADD COLUMN GENERATED ALWAYS AS IDENTITY rewrites the table and every index',
    sql: 'ALTER TABLE child ADD COLUMN extra int GENERATED ALWAYS AS IDENTITY',
    locks: [...REWRITE_LOCKS, ...on('child', AS)],
    rewritten: CHILD_STORAGE,
    created: names('child_extra_seq'),
    scanned: { 'public.child': 4 },
  },
  {
    name: 'ADD COLUMN serial rewrites the table and every index',
    sql: 'ALTER TABLE child ADD COLUMN extra serial',
    locks: [...REWRITE_LOCKS, ...on('child', AS)],
    rewritten: CHILD_STORAGE,
    created: names('child_extra_seq'),
    scanned: { 'public.child': 4 },
  },
  {
    name: 'ADD COLUMN GENERATED … STORED rewrites the table and every index',
    sql: 'ALTER TABLE child ADD COLUMN extra int GENERATED ALWAYS AS (amount * 2) STORED',
    locks: REWRITE_LOCKS,
    rewritten: CHILD_STORAGE,
    scanned: { 'public.child': 4 },
  },
  {
    name: 'ADD COLUMN NOT NULL without a default fails on a table with rows',
    sql: 'ALTER TABLE child ADD COLUMN extra int NOT NULL',
    error:
      'statement 0 (ALTER TABLE child ADD COLUMN extra int NOT NULL) failed: column "extra" of relation "child" contains null values (SQLSTATE 23502)',
  },
  {
    name: 'DROP COLUMN only marks the column dropped',
    sql: 'ALTER TABLE child DROP COLUMN note',
    locks: on('child', AE),
  },
  {
    // The index on the column is recreated under a new OID, but on its old storage: no build.
    name: 'ALTER TYPE varchar(10) → varchar(20) is binary-coercible: no rewrite, no scan',
    sql: 'ALTER TABLE child ALTER COLUMN code TYPE varchar(20)',
    locks: [...on('child', SHARE, AE), ...on('child_code_key', AS, AE)],
    created: names('child_code_key'),
    dropped: names('child_code_key'),
  },
  {
    name: 'ALTER TYPE varchar → text is binary-coercible: no rewrite, no scan',
    sql: 'ALTER TABLE child ALTER COLUMN code TYPE text',
    locks: [...on('child', SHARE, AE), ...on('child_code_key', AS, AE)],
    created: names('child_code_key'),
    dropped: names('child_code_key'),
  },
  {
    name: 'ALTER TYPE text → varchar without a length is binary-coercible',
    sql: 'ALTER TABLE child ALTER COLUMN note TYPE varchar',
    locks: on('child', AE),
  },
  {
    // Only in a UTC session is every stored timestamp already the right instant.
    name: 'ALTER TYPE timestamp → timestamptz with TimeZone UTC: no rewrite',
    sql: "SET LOCAL TimeZone = 'UTC'; ALTER TABLE child ALTER COLUMN created TYPE timestamptz",
    locks: on('child', AE),
  },
  {
    name: 'ALTER TYPE varchar(10) → varchar(5) rewrites; the index on the column is rebuilt',
    sql: 'ALTER TABLE child ALTER COLUMN code TYPE varchar(5)',
    locks: REWRITE_LOCKS,
    rewritten: names('child', ...TOAST, 'child_amount_idx', 'child_pkey'),
    created: names('child_code_key'),
    dropped: names('child_code_key'),
    scanned: { 'public.child': 4 },
  },
  {
    // Every column of the new table has a bounded width, so it needs no toast table any more
    // and the old one goes away with the old heap.
    name: 'ALTER TYPE text → varchar(50) rewrites the table and every index',
    sql: 'ALTER TABLE child ALTER COLUMN note TYPE varchar(50)',
    locks: REWRITE_LOCKS,
    rewritten: names('child', ...CHILD_INDEXES),
    scanned: { 'public.child': 4 },
  },
  {
    name: 'ALTER TYPE int → bigint rewrites; the index on the column is rebuilt',
    sql: 'ALTER TABLE child ALTER COLUMN amount TYPE bigint',
    locks: REWRITE_LOCKS,
    rewritten: names('child', ...TOAST, 'child_code_key', 'child_pkey'),
    created: names('child_amount_idx'),
    dropped: names('child_amount_idx'),
    scanned: { 'public.child': 4 },
  },
  {
    name: 'SET NOT NULL scans the table under ACCESS EXCLUSIVE',
    sql: 'ALTER TABLE child ALTER COLUMN amount SET NOT NULL',
    locks: on('child', AE),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'SET NOT NULL with a validated CHECK (amount IS NOT NULL) skips the scan',
    setup: 'ALTER TABLE child ADD CONSTRAINT child_amount_not_null CHECK (amount IS NOT NULL)',
    sql: 'ALTER TABLE child ALTER COLUMN amount SET NOT NULL',
    locks: on('child', AE),
  },
  {
    name: 'DROP NOT NULL',
    sql: 'ALTER TABLE child ALTER COLUMN flag DROP NOT NULL',
    locks: on('child', AE),
  },
  {
    name: 'SET DEFAULT',
    sql: 'ALTER TABLE child ALTER COLUMN amount SET DEFAULT 0',
    locks: on('child', AE),
  },
  {
    name: 'DROP DEFAULT',
    sql: 'ALTER TABLE child ALTER COLUMN flag DROP DEFAULT',
    locks: on('child', AE),
  },
  {
    name: 'ADD FOREIGN KEY validated: SHARE ROW EXCLUSIVE on both tables, both scanned',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id)',
    locks: [
      ...on('child', AS, SRE),
      ...indexes(AS),
      ...on('parent', AS, RS, SRE),
      ...on('parent_pkey', AS),
    ],
    scanned: { 'public.child': 1, 'public.parent': 1 },
  },
  {
    name: 'ADD FOREIGN KEY … NOT VALID: no scan',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID',
    locks: [...on('child', AS, SRE), ...on('parent', AS, SRE), ...on('parent_pkey', AS)],
  },
  {
    name: 'VALIDATE CONSTRAINT of a foreign key: SHARE UPDATE EXCLUSIVE on child, ROW SHARE on parent, both scanned',
    setup:
      'ALTER TABLE child ADD CONSTRAINT child_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID',
    sql: 'ALTER TABLE child VALIDATE CONSTRAINT child_parent_fk2',
    locks: [
      ...on('child', AS, SUE),
      ...indexes(AS),
      ...on('parent', AS, RS),
      ...on('parent_pkey', AS),
    ],
    scanned: { 'public.child': 1, 'public.parent': 1 },
  },
  {
    name: 'ADD CHECK validated scans under ACCESS EXCLUSIVE',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_amount_positive CHECK (amount > 0)',
    locks: on('child', AE),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'ADD CHECK … NOT VALID: no scan',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_amount_positive CHECK (amount > 0) NOT VALID',
    locks: on('child', AE),
  },
  {
    name: 'VALIDATE CONSTRAINT of a check scans under SHARE UPDATE EXCLUSIVE',
    setup: 'ALTER TABLE child ADD CONSTRAINT child_amount_positive CHECK (amount > 0) NOT VALID',
    sql: 'ALTER TABLE child VALIDATE CONSTRAINT child_amount_positive',
    locks: on('child', SUE),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'ADD CONSTRAINT UNIQUE builds a new index',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_amount_key UNIQUE (amount)',
    locks: on('child', SHARE, AE),
    created: names('child_amount_key'),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'ADD CONSTRAINT UNIQUE USING INDEX: no build, no scan',
    setup: 'CREATE UNIQUE INDEX child_amount_unique ON child (amount)',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_amount_key UNIQUE USING INDEX child_amount_unique',
    locks: [...on('child', AE), ...on('child_amount_unique', AS, SUE)],
  },
  {
    name: 'ADD PRIMARY KEY USING INDEX on a nullable column scans (implied SET NOT NULL)',
    setup: 'ALTER TABLE child DROP CONSTRAINT child_pkey',
    sql: 'ALTER TABLE child ADD CONSTRAINT child_pkey PRIMARY KEY USING INDEX child_code_key',
    locks: [...on('child', AE), ...on('child_code_key', AS, SUE)],
    scanned: { 'public.child': 1 },
  },
  {
    name: 'CREATE INDEX takes SHARE and scans',
    sql: 'CREATE INDEX child_note_idx ON child (note)',
    locks: on('child', SHARE),
    created: names('child_note_idx'),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'CREATE INDEX CONCURRENTLY holds SHARE UPDATE EXCLUSIVE and waits for older transactions',
    sql: 'CREATE INDEX CONCURRENTLY child_note_idx ON child (note)',
    transactional: false,
    blocker: OLDER_READER,
    locks: on('child', SUE),
    waits: [VIRTUALXID_WAIT],
    created: names('child_note_idx'),
  },
  {
    name: 'DROP INDEX takes ACCESS EXCLUSIVE on the table and the index',
    sql: 'DROP INDEX child_amount_idx',
    locks: [...on('child', AE), ...on('child_amount_idx', AE)],
    dropped: names('child_amount_idx'),
  },
  {
    // The index, dead by then and used by nobody, is dropped under ACCESS EXCLUSIVE at the end.
    name: 'DROP INDEX CONCURRENTLY holds SHARE UPDATE EXCLUSIVE and waits for older transactions',
    sql: 'DROP INDEX CONCURRENTLY child_amount_idx',
    transactional: false,
    blocker: OLDER_READER,
    locks: [...on('child', SUE), ...on('child_amount_idx', SUE)],
    mayAlsoHold: on('child_amount_idx', AE),
    waits: [VIRTUALXID_WAIT],
    dropped: names('child_amount_idx'),
  },
  {
    name: 'RENAME COLUMN',
    sql: 'ALTER TABLE child RENAME COLUMN note TO remark',
    locks: on('child', AE),
  },
  {
    name: 'RENAME TABLE',
    sql: 'ALTER TABLE child RENAME TO kid',
    locks: on('child', AE),
  },
  {
    name: 'ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on the index only',
    sql: 'ALTER INDEX child_amount_idx RENAME TO child_amount_ix',
    locks: on('child_amount_idx', SUE),
  },
  {
    name: 'ALTER TYPE … ADD VALUE locks no relation',
    setup: "CREATE TYPE mood AS ENUM ('happy')",
    sql: "ALTER TYPE mood ADD VALUE 'sad'",
  },
  {
    name: 'REINDEX INDEX: SHARE on the table, ACCESS EXCLUSIVE on the index',
    sql: 'REINDEX INDEX child_amount_idx',
    locks: [...on('child', SHARE), ...on('child_amount_idx', AE)],
    rewritten: names('child_amount_idx'),
    scanned: { 'public.child': 1 },
  },
  {
    name: 'REINDEX TABLE: SHARE on the table, ACCESS EXCLUSIVE on each index (toast index too)',
    sql: 'REINDEX TABLE child',
    locks: [
      ...on('child', SHARE),
      ...on('child (toast)', SHARE),
      ...on('child (toast index)', AE),
      ...indexes(AE),
    ],
    rewritten: names('child (toast index)', ...CHILD_INDEXES),
    scanned: { 'public.child': 3 },
  },
  {
    // The old index is swapped out and dropped at the end: a new OID under the same name.
    name: 'REINDEX CONCURRENTLY holds SHARE UPDATE EXCLUSIVE and waits for older transactions',
    sql: 'REINDEX INDEX CONCURRENTLY child_amount_idx',
    transactional: false,
    blocker: OLDER_READER,
    locks: [...on('child', SUE), ...on('child_amount_idx', SUE)],
    mayAlsoHold: on('child_amount_idx', RE, AE),
    waits: [VIRTUALXID_WAIT],
    created: names('child_amount_idx'),
    dropped: names('child_amount_idx'),
  },
  {
    name: 'VACUUM takes SHARE UPDATE EXCLUSIVE (outside a transaction)',
    sql: 'VACUUM child',
    transactional: false,
    blocker: 'BEGIN; LOCK TABLE child IN SHARE UPDATE EXCLUSIVE MODE',
    waits: ['ShareUpdateExclusiveLock on public.child'],
    mayAlsoHold: [
      ...on('child', SUE),
      ...on('child (toast)', SUE),
      ...on('child (toast index)', RE),
      ...indexes(RE),
    ],
  },
  {
    name: 'VACUUM FULL takes ACCESS EXCLUSIVE and rewrites the table and its indexes',
    sql: 'VACUUM FULL child',
    transactional: false,
    blocker: 'BEGIN; SELECT count(*) FROM child',
    waits: ['AccessExclusiveLock on public.child'],
    mayAlsoHold: [...REWRITE_LOCKS, ...indexes(AS)],
    rewritten: CHILD_STORAGE,
  },
  {
    name: 'CLUSTER takes ACCESS EXCLUSIVE and rewrites the table and its indexes',
    sql: 'CLUSTER child USING child_pkey',
    locks: [...REWRITE_LOCKS, ...indexes(AS)],
    rewritten: CHILD_STORAGE,
    scanned: { 'public.child': 4 },
  },
  {
    name: 'TRUNCATE takes ACCESS EXCLUSIVE and gives everything new storage',
    sql: 'TRUNCATE child',
    locks: [...REWRITE_LOCKS, ...on('child (toast)', SHARE)],
    rewritten: CHILD_STORAGE,
    scanned: { 'public.child': 3 },
  },
  {
    name: 'CREATE TRIGGER takes SHARE ROW EXCLUSIVE',
    setup: 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$',
    sql: 'CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch()',
    locks: on('child', SRE),
  },
  {
    name: 'COMMENT ON takes SHARE UPDATE EXCLUSIVE',
    sql: "COMMENT ON TABLE child IS 'kids'",
    locks: on('child', SUE),
  },
  {
    name: 'ANALYZE takes SHARE UPDATE EXCLUSIVE',
    sql: 'ANALYZE child',
    locks: [...on('child', SUE), ...indexes(AS)],
  },
  {
    name: 'SET STATISTICS takes SHARE UPDATE EXCLUSIVE',
    sql: 'ALTER TABLE child ALTER COLUMN amount SET STATISTICS 500',
    locks: on('child', SUE),
  },
]
