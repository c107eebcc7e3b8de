import { shortenInput } from '../util/shorten-input.ts'
import { parseTarget, type Target } from './parse-target.ts'
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
} from './script-errors.ts'

/** One node of the revision graph: what the map needs to know of a migration. */
export interface RevisionNode {
  readonly revision: string
  /** Parents through which the version table moves; empty for a base, two or more for a merge. */
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  /** Revisions (ids or branch labels) that must be applied first without becoming parents. */
  readonly dependsOn: readonly string[]
  /** Where the node comes from (a file name), for error messages. */
  readonly source?: string
}

/** How one step changes the rows of the version table, which hold the applied heads. */
export type HeadChange =
  | { readonly kind: 'insert'; readonly revision: string }
  | { readonly kind: 'update'; readonly from: string; readonly to: string }
  | { readonly kind: 'delete'; readonly revision: string }

/** One migration to run, with the version-table rows before and after it. */
export interface MigrationStep<R extends RevisionNode> {
  readonly direction: 'upgrade' | 'downgrade'
  readonly node: R
  /** Revisions the step moves from (`[]` is base): for an upgrade, the node's parents. */
  readonly from: readonly string[]
  /** Revisions the step moves to: for a downgrade, the node's parents. */
  readonly to: readonly string[]
  readonly currentBefore: readonly string[]
  readonly currentAfter: readonly string[]
  readonly changes: readonly HeadChange[]
}

/**
 * What a target resolves to: a set of revisions (empty = base), or "nothing of branch LABEL" for
 * `LABEL@base`.
 */
export interface ResolvedTarget {
  readonly revisions: readonly string[]
  readonly branchBase?: string
  /**
   * A revision whose lineage (its ancestors and descendants through downRevision) the target was
   * reached along: the revision a walk down started from (`REV-N`, `head-N`, `-N` and their
   * `LABEL@` forms), or the revision declaring the label (`LABEL@REV`). A downgrade or stamp to the
   * target then removes only what is built on it along that lineage, so `feature@-1` leaves a
   * sibling branch forked from the same revision alone.
   */
  readonly lineage?: string
}

const RESERVED = new Set(['head', 'heads', 'base', 'current'])
const NONE: readonly string[] = []

/**
 * The revision graph: pure data and algorithms, no files and no database.
 *
 * Built from nodes in any order; the constructor validates the graph (duplicate ids, dangling
 * parents, unknown dependencies, cycles, duplicate branch labels) and computes a deterministic
 * topological order in which each branch is walked to its end before the next one starts.
 */
export class RevisionMap<R extends RevisionNode = RevisionNode> {
  /** Every node by revision id. */
  readonly nodes: ReadonlyMap<string, R>
  /** All revision ids, each after its parents and dependencies. */
  readonly order: readonly string[]
  /** Revisions with no child (through downRevision), in graph order. */
  readonly heads: readonly string[]
  /** Revisions with no parent, in graph order. */
  readonly bases: readonly string[]

  private readonly childIds = new Map<string, string[]>()
  private readonly dependentIds = new Map<string, string[]>()
  private readonly dependencyIds = new Map<string, readonly string[]>()
  private readonly labelOwner = new Map<string, string>()
  private readonly position = new Map<string, number>()
  private readonly sortedIds: readonly string[]
  private labelIndex: Map<string, string[]> | undefined
  private lastApplied: { readonly key: string; readonly applied: ReadonlySet<string> } | undefined

  constructor(input: Iterable<R>) {
    const nodes = new Map<string, R>()
    for (const node of input) {
      const existing = nodes.get(node.revision)
      if (existing) {
        throw new DuplicateRevisionError(node.revision, [describe(existing), describe(node)])
      }
      nodes.set(node.revision, node)
    }
    this.nodes = nodes
    this.sortedIds = [...nodes.keys()].sort()

    for (const node of nodes.values()) {
      for (const label of node.branchLabels) {
        const owner = this.labelOwner.get(label)
        if (owner !== undefined) {
          throw new DuplicateBranchLabelError(label, [describe(nodes.get(owner)!), describe(node)])
        }
        const clash = nodes.get(label)
        if (clash !== undefined || RESERVED.has(label)) {
          throw new DuplicateBranchLabelError(label, [
            describe(node),
            clash === undefined
              ? `the keyword '${label}'`
              : `the revision id of ${describe(clash)}`,
          ])
        }
        this.labelOwner.set(label, node.revision)
      }
    }

    for (const node of nodes.values()) {
      this.childIds.set(node.revision, this.childIds.get(node.revision) ?? [])
      for (const [index, parent] of node.downRevisions.entries()) {
        if (parent === node.revision) throw new RevisionCycleError([node.revision])
        if (node.downRevisions.indexOf(parent) !== index) {
          // A repeated parent would count as a merge and make the version table lose a row.
          throw new ScriptDirectoryError(
            `${describe(node)}: downRevision lists '${parent}' twice; list each parent once`,
            'DUPLICATE_DOWN_REVISION',
          )
        }
        if (!nodes.has(parent)) {
          throw new MissingRevisionError(node.revision, parent, 'downRevision', describe(node))
        }
        const list = this.childIds.get(parent)
        if (list) list.push(node.revision)
        else this.childIds.set(parent, [node.revision])
      }
      const deps: string[] = []
      for (const dep of node.dependsOn) {
        const id = nodes.has(dep) ? dep : this.labelOwner.get(dep)
        if (id === undefined) {
          throw new MissingRevisionError(node.revision, dep, 'dependsOn', describe(node))
        }
        if (id === node.revision) throw new RevisionCycleError([node.revision])
        deps.push(id)
        const list = this.dependentIds.get(id)
        if (list) list.push(node.revision)
        else this.dependentIds.set(id, [node.revision])
      }
      this.dependencyIds.set(node.revision, deps)
    }

    this.order = this.topologicalOrder()
    this.order.forEach((id, index) => {
      this.position.set(id, index)
    })
    this.heads = this.order.filter((id) => (this.childIds.get(id) ?? []).length === 0)
    this.bases = this.order.filter((id) => nodes.get(id)!.downRevisions.length === 0)
  }

  /** The node with exactly this id. @throws RevisionNotFoundError */
  get(revision: string): R {
    const node = this.nodes.get(revision)
    if (!node) throw new RevisionNotFoundError(revision)
    return node
  }

  /** Children through downRevision, in graph order. */
  children(revision: string): readonly string[] {
    return this.sortByOrder(this.childIds.get(revision) ?? [])
  }

  /** Revisions that declare `dependsOn` this one. */
  dependents(revision: string): readonly string[] {
    return this.sortByOrder(this.dependentIds.get(revision) ?? [])
  }

  /** This revision's dependencies resolved to ids (branch labels replaced by their revision). */
  dependencies(revision: string): readonly string[] {
    return this.dependencyIds.get(revision) ?? []
  }

  isHead(revision: string): boolean {
    return (this.childIds.get(revision) ?? []).length === 0
  }

  isBase(revision: string): boolean {
    return this.get(revision).downRevisions.length === 0
  }

  /** More than one child: the graph forks here. */
  isBranchPoint(revision: string): boolean {
    return (this.childIds.get(revision) ?? []).length > 1
  }

  /** More than one parent: branches join here. */
  isMergePoint(revision: string): boolean {
    return this.get(revision).downRevisions.length > 1
  }

  /** Every revision with more than one child, in graph order. */
  get branchPoints(): readonly string[] {
    return this.order.filter((id) => this.isBranchPoint(id))
  }

  /** Every revision with more than one parent, in graph order. */
  get mergePoints(): readonly string[] {
    return this.order.filter((id) => this.isMergePoint(id))
  }

  /** Every declared branch label with the revision that declares it. */
  get branchLabels(): ReadonlyMap<string, string> {
    return this.labelOwner
  }

  /**
   * The branch labels a revision belongs to: its own, and those declared by any ancestor (a label
   * names the revision that declares it and everything built on it).
   */
  labelsOf(revision: string): readonly string[] {
    if (this.labelIndex === undefined) {
      const index = new Map<string, string[]>()
      for (const label of [...this.labelOwner.keys()].sort()) {
        for (const member of this.branchMembers(label)) {
          const list = index.get(member)
          if (list) list.push(label)
          else index.set(member, [label])
        }
      }
      this.labelIndex = index
    }
    return this.labelIndex.get(revision) ?? []
  }

  /**
   * The revision a reference names: a full id, a branch label, or an unambiguous prefix of an id.
   * With `branch`, only revisions of that branch's lineage are candidates: the branch itself and
   * the revisions it is built on (as Alembic's `LABEL@REV`), so `feature@<fork point>` is valid.
   */
  resolveRevision(reference: string, branch?: string): string {
    const members = branch === undefined ? undefined : this.branchLineage(branch)
    if (this.nodes.has(reference) && (!members || members.has(reference))) return reference
    if (!members) {
      const owner = this.labelOwner.get(reference)
      if (owner !== undefined) return owner
    }
    const candidates = (members ? this.sortByOrder([...members]) : this.sortedIds).filter((id) =>
      id.startsWith(reference),
    )
    if (candidates.length === 1) return candidates[0]!
    if (candidates.length > 1) throw new AmbiguousRevisionError(reference, candidates)
    throw new RevisionNotFoundError(
      branch === undefined ? reference : `${branch}@${reference}`,
      branch === undefined
        ? 'run `aludel history` to list the revisions'
        : `branch '${shortenInput(branch)}' has no such revision; run \`aludel history\``,
    )
  }

  /**
   * Resolves a target (`head`, `heads`, `base`, `ae10`, `+1`, `-2`, `ae10+1`, `head-1`,
   * `feature@head`, `feature@heads`, `feature@ae10`, `feature@base`, `feature@+1`) to a set of
   * revisions.
   *
   * @param current the database's heads, needed only for `+N`/`-N` (undefined when unknown)
   */
  resolve(text: string | Target, current?: readonly string[]): ResolvedTarget {
    const target = typeof text === 'string' ? parseTarget(text) : text
    const shown = typeof text === 'string' ? text : describeTarget(target)
    switch (target.kind) {
      case 'heads': {
        if (target.branch === undefined) return { revisions: this.heads }
        const members = this.branchMembers(target.branch)
        return { revisions: this.heads.filter((h) => members.has(h)) }
      }
      case 'base':
        if (target.branch !== undefined) this.branchRoot(target.branch)
        return target.branch === undefined
          ? { revisions: [] }
          : { revisions: [], branchBase: target.branch }
      case 'head': {
        const head = this.singleHead(shown, target.branch)
        return this.walkBack(head, -target.offset, shown)
      }
      case 'current': {
        if (current === undefined) {
          throw new InvalidTargetError(
            shown,
            'a relative step needs the database; give an absolute revision for --sql',
          )
        }
        return this.relativeToCurrent(current, target, shown)
      }
      case 'revision': {
        if (target.offset !== 0 && target.branch === undefined) {
          // A label such as `release-2` looks like `release` minus two; the whole name wins.
          const whole = this.nodes.has(target.raw) ? target.raw : this.labelOwner.get(target.raw)
          if (whole !== undefined) return { revisions: [whole] }
        }
        const start = this.resolveRevision(target.ref, target.branch)
        if (target.offset < 0) return this.walkBack(start, -target.offset, shown)
        const scope = target.branch === undefined ? undefined : this.branchLineage(target.branch)
        const revisions = [this.walkForward(start, target.offset, scope, shown)]
        return target.branch === undefined
          ? { revisions }
          : { revisions, lineage: this.branchRoot(target.branch) }
      }
    }
  }

  /** All revisions applied when the version table holds `heads`: their closure. */
  appliedSet(heads: readonly string[]): Set<string> {
    const unknown = heads.filter((h) => !this.nodes.has(h))
    if (unknown.length > 0) throw new UnknownDatabaseRevisionError(unknown)
    // One run asks for the same closure several times (plan, checksums, report); on 10,000
    // revisions each walk costs milliseconds, so the last one is kept. Callers get a copy.
    const key = heads.join('\n')
    if (this.lastApplied?.key !== key) {
      const applied = this.ancestorsOf(heads, true)
      for (const h of heads) applied.add(h)
      this.lastApplied = { key, applied }
    }
    return new Set(this.lastApplied.applied)
  }

  /** The heads of an applied set: applied revisions with no applied child. */
  headsOf(applied: ReadonlySet<string>): readonly string[] {
    return this.order.filter(
      (id) => applied.has(id) && !(this.childIds.get(id) ?? []).some((c) => applied.has(c)),
    )
  }

  /**
   * Steps that move a database at `current` up to `target`: every missing ancestor (and
   * dependency) of the target, each after its parents.
   *
   * @throws InvalidTargetError when the target lies behind the database (use downgrade)
   */
  planUpgrade(
    current: readonly string[],
    target: ResolvedTarget,
    shown: string,
  ): readonly MigrationStep<R>[] {
    const applied = this.appliedSet(current)
    // The applied set is closed under ancestors: when every target is in it, nothing is missing
    // (the common no-op upgrade) and the walk below can be skipped.
    let missing: string[] = []
    if (!target.revisions.every((t) => applied.has(t))) {
      const wanted = this.ancestorsOf(target.revisions, true)
      for (const t of target.revisions) wanted.add(t)
      missing = this.order.filter((id) => wanted.has(id) && !applied.has(id))
    }
    if (missing.length === 0) {
      const heads = new Set(this.headsOf(applied))
      const behind = target.revisions.filter((t) => !heads.has(t))
      if (behind.length > 0) {
        throw new InvalidTargetError(
          shown,
          `${behind.join(', ')} is behind the database (at ${[...heads].join(', ')}); use \`aludel downgrade\` to go back`,
          'TARGET_BEHIND',
        )
      }
    }
    return this.simulate('upgrade', applied, missing)
  }

  /**
   * Steps that move a database at `current` down to `target`: every applied revision built on the
   * target's children (through parents or dependencies), children first. The target stays, and so
   * does whatever merely depends on it; other branches, and siblings off the target's lineage
   * ({@link ResolvedTarget.lineage}), are left alone.
   *
   * @throws InvalidTargetError when the target is not applied (use upgrade)
   */
  planDowngrade(
    current: readonly string[],
    target: ResolvedTarget,
    shown: string,
  ): readonly MigrationStep<R>[] {
    const applied = this.appliedSet(current)
    const doomed = this.removalSet(applied, target, shown)
    const steps = [...this.order].reverse().filter((id) => doomed.has(id))
    return this.simulate('downgrade', applied, steps)
  }

  /**
   * A plan of exactly one step: applying `revision` (its parents and dependencies must be applied)
   * or undoing it (nothing applied may build on it). The migration test kit walks the graph one
   * revision at a time with it.
   *
   * @throws InvalidTargetError when the step is not possible from `current`
   */
  planStep(
    current: readonly string[],
    revision: string,
    direction: 'upgrade' | 'downgrade',
  ): readonly MigrationStep<R>[] {
    const applied = this.appliedSet(current)
    this.get(revision)
    if (direction === 'upgrade') {
      const needs = [...this.get(revision).downRevisions, ...this.dependencies(revision)]
      if (applied.has(revision) || needs.some((p) => !applied.has(p))) {
        throw new InvalidTargetError(
          revision,
          applied.has(revision) ? 'it is already applied' : 'its parents are not all applied',
          'STEP_NOT_POSSIBLE',
        )
      }
    } else {
      const above = [...this.children(revision), ...this.dependents(revision)]
      if (!applied.has(revision) || above.some((c) => applied.has(c))) {
        throw new InvalidTargetError(
          revision,
          applied.has(revision) ? 'revisions built on it are applied' : 'it is not applied',
          'STEP_NOT_POSSIBLE',
        )
      }
    }
    return this.simulate(direction, applied, [revision])
  }

  /**
   * The version-table rows after stamping `target` on a database at `current`: the target's
   * closure is marked applied and anything built above it is unmarked, without running code.
   */
  planStamp(
    current: readonly string[],
    target: ResolvedTarget,
    shown: string,
  ): { readonly currentBefore: readonly string[]; readonly currentAfter: readonly string[] } {
    const applied = this.appliedSet(current)
    const before = this.headsOf(applied)
    for (const id of this.removalSet(applied, target, shown, false)) applied.delete(id)
    for (const id of this.ancestorsOf(target.revisions, true)) applied.add(id)
    for (const id of target.revisions) applied.add(id)
    return { currentBefore: before, currentAfter: this.headsOf(applied) }
  }

  /**
   * Revisions from `lower` up to `upper`, both included, in order. An undefined or empty `lower`
   * is base (no lower bound: `base`, `current` on an empty database, `REV-N` walking off a base);
   * an undefined `upper` is heads, an empty one is base (nothing).
   */
  range(lower: readonly string[] | undefined, upper: readonly string[] | undefined): string[] {
    const below =
      upper === undefined
        ? undefined
        : new Set([...this.ancestorsOf(upper, true), ...upper.filter((u) => this.nodes.has(u))])
    const above =
      lower === undefined || lower.length === 0
        ? undefined
        : new Set([...this.descendantsOf(lower, true), ...lower.filter((l) => this.nodes.has(l))])
    return this.order.filter((id) => (!below || below.has(id)) && (!above || above.has(id)))
  }

  /** Every ancestor of the given revisions (not including them), optionally through dependsOn. */
  ancestorsOf(revisions: Iterable<string>, includeDependencies: boolean): Set<string> {
    const seen = new Set<string>()
    const stack = [...revisions]
    // Plain loops, no spreading: this walks every revision on each run of a 10,000-file folder.
    while (stack.length > 0) {
      const id = stack.pop()!
      const node = this.nodes.get(id)
      if (!node) continue
      for (const parent of node.downRevisions) {
        if (!seen.has(parent)) {
          seen.add(parent)
          stack.push(parent)
        }
      }
      if (!includeDependencies) continue
      for (const dependency of this.dependencyIds.get(id) ?? NONE) {
        if (!seen.has(dependency)) {
          seen.add(dependency)
          stack.push(dependency)
        }
      }
    }
    return seen
  }

  /** Every descendant of the given revisions (not including them), optionally via dependents. */
  descendantsOf(revisions: Iterable<string>, includeDependents: boolean): Set<string> {
    const seen = new Set<string>()
    const stack = [...revisions]
    while (stack.length > 0) {
      const id = stack.pop()!
      for (const child of this.childIds.get(id) ?? NONE) {
        if (!seen.has(child)) {
          seen.add(child)
          stack.push(child)
        }
      }
      if (!includeDependents) continue
      for (const dependent of this.dependentIds.get(id) ?? NONE) {
        if (!seen.has(dependent)) {
          seen.add(dependent)
          stack.push(dependent)
        }
      }
    }
    return seen
  }

  /** The revisions of branch `label`: the one that declares it and everything built on it. */
  branchMembers(label: string): Set<string> {
    const root = this.branchRoot(label)
    const members = this.descendantsOf([root], false)
    members.add(root)
    return members
  }

  /**
   * The lineage of branch `label`: its members and every revision they are built on through
   * downRevision, i.e. everything that shares history with the branch (Alembic's "lineage").
   */
  branchLineage(label: string): Set<string> {
    return this.lineageOf(this.branchRoot(label))
  }

  private lineageOf(revision: string): Set<string> {
    const lineage = this.descendantsOf([revision], false)
    for (const id of this.ancestorsOf([revision], false)) lineage.add(id)
    lineage.add(revision)
    return lineage
  }

  private branchRoot(label: string): string {
    const root = this.labelOwner.get(label)
    if (root === undefined) {
      const known = [...this.labelOwner.keys()].sort()
      throw new RevisionNotFoundError(
        `${label}@`,
        known.length === 0
          ? 'no migration declares a branch label'
          : `known branch labels: ${known.join(', ')}`,
      )
    }
    return root
  }

  private removalSet(
    applied: ReadonlySet<string>,
    target: ResolvedTarget,
    shown: string,
    requireApplied = true,
  ): Set<string> {
    if (target.branchBase !== undefined) {
      const members = this.branchMembers(target.branchBase)
      const doomed = this.descendantsOf(members, true)
      for (const m of members) doomed.add(m)
      return new Set([...doomed].filter((id) => applied.has(id)))
    }
    const lineage = target.lineage === undefined ? undefined : this.lineageOf(target.lineage)
    if (target.revisions.length === 0) {
      if (lineage === undefined) return new Set(applied)
      // Walked off a base along one lineage: only that lineage goes back to base.
      return this.builtOn(
        this.bases.filter((b) => lineage.has(b)),
        new Set(),
        applied,
      )
    }
    if (requireApplied) {
      const ahead = target.revisions.filter((t) => !applied.has(t))
      if (ahead.length > 0) {
        throw new InvalidTargetError(
          shown,
          `${ahead.join(', ')} is not applied to the database; use \`aludel upgrade\` to go forward`,
          'TARGET_AHEAD',
        )
      }
    }
    // What goes is what is built on the target's children; revisions that merely depend on the
    // target stay, since the target itself stays applied.
    const kept = this.ancestorsOf(target.revisions, true)
    for (const t of target.revisions) kept.add(t)
    const roots = target.revisions
      .flatMap((t) => this.children(t))
      .filter((c) => !kept.has(c) && (lineage === undefined || lineage.has(c)))
    return this.builtOn(roots, kept, applied)
  }

  /** The applied revisions among `roots` and everything built on them, except `kept`. */
  private builtOn(
    roots: readonly string[],
    kept: ReadonlySet<string>,
    applied: ReadonlySet<string>,
  ): Set<string> {
    const doomed = this.descendantsOf(roots, true)
    for (const r of roots) doomed.add(r)
    return new Set([...doomed].filter((id) => applied.has(id) && !kept.has(id)))
  }

  private simulate(
    direction: 'upgrade' | 'downgrade',
    startApplied: ReadonlySet<string>,
    sequence: readonly string[],
  ): MigrationStep<R>[] {
    const applied = new Set(startApplied)
    // Heads are kept incrementally: recomputing them per step would make a long plan quadratic.
    const heads = new Set(this.headsOf(applied))
    let before = this.sortByOrder([...heads])
    const steps: MigrationStep<R>[] = []
    for (const id of sequence) {
      const node = this.nodes.get(id)!
      const changes: HeadChange[] = []
      if (direction === 'upgrade') {
        applied.add(id)
        // Parents that were heads stop being heads; the node takes the place of the first.
        const [first, ...rest] = node.downRevisions.filter((p) => heads.has(p))
        changes.push(
          first === undefined
            ? { kind: 'insert', revision: id }
            : { kind: 'update', from: first, to: id },
        )
        for (const r of rest) changes.push({ kind: 'delete', revision: r })
        for (const p of node.downRevisions) heads.delete(p)
        heads.add(id)
      } else {
        applied.delete(id)
        // Parents with no other applied child become heads again.
        const [first, ...rest] = node.downRevisions.filter(
          (p) => applied.has(p) && !(this.childIds.get(p) ?? []).some((c) => applied.has(c)),
        )
        changes.push(
          first === undefined
            ? { kind: 'delete', revision: id }
            : { kind: 'update', from: id, to: first },
        )
        for (const r of rest) changes.push({ kind: 'insert', revision: r })
        heads.delete(id)
        if (first !== undefined) heads.add(first)
        for (const r of rest) heads.add(r)
      }
      const after = this.sortByOrder([...heads])
      steps.push({
        direction,
        node,
        from: direction === 'upgrade' ? node.downRevisions : [id],
        to: direction === 'upgrade' ? [id] : node.downRevisions,
        currentBefore: before,
        currentAfter: after,
        changes,
      })
      before = after
    }
    return steps
  }

  private singleHead(shown: string, branch: string | undefined): string {
    const candidates =
      branch === undefined
        ? this.heads
        : this.heads.filter((h) => this.branchMembers(branch).has(h))
    if (candidates.length === 0) {
      throw new InvalidTargetError(shown, 'there are no migrations yet', 'NO_REVISIONS')
    }
    if (candidates.length > 1) throw new MultipleHeadsError(candidates, shown)
    return candidates[0]!
  }

  private relativeToCurrent(
    current: readonly string[],
    target: Extract<Target, { kind: 'current' }>,
    shown: string,
  ): ResolvedTarget {
    const applied = this.appliedSet(current)
    if (target.offset <= 0) {
      // Going back starts from a database head of the branch; never from the trunk below it.
      const members = target.branch === undefined ? undefined : this.branchMembers(target.branch)
      const heads = this.headsOf(applied).filter((h) => !members || members.has(h))
      const head = this.onlyOne(heads, target, shown)
      if (head === undefined) {
        if (target.offset === 0) return { revisions: [] }
        throw new InvalidTargetError(
          shown,
          target.branch === undefined
            ? 'the database is at base; nothing to go back from'
            : `nothing of branch '${shortenInput(target.branch)}' is applied; nothing to go back from`,
          'RELATIVE_OUT_OF_RANGE',
        )
      }
      return this.walkBack(head, -target.offset, shown)
    }
    // Going forward starts from the newest applied revision of the branch's lineage, which may
    // lie below the branch (the fork point), as Alembic does for `LABEL@+N`.
    const scope = target.branch === undefined ? undefined : this.branchLineage(target.branch)
    const tips = this.order.filter(
      (id) =>
        applied.has(id) &&
        (!scope || scope.has(id)) &&
        !(this.childIds.get(id) ?? []).some((c) => applied.has(c) && (!scope || scope.has(c))),
    )
    const tip = this.onlyOne(tips, target, shown)
    if (tip !== undefined) {
      return { revisions: [this.walkForward(tip, target.offset, scope, shown)] }
    }
    // Nothing applied yet (on this lineage): the first step is a base.
    const roots = this.bases.filter((b) => !scope || scope.has(b))
    if (roots.length !== 1) {
      throw new InvalidTargetError(
        shown,
        `there are ${roots.length} bases (${roots.join(', ')}); ${target.branch === undefined ? 'name one, or use LABEL@+N' : 'name a revision'}`,
        'AMBIGUOUS_TARGET',
      )
    }
    return { revisions: [this.walkForward(roots[0]!, target.offset - 1, scope, shown)] }
  }

  private onlyOne(
    heads: readonly string[],
    target: Extract<Target, { kind: 'current' }>,
    shown: string,
  ): string | undefined {
    if (heads.length > 1) {
      throw new InvalidTargetError(
        shown,
        `the database has several heads (${heads.join(', ')}); use LABEL@${target.offset > 0 ? '+' : ''}${target.offset} or name a revision`,
        'AMBIGUOUS_TARGET',
      )
    }
    return heads[0]
  }

  /** Walks `steps` children up from `start`, staying within `scope` (a branch's lineage). */
  private walkForward(
    start: string,
    steps: number,
    scope: ReadonlySet<string> | undefined,
    shown: string,
  ): string {
    let at = start
    for (let i = 0; i < steps; i++) {
      const next = this.children(at).filter((c) => !scope || scope.has(c))
      if (next.length === 0) {
        throw new InvalidTargetError(
          shown,
          `${at} is a head: there is no revision ${steps - i} step${steps - i === 1 ? '' : 's'} above it`,
          'RELATIVE_OUT_OF_RANGE',
        )
      }
      if (next.length > 1) {
        throw new InvalidTargetError(
          shown,
          `${at} is a branch point (children ${next.join(', ')}); name the branch, e.g. LABEL@+N, or a revision`,
          'AMBIGUOUS_TARGET',
        )
      }
      at = next[0]!
    }
    return at
  }

  /**
   * Walks `steps` parents down from `start`; stepping off a base yields base (`[]`). The result
   * remembers `start`, so that going back on one branch leaves its siblings alone.
   */
  private walkBack(start: string, steps: number, shown: string): ResolvedTarget {
    if (steps === 0) return { revisions: [start] }
    let at = start
    for (let i = 0; i < steps; i++) {
      const parents = this.nodes.get(at)!.downRevisions
      if (parents.length === 0) {
        if (i === steps - 1) return { revisions: [], lineage: start }
        throw new InvalidTargetError(
          shown,
          `only ${i + 1} revision${i === 0 ? ' lies' : 's lie'} below and including ${start}`,
          'RELATIVE_OUT_OF_RANGE',
        )
      }
      if (parents.length > 1) {
        // The last step down from a merge lands on all its parents (undoing just the merge, as
        // Alembic does); going further would have to choose a branch.
        if (i === steps - 1) return { revisions: parents }
        throw new InvalidTargetError(
          shown,
          `${at} is a merge of ${parents.join(', ')}; name the revision to go back to`,
          'AMBIGUOUS_TARGET',
        )
      }
      at = parents[0]!
    }
    return { revisions: [at], lineage: start }
  }

  private sortByOrder(ids: readonly string[]): string[] {
    return [...ids].sort((a, b) => (this.position.get(a) ?? 0) - (this.position.get(b) ?? 0))
  }

  /**
   * Kahn's algorithm over parent and dependency edges, with a stack instead of a queue so that a
   * branch is finished before its sibling starts; ties go to the lower revision id, so the order
   * does not depend on how the files were listed.
   */
  private topologicalOrder(): string[] {
    const remaining = new Map<string, number>()
    const next = new Map<string, string[]>()
    for (const id of this.sortedIds) {
      const node = this.nodes.get(id)!
      const dependencies = this.dependencyIds.get(id) ?? NONE
      let count = 0
      const link = (parent: string) => {
        const list = next.get(parent)
        if (list === undefined) next.set(parent, [id])
        else if (list[list.length - 1] !== id) list.push(id)
        else return // the same parent twice (a parent that is also a dependency)
        count++
      }
      for (const parent of node.downRevisions) link(parent)
      for (const dependency of dependencies) link(dependency)
      remaining.set(id, count)
    }
    const ready = this.sortedIds.filter((id) => remaining.get(id) === 0).reverse()
    const order: string[] = []
    while (ready.length > 0) {
      const id = ready.pop()!
      order.push(id)
      const children = next.get(id)
      if (children === undefined) continue
      // Children were linked in id order; pushing them reversed pops the lowest first.
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!
        const left = remaining.get(child)! - 1
        remaining.set(child, left)
        if (left === 0) ready.push(child)
      }
    }
    if (order.length !== this.nodes.size) throw new RevisionCycleError(this.findCycle(remaining))
    return order
  }

  private findCycle(remaining: ReadonlyMap<string, number>): string[] {
    const stuck = new Set([...remaining].filter(([, n]) => n > 0).map(([id]) => id))
    // Every stuck node has a stuck parent; walking parents must come back to a node already seen.
    let at = [...stuck].sort()[0]!
    const path: string[] = []
    const seenAt = new Map<string, number>()
    while (!seenAt.has(at)) {
      seenAt.set(at, path.length)
      path.push(at)
      const node = this.nodes.get(at)!
      const up = [...node.downRevisions, ...(this.dependencyIds.get(at) ?? [])]
      at = up.find((p) => stuck.has(p)) ?? at
    }
    return path.slice(seenAt.get(at)).map((id) => describe(this.nodes.get(id)!))
  }
}

function describe(node: RevisionNode): string {
  return node.source === undefined ? node.revision : `${node.revision} (${node.source})`
}

function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'heads':
      return `${target.branch === undefined ? '' : `${target.branch}@`}heads`
    case 'base':
      return target.branch === undefined ? 'base' : `${target.branch}@base`
    case 'head':
      return `${target.branch === undefined ? '' : `${target.branch}@`}head${target.offset === 0 ? '' : target.offset}`
    case 'current':
      return `${target.branch === undefined ? '' : `${target.branch}@`}${target.offset > 0 ? '+' : ''}${target.offset}`
    case 'revision':
      return `${target.branch === undefined ? '' : `${target.branch}@`}${target.raw}`
  }
}
