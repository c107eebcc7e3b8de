import type { Comparator } from '../dialect/comparator.ts'
import type { ConstraintDefinition, MigrationOp } from '../operations/migration-op.ts'
import type {
  CheckDef,
  ExclusionDef,
  ForeignKeyDef,
  IndexDef,
  PrimaryKeyDef,
  TableDef,
  UniqueDef,
} from '../schema/schema-snapshot.ts'
import {
  checksEqual,
  exclusionsEqual,
  foreignKeysEqual,
  indexesEqual,
  primaryKeysEqual,
  uniquesEqual,
} from './definition-equivalence.ts'
import { type MatchedPair, type ModelObject, matchByName, type NameMatch } from './match-by-name.ts'
import { pairTwins } from './normalized-twins.ts'
import { tableId, tableKey } from './object-keys.ts'
import { Phase, type PlannedChange, type PlannedManualStep, plan } from './planned-change.ts'
import { type KeyRef, keyOfIndex } from './referenced-keys.ts'

/** What comparing the constraints and indexes of one table found. */
export interface ConstraintComparison {
  readonly changes: readonly PlannedChange[]
  readonly manual: readonly PlannedManualStep[]
  /**
   * Keys (primary key, unique constraints, unique indexes) dropped in phase 5: a foreign key that
   * references one must be dropped before it, and recreated after.
   */
  readonly droppedKeys: readonly KeyRef[]
  /** Foreign keys that stay as they are, unless a dropped key forces them to be recreated. */
  readonly keptForeignKeys: readonly MatchedPair<ForeignKeyDef>[]
}

/**
 * Compares the primary key, foreign keys, unique, check and exclusion constraints and indexes of
 * a table present on both sides. Objects are matched by name (see {@link matchByName}); an added one is
 * created, a removed one dropped with its definition (for `reverse()`), one whose definition
 * changed is dropped and created again. Foreign keys are dropped in phase 4 and created in phase
 * 9, the rest dropped in phase 5 and created in phase 8.
 */
export function compareConstraints(
  model: TableDef,
  normalized: TableDef,
  database: TableDef,
  comparator: Comparator,
): ConstraintComparison {
  const out: Collector = { changes: [], manual: [], droppedKeys: [] }
  const ctx: TableContext = { model, out }
  const self = <T>(items: readonly T[]): ModelObject<T>[] =>
    items.map((def) => ({ def, norm: def }))

  const primaryKey = matchByName(
    self(model.primaryKey === undefined ? [] : [model.primaryKey]),
    database.primaryKey === undefined ? [] : [database.primaryKey],
    primaryKeysEqual,
  )
  emitConstraints(ctx, primaryKey, PRIMARY_KEY)
  for (const pk of dropped(primaryKey)) out.droppedKeys.push(keyRef(database, pk.columns))

  const foreignKeys = matchByName(self(model.foreignKeys), database.foreignKeys, foreignKeysEqual)
  emitConstraints(ctx, foreignKeys, FOREIGN_KEY)

  const uniques = matchByName(self(model.uniques), database.uniques, uniquesEqual)
  emitConstraints(ctx, uniques, UNIQUE)
  for (const unique of dropped(uniques)) out.droppedKeys.push(keyRef(database, unique.columns))

  const checks = matchByName(pairTwins(model.checks, normalized.checks), database.checks, (a, b) =>
    checksEqual(a, b, comparator),
  )
  emitConstraints(ctx, checks, CHECK)

  const exclusions = matchByName(
    pairTwins(model.exclusions ?? [], normalized.exclusions ?? []),
    database.exclusions ?? [],
    (a, b) => exclusionsEqual(a, b, comparator),
  )
  emitConstraints(ctx, exclusions, EXCLUSION)

  const indexes = matchByName(
    pairTwins(model.indexes, normalized.indexes),
    database.indexes,
    (a, b) => indexesEqual(a, b, comparator),
  )
  emitIndexes(ctx, indexes)
  for (const index of dropped(indexes)) {
    const columns = keyOfIndex(index)
    if (columns !== undefined) out.droppedKeys.push(keyRef(database, columns))
  }

  return { ...out, keptForeignKeys: foreignKeys.unchanged }
}

interface Collector {
  readonly changes: PlannedChange[]
  readonly manual: PlannedManualStep[]
  readonly droppedKeys: KeyRef[]
}

interface TableContext {
  readonly model: TableDef
  readonly out: Collector
}

/** How one constraint kind is created, dropped and described. */
interface ConstraintKind<T extends { readonly name: string | undefined }> {
  /** For messages: `foreign key`, `check constraint`. */
  readonly what: string
  readonly dropPhase: Phase
  readonly createPhase: Phase
  readonly create: (table: TableDef, def: T) => MigrationOp
  readonly definition: (def: T) => ConstraintDefinition
  readonly describe: (def: T) => string
}

const list = (columns: readonly string[]) => `(${columns.join(', ')})`

const PRIMARY_KEY: ConstraintKind<PrimaryKeyDef> = {
  what: 'primary key',
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  create: (t, primaryKey) => ({
    kind: 'createPrimaryKey',
    schema: t.schema,
    table: t.name,
    primaryKey,
  }),
  definition: (definition) => ({ type: 'primaryKey', definition }),
  describe: (pk) => list(pk.columns),
}

const FOREIGN_KEY: ConstraintKind<ForeignKeyDef> = {
  what: 'foreign key',
  dropPhase: Phase.dropForeignKey,
  createPhase: Phase.createForeignKey,
  create: (t, foreignKey) => createForeignKeyOp(t, foreignKey),
  definition: (definition) => ({ type: 'foreignKey', definition }),
  describe: (fk) =>
    `${list(fk.columns)} -> ${tableKey(fk.referencedSchema, fk.referencedTable)} ${list(fk.referencedColumns)}`,
}

const UNIQUE: ConstraintKind<UniqueDef> = {
  what: 'unique constraint',
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  create: (t, unique) => ({
    kind: 'createUniqueConstraint',
    schema: t.schema,
    table: t.name,
    unique,
  }),
  definition: (definition) => ({ type: 'unique', definition }),
  describe: (u) => list(u.columns),
}

const CHECK: ConstraintKind<CheckDef> = {
  what: 'check constraint',
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  create: (t, check) => ({
    kind: 'createCheckConstraint',
    schema: t.schema,
    table: t.name,
    check,
    notValid: false,
  }),
  definition: (definition) => ({ type: 'check', definition }),
  describe: (c) => `(${c.expression})`,
}

const EXCLUSION: ConstraintKind<ExclusionDef> = {
  what: 'exclusion constraint',
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  create: (t, exclusion) => ({
    kind: 'createExclusionConstraint',
    schema: t.schema,
    table: t.name,
    exclusion,
  }),
  definition: (definition) => ({ type: 'exclusion', definition }),
  describe: (e) =>
    `(${e.elements.map((x) => `${x.column ?? x.expression} WITH ${x.operator}`).join(', ')})`,
}

/** `createForeignKey` for a model foreign key (validated at once: the rows are checked now). */
export function createForeignKeyOp(table: TableDef, foreignKey: ForeignKeyDef): MigrationOp {
  return {
    kind: 'createForeignKey',
    schema: table.schema,
    table: table.name,
    foreignKey,
    notValid: false,
  }
}

/** `dropConstraint` for a database foreign key, carrying it so that the downgrade recreates it. */
export function dropForeignKeyOp(
  table: TableDef,
  foreignKey: ForeignKeyDef & { readonly name: string },
): MigrationOp {
  return {
    kind: 'dropConstraint',
    schema: table.schema,
    table: table.name,
    name: foreignKey.name,
    ifExists: false,
    cascade: false,
    definition: { type: 'foreignKey', definition: foreignKey },
  }
}

function emitConstraints<T extends { readonly name: string | undefined }>(
  ctx: TableContext,
  match: NameMatch<T>,
  kind: ConstraintKind<T>,
): void {
  const { model: table, out } = ctx
  const schema = table.schema ?? ''
  const drop = (def: T) => {
    if (def.name === undefined) {
      out.manual.push({
        key: ['constraint', schema, table.name, kind.describe(def)],
        step: {
          description: `${tableKey(table.schema, table.name)}: the database has an unnamed ${kind.what} ${kind.describe(def)} that the models do not declare; look up its name and drop it by hand`,
          upgradeHint: undefined,
          downgradeHint: undefined,
        },
      })
      return
    }
    out.changes.push(
      plan(kind.dropPhase, [schema, table.name, def.name], {
        kind: 'dropConstraint',
        schema: table.schema,
        table: table.name,
        name: def.name,
        ifExists: false,
        cascade: false,
        definition: kind.definition(def),
      }),
    )
  }
  const create = (def: T) => {
    out.changes.push(
      plan(kind.createPhase, [schema, table.name, def.name ?? ''], kind.create(table, def)),
    )
    if (def.name === undefined) {
      out.manual.push({
        key: ['constraint', schema, table.name, kind.describe(def)],
        step: unnamedCreateStep(table, kind.what, kind.describe(def)),
      })
    }
  }
  for (const def of match.removed) drop(def)
  for (const { model, database } of match.changed) {
    drop(database)
    create(model.def)
  }
  for (const { def } of match.added) create(def)
}

/** The manual step for a constraint created without a name: the downgrade cannot name it. */
export function unnamedCreateStep(table: TableDef, what: string, description: string) {
  return {
    description: `${tableKey(table.schema, table.name)}: the models declare an unnamed ${what} ${description}; the downgrade must drop it by the name PostgreSQL gives it, so name it in the models instead`,
    upgradeHint: undefined,
    downgradeHint: undefined,
  }
}

function emitIndexes(ctx: TableContext, match: NameMatch<IndexDef>): void {
  const { model: table, out } = ctx
  const schema = table.schema ?? ''
  const drop = (index: IndexDef) =>
    out.changes.push(
      plan(Phase.dropConstraint, [schema, table.name, index.name], {
        kind: 'dropIndex',
        schema: table.schema,
        name: index.name,
        table: table.name,
        concurrently: false,
        ifExists: false,
        definition: index,
      }),
    )
  const create = (index: IndexDef) =>
    out.changes.push(
      plan(Phase.createConstraint, [schema, table.name, index.name], {
        kind: 'createIndex',
        schema: table.schema,
        table: table.name,
        index,
        concurrently: false,
        ifNotExists: false,
      }),
    )
  for (const index of match.removed) drop(index)
  for (const { model, database } of match.changed) {
    drop(database)
    create(model.def)
  }
  for (const { def } of match.added) create(def)
}

/** The database objects a match drops: removed ones and the old side of changed ones. */
function dropped<T>(match: NameMatch<T>): readonly T[] {
  return [...match.removed, ...match.changed.map((pair) => pair.database)]
}

function keyRef(table: TableDef, columns: readonly string[]): KeyRef {
  return { table: tableId(table.schema, table.name), columns }
}
