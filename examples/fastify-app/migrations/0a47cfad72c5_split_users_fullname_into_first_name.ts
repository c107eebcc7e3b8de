/**
 * split users.fullname into first_name and last_name
 *
 * Revision ID: 0a47cfad72c5
 * Revises: 9a51eccd4df0
 * Create Date: 2026-11-26T08:29:39.520Z
 *
 * A data migration, written by hand: autogenerate would see a dropped column and two new ones
 * (or ask whether fullname was renamed) and lose every name. Three steps in one transaction:
 * add the new columns as nullable, fill them from fullname, then tighten and drop the old column.
 * A failure anywhere rolls all of it back (on PostgreSQL and SQLite; MySQL commits each DDL
 * statement on its own, so there aludel records the statements that ran and resumes after them).
 *
 * It imports nothing from the application: a migration is history, and the app's models and
 * helpers will keep changing after it has run.
 */
import { type Engine, type Operations, varchar } from 'aludel'

export const revision = '0a47cfad72c5'
export const downRevision: string | readonly string[] | null = '9a51eccd4df0'
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = true

// `aludel lint` would split this migration: a backfill in the transaction that changed the table
// holds the table's lock for the whole UPDATE, and SET NOT NULL scans users under ACCESS
// EXCLUSIVE. Both are accepted here on purpose: the split must be all or nothing (a half-split
// table would serve wrong names), and users holds one row per account, read in milliseconds.
export const lint = {
  allow: {
    'backfill-with-ddl': 'the split must be atomic; users is one row per account',
    'adding-not-nullable-field': 'users is one row per account: the scan takes milliseconds',
  },
}

/** Fills first_name and last_name from fullname: the same result on every engine. */
const SPLIT_FULLNAME: Record<Engine, string> = {
  // Arrays: split on runs of whitespace, the first element and the rest joined again.
  postgresql: `
    UPDATE users
       SET first_name = split.parts[1],
           last_name = nullif(array_to_string(split.parts[2:], ' '), '')
      FROM (SELECT id, regexp_split_to_array(btrim(fullname), '\\s+') AS parts FROM users) AS split
     WHERE users.id = split.id
  `,
  // MySQL 8 and MariaDB: the first run of non-blanks, and what follows it with blanks folded.
  mysql: `
    UPDATE users
       SET first_name = REGEXP_SUBSTR(fullname, '[^[:space:]]+'),
           last_name = NULLIF(TRIM(REGEXP_REPLACE(
                         REGEXP_REPLACE(fullname, '^[[:space:]]*[^[:space:]]+', ''),
                         '[[:space:]]+', ' ')), '')
  `,
  // SQLite has no regular expressions: tabs and line breaks become spaces, a recursive query
  // folds double spaces until none are left, and instr() finds the first space.
  sqlite: `
    WITH RECURSIVE folded(id, name) AS (
      SELECT id, trim(replace(replace(replace(fullname, char(9), ' '), char(10), ' '), char(13), ' '))
        FROM users
      UNION ALL
      SELECT id, replace(name, '  ', ' ') FROM folded WHERE instr(name, '  ') > 0
    )
    UPDATE users
       SET first_name = CASE WHEN instr(split.name, ' ') > 0
                             THEN substr(split.name, 1, instr(split.name, ' ') - 1) ELSE split.name END,
           last_name = CASE WHEN instr(split.name, ' ') > 0
                            THEN substr(split.name, instr(split.name, ' ') + 1) END
      FROM (SELECT id, name FROM folded WHERE instr(name, '  ') = 0) AS split
     WHERE users.id = split.id
  `,
}

export async function upgrade(op: Operations): Promise<void> {
  // Nullable at first: existing rows have no value until the backfill below.
  await op.addColumn('users', 'first_name', varchar(100))
  await op.addColumn('users', 'last_name', varchar(100))

  // One set-based statement rather than reading rows into TypeScript: it is one round trip
  // whatever the table's size, and it keeps `aludel upgrade --sql` working for DBAs who apply
  // reviewed scripts (op.query() needs a live database). The first word is the first name and
  // the rest, runs of whitespace folded, is the last name; a one-word name has none. String
  // functions are where SQL dialects part ways, so the statement is written once per engine.
  await op.execute(SPLIT_FULLNAME[op.engine])

  await op.alterColumn('users', 'first_name', { nullable: false, existingNullable: true })
  // `definition` records the column as it was, so tools can describe what the drop removes.
  await op.dropColumn('users', 'fullname', { definition: varchar(200).notNull() })
}

export async function downgrade(op: Operations): Promise<void> {
  await op.addColumn('users', 'fullname', varchar(200))
  // concat_ws skips a null last_name, so one-word names come back without a trailing space;
  // PostgreSQL, MySQL, MariaDB and SQLite (3.44+) all have it.
  await op.execute(`UPDATE users SET fullname = concat_ws(' ', first_name, last_name)`)
  await op.alterColumn('users', 'fullname', { nullable: false, existingNullable: true })
  await op.dropColumn('users', 'last_name', { definition: varchar(100) })
  await op.dropColumn('users', 'first_name', { definition: varchar(100).notNull() })
}
