import { RULES, type Subject } from './rule-catalog.ts'

/** Example names for the rules whose texts read best with their own. */
const EXAMPLES: Readonly<Record<string, Partial<Subject>>> = {
  'require-concurrent-index-deletion': { name: 'ix_orders_status' },
  'require-concurrent-reindex': { name: 'ix_orders_status' },
  'require-concurrent-partition-detach': { table: 'measurements', name: 'measurements_2020' },
  'constraint-missing-not-valid': { name: 'fk_orders_user' },
  'disallowed-unique-constraint': { name: 'uq_orders_number' },
  'adding-primary-key-field': { name: 'orders_pkey' },
  'locks-referenced-table': { table: 'order_notes', name: 'orders' },
  'renaming-enum-value': { name: 'order_status', column: 'shipped' },
  'ban-drop-schema': { name: 'reporting' },
  'ban-drop-database': { name: 'shop' },
  'ban-domain-with-constraint': { name: 'positive_amount' },
  'prefer-robust-stmts': { name: 'CREATE INDEX ix_orders_status' },
  'identifier-too-long': { name: '"an_index_name_that_goes_on_and_on…"' },
  'unused-allowance': { name: 'renaming-table' },
  'backfill-with-ddl': { table: 'orders' },
}

/**
 * docs/lint-rules.md, written from the rule catalog so that the documentation cannot drift from
 * what lint reports (a test compares the file with this output).
 */
export function rulesDocument(): string {
  const lines = [
    '# Lint rules',
    '',
    '<!-- Generated from src/lint/rule-catalog.ts by `npm run docs:lint-rules`; a test keeps it in step. -->',
    '',
    '`aludel lint` reports these rules. Each entry says what the rule flags, why it matters on a busy',
    'database (the lock the statement takes and what that lock blocks), and the safe way to write it',
    'with aludel operations. The texts use `orders` and `status` as example names; lint fills in the',
    "real ones. A migration can accept a finding with a reason: `export const lint = { allow: { 'rule-id': 'why' } }`.",
    '',
    '| rule | severity | flags |',
    '| ---- | -------- | ----- |',
    ...RULES.map(
      (r) => `| [${r.id}](#${r.id}) | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ]
  for (const rule of RULES) {
    const subject: Subject = {
      table: 'orders',
      column: 'status',
      name: 'ix_orders_status',
      ...EXAMPLES[rule.id],
    }
    lines.push(`## ${rule.id}`, '', `**${rule.severity}**: ${rule.summary}.`, '')
    lines.push(`Why: ${rule.why(subject)}.`, '', `Safe way: ${rule.fix(subject)}.`, '')
    const claims = rule.claims
    if (claims !== undefined) {
      const parts = [
        ...(claims.lock === undefined ? [] : [`holds ${claims.lock}`]),
        ...(claims.rewrite === true ? ['rewrites the table'] : []),
        ...(claims.scan === true ? ['reads the whole table'] : []),
      ]
      lines.push(`What \`--trace\` checks: the statement ${parts.join(', ')}.`, '')
    }
  }
  return `${lines.join('\n').trimEnd()}\n`
}
