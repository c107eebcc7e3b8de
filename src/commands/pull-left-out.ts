import { CENSUS_KINDS, type CensusCount, type CensusKind } from '../dialect/catalog-census.ts'
import type { SchemaSnapshot } from '../schema/schema-snapshot.ts'

/** Objects of one kind that the database holds and the pulled models do not describe. */
export interface LeftOut {
  readonly kind: CensusKind
  /** What they are, in words: `privileges granted or revoked (GRANT, REVOKE)`. */
  readonly description: string
  readonly count: number
}

/**
 * How many objects of each kind the snapshot models: tables and their partitions, enums,
 * sequences (those of serial and identity columns included, which are part of their column),
 * and the kinds the snapshot has a list for. Every other kind is modelled by nothing.
 */
const MODELLED: Partial<Record<CensusKind, (snapshot: SchemaSnapshot) => number>> = {
  tables: (s) => s.tables.length,
  partitions: (s) => s.tables.reduce((n, t) => n + (t.partitions?.length ?? 0), 0),
  enums: (s) => s.enums.length,
  sequences: (s) =>
    size(s.sequences) +
    s.tables.reduce(
      (n, t) => n + t.columns.filter((c) => c.serial || c.identity !== undefined).length,
      0,
    ),
  views: (s) => (s.views ?? []).filter((v) => !v.materialized).length,
  materializedViews: (s) => (s.views ?? []).filter((v) => v.materialized).length,
  functions: (s) => size(s.functions),
  aggregates: (s) => size(s.aggregates),
  triggers: (s) => size(s.triggers),
  eventTriggers: (s) => size(s.eventTriggers),
  domains: (s) => size(s.domains),
  compositeTypes: (s) => size(s.compositeTypes),
  extensions: (s) => size(s.extensions),
}

/**
 * What the database holds beyond `snapshot`: for each kind the census counted, the count less
 * what the snapshot models of it, when more than zero, in the census's order. The snapshot is the
 * one introspection read, before any `include` filter: what a filter leaves out is asked for.
 */
export function leftOutOf(
  census: readonly CensusCount[],
  snapshot: SchemaSnapshot,
): readonly LeftOut[] {
  return census.flatMap(({ kind, count }) => {
    const left = count - (MODELLED[kind]?.(snapshot) ?? 0)
    return left > 0 ? [{ kind, description: CENSUS_KINDS[kind], count: left }] : []
  })
}

/** A list's length; a snapshot made before a kind was modelled has no list for it. */
function size(list: readonly unknown[] | undefined): number {
  return list?.length ?? 0
}
