import {
  columnConstraints,
  type Fields,
  fieldsIf,
  list,
  nameListKey,
  nodeOf,
  qualify,
  relationKey,
  str,
  type TypeInfo,
  typeInfo,
} from './ast.ts'

/** What lint knows of a column from the statements it has read. */
export interface ColumnState {
  readonly type: TypeInfo
  readonly notNull: boolean
}

/** What lint knows of a table: its columns, and which migration created it. */
export interface TableState {
  readonly columns: Map<string, ColumnState>
  readonly createdIn: string
}

/** A foreign key: its name, and the table it references. */
interface ForeignKeyState {
  readonly name: string | undefined
  readonly referenced: string
}

/**
 * The schema as the migrations build it, read from their statements from base on: which tables
 * exist and since when, column types (to tell a rewriting type change from a free one), foreign
 * keys (dropping one locks the referenced table too), and validated `CHECK (col IS NOT NULL)`
 * constraints (which make `SET NOT NULL` skip its scan). It is a model, not the truth: objects made
 * outside migrations are unknown, and rules treat unknown tables as existing ones.
 */
export class SchemaState {
  readonly #tables = new Map<string, TableState>()
  /** table → columns proven NOT NULL by a validated check. */
  readonly #notNullProofs = new Map<string, Set<string>>()
  /** `table/constraint` → column, for `CHECK (col IS NOT NULL) NOT VALID` awaiting validation. */
  readonly #pendingProofs = new Map<string, string>()
  /** `table/constraint` → column, for validated ones (so a drop removes the proof). */
  readonly #proofNames = new Map<string, string>()
  readonly #indexes = new Map<string, string>()
  readonly #foreignKeys = new Map<string, ForeignKeyState[]>()

  /** The table, when a migration created it. */
  table(key: string): TableState | undefined {
    return this.#tables.get(key)
  }

  /** True when the table exists and was created by an earlier migration than `revision`. */
  existsBefore(key: string, revision: string): boolean {
    const table = this.#tables.get(key)
    return table === undefined || table.createdIn !== revision
  }

  /** True when a validated check proves the column holds no NULL. */
  provenNotNull(table: string, column: string): boolean {
    return this.#notNullProofs.get(table)?.has(column) ?? false
  }

  /** The table an index belongs to, when known. */
  tableOfIndex(key: string): string | undefined {
    return this.#indexes.get(key)
  }

  /** Tables the table's foreign keys reference (named `constraint` only, when given). */
  referencedBy(table: string, constraint?: string): readonly string[] {
    return (this.#foreignKeys.get(table) ?? [])
      .filter((fk) => constraint === undefined || fk.name === constraint)
      .map((fk) => fk.referenced)
      .filter((referenced) => referenced !== table)
  }

  /** Updates the model with one statement of migration `revision`. */
  apply(ast: unknown, revision: string): void {
    const [type, fields] = nodeOf(ast)
    switch (type) {
      case 'CreateStmt':
        this.#createTable(fields, revision)
        break
      case 'CreateTableAsStmt': {
        // CREATE MATERIALIZED VIEW (and CREATE TABLE AS): a new relation, indexed like a table.
        const into = (fields.into ?? {}) as Fields
        this.#tables.set(relationKey(into.rel), { columns: new Map(), createdIn: revision })
        break
      }
      case 'AlterTableStmt':
        this.#alterTable(fields)
        break
      case 'IndexStmt': {
        const table = relationKey(fields.relation)
        const name = str(fields.idxname)
        if (name !== undefined) this.#indexes.set(qualify(schemaOf(table), name), table)
        break
      }
      case 'RenameStmt':
        this.#rename(fields)
        break
      case 'DropStmt':
        this.#drop(fields)
        break
    }
  }

  #createTable(fields: Fields, revision: string): void {
    const key = relationKey(fields.relation)
    const columns = new Map<string, ColumnState>()
    this.#tables.set(key, { columns, createdIn: revision })
    for (const element of list(fields.tableElts)) {
      const column = fieldsIf(element, 'ColumnDef')
      if (column !== undefined) {
        this.#addColumn(key, column)
        continue
      }
      const constraint = fieldsIf(element, 'Constraint')
      if (constraint !== undefined) this.#addConstraint(key, constraint)
    }
  }

  #addColumn(table: string, column: Fields): void {
    const name = str(column.colname) ?? ''
    const constraints = columnConstraints(column)
    const notNull = constraints.some((c) =>
      ['CONSTR_NOTNULL', 'CONSTR_PRIMARY', 'CONSTR_IDENTITY'].includes(String(c.contype)),
    )
    this.#tables.get(table)?.columns.set(name, { type: typeInfo(column.typeName), notNull })
    for (const constraint of constraints) {
      if (constraint.contype === 'CONSTR_FOREIGN') {
        this.#addForeignKey(table, str(constraint.conname), constraint)
      }
    }
  }

  #addConstraint(table: string, constraint: Fields): void {
    const name = str(constraint.conname)
    if (constraint.contype === 'CONSTR_FOREIGN') this.#addForeignKey(table, name, constraint)
    if (constraint.contype === 'CONSTR_CHECK' && name !== undefined) {
      const column = notNullTestColumn(constraint.raw_expr)
      if (column === undefined) return
      if (constraint.skip_validation === true) this.#pendingProofs.set(`${table}/${name}`, column)
      else this.#prove(table, name, column)
    }
  }

  #addForeignKey(table: string, name: string | undefined, constraint: Fields): void {
    const list = this.#foreignKeys.get(table) ?? []
    list.push({ name, referenced: relationKey(constraint.pktable) })
    this.#foreignKeys.set(table, list)
  }

  #prove(table: string, name: string, column: string): void {
    const proofs = this.#notNullProofs.get(table) ?? new Set<string>()
    proofs.add(column)
    this.#notNullProofs.set(table, proofs)
    this.#proofNames.set(`${table}/${name}`, column)
  }

  #alterTable(fields: Fields): void {
    const table = relationKey(fields.relation)
    for (const item of list(fields.cmds)) {
      const cmd = fieldsIf(item, 'AlterTableCmd')
      if (cmd === undefined) continue
      const name = str(cmd.name) ?? ''
      const columns = this.#tables.get(table)?.columns
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const column = fieldsIf(cmd.def, 'ColumnDef')
          if (column !== undefined) this.#addColumn(table, column)
          break
        }
        case 'AT_DropColumn':
          columns?.delete(name)
          break
        case 'AT_AlterColumnType': {
          const column = fieldsIf(cmd.def, 'ColumnDef')
          const existing = columns?.get(name)
          if (column !== undefined && existing !== undefined) {
            columns?.set(name, { ...existing, type: typeInfo(column.typeName) })
          }
          break
        }
        case 'AT_SetNotNull':
        case 'AT_DropNotNull': {
          const existing = columns?.get(name)
          if (existing !== undefined) {
            columns?.set(name, { ...existing, notNull: cmd.subtype === 'AT_SetNotNull' })
          }
          break
        }
        case 'AT_AddConstraint': {
          const constraint = fieldsIf(cmd.def, 'Constraint')
          if (constraint !== undefined) this.#addConstraint(table, constraint)
          break
        }
        case 'AT_ValidateConstraint': {
          const column = this.#pendingProofs.get(`${table}/${name}`)
          if (column !== undefined) this.#prove(table, name, column)
          break
        }
        case 'AT_DropConstraint': {
          const column = this.#proofNames.get(`${table}/${name}`)
          if (column !== undefined) this.#notNullProofs.get(table)?.delete(column)
          this.#foreignKeys.set(
            table,
            (this.#foreignKeys.get(table) ?? []).filter((fk) => fk.name !== name),
          )
          break
        }
      }
    }
  }

  #rename(fields: Fields): void {
    const newName = str(fields.newname) ?? ''
    if (fields.renameType === 'OBJECT_TABLE') {
      const key = relationKey(fields.relation)
      const table = this.#tables.get(key)
      if (table === undefined) return
      this.#tables.delete(key)
      this.#tables.set(qualify(schemaOf(key), newName), table)
    } else if (fields.renameType === 'OBJECT_COLUMN') {
      const columns = this.#tables.get(relationKey(fields.relation))?.columns
      const column = columns?.get(str(fields.subname) ?? '')
      if (columns === undefined || column === undefined) return
      columns.delete(str(fields.subname) ?? '')
      columns.set(newName, column)
    }
  }

  #drop(fields: Fields): void {
    for (const object of list(fields.objects)) {
      const key = nameListKey(fieldsIf(object, 'List')?.items)
      if (fields.removeType === 'OBJECT_TABLE') {
        this.#tables.delete(key)
        this.#foreignKeys.delete(key)
      } else if (fields.removeType === 'OBJECT_INDEX') {
        this.#indexes.delete(key)
      }
    }
  }
}

/** The schema part of a `schema.name` key. */
export function schemaOf(key: string): string {
  return key.slice(0, key.indexOf('.'))
}

/** The column of a `col IS NOT NULL` expression, when the expression is exactly that. */
export function notNullTestColumn(expression: unknown): string | undefined {
  const test = fieldsIf(expression, 'NullTest')
  if (test === undefined || test.nulltesttype !== 'IS_NOT_NULL') return undefined
  const ref = fieldsIf(test.arg, 'ColumnRef')
  const parts = list(ref?.fields).map((f) => str(fieldsIf(f, 'String')?.sval))
  return parts.length === 1 ? parts[0] : undefined
}
