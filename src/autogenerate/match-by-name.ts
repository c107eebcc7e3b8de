/** A model object with its twin in the database's spelling (the same object if not normalized). */
export interface ModelObject<T> {
  /** As the models declare it: what create operations carry. */
  readonly def: T
  /** In the database's spelling: what comparisons use. */
  readonly norm: T
}

/** A model object and the database object it was matched with. */
export interface MatchedPair<T> {
  readonly model: ModelObject<T>
  readonly database: T
}

/** How the objects of one kind on one table pair up. */
export interface NameMatch<T> {
  /** Matched, with equal definitions. */
  readonly unchanged: readonly MatchedPair<T>[]
  /** Same name, different definitions: drop and create. */
  readonly changed: readonly MatchedPair<T>[]
  /** Only in the models. */
  readonly added: readonly ModelObject<T>[]
  /** Only in the database. */
  readonly removed: readonly T[]
}

/**
 * Pairs constraints or indexes by name; an object whose name is undefined on either side pairs
 * with an unmatched object of equal definition instead (both snapshots normally name everything,
 * so this only serves hand-written snapshots).
 */
export function matchByName<T extends { readonly name: string | undefined }>(
  model: readonly ModelObject<T>[],
  database: readonly T[],
  equal: (model: T, database: T) => boolean,
): NameMatch<T> {
  const unchanged: MatchedPair<T>[] = []
  const changed: MatchedPair<T>[] = []
  const databaseLeft = new Set(database)
  const modelLeft: ModelObject<T>[] = []
  const byName = new Map<string, T>()
  for (const d of database) if (d.name !== undefined && !byName.has(d.name)) byName.set(d.name, d)
  for (const m of model) {
    const d = m.def.name === undefined ? undefined : byName.get(m.def.name)
    if (d === undefined || !databaseLeft.has(d)) {
      modelLeft.push(m)
      continue
    }
    databaseLeft.delete(d)
    ;(equal(m.norm, d) ? unchanged : changed).push({ model: m, database: d })
  }
  const added: ModelObject<T>[] = []
  for (const m of modelLeft) {
    const d = [...databaseLeft].find(
      (candidate) =>
        (m.def.name === undefined || candidate.name === undefined) && equal(m.norm, candidate),
    )
    if (d === undefined) {
      added.push(m)
    } else {
      databaseLeft.delete(d)
      unchanged.push({ model: m, database: d })
    }
  }
  return { unchanged, changed, added, removed: [...databaseLeft] }
}
