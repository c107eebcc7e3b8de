import { canonicalSql } from '../../src/dialect/postgres/postgres-canonical-sql.ts'
import { literalsEqual } from '../../src/dialect/postgres/postgres-default-equivalence.ts'
import { renameSqlIdentifiers } from '../../src/dialect/postgres/postgres-rename-sql-identifiers.ts'
import { tokenizeSql } from '../../src/dialect/postgres/postgres-sql-tokens.ts'
import {
  assertNever,
  isCodeObjectOp,
  isSchemaObjectOp,
  type MigrationOp,
} from '../../src/operations/migration-op.ts'
import { type EngineTableOptions, engineOptionsOf } from '../../src/schema/engine-options.ts'
import type {
  ColumnType,
  EnumDef,
  ForeignKeyDef,
  IndexDef,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import { CodeObjectState } from './apply-code-object-ops.ts'
import { applyPartitionOp, findPartition } from './apply-partition-ops.ts'
import { SchemaObjectState } from './apply-schema-object-ops.ts'

/**
 * A stand-in for PostgreSQL in pure tests: applies operations to a snapshot and refuses what
 * PostgreSQL would refuse — a missing table, column, schema or enum; a duplicate name; a foreign
 * key without a unique key to reference; dropping a table, column, key or enum something else
 * still depends on; an alter or comment whose `from`/`previous` is not what is there. It catches
 * ordering mistakes and wrong `definition`/`from` fields in compare output without a database.
 * The schemas that exist are those of `start`'s objects and `schemas` (a snapshot has no list of
 * empty schemas).
 */
export function applyOps(
  start: SchemaSnapshot,
  ops: readonly MigrationOp[],
  schemas: Iterable<string> = [],
): SchemaSnapshot {
  const state = new State(start, schemas)
  for (const op of ops) state.apply(op)
  return state.snapshot()
}

/** An operation PostgreSQL would refuse. */
export class SimulatedDatabaseError extends Error {}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type MutableTable = Mutable<TableDef>

const key = (schema: string | undefined, name: string) => `${schema ?? 'public'}.${name}`

class State {
  readonly #tables: MutableTable[]
  readonly #enums: Mutable<EnumDef>[]
  readonly #schemas = new Set<string | undefined>([undefined])
  readonly #code: CodeObjectState
  readonly #objects: SchemaObjectState

  constructor(start: SchemaSnapshot, schemas: Iterable<string>) {
    this.#code = new CodeObjectState(start)
    this.#objects = new SchemaObjectState(start)
    const objects = this.#objects.snapshot()
    for (const object of [
      ...objects.sequences,
      ...objects.domains,
      ...objects.compositeTypes,
      ...objects.extensions,
    ]) {
      this.#schemas.add(object.schema)
    }
    for (const schema of schemas) this.#schemas.add(schema)
    this.#tables = start.tables.map((t) => ({ ...t }))
    this.#enums = start.enums.map((e) => ({ ...e }))
    for (const object of [...start.tables, ...start.enums]) this.#schemas.add(object.schema)
  }

  snapshot(): SchemaSnapshot {
    return {
      tables: this.#tables.map((t) => ({ ...t })),
      enums: this.#enums.map((e) => ({ ...e })),
      ...this.#code.snapshot(),
      ...this.#objects.snapshot(),
    }
  }

  apply(op: MigrationOp): void {
    const fail = (message: string): never => {
      throw new SimulatedDatabaseError(`${op.kind}: ${message}`)
    }
    if (isSchemaObjectOp(op)) {
      this.#objects.apply(op, { tables: this.#tables, schemas: this.#schemas }, fail)
      return
    }
    if (isCodeObjectOp(op)) {
      if ('view' in op && op.kind !== 'replaceView') this.#requireSchema(op.view.schema, fail)
      this.#code.apply(op, (schema, name) => this.#findTable(schema, name) !== undefined, fail)
      return
    }
    switch (op.kind) {
      case 'createSchema':
        if (this.#schemas.has(op.name) && !op.ifNotExists) fail(`schema ${op.name} exists`)
        this.#schemas.add(op.name)
        return
      case 'dropSchema':
        if (
          this.#tables.some((t) => t.schema === op.name) ||
          this.#enums.some((e) => e.schema === op.name)
        ) {
          fail(`schema ${op.name} is not empty`)
        }
        this.#schemas.delete(op.name)
        return
      case 'createTable': {
        const t = op.table
        this.#requireSchema(t.schema, fail)
        if (this.#findTable(t.schema, t.name)) fail(`table ${key(t.schema, t.name)} exists`)
        for (const c of t.columns) this.#requireType(c.type, fail)
        const table: MutableTable = { ...t, foreignKeys: [], indexes: [] }
        for (const name of constraintNames(table)) this.#requireFreeRelation(t.schema, name, fail)
        this.#requireFreeRelation(t.schema, t.name, fail)
        this.#tables.push(table)
        this.#checkColumns(table, fail)
        for (const fk of t.foreignKeys) this.#addForeignKey(table, fk, fail)
        for (const index of t.indexes) this.#addIndex(table, index, fail)
        return
      }
      case 'dropTable': {
        const table = this.#table(op.schema, op.name, fail)
        for (const other of this.#tables) {
          if (other === table) continue
          for (const fk of other.foreignKeys) {
            if (key(fk.referencedSchema, fk.referencedTable) === key(table.schema, table.name)) {
              fail(`${fk.name} on ${other.name} references ${table.name}`)
            }
          }
        }
        this.#code.requireUnused(table.schema, table.name, undefined, fail)
        this.#code.dropTriggersOn(table.schema, table.name)
        this.#objects.dropOwnedBy(table.schema, table.name)
        this.#tables.splice(this.#tables.indexOf(table), 1)
        return
      }
      case 'renameTable': {
        const table = this.#table(op.schema, op.from, fail)
        if (this.#findTable(op.schema, op.to)) fail(`table ${op.to} exists`)
        for (const t of this.#tables) {
          t.foreignKeys = t.foreignKeys.map((fk) =>
            key(fk.referencedSchema, fk.referencedTable) === key(op.schema, op.from)
              ? { ...fk, referencedTable: op.to }
              : fk,
          )
        }
        this.#objects.renameOwner(op.schema, op.from, { table: op.to })
        table.name = op.to
        this.#code.renameTable(op.schema, op.from, op.to)
        return
      }
      case 'addColumn': {
        const table = this.#table(op.schema, op.table, fail)
        if (table.columns.some((c) => c.name === op.column.name))
          fail(`column ${op.column.name} exists`)
        this.#requireType(op.column.type, fail)
        table.columns = [...table.columns, op.column]
        return
      }
      case 'dropColumn': {
        const table = this.#table(op.schema, op.table, fail)
        if (!table.columns.some((c) => c.name === op.column)) fail(`no column ${op.column}`)
        this.#code.requireUnused(op.schema, op.table, op.column, fail)
        this.#objects.dropOwnedBy(op.schema, op.table, op.column)
        for (const other of this.#tables) {
          if (other === table) continue
          for (const fk of other.foreignKeys) {
            if (
              key(fk.referencedSchema, fk.referencedTable) === key(table.schema, table.name) &&
              fk.referencedColumns.includes(op.column)
            ) {
              fail(`${fk.name} on ${other.name} references ${table.name}.${op.column}`)
            }
          }
        }
        // PostgreSQL drops the indexes and constraints of the table that involve the column.
        const uses = (columns: readonly string[]) => columns.includes(op.column)
        const mentions = (sql: string | undefined) =>
          sql !== undefined && tokenizeSql(sql).some((t) => t.text.toLowerCase() === op.column)
        table.columns = table.columns.filter((c) => c.name !== op.column)
        if (table.primaryKey && uses(table.primaryKey.columns)) table.primaryKey = undefined
        table.foreignKeys = table.foreignKeys.filter((fk) => !uses(fk.columns))
        table.uniques = table.uniques.filter((u) => !uses(u.columns))
        table.checks = table.checks.filter((c) => !mentions(c.expression))
        if (table.exclusions !== undefined) {
          const exclusions = table.exclusions.filter(
            (x) => !x.elements.some((e) => e.column === op.column || mentions(e.expression)),
          )
          table.exclusions = exclusions.length === 0 ? undefined : exclusions
        }
        table.indexes = table.indexes.filter(
          (i) =>
            !uses(i.include) &&
            !mentions(i.where) &&
            !i.elements.some((e) => e.column === op.column || mentions(e.expression)),
        )
        return
      }
      case 'alterColumn': {
        const table = this.#table(op.schema, op.table, fail)
        const index = table.columns.findIndex((c) => c.name === op.column)
        if (index < 0) fail(`no column ${op.column} in ${op.table}`)
        let column = table.columns[index]!
        const { type, nullable, default: def, comment, name } = op.changes
        if (type) {
          this.#code.requireUnused(op.schema, op.table, op.column, fail)
          if (type.from !== undefined && !sameJson(type.from, column.type)) {
            fail(`type from ${JSON.stringify(type.from)} but it is ${JSON.stringify(column.type)}`)
          }
          this.#requireType(type.to, fail)
          column = { ...column, type: type.to }
        }
        if (nullable) {
          if (nullable.from !== undefined && nullable.from !== column.nullable)
            fail('nullable from')
          column = { ...column, nullable: nullable.to }
        }
        if (def) {
          const current = column.default ?? null
          if (def.from !== undefined && !sameDefault(def.from, current)) {
            fail(`default from ${JSON.stringify(def.from)} but it is ${JSON.stringify(current)}`)
          }
          column = { ...column, default: def.to ?? undefined }
        }
        if (comment) {
          if (comment.from !== undefined && comment.from !== (column.comment ?? null)) {
            fail(`comment from ${comment.from} but it is ${column.comment}`)
          }
          column = { ...column, comment: comment.to ?? undefined }
        }
        const collation = op.changes.collation
        if (collation) {
          if (collation.from !== undefined && collation.from !== (column.collation ?? null)) {
            fail(`collation from ${collation.from} but it is ${column.collation}`)
          }
          const { collation: _, ...rest } = column
          column = collation.to === null ? rest : { ...rest, collation: collation.to }
        }
        const columns = [...table.columns]
        columns[index] = column
        table.columns = columns
        if (name && name.to !== op.column) {
          if (table.columns.some((c) => c.name === name.to)) fail(`column ${name.to} exists`)
          this.#renameColumn(table, op.column, name.to)
          this.#code.renameColumn(op.schema, op.table, op.column, name.to)
          this.#objects.renameOwner(op.schema, op.table, { column: [op.column, name.to] })
        }
        return
      }
      case 'createIndex': {
        if (!this.#findTable(op.schema, op.table) && this.#code.view(op.schema, op.table)) {
          if (!this.#code.addIndex(op.schema, op.table, op.index)) fail(`${op.table} is a view`)
          return
        }
        const table = this.#table(op.schema, op.table, fail)
        if (op.ifNotExists && this.#findIndex(op.schema, op.index.name)) return
        this.#addIndex(table, op.index, fail)
        return
      }
      case 'dropIndex': {
        if (!this.#findIndex(op.schema, op.name) && this.#code.dropIndex(op.schema, op.name)) return
        if (op.ifExists && !this.#findIndex(op.schema, op.name)) return
        const table = this.#findIndex(op.schema, op.name) ?? fail(`no index ${op.name}`)
        const index = table.indexes.find((i) => i.name === op.name)!
        if (index.unique && index.where === undefined)
          this.#requireUnreferenced(table, columnsOf(index), fail)
        table.indexes = table.indexes.filter((i) => i !== index)
        return
      }
      case 'createForeignKey':
        this.#addForeignKey(this.#table(op.schema, op.table, fail), op.foreignKey, fail)
        return
      case 'createUniqueConstraint': {
        const table = this.#table(op.schema, op.table, fail)
        this.#requireColumns(table, op.unique.columns, fail)
        if (op.usingIndex !== undefined) {
          // The constraint takes the index over (and its name).
          const index =
            table.indexes.find((i) => i.name === op.usingIndex && i.unique && !i.where) ??
            fail(`no plain unique index ${op.usingIndex} on ${op.table}`)
          if (columnsOf(index).join() !== op.unique.columns.join()) {
            fail(`index ${op.usingIndex} does not cover ${op.unique.columns.join(', ')}`)
          }
          table.indexes = table.indexes.filter((i) => i !== index)
        }
        this.#requireFreeConstraint(table, op.unique.name, fail)
        table.uniques = [...table.uniques, op.unique]
        return
      }
      case 'validateConstraint': {
        const table = this.#table(op.schema, op.table, fail)
        const names = [...table.foreignKeys, ...table.checks].map((c) => c.name)
        if (!names.includes(op.name)) fail(`no foreign key or check ${op.name} on ${op.table}`)
        return
      }
      case 'createCheckConstraint': {
        const table = this.#table(op.schema, op.table, fail)
        this.#requireFreeConstraint(table, op.check.name, fail)
        table.checks = [...table.checks, op.check]
        return
      }
      case 'createPrimaryKey': {
        const table = this.#table(op.schema, op.table, fail)
        if (table.primaryKey) fail(`${table.name} has a primary key`)
        this.#requireColumns(table, op.primaryKey.columns, fail)
        this.#requireFreeConstraint(table, op.primaryKey.name, fail)
        table.primaryKey = op.primaryKey
        // ADD PRIMARY KEY sets NOT NULL on its columns (manual, ALTER TABLE).
        table.columns = table.columns.map((c) =>
          op.primaryKey.columns.includes(c.name) ? { ...c, nullable: false } : c,
        )
        return
      }
      case 'dropConstraint': {
        const table = this.#table(op.schema, op.table, fail)
        if (table.primaryKey?.name === op.name) {
          this.#requireUnreferenced(table, table.primaryKey.columns, fail)
          this.#requireDefinition(op, { type: 'primaryKey', definition: table.primaryKey }, fail)
          table.primaryKey = undefined
        } else if (table.uniques.some((u) => u.name === op.name)) {
          const u = table.uniques.find((x) => x.name === op.name)!
          this.#requireUnreferenced(table, u.columns, fail)
          this.#requireDefinition(op, { type: 'unique', definition: u }, fail)
          table.uniques = table.uniques.filter((x) => x !== u)
        } else if (table.foreignKeys.some((f) => f.name === op.name)) {
          const f = table.foreignKeys.find((x) => x.name === op.name)!
          this.#requireDefinition(op, { type: 'foreignKey', definition: f }, fail)
          table.foreignKeys = table.foreignKeys.filter((x) => x !== f)
        } else if (table.checks.some((c) => c.name === op.name)) {
          const c = table.checks.find((x) => x.name === op.name)!
          this.#requireDefinition(op, { type: 'check', definition: c }, fail)
          table.checks = table.checks.filter((x) => x !== c)
        } else if (table.exclusions?.some((x) => x.name === op.name)) {
          const x = table.exclusions.find((e) => e.name === op.name)!
          this.#requireDefinition(op, { type: 'exclusion', definition: x }, fail)
          const rest = table.exclusions.filter((e) => e !== x)
          table.exclusions = rest.length === 0 ? undefined : rest
        } else if (!op.ifExists) {
          fail(`no constraint ${op.name} on ${op.table}`)
        }
        return
      }
      case 'createExclusionConstraint': {
        const table = this.#table(op.schema, op.table, fail)
        this.#requireFreeConstraint(table, op.exclusion.name, fail)
        table.exclusions = [...(table.exclusions ?? []), op.exclusion]
        return
      }
      case 'createPartition':
      case 'dropPartition':
      case 'attachPartition':
      case 'detachPartition': {
        const parent = this.#table(op.schema, op.table, fail)
        applyPartitionOp(
          parent,
          op,
          {
            taken: (schema, name) =>
              this.#findTable(schema, name) !== undefined ||
              findPartition(this.#tables, schema, name) !== undefined,
            takeTable: (schema, name) => {
              const table = this.#table(schema, name, fail)
              this.#tables.splice(this.#tables.indexOf(table), 1)
              return table.comment
            },
            addTable: (table) => this.#tables.push({ ...table }),
            parentTable: parent,
          },
          fail,
        )
        return
      }
      case 'createEnum':
        this.#requireSchema(op.enum.schema, fail)
        if (this.#findEnum(op.enum.schema, op.enum.name)) fail(`enum ${op.enum.name} exists`)
        this.#enums.push({ ...op.enum })
        return
      case 'dropEnum': {
        const e = this.#findEnum(op.schema, op.name) ?? fail(`no enum ${op.name}`)
        for (const t of this.#tables) {
          for (const c of t.columns) {
            if (usesEnum(c.type, op.schema, op.name)) fail(`${t.name}.${c.name} uses ${op.name}`)
          }
        }
        if (
          op.definition &&
          !sameJson(op.definition, { schema: e.schema, name: e.name, values: e.values })
        ) {
          fail('definition differs')
        }
        this.#enums.splice(this.#enums.indexOf(e), 1)
        return
      }
      case 'addEnumValue': {
        const e = this.#findEnum(op.schema, op.enum) ?? fail(`no enum ${op.enum}`)
        if (e.values.includes(op.value)) {
          if (op.ifNotExists) return
          fail(`value ${op.value} exists`)
        }
        const values = [...e.values]
        if (op.before !== undefined) {
          const at = values.indexOf(op.before)
          if (at < 0) fail(`no value ${op.before}`)
          values.splice(at, 0, op.value)
        } else if (op.after !== undefined) {
          const at = values.indexOf(op.after)
          if (at < 0) fail(`no value ${op.after}`)
          values.splice(at + 1, 0, op.value)
        } else {
          values.push(op.value)
        }
        e.values = values
        return
      }
      case 'renameEnumValue': {
        const e = this.#findEnum(op.schema, op.enum) ?? fail(`no enum ${op.enum}`)
        e.values = e.values.map((v) => (v === op.from ? op.to : v))
        return
      }
      case 'createTableComment': {
        const table = this.#commented(op.schema, op.table, fail)
        if (op.previous !== undefined && op.previous !== (table.comment ?? null))
          fail('previous comment')
        table.comment = op.comment
        return
      }
      case 'dropTableComment': {
        const table = this.#commented(op.schema, op.table, fail)
        if (op.previous !== undefined && op.previous !== table.comment) fail('previous comment')
        table.comment = undefined
        return
      }
      case 'alterTableOptions': {
        const table = this.#table(op.schema, op.table, fail)
        table.engineOptions = engineOptionsOf(op.table, {
          ...table.engineOptions,
          ...Object.fromEntries(
            Object.entries(op.options).map(([engine, bag]) => [
              engine,
              { ...table.engineOptions?.[engine as keyof EngineTableOptions], ...bag },
            ]),
          ),
        })
        return
      }
      case 'batchAlterTable':
        for (const inner of op.ops) this.apply(inner)
        return
      case 'execute':
      case 'bulkInsert':
        fail('not simulated')
        return
      default:
        assertNever(op)
    }
  }

  /** A table, or a partition (whose comment is written back to its parent's list). */
  #commented(
    schema: string | undefined,
    name: string,
    fail: (m: string) => never,
  ): { comment: string | undefined } {
    const found = findPartition(this.#tables, schema, name)
    if (found === undefined) return this.#table(schema, name, fail)
    const { table, partition } = found
    const holder = { ...partition }
    return {
      get comment() {
        return holder.comment
      },
      set comment(value) {
        holder.comment = value
        table.partitions = table.partitions?.map((p) => (p === partition ? { ...holder } : p))
      },
    } as { comment: string | undefined }
  }

  #findTable(schema: string | undefined, name: string): MutableTable | undefined {
    return this.#tables.find((t) => t.schema === schema && t.name === name)
  }

  /** The table that holds index `name` of `schema`, if any. */
  #findIndex(schema: string | undefined, name: string): MutableTable | undefined {
    return this.#tables.find((t) => t.schema === schema && t.indexes.some((i) => i.name === name))
  }

  #table(schema: string | undefined, name: string, fail: (m: string) => never): MutableTable {
    return this.#findTable(schema, name) ?? fail(`no table ${key(schema, name)}`)
  }

  #findEnum(schema: string | undefined, name: string): Mutable<EnumDef> | undefined {
    return this.#enums.find((e) => e.schema === schema && e.name === name)
  }

  #requireSchema(schema: string | undefined, fail: (m: string) => never): void {
    if (!this.#schemas.has(schema)) fail(`no schema ${schema}`)
  }

  #requireType(type: ColumnType, fail: (m: string) => never): void {
    if (type.kind === 'array') this.#requireType(type.element, fail)
    if (type.kind === 'enum' && !this.#findEnum(type.schema, type.name))
      fail(`no enum ${type.name}`)
  }

  #requireColumns(table: TableDef, columns: readonly string[], fail: (m: string) => never): void {
    for (const c of columns) {
      if (!table.columns.some((x) => x.name === c)) fail(`no column ${table.name}.${c}`)
    }
  }

  #checkColumns(table: TableDef, fail: (m: string) => never): void {
    if (table.primaryKey) this.#requireColumns(table, table.primaryKey.columns, fail)
    for (const u of table.uniques) this.#requireColumns(table, u.columns, fail)
  }

  /** Index, primary key and unique names share the schema's namespace with tables. */
  #requireFreeRelation(
    schema: string | undefined,
    name: string | undefined,
    fail: (m: string) => never,
  ): void {
    if (name === undefined) return
    for (const t of this.#tables) {
      if (t.schema !== schema) continue
      if (
        t.name === name ||
        constraintNames(t).includes(name) ||
        t.indexes.some((i) => i.name === name)
      ) {
        fail(`relation ${name} exists`)
      }
    }
  }

  #requireFreeConstraint(
    table: TableDef,
    name: string | undefined,
    fail: (m: string) => never,
  ): void {
    if (name === undefined) return
    const taken = [
      ...constraintNames(table),
      ...table.foreignKeys.map((f) => f.name),
      ...table.checks.map((c) => c.name),
    ]
    if (taken.includes(name)) fail(`constraint ${name} exists on ${table.name}`)
    this.#requireFreeRelation(table.schema, name, fail)
  }

  #addIndex(table: MutableTable, index: IndexDef, fail: (m: string) => never): void {
    this.#requireFreeRelation(table.schema, index.name, fail)
    this.#requireColumns(
      table,
      [
        ...index.include,
        ...index.elements.flatMap((e) => (e.column === undefined ? [] : [e.column])),
      ],
      fail,
    )
    table.indexes = [...table.indexes, index]
  }

  #addForeignKey(table: MutableTable, fk: ForeignKeyDef, fail: (m: string) => never): void {
    this.#requireColumns(table, fk.columns, fail)
    if (fk.name !== undefined && table.foreignKeys.some((f) => f.name === fk.name)) {
      fail(`constraint ${fk.name} exists`)
    }
    const target = this.#table(fk.referencedSchema, fk.referencedTable, fail)
    this.#requireColumns(target, fk.referencedColumns, fail)
    if (!keyColumnSets(target).some((k) => sameSet(k, fk.referencedColumns))) {
      fail(`no unique key on ${target.name} (${fk.referencedColumns.join(', ')}) for ${fk.name}`)
    }
    table.foreignKeys = [...table.foreignKeys, fk]
  }

  /** A key foreign keys reference cannot be dropped (without CASCADE). */
  #requireUnreferenced(
    table: TableDef,
    columns: readonly string[],
    fail: (m: string) => never,
  ): void {
    for (const other of this.#tables) {
      for (const fk of other.foreignKeys) {
        if (
          key(fk.referencedSchema, fk.referencedTable) === key(table.schema, table.name) &&
          sameSet(fk.referencedColumns, columns)
        ) {
          fail(
            `${fk.name} on ${other.name} depends on the key (${columns.join(', ')}) of ${table.name}`,
          )
        }
      }
    }
  }

  #requireDefinition(
    op: Extract<MigrationOp, { kind: 'dropConstraint' }>,
    actual: unknown,
    fail: (m: string) => never,
  ): void {
    // Validity is not simulated.
    const definition =
      op.definition === undefined
        ? undefined
        : { type: op.definition.type, definition: op.definition.definition }
    if (definition !== undefined && !sameJson(definition, actual)) {
      fail(`definition ${JSON.stringify(op.definition)} but it is ${JSON.stringify(actual)}`)
    }
  }

  #renameColumn(table: MutableTable, from: string, to: string): void {
    const r = (c: string) => (c === from ? to : c)
    const renames = new Map([[from, to]])
    table.columns = table.columns.map((c) => (c.name === from ? { ...c, name: to } : c))
    if (table.primaryKey)
      table.primaryKey = { ...table.primaryKey, columns: table.primaryKey.columns.map(r) }
    table.foreignKeys = table.foreignKeys.map((f) => ({ ...f, columns: f.columns.map(r) }))
    table.uniques = table.uniques.map((u) => ({ ...u, columns: u.columns.map(r) }))
    table.checks = table.checks.map((c) => ({
      ...c,
      expression: renameSqlIdentifiers(c.expression, renames),
    }))
    table.indexes = table.indexes.map((i) => ({
      ...i,
      elements: i.elements.map((e) => ({
        ...e,
        column: e.column === undefined ? undefined : r(e.column),
        expression:
          e.expression === undefined ? undefined : renameSqlIdentifiers(e.expression, renames),
      })),
      where: i.where === undefined ? undefined : renameSqlIdentifiers(i.where, renames),
      include: i.include.map(r),
    }))
    for (const other of this.#tables) {
      other.foreignKeys = other.foreignKeys.map((f) =>
        key(f.referencedSchema, f.referencedTable) === key(table.schema, table.name)
          ? { ...f, referencedColumns: f.referencedColumns.map(r) }
          : f,
      )
    }
  }
}

function constraintNames(table: TableDef): (string | undefined)[] {
  return [table.primaryKey?.name, ...table.uniques.map((u) => u.name)]
}

function keyColumnSets(table: TableDef): (readonly string[])[] {
  const sets: (readonly string[])[] = table.uniques.map((u) => u.columns)
  if (table.primaryKey) sets.push(table.primaryKey.columns)
  for (const index of table.indexes) {
    if (index.unique && index.where === undefined && index.elements.every((e) => e.column)) {
      sets.push(columnsOf(index))
    }
  }
  return sets
}

function columnsOf(index: IndexDef): readonly string[] {
  return index.elements.map((e) => e.column ?? `(${e.expression})`)
}

function usesEnum(type: ColumnType, schema: string | undefined, name: string): boolean {
  if (type.kind === 'array') return usesEnum(type.element, schema, name)
  return type.kind === 'enum' && type.schema === schema && type.name === name
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
}

function sameJson(a: unknown, b: unknown): boolean {
  return literalsEqual(
    JSON.parse(JSON.stringify(a) ?? 'null'),
    JSON.parse(JSON.stringify(b) ?? 'null'),
  )
}

function sameDefault(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b
  const x = a as { kind: string; sql?: string; value?: unknown }
  const y = b as { kind: string; sql?: string; value?: unknown }
  if (x.kind === 'sql' && y.kind === 'sql') return canonicalSql(x.sql!) === canonicalSql(y.sql!)
  return x.kind === y.kind && literalsEqual(x.value, y.value)
}
