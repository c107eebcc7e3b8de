/**
 * Builds the operations on sequences, domains, composite types and extensions from the model DSL,
 * for the `op` facade (`op.createSequence`, `op.alterDomain`, ...).
 */
import type { CheckConstraint } from '../schema/check.ts'
import type { ColumnBuilder } from '../schema/column-builder.ts'
import {
  COMPOSITE_TYPE_DEF,
  type CompositeType,
  compositeType,
  isCompositeType,
} from '../schema/composite-type.ts'
import { DOMAIN_DEF, type Domain, type DomainOptions, domain, isDomain } from '../schema/domain.ts'
import {
  EXTENSION_DEF,
  type Extension,
  type ExtensionOptions,
  extension,
  isExtension,
} from '../schema/extension.ts'
import { SchemaModelError } from '../schema/schema-model-error.ts'
import type {
  CheckDef,
  ColumnDefault,
  DomainDef,
  LiteralValue,
  SequenceDataType,
  SequenceOwner,
} from '../schema/schema-snapshot.ts'
import {
  isSequence,
  type Sequence,
  type SequenceOptions,
  sequence,
  toSequenceDef,
} from '../schema/sequence.ts'
import { SqlFragment } from '../schema/sql.ts'
import type {
  AlterCompositeTypeOp,
  AlterDomainOp,
  AlterSequenceOp,
  Change,
  CreateCompositeTypeOp,
  CreateDomainOp,
  CreateExtensionOp,
  CreateSequenceOp,
  DomainChanges,
  DropCompositeTypeOp,
  DropDomainOp,
  DropExtensionOp,
  DropSequenceOp,
  SequenceChanges,
} from './migration-op.ts'

/** Options of a drop: `ifExists`, `cascade` (everything that depends on it too — irreversible). */
export interface DropObjectOptions {
  /** Default: the connection's current schema (`public`). */
  readonly schema?: string
  readonly ifExists?: boolean
  readonly cascade?: boolean
}

/**
 * Options of `op.alterSequence`: each option sets that property, `null` resets it to
 * PostgreSQL's default; each `existing*` says what it was (null: the default), needed only to
 * reverse the change.
 */
export interface AlterSequenceOptions {
  readonly schema?: string
  readonly dataType?: SequenceDataType
  readonly existingDataType?: SequenceDataType
  readonly start?: number
  readonly existingStart?: number
  readonly increment?: number
  readonly existingIncrement?: number
  readonly minValue?: number | null
  readonly existingMinValue?: number | null
  readonly maxValue?: number | null
  readonly existingMaxValue?: number | null
  readonly cache?: number
  readonly existingCache?: number
  readonly cycle?: boolean
  readonly existingCycle?: boolean
  /** `'table.column'` in the sequence's schema; null: owned by nothing. */
  readonly ownedBy?: string | null
  readonly existingOwnedBy?: string | null
}

/**
 * Options of `op.alterDomain`: a new default (a value, an `sql` fragment, or null to drop it), NOT
 * NULL, checks to add and checks to drop (by name, or as `check(...)` so that the drop can be
 * reversed); `existing*` say what the default and NOT NULL were, needed only to reverse them.
 */
export interface AlterDomainOptions {
  readonly schema?: string
  readonly default?: LiteralValue | SqlFragment
  readonly existingDefault?: LiteralValue | SqlFragment
  readonly notNull?: boolean
  readonly existingNotNull?: boolean
  readonly addChecks?: readonly CheckConstraint[]
  readonly dropChecks?: readonly (string | CheckConstraint)[]
}

/** `op.createSequence`'s operation. */
export function createSequenceOp(
  nameOrSequence: string | Sequence,
  options: SequenceOptions & { readonly ifNotExists?: boolean } = {},
): CreateSequenceOp {
  const declared = isSequence(nameOrSequence) ? nameOrSequence : sequence(nameOrSequence, options)
  return {
    kind: 'createSequence',
    sequence: toSequenceDef(declared),
    ifNotExists: options.ifNotExists ?? false,
  }
}

/** `op.dropSequence`'s operation; a `sequence(...)` declaration makes it reversible. */
export function dropSequenceOp(
  nameOrSequence: string | Sequence,
  options: DropObjectOptions = {},
): DropSequenceOp {
  const definition = isSequence(nameOrSequence) ? toSequenceDef(nameOrSequence) : undefined
  return { kind: 'dropSequence', ...dropFields(nameOrSequence, definition, options) }
}

/** `op.alterSequence`'s operation. */
export function alterSequenceOp(name: string, options: AlterSequenceOptions): AlterSequenceOp {
  const o = options
  const owner = (value: string | null): SequenceOwner | undefined =>
    value === null ? undefined : ownerOf(value, name)
  const orDefault = (value: number | null): number | undefined =>
    value === null ? undefined : value
  const same = <T>(value: T): T => value
  const changes: SequenceChanges = withoutUndefined({
    dataType: change(o.dataType, o.existingDataType, orBigint),
    start: change(o.start, o.existingStart, same),
    increment: change(o.increment, o.existingIncrement, orOne),
    minValue: change(o.minValue, o.existingMinValue, orDefault),
    maxValue: change(o.maxValue, o.existingMaxValue, orDefault),
    cache: change(o.cache, o.existingCache, orOne),
    cycle: change(o.cycle, o.existingCycle, same),
    ownedBy: change(o.ownedBy, o.existingOwnedBy, owner),
  })
  return { kind: 'alterSequence', schema: options.schema, name, changes }
}

/** A change to `to` (left out when undefined), from `existing` when it is known. */
function change<T, U>(
  to: T | undefined,
  existing: T | undefined,
  convert: (value: T) => U,
): Change<U> | undefined {
  if (to === undefined) return undefined
  return existing === undefined ? { to: convert(to) } : { to: convert(to), from: convert(existing) }
}

/** The object without its undefined properties. */
function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T
}

/** `op.createDomain`'s operation, from a `domain(...)` or a name, base type and options. */
export function createDomainOp(
  nameOrDomain: string | Domain,
  base?: ColumnBuilder,
  options: DomainOptions<unknown> = {},
): CreateDomainOp {
  return { kind: 'createDomain', domain: domainDef(nameOrDomain, base, options) }
}

/** `op.dropDomain`'s operation; a `domain(...)` declaration makes it reversible. */
export function dropDomainOp(
  nameOrDomain: string | Domain,
  options: DropObjectOptions = {},
): DropDomainOp {
  const definition = isDomain(nameOrDomain) ? nameOrDomain[DOMAIN_DEF] : undefined
  return { kind: 'dropDomain', ...dropFields(nameOrDomain, definition, options) }
}

/** `op.alterDomain`'s operation. */
export function alterDomainOp(name: string, options: AlterDomainOptions): AlterDomainOp {
  const changes: { -readonly [K in keyof DomainChanges]: DomainChanges[K] } = {}
  if ('default' in options) {
    changes.default = {
      to: columnDefault(options.default),
      ...('existingDefault' in options ? { from: columnDefault(options.existingDefault) } : {}),
    }
  }
  if (options.notNull !== undefined) {
    changes.notNull = {
      to: options.notNull,
      ...(options.existingNotNull === undefined ? {} : { from: options.existingNotNull }),
    }
  }
  if (options.dropChecks !== undefined && options.dropChecks.length > 0) {
    changes.dropChecks = options.dropChecks.map((check) =>
      typeof check === 'string'
        ? { name: check }
        : { name: check.name, definition: checkDef(check) },
    )
  }
  if (options.addChecks !== undefined && options.addChecks.length > 0) {
    changes.addChecks = options.addChecks.map(checkDef)
  }
  return { kind: 'alterDomain', schema: options.schema, name, changes }
}

/** `op.createCompositeType`'s operation, from a `compositeType(...)` or a name and attributes. */
export function createCompositeTypeOp(
  nameOrType: string | CompositeType,
  attributes?: Readonly<Record<string, ColumnBuilder>>,
  options: { readonly schema?: string } = {},
): CreateCompositeTypeOp {
  const declared = isCompositeType(nameOrType)
    ? nameOrType
    : compositeType(nameOrType, attributes ?? {}, options)
  return { kind: 'createCompositeType', type: declared[COMPOSITE_TYPE_DEF] }
}

/** `op.dropCompositeType`'s operation; a `compositeType(...)` makes it reversible. */
export function dropCompositeTypeOp(
  nameOrType: string | CompositeType,
  options: DropObjectOptions = {},
): DropCompositeTypeOp {
  const definition = isCompositeType(nameOrType) ? nameOrType[COMPOSITE_TYPE_DEF] : undefined
  return { kind: 'dropCompositeType', ...dropFields(nameOrType, definition, options) }
}

/** What `op.alterCompositeType` changes: attributes keyed by name, as `compositeType` takes them. */
export interface CompositeTypeChanges {
  /** Added at the end, in order. */
  readonly addAttributes?: Readonly<Record<string, ColumnBuilder>>
  /** Dropped first; with their types (not just names) the drop can be reversed. */
  readonly dropAttributes?: Readonly<Record<string, ColumnBuilder>> | readonly string[]
}

/** `op.alterCompositeType`'s operation. */
export function alterCompositeTypeOp(
  name: string,
  changes: CompositeTypeChanges,
  options: { readonly schema?: string } = {},
): AlterCompositeTypeOp {
  // compositeType() checks the names and types of attributes the way a declaration does.
  const attributes = (record: Readonly<Record<string, ColumnBuilder>> | undefined) =>
    record === undefined || Object.keys(record).length === 0
      ? []
      : compositeType(name, record, options)[COMPOSITE_TYPE_DEF].attributes
  const drops = changes.dropAttributes
  const dropAttributes = Array.isArray(drops)
    ? drops.map((attribute: string) => ({ name: attribute }))
    : attributes(drops as Readonly<Record<string, ColumnBuilder>> | undefined).map((a) => ({
        name: a.name,
        definition: a,
      }))
  const addAttributes = attributes(changes.addAttributes)
  if (dropAttributes.length === 0 && addAttributes.length === 0) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `op.alterCompositeType('${name}') changes nothing; give addAttributes or dropAttributes`,
    )
  }
  return {
    kind: 'alterCompositeType',
    schema: options.schema,
    name,
    dropAttributes,
    addAttributes,
  }
}

/** `op.createExtension`'s operation; `ifNotExists` defaults to true. */
export function createExtensionOp(
  nameOrExtension: string | Extension,
  options: ExtensionOptions & { readonly ifNotExists?: boolean } = {},
): CreateExtensionOp {
  const declared = isExtension(nameOrExtension)
    ? nameOrExtension
    : extension(nameOrExtension, options)
  return {
    kind: 'createExtension',
    extension: declared[EXTENSION_DEF],
    ifNotExists: options.ifNotExists ?? true,
  }
}

/** `op.dropExtension`'s operation; an `extension(...)` declaration makes it reversible. */
export function dropExtensionOp(
  nameOrExtension: string | Extension,
  options: Omit<DropObjectOptions, 'schema'> = {},
): DropExtensionOp {
  const definition = isExtension(nameOrExtension) ? nameOrExtension[EXTENSION_DEF] : undefined
  return {
    kind: 'dropExtension',
    name: definition?.name ?? (nameOrExtension as string),
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition,
  }
}

/**
 * The fields every drop has: the name and schema from the declaration when there is one (which
 * makes the drop reversible), else from the arguments.
 */
function dropFields<D extends { readonly schema: string | undefined; readonly name: string }>(
  nameOrObject: unknown,
  definition: D | undefined,
  options: DropObjectOptions,
) {
  return {
    schema: definition?.schema ?? options.schema,
    name: definition?.name ?? (nameOrObject as string),
    ifExists: options.ifExists ?? false,
    cascade: options.cascade ?? false,
    definition,
  }
}

function domainDef(
  nameOrDomain: string | Domain,
  base: ColumnBuilder | undefined,
  options: DomainOptions<unknown>,
): DomainDef {
  if (isDomain(nameOrDomain)) return nameOrDomain[DOMAIN_DEF]
  return domain(nameOrDomain, base as ColumnBuilder, options)[DOMAIN_DEF]
}

function checkDef(check: CheckConstraint): CheckDef {
  return { name: check.name, expression: check.expression.toSql() }
}

function columnDefault(value: LiteralValue | SqlFragment | undefined): ColumnDefault | null {
  if (value === undefined || value === null) return null
  if (value instanceof SqlFragment) return { kind: 'sql', sql: value.toSql() }
  return { kind: 'literal', value }
}

function ownerOf(text: string, sequenceName: string): SequenceOwner {
  const dot = text.indexOf('.')
  if (dot <= 0 || dot === text.length - 1) {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `op.alterSequence('${sequenceName}', { ownedBy: '${text}' }): name the column as 'table.column'`,
    )
  }
  return { table: text.slice(0, dot), column: text.slice(dot + 1) }
}

/** `bigint` is the default data type: the snapshot spells it `undefined`. */
function orBigint(type: SequenceDataType): SequenceDataType | undefined {
  return type === 'bigint' ? undefined : type
}

/** 1 is the default increment and cache: the snapshot spells it `undefined`. */
function orOne(value: number): number | undefined {
  return value === 1 ? undefined : value
}
