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
  /**
   * The ledger's index declared inside its CREATE TABLE: for an engine without `CREATE INDEX IF
   * NOT EXISTS` (MySQL 8).
   */
  readonly inlineIndex?: boolean
}

/**
 * The statements creating aludel's version table, ledger and statement progress, the same
 * columns on every engine (so that one `VersionStore` reads and writes them all), in each engine's
 * spelling; none fails when a table exists.
 */
export function versionTablesSql(
  names: VersionTableNames,
  spelling: VersionTableSpelling,
): readonly string[] {
  const { quoteIdentifier: q, quoteQualified: qq, timestamp } = spelling
  const key = spelling.keyText ?? 'text'
  const ledger = qq(names.schema, names.ledgerTable)
  const ledgerIndex = q(`ix_${names.ledgerTable}_revision`)
  return [
    `CREATE TABLE IF NOT EXISTS ${qq(names.schema, names.versionTable)} (
    version_num ${key} NOT NULL,
    CONSTRAINT ${q(`${names.versionTable}_pkc`)} PRIMARY KEY (version_num)
)`,
    `CREATE TABLE IF NOT EXISTS ${ledger} (
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
    tool_version text NOT NULL${
      spelling.inlineIndex
        ? `,
    INDEX ${ledgerIndex} (revision, id)`
        : ''
    }
)`,
    ...(spelling.inlineIndex
      ? []
      : [`CREATE INDEX IF NOT EXISTS ${ledgerIndex} ON ${ledger} (revision, id)`]),
    `CREATE TABLE IF NOT EXISTS ${qq(names.schema, names.progressTable)} (
    revision ${key} NOT NULL,
    direction ${key} NOT NULL,
    seq integer NOT NULL,
    statement_hash text NOT NULL,
    statement text NOT NULL,
    checksum text NOT NULL,
    run_id text NOT NULL,
    finished_at ${timestamp} NOT NULL,
    CONSTRAINT ${q(`${names.progressTable}_pkc`)} PRIMARY KEY (revision, direction, seq)
)`,
  ]
}
