/**
 * The schema model DSL: tables, column types, constraints, indexes and enums declared in
 * TypeScript, their row types, and their conversion to the dialect-neutral {@link SchemaSnapshot}.
 */
export { type CheckConstraint, check } from './check.ts'
export { type CodeObjects, routineKey } from './code-objects.ts'
export {
  ColumnBuilder,
  type ColumnConfig,
  type ColumnKind,
  type ColumnTarget,
  type IdentityOptions,
  type NewColumn,
  type ReferenceOptions,
  type SelfColumn,
  type UniqueOptions,
} from './column-builder.ts'
export {
  type BigintData,
  type BigintMode,
  type BigintOptions,
  bigint,
} from './columns/bigint.ts'
export { bigserial } from './columns/bigserial.ts'
export { boolean } from './columns/boolean.ts'
export { bytea } from './columns/bytea.ts'
export { char } from './columns/char.ts'
export { type CustomType, customType } from './columns/custom-type.ts'
export { date } from './columns/date.ts'
export { doublePrecision } from './columns/double-precision.ts'
export { integer } from './columns/integer.ts'
export { interval } from './columns/interval.ts'
export { json } from './columns/json.ts'
export { jsonb } from './columns/jsonb.ts'
export { numeric } from './columns/numeric.ts'
export { real } from './columns/real.ts'
export { type SerialConfig, serial } from './columns/serial.ts'
export { smallint } from './columns/smallint.ts'
export { smallserial } from './columns/smallserial.ts'
export { text } from './columns/text.ts'
export { type TimeOptions, time } from './columns/time.ts'
export { timestamp } from './columns/timestamp.ts'
export { timestamptz } from './columns/timestamptz.ts'
export { uuid } from './columns/uuid.ts'
export { varchar } from './columns/varchar.ts'
export {
  type CompositeType,
  type CompositeTypeOptions,
  compositeType,
  isCompositeType,
} from './composite-type.ts'
export type {
  DatabaseOf,
  Generated,
  GeneratedAlways,
  KyselyColumnType,
} from './database-of.ts'
export { type DbSchema, dbSchema } from './db-schema.ts'
export { type DefineSchemaOptions, defineSchema, SchemaModel, toSnapshot } from './define-schema.ts'
export { type Domain, type DomainOptions, domain, isDomain } from './domain.ts'
export type {
  EngineTableOptions,
  MysqlTableOptions,
  SqliteTableOptions,
} from './engine-options.ts'
export { type EnumType, type EnumTypeOptions, enumType, isEnumType } from './enum-type.ts'
export { type ExclusionConstraint, type ExclusionOptions, exclude } from './exclusion.ts'
export { type Extension, type ExtensionOptions, extension, isExtension } from './extension.ts'
export {
  type ForeignKeyConstraint,
  type ForeignKeyOptions,
  foreignKey,
  type NamedForeignKeyOptions,
} from './foreign-key.ts'
export { type IndexBuilder, type IndexMethod, index, uniqueIndex } from './index-builder.ts'
export { type IndexElementBuilder, indexElement } from './index-element.ts'
export type { InsertOf } from './insert-of.ts'
export {
  DEFAULT_NAMING_CONVENTION,
  type NamingConvention,
  shortenIdentifier,
} from './naming-convention.ts'
export type { CompilableQuery, DependencyTarget, ViewQuery } from './object-dependency.ts'
export {
  isPartition,
  type Partition,
  type PartitionBoundSpec,
  type PartitionOptions,
  type PartitionValue,
  partition,
} from './partition.ts'
export { type PartitionKey, partitionBy } from './partition-key.ts'
export { type PrimaryKeyConstraint, type PrimaryKeyOptions, primaryKey } from './primary-key.ts'
export { quoteIdentifier } from './quote-identifier.ts'
export {
  type Aggregate,
  type AggregateOptions,
  aggregate,
  type DbFunction,
  dbFunction,
  type FunctionOptions,
  type FunctionTarget,
  isAggregate,
  isDbFunction,
  type ParameterInput,
  procedure,
  type RoutineOptions,
} from './routine.ts'
export type { RowOf } from './row-of.ts'
export { SchemaModelError, type SchemaModelErrorCode } from './schema-model-error.ts'
export type * from './schema-snapshot.ts'
export {
  isSequence,
  nextval,
  type Sequence,
  type SequenceOptions,
  sequence,
  toSequenceDef,
} from './sequence.ts'
export type { SequenceNumberOptions } from './sequence-numbers.ts'
export { type SqlFragment, sql } from './sql.ts'
export {
  type AnyTable,
  isTable,
  type Table,
  type TableExtra,
  type TableExtras,
  type TableOptions,
  table,
} from './table.ts'
export type { TableColumn } from './table-column.ts'
export { type ColumnDefinition, type ToColumnDefOptions, toColumnDef } from './to-column-def.ts'
export { type IndexDefinition, type ToIndexDefOptions, toIndexDef } from './to-index-def.ts'
export { enumsOfTable, type ToTableDefOptions, toTableDef } from './to-table-def.ts'
export {
  type EventTrigger,
  type EventTriggerOptions,
  eventTrigger,
  isEventTrigger,
  isTrigger,
  type Trigger,
  type TriggerEvents,
  type TriggerOptions,
  trigger,
} from './trigger.ts'
export type { FunctionName } from './trigger-options.ts'
export { type UniqueBuilder, unique } from './unique.ts'
export {
  isView,
  type MaterializedViewOptions,
  materializedView,
  type View,
  type ViewOptions,
  view,
} from './view.ts'
