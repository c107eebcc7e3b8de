import type { Comparator } from '../dialect/comparator.ts'
import type {
  ColumnDef,
  CompositeTypeDef,
  DomainDef,
  EnumDef,
  SchemaSnapshot,
  SequenceDef,
  TableDef,
} from '../schema/schema-snapshot.ts'
import { resolveSequenceNumbers } from '../schema/sequence-numbers.ts'
import { boundsEqual } from './compare-partitions.ts'
import type { RenameAnswers, RenameQuestion } from './compare-result.ts'
import { columnKey, tableId, tableKey } from './object-keys.ts'
import { RenameAnswerError } from './rename-answer-error.ts'

/** A table renamed within its schema. */
export interface TableRename {
  readonly schema: string | undefined
  readonly from: string
  readonly to: string
}

/** A column renamed within its table (named by its new name). */
export interface ColumnRename {
  readonly schema: string | undefined
  readonly table: string
  readonly from: string
  readonly to: string
}

/** A sequence renamed within its schema. */
export type SequenceRename = TableRename

/** An enum, domain or composite type renamed within its schema. */
export type TypeRename = TableRename

/** A partition renamed within its schema (`schema`), and its partitioned table. */
export interface PartitionRename extends TableRename {
  readonly parentSchema: string | undefined
  readonly parent: string
}

/** A view or materialized view renamed within its schema. */
export interface ViewRename extends TableRename {
  readonly materialized: boolean
}

/** The renames to perform and the questions still open. */
export interface RenamePlan {
  readonly tables: readonly TableRename[]
  readonly columns: readonly ColumnRename[]
  readonly sequences: readonly SequenceRename[]
  readonly types: readonly TypeRename[]
  readonly partitions: readonly PartitionRename[]
  readonly views: readonly ViewRename[]
  readonly questions: readonly RenameQuestion[]
}

/**
 * Decides which vanished tables and columns were renamed, following `answers`, and asks about
 * the pairs nobody answered for yet.
 *
 * A table only in the database and a table only in the models, in the same schema, whose columns
 * have the same names and equivalent types, may be one table renamed; so may a column only in the
 * database and a column only in the models of the same table, with equivalent types. Each such
 * pair becomes a question, keyed by the old object's `fromKey`. An answer (the `toKey` it became,
 * or `null` for "dropped, not renamed") settles every question about that old object; an answer
 * may also name a new object that was not a candidate (the person knows better). Column questions
 * are asked only inside tables that exist on both sides, so a table rename must be answered
 * before its columns are asked about. A sequence only in the database and one only in the models,
 * in the same schema, with the same options as PostgreSQL resolves them, may be one sequence
 * renamed: a drop and a create would start its counter over and hand out values already drawn.
 *
 * @throws RenameAnswerError when an answer names an object that is not new (in the same schema,
 *   or table), or two answers name the same new object
 */
export function resolveRenames(
  models: SchemaSnapshot,
  database: SchemaSnapshot,
  answers: RenameAnswers | undefined,
  normalized: SchemaSnapshot | undefined,
  comparator: Comparator,
): RenamePlan {
  const databaseById = new Map(database.tables.map((t) => [tableId(t.schema, t.name), t]))
  const tables = resolveNamed(
    'table',
    database.tables,
    models.tables,
    (a, b) => sameColumns(a, b, comparator),
    answers,
  )
  const questions: RenameQuestion[] = [...tables.questions]
  const renamedTo = new Map(tables.pairs.map(([old, renamed]) => [renamed.object, old.object]))

  const columns: ColumnRename[] = []
  const partitions: PartitionRename[] = []
  for (const model of models.tables) {
    const existing = databaseById.get(tableId(model.schema, model.name)) ?? renamedTo.get(model)
    if (existing === undefined) continue
    const modelNames = new Set(model.columns.map((c) => c.name))
    const databaseNames = new Set(existing.columns.map((c) => c.name))
    const columnSide = (c: ColumnDef): Candidate<ColumnDef> => ({
      key: columnKey(model.schema, model.name, c.name),
      object: c,
    })
    const scope = resolveScope(
      'column',
      existing.columns.filter((c) => !modelNames.has(c.name)).map(columnSide),
      model.columns.filter((c) => !databaseNames.has(c.name)).map(columnSide),
      () => true,
      (old, renamed) => comparator.typesEquivalent(old.type, renamed.type),
      answers,
    )
    for (const [old, renamed] of scope.renames) {
      columns.push({
        schema: model.schema,
        table: model.name,
        from: old.object.name,
        to: renamed.object.name,
      })
    }
    // Partitions: one only in the database and one only in the models, of the same parent and
    // bound, may be one partition renamed; dropping it would drop its rows.
    const twin = normalized?.tables.find((t) => t.schema === model.schema && t.name === model.name)
    const spelledBound = new Map(
      (model.partitions ?? []).map((p) => [
        p,
        twin?.partitions?.find((n) => n.schema === p.schema && n.name === p.name)?.bound ?? p.bound,
      ]),
    )
    const partitionScope = resolveNamed(
      'partition',
      existing.partitions ?? [],
      model.partitions ?? [],
      (old, renamed) => boundsEqual(spelledBound.get(renamed)!, old.bound, comparator),
      answers,
    )
    partitions.push(
      ...partitionScope.renames.map((r) => ({
        ...r,
        parentSchema: model.schema,
        parent: model.name,
      })),
    )
    questions.push(...partitionScope.questions)
    for (const [old, renamed] of scope.questions) {
      questions.push({
        kind: 'column',
        schema: model.schema,
        table: model.name,
        from: old.object.name,
        to: renamed.object.name,
        fromKey: old.key,
        toKey: renamed.key,
      })
    }
  }
  const sequences = resolveNamed(
    'sequence',
    database.sequences,
    models.sequences,
    sameSequenceOptions,
    answers,
  )
  questions.push(...sequences.questions)
  const types = [
    resolveNamed('enum', database.enums, models.enums, sameValues, answers),
    resolveNamed(
      'domain',
      database.domains,
      models.domains,
      (a, b) => sameDomain(a, b, comparator),
      answers,
    ),
    resolveNamed(
      'composite type',
      database.compositeTypes,
      models.compositeTypes,
      (a, b) => sameAttributes(a, b, comparator),
      answers,
    ),
  ]
  for (const scope of types) questions.push(...scope.questions)
  // Views compare by PostgreSQL's spelling of their query: the models' twin in `normalized`.
  const spelled = new Map(
    models.views.map((v, i) => {
      const twin = normalized?.views[i]
      const same = twin !== undefined && twin.name === v.name && twin.schema === v.schema
      return [v, same ? twin.definition : v.definition] as const
    }),
  )
  const views = resolveNamed(
    'view',
    database.views,
    models.views,
    (old, renamed) =>
      old.materialized === renamed.materialized && old.definition === spelled.get(renamed),
    answers,
  )
  questions.push(...views.questions)
  // Table questions first (their answers change which column questions arise), then by key.
  const rank = {
    table: 0,
    column: 1,
    partition: 1,
    sequence: 2,
    enum: 3,
    domain: 3,
    'composite type': 3,
    view: 4,
  }
  const order = (q: RenameQuestion) => [rank[q.kind], q.fromKey, q.toKey] as const
  questions.sort((a, b) => {
    const [x, y] = [order(a), order(b)]
    return x[0] - y[0] || compareStrings(x[1], y[1]) || compareStrings(x[2], y[2])
  })
  return {
    tables: tables.renames,
    columns,
    sequences: sequences.renames,
    types: types.flatMap((scope) => scope.renames),
    partitions,
    views: views.pairs.map(([old, renamed]) => ({
      schema: renamed.object.schema,
      from: old.object.name,
      to: renamed.object.name,
      materialized: old.object.materialized,
    })),
    questions,
  }
}

/**
 * Resolves the tables, sequences or types of one kind in every schema: an object only in the
 * database may have become one only in the models, in the same schema.
 */
function resolveNamed<T extends { readonly schema: string | undefined; readonly name: string }>(
  kind: Exclude<RenameQuestion['kind'], 'column'>,
  databaseObjects: readonly T[],
  modelObjects: readonly T[],
  compatible: (old: T, renamed: T) => boolean,
  answers: RenameAnswers | undefined,
): {
  readonly pairs: readonly Pair<T>[]
  readonly renames: readonly TableRename[]
  readonly questions: readonly RenameQuestion[]
} {
  const ids = (list: readonly T[]) => new Set(list.map((o) => tableId(o.schema, o.name)))
  const [modelIds, databaseIds] = [ids(modelObjects), ids(databaseObjects)]
  const side = (o: T): Candidate<T> => ({ key: tableKey(o.schema, o.name), object: o })
  const scope = resolveScope(
    kind,
    databaseObjects.filter((o) => !modelIds.has(tableId(o.schema, o.name))).map(side),
    modelObjects.filter((o) => !databaseIds.has(tableId(o.schema, o.name))).map(side),
    (old, renamed) => old.schema === renamed.schema,
    (old, renamed) => old.schema === renamed.schema && compatible(old, renamed),
    answers,
  )
  return {
    pairs: scope.renames,
    renames: scope.renames.map(([old, renamed]) => ({
      schema: renamed.object.schema,
      from: old.object.name,
      to: renamed.object.name,
    })),
    questions: scope.questions.map(([old, renamed]) => ({
      kind,
      schema: renamed.object.schema,
      table: undefined,
      from: old.object.name,
      to: renamed.object.name,
      fromKey: old.key,
      toKey: renamed.key,
    })),
  }
}

/** The same values in the same order. */
function sameValues(a: EnumDef, b: EnumDef): boolean {
  return a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i])
}

/**
 * The same base type, NOT NULL and check names: the defaults and check expressions of the models
 * are not in the database's spelling yet, and a changed one is altered after the rename anyway.
 */
function sameDomain(a: DomainDef, b: DomainDef, comparator: Comparator): boolean {
  const names = (d: DomainDef) => d.checks.map((c) => c.name ?? '').join('\u0000')
  return (
    comparator.typesEquivalent(a.type, b.type) && a.notNull === b.notNull && names(a) === names(b)
  )
}

/** The same attributes, in order, with equivalent types. */
function sameAttributes(a: CompositeTypeDef, b: CompositeTypeDef, comparator: Comparator): boolean {
  return (
    a.attributes.length === b.attributes.length &&
    a.attributes.every(
      (x, i) =>
        x.name === b.attributes[i]!.name &&
        comparator.typesEquivalent(x.type, b.attributes[i]!.type),
    )
  )
}

/** The same type, increment, bounds, start, cache and cycle, as PostgreSQL resolves them. */
function sameSequenceOptions(a: SequenceDef, b: SequenceDef): boolean {
  const [x, y] = [resolveSequenceNumbers(a.dataType, a), resolveSequenceNumbers(b.dataType, b)]
  return (
    (a.dataType ?? 'bigint') === (b.dataType ?? 'bigint') &&
    x.increment === y.increment &&
    x.minValue === y.minValue &&
    x.maxValue === y.maxValue &&
    x.start === y.start &&
    x.cache === y.cache &&
    (a.cycle ?? false) === (b.cycle ?? false)
  )
}

/** An old or new object with the key questions and answers name it by. */
interface Candidate<T> {
  readonly key: string
  readonly object: T
}

type Pair<T> = readonly [old: Candidate<T>, renamed: Candidate<T>]

/**
 * Resolves one scope (all tables, or the columns of one table): answered renames first, so that
 * a new object claimed by an answer is no longer offered to the other old objects.
 */
function resolveScope<T>(
  what: RenameQuestion['kind'],
  olds: readonly Candidate<T>[],
  news: readonly Candidate<T>[],
  canBecome: (old: T, renamed: T) => boolean,
  compatible: (old: T, renamed: T) => boolean,
  answers: RenameAnswers | undefined,
): { readonly renames: readonly Pair<T>[]; readonly questions: readonly Pair<T>[] } {
  const byKey = (a: Candidate<T>, b: Candidate<T>) => compareStrings(a.key, b.key)
  const sortedOlds = [...olds].sort(byKey)
  const sortedNews = [...news].sort(byKey)
  const renames: Pair<T>[] = []
  const claimedBy = new Map<Candidate<T>, Candidate<T>>()
  const unanswered: Candidate<T>[] = []
  for (const old of sortedOlds) {
    if (answers === undefined || !answers.has(old.key)) {
      unanswered.push(old)
      continue
    }
    const answer = answers.get(old.key)
    if (answer === null || answer === undefined) continue
    const targets = sortedNews.filter((n) => canBecome(old.object, n.object))
    const target = targets.find((n) => n.key === answer)
    if (target === undefined) {
      const place =
        what === 'column' ? 'new column of the same table' : `new ${what} in the same schema`
      const options = [...targets.map((n) => `'${n.key}'`), 'null'].join(', ')
      throw new RenameAnswerError(
        'UNKNOWN_RENAME_TARGET',
        `the rename answer for '${old.key}' names '${answer}', which is not a ${place}; answer with one of ${options}`,
        old.key,
        answer,
      )
    }
    const earlier = claimedBy.get(target)
    if (earlier !== undefined) {
      throw new RenameAnswerError(
        'DUPLICATE_RENAME_TARGET',
        `'${earlier.key}' and '${old.key}' are both answered as renamed to '${target.key}'; answer null (dropped) for one of them`,
        old.key,
        answer,
      )
    }
    claimedBy.set(target, old)
    renames.push([old, target])
  }
  const questions: Pair<T>[] = []
  for (const old of unanswered) {
    for (const renamed of sortedNews) {
      if (!claimedBy.has(renamed) && compatible(old.object, renamed.object)) {
        questions.push([old, renamed])
      }
    }
  }
  return { renames, questions }
}

/** The same column names, each with an equivalent type. */
function sameColumns(a: TableDef, b: TableDef, comparator: Comparator): boolean {
  if (a.columns.length !== b.columns.length) return false
  const types = new Map(b.columns.map((c) => [c.name, c.type]))
  return a.columns.every((c) => {
    const other = types.get(c.name)
    return other !== undefined && comparator.typesEquivalent(c.type, other)
  })
}

/** Orders strings by code unit, the same on every machine (unlike `localeCompare`). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
