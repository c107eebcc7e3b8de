import type { CollectedMigration, LintFinding, Severity } from './lint-types.ts'
import { SEVERITY_ORDER } from './lint-types.ts'
import { isRuleId, ruleById, type Subject } from './rule-catalog.ts'
import { SchemaState } from './schema-state.ts'
import {
  checkStatement,
  type Hit,
  type MigrationScope,
  type ModelNames,
} from './statement-rules.ts'

/** Options of {@link lintCollected}. */
export interface LintEngineOptions {
  /** Names the application's models use; a drop or rename of one of them is an error. */
  readonly models?: ModelNames
  /**
   * Which migrations to report on. The others are still read, in order, so that lint knows which
   * tables exist and what their columns are. Default: all.
   */
  readonly report?: (revision: string) => boolean
}

/**
 * Checks collected migrations by rule. `migrations` must be in the order they apply (from base),
 * so that each statement is judged against the schema the earlier ones built. Findings are
 * grouped by migration, worst first.
 */
export function lintCollected(
  migrations: readonly CollectedMigration[],
  options: LintEngineOptions = {},
): readonly LintFinding[] {
  const state = new SchemaState()
  const findings: LintFinding[] = []
  for (const migration of migrations) {
    const reported = options.report?.(migration.revision) ?? true
    const scope: MigrationScope = {
      revision: migration.revision,
      transactional: migration.transactional,
      state,
      models: options.models,
      notValidHere: new Set(),
      droppedIfExists: new Set(),
      alteredTables: new Set(),
    }
    const own: LintFinding[] = []
    for (const [index, statement] of migration.statements.entries()) {
      if (reported) {
        for (const hit of checkStatement(statement, scope)) {
          own.push({
            ...finding(hit, migration, statement.line, statement.sql),
            statementIndex: index,
          })
        }
      }
      if (statement.ast !== undefined) state.apply(statement.ast, migration.revision)
    }
    if (!reported) continue
    const problem = migration.problem
    if (problem !== undefined) {
      const hit: Hit =
        problem.kind === 'concurrently-in-transaction'
          ? { rule: 'ban-concurrent-index-in-transaction', message: problem.message, subject: {} }
          : { rule: 'lint-incomplete', message: problem.message, subject: {} }
      own.push(finding(hit, migration, problem.line, undefined))
    }
    findings.push(...applyAllowances(own, migration))
  }
  return groupWorstFirst(findings)
}

/** Dresses a rule's hit as a finding with the rule's texts. */
export function finding(
  hit: Hit,
  migration: CollectedMigration,
  line: number | undefined,
  sql: string | undefined,
): LintFinding {
  const rule = ruleById(hit.rule)
  const subject: Subject = { table: '?', column: '?', name: '?', ...hit.subject }
  const claims = hit.claims ?? rule.claims
  return {
    rule: rule.id,
    severity: hit.severity ?? rule.severity,
    revision: migration.revision,
    file: migration.source,
    line,
    statement: sql,
    message: hit.message,
    why: rule.why(subject),
    fix: rule.fix(subject),
    source: 'rule',
    ...(claims === undefined ? {} : { claims }),
  }
}

/**
 * Marks the findings a migration accepts (`export const lint = { allow: { rule: 'reason' } }`) and
 * reports allowances that match nothing: a stale one would silently hide the next real finding.
 */
export function applyAllowances(
  findings: readonly LintFinding[],
  migration: CollectedMigration,
): LintFinding[] {
  const used = new Set<string>()
  const out = findings.map((f) => {
    const reason = migration.allow[f.rule]
    if (reason === undefined) return f
    used.add(f.rule)
    return { ...f, allowed: reason === '' ? '(no reason given)' : reason }
  })
  for (const rule of Object.keys(migration.allow)) {
    if (used.has(rule)) continue
    const hit: Hit = {
      rule: 'unused-allowance',
      message: isRuleId(rule)
        ? `lint.allow['${rule}'] matches no finding in this migration`
        : `lint.allow['${rule}'] names no lint rule (see docs/lint-rules.md)`,
      subject: { name: rule },
    }
    out.push(finding(hit, migration, undefined, undefined))
  }
  return out
}

const rank = (severity: Severity) => SEVERITY_ORDER.indexOf(severity)

/** The findings grouped by migration, the migration with the worst finding first. */
export function groupWorstFirst(findings: readonly LintFinding[]): LintFinding[] {
  const groups = new Map<string, LintFinding[]>()
  for (const f of findings) {
    const group = groups.get(f.revision) ?? []
    group.push(f)
    groups.set(f.revision, group)
  }
  const effective = (f: LintFinding) =>
    f.allowed !== undefined || f.refutedBy !== undefined ? SEVERITY_ORDER.length : rank(f.severity)
  const worst = (group: readonly LintFinding[]) => Math.min(...group.map(effective))
  return [...groups.values()]
    .map((group, order) => ({ group, order, worst: worst(group) }))
    .sort((a, b) => a.worst - b.worst || a.order - b.order)
    .flatMap(({ group }) =>
      group
        .map((f, i) => ({ f, i }))
        .sort(
          (a, b) =>
            effective(a.f) - effective(b.f) || (a.f.line ?? 0) - (b.f.line ?? 0) || a.i - b.i,
        )
        .map(({ f }) => f),
    )
}

/** True when a finding counts against `--fail-on`: not allowed, not refuted, severe enough. */
export function failsAt(finding: LintFinding, failOn: Severity): boolean {
  return (
    finding.allowed === undefined &&
    finding.refutedBy === undefined &&
    rank(finding.severity) <= rank(failOn)
  )
}
