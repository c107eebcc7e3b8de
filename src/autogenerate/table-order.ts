/** "Table `from` needs table `to` first", because of a foreign key (the payload). */
export interface TableEdge<T> {
  readonly from: string
  readonly to: string
  readonly payload: T
}

/** A creation order and the edges it had to leave out. */
export interface TableOrder<T> {
  /** Every table, each after the tables it references (except through `deferred` edges). */
  readonly order: readonly string[]
  /** Edges that close a cycle: their foreign keys must be added after the tables exist. */
  readonly deferred: readonly TableEdge<T>[]
}

/**
 * Orders tables so that referenced tables come first (Kahn's algorithm, ties going to the
 * smallest id so the order is deterministic). When only cycles remain, it takes a group of
 * tables that reference each other and nothing else still waiting (a strongly connected component
 * with no edge out of it), defers the edges of its smallest table into the group, and goes on:
 * the fewest foreign keys move out of `CREATE TABLE`, and only ones inside a cycle. Self
 * references and edges to tables outside `ids` are ignored. Reversed, the order drops tables.
 */
export function orderTables<T>(
  ids: readonly string[],
  edges: readonly TableEdge<T>[],
): TableOrder<T> {
  const members = new Set(ids)
  const outgoing = new Map<string, TableEdge<T>[]>(ids.map((id) => [id, []]))
  for (const edge of edges) {
    if (edge.from !== edge.to && members.has(edge.from) && members.has(edge.to)) {
      outgoing.get(edge.from)!.push(edge)
    }
  }
  const remaining = [...members].sort()
  const placed = new Set<string>()
  const order: string[] = []
  const deferred: TableEdge<T>[] = []
  const waitsFor = (id: string) => outgoing.get(id)!.filter((e) => !placed.has(e.to))
  while (remaining.length > 0) {
    const ready = remaining.findIndex((id) => waitsFor(id).length === 0)
    if (ready >= 0) {
      const [id] = remaining.splice(ready, 1)
      placed.add(id!)
      order.push(id!)
      continue
    }
    const cycle = closedComponent(remaining, waitsFor)
    const chosen = [...cycle].sort()[0]!
    const keep: TableEdge<T>[] = []
    for (const edge of outgoing.get(chosen)!) {
      if (cycle.has(edge.to)) deferred.push(edge)
      else keep.push(edge)
    }
    outgoing.set(chosen, keep)
  }
  return { order, deferred }
}

/**
 * A strongly connected component of the waiting tables that waits for nothing outside itself.
 * One exists whenever no table is ready: the components form a DAG, whose sinks have no edge out.
 */
function closedComponent(
  remaining: readonly string[],
  waitsFor: (id: string) => readonly TableEdge<unknown>[],
): ReadonlySet<string> {
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>()
    const stack = [start]
    while (stack.length > 0) {
      const id = stack.pop()!
      for (const edge of waitsFor(id)) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to)
          stack.push(edge.to)
        }
      }
    }
    return seen
  }
  for (const id of remaining) {
    const reachable = reach(id)
    // A component is closed when everything it reaches reaches back into it.
    if (reachable.has(id) && [...reachable].every((other) => reach(other).has(id))) {
      return reachable
    }
  }
  // Unreachable while no table is ready; kept so that a bug cannot loop forever.
  throw new Error('orderTables: no table is ready and no cycle was found')
}
