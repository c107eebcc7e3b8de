import type { VersionTableNames } from './dialect.ts'

/** How an engine spells the few columns of aludel's tables whose types it names its own way. */
export interface VersionTableSpelling {
  readonly quoteIdentifier: (name: string) => string
  readonly quoteQualified: (schema: string | undefined, name: string) => string
  /** The ledger's auto-incrementing key column, e.g. `id bigserial PRIMARY KEY`. */
  readonly ledgerKey: string
  /** The type of a point in time. */
  readonly timestamp: string
  /** The default of `db_user`: the database's user, where the engine has one. */
  readonly currentUser: string
  /**
   * The type of the text columns that keys and indexes cover (revision ids, directions): `text`
   * where the engine indexes text, a bounded `varchar` where it indexes only a prefix of it.
   * Default `text`.
   */
  readonly keyText?: string
}

/**
 * The statements creating aludel's version table and ledger, the same columns on every engine (so
 * that one `VersionStore` reads and writes them all), in each engine's spelling; none fails when a
 * table exists.
 *
 * The ledger has no index besides its key: every read of it aggregates the whole table, which
 * holds a few rows per migration ever run. Each index is one more file a fleet run creates per
 * tenant; databases set up by aludel 0.1.0 keep the `(revision, id)` index they have.
 */
export function versionTablesSql(
  names: VersionTableNames,
  spelling: VersionTableSpelling,
): readonly string[] {
  const { quoteIdentifier: q, quoteQualified: qq, timestamp } = spelling
  const key = spelling.keyText ?? 'text'
  return [
    `CREATE TABLE IF NOT EXISTS ${qq(names.schema, names.versionTable)} (
    version_num ${key} NOT NULL,
    CONSTRAINT ${q(`${names.versionTable}_pkc`)} PRIMARY KEY (version_num)
)`,
    `CREATE TABLE IF NOT EXISTS ${qq(names.schema, names.ledgerTable)} (
    ${spelling.ledgerKey},
    run_id text NOT NULL,
    revision ${key} NOT NULL,
    direction text NOT NULL,
    from_revisions text NOT NULL,
    to_revisions text NOT NULL,
    message text NOT NULL,
    checksum text,
    started_at ${timestamp} NOT NULL,
    finished_at ${timestamp} NOT NULL,
    duration_ms integer,
    run_by text NOT NULL,
    db_user text NOT NULL DEFAULT ${spelling.currentUser},
    tool_version text NOT NULL
)`,
  ]
}

/**
 * The statement creating the table where a `transactional = false` step records each statement it
 * completes. It is created the first time such a step runs, not with the other two: most databases
 * never need it, and a fleet of fresh tenants would otherwise create its four files per tenant.
 */
export function progressTableSql(names: VersionTableNames, spelling: VersionTableSpelling): string {
  const { quoteIdentifier: q, quoteQualified: qq, timestamp } = spelling
  const key = spelling.keyText ?? 'text'
  return `CREATE TABLE IF NOT EXISTS ${qq(names.schema, names.progressTable)} (
    revision ${key} NOT NULL,
    direction ${key} NOT NULL,
    seq integer NOT NULL,
    statement_hash text NOT NULL,
    statement text NOT NULL,
    checksum text NOT NULL,
    run_id text NOT NULL,
    finished_at ${timestamp} NOT NULL,
    CONSTRAINT ${q(`${names.progressTable}_pkc`)} PRIMARY KEY (revision, direction, seq)
)`
}
