import type { SchemaSnapshot } from '../../schema/schema-snapshot.ts'
import type { CensusCount } from '../catalog-census.ts'
import type { Connection } from '../connection.ts'
import type { IntrospectOptions, Introspector } from '../dialect.ts'
import { postgresCensus } from './postgres-catalog-census.ts'
import { PostgresCatalogReader } from './postgres-catalog-reader.ts'
import { normalizeCodeObjects } from './postgres-code-object-normalizer.ts'
import { normalizeDomains } from './postgres-domain-normalizer.ts'
import { PostgresNormalizer } from './postgres-normalizer.ts'
import { expressionSlots, sourceTextCandidates, textAt, withTexts } from './postgres-source-text.ts'
import { PostgresTypeMapper } from './postgres-type-mapper.ts'

/**
 * Reads a PostgreSQL database into a {@link SchemaSnapshot} with a fixed number of catalog queries
 * for the whole database — never one per table — and rewrites model snapshots in PostgreSQL's own
 * spelling of expressions, so that the two compare without false differences.
 *
 * @example
 * const live = await introspector.introspect(connection, { excludeTables: ['aludel_version'] })
 * const model = await introspector.normalize(connection, toSnapshot(defineSchema({ users })))
 */
export class PostgresIntrospector implements Introspector {
  private readonly reader: PostgresCatalogReader
  private readonly normalizer: PostgresNormalizer
  private readonly types: PostgresTypeMapper

  /** @param types spells model types and literal defaults (default: a new {@link PostgresTypeMapper}) */
  constructor(types: PostgresTypeMapper = new PostgresTypeMapper()) {
    this.reader = new PostgresCatalogReader()
    this.types = types
    this.normalizer = new PostgresNormalizer(types, this.reader)
  }

  /**
   * Reads every table (partitions excluded: they are their parent's business, read with it), its
   * columns, primary key, foreign, unique, check and exclusion constraints, indexes and partition
   * key, and every enum type, of
   * `options.schemas` (default: every schema but PostgreSQL's own), leaving out objects that
   * belong to extensions. Objects in `options.defaultSchema` (default `public`) get
   * `schema: undefined`. Everything is sorted the way the model DSL sorts it.
   */
  async introspect(
    connection: Connection,
    options: IntrospectOptions = {},
  ): Promise<SchemaSnapshot> {
    return this.reader.read(
      connection,
      options.schemas === undefined
        ? { kind: 'user' }
        : { kind: 'schemas', schemas: options.schemas },
      {
        defaultSchema: options.defaultSchema ?? 'public',
        excludeTables: new Set(options.excludeTables ?? []),
      },
    )
  }

  /**
   * Counts the objects of every kind in the schemas `introspect` reads, in one query; see
   * {@link postgresCensus}.
   */
  census(connection: Connection, options: IntrospectOptions = {}): Promise<readonly CensusCount[]> {
    return postgresCensus(connection, options)
  }

  /**
   * The model snapshot with defaults, checks, index expressions and predicates as PostgreSQL
   * prints them; see {@link PostgresNormalizer.normalize}. Domains' defaults and checks too
   * (`normalizeDomains`), and views, functions, aggregates and trigger conditions
   * (`normalizeCodeObjects`).
   */
  async normalize(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot> {
    const tables = await this.normalizer.normalize(connection, snapshot)
    const domains = await normalizeDomains(connection, tables, this.types)
    return normalizeCodeObjects(connection, this.reader, domains)
  }

  /**
   * The introspected snapshot with each expression PostgreSQL would not rebuild from its own
   * printed form replaced, where one is found, by a spelling that rebuilds it exactly (see
   * {@link sourceTextCandidates}); every replacement is confirmed by PostgreSQL. `pull` writes
   * models with it, so that a database rebuilt from them is identical to the original.
   */
  async sourceText(connection: Connection, snapshot: SchemaSnapshot): Promise<SchemaSnapshot> {
    const slots = expressionSlots(snapshot)
    if (slots.length === 0) return snapshot
    const once = await this.normalize(connection, snapshot)
    const unstable = slots
      .filter((s) => textAt(once, s.slot) !== s.text)
      .map((s) => ({ ...s, candidates: sourceTextCandidates(s.text) }))
      .filter((s) => s.candidates.length > 0)
    const chosen: { slot: (typeof unstable)[number]['slot']; text: string }[] = []
    const rounds = Math.max(0, ...unstable.map((s) => s.candidates.length))
    // One normalization per round tries the k-th candidate of every unstable expression at once.
    for (let k = 0; k < rounds; k++) {
      const trial = unstable.filter(
        (s) => s.candidates[k] !== undefined && !chosen.some((c) => c.slot === s.slot),
      )
      if (trial.length === 0) continue
      const printed = await this.normalize(
        connection,
        withTexts(
          snapshot,
          trial.map((s) => ({ slot: s.slot, text: s.candidates[k]! })),
        ),
      )
      for (const s of trial) {
        if (textAt(printed, s.slot) === s.text)
          chosen.push({ slot: s.slot, text: s.candidates[k]! })
      }
    }
    return chosen.length === 0 ? snapshot : withTexts(snapshot, chosen)
  }
}
