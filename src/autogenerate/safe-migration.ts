import type {
  AlterColumnOp,
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreateUniqueConstraintOp,
  DropIndexOp,
  MigrationOp,
} from '../operations/migration-op.ts'
import { shortenIdentifier } from '../schema/naming-convention.ts'
import { quoteIdentifier } from '../schema/quote-identifier.ts'
import type { CheckDef, ForeignKeyDef } from '../schema/schema-snapshot.ts'
import { setNotNullWarning } from './compare-column.ts'
import type { CompareResult, SchemaChange } from './compare-result.ts'
import { columnKey, tableId } from './object-keys.ts'
import { type KeyRef, keyOfIndex, referencesKey } from './referenced-keys.ts'

/** What {@link splitSafeMigration} makes of a comparison. */
export interface SafeMigrationSplit {
  /**
   * The first migration, run in a transaction: the comparison's changes with foreign keys and
   * checks on existing tables added `NOT VALID`, and `SET NOT NULL` replaced by a `NOT VALID`
   * check; its manual steps and questions as they were.
   */
  readonly transactional: CompareResult
  /**
   * The second migration, run after the first and outside any transaction
   * (`transactional = false`): concurrent index builds and drops (`ifNotExists`/`ifExists`, so a
   * rerun after a partial run works), unique constraints adopting such an index, validations,
   * and `SET NOT NULL` proven by a validated check. Empty when the comparison needs none.
   */
  readonly concurrent: readonly SchemaChange[]
}

/**
 * Splits autogenerate's result into the forms that do not stall a live PostgreSQL database: what
 * would block writes for the length of a scan or an index build on a table that already exists
 * goes into a second, non-transactional migration as its non-blocking equivalent. Tables created
 * by the same comparison keep the plain forms (nobody else uses them yet).
 *
 * - `CREATE INDEX` / `DROP INDEX` become `CONCURRENTLY` (PostgreSQL refuses that in a
 *   transaction), in the second migration;
 * - a foreign key or check is added `NOT VALID` (a brief lock, no scan) and validated in the
 *   second migration — validating in the transaction that added it would hold the add's lock for
 *   the whole scan;
 * - `SET NOT NULL` becomes a `CHECK (col IS NOT NULL) NOT VALID`, validated in the second
 *   migration before `SET NOT NULL`, which PostgreSQL 12+ then does without a scan; the check is
 *   dropped afterwards;
 * - a unique constraint becomes a unique index built concurrently and the constraint adopting it
 *   (`UNIQUE USING INDEX`).
 *
 * What must keep its order stays where it is: an index drop on a table that also loses a column
 * (the column drop takes it along), that frees a name the first migration reuses, or whose key a
 * foreign key of the first migration might bind to; `SET NOT NULL` on a column of a primary key
 * the first migration adds (the key sets it anyway); a foreign key to a key the second migration
 * builds moves there whole. Unnamed constraints cannot be validated by name and stay plain. Pure:
 * no database, no files.
 *
 * @example
 * const { transactional, concurrent } = splitSafeMigration(result)
 * renderMigration(transactional) // the first file; renderMigration({ changes: concurrent, ... }) the second
 */
export function splitSafeMigration(
  result: CompareResult,
  options: SafeMigrationOptions = {},
): SafeMigrationSplit {
  const plan = new SplitPlan(
    result.changes.map((change) => change.op),
    options.partitionedTables ?? new Set(),
  )
  const first: SchemaChange[] = []
  const concurrent: SchemaChange[] = []
  for (const change of result.changes) {
    const parts = plan.split(change)
    first.push(...parts.first)
    concurrent.push(...parts.concurrent)
  }
  return { transactional: { ...result, changes: first }, concurrent }
}

/** Options of {@link splitSafeMigration}. */
export interface SafeMigrationOptions {
  /**
   * The database's partitioned tables, by `tableId(schema, name)`; default none. PostgreSQL builds
   * no index on one `CONCURRENTLY`, adds no `NOT VALID` foreign key to one and adopts no index
   * for its unique constraint (manual, CREATE INDEX and ALTER TABLE, on partitioned tables): their
   * changes keep the plain forms.
   */
  readonly partitionedTables?: ReadonlySet<string>
}

/** Where the forms of one change go. */
interface Parts {
  readonly first: readonly SchemaChange[]
  readonly concurrent: readonly SchemaChange[]
}

/** What decides where each change goes: facts about the whole comparison, gathered once. */
class SplitPlan {
  /** Tables the comparison creates, by {@link tableId}. */
  readonly #created = new Set<string>()
  /** Tables that lose a column. */
  readonly #losingColumns = new Set<string>()
  /** Columns of primary keys the comparison adds, as `tableId` + NUL + column. */
  readonly #primaryKeyColumns = new Set<string>()
  /** Keys (unique indexes and constraints) the second migration builds. */
  readonly #concurrentKeys: KeyRef[] = []
  /** Relations (tables, indexes) the first migration creates, by `tableId(schema, name)`. */
  readonly #firstRelations = new Set<string>()
  /** Foreign keys the first migration adds. */
  readonly #firstForeignKeys: ForeignKeyDef[] = []

  /** Partitioned tables, which take only the plain forms. */
  readonly #partitioned: ReadonlySet<string>

  constructor(ops: readonly MigrationOp[], partitioned: ReadonlySet<string>) {
    this.#partitioned = partitioned
    for (const op of ops) {
      if (op.kind === 'createTable') this.#created.add(tableId(op.table.schema, op.table.name))
      if (op.kind === 'dropColumn') this.#losingColumns.add(tableId(op.schema, op.table))
      if (op.kind === 'createPrimaryKey') {
        for (const column of op.primaryKey.columns) {
          this.#primaryKeyColumns.add(`${tableId(op.schema, op.table)}\u0000${column}`)
        }
      }
    }
    for (const op of ops) this.#noteKeysAndRelations(op)
    for (const op of ops) {
      if (op.kind === 'createTable') this.#firstForeignKeys.push(...op.table.foreignKeys)
      if (op.kind === 'createForeignKey' && !this.#needsConcurrentKey(op)) {
        this.#firstForeignKeys.push(op.foreignKey)
      }
    }
  }

  /** The forms of `change` in the first and in the second migration. */
  split(change: SchemaChange): Parts {
    const { op } = change
    switch (op.kind) {
      case 'createIndex':
        return this.#indexBuilt(op)
          ? concurrentOnly(change, indexConcurrently(op))
          : firstOnly(change)
      case 'dropIndex':
        return this.#indexDropMoves(op)
          ? concurrentOnly(change, dropConcurrently(op))
          : firstOnly(change)
      case 'createUniqueConstraint':
        return this.#uniqueBuilt(op) ? uniqueByIndex(change, op) : firstOnly(change)
      case 'createForeignKey':
        return this.#foreignKey(change, op)
      case 'createCheckConstraint':
        return this.#existing(op.schema, op.table)
          ? validateLater(change, op, op.check.name)
          : firstOnly(change)
      case 'alterColumn':
        return this.#setsNotNullSafely(op) ? notNullByCheck(change, op) : firstOnly(change)
      default:
        return firstOnly(change)
    }
  }

  #existing(schema: string | undefined, table: string): boolean {
    return !this.#created.has(tableId(schema, table))
  }

  /** An existing table that is not partitioned, whose changes may take the concurrent forms. */
  #concurrentCapable(schema: string | undefined, table: string): boolean {
    return this.#existing(schema, table) && !this.#partitioned.has(tableId(schema, table))
  }

  /** An index on an existing table: built concurrently. */
  #indexBuilt(op: CreateIndexOp): boolean {
    return this.#concurrentCapable(op.schema, op.table)
  }

  /** A named unique constraint on an existing table, which a plain unique index can back. */
  #uniqueBuilt(op: CreateUniqueConstraintOp): boolean {
    return (
      this.#concurrentCapable(op.schema, op.table) &&
      op.unique.name !== undefined &&
      // An index definition cannot say NULLS NOT DISTINCT.
      !op.unique.nullsNotDistinct &&
      op.usingIndex === undefined
    )
  }

  /** See {@link splitSafeMigration} for why some drops must stay in the first migration. */
  #indexDropMoves(op: DropIndexOp): boolean {
    if (op.table === undefined || op.definition === undefined) return false
    const table = tableId(op.schema, op.table)
    if (!this.#concurrentCapable(op.schema, op.table) || this.#losingColumns.has(table)) {
      return false
    }
    if (this.#firstRelations.has(tableId(op.schema, op.name))) return false
    const columns = keyOfIndex(op.definition)
    return (
      columns === undefined ||
      !this.#firstForeignKeys.some((fk) => referencesKey(fk, { table, columns }))
    )
  }

  #needsConcurrentKey(op: CreateForeignKeyOp): boolean {
    return this.#concurrentKeys.some((key) => referencesKey(op.foreignKey, key))
  }

  #foreignKey(change: SchemaChange, op: CreateForeignKeyOp): Parts {
    if (this.#needsConcurrentKey(op)) {
      // The key it references is built in the second migration: it can only follow it there.
      const name = op.foreignKey.name
      if (name === undefined) return concurrentOnly(change, op)
      return concurrentOnly(change, { ...op, notValid: true }, validateOp(op, name))
    }
    return this.#concurrentCapable(op.schema, op.table)
      ? validateLater(change, op, op.foreignKey.name)
      : firstOnly(change)
  }

  /**
   * `SET NOT NULL` (and nothing that renames the column) on a column no added primary key
   * covers; only the nullability moves, the alter's other changes stay in the first migration.
   */
  #setsNotNullSafely(op: AlterColumnOp): boolean {
    return (
      op.changes.nullable?.to === false &&
      op.changes.name === undefined &&
      !this.#primaryKeyColumns.has(`${tableId(op.schema, op.table)}\u0000${op.column}`)
    )
  }

  #noteKeysAndRelations(op: MigrationOp): void {
    const relation = (schema: string | undefined, name: string | undefined) => {
      if (name !== undefined) this.#firstRelations.add(tableId(schema, name))
    }
    switch (op.kind) {
      case 'createTable': {
        const t = op.table
        relation(t.schema, t.name)
        relation(t.schema, t.primaryKey?.name)
        for (const unique of t.uniques) relation(t.schema, unique.name)
        for (const index of t.indexes) relation(t.schema, index.name)
        break
      }
      case 'createPrimaryKey':
        relation(op.schema, op.primaryKey.name)
        break
      case 'createIndex': {
        const columns = keyOfIndex(op.index)
        if (!this.#indexBuilt(op)) relation(op.schema, op.index.name)
        else if (columns !== undefined) this.#concurrentKeys.push(keyRef(op, columns))
        break
      }
      case 'createUniqueConstraint':
        if (!this.#uniqueBuilt(op)) relation(op.schema, op.unique.name)
        else this.#concurrentKeys.push(keyRef(op, op.unique.columns))
        break
      default:
        break
    }
  }
}

function keyRef(
  op: { readonly schema: string | undefined; readonly table: string },
  columns: readonly string[],
): KeyRef {
  return { table: tableId(op.schema, op.table), columns }
}

function firstOnly(change: SchemaChange): Parts {
  return { first: [change], concurrent: [] }
}

/** `ops` in the second migration; the change's warning goes with the first of them. */
function concurrentOnly(change: SchemaChange, ...ops: readonly MigrationOp[]): Parts {
  return {
    first: [],
    concurrent: ops.map((op, i) => ({ op, warning: i === 0 ? change.warning : undefined })),
  }
}

function indexConcurrently(op: CreateIndexOp): CreateIndexOp {
  return { ...op, concurrently: true, ifNotExists: true }
}

function dropConcurrently(op: DropIndexOp): DropIndexOp {
  return { ...op, concurrently: true, ifExists: true }
}

/**
 * The constraint `NOT VALID` in the first migration, its validation in the second; an unnamed one
 * (which cannot be validated by name) and one already `NOT VALID` stay as they are.
 */
function validateLater(
  change: SchemaChange,
  op: CreateForeignKeyOp | CreateCheckConstraintOp,
  name: string | undefined,
): Parts {
  if (name === undefined || op.notValid) return firstOnly(change)
  return {
    first: [{ ...change, op: { ...op, notValid: true } }],
    concurrent: [{ op: validateOp(op, name), warning: undefined }],
  }
}

function validateOp(
  op: { readonly schema: string | undefined; readonly table: string },
  name: string,
): MigrationOp {
  return { kind: 'validateConstraint', schema: op.schema, table: op.table, name }
}

/**
 * A unique index under the constraint's name, built concurrently, then the constraint adopting
 * it: `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE` would build the index holding a lock that blocks
 * reads and writes.
 */
function uniqueByIndex(change: SchemaChange, op: CreateUniqueConstraintOp): Parts {
  const name = op.unique.name!
  const index: CreateIndexOp = {
    kind: 'createIndex',
    schema: op.schema,
    table: op.table,
    index: {
      name,
      elements: op.unique.columns.map((column) => ({
        column,
        expression: undefined,
        order: undefined,
        nulls: undefined,
        opclass: undefined,
      })),
      unique: true,
      method: undefined,
      where: undefined,
      include: [],
    },
    concurrently: true,
    ifNotExists: true,
  }
  return concurrentOnly(change, index, { ...op, usingIndex: name })
}

/**
 * `SET NOT NULL` the way that scans without blocking: a `NOT VALID` check in the first migration
 * (new rows must obey it at once), then in the second its validation, `SET NOT NULL` (no scan:
 * the valid check proves it) and the check's drop.
 */
function notNullByCheck(change: SchemaChange, op: AlterColumnOp): Parts {
  const { nullable, ...others } = op.changes
  const name = shortenIdentifier(`ck_${op.table}_${op.column}_not_null`)
  const check: CheckDef = { name, expression: `${quoteIdentifier(op.column)} IS NOT NULL` }
  const base = { schema: op.schema, table: op.table }
  const label = columnKey(op.schema, op.table, op.column)
  const addCheck: MigrationOp = { kind: 'createCheckConstraint', ...base, check, notValid: true }
  // The NOT NULL warning moves to the validation, which is what fails on a NULL; the alter's
  // other warnings stay with what is left of it.
  const notNull = setNotNullWarning(label)
  const rest: SchemaChange[] =
    Object.keys(others).length === 0
      ? []
      : [{ op: { ...op, changes: others }, warning: withoutWarning(change.warning, notNull) }]
  return {
    first: [...rest, { op: addCheck, warning: undefined }],
    concurrent: [
      {
        op: validateOp(op, name),
        warning: `${notNull} (the previous migration already refuses new NULLs)`,
      },
      { op: { ...op, changes: { nullable: nullable! } }, warning: undefined },
      {
        op: {
          kind: 'dropConstraint',
          ...base,
          name,
          ifExists: true,
          cascade: false,
          // Its downgrade puts it back as it was before this migration: not valid, no scan.
          definition: { type: 'check', definition: check, notValid: true },
        },
        warning: undefined,
      },
    ],
  }
}

/** `warnings` (joined by `; `, as `plan` joins them) without `part`; undefined when none is left. */
function withoutWarning(warnings: string | undefined, part: string): string | undefined {
  const left = warnings?.replace(`; ${part}`, '').replace(`${part}; `, '').replace(part, '')
  return left === '' ? undefined : left
}
