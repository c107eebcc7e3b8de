import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LintResult, lint } from '../../src/commands/lint.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'
import { type CorpusCase, LEAVES, MAIN_CHAIN } from './lint-corpus.ts'

const mainRevision = (i: number) => `c${String(i).padStart(3, '0')}`
const leafRevision = (i: number) => `f${String(i).padStart(3, '0')}`
const lastMain = mainRevision(MAIN_CHAIN.length - 1)

let project: TestProject

beforeAll(() => {
  project = createProject(undefined)
  MAIN_CHAIN.forEach((c, i) => {
    project.writeMigration({
      ...c,
      revision: mainRevision(i),
      down: i === 0 ? null : mainRevision(i - 1),
      message: c.name,
    })
  })
  LEAVES.forEach((c, i) => {
    project.writeMigration({ ...c, revision: leafRevision(i), down: lastMain, message: c.name })
  })
})

afterAll(() => rmSync(project.dir, { recursive: true, force: true }))

/** Rule ids per revision, sorted. */
function rulesByRevision(
  result: LintResult,
  source: 'rule' | 'trace' | 'any' = 'any',
): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const m of result.migrations) out.set(m.revision, [])
  for (const f of result.findings) {
    if (source !== 'any' && f.source !== source) continue
    out.get(f.revision)?.push(f.rule)
  }
  for (const list of out.values()) list.sort()
  return out
}

const cases = (): readonly (readonly [string, CorpusCase])[] => [
  ...MAIN_CHAIN.map((c, i) => [mainRevision(i), c] as const),
  ...LEAVES.map((c, i) => [leafRevision(i), c] as const),
]

describe('lint corpus by rule', () => {
  it('holds at least 40 migrations, with a case for every rule the rules can report', async () => {
    expect(MAIN_CHAIN.length + LEAVES.length).toBeGreaterThanOrEqual(40)
    const { RULES } = await import('../../src/lint/rule-catalog.ts')
    const covered = new Set(cases().flatMap(([, c]) => [...c.rules, ...(c.trace?.traceOnly ?? [])]))
    const ruleOnlyByModels = new Set(['trace-failed'])
    const missing = RULES.map((r) => r.id).filter(
      (id) => !covered.has(id) && !ruleOnlyByModels.has(id),
    )
    expect(missing).toEqual([])
  })

  it('reports exactly the expected rules for every migration, and nothing for the clean ones', async () => {
    const result = await lint(project.config, { selection: { kind: 'all' } })
    const found = rulesByRevision(result)
    const expected = new Map(cases().map(([revision, c]) => [revision, [...c.rules].sort()]))
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected))
  })

  it('gives each finding its file, line, statement, reason and safe rewrite', async () => {
    const result = await lint(project.config, {
      selection: { kind: 'target', target: `${mainRevision(0)}:${mainRevision(1)}` },
    })
    expect(result.findings).toHaveLength(1)
    const [f] = result.findings
    expect(f).toMatchObject({
      rule: 'require-concurrent-index-creation',
      severity: 'error',
      revision: mainRevision(1),
      file: `${mainRevision(1)}_plain_index_on_an_existing_table.ts`,
      statement: 'CREATE INDEX ix_orders_status ON orders (status)',
      source: 'rule',
    })
    // The `op.createIndex` call is on line 11 of the generated file (see migrationSource).
    expect(f?.line).toBe(11)
    expect(f?.why).toContain('SHARE lock on orders')
    expect(f?.fix).toContain(
      "op.createIndex('ix_orders_status', 'orders', [...], { concurrently: true, ifNotExists: true })",
    )
  })

  it('prints the reason of an accepted finding and reports an allowance that matches nothing', async () => {
    const result = await lint(project.config, { selection: { kind: 'all' } })
    const accepted = result.findings.find((f) => f.allowed !== undefined)
    expect(accepted).toMatchObject({
      rule: 'require-concurrent-index-creation',
      allowed: 'bookings is still empty in production',
    })
    const stale = result.findings.find((f) => f.rule === 'unused-allowance')
    expect(stale?.message).toContain("lint.allow['renaming-table'] matches no finding")
  })
})

for (const { backend, skip } of backends()) {
  describe.skipIf(skip !== undefined)(`lint corpus, measured on ${backend}`, () => {
    if (skip !== undefined) console.log(`skipped: ${skip}`)
    let db: TestDatabase

    beforeAll(async () => {
      db = await createDatabase(backend)
    })
    afterAll(async () => {
      await db?.drop()
    })

    it('agrees with the rules on the main chain, except where the trace measured otherwise', async () => {
      const result = await lint(
        { ...project.config, url: db.url },
        { selection: { kind: 'target', target: `base:${lastMain}` }, trace: true },
      )
      expect(
        result.traces?.filter((t) => t.error !== undefined).map((t) => `${t.revision}: ${t.error}`),
      ).toEqual([])
      const refuted = new Map<string, string[]>()
      const traceOnly = new Map<string, string[]>()
      for (const f of result.findings) {
        if (f.refutedBy !== undefined)
          refuted.set(f.revision, [...(refuted.get(f.revision) ?? []), f.rule])
        if (f.source === 'trace')
          traceOnly.set(f.revision, [...(traceOnly.get(f.revision) ?? []), f.rule])
      }
      const expectedRefuted = new Map<string, string[]>()
      const expectedTraceOnly = new Map<string, string[]>()
      MAIN_CHAIN.forEach((c, i) => {
        if (c.trace?.refuted) expectedRefuted.set(mainRevision(i), [...c.trace.refuted])
        if (c.trace?.traceOnly) expectedTraceOnly.set(mainRevision(i), [...c.trace.traceOnly])
      })
      expect(Object.fromEntries(refuted)).toEqual(Object.fromEntries(expectedRefuted))
      expect(Object.fromEntries(traceOnly)).toEqual(Object.fromEntries(expectedTraceOnly))
      // Every finding about a statement got its measurement.
      const unmeasured = result.findings.filter(
        (f) => f.statementIndex !== undefined && f.measured === undefined,
      )
      expect(unmeasured.map((f) => `${f.revision} ${f.rule}`)).toEqual([])
    })

    it('reports the leaves that fail on a real database as failing', async () => {
      const failing = LEAVES.map((c, i) => [leafRevision(i), c] as const).filter(
        ([, c]) => c.trace?.fails === true,
      )
      for (const [revision] of failing) {
        const result = await lint(
          { ...project.config, url: db.url },
          { selection: { kind: 'target', target: `${lastMain}:${revision}` }, trace: true },
        )
        expect(result.findings.map((f) => f.rule)).toContain('trace-failed')
      }
    })
  })
}
