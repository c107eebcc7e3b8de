import type { CheckDef, DomainDef, SchemaSnapshot } from '../../schema/schema-snapshot.ts'
import type { Connection } from '../connection.ts'
import { checkClause } from './postgres-ddl-fragments.ts'
import { quoteString } from './postgres-quoting.ts'
import type { PostgresTypeMapper } from './postgres-type-mapper.ts'

/** Prefix of the temporary domains normalization creates. */
const PREFIX = 'aludel_norm_domain_'

interface DomainRow {
  readonly name: string
  readonly default_sql: string | null
  readonly checks: readonly string[]
}

/**
 * The snapshot with each domain's default and checks spelled as PostgreSQL prints them
 * (`pg_get_expr`, `pg_get_constraintdef`), as introspection reads them: every domain with a
 * default or a check is created again as a temporary domain (in `pg_temp`) inside a transaction
 * that is always rolled back, and read back. A domain PostgreSQL refuses (its base type does not
 * exist yet) keeps the model's spelling, as a migration would write it. Three round trips when
 * there is anything to spell, none otherwise. The caller must not hold a transaction.
 */
export async function normalizeDomains(
  connection: Connection,
  snapshot: SchemaSnapshot,
  types: PostgresTypeMapper,
): Promise<SchemaSnapshot> {
  const work = snapshot.domains.filter((d) => d.default !== undefined || d.checks.length > 0)
  if (work.length === 0) return snapshot
  const statements = work.map((d, i) => standIn(d, i, types))
  // Each domain in a block of its own: a failure is a subtransaction rolled back alone (manual,
  // 41.6.8 "Trapping Errors"), and leaves that domain unspelled.
  const blocks = statements.map(
    (sql) => `  BEGIN EXECUTE ${quoteString(sql)};\n  EXCEPTION WHEN OTHERS THEN NULL;\n  END;`,
  )
  let rows: readonly DomainRow[]
  try {
    await connection.execute(
      `BEGIN;\nDO $aludel_norm$\nBEGIN\n${blocks.join('\n')}\nEND\n$aludel_norm$`,
    )
    rows = (
      await connection.query<DomainRow>(
        `SELECT t.typname AS name, pg_get_expr(t.typdefaultbin, 0) AS default_sql,
                ARRAY(SELECT pg_get_constraintdef(k.oid, true) FROM pg_constraint k
                       WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname)::text[] AS checks
           FROM pg_type t
          WHERE t.typnamespace = pg_my_temp_schema() AND t.typtype = 'd'
            AND t.typname LIKE '${PREFIX}%'`,
      )
    ).rows
  } finally {
    await connection.execute('ROLLBACK').catch(() => undefined)
  }
  const byName = new Map(rows.map((row) => [row.name, row]))
  const spelled = new Map<DomainDef, DomainDef>()
  work.forEach((d, i) => {
    const row = byName.get(`${PREFIX}${i}`)
    if (row === undefined) return
    spelled.set(d, {
      ...d,
      // Nothing stored means nothing to store: DEFAULT NULL is no default at all.
      default: row.default_sql === null ? undefined : { kind: 'sql', sql: row.default_sql },
      checks: d.checks.map(
        (check, k): CheckDef => ({
          ...check,
          expression: checkExpression(row.checks[k] ?? '') ?? check.expression,
        }),
      ),
    })
  })
  return { ...snapshot, domains: snapshot.domains.map((d) => spelled.get(d) ?? d) }
}

/**
 * `CREATE DOMAIN pg_temp.<prefix>i AS type DEFAULT ... CONSTRAINT c<k> CHECK (...)`: checks are
 * named in their order, so that reading them back sorted by name keeps it (k < 10 000).
 */
function standIn(d: DomainDef, i: number, types: PostgresTypeMapper): string {
  const checks = d.checks.map((check, k) =>
    checkClause({ name: `c${String(k).padStart(4, '0')}`, expression: check.expression }),
  )
  return [
    `CREATE DOMAIN pg_temp.${PREFIX}${i} AS ${types.sqlType(d.type)}`,
    ...(d.default === undefined ? [] : [`DEFAULT ${types.sqlDefault(d.default, d.type)}`]),
    ...checks,
  ].join(' ')
}

/** The expression inside `CHECK (...)`, as the catalog reader keeps it. */
function checkExpression(definition: string): string | undefined {
  return /^CHECK \((.*)\)(?: NOT VALID)?$/s.exec(definition)?.[1]
}
