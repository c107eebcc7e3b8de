import { describe, expect, it } from 'vitest'
import { AludelError } from '../../src/aludel-error.ts'
import {
  type HeadChange,
  type MigrationStep,
  RevisionMap,
  type RevisionNode,
} from '../../src/script/revision-map.ts'
import {
  AmbiguousRevisionError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidTargetError,
  MissingRevisionError,
  MultipleHeadsError,
  RevisionCycleError,
  RevisionNotFoundError,
  ScriptDirectoryError,
  UnknownDatabaseRevisionError,
} from '../../src/script/script-errors.ts'

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface Extra {
  readonly labels?: readonly string[]
  readonly dependsOn?: readonly string[]
  readonly source?: string
}

/** A node literal: `node('b', ['a'], { labels: ['feature'] })`. */
function node(revision: string, downRevisions: readonly string[] = [], extra: Extra = {}) {
  const literal: RevisionNode = {
    revision,
    downRevisions,
    branchLabels: extra.labels ?? [],
    dependsOn: extra.dependsOn ?? [],
  }
  return extra.source === undefined ? literal : { ...literal, source: extra.source }
}

/** The error `fn` throws, checked to be an instance of `type` and a one-line usage error. */
function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  let error: unknown
  try {
    fn()
  } catch (caught) {
    error = caught
  }
  if (error === undefined) throw new Error(`expected ${type.name}, but nothing was thrown`)
  expect(error).toBeInstanceOf(type)
  expect(error).toBeInstanceOf(AludelError)
  expect((error as AludelError).category).toBe('usage')
  expect((error as Error).message).not.toContain('\n')
  return error as E
}

/** The InvalidTargetError `fn` throws, checked to carry `code`. */
function invalid(fn: () => unknown, code: string): InvalidTargetError {
  const error = thrown(fn, InvalidTargetError)
  expect(error.code).toBe(code)
  return error
}

function describeChange(change: HeadChange): string {
  switch (change.kind) {
    case 'insert':
      return `insert ${change.revision}`
    case 'delete':
      return `delete ${change.revision}`
    case 'update':
      return `update ${change.from}->${change.to}`
  }
}

/** One line per step: `m: update c->m, delete d => [m]` (the row changes, then currentAfter). */
function summary(steps: readonly MigrationStep<RevisionNode>[]): string[] {
  return steps.map(
    (s) =>
      `${s.node.revision}: ${s.changes.map(describeChange).join(', ')} => [${s.currentAfter.join(' ')}]`,
  )
}

/**
 * Replays a plan against a simulated version table and checks, step by step, everything a plan
 * promises: the rows before match `currentBefore`; every UPDATE and DELETE hits an existing row and
 * every INSERT a new one; the rows after equal `currentAfter`, which are exactly the heads of the
 * applied set; each step adds (or removes) exactly its own revision, only when its parents and
 * dependencies are applied (or when nothing applied builds on it).
 */
function replay(
  map: RevisionMap,
  current: readonly string[],
  steps: readonly MigrationStep<RevisionNode>[],
  direction: 'upgrade' | 'downgrade',
): void {
  const rows = new Set(current)
  const applied = map.appliedSet(current)
  expect(map.headsOf(applied)).toEqual([...rows].sort(byOrder(map)))
  for (const step of steps) {
    const id = step.node.revision
    expect(step.direction).toBe(direction)
    expect(new Set(step.currentBefore)).toEqual(rows)
    expect(step.changes.length).toBeGreaterThan(0)
    if (direction === 'upgrade') {
      expect(applied.has(id), `${id} is already applied`).toBe(false)
      for (const up of [...step.node.downRevisions, ...map.dependencies(id)]) {
        expect(applied.has(up), `${id} runs before ${up}`).toBe(true)
      }
      expect(step.from).toEqual(step.node.downRevisions)
      expect(step.to).toEqual([id])
      applied.add(id)
    } else {
      expect(applied.has(id), `${id} is not applied`).toBe(true)
      for (const above of [...map.children(id), ...map.dependents(id)]) {
        expect(applied.has(above), `${id} is undone while ${above} is applied`).toBe(false)
      }
      expect(step.from).toEqual([id])
      expect(step.to).toEqual(step.node.downRevisions)
      applied.delete(id)
    }
    for (const change of step.changes) {
      switch (change.kind) {
        case 'insert':
          expect(rows.has(change.revision), `insert of existing row ${change.revision}`).toBe(false)
          rows.add(change.revision)
          break
        case 'delete':
          expect(rows.has(change.revision), `delete of missing row ${change.revision}`).toBe(true)
          rows.delete(change.revision)
          break
        case 'update':
          expect(rows.has(change.from), `update of missing row ${change.from}`).toBe(true)
          expect(rows.has(change.to), `update onto existing row ${change.to}`).toBe(false)
          rows.delete(change.from)
          rows.add(change.to)
          break
      }
    }
    expect(rows).toEqual(new Set(step.currentAfter))
    expect(step.currentAfter).toEqual(map.headsOf(applied))
    expect(map.appliedSet(step.currentAfter)).toEqual(applied)
  }
}

function byOrder(map: RevisionMap): (a: string, b: string) => number {
  return (a, b) => map.order.indexOf(a) - map.order.indexOf(b)
}

/** Plans an upgrade from `current` to `target`, replays it, and summarises it. */
function up(map: RevisionMap, current: readonly string[], target: string): string[] {
  const steps = map.planUpgrade(current, map.resolve(target, current), target)
  replay(map, current, steps, 'upgrade')
  return summary(steps)
}

/** Plans a downgrade from `current` to `target`, replays it, and summarises it. */
function down(map: RevisionMap, current: readonly string[], target: string): string[] {
  const steps = map.planDowngrade(current, map.resolve(target, current), target)
  replay(map, current, steps, 'downgrade')
  return summary(steps)
}

/** The version-table rows after stamping `target` on a database at `current`. */
function stamp(map: RevisionMap, current: readonly string[], target: string): readonly string[] {
  const resolved = map.resolve(target, current)
  const plan = map.planStamp(current, resolved, target)
  expect(plan.currentBefore).toEqual(map.headsOf(map.appliedSet(current)))
  // The rows after a stamp are canonical, and the target counts as applied.
  const after = map.appliedSet(plan.currentAfter)
  expect(plan.currentAfter).toEqual(map.headsOf(after))
  for (const t of resolved.revisions) expect(after.has(t)).toBe(true)
  return plan.currentAfter
}

/** A deterministic shuffle (a small LCG), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** Every node comes after its parents and its dependencies. */
function expectTopological(map: RevisionMap): void {
  const position = new Map(map.order.map((id, i) => [id, i]))
  expect(map.order.length).toBe(map.nodes.size)
  for (const id of map.order) {
    for (const up of [...map.get(id).downRevisions, ...map.dependencies(id)]) {
      expect(position.get(up)!, `${up} before ${id}`).toBeLessThan(position.get(id)!)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Graphs
// ---------------------------------------------------------------------------------------------

/** a -> b -> c -> d */
const linear = (): RevisionNode[] => [
  { revision: 'a', downRevisions: [], branchLabels: [], dependsOn: [] },
  { revision: 'b', downRevisions: ['a'], branchLabels: [], dependsOn: [] },
  { revision: 'c', downRevisions: ['b'], branchLabels: [], dependsOn: [] },
  { revision: 'd', downRevisions: ['c'], branchLabels: [], dependsOn: [] },
]

/** a -> b (left) -> c ; a -> d (right) -> e: one branch point, two heads. */
const branched = (): RevisionNode[] => [
  node('a'),
  node('b', ['a'], { labels: ['left'] }),
  node('c', ['b']),
  node('d', ['a'], { labels: ['right'] }),
  node('e', ['d']),
]

/** a -> b -> c ; a -> d ; m merges (c, d) ; n on top. */
const merged = (): RevisionNode[] => [
  node('a'),
  node('b', ['a']),
  node('c', ['b']),
  node('d', ['a']),
  node('m', ['c', 'd']),
  node('n', ['m']),
]

/** a -> b, a -> c, d merges (b, c). */
const diamond = (): RevisionNode[] => [
  node('a'),
  node('b', ['a']),
  node('c', ['a']),
  node('d', ['b', 'c']),
]

/** Two independent roots: x1 (accounts) -> x2 -> x3 ; y1 (networking) -> y2. */
const twoBases = (): RevisionNode[] => [
  node('x1', [], { labels: ['accounts'] }),
  node('x2', ['x1']),
  node('x3', ['x2']),
  node('y1', [], { labels: ['networking'] }),
  node('y2', ['y1']),
]

/**
 * Three roots with dependencies across them: n2 depends on a2 by id, n3 on the `shop` branch by
 * its label (that is, on s1).
 *
 *   a1 (accounts) -> a2 -> a3
 *   n1 (networking) -> n2 -> n3      n2 dependsOn a2, n3 dependsOn 'shop'
 *   s1 (shop)
 */
const withDependencies = (): RevisionNode[] => [
  node('a1', [], { labels: ['accounts'] }),
  node('a2', ['a1']),
  node('a3', ['a2']),
  node('n1', [], { labels: ['networking'] }),
  node('n2', ['n1'], { dependsOn: ['a2'] }),
  node('n3', ['n2'], { dependsOn: ['shop'] }),
  node('s1', [], { labels: ['shop'] }),
]

/** p, q, r are bases; m merges all three; z on top. */
const threeWayMerge = (): RevisionNode[] => [
  node('p'),
  node('q'),
  node('r'),
  node('m', ['p', 'q', 'r']),
  node('z', ['m']),
]

const chainId = (i: number) => `r${String(i).padStart(3, '0')}`

/** r000 -> r001 -> ... -> r(n-1), with the label `late` on r(n/2). */
const chain = (n: number): RevisionNode[] =>
  Array.from({ length: n }, (_, i) =>
    node(chainId(i), i === 0 ? [] : [chainId(i - 1)], {
      labels: i === n / 2 ? ['late'] : [],
    }),
  )

const fixtures: ReadonlyArray<readonly [string, () => RevisionNode[]]> = [
  ['linear', linear],
  ['branched', branched],
  ['merged', merged],
  ['diamond', diamond],
  ['two bases', twoBases],
  ['dependencies', withDependencies],
  ['three-way merge', threeWayMerge],
  ['chain of 200', () => chain(200)],
]

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('graph shape and order', () => {
  it.each([
    ['linear', linear, ['a', 'b', 'c', 'd'], ['d'], ['a'], [], []],
    ['branched', branched, ['a', 'b', 'c', 'd', 'e'], ['c', 'e'], ['a'], ['a'], []],
    ['merged', merged, ['a', 'b', 'c', 'd', 'm', 'n'], ['n'], ['a'], ['a'], ['m']],
    ['diamond', diamond, ['a', 'b', 'c', 'd'], ['d'], ['a'], ['a'], ['d']],
    ['two bases', twoBases, ['x1', 'x2', 'x3', 'y1', 'y2'], ['x3', 'y2'], ['x1', 'y1'], [], []],
    [
      'dependencies',
      withDependencies,
      ['a1', 'a2', 'a3', 'n1', 'n2', 's1', 'n3'],
      ['a3', 's1', 'n3'],
      ['a1', 'n1', 's1'],
      [],
      [],
    ],
    [
      'three-way merge',
      threeWayMerge,
      ['p', 'q', 'r', 'm', 'z'],
      ['z'],
      ['p', 'q', 'r'],
      [],
      ['m'],
    ],
  ] as const)(
    '%s: order, heads, bases, branch and merge points',
    (_name, build, order, heads, bases, branchPoints, mergePoints) => {
      const map = new RevisionMap(build())
      expect(map.order).toEqual(order)
      expect(map.heads).toEqual(heads)
      expect(map.bases).toEqual(bases)
      expect(map.branchPoints).toEqual(branchPoints)
      expect(map.mergePoints).toEqual(mergePoints)
      for (const id of map.order) {
        expect(map.isHead(id)).toBe(heads.includes(id as never))
        expect(map.isBase(id)).toBe(bases.includes(id as never))
        expect(map.isBranchPoint(id)).toBe(branchPoints.includes(id as never))
        expect(map.isMergePoint(id)).toBe(mergePoints.includes(id as never))
      }
      expectTopological(map)
    },
  )

  it('lists children through downRevision only, in graph order', () => {
    const b = new RevisionMap(branched())
    expect(b.children('a')).toEqual(['b', 'd'])
    expect(b.children('b')).toEqual(['c'])
    expect(b.children('c')).toEqual([])
    const m = new RevisionMap(merged())
    expect(m.children('c')).toEqual(['m'])
    expect(m.children('d')).toEqual(['m'])
    const t = new RevisionMap(threeWayMerge())
    expect(t.children('q')).toEqual(['m'])
    const dep = new RevisionMap(withDependencies())
    // A dependent is not a child: a2's only child is a3.
    expect(dep.children('a2')).toEqual(['a3'])
    expect(dep.dependents('a2')).toEqual(['n2'])
    expect(dep.dependents('s1')).toEqual(['n3'])
    // A dependency named by branch label is resolved to the revision that declares it.
    expect(dep.dependencies('n3')).toEqual(['s1'])
    expect(dep.dependencies('n2')).toEqual(['a2'])
    expect(dep.dependencies('a2')).toEqual([])
  })

  it('walks a branch to its end before the sibling branch starts', () => {
    // Siblings are visited lowest id first, and each is finished before the next begins.
    const map = new RevisionMap([
      node('root'),
      node('z1', ['root']),
      node('z2', ['z1']),
      node('z3', ['z2']),
      node('a1', ['root']),
      node('a2', ['a1']),
      node('m1', ['root']),
    ])
    expect(map.order).toEqual(['root', 'a1', 'a2', 'm1', 'z1', 'z2', 'z3'])
    // Independent bases are also walked one lineage at a time.
    expect(new RevisionMap(shuffled(twoBases(), 7)).order).toEqual(['x1', 'x2', 'x3', 'y1', 'y2'])
  })

  it('does not start a merge before all its parents, however deep the other branch', () => {
    const map = new RevisionMap([
      node('a'),
      node('b', ['a']),
      node('c1', ['a']),
      node('c2', ['c1']),
      node('c3', ['c2']),
      node('m', ['b', 'c3']),
    ])
    expect(map.order).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'm'])
  })

  it.each(fixtures)('%s: is the same graph whatever order the nodes come in', (_name, build) => {
    const reference = new RevisionMap(build())
    for (const seed of [1, 2, 3, 42, 1234]) {
      const map = new RevisionMap(shuffled(build(), seed))
      expect(map.order).toEqual(reference.order)
      expect(map.heads).toEqual(reference.heads)
      expect(map.bases).toEqual(reference.bases)
      expect(map.branchPoints).toEqual(reference.branchPoints)
      expect(map.mergePoints).toEqual(reference.mergePoints)
      for (const id of reference.order) {
        expect(map.children(id)).toEqual(reference.children(id))
        expect(map.dependents(id)).toEqual(reference.dependents(id))
        expect(map.labelsOf(id)).toEqual(reference.labelsOf(id))
      }
      const plan = (m: RevisionMap) =>
        summary(m.planUpgrade([], m.resolve('heads'), 'heads')).concat(
          summary(m.planDowngrade(m.heads, m.resolve('base'), 'base')),
        )
      expect(plan(map)).toEqual(plan(reference))
      expectTopological(map)
    }
  })

  it('handles an empty graph', () => {
    const map = new RevisionMap([])
    expect(map.order).toEqual([])
    expect(map.heads).toEqual([])
    expect(map.bases).toEqual([])
    expect(map.resolve('heads')).toEqual({ revisions: [] })
    expect(map.resolve('base')).toEqual({ revisions: [] })
    const error = invalid(() => map.resolve('head'), 'NO_REVISIONS')
    expect(error.message).toMatch(/no migrations yet/)
    expect(map.planUpgrade([], map.resolve('heads'), 'heads')).toEqual([])
    expect(map.planDowngrade([], map.resolve('base'), 'base')).toEqual([])
    expect(map.range(undefined, undefined)).toEqual([])
  })

  it('get() names an unknown revision', () => {
    const map = new RevisionMap(linear())
    expect(map.get('b').revision).toBe('b')
    const error = thrown(() => map.get('zz'), RevisionNotFoundError)
    expect(error.reference).toBe('zz')
    expect(error.code).toBe('REVISION_NOT_FOUND')
  })
})

describe('constructor validation', () => {
  it('rejects a duplicate revision, naming both sources', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', [], { source: 'a_first.ts' }),
          node('b', ['a'], { source: 'b.ts' }),
          node('a', [], { source: 'a_second.ts' }),
        ]),
      DuplicateRevisionError,
    )
    expect(error.revision).toBe('a')
    expect(error.sources).toEqual(['a (a_first.ts)', 'a (a_second.ts)'])
    expect(error.code).toBe('DUPLICATE_REVISION')
    expect(error.message).toContain('a_first.ts')
    expect(error.message).toContain('a_second.ts')
  })

  it('rejects a duplicate revision without sources by id', () => {
    const error = thrown(() => new RevisionMap([node('a'), node('a')]), DuplicateRevisionError)
    expect(error.sources).toEqual(['a', 'a'])
  })

  it('rejects a downRevision that names nothing', () => {
    const error = thrown(
      () => new RevisionMap([node('a'), node('b', ['nope'], { source: 'b_add.ts' })]),
      MissingRevisionError,
    )
    expect(error).toMatchObject({
      code: 'MISSING_REVISION',
      revision: 'b',
      missing: 'nope',
      field: 'downRevision',
      source: 'b (b_add.ts)',
    })
    expect(error.message).toContain('b_add.ts')
    expect(error.message).toContain("'nope'")
  })

  it('rejects a dependsOn that names neither a revision nor a branch label', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', [], { labels: ['core'] }),
          node('b', [], { dependsOn: ['cor'] }),
        ]),
      MissingRevisionError,
    )
    expect(error).toMatchObject({ revision: 'b', missing: 'cor', field: 'dependsOn' })
  })

  it('rejects a parent listed twice: it would not be a merge', () => {
    const error = thrown(
      () => new RevisionMap([node('a'), node('b', ['a', 'a'], { source: 'b.ts' })]),
      ScriptDirectoryError,
    )
    expect(error.code).toBe('DUPLICATE_DOWN_REVISION')
    expect(error.message).toContain('b.ts')
  })

  it('rejects a self-loop through downRevision', () => {
    const error = thrown(() => new RevisionMap([node('a', ['a'])]), RevisionCycleError)
    expect(error.revisions).toEqual(['a'])
    expect(error.code).toBe('REVISION_CYCLE')
  })

  it('rejects a self-loop through dependsOn, by id or by its own label', () => {
    expect(
      thrown(() => new RevisionMap([node('a', [], { dependsOn: ['a'] })]), RevisionCycleError)
        .revisions,
    ).toEqual(['a'])
    expect(
      thrown(
        () => new RevisionMap([node('a'), node('b', ['a'], { labels: ['x'], dependsOn: ['x'] })]),
        RevisionCycleError,
      ).revisions,
    ).toEqual(['b'])
  })

  it('rejects a cycle of two, even when a base exists elsewhere', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', ['b'], { source: 'a.ts' }),
          node('b', ['a'], { source: 'b.ts' }),
          node('c'),
        ]),
      RevisionCycleError,
    )
    expect([...error.revisions].sort()).toEqual(['a (a.ts)', 'b (b.ts)'])
  })

  it('rejects a cycle of three, listing only the revisions on the cycle', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', ['c']),
          node('b', ['a']),
          node('c', ['b']),
          // Built on the cycle, but not part of it.
          node('d', ['a']),
          node('base'),
        ]),
      RevisionCycleError,
    )
    expect([...error.revisions].sort()).toEqual(['a', 'b', 'c'])
  })

  it('finds the cycle when the first stuck revision only hangs below it', () => {
    const error = thrown(
      () => new RevisionMap([node('a', ['x']), node('x', ['y']), node('y', ['x'])]),
      RevisionCycleError,
    )
    expect([...error.revisions].sort()).toEqual(['x', 'y'])
  })

  it('rejects a cycle through dependencies', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a'),
          node('b', ['a'], { dependsOn: ['c'] }),
          node('c', ['a'], { dependsOn: ['b'] }),
        ]),
      RevisionCycleError,
    )
    expect([...error.revisions].sort()).toEqual(['b', 'c'])
    expect(error.message).toContain('dependsOn')
  })

  it('rejects a cycle mixing a parent and a dependency by label', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', [], { dependsOn: ['top'] }),
          node('b', ['a'], { labels: ['top'] }),
        ]),
      RevisionCycleError,
    )
    expect([...error.revisions].sort()).toEqual(['a', 'b'])
  })

  it('rejects a branch label declared twice', () => {
    const error = thrown(
      () =>
        new RevisionMap([
          node('a', [], { labels: ['feature'], source: 'a.ts' }),
          node('b', ['a'], { labels: ['feature'], source: 'b.ts' }),
        ]),
      DuplicateBranchLabelError,
    )
    expect(error.label).toBe('feature')
    expect(error.sources).toEqual(['a (a.ts)', 'b (b.ts)'])
    expect(error.code).toBe('DUPLICATE_BRANCH_LABEL')
  })

  it('rejects a branch label equal to a revision id', () => {
    const error = thrown(
      () =>
        new RevisionMap([node('a', [], { source: 'a.ts' }), node('b', ['a'], { labels: ['a'] })]),
      DuplicateBranchLabelError,
    )
    expect(error.label).toBe('a')
    expect(error.sources).toEqual(['b', 'the revision id of a (a.ts)'])
  })

  it.each(['head', 'heads', 'base', 'current'])(
    'rejects the keyword %j as a branch label',
    (word) => {
      const error = thrown(
        () => new RevisionMap([node('a', [], { labels: [word] })]),
        DuplicateBranchLabelError,
      )
      expect(error.label).toBe(word)
      expect(error.sources).toEqual(['a', `the keyword '${word}'`])
    },
  )
})

describe('linear graph', () => {
  const map = new RevisionMap(linear())

  it('resolves head, heads, base and a full id', () => {
    expect(map.resolve('head')).toEqual({ revisions: ['d'] })
    expect(map.resolve('heads')).toEqual({ revisions: ['d'] })
    expect(map.resolve('base')).toEqual({ revisions: [] })
    expect(map.resolve('c')).toEqual({ revisions: ['c'] })
  })

  it('resolves steps relative to a revision and to head', () => {
    expect(map.resolve('b+0')).toEqual({ revisions: ['b'] })
    expect(map.resolve('b+1')).toEqual({ revisions: ['c'] })
    expect(map.resolve('b+2')).toEqual({ revisions: ['d'] })
    expect(map.resolve('c-1')).toEqual({ revisions: ['b'], lineage: 'c' })
    expect(map.resolve('c-2')).toEqual({ revisions: ['a'], lineage: 'c' })
    // One step below the base is base itself.
    expect(map.resolve('c-3')).toEqual({ revisions: [], lineage: 'c' })
    expect(map.resolve('head-1')).toEqual({ revisions: ['c'], lineage: 'd' })
    expect(map.resolve('head-4')).toEqual({ revisions: [], lineage: 'd' })
  })

  it('refuses to walk past a head or below base', () => {
    expect(invalid(() => map.resolve('b+3'), 'RELATIVE_OUT_OF_RANGE').message).toMatch(
      /d is a head: there is no revision 1 step above it/,
    )
    expect(invalid(() => map.resolve('a+5'), 'RELATIVE_OUT_OF_RANGE').message).toMatch(
      /2 steps above/,
    )
    expect(invalid(() => map.resolve('c-4'), 'RELATIVE_OUT_OF_RANGE').message).toMatch(
      /only 3 revisions lie below and including c/,
    )
    invalid(() => map.resolve('head-5'), 'RELATIVE_OUT_OF_RANGE')
    expect(invalid(() => map.resolve('a-2'), 'RELATIVE_OUT_OF_RANGE').message).toMatch(
      /only 1 revision lies below and including a/,
    )
  })

  it('resolves +N and -N against the database heads', () => {
    expect(map.resolve('+1', ['b'])).toEqual({ revisions: ['c'] })
    expect(map.resolve('+2', ['b'])).toEqual({ revisions: ['d'] })
    // From an empty database, +1 is the base.
    expect(map.resolve('+1', [])).toEqual({ revisions: ['a'] })
    expect(map.resolve('+2', [])).toEqual({ revisions: ['b'] })
    expect(map.resolve('-1', ['c'])).toEqual({ revisions: ['b'], lineage: 'c' })
    expect(map.resolve('-3', ['c'])).toEqual({ revisions: [], lineage: 'c' })
    expect(map.resolve('+0', ['c'])).toEqual({ revisions: ['c'] })
    expect(map.resolve('-0', [])).toEqual({ revisions: [] })
  })

  it('refuses +N/-N that leave the graph, and +N without the database', () => {
    invalid(() => map.resolve('+3', ['b']), 'RELATIVE_OUT_OF_RANGE')
    invalid(() => map.resolve('-4', ['c']), 'RELATIVE_OUT_OF_RANGE')
    expect(invalid(() => map.resolve('-1', []), 'RELATIVE_OUT_OF_RANGE').message).toMatch(/at base/)
    expect(invalid(() => map.resolve('+1'), 'INVALID_TARGET').message).toMatch(/--sql/)
    thrown(() => map.resolve('+1', ['zz']), UnknownDatabaseRevisionError)
  })

  it('upgrades from empty to head, moving one row', () => {
    expect(up(map, [], 'head')).toEqual([
      'a: insert a => [a]',
      'b: update a->b => [b]',
      'c: update b->c => [c]',
      'd: update c->d => [d]',
    ])
  })

  it('upgrades part of the way', () => {
    expect(up(map, ['b'], '+1')).toEqual(['c: update b->c => [c]'])
    expect(up(map, ['b'], 'head')).toEqual(['c: update b->c => [c]', 'd: update c->d => [d]'])
    expect(up(map, [], 'b')).toEqual(['a: insert a => [a]', 'b: update a->b => [b]'])
  })

  it('does nothing when already at the target', () => {
    expect(up(map, ['d'], 'head')).toEqual([])
    expect(up(map, ['c'], 'c')).toEqual([])
    expect(up(map, [], 'base')).toEqual([])
  })

  it('refuses to upgrade to a revision behind the database', () => {
    const error = invalid(() => up(map, ['c'], 'b'), 'TARGET_BEHIND')
    expect(error.message).toMatch(/b is behind the database \(at c\)/)
    expect(error.message).toMatch(/aludel downgrade/)
    invalid(() => up(map, ['c'], '-1'), 'TARGET_BEHIND')
  })

  it('downgrades, undoing the newest first', () => {
    expect(down(map, ['d'], 'b')).toEqual(['d: update d->c => [c]', 'c: update c->b => [b]'])
    expect(down(map, ['d'], '-1')).toEqual(['d: update d->c => [c]'])
    expect(down(map, ['d'], 'base')).toEqual([
      'd: update d->c => [c]',
      'c: update c->b => [b]',
      'b: update b->a => [a]',
      'a: delete a => []',
    ])
    expect(down(map, ['b'], '-2')).toEqual(['b: update b->a => [a]', 'a: delete a => []'])
  })

  it('does nothing when the target is the database head or base is reached', () => {
    expect(down(map, ['d'], 'd')).toEqual([])
    expect(down(map, [], 'base')).toEqual([])
  })

  it('refuses to downgrade to a revision not applied', () => {
    const error = invalid(() => down(map, ['b'], 'c'), 'TARGET_AHEAD')
    expect(error.message).toMatch(/c is not applied/)
    expect(error.message).toMatch(/aludel upgrade/)
  })

  it('stamps backwards, forwards, to heads and to base', () => {
    expect(stamp(map, ['d'], 'b')).toEqual(['b'])
    expect(stamp(map, [], 'c')).toEqual(['c'])
    expect(stamp(map, ['b'], 'heads')).toEqual(['d'])
    expect(stamp(map, ['c'], 'base')).toEqual([])
    expect(stamp(map, ['b'], 'b')).toEqual(['b'])
    expect(stamp(map, ['d'], 'head-2')).toEqual(['b'])
  })

  it('computes applied sets and names unknown database revisions', () => {
    expect(map.appliedSet(['c'])).toEqual(new Set(['a', 'b', 'c']))
    expect(map.appliedSet([])).toEqual(new Set())
    const error = thrown(() => map.appliedSet(['c', 'zz', 'yy']), UnknownDatabaseRevisionError)
    expect(error.revisions).toEqual(['zz', 'yy'])
    expect(error.code).toBe('UNKNOWN_DATABASE_REVISION')
    expect(error.message).toMatch(/stamp REV --purge/)
    thrown(() => map.planUpgrade(['zz'], map.resolve('head'), 'head'), UnknownDatabaseRevisionError)
    thrown(
      () => map.planDowngrade(['zz'], map.resolve('base'), 'base'),
      UnknownDatabaseRevisionError,
    )
    thrown(() => map.planStamp(['zz'], map.resolve('head'), 'head'), UnknownDatabaseRevisionError)
  })

  it('lists history ranges, both ends included', () => {
    expect(map.range(undefined, undefined)).toEqual(['a', 'b', 'c', 'd'])
    expect(map.range(['b'], ['c'])).toEqual(['b', 'c'])
    expect(map.range(['b'], undefined)).toEqual(['b', 'c', 'd'])
    expect(map.range(undefined, ['b'])).toEqual(['a', 'b'])
    // An empty lower end is base (e.g. `current:` on an empty database): no lower bound.
    expect(map.range([], ['b'])).toEqual(['a', 'b'])
    // An empty upper end is base: nothing lies at or below it.
    expect(map.range(undefined, [])).toEqual([])
    // A reversed range is empty.
    expect(map.range(['c'], ['b'])).toEqual([])
  })

  it('has no branch labels', () => {
    expect(map.labelsOf('c')).toEqual([])
    expect(map.branchLabels.size).toBe(0)
    const error = thrown(() => map.resolve('feature@head'), RevisionNotFoundError)
    expect(error.message).toMatch(/no migration declares a branch label/)
  })
})

describe('partial revision ids', () => {
  const map = new RevisionMap([
    node('1975ea83b712'),
    node('ae1027a6acf', ['1975ea83b712']),
    node('ae10f00d', ['ae1027a6acf']),
    node('27c6a30d7c24', ['ae10f00d']),
  ])

  it('resolves a full id and an unambiguous prefix', () => {
    expect(map.resolve('1975ea83b712')).toEqual({ revisions: ['1975ea83b712'] })
    expect(map.resolve('ae1027')).toEqual({ revisions: ['ae1027a6acf'] })
    expect(map.resolve('27c')).toEqual({ revisions: ['27c6a30d7c24'] })
    expect(map.resolveRevision('ae10f')).toBe('ae10f00d')
  })

  it('rejects an ambiguous prefix, listing the candidates', () => {
    const error = thrown(() => map.resolve('ae10'), AmbiguousRevisionError)
    expect(error.reference).toBe('ae10')
    expect(error.candidates).toEqual(['ae1027a6acf', 'ae10f00d'])
    expect(error.code).toBe('AMBIGUOUS_REVISION')
    expect(error.message).toContain('ae1027a6acf, ae10f00d')
    thrown(() => map.resolve('ae10+1'), AmbiguousRevisionError)
  })

  it('rejects an unknown reference', () => {
    const error = thrown(() => map.resolve('ffff'), RevisionNotFoundError)
    expect(error.reference).toBe('ffff')
    expect(error.message).toMatch(/aludel history/)
  })

  it('walks from a prefix', () => {
    expect(map.resolve('1975+2')).toEqual({ revisions: ['ae10f00d'] })
    expect(map.resolve('27c6-2')).toEqual({ revisions: ['ae1027a6acf'], lineage: '27c6a30d7c24' })
  })

  it('prefers an exact id over a longer id it prefixes', () => {
    const m = new RevisionMap([node('abc'), node('abcd', ['abc'])])
    expect(m.resolve('abc')).toEqual({ revisions: ['abc'] })
    expect(thrown(() => m.resolve('ab'), AmbiguousRevisionError).candidates).toEqual([
      'abc',
      'abcd',
    ])
  })

  it('resolves a partial id within a branch (LABEL@REV)', () => {
    const m = new RevisionMap([
      node('0a'),
      node('ab12', ['0a'], { labels: ['left'] }),
      node('ab15', ['ab12']),
      node('ab34', ['0a'], { labels: ['right'] }),
    ])
    thrown(() => m.resolve('ab'), AmbiguousRevisionError)
    expect(m.resolve('right@ab')).toEqual({ revisions: ['ab34'], lineage: 'ab34' })
    expect(m.resolve('left@ab15')).toEqual({ revisions: ['ab15'], lineage: 'ab12' })
    expect(thrown(() => m.resolve('left@ab1'), AmbiguousRevisionError).candidates).toEqual([
      'ab12',
      'ab15',
    ])
    const error = thrown(() => m.resolve('left@ab3'), RevisionNotFoundError)
    expect(error.reference).toBe('left@ab3')
    expect(error.message).toMatch(/branch 'left' has no such revision/)
    // A full id outside the branch's lineage is not found either.
    thrown(() => m.resolve('left@ab34'), RevisionNotFoundError)
  })
})

describe('branched graph (one branch point, two heads)', () => {
  const map = new RevisionMap(branched())

  it('reports several heads for head, with .heads and a code', () => {
    const error = thrown(() => map.resolve('head'), MultipleHeadsError)
    expect(error.heads).toEqual(['c', 'e'])
    expect(error.code).toBe('MULTIPLE_HEADS')
    expect(error.target).toBe('head')
    expect(error.message).toMatch(/merge/)
    expect(thrown(() => map.resolve('head-1'), MultipleHeadsError).target).toBe('head-1')
    // A Target object is described in the error as it would be written.
    expect(
      thrown(() => map.resolve({ kind: 'head', branch: undefined, offset: -2 }), MultipleHeadsError)
        .target,
    ).toBe('head-2')
  })

  it('resolves heads and branch heads', () => {
    expect(map.resolve('heads')).toEqual({ revisions: ['c', 'e'] })
    expect(map.resolve('left@head')).toEqual({ revisions: ['c'] })
    expect(map.resolve('right@head')).toEqual({ revisions: ['e'] })
    expect(map.resolve('left@heads')).toEqual({ revisions: ['c'] })
    expect(map.resolve('right@head-1')).toEqual({ revisions: ['d'], lineage: 'e' })
    expect(map.resolve('right@head-2')).toEqual({ revisions: ['a'], lineage: 'e' })
  })

  it('resolves LABEL@base to "nothing of that branch"', () => {
    expect(map.resolve('left@base')).toEqual({ revisions: [], branchBase: 'left' })
    const error = thrown(() => map.resolve('nope@base'), RevisionNotFoundError)
    expect(error.message).toMatch(/known branch labels: left, right/)
    thrown(() => map.resolve('nope@head'), RevisionNotFoundError)
  })

  it('resolves a label alone to the revision that declares it', () => {
    expect(map.resolve('left')).toEqual({ revisions: ['b'] })
    expect(map.resolve('right+1')).toEqual({ revisions: ['e'] })
    expect(map.resolve('left-1')).toEqual({ revisions: ['a'], lineage: 'b' })
  })

  it('resolves LABEL@REV within the branch and what it is built on', () => {
    expect(map.resolve('left@b')).toEqual({ revisions: ['b'], lineage: 'b' })
    expect(map.resolve('left@c')).toEqual({ revisions: ['c'], lineage: 'b' })
    // The fork point belongs to the branch's lineage (as in Alembic).
    expect(map.resolve('left@a')).toEqual({ revisions: ['a'], lineage: 'b' })
    // Walking up from the fork point follows the branch.
    expect(map.resolve('left@a+1')).toEqual({ revisions: ['b'], lineage: 'b' })
    expect(map.resolve('right@a+2')).toEqual({ revisions: ['e'], lineage: 'd' })
    thrown(() => map.resolve('left@d'), RevisionNotFoundError)
    thrown(() => map.resolve('left@e'), RevisionNotFoundError)
  })

  it('refuses to walk up through a branch point without a label', () => {
    const error = invalid(() => map.resolve('a+1'), 'AMBIGUOUS_TARGET')
    expect(error.message).toMatch(/a is a branch point \(children b, d\)/)
    invalid(() => map.resolve('+1', ['a']), 'AMBIGUOUS_TARGET')
  })

  it('refuses +N/-N when the database has several heads', () => {
    const error = invalid(() => map.resolve('+1', ['c', 'e']), 'AMBIGUOUS_TARGET')
    expect(error.message).toMatch(/several heads \(c, e\)/)
    invalid(() => map.resolve('-1', ['c', 'e']), 'AMBIGUOUS_TARGET')
  })

  it('resolves LABEL@+N from the newest applied revision of the branch lineage', () => {
    expect(map.resolve('left@+1', ['b'])).toEqual({ revisions: ['c'] })
    expect(map.resolve('left@+1', ['a'])).toEqual({ revisions: ['b'] })
    // Nothing of `right` applied: start at the fork point a, which is applied.
    expect(map.resolve('right@+1', ['c'])).toEqual({ revisions: ['d'] })
    expect(map.resolve('right@+2', ['c'])).toEqual({ revisions: ['e'] })
    invalid(() => map.resolve('right@+3', ['c']), 'RELATIVE_OUT_OF_RANGE')
    // Nothing applied at all: the first step is the lineage's base.
    expect(map.resolve('left@+1', [])).toEqual({ revisions: ['a'] })
    expect(map.resolve('left@+2', [])).toEqual({ revisions: ['b'] })
  })

  it('resolves LABEL@-N from the branch head in the database', () => {
    expect(map.resolve('left@-1', ['c', 'e'])).toEqual({ revisions: ['b'], lineage: 'c' })
    expect(map.resolve('right@-2', ['c', 'e'])).toEqual({ revisions: ['a'], lineage: 'e' })
    const error = invalid(() => map.resolve('left@-1', ['e']), 'RELATIVE_OUT_OF_RANGE')
    expect(error.message).toMatch(/nothing of branch 'left' is applied/)
  })

  it('upgrades both branches: the second branch inserts a row', () => {
    expect(up(map, [], 'heads')).toEqual([
      'a: insert a => [a]',
      'b: update a->b => [b]',
      'c: update b->c => [c]',
      'd: insert d => [c d]',
      'e: update d->e => [c e]',
    ])
  })

  it('upgrades one branch', () => {
    expect(up(map, ['c'], 'right@head')).toEqual([
      'd: insert d => [c d]',
      'e: update d->e => [c e]',
    ])
    expect(up(map, [], 'right@head')).toEqual([
      'a: insert a => [a]',
      'd: update a->d => [d]',
      'e: update d->e => [e]',
    ])
    expect(up(map, ['c'], 'right@+1')).toEqual(['d: insert d => [c d]'])
    expect(up(map, ['c'], 'e')).toEqual(['d: insert d => [c d]', 'e: update d->e => [c e]'])
    invalid(() => up(map, ['c', 'e'], 'b'), 'TARGET_BEHIND')
  })

  it('downgrades one branch and leaves the other alone', () => {
    expect(down(map, ['c', 'e'], 'left@-1')).toEqual(['c: update c->b => [b e]'])
    // Back below the fork point on `left`: the row of `left` goes; `right` keeps its row.
    expect(down(map, ['c', 'e'], 'left@-2')).toEqual([
      'c: update c->b => [b e]',
      'b: delete b => [e]',
    ])
    expect(down(map, ['c', 'e'], 'left@a')).toEqual([
      'c: update c->b => [b e]',
      'b: delete b => [e]',
    ])
    expect(down(map, ['c', 'e'], 'left@base')).toEqual([
      'c: update c->b => [b e]',
      'b: delete b => [e]',
    ])
    expect(down(map, ['c', 'e'], 'right@base')).toEqual([
      'e: update e->d => [c d]',
      'd: delete d => [c]',
    ])
    expect(down(map, ['c', 'e'], 'e-1')).toEqual(['e: update e->d => [c d]'])
    expect(down(map, ['c', 'e'], 'right@head-2')).toEqual([
      'e: update e->d => [c d]',
      'd: delete d => [c]',
    ])
  })

  it('downgrades to the branch point: both branches go', () => {
    expect(down(map, ['c', 'e'], 'a')).toEqual([
      'e: update e->d => [c d]',
      'd: delete d => [c]',
      'c: update c->b => [b]',
      'b: update b->a => [a]',
    ])
    expect(down(map, ['c', 'e'], 'base')).toEqual([
      'e: update e->d => [c d]',
      'd: delete d => [c]',
      'c: update c->b => [b]',
      'b: update b->a => [a]',
      'a: delete a => []',
    ])
  })

  it('refuses a downgrade to a revision not applied, or a branch not applied', () => {
    invalid(() => down(map, ['c'], 'e'), 'TARGET_AHEAD')
    invalid(() => down(map, ['c'], 'right@-1'), 'RELATIVE_OUT_OF_RANGE')
    expect(down(map, ['c'], 'right@base')).toEqual([])
  })

  it('stamps within a branch, onto the other branch and to a branch base', () => {
    expect(stamp(map, ['c', 'e'], 'b')).toEqual(['b', 'e'])
    expect(stamp(map, ['c'], 'e')).toEqual(['c', 'e'])
    expect(stamp(map, ['c', 'e'], 'a')).toEqual(['a'])
    expect(stamp(map, ['c', 'e'], 'left@base')).toEqual(['e'])
    expect(stamp(map, ['c', 'e'], 'left@-2')).toEqual(['e'])
    expect(stamp(map, ['e'], 'base')).toEqual([])
    expect(stamp(map, ['c'], 'heads')).toEqual(['c', 'e'])
  })

  it('labels a branch from the revision that declares it upwards', () => {
    expect(map.labelsOf('a')).toEqual([])
    expect(map.labelsOf('b')).toEqual(['left'])
    expect(map.labelsOf('c')).toEqual(['left'])
    expect(map.labelsOf('d')).toEqual(['right'])
    expect(map.labelsOf('e')).toEqual(['right'])
    expect([...map.branchLabels]).toEqual([
      ['left', 'b'],
      ['right', 'd'],
    ])
    expect(map.branchMembers('left')).toEqual(new Set(['b', 'c']))
    expect(map.branchLineage('left')).toEqual(new Set(['a', 'b', 'c']))
  })

  it('lists ranges along one branch', () => {
    expect(map.range(undefined, ['c'])).toEqual(['a', 'b', 'c'])
    expect(map.range(['d'], undefined)).toEqual(['d', 'e'])
    expect(map.range(['b'], ['e'])).toEqual([])
    expect(map.range(['a'], ['c', 'e'])).toEqual(['a', 'b', 'c', 'd', 'e'])
  })
})

describe('merged graph (branch and merge revision)', () => {
  const map = new RevisionMap(merged())

  it('resolves walks through and up to the merge', () => {
    expect(map.resolve('head')).toEqual({ revisions: ['n'] })
    expect(map.resolve('head-1')).toEqual({ revisions: ['m'], lineage: 'n' })
    expect(map.resolve('c+1')).toEqual({ revisions: ['m'] })
    expect(map.resolve('d+2')).toEqual({ revisions: ['n'] })
    expect(map.resolve('+1', ['c'])).toEqual({ revisions: ['m'] })
  })

  it('steps down from a merge onto all its parents, and refuses to walk further', () => {
    // One step down from a merge undoes just the merge, as Alembic does.
    expect(map.resolve('m-1').revisions).toEqual(['c', 'd'])
    expect(map.resolve('-1', ['m']).revisions).toEqual(['c', 'd'])
    expect(map.resolve('head-2').revisions).toEqual(['c', 'd'])
    const error = invalid(() => map.resolve('head-3'), 'AMBIGUOUS_TARGET')
    expect(error.message).toMatch(/m is a merge of c, d/)
    invalid(() => map.resolve('+1', ['c', 'd']), 'AMBIGUOUS_TARGET')
  })

  it('upgrades through the merge: one parent row is updated, the other deleted', () => {
    expect(up(map, [], 'head')).toEqual([
      'a: insert a => [a]',
      'b: update a->b => [b]',
      'c: update b->c => [c]',
      'd: insert d => [c d]',
      'm: update c->m, delete d => [m]',
      'n: update m->n => [n]',
    ])
  })

  it('upgrades to the merge from either side, applying the missing parent first', () => {
    expect(up(map, ['c'], '+1')).toEqual([
      'd: insert d => [c d]',
      'm: update c->m, delete d => [m]',
    ])
    expect(up(map, ['d'], 'm')).toEqual([
      'b: insert b => [b d]',
      'c: update b->c => [c d]',
      'm: update c->m, delete d => [m]',
    ])
    expect(up(map, ['c', 'd'], 'head')).toEqual([
      'm: update c->m, delete d => [m]',
      'n: update m->n => [n]',
    ])
  })

  it('downgrades the merge: back to its first parent, inserting the others', () => {
    expect(down(map, ['n'], '-1')).toEqual(['n: update n->m => [m]'])
    expect(down(map, ['n'], 'c')).toEqual([
      'n: update n->m => [m]',
      'm: update m->c, insert d => [c d]',
    ])
    expect(down(map, ['m'], 'd')).toEqual(['m: update m->c, insert d => [c d]'])
    expect(down(map, ['n'], 'base')).toEqual([
      'n: update n->m => [m]',
      'm: update m->c, insert d => [c d]',
      'd: delete d => [c]',
      'c: update c->b => [b]',
      'b: update b->a => [a]',
      'a: delete a => []',
    ])
    expect(down(map, ['c', 'd'], 'a')).toEqual([
      'd: delete d => [c]',
      'c: update c->b => [b]',
      'b: update b->a => [a]',
    ])
  })

  it('stamps around the merge', () => {
    expect(stamp(map, ['n'], 'd')).toEqual(['c', 'd'])
    expect(stamp(map, ['c'], 'n')).toEqual(['n'])
    expect(stamp(map, ['c', 'd'], 'm')).toEqual(['m'])
    expect(stamp(map, ['n'], 'b')).toEqual(['b', 'd'])
  })

  it('lists ranges across the merge', () => {
    expect(map.range(['d'], undefined)).toEqual(['d', 'm', 'n'])
    expect(map.range(undefined, ['c'])).toEqual(['a', 'b', 'c'])
    expect(map.range(['b'], ['m'])).toEqual(['b', 'c', 'm'])
  })
})

describe('diamond', () => {
  const map = new RevisionMap(diamond())

  it('upgrades and downgrades through the diamond', () => {
    expect(up(map, [], 'head')).toEqual([
      'a: insert a => [a]',
      'b: update a->b => [b]',
      'c: insert c => [b c]',
      'd: update b->d, delete c => [d]',
    ])
    expect(up(map, ['c'], 'd')).toEqual(['b: insert b => [b c]', 'd: update b->d, delete c => [d]'])
    expect(down(map, ['d'], 'a')).toEqual([
      'd: update d->b, insert c => [b c]',
      'c: delete c => [b]',
      'b: update b->a => [a]',
    ])
    // Downgrading to one side of the diamond keeps the other side applied.
    expect(down(map, ['d'], 'b')).toEqual(['d: update d->b, insert c => [b c]'])
    expect(down(map, ['b', 'c'], 'c')).toEqual([])
    expect(stamp(map, ['d'], 'b')).toEqual(['b', 'c'])
  })

  it('keeps the row of the first listed parent', () => {
    const swapped = new RevisionMap([
      node('a'),
      node('b', ['a']),
      node('c', ['a']),
      node('d', ['c', 'b']),
    ])
    expect(up(swapped, ['b', 'c'], 'd')).toEqual(['d: update c->d, delete b => [d]'])
    expect(down(swapped, ['d'], 'a')).toEqual([
      'd: update d->c, insert b => [b c]',
      'c: delete c => [b]',
      'b: update b->a => [a]',
    ])
  })

  it('refuses ambiguous walks on both sides of the diamond', () => {
    invalid(() => map.resolve('a+1'), 'AMBIGUOUS_TARGET')
    invalid(() => map.resolve('d-2'), 'AMBIGUOUS_TARGET')
    expect(map.resolve('d-1').revisions).toEqual(['b', 'c'])
    expect(map.resolve('-1', ['d']).revisions).toEqual(['b', 'c'])
  })
})

describe('several independent bases', () => {
  const map = new RevisionMap(twoBases())

  it('resolves branch heads and bases', () => {
    expect(map.resolve('base')).toEqual({ revisions: [] })
    expect(map.resolve('accounts@head')).toEqual({ revisions: ['x3'] })
    expect(map.resolve('networking@base')).toEqual({ revisions: [], branchBase: 'networking' })
    expect(thrown(() => map.resolve('head'), MultipleHeadsError).heads).toEqual(['x3', 'y2'])
  })

  it('resolves +N on one lineage from an empty database', () => {
    const error = invalid(() => map.resolve('+1', []), 'AMBIGUOUS_TARGET')
    expect(error.message).toMatch(/2 bases \(x1, y1\)/)
    expect(map.resolve('networking@+1', [])).toEqual({ revisions: ['y1'] })
    expect(map.resolve('accounts@+2', [])).toEqual({ revisions: ['x2'] })
    expect(map.resolve('networking@+1', ['x3'])).toEqual({ revisions: ['y1'] })
    expect(map.resolve('networking@+1', ['x3', 'y1'])).toEqual({ revisions: ['y2'] })
    invalid(() => map.resolve('networking@+2', ['x3', 'y1']), 'RELATIVE_OUT_OF_RANGE')
  })

  it('resolves -N on one lineage', () => {
    invalid(() => map.resolve('-1', ['x3', 'y2']), 'AMBIGUOUS_TARGET')
    expect(map.resolve('accounts@-1', ['x3', 'y2'])).toEqual({ revisions: ['x2'], lineage: 'x3' })
    expect(map.resolve('networking@-2', ['x3', 'y2'])).toEqual({ revisions: [], lineage: 'y2' })
  })

  it('upgrades every lineage, each base inserting its own row', () => {
    expect(up(map, [], 'heads')).toEqual([
      'x1: insert x1 => [x1]',
      'x2: update x1->x2 => [x2]',
      'x3: update x2->x3 => [x3]',
      'y1: insert y1 => [x3 y1]',
      'y2: update y1->y2 => [x3 y2]',
    ])
    expect(up(map, ['x3'], 'networking@head')).toEqual([
      'y1: insert y1 => [x3 y1]',
      'y2: update y1->y2 => [x3 y2]',
    ])
    expect(up(map, [], 'networking@+1')).toEqual(['y1: insert y1 => [y1]'])
  })

  it('downgrades one lineage to base and leaves the other alone', () => {
    const networkingGone = ['y2: update y2->y1 => [x3 y1]', 'y1: delete y1 => [x3]']
    expect(down(map, ['x3', 'y2'], 'networking@-2')).toEqual(networkingGone)
    expect(down(map, ['x3', 'y2'], 'y2-2')).toEqual(networkingGone)
    expect(down(map, ['x3', 'y2'], 'networking@base')).toEqual(networkingGone)
    expect(down(map, ['x3', 'y2'], 'x3-3')).toEqual([
      'x3: update x3->x2 => [x2 y2]',
      'x2: update x2->x1 => [x1 y2]',
      'x1: delete x1 => [y2]',
    ])
    expect(down(map, ['x3', 'y2'], 'accounts@base')).toEqual([
      'x3: update x3->x2 => [x2 y2]',
      'x2: update x2->x1 => [x1 y2]',
      'x1: delete x1 => [y2]',
    ])
  })

  it('downgrades everything to base', () => {
    expect(down(map, ['x3', 'y2'], 'base')).toEqual([
      'y2: update y2->y1 => [x3 y1]',
      'y1: delete y1 => [x3]',
      'x3: update x3->x2 => [x2]',
      'x2: update x2->x1 => [x1]',
      'x1: delete x1 => []',
    ])
  })

  it('stamps onto an unrelated lineage without touching the other', () => {
    expect(stamp(map, ['x3'], 'y1')).toEqual(['x3', 'y1'])
    expect(stamp(map, ['x3', 'y2'], 'networking@base')).toEqual(['x3'])
    expect(stamp(map, ['x3', 'y2'], 'x1')).toEqual(['x1', 'y2'])
    expect(stamp(map, ['x3', 'y2'], 'base')).toEqual([])
  })

  it('labels and ranges per lineage', () => {
    expect(map.labelsOf('x2')).toEqual(['accounts'])
    expect(map.labelsOf('y2')).toEqual(['networking'])
    expect(map.range(undefined, ['y2'])).toEqual(['y1', 'y2'])
    expect(map.range([], undefined)).toEqual(['x1', 'x2', 'x3', 'y1', 'y2'])
    expect(map.range(['y1'], undefined)).toEqual(['y1', 'y2'])
  })
})

describe('dependencies across branches', () => {
  const map = new RevisionMap(withDependencies())
  const all = ['a3', 's1', 'n3']

  it('applies a revision’s dependencies first, and keeps each dependency as its own row', () => {
    expect(up(map, [], 'n2')).toEqual([
      'a1: insert a1 => [a1]',
      'a2: update a1->a2 => [a2]',
      'n1: insert n1 => [a2 n1]',
      'n2: update n1->n2 => [a2 n2]',
    ])
    expect(up(map, [], 'networking@head')).toEqual([
      'a1: insert a1 => [a1]',
      'a2: update a1->a2 => [a2]',
      'n1: insert n1 => [a2 n1]',
      'n2: update n1->n2 => [a2 n2]',
      's1: insert s1 => [a2 n2 s1]',
      'n3: update n2->n3 => [a2 s1 n3]',
    ])
    expect(up(map, ['a3'], 'n2')).toEqual([
      'n1: insert n1 => [a3 n1]',
      'n2: update n1->n2 => [a3 n2]',
    ])
    expect(up(map, ['a2', 'n2'], 'a3')).toEqual(['a3: update a2->a3 => [a3 n2]'])
  })

  it('upgrades every branch', () => {
    expect(up(map, [], 'heads')).toEqual([
      'a1: insert a1 => [a1]',
      'a2: update a1->a2 => [a2]',
      'a3: update a2->a3 => [a3]',
      'n1: insert n1 => [a3 n1]',
      'n2: update n1->n2 => [a3 n2]',
      's1: insert s1 => [a3 n2 s1]',
      'n3: update n2->n3 => [a3 s1 n3]',
    ])
  })

  it('counts a dependency as applied through its dependent', () => {
    expect(map.appliedSet(['n2'])).toEqual(new Set(['a1', 'a2', 'n1', 'n2']))
    expect(map.headsOf(map.appliedSet(['n2']))).toEqual(['a2', 'n2'])
  })

  it('downgrades the dependents of a dependency first', () => {
    expect(down(map, all, 'a1')).toEqual([
      'n3: update n3->n2 => [a3 n2 s1]',
      'n2: update n2->n1 => [a3 n1 s1]',
      'a3: update a3->a2 => [a2 n1 s1]',
      'a2: update a2->a1 => [a1 n1 s1]',
    ])
    expect(down(map, all, 'accounts@-2')).toEqual(down(map, all, 'a1'))
    expect(down(map, all, 'shop@base')).toEqual([
      'n3: update n3->n2 => [a3 n2 s1]',
      's1: delete s1 => [a3 n2]',
    ])
  })

  it('keeps revisions that depend on a downgrade target, since the target stays', () => {
    expect(down(map, all, 'a2')).toEqual(['a3: update a3->a2 => [a2 s1 n3]'])
    expect(down(map, all, 'accounts@-1')).toEqual(['a3: update a3->a2 => [a2 s1 n3]'])
    expect(down(map, all, 's1')).toEqual([])
  })

  it('downgrades a dependent branch without touching its dependencies', () => {
    expect(down(map, all, 'networking@base')).toEqual([
      'n3: update n3->n2 => [a3 n2 s1]',
      'n2: update n2->n1 => [a3 n1 s1]',
      'n1: delete n1 => [a3 s1]',
    ])
    expect(down(map, ['a2', 'n2'], 'base')).toEqual([
      'n2: update n2->n1 => [a2 n1]',
      'n1: delete n1 => [a2]',
      'a2: update a2->a1 => [a1]',
      'a1: delete a1 => []',
    ])
  })

  it('stamps across dependencies', () => {
    expect(stamp(map, all, 'a1')).toEqual(['a1', 'n1', 's1'])
    expect(stamp(map, [], 'n2')).toEqual(['a2', 'n2'])
    expect(stamp(map, all, 'a2')).toEqual(['a2', 's1', 'n3'])
  })

  it('ranges follow dependencies, labels do not', () => {
    expect(map.range(undefined, ['n2'])).toEqual(['a1', 'a2', 'n1', 'n2'])
    expect(map.range(['a2'], undefined)).toEqual(['a2', 'a3', 'n2', 'n3'])
    expect(map.labelsOf('n3')).toEqual(['networking'])
    expect(map.labelsOf('a2')).toEqual(['accounts'])
    expect(map.labelsOf('s1')).toEqual(['shop'])
  })

  it('accepts a dependency on an ancestor or a parent without changing the plan', () => {
    const plain = new RevisionMap([node('a'), node('b', ['a']), node('c', ['b'])])
    const redundant = new RevisionMap([
      node('a'),
      node('b', ['a'], { dependsOn: ['a'] }),
      node('c', ['b'], { dependsOn: ['a', 'b'] }),
    ])
    expect(redundant.order).toEqual(plain.order)
    expect(up(redundant, [], 'head')).toEqual(up(plain, [], 'head'))
    expect(down(redundant, ['c'], 'base')).toEqual(down(plain, ['c'], 'base'))
  })
})

describe('merge of three parents', () => {
  const map = new RevisionMap(threeWayMerge())

  it('upgrades: one parent row updated, two deleted', () => {
    expect(up(map, [], 'head')).toEqual([
      'p: insert p => [p]',
      'q: insert q => [p q]',
      'r: insert r => [p q r]',
      'm: update p->m, delete q, delete r => [m]',
      'z: update m->z => [z]',
    ])
    expect(up(map, ['q'], 'm')).toEqual([
      'p: insert p => [p q]',
      'r: insert r => [p q r]',
      'm: update p->m, delete q, delete r => [m]',
    ])
  })

  it('downgrades: back to the first parent, two rows inserted', () => {
    expect(down(map, ['z'], 'q')).toEqual([
      'z: update z->m => [m]',
      'm: update m->p, insert q, insert r => [p q r]',
    ])
    expect(down(map, ['z'], 'base')).toEqual([
      'z: update z->m => [m]',
      'm: update m->p, insert q, insert r => [p q r]',
      'r: delete r => [p q]',
      'q: delete q => [p]',
      'p: delete p => []',
    ])
  })

  it('refuses ambiguous walks and stamps below the merge', () => {
    expect(map.resolve('z-2').revisions).toEqual(['p', 'q', 'r'])
    expect(invalid(() => map.resolve('z-3'), 'AMBIGUOUS_TARGET').message).toMatch(
      /m is a merge of p, q, r/,
    )
    expect(invalid(() => map.resolve('+1', []), 'AMBIGUOUS_TARGET').message).toMatch(/3 bases/)
    expect(stamp(map, ['z'], 'r')).toEqual(['p', 'q', 'r'])
  })

  it('refuses LABEL@+N from an empty database when the branch stands on several bases', () => {
    const labelled = new RevisionMap([
      node('p'),
      node('q'),
      node('m', ['p', 'q'], { labels: ['j'] }),
    ])
    const error = invalid(() => labelled.resolve('j@+1', []), 'AMBIGUOUS_TARGET')
    expect(error.message).toMatch(/2 bases \(p, q\); name a revision/)
    // Two database heads below the branch are ambiguous even though both lead to m (as Alembic).
    invalid(() => labelled.resolve('j@+1', ['p', 'q']), 'AMBIGUOUS_TARGET')
    expect(labelled.resolve('j@+1', ['p'])).toEqual({ revisions: ['m'] })
  })
})

describe('branch labels that look like steps', () => {
  const map = new RevisionMap([
    node('r1'),
    node('r2', ['r1'], { labels: ['release'] }),
    node('r3', ['r2']),
    node('r4', ['r3'], { labels: ['release-2'] }),
  ])

  it('lets a whole label win over LABEL-N', () => {
    expect(map.resolve('release-2')).toEqual({ revisions: ['r4'] })
    expect(map.resolve('release-1')).toEqual({ revisions: ['r1'], lineage: 'r2' })
    expect(map.resolve('release+1')).toEqual({ revisions: ['r3'] })
    expect(map.resolve('release-2-1')).toEqual({ revisions: ['r3'], lineage: 'r4' })
  })

  it('uses such labels with @', () => {
    expect(map.resolve('release-2@head')).toEqual({ revisions: ['r4'] })
    expect(map.resolve('release@head-1')).toEqual({ revisions: ['r3'], lineage: 'r4' })
    expect(map.resolve('release-2@base')).toEqual({ revisions: [], branchBase: 'release-2' })
    expect(map.labelsOf('r4')).toEqual(['release', 'release-2'])
    expect(map.labelsOf('r3')).toEqual(['release'])
  })
})

describe('a long chain', () => {
  const n = 200
  const map = new RevisionMap(shuffled(chain(n), 99))
  const ids = Array.from({ length: n }, (_, i) => chainId(i))

  it('orders the chain and finds its ends', () => {
    expect(map.order).toEqual(ids)
    expect(map.heads).toEqual([chainId(n - 1)])
    expect(map.bases).toEqual([chainId(0)])
  })

  it('plans a full upgrade and downgrade one row at a time', () => {
    const upgrade = up(map, [], 'head')
    expect(upgrade).toHaveLength(n)
    expect(upgrade[0]).toBe('r000: insert r000 => [r000]')
    for (let i = 1; i < n; i++) {
      const [prev, id] = [chainId(i - 1), chainId(i)]
      expect(upgrade[i]).toBe(`${id}: update ${prev}->${id} => [${id}]`)
    }
    const downgrade = down(map, [chainId(n - 1)], 'r100')
    expect(downgrade).toHaveLength(n - 101)
    expect(downgrade.at(-1)).toBe('r101: update r101->r100 => [r100]')
  })

  it('walks the whole chain in both directions', () => {
    expect(map.resolve(`head-${n - 1}`)).toEqual({ revisions: ['r000'], lineage: 'r199' })
    expect(map.resolve(`head-${n}`)).toEqual({ revisions: [], lineage: 'r199' })
    expect(map.resolve(`r000+${n - 1}`)).toEqual({ revisions: ['r199'] })
    expect(map.resolve('-150', ['r199'])).toEqual({ revisions: ['r049'], lineage: 'r199' })
    expect(map.resolve('late@+1', ['r020'])).toEqual({ revisions: ['r021'] })
    expect(map.range(['r150'], undefined)).toEqual(ids.slice(150))
    expect(map.labelsOf('r100')).toEqual(['late'])
    expect(map.labelsOf('r199')).toEqual(['late'])
    expect(map.labelsOf('r099')).toEqual([])
  })

  it('reads each node a bounded number of times per operation (no quadratic walks)', () => {
    const size = 2000
    let reads = 0
    const counted = chain(size).map((literal) => {
      const parents = literal.downRevisions
      return {
        ...literal,
        get downRevisions() {
          reads++
          return parents
        },
      }
    })
    const budget = 12 * size
    const measure = (operation: () => unknown) => {
      reads = 0
      operation()
      return reads
    }
    let big: RevisionMap | undefined
    expect(measure(() => (big = new RevisionMap(counted)))).toBeLessThan(budget)
    const m = big!
    const last = chainId(size - 1)
    expect(measure(() => m.planUpgrade([], m.resolve('head'), 'head'))).toBeLessThan(budget)
    expect(measure(() => m.planDowngrade([last], m.resolve('base'), 'base'))).toBeLessThan(budget)
    expect(measure(() => m.resolve(`head-${size - 1}`))).toBeLessThan(budget)
    expect(measure(() => m.resolve('-1000', [last]))).toBeLessThan(budget)
    expect(measure(() => m.range(undefined, undefined))).toBeLessThan(budget)
    expect(measure(() => m.planStamp([last], m.resolve('r000'), 'r000'))).toBeLessThan(budget)
    expect(m.planUpgrade([], m.resolve('head'), 'head')).toHaveLength(size)
  })
})
