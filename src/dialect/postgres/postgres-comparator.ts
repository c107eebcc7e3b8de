import type { Comparator } from '../comparator.ts'
import { sqlEquivalent } from './postgres-canonical-sql.ts'
import { defaultsEquivalent } from './postgres-default-equivalence.ts'
import { postgresHintSql } from './postgres-hint-sql.ts'
import { quotePrintedString, quoteQualified as quoteQualifiedName } from './postgres-quoting.ts'
import { renameRelationInQuery, renameSqlIdentifiers } from './postgres-rename-sql-identifiers.ts'
import { namesIn } from './postgres-sql-tokens.ts'
import { typeChangeWarning } from './postgres-type-change-warning.ts'
import { typesEquivalent } from './postgres-type-equivalence.ts'

/** PostgreSQL's comparison rules, for the server and PGlite alike. */
export const postgresComparator: Comparator = {
  typesEquivalent,
  typeChangeWarning,
  defaultsEquivalent,
  sqlEquivalent,
  namesIn,
  renameSqlIdentifiers,
  renameRelationInQuery,
  renameSequenceInDefault: (sql, schema, from, to) =>
    sql.replaceAll(regclass(schema, from), regclass(schema, to)),
  // PostgreSQL reads no engine options: those in the models are for MySQL and SQLite.
  tableOptionChanges: () => undefined,
  hints: postgresHintSql,
}

/**
 * A sequence as a `nextval` default names it: PostgreSQL stores the default by the sequence's
 * identity and prints `nextval('name'::regclass)` with its current name.
 */
function regclass(schema: string | undefined, name: string): string {
  return `${quotePrintedString(quoteQualifiedName(schema, name))}::regclass`
}
