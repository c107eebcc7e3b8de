import type { Comparator } from '../dialect/comparator.ts'
import type {
  CheckDef,
  ExclusionDef,
  ForeignKeyDef,
  IndexDef,
  IndexElement,
  PrimaryKeyDef,
  ReferentialAction,
  UniqueDef,
} from '../schema/schema-snapshot.ts'

// Equality of constraint and index definitions, names aside (they are matched by name first).
// The model side should be in the database's spelling (normalized models) for the expressions of
// checks and indexes to compare; the comparator decides when two expressions are one.

/** Same columns, in the same order. */
export function primaryKeysEqual(a: PrimaryKeyDef, b: PrimaryKeyDef): boolean {
  return sameList(a.columns, b.columns)
}

/**
 * Same columns, referenced schema, table and columns, actions (undefined = `NO ACTION`, the
 * default, manual CREATE TABLE) and deferrability.
 */
export function foreignKeysEqual(a: ForeignKeyDef, b: ForeignKeyDef): boolean {
  return (
    sameList(a.columns, b.columns) &&
    a.referencedSchema === b.referencedSchema &&
    a.referencedTable === b.referencedTable &&
    sameList(a.referencedColumns, b.referencedColumns) &&
    action(a.onDelete) === action(b.onDelete) &&
    action(a.onUpdate) === action(b.onUpdate) &&
    a.deferrable === b.deferrable &&
    a.initiallyDeferred === b.initiallyDeferred
  )
}

/** Same columns in the same order, same `NULLS NOT DISTINCT`. */
export function uniquesEqual(a: UniqueDef, b: UniqueDef): boolean {
  return sameList(a.columns, b.columns) && a.nullsNotDistinct === b.nullsNotDistinct
}

/** The same boolean expression. */
export function checksEqual(a: CheckDef, b: CheckDef, comparator: Comparator): boolean {
  return comparator.sqlEquivalent(a.expression, b.expression)
}

/**
 * Same elements (column or expression, order, nulls placement, operator class), uniqueness,
 * method (undefined = btree), predicate and included columns.
 */
export function indexesEqual(a: IndexDef, b: IndexDef, comparator: Comparator): boolean {
  return (
    a.unique === b.unique &&
    method(a.method) === method(b.method) &&
    comparator.sqlEquivalent(a.where, b.where) &&
    sameList(a.include, b.include) &&
    a.elements.length === b.elements.length &&
    a.elements.every((element, i) => elementsEqual(element, b.elements[i]!, comparator))
  )
}

/**
 * Same elements and operators, method, predicate, included columns and deferrability: the
 * constraint's index compared as an index, the rest as written.
 */
export function exclusionsEqual(a: ExclusionDef, b: ExclusionDef, comparator: Comparator): boolean {
  const asIndex = (e: ExclusionDef): IndexDef => ({ ...e, name: '', unique: false })
  return (
    indexesEqual(asIndex(a), asIndex(b), comparator) &&
    sameList(
      a.elements.map((e) => e.operator),
      b.elements.map((e) => e.operator),
    ) &&
    a.deferrable === b.deferrable &&
    a.initiallyDeferred === b.initiallyDeferred
  )
}

function elementsEqual(a: IndexElement, b: IndexElement, comparator: Comparator): boolean {
  return (
    a.column === b.column &&
    comparator.sqlEquivalent(a.expression, b.expression) &&
    order(a) === order(b) &&
    nulls(a) === nulls(b) &&
    a.opclass?.toLowerCase() === b.opclass?.toLowerCase()
  )
}

function action(value: ReferentialAction | undefined): ReferentialAction {
  return value ?? 'no action'
}

function method(value: string | undefined): string {
  return (value ?? 'btree').toLowerCase()
}

function order(element: IndexElement): 'asc' | 'desc' {
  return element.order ?? 'asc'
}

/** NULLS LAST is the default for ASC, NULLS FIRST for DESC (manual 11.4 "Indexes and ORDER BY"). */
function nulls(element: IndexElement): 'first' | 'last' {
  return element.nulls ?? (order(element) === 'desc' ? 'first' : 'last')
}

/** Same strings in the same order. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}
