import type { FindingClaims, RuleInfo, Severity } from './lint-types.ts'

/** The names a finding's texts are filled with. */
export interface Subject {
  readonly table: string
  readonly column: string
  readonly name: string
}

/** One lint rule: what it flags, why it matters and how to write the statement safely. */
export interface Rule extends RuleInfo {
  /** The lock taken and what it blocks, or what breaks. */
  readonly why: (s: Subject) => string
  /** The safe way, as aludel operations. */
  readonly fix: (s: Subject) => string
  /** What the flagged statement does, for the trace to confirm. */
  readonly claims?: FindingClaims
}

const NON_TX = 'in a migration of its own with `export const transactional = false`'

const rule = (
  id: string,
  severity: Severity,
  summary: string,
  why: Rule['why'],
  fix: Rule['fix'],
  claims?: FindingClaims,
): Rule => ({ id, severity, summary, why, fix, ...(claims === undefined ? {} : { claims }) })

/**
 * Every rule, in the order the docs list them. Ids follow squawk's where a squawk rule covers the
 * same case, so that teams coming from it recognise them.
 */
export const RULES: readonly Rule[] = [
  rule(
    'require-concurrent-index-creation',
    'error',
    'CREATE INDEX without CONCURRENTLY on a table that already exists',
    (s) =>
      `takes a SHARE lock on ${s.table} while it reads the whole table to build the index: every INSERT, UPDATE and DELETE on ${s.table} waits until the build ends`,
    (s) =>
      `await op.createIndex('${s.name}', '${s.table}', [...], { concurrently: true, ifNotExists: true }) ${NON_TX}`,
    { lock: 'ShareLock', scan: true },
  ),
  rule(
    'require-concurrent-index-deletion',
    'error',
    'DROP INDEX without CONCURRENTLY',
    (s) =>
      `takes an ACCESS EXCLUSIVE lock on ${s.table} and the index: every read and write of ${s.table} waits, and queues behind any long transaction on it`,
    (s) => `await op.dropIndex('${s.name}', { concurrently: true, ifExists: true }) ${NON_TX}`,
    { lock: 'AccessExclusiveLock' },
  ),
  rule(
    'require-concurrent-reindex',
    'error',
    'REINDEX without CONCURRENTLY',
    (s) =>
      `takes a SHARE lock on ${s.table} (writes wait) and an ACCESS EXCLUSIVE lock on each index it rebuilds (any query planned with that index waits)`,
    (s) => `await op.execute('REINDEX INDEX CONCURRENTLY ${s.name}') ${NON_TX}`,
    { lock: 'ShareLock', rewrite: true },
  ),
  rule(
    'require-concurrent-partition-detach',
    'error',
    'DETACH PARTITION without CONCURRENTLY',
    (s) =>
      `takes an ACCESS EXCLUSIVE lock on ${s.table}, the partitioned table: every query on any partition waits`,
    (s) =>
      `await op.execute('ALTER TABLE ${s.table} DETACH PARTITION ${s.name} CONCURRENTLY') ${NON_TX}`,
    { lock: 'AccessExclusiveLock' },
  ),
  rule(
    'ban-concurrent-index-in-transaction',
    'error',
    'CONCURRENTLY in a migration that runs in a transaction',
    () =>
      'PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY inside a transaction block: the migration fails at this statement',
    () => 'move the statement into a migration with `export const transactional = false`',
  ),
  rule(
    'constraint-missing-not-valid',
    'error',
    'FOREIGN KEY or CHECK added to an existing table without NOT VALID, or validated in the same transaction',
    (s) =>
      `validates every existing row of ${s.table} while holding its lock (SHARE ROW EXCLUSIVE on both tables for a foreign key: writes wait; ACCESS EXCLUSIVE for a check: reads wait too) for the whole scan`,
    (s) =>
      `await op.createForeignKey('${s.name}', '${s.table}', ..., { notValid: true }) (or op.createCheckConstraint(..., { notValid: true })), then in a later migration await op.validateConstraint('${s.table}', '${s.name}'), which scans under a lock that lets writes through`,
    { scan: true },
  ),
  rule(
    'adding-not-nullable-field',
    'error',
    'SET NOT NULL without a validated CHECK (col IS NOT NULL)',
    (s) =>
      `scans all of ${s.table} to prove ${s.column} holds no NULL while holding an ACCESS EXCLUSIVE lock: every read and write waits for the scan`,
    (s) =>
      `await op.createCheckConstraint('ck_${s.table}_${s.column}_not_null', '${s.table}', '${s.column} IS NOT NULL', { notValid: true }); in the next migration await op.validateConstraint('${s.table}', 'ck_${s.table}_${s.column}_not_null'); then op.alterColumn('${s.table}', '${s.column}', { nullable: false }) (no scan: the check proves it) and drop the check`,
    { lock: 'AccessExclusiveLock', scan: true },
  ),
  rule(
    'adding-required-field',
    'error',
    'ADD COLUMN … NOT NULL without a default on an existing table',
    (s) =>
      `fails on ${s.table} as soon as it holds a row: existing rows would get NULL in ${s.column}`,
    (s) =>
      `add ${s.column} with a constant default (await op.addColumn('${s.table}', '${s.column}', integer().notNull().default(0))), or nullable, backfilled, then made NOT NULL through a validated check`,
  ),
  rule(
    'adding-field-with-volatile-default',
    'error',
    'ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), ...)',
    (s) =>
      `rewrites ${s.table} and every index on it under an ACCESS EXCLUSIVE lock, to store a different value in each row: every read and write waits for the whole rewrite`,
    (s) =>
      `add ${s.column} without a default, then op.alterColumn('${s.table}', '${s.column}', { default: sql\`...\` }) for new rows, and backfill old rows in batches in a later migration`,
    { lock: 'AccessExclusiveLock', rewrite: true },
  ),
  rule(
    'adding-serial-or-identity-field',
    'error',
    'ADD COLUMN of a serial or identity column on an existing table',
    (s) =>
      `fills ${s.column} from a sequence for every existing row, which rewrites ${s.table} and its indexes under an ACCESS EXCLUSIVE lock`,
    (s) =>
      `add ${s.column} as a plain nullable column, attach a sequence default for new rows, backfill old rows in batches, then make it NOT NULL through a validated check`,
    { lock: 'AccessExclusiveLock', rewrite: true },
  ),
  rule(
    'adding-stored-generated-field',
    'error',
    'ADD COLUMN … GENERATED ALWAYS AS (...) STORED on an existing table',
    (s) =>
      `computes ${s.column} for every existing row, rewriting ${s.table} and its indexes under an ACCESS EXCLUSIVE lock`,
    (s) =>
      `add ${s.column} as a plain column kept up to date by the application or a trigger, backfilled in batches; or compute it in a view`,
    { lock: 'AccessExclusiveLock', rewrite: true },
  ),
  rule(
    'changing-column-type',
    'error',
    'ALTER COLUMN TYPE that rewrites the table',
    (s) =>
      `rewrites ${s.table} and rebuilds every index on it under an ACCESS EXCLUSIVE lock: every read and write waits for the whole rewrite`,
    (s) =>
      `expand and contract: add a new column of the new type, write to both (a trigger), backfill in batches, switch readers, then drop ${s.column}. Free changes need no rewrite: varchar(n) to a larger n or to text, numeric precision grown at the same scale`,
    { lock: 'AccessExclusiveLock', rewrite: true },
  ),
  rule(
    'disallowed-unique-constraint',
    'error',
    'ADD CONSTRAINT … UNIQUE without USING INDEX on an existing table',
    (s) =>
      `builds the unique index while holding an ACCESS EXCLUSIVE lock on ${s.table}: every read and write waits for the build`,
    (s) =>
      `await op.createIndex('${s.name}', '${s.table}', [...], { unique: true, concurrently: true, ifNotExists: true }) ${NON_TX}, then await op.execute('ALTER TABLE ${s.table} ADD CONSTRAINT ${s.name} UNIQUE USING INDEX ${s.name}')`,
    { lock: 'AccessExclusiveLock', scan: true },
  ),
  rule(
    'adding-primary-key-field',
    'error',
    'ADD PRIMARY KEY on an existing table without a prepared index and NOT NULL columns',
    (s) =>
      `builds the index (or checks every row for NULL) while holding an ACCESS EXCLUSIVE lock on ${s.table}: every read and write waits`,
    (s) =>
      `make the key columns NOT NULL through a validated check, create a unique index concurrently ${NON_TX}, then await op.execute('ALTER TABLE ${s.table} ADD CONSTRAINT ${s.name} PRIMARY KEY USING INDEX <index>')`,
    { lock: 'AccessExclusiveLock', scan: true },
  ),
  rule(
    'ban-exclusion-constraint',
    'error',
    'ADD CONSTRAINT … EXCLUDE on an existing table',
    (s) =>
      `builds the exclusion index under an ACCESS EXCLUSIVE lock on ${s.table}, and there is no concurrent way to add one`,
    (s) =>
      `create ${s.table}'s replacement with the constraint and move the data, or enforce the rule in a trigger`,
    { lock: 'AccessExclusiveLock', scan: true },
  ),
  rule(
    'locks-referenced-table',
    'warning',
    'DROP TABLE or DROP CONSTRAINT of a foreign key also locks the referenced table',
    (s) =>
      `removes the foreign key's triggers from ${s.name} too, which takes an ACCESS EXCLUSIVE lock on ${s.name}: every read and write of ${s.name} waits, although the statement names only ${s.table}`,
    (s) =>
      `drop the foreign key first in its own short migration (await op.dropConstraint('<fk>', '${s.table}')) with a short lockTimeout, so that the wait on ${s.name} is brief and retried`,
    { lock: 'AccessExclusiveLock' },
  ),
  rule(
    'renaming-column',
    'warning',
    'RENAME COLUMN',
    (s) =>
      `is instant, but every running instance of the application that still uses ${s.table}.${s.column} fails from that moment (during a deploy, the old version still runs)`,
    (s) =>
      `add the new column, write both, backfill, move readers, and drop ${s.column} in a later release; or accept the break with export const lint = { allow: { 'renaming-column': 'why' } }`,
  ),
  rule(
    'renaming-table',
    'warning',
    'RENAME TABLE',
    (s) =>
      `is instant, but every running instance of the application that still uses ${s.table} fails from that moment`,
    (s) =>
      `create the new table (or a view named ${s.table} over it for the old code), move readers and writers, then drop the old name in a later release`,
  ),
  rule(
    'ban-drop-column',
    'warning',
    'DROP COLUMN',
    (s) =>
      `loses the data in ${s.table}.${s.column} for good, and breaks every running instance that still selects it`,
    (s) =>
      `first ship code that no longer uses ${s.column} (remove it from the models), then drop it in a later migration`,
  ),
  rule(
    'ban-drop-table',
    'warning',
    'DROP TABLE',
    (s) =>
      `loses ${s.table} and its data for good, and breaks every running instance that still uses it`,
    (s) =>
      `first ship code that no longer uses ${s.table} (remove it from the models), then drop it in a later migration`,
  ),
  rule(
    'ban-drop-not-null',
    'warning',
    'DROP NOT NULL',
    (s) => `lets NULL into ${s.table}.${s.column}, which code that assumes a value will not expect`,
    () => 'make sure every reader handles NULL before the migration runs',
  ),
  rule(
    'ban-drop-schema',
    'warning',
    'DROP SCHEMA',
    (s) => `removes ${s.name} and, with CASCADE, everything in it`,
    () => 'drop the objects one by one in migrations the application no longer needs them in',
  ),
  rule(
    'ban-drop-database',
    'error',
    'DROP DATABASE in a migration',
    (s) => `destroys the database ${s.name}`,
    () => 'never drop databases from a migration',
  ),
  rule(
    'renaming-enum-value',
    'warning',
    'ALTER TYPE … RENAME VALUE',
    (s) =>
      `every running instance that still writes '${s.column}' to ${s.name} fails from that moment`,
    (s) =>
      `add the new value (op.addEnumValue('${s.name}', ...)), move the rows and the code over, and stop using the old value`,
  ),
  rule(
    'ban-truncate-cascade',
    'error',
    'TRUNCATE … CASCADE',
    (s) =>
      `also empties every table that references ${s.table}, recursively, under ACCESS EXCLUSIVE locks`,
    (s) =>
      `truncate or delete from the tables you mean by name (await op.execute('TRUNCATE ${s.table}'))`,
    { lock: 'AccessExclusiveLock' },
  ),
  rule(
    'prefer-repack',
    'error',
    'VACUUM FULL or CLUSTER',
    (s) =>
      `rewrites ${s.table} and its indexes under an ACCESS EXCLUSIVE lock: every read and write waits for the whole rewrite`,
    () =>
      'use pg_repack (or pg_squeeze) outside migrations, which rebuild the table without holding the lock',
    { lock: 'AccessExclusiveLock', rewrite: true },
  ),
  rule(
    'prefer-jsonb',
    'warning',
    'a json column (not jsonb)',
    (s) =>
      `json has no equality operator, so ${s.column} cannot be compared, grouped, made DISTINCT or indexed, and every read parses the text again`,
    (s) => `use jsonb() for ${s.table}.${s.column}`,
  ),
  rule(
    'prefer-robust-stmts',
    'warning',
    'a statement without IF [NOT] EXISTS in a non-transactional migration',
    () =>
      'a non-transactional migration that stops halfway keeps what it did; run again, this statement fails because its object already exists (or is already gone)',
    (s) =>
      `give the operation ifNotExists: true (or ifExists: true for a drop) so that a retry after a partial run succeeds (${s.name})`,
  ),
  rule(
    'identifier-too-long',
    'error',
    'an identifier longer than 63 bytes',
    (s) =>
      `PostgreSQL silently truncates ${s.name} to 63 bytes, so the object gets another name than the one the code and later migrations use`,
    () => 'choose a name of at most 63 bytes',
  ),
  rule(
    'backfill-with-ddl',
    'warning',
    'data changes in the same transactional migration as a schema change of an existing table',
    (s) =>
      `the UPDATE/DELETE runs while the transaction still holds the schema change's lock on ${s.table}, so every query on ${s.table} waits for the whole backfill`,
    () =>
      'move the data change to its own migration (`export const transactional = false` to commit batch by batch), after the schema change',
  ),
  rule(
    'transaction-nesting',
    'error',
    'BEGIN, COMMIT or ROLLBACK inside a migration',
    () =>
      'aludel runs each migration in its own transaction and records it in the same one; a COMMIT inside the migration ends that transaction early, so a failure afterwards leaves a half-applied migration that the version table does not show',
    () =>
      'remove the statement; use `export const transactional = false` for work that must commit on its own',
  ),
  rule(
    'ban-domain-with-constraint',
    'warning',
    'CREATE DOMAIN … CHECK or ALTER DOMAIN … ADD CONSTRAINT',
    (s) =>
      `checks every column of type ${s.name} in every table under a lock when a constraint is added, and cannot be added NOT VALID per table`,
    () =>
      'put CHECK constraints on the tables (NOT VALID, then validated) instead of on the domain',
  ),
  rule(
    'prefer-timestamptz',
    'warning',
    'a timestamp column without time zone',
    (s) =>
      `${s.table}.${s.column} stores wall-clock times without their zone: values written from servers in different zones cannot be compared, and changing it later rewrites the table`,
    (s) => `use timestamp({ withTimezone: true }) for ${s.column}`,
  ),
  rule(
    'prefer-bigint-over-int',
    'info',
    'a 32-bit integer primary key or identity column',
    (s) =>
      `${s.table}.${s.column} runs out at 2 147 483 647, and widening it later rewrites the table under an ACCESS EXCLUSIVE lock`,
    (s) => `use bigint() for ${s.column}`,
  ),
  rule(
    'syntax-error',
    'error',
    'SQL that PostgreSQL cannot parse',
    () => 'the statement fails when the migration runs',
    () => 'fix the SQL',
  ),
  rule(
    'lint-incomplete',
    'warning',
    'the migration could not be followed to its end without a database',
    () => 'statements after this point were not checked',
    () =>
      'run `aludel lint --trace`, which runs the migration on a scratch database, or move the data step to its own migration',
  ),
  rule(
    'unused-allowance',
    'warning',
    'an allowance in `export const lint` that matches no finding',
    (s) =>
      `allowing '${s.name}' silences nothing in this migration: a stale allowance would hide a future finding of that rule`,
    (s) => `remove '${s.name}' from the migration's lint.allow`,
  ),
  rule(
    'trace-failed',
    'error',
    'measured: the migration failed on the scratch database',
    () => 'the migration would fail the same way on the real database, after taking its locks',
    () => 'fix the migration; the message names the failing statement',
  ),
  rule(
    'trace-blocking-lock',
    'error',
    'measured: a statement held a lock that blocks writes or reads on an existing table while it rewrote or scanned it',
    (s) =>
      `the trace saw this statement hold a blocking lock on ${s.table} while it rewrote or scanned it`,
    () => 'see the rule the statement matches in docs/lint-rules.md',
  ),
]

const BY_ID = new Map(RULES.map((r) => [r.id, r]))

/** The rule with this id. */
export function ruleById(id: string): Rule {
  const found = BY_ID.get(id)
  if (found === undefined) throw new Error(`unknown lint rule ${id}`)
  return found
}

/** True when `id` names a rule. */
export function isRuleId(id: string): boolean {
  return BY_ID.has(id)
}
