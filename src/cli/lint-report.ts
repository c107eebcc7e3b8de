import { relative } from 'node:path'
import type { LintResult } from '../commands/lint.ts'
import type { Severity } from '../lint/lint-types.ts'
import { describeMeasurement } from '../lint/trace-findings.ts'

const LABEL: Readonly<Record<Severity, string>> = {
  error: 'ERROR',
  warning: 'WARN ',
  info: 'INFO ',
}

/** Counts shown in the summary line. */
function summary(result: LintResult): string {
  const active = result.findings.filter((f) => f.allowed === undefined && f.refutedBy === undefined)
  const count = (s: Severity) => active.filter((f) => f.severity === s).length
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const statements = result.migrations.reduce((n, m) => n + m.statements, 0)
  const parts = [
    plural(count('error'), 'error'),
    plural(count('warning'), 'warning'),
    `${count('info')} info`,
  ]
  const allowed = result.findings.filter((f) => f.allowed !== undefined).length
  const refuted = result.findings.filter((f) => f.refutedBy !== undefined).length
  if (allowed > 0) parts.push(`${allowed} allowed`)
  if (refuted > 0) parts.push(`${refuted} refuted by the trace`)
  return `Linted ${plural(result.migrations.length, 'migration')} (${plural(statements, 'statement')}): ${parts.join(', ')}`
}

/**
 * The report for people: findings grouped by migration (the worst migration first), each with the
 * statement, why it matters, the safe rewrite and, with `--trace`, what was measured; then the
 * measured trace statement by statement.
 */
export function lintText(result: LintResult): string {
  const lines: string[] = []
  let file: string | undefined
  for (const f of result.findings) {
    if (f.file !== file) {
      file = f.file
      lines.push('', `${f.file}`)
    }
    const status =
      f.allowed !== undefined ? 'ALLOW' : f.refutedBy !== undefined ? 'OK   ' : LABEL[f.severity]
    lines.push(`  ${status} ${f.rule}${f.line === undefined ? '' : `  line ${f.line}`}`)
    if (f.statement !== undefined) lines.push(`        ${oneLine(f.statement)}`)
    lines.push(`        ${f.message}`)
    if (f.allowed !== undefined) {
      lines.push(`        allowed: ${f.allowed}`)
    } else if (f.refutedBy !== undefined) {
      lines.push(`        ${f.refutedBy}`)
    } else {
      lines.push(`        why: ${f.why}`, `        fix: ${f.fix}`)
    }
    if (f.measured !== undefined) lines.push(`        measured: ${f.measured}`)
  }
  if (result.traces !== undefined) {
    const sizes = new Map(result.sizes.map((s) => [s.relation, s]))
    lines.push('', 'Trace (measured on a scratch database; sizes from the configured one):')
    for (const trace of result.traces) {
      const migration = result.migrations.find((m) => m.revision === trace.revision)
      lines.push(`  ${migration?.file ?? trace.revision}`)
      for (const statement of trace.statements) {
        lines.push(`    ${statement.index + 1}. ${oneLine(statement.sql)}`)
        lines.push(`       ${describeMeasurement(statement, sizes)}`)
        for (const note of statement.notes) lines.push(`       note: ${note}`)
      }
      if (trace.error !== undefined) lines.push(`    failed: ${trace.error}`)
    }
  }
  lines.push('', summary(result))
  return `${lines.join('\n').replace(/^\n/, '')}\n`
}

/**
 * GitHub Actions workflow commands: one annotation per finding on the migration file and line, so
 * that a pull request shows it beside the code.
 */
export function lintGithub(result: LintResult, migrationsDir: string, cwd: string): string {
  const out: string[] = []
  for (const f of result.findings) {
    if (f.allowed !== undefined || f.refutedBy !== undefined) continue
    const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice'
    const path = relative(cwd, `${migrationsDir}/${f.file}`)
    const properties = [
      `file=${property(path)}`,
      ...(f.line === undefined ? [] : [`line=${f.line}`]),
      `title=${property(`aludel lint: ${f.rule}`)}`,
    ]
    const body = [
      f.message,
      `Why: ${f.why}`,
      `Fix: ${f.fix}`,
      ...(f.measured === undefined ? [] : [`Measured: ${f.measured}`]),
    ].join('\n')
    out.push(`::${level} ${properties.join(',')}::${data(body)}`)
  }
  out.push(summary(result))
  return `${out.join('\n')}\n`
}

/** The finding as `--json` shows it (the why and fix texts included). */
export function lintJson(result: LintResult): unknown {
  return {
    migrations: result.migrations,
    findings: result.findings,
    ...(result.traces === undefined ? {} : { traces: result.traces, sizes: result.sizes }),
  }
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat
}

// Escaping as the workflow-command parser expects it (actions/toolkit, command.ts).
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
