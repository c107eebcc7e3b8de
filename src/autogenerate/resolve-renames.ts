import type { ColumnDef, SchemaSnapshot, TableDef } from '../schema/schema-snapshot.ts'
import { typesEquivalent } from './column-type-equivalence.ts'
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

/** The renames to perform and the questions still open. */
export interface RenamePlan {
  readonly tables: readonly TableRename[]
  readonly columns: readonly ColumnRename[]
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
 * before its columns are asked about.
 *
 * @throws RenameAnswerError when an answer names an object that is not new (in the same schema,
 *   or table), or two answers name the same new object
 */
export function resolveRenames(
  models: SchemaSnapshot,
  database: SchemaSnapshot,
  answers: RenameAnswers | undefined,
): RenamePlan {
  const modelIds = new Set(models.tables.map((t) => tableId(t.schema, t.name)))
  const databaseById = new Map(database.tables.map((t) => [tableId(t.schema, t.name), t]))
  const side = (t: TableDef): Candidate<TableDef> => ({
    key: tableKey(t.schema, t.name),
    object: t,
  })

  const tables = resolveScope(
    'table',
    database.tables.filter((t) => !modelIds.has(tableId(t.schema, t.name))).map(side),
    models.tables.filter((t) => !databaseById.has(tableId(t.schema, t.name))).map(side),
    (old, renamed) => old.schema === renamed.schema,
    (old, renamed) => old.schema === renamed.schema && sameColumns(old, renamed),
    answers,
  )
  const questions: RenameQuestion[] = tables.questions.map(([old, renamed]) => ({
    kind: 'table',
    schema: renamed.object.schema,
    table: undefined,
    from: old.object.name,
    to: renamed.object.name,
    fromKey: old.key,
    toKey: renamed.key,
  }))
  const renamedTo = new Map(tables.renames.map(([old, renamed]) => [renamed.object, old.object]))

  const columns: ColumnRename[] = []
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
      (old, renamed) => typesEquivalent(old.type, renamed.type),
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
  // Table questions first (their answers change which column questions arise), then by key.
  const order = (q: RenameQuestion) => [q.kind === 'table' ? 0 : 1, q.fromKey, q.toKey] as const
  questions.sort((a, b) => {
    const [x, y] = [order(a), order(b)]
    return x[0] - y[0] || compareStrings(x[1], y[1]) || compareStrings(x[2], y[2])
  })
  return {
    tables: tables.renames.map(([old, renamed]) => ({
      schema: renamed.object.schema,
      from: old.object.name,
      to: renamed.object.name,
    })),
    columns,
    questions,
  }
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
  what: 'table' | 'column',
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
        what === 'table' ? 'new table in the same schema' : 'new column of the same table'
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
function sameColumns(a: TableDef, b: TableDef): boolean {
  if (a.columns.length !== b.columns.length) return false
  const types = new Map(b.columns.map((c) => [c.name, c.type]))
  return a.columns.every((c) => {
    const other = types.get(c.name)
    return other !== undefined && typesEquivalent(c.type, other)
  })
}

/** Orders strings by code unit, the same on every machine (unlike `localeCompare`). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
