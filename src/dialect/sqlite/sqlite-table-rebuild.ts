import type { BatchTableOp, CreateIndexOp } from '../../operations/migration-op.ts'
import type { EngineTableOptions } from '../../schema/engine-options.ts'
import type {
  CheckDef,
  ColumnDef,
  ColumnType,
  ForeignKeyDef,
  IndexDef,
  PrimaryKeyDef,
  TableDef,
  UniqueDef,
} from '../../schema/schema-snapshot.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { sqliteComparator } from './sqlite-comparator.ts'
import { refused, rowidColumn, type TableTextExtras, unsupported } from './sqlite-ddl-fragments.ts'
import type { LiveTable } from './sqlite-introspector.ts'
import { fold, quoteIdentifier } from './sqlite-quoting.ts'
import { SqliteTypeMapper } from './sqlite-type-mapper.ts'

const storage = new SqliteTypeMapper()

/**
 * SQLite's table rebuild, planned: the table as it is (read from the database), changed by a list
 * of operations, becomes the definition of a new table and what moves the rows and the rest of
 * the table into it. A pure function, so that every rule is testable without a database; the
 * statements are written from the plan by `sqlite-rebuild-statements.ts`.
 *
 * Column renames are not part of the new table: SQLite's own `ALTER TABLE ... RENAME COLUMN`
 * rewrites every index, trigger, view and foreign key that names the column, which no rewrite of
 * their saved text could do as surely. The new table keeps a renamed column's old name, the saved
 * indexes and triggers are recreated as they were, and the renames run after; the operations that
 * name a renamed column by its new name are read with the old one.
 */

/** A column of the new table, and where its values come from. */
export interface CopiedColumn {
  /** The column in the new table. */
  readonly column: string
  /** The SQL that reads its value from a row of the old table. */
  readonly from: string
}

/** A column renamed in place once the new table has replaced the old one. */
export interface ColumnRename {
  readonly from: string
  readonly to: string
}

/** What a rebuild creates, copies and runs after; see {@link planRebuild}. */
export interface RebuildPlan {
  /**
   * The new table's definition, its `engineOptions` saying STRICT and WITHOUT ROWID; renamed
   * columns keep their old names (see {@link renames}).
   */
  readonly table: TableDef
  /** What the definition leaves out: AUTOINCREMENT, VIRTUAL columns. */
  readonly options: TableTextExtras
  /** The columns the copy fills, each from the old table; the others take their defaults. */
  readonly copy: readonly CopiedColumn[]
  /** The copy keeps each row's rowid (a rowid table whose rowid no column holds). */
  readonly keepRowids: boolean
  /** Indexes of the old table (folded names) not to create again: the operations drop them. */
  readonly droppedIndexes: ReadonlySet<string>
  /** Column renames, in an order in which each new name is free. */
  readonly renames: readonly ColumnRename[]
  /** Indexes the operations create, after the renames (they name columns by their new names). */
  readonly createIndexes: readonly CreateIndexOp[]
  /** Columns added NOT NULL without a default: the old table must have no rows. */
  readonly addedNotNull: readonly string[]
  /** Columns of the old table that become NOT NULL: they must hold no NULL. */
  readonly madeNotNull: readonly string[]
}

/** Names a rowid table can be read by, unless a column takes them (manual, "ROWID tables"). */
const ROWID_NAMES: ReadonlySet<string> = new Set(['rowid', 'oid', '_rowid_'])

/** The table options a rebuild gives the new table (manual, "STRICT Tables", "WITHOUT ROWID"). */
export interface SqliteFlags {
  readonly strict: boolean
  readonly withoutRowid: boolean
}

/** A column while the operations run: its current name, definition and source. */
interface Slot {
  /** The name the operations use now. */
  name: string
  /** Its definition in the new table; `def.name` stays the old name of a renamed column. */
  def: ColumnDef
  /** The SQL reading it from the old table; undefined for a column the operations add. */
  from: string | undefined
  virtual: boolean
}

/**
 * The rebuild of `live` that carries out `ops` in order: the new table's definition, the copy of
 * the rows, what to create again and what to run after. It refuses, with one line saying why and
 * what to do, what a rebuild would lose or SQLite would reject: a table with ON CONFLICT clauses
 * (which the definition cannot say), a column dropped while a key, check or index still uses it,
 * a primary key a WITHOUT ROWID or AUTOINCREMENT table cannot lose, names that do not exist or
 * already do.
 *
 * `flags` are the new table's STRICT and WITHOUT ROWID, default the old table's: changing them
 * (`op.alterTableOptions`) is a rebuild with no other operation. A table made WITHOUT ROWID loses
 * its rowid, so its INTEGER PRIMARY KEY becomes an ordinary key that keeps its values but numbers
 * no new row; a table made STRICT takes every copied value only if it fits its column's type,
 * else the copy fails (SQLITE_CONSTRAINT_DATATYPE) and the migration rolls back.
 */
export function planRebuild(
  live: LiveTable,
  ops: readonly BatchTableOp[],
  flags: SqliteFlags = { strict: live.strict, withoutRowid: live.withoutRowid },
): RebuildPlan {
  return new Planner(live, flags).run(ops)
}

class Planner {
  readonly #live: LiveTable
  readonly #flags: SqliteFlags
  readonly #name: string
  #slots: Slot[]
  #primaryKey: PrimaryKeyDef | undefined
  #foreignKeys: ForeignKeyDef[]
  #uniques: UniqueDef[]
  #checks: CheckDef[]
  readonly #indexes: readonly IndexDef[]
  readonly #dropped = new Set<string>()
  #created: CreateIndexOp[] = []
  readonly #addedNotNull: string[] = []
  readonly #madeNotNull = new Set<string>()

  constructor(live: LiveTable, flags: SqliteFlags) {
    this.#live = live
    this.#flags = flags
    const t = live.table
    this.#name = t.name
    if (live.text.onConflict) {
      this.#fail(
        'its CREATE TABLE has ON CONFLICT clauses, which the new table would lose; rebuild it by hand with op.execute',
      )
    }
    const virtual = new Set(
      live.text.columns
        .filter((c) => c.generated !== undefined && !c.stored)
        .map((c) => fold(c.name)),
    )
    this.#slots = t.columns.map((def) => ({
      name: def.name,
      def,
      from: def.generated === undefined ? quoteIdentifier(def.name) : undefined,
      virtual: virtual.has(fold(def.name)),
    }))
    this.#primaryKey = t.primaryKey
    this.#foreignKeys = [...t.foreignKeys]
    this.#uniques = [...t.uniques]
    this.#checks = [...t.checks]
    this.#indexes = t.indexes
  }

  run(ops: readonly BatchTableOp[]): RebuildPlan {
    for (const op of ops) this.#apply(op)
    const live = this.#live
    const { strict, withoutRowid } = this.#flags
    if (withoutRowid && !live.withoutRowid) {
      if (live.text.autoincrement) {
        this.#fail(
          'its rowid column is AUTOINCREMENT, which needs the rowid a WITHOUT ROWID table does not have; keep the rowid, or drop AUTOINCREMENT by hand first',
        )
      }
      // The rowid alias keeps its values as an ordinary key: nothing numbers new rows any more.
      for (const slot of this.#slots) {
        if (slot.def.serial) slot.def = { ...slot.def, serial: false, nullable: false }
      }
    }
    const { engineOptions: _, ...kept } = live.table
    const table: TableDef = {
      ...kept,
      ...engineOptionsOf(this.#flags),
      columns: this.#slots.map((s) => s.def),
      primaryKey: this.#primaryKey,
      foreignKeys: this.#foreignKeys,
      uniques: this.#uniques,
      checks: this.#checks,
      indexes: [],
    }
    const names = new Set<string>()
    for (const column of table.columns) {
      if (names.has(fold(column.name))) {
        this.#fail(
          `the operations leave two columns named ${column.name} while it is rebuilt (a column renamed and another added under its old name); rename in an operation of its own, before or after`,
        )
      }
      names.add(fold(column.name))
    }
    if (withoutRowid && table.primaryKey === undefined) {
      this.#fail(
        live.withoutRowid
          ? 'a WITHOUT ROWID table needs a primary key; keep or replace it'
          : 'a WITHOUT ROWID table needs a primary key, and it has none; add one first (op.createPrimaryKey)',
      )
    }
    const rowid = rowidColumn(table)
    if (live.text.autoincrement && rowid === undefined) {
      this.#fail(
        'its rowid column is AUTOINCREMENT, which needs an INTEGER PRIMARY KEY; keep the primary key',
      )
    }
    // The new table's key is its rowid when it is one column declared `integer` (a serial one is
    // written so; in a STRICT table every integer type is).
    const pk = table.primaryKey?.columns
    const integerKey =
      pk?.length === 1 &&
      table.columns.some(
        (c) => c.name === pk[0] && (c.serial || (!withoutRowid && declaredInteger(c.type, strict))),
      )
    return {
      table,
      options: {
        autoincrement: live.text.autoincrement,
        virtual: new Set(this.#slots.filter((s) => s.virtual).map((s) => s.def.name)),
      },
      copy: this.#slots.flatMap((s) =>
        s.from === undefined || s.def.generated !== undefined
          ? []
          : [{ column: s.def.name, from: s.from }],
      ),
      keepRowids:
        !live.withoutRowid &&
        !withoutRowid &&
        !integerKey &&
        ![...live.table.columns, ...table.columns].some((c) => ROWID_NAMES.has(fold(c.name))),
      droppedIndexes: this.#dropped,
      renames: this.#renames(),
      createIndexes: this.#created,
      addedNotNull: this.#addedNotNull,
      madeNotNull: [...this.#madeNotNull],
    }
  }

  #apply(op: BatchTableOp): void {
    switch (op.kind) {
      case 'addColumn': {
        if (this.#findSlot(op.column.name) !== undefined) {
          if (op.ifNotExists) return
          this.#fail(`it already has a column ${op.column.name}`)
        }
        if (op.column.comment !== undefined) throw unsupported('comments')
        const def = {
          ...op.column,
          ...(op.column.generated === undefined
            ? {}
            : { generated: this.#oldNames(op.column.generated) }),
        }
        this.#slots.push({ name: def.name, def, from: undefined, virtual: false })
        if (!def.nullable && def.default === undefined && def.generated === undefined) {
          this.#addedNotNull.push(def.name)
        }
        return
      }
      case 'dropColumn': {
        const slot = this.#findSlot(op.column)
        if (slot === undefined) {
          if (op.ifExists) return
          this.#fail(`it has no column ${op.column}`)
        }
        const user = this.#userOf(slot)
        if (user !== undefined) {
          this.#fail(
            `column ${op.column} is used by ${user}; drop that first, in the same batch (op.batch)`,
          )
        }
        this.#slots = this.#slots.filter((s) => s !== slot)
        return
      }
      case 'alterColumn':
        this.#alterColumn(op)
        return
      case 'createIndex': {
        if (op.concurrently) throw concurrently()
        if (this.#hasIndex(op.index.name)) {
          if (op.ifNotExists) return
          this.#fail(`it already has an index ${op.index.name}`)
        }
        this.#created.push(op)
        return
      }
      case 'dropIndex': {
        if (op.concurrently) throw concurrently()
        const name = fold(op.name)
        const created = this.#created.find((c) => fold(c.index.name) === name)
        if (created !== undefined) {
          this.#created = this.#created.filter((c) => c !== created)
        } else if (this.#indexes.some((i) => fold(i.name) === name) && !this.#dropped.has(name)) {
          this.#dropped.add(name)
        } else if (!op.ifExists) {
          this.#fail(`it has no index ${op.name}`)
        }
        return
      }
      case 'createForeignKey': {
        const fk = op.foreignKey
        this.#requireFreeName(fk.name)
        const self = fold(fk.referencedTable) === fold(this.#name)
        this.#foreignKeys.push({
          ...fk,
          columns: this.#oldColumns(fk.columns),
          referencedColumns: self ? this.#oldColumns(fk.referencedColumns) : fk.referencedColumns,
        })
        return
      }
      case 'createUniqueConstraint':
        if (op.usingIndex !== undefined) {
          throw refused(
            'UNIQUE ... USING INDEX',
            'a unique index already does what the constraint does: keep the index, or add the constraint without usingIndex',
          )
        }
        this.#requireFreeName(op.unique.name)
        this.#uniques.push({ ...op.unique, columns: this.#oldColumns(op.unique.columns) })
        return
      case 'createCheckConstraint':
        this.#requireFreeName(op.check.name)
        this.#checks.push({ ...op.check, expression: this.#oldNames(op.check.expression) })
        return
      case 'createPrimaryKey':
        if (this.#primaryKey !== undefined) {
          this.#fail(
            `it already has a primary key${this.#primaryKey.name === undefined ? '' : ` (${this.#primaryKey.name})`}; drop it first, in the same batch (op.batch)`,
          )
        }
        this.#requireFreeName(op.primaryKey.name)
        this.#primaryKey = {
          ...op.primaryKey,
          columns: this.#oldColumns(op.primaryKey.columns),
        }
        return
      case 'createExclusionConstraint':
        throw unsupported('exclusion constraints')
      case 'dropConstraint':
        this.#dropConstraint(op.name, op.ifExists)
        return
    }
  }

  #alterColumn(op: Extract<BatchTableOp, { readonly kind: 'alterColumn' }>): void {
    const slot = this.#findSlot(op.column)
    if (slot === undefined) this.#fail(`it has no column ${op.column}`)
    const c = op.changes
    if (c.comment !== undefined) throw unsupported('comments')
    if (c.type !== undefined) {
      if (slot.def.serial) {
        this.#fail(
          `column ${op.column} is its rowid (INTEGER PRIMARY KEY), which another type would make an ordinary column`,
        )
      }
      slot.def = { ...slot.def, type: c.type.to }
      if (c.type.using !== undefined && slot.from !== undefined) {
        slot.from = `(${this.#oldNames(c.type.using)})`
      }
    }
    if (c.nullable !== undefined) {
      slot.def = { ...slot.def, nullable: c.nullable.to }
      if (!c.nullable.to && slot.from !== undefined) this.#madeNotNull.add(slot.def.name)
    }
    if (c.default !== undefined) slot.def = { ...slot.def, default: c.default.to ?? undefined }
    if (c.collation !== undefined) {
      const { collation: _, ...rest } = slot.def
      const to = c.collation.to
      slot.def = to === null || fold(to) === 'binary' ? rest : { ...rest, collation: to }
    }
    if (c.name !== undefined) {
      const to = c.name.to
      const other = this.#findSlot(to)
      if (other !== undefined && other !== slot) this.#fail(`it already has a column ${to}`)
      slot.name = to
      // A column the operations add has no old name to keep: it is created under its new one.
      if (slot.from === undefined) slot.def = { ...slot.def, name: to }
    }
  }

  #dropConstraint(name: string, ifExists: boolean): void {
    const key = fold(name)
    const named = (item: { readonly name: string | undefined }) =>
      item.name !== undefined && fold(item.name) === key
    if (this.#foreignKeys.some(named)) {
      this.#foreignKeys = this.#foreignKeys.filter((x) => !named(x))
    } else if (this.#uniques.some(named)) {
      this.#uniques = this.#uniques.filter((x) => !named(x))
    } else if (this.#checks.some(named)) {
      this.#checks = this.#checks.filter((x) => !named(x))
    } else if (this.#primaryKey !== undefined && named(this.#primaryKey)) {
      if (this.#flags.withoutRowid) {
        this.#fail(`it is WITHOUT ROWID, which needs its primary key ${name}; replace it instead`)
      }
      const rowid = rowidColumn({ ...this.#live.table, columns: this.#slots.map((s) => s.def) })
      for (const slot of this.#slots) {
        if (slot.def === rowid) slot.def = { ...slot.def, serial: false, nullable: false }
      }
      this.#primaryKey = undefined
    } else if (!ifExists) {
      this.#fail(
        `it has no constraint named ${name} (SQLite knows a constraint's name only when its CREATE TABLE gives one)`,
      )
    }
  }

  /** What still uses a column about to be dropped, described; undefined when nothing does. */
  #userOf(slot: Slot): string | undefined {
    const name = fold(slot.def.name)
    const has = (columns: readonly string[]) => columns.some((c) => fold(c) === name)
    const mentions = (sql: string | undefined) =>
      sql !== undefined &&
      sqliteComparator.namesIn(sql).some((n) => n.qualifier === undefined && fold(n.name) === name)
    if (this.#primaryKey !== undefined && has(this.#primaryKey.columns)) {
      return `the primary key${label(this.#primaryKey.name)}`
    }
    const unique = this.#uniques.find((u) => has(u.columns))
    if (unique !== undefined) return `the unique constraint${label(unique.name)}`
    const fk = this.#foreignKeys.find(
      (f) =>
        has(f.columns) ||
        (fold(f.referencedTable) === fold(this.#name) && has(f.referencedColumns)),
    )
    if (fk !== undefined) return `the foreign key${label(fk.name)}`
    const check = this.#checks.find((c) => mentions(c.expression))
    if (check !== undefined) return `the check${label(check.name)} (${check.expression})`
    const index = this.#indexes.find(
      (i) =>
        !this.#dropped.has(fold(i.name)) &&
        (i.elements.some(
          (e) => (e.column !== undefined && fold(e.column) === name) || mentions(e.expression),
        ) ||
          mentions(i.where)),
    )
    if (index !== undefined) return `the index ${index.name}`
    const current = fold(slot.name)
    const created = this.#created.find((c) =>
      c.index.elements.some((e) => e.column !== undefined && fold(e.column) === current),
    )
    if (created !== undefined) return `the index ${created.index.name}`
    const generated = this.#slots.find((s) => s !== slot && mentions(s.def.generated))
    if (generated !== undefined) return `the generated column ${generated.name}`
    return undefined
  }

  /** The renames to run after the rebuild, ordered so that no new name is taken when it runs. */
  #renames(): ColumnRename[] {
    let pending = this.#slots
      .filter((s) => s.from !== undefined && s.name !== s.def.name)
      .map((s) => ({ from: s.def.name, to: s.name }))
    const taken = new Set(this.#slots.map((s) => fold(s.def.name)))
    const ordered: ColumnRename[] = []
    while (pending.length > 0) {
      const free = pending.find((r) => !taken.has(fold(r.to)) || fold(r.to) === fold(r.from))
      if (free === undefined) {
        this.#fail(
          `the operations swap the names of columns ${pending.map((r) => r.from).join(', ')}; rename them in operations of their own, through a free name`,
        )
      }
      ordered.push(free)
      taken.delete(fold(free.from))
      taken.add(fold(free.to))
      pending = pending.filter((r) => r !== free)
    }
    return ordered
  }

  #findSlot(name: string): Slot | undefined {
    return this.#slots.find((s) => fold(s.name) === fold(name))
  }

  #hasIndex(name: string): boolean {
    const key = fold(name)
    return (
      this.#created.some((c) => fold(c.index.name) === key) ||
      this.#indexes.some((i) => fold(i.name) === key && !this.#dropped.has(key))
    )
  }

  #requireFreeName(name: string | undefined): void {
    if (name === undefined) return
    const key = fold(name)
    const taken = [
      ...this.#foreignKeys,
      ...this.#uniques,
      ...this.#checks,
      ...(this.#primaryKey === undefined ? [] : [this.#primaryKey]),
    ].some((c) => c.name !== undefined && fold(c.name) === key)
    if (taken) this.#fail(`it already has a constraint named ${name}`)
  }

  /** Columns named as the operations name them now, by their names in the new table. */
  #oldColumns(columns: readonly string[]): readonly string[] {
    return columns.map((name) => {
      const slot = this.#findSlot(name)
      if (slot === undefined) this.#fail(`it has no column ${name}`)
      return slot.def.name
    })
  }

  /** An expression on the table's columns with each renamed one under its name in the new table. */
  #oldNames(sql: string): string {
    const renames = new Map(
      this.#slots
        .filter((s) => s.name !== s.def.name)
        .map((s) => [s.name.toLowerCase(), s.def.name]),
    )
    return renames.size === 0 ? sql : sqliteComparator.renameSqlIdentifiers(sql, renames)
  }

  #fail(message: string): never {
    throw new InvalidOperationError(`cannot rebuild table ${this.#name}: ${message}`)
  }
}

/** The engine options of a table with `flags`: only the true ones, none when neither is. */
function engineOptionsOf(flags: SqliteFlags): { readonly engineOptions?: EngineTableOptions } {
  if (!flags.strict && !flags.withoutRowid) return {}
  return {
    engineOptions: {
      sqlite: {
        ...(flags.strict ? { strict: true } : {}),
        ...(flags.withoutRowid ? { withoutRowid: true } : {}),
      },
    },
  }
}

/** The type is declared `integer`, which a one-column primary key needs to be the rowid. */
function declaredInteger(type: ColumnType, strict: boolean): boolean {
  if (!strict) return type.kind === 'integer'
  try {
    return storage.strictType(type).toLowerCase() === 'integer'
  } catch {
    // A type a STRICT table cannot take: the CREATE TABLE refuses it with the reason.
    return false
  }
}

/**
 * Why `op` can be carried out only by rebuilding its table, whatever the table holds: what SQLite's
 * ALTER TABLE cannot change (manual, "ALTER TABLE"); undefined when it can, or when only the table
 * can tell (a constraint dropped by name alone).
 */
export function rebuildReason(op: BatchTableOp, types: SqliteTypeMapper): string | undefined {
  const where = `${op.table ?? ''}`
  switch (op.kind) {
    case 'addColumn': {
      const c = op.column
      // ADD COLUMN takes neither a stored generated column nor an expression default (manual,
      // "ALTER TABLE ADD COLUMN").
      if (c.generated !== undefined) return `adding the generated column ${where}.${c.name}`
      const value = c.default === undefined ? undefined : types.sqlDefault(c.default, c.type)
      if (value !== undefined && /^(?:\(|CURRENT_)/i.test(value)) {
        return `adding column ${where}.${c.name} with the default ${value}`
      }
      return undefined
    }
    case 'alterColumn': {
      const c = op.changes
      const column = `${where}.${op.column}`
      if (c.type !== undefined) return `changing the type of ${column}`
      if (c.default !== undefined) return `changing the default of ${column}`
      if (c.collation !== undefined) return `changing the collation of ${column}`
      return undefined
    }
    case 'createForeignKey':
      return `adding the foreign key ${op.foreignKey.name ?? ''} to ${where}`.replace('  ', ' ')
    case 'createUniqueConstraint':
      return `adding the unique constraint ${op.unique.name ?? ''} to ${where}`.replace('  ', ' ')
    case 'createPrimaryKey':
      return `adding a primary key to ${where}`
    case 'dropConstraint':
      return op.definition !== undefined && op.definition.type !== 'check'
        ? `dropping the ${constraintKind(op.definition.type)} ${op.name} of ${where}`
        : undefined
    default:
      return undefined
  }
}

/**
 * The kind of the constraint `name` of `table` as the database holds it, undefined when it has
 * none so named: a check is dropped in place, any other only by a rebuild.
 */
export function constraintKindOf(table: TableDef, name: string): string | undefined {
  const key = fold(name)
  const named = (item: { readonly name: string | undefined }) =>
    item.name !== undefined && fold(item.name) === key
  if (table.checks.some(named)) return 'check'
  if (table.foreignKeys.some(named)) return 'foreign key'
  if (table.uniques.some(named)) return 'unique constraint'
  if (table.primaryKey !== undefined && named(table.primaryKey)) return 'primary key'
  return undefined
}

function constraintKind(type: string): string {
  return type === 'foreignKey'
    ? 'foreign key'
    : type === 'primaryKey'
      ? 'primary key'
      : `${type} constraint`
}

function concurrently(): InvalidOperationError {
  return refused(
    'CREATE INDEX CONCURRENTLY',
    'SQLite builds an index in one write transaction; remove concurrently (and transactional = false)',
  )
}

function label(name: string | undefined): string {
  return name === undefined ? '' : ` ${name}`
}
