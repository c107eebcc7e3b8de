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
 * A failure anywhere rolls all of it back.
 *
 * It imports nothing from the application: a migration is history, and the app's models and
 * helpers will keep changing after it has run.
 */
import { type Operations, varchar } from 'aludel'

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

export async function upgrade(op: Operations): Promise<void> {
  // Nullable at first: existing rows have no value until the backfill below.
  await op.addColumn('users', 'first_name', varchar(100))
  await op.addColumn('users', 'last_name', varchar(100))

  // One set-based statement rather than reading rows into TypeScript: it is one round trip
  // whatever the table's size, and it keeps `aludel upgrade --sql` working for DBAs who apply
  // reviewed scripts (op.query() needs a live database). The first word is the first name and
  // the rest, runs of whitespace folded, is the last name; a one-word name has none.
  await op.execute(`
    UPDATE users
       SET first_name = split.parts[1],
           last_name = nullif(array_to_string(split.parts[2:], ' '), '')
      FROM (SELECT id, regexp_split_to_array(btrim(fullname), '\\s+') AS parts FROM users) AS split
     WHERE users.id = split.id
  `)

  await op.alterColumn('users', 'first_name', { nullable: false, existingNullable: true })
  // `definition` records the column as it was, so tools can describe what the drop removes.
  await op.dropColumn('users', 'fullname', { definition: varchar(200).notNull() })
}

export async function downgrade(op: Operations): Promise<void> {
  await op.addColumn('users', 'fullname', varchar(200))
  // concat_ws skips a null last_name, so one-word names come back without a trailing space.
  await op.execute(`UPDATE users SET fullname = concat_ws(' ', first_name, last_name)`)
  await op.alterColumn('users', 'fullname', { nullable: false, existingNullable: true })
  await op.dropColumn('users', 'last_name', { definition: varchar(100) })
  await op.dropColumn('users', 'first_name', { definition: varchar(100).notNull() })
}
